-- The event feed: each event gets a number in its organization's sequence,
-- in the order events become visible, so a reader that asks for the events
-- after the last number it saw never misses one. event_sequences holds each
-- organization's last number (on PostgreSQL the live counter; on SQLite the
-- high-water mark kept when old events are pruned).
ALTER TABLE outbox_events ADD COLUMN sequence BIGINT;
UPDATE outbox_events SET sequence = numbered.n
FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY id) AS n
    FROM outbox_events
) AS numbered
WHERE numbered.id = outbox_events.id;
CREATE UNIQUE INDEX outbox_events_sequence ON outbox_events (organization_id, sequence);
CREATE TABLE event_sequences (
    organization_id TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);
INSERT INTO event_sequences (organization_id, last)
SELECT organization_id, MAX(sequence) FROM outbox_events GROUP BY organization_id;
