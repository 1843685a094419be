-- Bank rules: conditions on a statement line (text in its description or
-- payee, direction, amount range) and an action (categorize to an
-- account, or only mark the line), applied to imported lines in priority
-- order, the first that matches. A line keeps the rule that applied.
CREATE TABLE bank_rules (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    priority BIGINT NOT NULL,
    bank_account_id TEXT,
    description_contains TEXT,
    payee_contains TEXT,
    direction TEXT,
    amount_min BIGINT,
    amount_max BIGINT,
    action TEXT NOT NULL,
    account_id TEXT,
    memo TEXT,
    active BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX bank_rules_org ON bank_rules (organization_id, id);
ALTER TABLE bank_transactions ADD COLUMN rule_id TEXT;
