-- The people of an account: users with a role and an argon2id password
-- hash, the organizations a user who does not see all of them is given,
-- and one-time tokens (email verification, password reset) kept as hashes.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    -- Lower-cased; one user per address across the instance (sign-in is
    -- by email alone).
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    email_verified_at TEXT,
    totp_secret TEXT,
    failed_logins BIGINT NOT NULL,
    locked_until TEXT,
    disabled_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX users_tenant ON users (tenant_id, id);

CREATE TABLE user_organizations (
    user_id TEXT NOT NULL REFERENCES users (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (user_id, organization_id)
);

CREATE TABLE user_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    -- verify_email or reset_password.
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);

-- Personal access tokens (and, later, OAuth access tokens) are credentials
-- beside API keys, verified the same way: a kind, and the user they act
-- as (within the user's role).
ALTER TABLE api_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'api_key';
ALTER TABLE api_keys ADD COLUMN user_id TEXT REFERENCES users (id);
ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
CREATE INDEX api_keys_user ON api_keys (user_id, id);
