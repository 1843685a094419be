-- Aging reads what is open now and rolls back what happened after its
-- date, so its cost follows the open items and the recent activity, not
-- every document ever made: documents and payments still open, and the
-- allocations made after a day.
CREATE INDEX documents_open ON documents (organization_id, doc_type)
    WHERE base_total <> base_settled AND deleted_at IS NULL;
CREATE INDEX payments_unapplied ON payments (organization_id, side)
    WHERE base_amount <> base_applied AND deleted_at IS NULL;
CREATE INDEX allocations_date ON allocations (organization_id, date);
