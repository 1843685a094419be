-- The fixed-asset register, and each month's depreciation of each asset
-- (one row per asset per month: a second run for the same month cannot
-- post it twice, whichever node runs it).
CREATE TABLE fixed_assets (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    description TEXT,
    category TEXT,
    acquisition_date TEXT NOT NULL,
    cost BIGINT NOT NULL,
    residual_value BIGINT NOT NULL,
    useful_life_months BIGINT NOT NULL,
    method TEXT NOT NULL,
    factor TEXT NOT NULL,
    asset_account_id TEXT NOT NULL,
    accumulated_account_id TEXT NOT NULL,
    expense_account_id TEXT NOT NULL,
    bill_id TEXT,
    bill_line BIGINT,
    journal_entry_id TEXT,
    months_depreciated BIGINT NOT NULL,
    accumulated BIGINT NOT NULL,
    status TEXT NOT NULL,
    disposal_date TEXT,
    disposal_proceeds BIGINT,
    disposal_entry_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX fixed_assets_org ON fixed_assets (organization_id, id);
-- The depreciation job finds the active assets of every organization.
CREATE INDEX fixed_assets_status ON fixed_assets (status, organization_id, id);
CREATE UNIQUE INDEX fixed_assets_bill_line ON fixed_assets (organization_id, bill_id, bill_line);

CREATE TABLE asset_depreciations (
    asset_id TEXT NOT NULL REFERENCES fixed_assets (id),
    month_index BIGINT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    date TEXT NOT NULL,
    amount BIGINT NOT NULL,
    accumulated BIGINT NOT NULL,
    journal_entry_id TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (asset_id, month_index)
);
