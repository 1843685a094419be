-- The OAuth 2.0 provider: registered apps (clients), authorization codes
-- (kept as hashes, single use, a minute long), and refresh tokens in
-- families (each use rotates; a reused one revokes its family). Access
-- tokens are credentials in api_keys (kind oauth) carrying their family.
CREATE TABLE oauth_apps (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    -- The organization of the credential that registered it (null: an
    -- account-wide one); credentials bound to another organization do not
    -- see it.
    organization_id TEXT REFERENCES organizations (id),
    name TEXT NOT NULL,
    confidential BIGINT NOT NULL,
    secret_hash TEXT,
    redirect_uris TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX oauth_apps_tenant ON oauth_apps (tenant_id, id);

CREATE TABLE oauth_codes (
    code_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES oauth_apps (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    family_id TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE oauth_refresh_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    family_id TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES oauth_apps (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX oauth_refresh_family ON oauth_refresh_tokens (family_id);

ALTER TABLE api_keys ADD COLUMN family_id TEXT;
CREATE INDEX api_keys_family ON api_keys (family_id);
