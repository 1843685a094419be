-- Foreign-currency accounts in the ledger. A journal line on an account
-- kept in another currency than the base carries that currency and the
-- amount in it (on the line's side), beside the base debit or credit that
-- balances the entry; NULL on base-currency accounts. The per-day balances
-- keep the foreign totals too, so an account's balance in its own
-- currency is read as its base balance is.
ALTER TABLE journal_lines ADD COLUMN currency TEXT;
ALTER TABLE journal_lines ADD COLUMN foreign_amount BIGINT;
ALTER TABLE account_balances ADD COLUMN foreign_debit BIGINT NOT NULL DEFAULT 0;
ALTER TABLE account_balances ADD COLUMN foreign_credit BIGINT NOT NULL DEFAULT 0;
-- Unrealized exchange gains and losses (revaluations at period end) are
-- kept apart from the realized ones (7906): every organization gets 7907.
INSERT INTO accounts (id, organization_id, code, name, type, subtype, currency, description,
                      system_key, active, created_at, updated_at)
SELECT 'acc_fxu_' || o.id, o.id, '7907', 'Unrealized Exchange Gain/Loss', 'expense',
       'other_expense', o.base_currency,
       'Revaluation of foreign-currency balances at closing rates', 'fx_unrealized', 1,
       o.created_at, o.created_at
FROM organizations o
WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.organization_id = o.id
                  AND a.deleted_at IS NULL AND (a.code = '7907' OR a.system_key = 'fx_unrealized'));
