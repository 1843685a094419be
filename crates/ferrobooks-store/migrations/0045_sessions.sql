-- Console sessions: the cookie's secret is kept only as its keyed hash;
-- the CSRF token every state-changing form carries; the organization the
-- user works in; idle (last_seen_at) and absolute (expires_at) ends.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    organization_id TEXT REFERENCES organizations (id),
    csrf_token TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX sessions_user ON sessions (user_id, id);
