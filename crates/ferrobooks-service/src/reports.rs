//! Reports read the per-day balances (accounts x days), never the whole
//! journal; the general ledger reads only the lines of its range.

use ferrobooks_domain::AccountType;
use ferrobooks_domain::org::{fiscal_year_start_for, parse_fiscal_year_start};
use ferrobooks_domain::trial_balance::Totals;
use ferrobooks_store::reports as store;
use serde::Serialize;

use crate::amount::Amount;
use crate::{AuthContext, ServiceError, ServiceResult, Services, parse_date, today};
use ferrobooks_store::contacts::Party;

#[derive(Debug, Clone, Serialize)]
pub struct TrialBalance {
    pub as_of: String,
    pub currency: String,
    pub rows: Vec<TrialBalanceRow>,
    pub total_debit: Amount,
    pub total_credit: Amount,
}

/// One account's net balance, shown in the debit or the credit column.
#[derive(Debug, Clone, Serialize)]
pub struct TrialBalanceRow {
    pub account_id: String,
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub account_type: String,
    pub debit: Amount,
    pub credit: Amount,
}

#[derive(Debug, Clone, Serialize)]
pub struct GeneralLedger {
    pub date_from: String,
    pub date_to: String,
    pub currency: String,
    pub accounts: Vec<LedgerAccount>,
}

/// Balances here are on the account's normal side, as on `/accounts`.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerAccount {
    pub account_id: String,
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub account_type: String,
    pub opening_balance: Amount,
    pub total_debit: Amount,
    pub total_credit: Amount,
    pub closing_balance: Amount,
    pub lines: Vec<LedgerLineView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LedgerLineView {
    pub entry_id: String,
    pub number: Option<String>,
    pub date: String,
    pub memo: Option<String>,
    pub reference: Option<String>,
    pub description: Option<String>,
    pub contact_id: Option<String>,
    pub debit: Amount,
    pub credit: Amount,
    pub running_balance: Amount,
}

pub(crate) fn account_type(s: &str) -> ServiceResult<AccountType> {
    AccountType::parse(s).map_err(|_| ServiceError::internal("stored account type is corrupt"))
}

impl Services {
    /// Net balance of every account with postings up to `as_of` (today when
    /// absent). The two column totals are equal: every entry balances.
    pub async fn trial_balance(
        &self,
        ctx: &AuthContext,
        as_of: Option<&str>,
        filter: &crate::filters::StatementFilter,
    ) -> ServiceResult<TrialBalance> {
        let cur = ctx.currency()?;
        let day = match as_of {
            Some(d) => parse_date("as_of", d)?,
            None => today(),
        };
        let as_of = day.to_string();
        let tree = self.account_tree(ctx).await?;
        let filter = self.statement_filter(ctx, filter, &tree).await?;
        let totals = self.totals_on(ctx, None, day, &filter).await?;
        let (mut td, mut tc) = (0i64, 0i64);
        let mut rows = Vec::with_capacity(totals.len());
        for t in totals {
            let (d, c) = Totals {
                debit: t.debit,
                credit: t.credit,
            }
            .columns();
            if d == 0 && c == 0 {
                continue;
            }
            td += d;
            tc += c;
            rows.push(TrialBalanceRow {
                account_id: t.account_id,
                code: t.code,
                name: t.name,
                account_type: t.account_type,
                debit: Amount::new(d, cur),
                credit: Amount::new(c, cur),
            });
        }
        Ok(TrialBalance {
            as_of,
            currency: cur.code().into(),
            rows,
            total_debit: Amount::new(td, cur),
            total_credit: Amount::new(tc, cur),
        })
    }

    /// Per account: opening balance, the posted lines of the range with a
    /// running balance, and the closing balance. The range defaults to the
    /// fiscal year to date.
    pub async fn general_ledger(
        &self,
        ctx: &AuthContext,
        account_id: Option<&str>,
        date_from: Option<&str>,
        date_to: Option<&str>,
    ) -> ServiceResult<GeneralLedger> {
        let cur = ctx.currency()?;
        let (from, to) = range(ctx, date_from, date_to)?;
        let named = match account_id {
            Some(a) => Some(self.get_account(ctx, a).await?),
            None => None,
        };
        let before = from.pred_opt().map(|d| d.to_string()).unwrap_or_default();
        let (from, to) = (from.to_string(), to.to_string());
        let opening = store::account_totals(self.store.pool(), ctx.org_id(), None, &before).await?;
        let lines =
            store::ledger_lines(self.store.pool(), ctx.org_id(), account_id, &from, &to).await?;
        let in_range =
            store::account_totals(self.store.pool(), ctx.org_id(), Some(&from), &to).await?;

        // Accounts with an opening balance or lines in the range.
        let mut accounts: Vec<&store::AccountTotals> = opening
            .iter()
            .filter(|t| t.debit != t.credit)
            .chain(in_range.iter())
            .filter(|t| account_id.is_none_or(|a| a == t.account_id))
            .collect();
        accounts.sort_by(|a, b| a.code.cmp(&b.code).then(a.account_id.cmp(&b.account_id)));
        accounts.dedup_by(|a, b| a.account_id == b.account_id);

        let mut out = Vec::with_capacity(accounts.len());
        for acc in accounts {
            let t = account_type(&acc.account_type)?;
            let open = opening
                .iter()
                .find(|o| o.account_id == acc.account_id)
                .map_or(0, |o| o.debit - o.credit);
            let mut running = open;
            let (mut dsum, mut csum) = (0i64, 0i64);
            let mut views = Vec::new();
            for l in lines.iter().filter(|l| l.account_id == acc.account_id) {
                running += l.debit - l.credit;
                dsum += l.debit;
                csum += l.credit;
                views.push(LedgerLineView {
                    entry_id: l.entry_id.clone(),
                    number: l.number.clone(),
                    date: l.date.clone(),
                    memo: l.memo.clone(),
                    reference: l.reference.clone(),
                    description: l.description.clone(),
                    contact_id: l.contact_id.clone(),
                    debit: Amount::new(l.debit, cur),
                    credit: Amount::new(l.credit, cur),
                    running_balance: Amount::new(t.natural_balance(running), cur),
                });
            }
            out.push(LedgerAccount {
                account_id: acc.account_id.clone(),
                code: acc.code.clone(),
                name: acc.name.clone(),
                account_type: acc.account_type.clone(),
                opening_balance: Amount::new(t.natural_balance(open), cur),
                total_debit: Amount::new(dsum, cur),
                total_credit: Amount::new(csum, cur),
                closing_balance: Amount::new(t.natural_balance(running), cur),
                lines: views,
            });
        }
        // The account asked for is shown even when nothing touched it.
        if let (Some(a), true) = (named, out.is_empty()) {
            let zero = Amount::new(0, cur);
            out.push(LedgerAccount {
                account_id: a.id,
                code: a.code,
                name: a.name,
                account_type: a.account_type,
                opening_balance: zero.clone(),
                total_debit: zero.clone(),
                total_credit: zero.clone(),
                closing_balance: zero,
                lines: Vec::new(),
            });
        }
        Ok(GeneralLedger {
            date_from: from,
            date_to: to,
            currency: cur.code().into(),
            accounts: out,
        })
    }

