-- The books are closed up to a lock date: nothing posts on or before it.
-- One row per organization that ever closed; every close and reopen is
-- kept, with the reason for a reopen.
CREATE TABLE period_locks (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id),
    lock_date TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE period_lock_events (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    action TEXT NOT NULL,
    lock_date TEXT,
    previous_lock_date TEXT,
    reason TEXT,
    key_id TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX period_lock_events_org ON period_lock_events (organization_id, id);
