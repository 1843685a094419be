-- One table of documents for both sides of the books: the sales documents
-- (invoices, estimates, credit notes, receipts) and the purchase ones
-- (bills, vendor credits, purchase orders) share their shape, so the
-- tables lose their "sales_" prefix and a document names its contact
-- (a customer or a vendor). Bills keep the vendor's own number, unique per
-- vendor; purchase lines carry the reverse charge and, in India, the input
-- tax credit eligibility.
ALTER TABLE sales_documents RENAME TO documents;
ALTER TABLE documents RENAME COLUMN customer_id TO contact_id;
ALTER TABLE sales_document_lines RENAME TO document_lines;
ALTER TABLE documents ADD COLUMN vendor_reference TEXT;
CREATE UNIQUE INDEX documents_vendor_reference
    ON documents (organization_id, contact_id, doc_type, vendor_reference)
    WHERE vendor_reference IS NOT NULL AND deleted_at IS NULL;
ALTER TABLE document_lines ADD COLUMN reverse_charge BIGINT NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN itc_eligibility TEXT;
