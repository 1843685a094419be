-- Sales documents: invoices, estimates, credit notes, sales receipts and
-- refund receipts share one shape (customer, dated lines with taxes,
-- totals in the document currency) and one table; `doc_type` tells them
-- apart. Amounts are minor units of the document currency; `base_*`
-- columns are minor units of the organization's base currency.
CREATE TABLE sales_documents (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    doc_type TEXT NOT NULL,
    number TEXT,
    fiscal_year TEXT,
    status TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    date TEXT NOT NULL,
    due_date TEXT,
    branch TEXT NOT NULL,
    currency TEXT NOT NULL,
    exchange_rate TEXT NOT NULL,
    place_of_supply TEXT,
    reference TEXT,
    notes TEXT,
    round_total BIGINT NOT NULL,
    subtotal BIGINT NOT NULL,
    discount_total BIGINT NOT NULL,
    tax_total BIGINT NOT NULL,
    rounding BIGINT NOT NULL,
    total BIGINT NOT NULL,
    paid BIGINT NOT NULL,
    credited BIGINT NOT NULL,
    base_total BIGINT NOT NULL,
    base_settled BIGINT NOT NULL,
    deposit_account_id TEXT,
    journal_entry_id TEXT,
    source_id TEXT,
    converted_to_id TEXT,
    overdue_notified BIGINT NOT NULL,
    sent_at TEXT,
    approved_at TEXT,
    voided_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX sales_documents_org ON sales_documents (organization_id, doc_type, id);
CREATE INDEX sales_documents_customer ON sales_documents (organization_id, customer_id);
CREATE INDEX sales_documents_due ON sales_documents (overdue_notified, due_date);
CREATE UNIQUE INDEX sales_documents_number
    ON sales_documents (organization_id, doc_type, fiscal_year, number);

CREATE TABLE sales_document_lines (
    document_id TEXT NOT NULL,
    line_no BIGINT NOT NULL,
    organization_id TEXT NOT NULL,
    product_id TEXT,
    description TEXT,
    quantity TEXT NOT NULL,
    unit_price BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    net BIGINT NOT NULL,
    account_id TEXT NOT NULL,
    tax_id TEXT,
    -- JSON array of {name, rate, account_id, amount}.
    taxes TEXT NOT NULL,
    tax_amount BIGINT NOT NULL,
    PRIMARY KEY (document_id, line_no)
);

-- Customer payments. `applied` is what allocations have taken; the rest
-- is unapplied customer credit.
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    number TEXT,
    customer_id TEXT NOT NULL,
    date TEXT NOT NULL,
    currency TEXT NOT NULL,
    exchange_rate TEXT NOT NULL,
    amount BIGINT NOT NULL,
    applied BIGINT NOT NULL,
    base_amount BIGINT NOT NULL,
    base_applied BIGINT NOT NULL,
    deposit_account_id TEXT NOT NULL,
    method TEXT,
    reference TEXT,
    journal_entry_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX payments_org ON payments (organization_id, id);
CREATE INDEX payments_customer ON payments (organization_id, customer_id);

-- What settles an invoice: part of a payment or of a credit note.
-- `base_released` left the source's credit, `base_settled` left the
-- invoice; a difference was posted to FX gain/loss by `journal_entry_id`.
CREATE TABLE sales_allocations (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    source_type TEXT NOT NULL,
    source_id TEXT NOT NULL,
    invoice_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    date TEXT NOT NULL,
    amount BIGINT NOT NULL,
    base_released BIGINT NOT NULL,
    base_settled BIGINT NOT NULL,
    journal_entry_id TEXT,
    created_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX sales_allocations_invoice ON sales_allocations (organization_id, invoice_id);
CREATE INDEX sales_allocations_source ON sales_allocations (organization_id, source_id);

-- Number templates per organization and document type (defaults apply
-- when absent).
CREATE TABLE number_templates (
    organization_id TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    template TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, doc_type)
);
