-- Products and services an organization sells. Quantities are exact
-- decimal text; prices are minor units of the base currency.
CREATE TABLE products (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    sku TEXT,
    type TEXT NOT NULL,
    price BIGINT NOT NULL,
    description TEXT,
    tax_id TEXT,
    hsn_sac TEXT,
    income_account_id TEXT NOT NULL,
    expense_account_id TEXT,
    track_inventory BIGINT NOT NULL,
    quantity_on_hand TEXT NOT NULL,
    reorder_level TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX products_org ON products (organization_id, id);
CREATE UNIQUE INDEX products_sku ON products (organization_id, sku) WHERE deleted_at IS NULL AND sku IS NOT NULL;
