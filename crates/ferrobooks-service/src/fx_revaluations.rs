//! Unrealized FX: revalue foreign-currency balances at closing rates on a
//! date (../shared/DOMAIN.md section 1).
//!
//! What is revalued: every account kept in another currency than the
//! base (its balance on the date, from the per-day balances), and open
//! foreign-currency items in the receivable and payable control accounts:
//! invoices and bills (what allocations dated up to the date had not
//! settled) and payments (what they had not applied). Each moves to
//! balance x rate in base; the differences post against Unrealized
//! Exchange Gain/Loss (7907) on the date, and the exact mirror posts the
//! next day, so the books carry the original rates again and settlements
//! realize FX as before.

use std::collections::BTreeMap;

use ferrobooks_domain::{Currency, EntryLine, fx};
use ferrobooks_store::revaluations::{self as store, RevaluationRow};
use ferrobooks_store::{new_id, now};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText};
use crate::documents::model::parse_rate;
use crate::documents::posting::{line, post_lines, system_account};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, parse_date};

/// One revalued balance, as kept (minor units).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    item: String,
    item_id: String,
    account_id: String,
    contact_id: Option<String>,
    currency: String,
    balance: i64,
    carried: i64,
    difference: i64,
}

/// One revalued balance.
#[derive(Debug, Clone, Serialize)]
pub struct RevaluedLine {
    /// account, invoice, bill or payment.
    pub item: String,
    /// The account's id, or the invoice's, bill's or payment's.
    pub item_id: String,
    /// The account the difference posts to (the item's, or the
    /// receivable or payable control account).
    pub account_id: String,
    pub contact_id: Option<String>,
    pub currency: String,
    /// The balance in its currency (debit positive).
    pub balance: Amount,
    /// What the books carried it at in base.
    pub carried: Amount,
    /// Balance x rate in base.
    pub revalued: Amount,
    /// revalued - carried: a debit when positive.
    pub difference: Amount,
}

/// A revaluation as answered.
#[derive(Debug, Clone, Serialize)]
pub struct RevaluationView {
    pub id: String,
    pub date: String,
    /// The closing rates used: base per unit of each currency.
    pub rates: BTreeMap<String, String>,
    pub lines: Vec<RevaluedLine>,
    /// The sum of the differences: a gain when positive.
    pub total: Amount,
    /// Posted on `date`; none when nothing moved.
    pub journal_entry_id: Option<String>,
    /// Its mirror, posted the next day.
    pub reversal_entry_id: Option<String>,
    pub created_at: String,
}

/// A revaluation to post.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRevaluation {
    pub date: String,
    /// Closing rates, base per unit: one for each currency the books hold
    /// on the date.
    pub rates: BTreeMap<String, DecimalText>,
}

fn view(r: RevaluationRow, base: Currency) -> ServiceResult<RevaluationView> {
    let corrupt = |_| ServiceError::internal(format!("revaluation {} is corrupt", r.id));
    Ok(RevaluationView {
        rates: serde_json::from_str(&r.rates).map_err(corrupt)?,
        lines: serde_json::from_str::<Vec<Stored>>(&r.lines)
            .map_err(corrupt)?
            .into_iter()
            .map(|l| {
                let cur = Currency::parse(&l.currency).unwrap_or(base);
                RevaluedLine {
                    balance: Amount::new(l.balance, cur),
                    carried: Amount::new(l.carried, base),
                    revalued: Amount::new(l.carried + l.difference, base),
                    difference: Amount::new(l.difference, base),
                    item: l.item,
                    item_id: l.item_id,
                    account_id: l.account_id,
                    contact_id: l.contact_id,
                    currency: l.currency,
                }
            })
            .collect(),
        total: Amount::new(r.total, base),
        id: r.id,
        date: r.date,
        journal_entry_id: r.journal_entry_id,
        reversal_entry_id: r.reversal_entry_id,
        created_at: r.created_at,
    })
}

