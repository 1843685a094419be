-- Tax returns filed from the books: what was filed, for which period, and
-- whether the period was reopened (with the reason). A posting dated in a
-- filed period is refused, as one on or before the lock date is. Returns
-- read the documents of their period by date.
CREATE TABLE tax_returns (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    period_key TEXT,
    date_from TEXT NOT NULL,
    date_to TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    filed_by TEXT,
    reopened_at TEXT,
    reopen_reason TEXT,
    reopened_by TEXT
);
CREATE INDEX tax_returns_org ON tax_returns (organization_id, kind, date_from);
CREATE INDEX documents_date ON documents (organization_id, date);
-- Aging rolls back what documents and payments posted after its day:
-- their entries by date, without the journal API's.
CREATE INDEX journal_entries_sourced_date ON journal_entries (organization_id, date)
    WHERE source IS NOT NULL;
-- The plain-text export pages through the journal by date and id.
CREATE INDEX journal_entries_date_id ON journal_entries (organization_id, date, id);
-- It serves every query the date index did.
DROP INDEX journal_entries_date;
