-- Account hierarchy: an account may sit under a parent account of the same
-- type; the statements show the parent with a subtotal of its children.
ALTER TABLE accounts ADD COLUMN parent_id TEXT;
CREATE INDEX accounts_parent ON accounts (organization_id, parent_id);
