-- A categorize rule may name the tax its lines include and the contact
-- they are with: the line then becomes a document paid on the spot.
ALTER TABLE bank_rules ADD COLUMN tax_id TEXT;
ALTER TABLE bank_rules ADD COLUMN contact_id TEXT;
