-- Fixed-window request counters shared by every process on one database,
-- used when no Redis is configured.
CREATE TABLE rate_limit_counters (
    key_id TEXT NOT NULL,
    window_secs BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (key_id, window_secs, window_start)
);

-- Counters need no crash safety: on PostgreSQL they skip the WAL, so a
-- counted request costs no disk flush.
-- postgres-only: ALTER TABLE rate_limit_counters SET UNLOGGED
