-- What explains a statement line: the ledger lines of its account it was
-- matched to (a deposit of several payments names several), or the line
-- of the entry its categorization posted (`kind`). A ledger line explains
-- at most one statement line.
CREATE TABLE bank_matches (
    organization_id TEXT NOT NULL,
    bank_transaction_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    line_no BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, entry_id, line_no)
);
CREATE INDEX bank_matches_transaction ON bank_matches (organization_id, bank_transaction_id);