impl Services {
    pub async fn create_fx_revaluation(
        &self,
        ctx: &AuthContext,
        input: NewRevaluation,
    ) -> ServiceResult<RevaluationView> {
        let base = ctx.currency()?;
        let date = parse_date("date", &input.date)?;
        let next_day = date
            .succ_opt()
            .ok_or_else(|| ServiceError::invalid("date", "has no next day"))?
            .to_string();
        let date = date.to_string();
        let mut rates: BTreeMap<String, (Currency, Decimal)> = BTreeMap::new();
        for (code, r) in &input.rates {
            let field = format!("rates.{code}");
            let cur = Currency::parse(code).map_err(|_| {
                ServiceError::invalid(&field, format!("'{code}' is not a currency"))
            })?;
            if cur == base {
                return Err(ServiceError::invalid(
                    &field,
                    format!("{code} is the base currency"),
                ));
            }
            let rate = parse_rate(r).map_err(|e| e.renamed("exchange_rate", &field))?;
            rates.insert(cur.code().to_owned(), (cur, rate));
        }
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let rate_of = |code: &str, what: &str| {
            rates.get(code).copied().ok_or_else(|| {
                ServiceError::invalid(
                    format!("rates.{code}"),
                    format!("is required: {what} is in {code}"),
                )
            })
        };
        let mut lines = Vec::new();
        let mut postings: Vec<EntryLine> = Vec::new();
        let mut add = |item: &str,
                       item_id: &str,
                       account: &str,
                       contact: Option<&str>,
                       cur: Currency,
                       rate: Decimal,
                       balance: i64,
                       carried: i64|
         -> ServiceResult<()> {
            let difference = fx::revaluation(balance, carried, cur, rate, base)?;
            if difference == 0 {
                return Ok(());
            }
            let mut l = line(
                account,
                difference.abs(),
                difference > 0,
                contact,
                Some("FX revaluation"),
            );
            if item == "account" {
                l = l.in_currency(cur.code(), 0);
            }
            postings.push(l);
            lines.push(Stored {
                item: item.to_owned(),
                item_id: item_id.to_owned(),
                account_id: account.to_owned(),
                contact_id: contact.map(str::to_owned),
                currency: cur.code().to_owned(),
                balance,
                carried,
                difference,
            });
            Ok(())
        };
        for a in store::foreign_accounts_on(&mut *conn, ctx.org_id(), base.code(), &date).await? {
            if a.balance == 0 && a.base_balance == 0 {
                continue;
            }
            let (cur, rate) = rate_of(&a.currency, &format!("account {}", a.account_id))?;
            add(
                "account",
                &a.account_id,
                &a.account_id,
                None,
                cur,
                rate,
                a.balance,
                a.base_balance,
            )?;
        }
        let receivable = system_account(conn, ctx, "accounts_receivable").await?;
        let payable = system_account(conn, ctx, "accounts_payable").await?;
        for i in store::open_foreign_items(&mut *conn, ctx.org_id(), base.code(), &date).await? {
            if i.open == 0 && i.base_open == 0 {
                continue;
            }
            let (cur, rate) = rate_of(&i.currency, &format!("{} {}", i.kind, i.id))?;
            // Signed as the control account holds it, debit positive: an
            // invoice or an advance to a vendor is a debit, a bill or a
            // customer's unapplied payment a credit.
            let (account, sign) = match (i.kind.as_str(), i.side.as_str()) {
                ("invoice", _) => (&receivable, 1),
                ("bill", _) => (&payable, -1),
                (_, "sale") => (&receivable, -1),
                _ => (&payable, 1),
            };
            add(
                &i.kind,
                &i.id,
                account,
                Some(&i.contact_id),
                cur,
                rate,
                sign * i.open,
                sign * i.base_open,
            )?;
        }
        let total: i64 = postings.iter().map(|l| l.debit - l.credit).sum();
        let at = now();
        let id = new_id("fxr");
        let (entry, reversal) = if postings.is_empty() {
            (None, None)
        } else {
            let unrealized = system_account(conn, ctx, "fx_unrealized").await?;
            postings.push(line(
                &unrealized,
                total.abs(),
                total < 0,
                None,
                Some("FX revaluation"),
            ));
            let entry = post_lines(
                conn,
                ctx,
                &format!("fx_revaluation {id}"),
                &date,
                format!("FX revaluation on {date}"),
                None,
                postings,
            )
            .await?;
            let reversal = match &entry {
                Some(je) => Some(
                    crate::journal::reverse_entry(conn, ctx, je, Some(&next_day), false).await?,
                ),
                None => None,
            };
            (entry, reversal)
        };
        let row = RevaluationRow {
            id,
            organization_id: ctx.org_id().to_owned(),
            date,
            rates: serde_json::to_string(
                &rates
                    .iter()
                    .map(|(c, (_, r))| (c.clone(), r.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            )
            .map_err(ServiceError::internal)?,
            lines: serde_json::to_string(&lines).map_err(ServiceError::internal)?,
            total,
            journal_entry_id: entry,
            reversal_entry_id: reversal,
            created_at: at,
        };
        store::insert_revaluation(conn, &row).await?;
        let v = view(row, base)?;
        self.emit(conn, ctx, "fx_revaluation.created", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_fx_revaluation(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<RevaluationView> {
        let row = store::get_revaluation(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("revaluation"))?;
        view(row, ctx.currency()?)
    }

    pub async fn list_fx_revaluations(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<RevaluationView>> {
        let base = ctx.currency()?;
        let rows = store::list_revaluations(
            self.store.pool(),
            ctx.org_id(),
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.id);
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|r| view(r, base))
                .collect::<Result<_, _>>()?,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }
}
