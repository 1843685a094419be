-- Loans borrowed or lent, and the payments made on them. The schedule is
-- worked out from the terms, the current EMI and the outstanding
-- principal; each payment keeps how it split.
CREATE TABLE loans (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    counterparty TEXT,
    principal BIGINT NOT NULL,
    annual_rate TEXT NOT NULL,
    term_months BIGINT NOT NULL,
    frequency TEXT NOT NULL,
    start_date TEXT NOT NULL,
    emi BIGINT NOT NULL,
    outstanding BIGINT NOT NULL,
    instalments_paid BIGINT NOT NULL,
    interest_paid BIGINT NOT NULL,
    bank_account_id TEXT NOT NULL,
    loan_account_id TEXT NOT NULL,
    interest_account_id TEXT NOT NULL,
    status TEXT NOT NULL,
    journal_entry_id TEXT,
    memo TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX loans_org ON loans (organization_id, id);

CREATE TABLE loan_payments (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    loan_id TEXT NOT NULL REFERENCES loans (id),
    number BIGINT NOT NULL,
    date TEXT NOT NULL,
    amount BIGINT NOT NULL,
    interest BIGINT NOT NULL,
    principal BIGINT NOT NULL,
    outstanding BIGINT NOT NULL,
    bank_account_id TEXT NOT NULL,
    journal_entry_id TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (loan_id, number)
);
CREATE INDEX loan_payments_org ON loan_payments (organization_id, loan_id, number);
