-- Unrealized FX revaluations: foreign-currency balances (accounts kept in
-- another currency, open foreign invoices, bills and unapplied payments)
-- revalued at closing rates on a date, posted against 7907, and reversed
-- the next day. `rates` and `lines` are JSON, as answered.
CREATE TABLE fx_revaluations (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    date TEXT NOT NULL,
    rates TEXT NOT NULL,
    lines TEXT NOT NULL,
    total BIGINT NOT NULL,
    journal_entry_id TEXT,
    reversal_entry_id TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX fx_revaluations_org ON fx_revaluations (organization_id, id);
