-- Banking. A bank account is a ledger account of subtype bank, cash or
-- credit_card; `bank_accounts` holds what a bank adds to it (institution,
-- the last digits of its number, the opening balance and date), one row
-- per account, made when the account is opened as a bank account.
CREATE TABLE bank_accounts (
    account_id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    institution TEXT,
    account_number_last4 TEXT,
    opening_balance BIGINT NOT NULL,
    opening_date TEXT,
    opening_entry_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX bank_accounts_org ON bank_accounts (organization_id, account_id);

-- Statement lines, imported or entered by hand. `amount` is signed minor
-- units of the account's currency (positive: money in). `dedupe_key`
-- makes a line imported twice the same line: the bank's own transaction
-- id when it gives one, else a hash of date, amount, description and the
-- line's occurrence among identical ones on its statement.
CREATE TABLE bank_transactions (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    bank_account_id TEXT NOT NULL,
    date TEXT NOT NULL,
    amount BIGINT NOT NULL,
    description TEXT NOT NULL,
    payee TEXT,
    reference TEXT,
    bank_transaction_id TEXT,
    dedupe_key TEXT NOT NULL,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    import_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX bank_transactions_dedupe
    ON bank_transactions (organization_id, bank_account_id, dedupe_key);
CREATE INDEX bank_transactions_org ON bank_transactions (organization_id, id);
CREATE INDEX bank_transactions_account
    ON bank_transactions (organization_id, bank_account_id, status, date);

-- Each statement upload: what it held and what came of it.
CREATE TABLE bank_statement_imports (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    bank_account_id TEXT NOT NULL,
    format TEXT NOT NULL,
    filename TEXT,
    new_count BIGINT NOT NULL,
    duplicate_count BIGINT NOT NULL,
    refused TEXT NOT NULL,
    closing_date TEXT,
    closing_balance BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX bank_statement_imports_account
    ON bank_statement_imports (organization_id, bank_account_id, id);

-- Opening balances of bank accounts are posted against Opening Balance
-- Equity (3100), given to every organization here.
INSERT INTO accounts (id, organization_id, code, name, type, subtype, currency, description,
                      system_key, active, created_at, updated_at)
SELECT 'acc_obe_' || o.id, o.id, '3100', 'Opening Balance Equity', 'equity', 'equity',
       o.base_currency, 'Opening balances of accounts brought into the books',
       'opening_balance_equity', 1, o.created_at, o.created_at
FROM organizations o
WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.organization_id = o.id
                  AND a.deleted_at IS NULL
                  AND (a.code = '3100' OR a.system_key = 'opening_balance_equity'));
