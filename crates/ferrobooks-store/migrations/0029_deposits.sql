-- Deposits: payments received into undeposited funds, taken to the bank
-- together. A payment is in one live deposit at most (`deposit_items`,
-- whose rows a void deletes).
CREATE TABLE deposits (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    date TEXT NOT NULL,
    account_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    base_amount BIGINT NOT NULL,
    memo TEXT,
    status TEXT NOT NULL,
    journal_entry_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX deposits_org ON deposits (organization_id, id);
CREATE TABLE deposit_items (
    organization_id TEXT NOT NULL,
    deposit_id TEXT NOT NULL,
    payment_id TEXT NOT NULL,
    PRIMARY KEY (organization_id, payment_id)
);
CREATE INDEX deposit_items_deposit ON deposit_items (organization_id, deposit_id);
