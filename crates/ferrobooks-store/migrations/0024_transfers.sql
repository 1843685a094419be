-- Transfers between bank, cash and card accounts. `amount` leaves the
-- source in its currency, `to_amount` arrives in the destination's; a
-- cross-currency difference in base is realized FX in the entry.
CREATE TABLE transfers (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    date TEXT NOT NULL,
    from_account_id TEXT NOT NULL,
    to_account_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    to_amount BIGINT NOT NULL,
    exchange_rate TEXT,
    memo TEXT,
    reference TEXT,
    status TEXT NOT NULL,
    journal_entry_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX transfers_org ON transfers (organization_id, id);
