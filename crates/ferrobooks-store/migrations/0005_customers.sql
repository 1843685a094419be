-- Customers: the people and companies an organization sells to. Addresses
-- and contact persons are JSON text (read and written whole).
CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    currency TEXT NOT NULL,
    tax_id TEXT,
    place_of_supply TEXT,
    payment_terms BIGINT NOT NULL,
    billing_address TEXT,
    shipping_address TEXT,
    contact_persons TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX customers_org ON customers (organization_id, id);
CREATE INDEX journal_lines_contact ON journal_lines (organization_id, contact_id);
