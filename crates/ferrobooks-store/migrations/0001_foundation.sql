-- Foundation: tenancy, chart of accounts, journal, balances, outbox.
-- Portable SQL: runs unchanged on SQLite and PostgreSQL. Money is BIGINT
-- minor units; dates are TEXT 'YYYY-MM-DD'; timestamps are TEXT RFC 3339 UTC.

CREATE TABLE instance_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    base_currency TEXT NOT NULL,
    country TEXT NOT NULL,
    state TEXT,
    tax_id TEXT,
    fiscal_year_start TEXT NOT NULL,
    timezone TEXT NOT NULL,
    date_format TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX organizations_tenant ON organizations (tenant_id, id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    organization_id TEXT REFERENCES organizations (id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL,
    tier TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, id);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT NOT NULL,
    currency TEXT NOT NULL,
    description TEXT,
    system_key TEXT,
    active BIGINT NOT NULL, -- 1 active, 0 archived (sqlx Any has no portable bool)
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX accounts_code ON accounts (organization_id, code) WHERE deleted_at IS NULL;
CREATE INDEX accounts_org ON accounts (organization_id, id);

-- The journal tables carry no foreign keys: every posting would pay a
-- referential check per line (on PostgreSQL a locking SELECT per row, most
-- of the cost of a write). The store writes entries and their lines in one
-- transaction, checks the accounts in it, and never deletes rows (deletes
-- are soft), so the references hold by construction.
CREATE TABLE journal_entries (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    number TEXT,
    date TEXT NOT NULL,
    memo TEXT,
    reference TEXT,
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    total BIGINT NOT NULL,
    reversal_of TEXT,
    reversed_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    posted_at TEXT,
    voided_at TEXT,
    deleted_at TEXT
);
CREATE UNIQUE INDEX journal_entries_number ON journal_entries (organization_id, number);
CREATE INDEX journal_entries_org ON journal_entries (organization_id, id);
CREATE INDEX journal_entries_date ON journal_entries (organization_id, date);

CREATE TABLE journal_lines (
    entry_id TEXT NOT NULL,
    line_no BIGINT NOT NULL,
    organization_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    date TEXT NOT NULL,
    debit BIGINT NOT NULL,
    credit BIGINT NOT NULL,
    description TEXT,
    contact_id TEXT,
    PRIMARY KEY (entry_id, line_no)
);
CREATE INDEX journal_lines_account ON journal_lines (organization_id, account_id, date);

-- Per account, per day totals of posted lines, kept current in the posting
-- transaction, so reports read accounts x days rather than every line.
CREATE TABLE account_balances (
    organization_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    day TEXT NOT NULL,
    debit BIGINT NOT NULL,
    credit BIGINT NOT NULL,
    PRIMARY KEY (organization_id, account_id, day)
);

CREATE TABLE number_series (
    organization_id TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    next_value BIGINT NOT NULL,
    PRIMARY KEY (organization_id, doc_type)
);

-- Transactional outbox: written in the same transaction as the change.
CREATE TABLE outbox_events (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX outbox_events_org ON outbox_events (organization_id, id);
