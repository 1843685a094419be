-- Indian GST: a customer in a Special Economic Zone is supplied
-- inter-state (IGST) whatever its state.
ALTER TABLE customers ADD COLUMN sez BIGINT NOT NULL DEFAULT 0;
