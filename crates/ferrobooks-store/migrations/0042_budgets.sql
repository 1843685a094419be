-- Budgets: twelve months of amounts per account for a fiscal year, one
-- active budget per year and branch ('' for the whole organization).
CREATE TABLE budgets (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    fiscal_year BIGINT NOT NULL,
    branch TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX budgets_org ON budgets (organization_id, id);
CREATE UNIQUE INDEX budgets_one_active ON budgets (organization_id, fiscal_year, branch)
    WHERE status = 'active';

CREATE TABLE budget_lines (
    budget_id TEXT NOT NULL REFERENCES budgets (id),
    account_id TEXT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    -- The twelve months' amounts (minor units), a JSON array.
    amounts TEXT NOT NULL,
    PRIMARY KEY (budget_id, account_id)
);
