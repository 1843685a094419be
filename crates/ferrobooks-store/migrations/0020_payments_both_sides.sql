-- Payments and allocations serve both sides of the books: a payment is
-- received from a customer (side `sale`) or made to a vendor (side
-- `purchase`, a bill payment), and an allocation settles a document
-- (an invoice or a bill) from a payment or a credit (a credit note or a
-- vendor credit). Numbers are unique per side: each has its own series.
ALTER TABLE payments RENAME COLUMN customer_id TO contact_id;
ALTER TABLE payments ADD COLUMN side TEXT NOT NULL DEFAULT 'sale';
DROP INDEX payments_number;
CREATE UNIQUE INDEX payments_side_number ON payments (organization_id, side, number);
ALTER TABLE sales_allocations RENAME TO allocations;
ALTER TABLE allocations RENAME COLUMN invoice_id TO document_id;
ALTER TABLE allocations RENAME COLUMN customer_id TO contact_id;
-- Purchase order lines: how much of each line bills have taken; a bill's
-- line made from an order names the order's line it bills.
ALTER TABLE document_lines ADD COLUMN billed_quantity TEXT;
ALTER TABLE document_lines ADD COLUMN source_line_no BIGINT;
