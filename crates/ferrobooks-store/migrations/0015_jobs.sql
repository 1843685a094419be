-- Durable background jobs. A job is claimed with a lease (and FOR UPDATE
-- SKIP LOCKED on PostgreSQL), so any node may run it and a job whose node
-- died mid-run is claimed again once its lease ends. A scheduled job's
-- dedupe_key names its period, so however many nodes schedule it, the
-- period gets one row.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL,
    run_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    max_attempts BIGINT NOT NULL,
    lease_until BIGINT NOT NULL,
    locked_by TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX jobs_due ON jobs (status, run_at);
