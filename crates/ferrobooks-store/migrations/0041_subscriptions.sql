-- Subscriptions: a customer on a plan of invoice lines, invoiced each
-- period; each period's invoice is a row keyed by (subscription, period),
-- so no node issues a period twice.
CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    customer_id TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The plan's invoice lines, a JSON array.
    lines TEXT NOT NULL,
    interval_unit TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    invoice_count BIGINT,
    auto_approve BIGINT NOT NULL,
    auto_send BIGINT NOT NULL,
    reference TEXT,
    next_period BIGINT NOT NULL,
    issued BIGINT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX subscriptions_org ON subscriptions (organization_id, id);
CREATE INDEX subscriptions_status ON subscriptions (status, organization_id, id);

CREATE TABLE subscription_invoices (
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    period BIGINT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    invoice_id TEXT NOT NULL,
    date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (subscription_id, period)
);
