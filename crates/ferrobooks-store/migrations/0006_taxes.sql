-- The tax catalogue of an organization. Rates are exact decimal text
-- (percent); components are JSON text: [{name, rate, account_id}].
CREATE TABLE taxes (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    rate TEXT NOT NULL,
    cess_rate TEXT NOT NULL,
    cess_per_unit BIGINT NOT NULL,
    exempt BIGINT NOT NULL,
    components TEXT NOT NULL,
    effective_from TEXT,
    effective_to TEXT,
    active BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX taxes_org ON taxes (organization_id, id);
