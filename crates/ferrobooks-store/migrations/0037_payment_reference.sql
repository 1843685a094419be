-- An import finds the payments it made before by their reference (the
-- payment's number in the spreadsheet), per side.
CREATE INDEX payments_reference ON payments (organization_id, side, reference);