    /// A customer's or vendor's statement: what they owed (or were owed)
    /// before the range, each posting to the receivable (or payable) in
    /// it with the balance after it, and what is owed at its end. The
    /// range defaults to the fiscal year to date.
    pub async fn contact_statement(
        &self,
        ctx: &AuthContext,
        party: Party,
        contact_id: &str,
        date_from: Option<&str>,
        date_to: Option<&str>,
    ) -> ServiceResult<ContactStatement> {
        let cur = ctx.currency()?;
        let (from, to) = range(ctx, date_from, date_to)?;
        let field = match party {
            Party::Customer => "customer_id",
            Party::Vendor => "vendor_id",
        };
        let mut conn = self.store.read_conn().await?;
        let contact =
            ferrobooks_store::contacts::get_contact(&mut *conn, party, ctx.org_id(), contact_id)
                .await?
                .ok_or_else(|| {
                    ServiceError::invalid(
                        field,
                        format!("{} {contact_id} does not exist", party.noun()),
                    )
                })?;
        let side = match party {
            Party::Customer => ferrobooks_domain::document::Side::Sale,
            Party::Vendor => ferrobooks_domain::document::Side::Purchase,
        };
        let control =
            crate::documents::posting::system_account(&mut conn, ctx, side.control_account())
                .await?;
        let (lines, (d0, c0)) = store::contact_lines(
            &mut conn,
            ctx.org_id(),
            contact_id,
            &control,
            (&from.to_string(), &to.to_string()),
        )
        .await?;
        // Owed to us on the receivable (debits), by us on the payable.
        let sign = if side.control_debit() { 1 } else { -1 };
        let opening = sign * (d0 - c0);
        let mut balance = opening;
        let rows = lines
            .into_iter()
            .map(|l| {
                balance += sign * (l.debit - l.credit);
                StatementEntry {
                    date: l.date,
                    entry_id: l.entry_id,
                    reference: l.reference,
                    memo: l.memo,
                    debit: Amount::new(l.debit, cur),
                    credit: Amount::new(l.credit, cur),
                    balance: Amount::new(balance, cur),
                }
            })
            .collect();
        Ok(ContactStatement {
            contact_id: contact.contact.id,
            contact_name: contact.contact.name,
            date_from: from.to_string(),
            date_to: to.to_string(),
            currency: cur.code().into(),
            opening_balance: Amount::new(opening, cur),
            lines: rows,
            closing_balance: Amount::new(balance, cur),
        })
    }
}

/// A report's range: `date_to` default today, `date_from` default the
/// start of its fiscal year; the first not after the second.
pub(crate) fn range(
    ctx: &AuthContext,
    date_from: Option<&str>,
    date_to: Option<&str>,
) -> ServiceResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    let to = match date_to {
        Some(d) => parse_date("date_to", d)?,
        None => today(),
    };
    let from = match date_from {
        Some(d) => parse_date("date_from", d)?,
        None => fiscal_year_start_for(to, parse_fiscal_year_start(&ctx.org.fiscal_year_start)?),
    };
    if from > to {
        return Err(ServiceError::invalid(
            "date_from",
            "must not be after date_to",
        ));
    }
    Ok((from, to))
}

/// A customer's or vendor's account with the organization over a range:
/// amounts in the base currency, balances positive when they owe us (a
/// customer) or we owe them (a vendor).
#[derive(Debug, Clone, Serialize)]
pub struct ContactStatement {
    pub contact_id: String,
    pub contact_name: String,
    pub date_from: String,
    pub date_to: String,
    pub currency: String,
    pub opening_balance: Amount,
    pub lines: Vec<StatementEntry>,
    pub closing_balance: Amount,
}

/// One posting to the contact's receivable or payable.
#[derive(Debug, Clone, Serialize)]
pub struct StatementEntry {
    pub date: String,
    pub entry_id: String,
    /// The document's number (or the entry's reference).
    pub reference: Option<String>,
    pub memo: Option<String>,
    pub debit: Amount,
    pub credit: Amount,
    /// After this line.
    pub balance: Amount,
}
