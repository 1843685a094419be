-- Bank reconciliations. One is in progress per account at a time; the
-- ledger lines it clears are kept in `reconciled_lines` (amount in the
-- account's own currency, debit positive). A line belongs to at most one
-- reconciliation; once that is finished the line's entry cannot be voided
-- until the reconciliation is undone.
CREATE TABLE reconciliations (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    account_id TEXT NOT NULL,
    statement_date TEXT NOT NULL,
    closing_balance BIGINT NOT NULL,
    opening_balance BIGINT NOT NULL,
    status TEXT NOT NULL,
    finished_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX reconciliations_account ON reconciliations (organization_id, account_id, id);

CREATE TABLE reconciled_lines (
    organization_id TEXT NOT NULL,
    reconciliation_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    line_no BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (organization_id, entry_id, line_no)
);
CREATE INDEX reconciled_lines_reconciliation ON reconciled_lines (organization_id, reconciliation_id);
