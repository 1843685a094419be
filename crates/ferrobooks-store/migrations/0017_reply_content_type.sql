-- A stored idempotent reply is the reply of the surface that served the
-- request: its status, body and content type (NULL: application/json).
ALTER TABLE idempotency_keys ADD COLUMN content_type TEXT;
