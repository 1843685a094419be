-- A document number is given once per organization and document type,
-- whatever the period its counter runs in (counters restart per period
-- only when the number shows the period); payments likewise. And entries
-- are found by the document or payment that posted them.
CREATE UNIQUE INDEX sales_documents_number_once ON sales_documents (organization_id, doc_type, number);
CREATE UNIQUE INDEX payments_number ON payments (organization_id, number);
CREATE INDEX journal_entries_source ON journal_entries (organization_id, source);
