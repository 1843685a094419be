-- Posted amounts per organization, contact (customer or vendor) and
-- account, kept in the posting transaction like account_balances, so a
-- customer's receivable balance is a few rows however many documents it
-- has. Voids post reversals, so rows only ever grow by new lines.
CREATE TABLE contact_balances (
    organization_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    debit BIGINT NOT NULL,
    credit BIGINT NOT NULL,
    PRIMARY KEY (organization_id, contact_id, account_id)
);
INSERT INTO contact_balances (organization_id, contact_id, account_id, debit, credit)
SELECT l.organization_id, l.contact_id, l.account_id,
       CAST(SUM(l.debit) AS BIGINT), CAST(SUM(l.credit) AS BIGINT)
FROM journal_lines l JOIN journal_entries j ON j.id = l.entry_id
WHERE l.contact_id IS NOT NULL AND j.status IN ('posted', 'void')
GROUP BY l.organization_id, l.contact_id, l.account_id;
