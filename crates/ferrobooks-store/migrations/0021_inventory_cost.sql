-- Inventory at average cost. A tracked product keeps the value of its
-- stock (base currency, minor units) beside its quantity; the average
-- cost is value / quantity. A document line that moved stock keeps the
-- cost it moved (a purchase at its cost, a sale at the average), so a void
-- moves exactly that back. Goods are bought into a stock account (1001),
-- which organizations made before it are given here.
ALTER TABLE products ADD COLUMN stock_value BIGINT NOT NULL DEFAULT 0;
ALTER TABLE document_lines ADD COLUMN stock_cost BIGINT;
INSERT INTO accounts (id, organization_id, code, name, type, subtype, currency, description,
                      system_key, active, created_at, updated_at)
SELECT 'acc_stock_' || o.id, o.id, '1001', 'Stock', 'asset', 'inventory', o.base_currency,
       'Goods held for sale, at average cost', 'inventory', 1, o.created_at, o.created_at
FROM organizations o
WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.organization_id = o.id
                  AND a.deleted_at IS NULL AND (a.code = '1001' OR a.system_key = 'inventory'));
