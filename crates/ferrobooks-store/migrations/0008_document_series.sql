-- Counters of document number series, one per organization, document
-- type, branch and fiscal year: a new fiscal year starts its own count.
CREATE TABLE document_series (
    organization_id TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    branch TEXT NOT NULL,
    fiscal_year TEXT NOT NULL,
    next_value BIGINT NOT NULL,
    PRIMARY KEY (organization_id, doc_type, branch, fiscal_year)
);
