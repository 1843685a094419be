-- An import finds the journal entries it made before by their reference
-- (the number the spreadsheet gave them).
CREATE INDEX journal_entries_reference ON journal_entries (organization_id, reference);
