-- The document or payment that posted an entry (`invoice inv_...`); NULL
-- for entries made through the journal API. Such entries are voided
-- through their document, never directly.
ALTER TABLE journal_entries ADD COLUMN source TEXT;
