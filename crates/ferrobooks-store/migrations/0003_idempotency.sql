-- Idempotency keys: the first response to a POST with an Idempotency-Key,
-- kept 24 hours. `status` is NULL while the first request runs; `lease`
-- and `locked_until` let a retry take over from a request whose process
-- died. The response is written in the transaction of the request's effect.
CREATE TABLE idempotency_keys (
    organization_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    lease TEXT NOT NULL,
    locked_until BIGINT NOT NULL,
    status BIGINT,
    response TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (organization_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
