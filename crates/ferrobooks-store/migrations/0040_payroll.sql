-- Employees, the pay items runs apply, payroll runs with one line per
-- employee (the payslip), and payroll liabilities remitted.
CREATE TABLE employees (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    email TEXT,
    employee_number TEXT NOT NULL,
    hire_date TEXT NOT NULL,
    termination_date TEXT,
    pay_type TEXT NOT NULL,
    pay_rate BIGINT NOT NULL,
    pay_frequency TEXT NOT NULL,
    department TEXT,
    tax_id TEXT,
    bank_account_number TEXT,
    bank_routing_code TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (organization_id, employee_number)
);
CREATE INDEX employees_org ON employees (organization_id, id);

CREATE TABLE pay_items (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    calculation TEXT NOT NULL,
    value TEXT NOT NULL,
    -- Earnings: the expense account; deductions and employer
    -- contributions: the liability account.
    account_id TEXT NOT NULL,
    -- Employer contributions: the expense account.
    expense_account_id TEXT,
    active BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (organization_id, name)
);
CREATE INDEX pay_items_org ON pay_items (organization_id, id);

CREATE TABLE payroll_runs (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    pay_date TEXT NOT NULL,
    status TEXT NOT NULL,
    gross BIGINT NOT NULL,
    deductions BIGINT NOT NULL,
    employer BIGINT NOT NULL,
    net BIGINT NOT NULL,
    -- The pay items applied, as a JSON array (what the run was made with).
    items TEXT NOT NULL,
    journal_entry_id TEXT,
    -- The payment entries, as a JSON array.
    payment_entry_ids TEXT NOT NULL,
    paid_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX payroll_runs_org ON payroll_runs (organization_id, id);

CREATE TABLE payroll_run_lines (
    run_id TEXT NOT NULL REFERENCES payroll_runs (id),
    employee_id TEXT NOT NULL REFERENCES employees (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    hours TEXT,
    base BIGINT NOT NULL,
    gross BIGINT NOT NULL,
    deductions BIGINT NOT NULL,
    employer BIGINT NOT NULL,
    net BIGINT NOT NULL,
    -- Each item's amount, as a JSON array.
    items TEXT NOT NULL,
    PRIMARY KEY (run_id, employee_id)
);
CREATE INDEX payroll_run_lines_employee ON payroll_run_lines (organization_id, employee_id);

CREATE TABLE payroll_remittances (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    date TEXT NOT NULL,
    account_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    bank_account_id TEXT NOT NULL,
    reference TEXT,
    journal_entry_id TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX payroll_remittances_org ON payroll_remittances (organization_id, id);
