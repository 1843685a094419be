-- The sum of every debit an organization ever posted, kept in the posting
-- transaction. Every other sum the books hold or report (a day's balance
-- row, an account's or a customer's balance, the trial balance's totals)
-- is a part of it, so refusing a posting that would take it past its limit
-- keeps all of them inside a BIGINT on both backends.
CREATE TABLE ledger_totals (
    organization_id TEXT PRIMARY KEY,
    debits BIGINT NOT NULL
);
INSERT INTO ledger_totals (organization_id, debits)
SELECT organization_id, CAST(SUM(debit) AS BIGINT)
FROM account_balances
GROUP BY organization_id;
