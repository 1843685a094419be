-- Vendors: the people and companies an organization buys from. The shape
-- of customers (addresses and contact persons as JSON text; for Indian
-- organizations the GST state the vendor supplies from), plus the US 1099
-- flag. Their payable balances come from contact_balances, as customers'
-- receivable balances do.
CREATE TABLE vendors (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    currency TEXT NOT NULL,
    tax_id TEXT,
    place_of_supply TEXT,
    payment_terms BIGINT NOT NULL,
    sez BIGINT NOT NULL DEFAULT 0,
    track_1099 BIGINT NOT NULL DEFAULT 0,
    billing_address TEXT,
    shipping_address TEXT,
    contact_persons TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX vendors_org ON vendors (organization_id, id);
