//! The statement of cash flows (indirect method) over a range, from the
//! per-day balances like the other statements: net profit, then each
//! balance sheet account's movement (credit less debit) under operating,
//! investing or financing activities ([`Activity`]); the net change equals
//! the movement of the bank and cash accounts, shown with their opening
//! and closing balances.

use ferrobooks_domain::cash_flow::Activity;
use ferrobooks_store::reports as store;
use serde::Serialize;

use crate::amount::Amount;
use crate::financials::{StatementLine, StatementSection};
use crate::{AuthContext, ServiceResult, Services};

#[derive(Debug, Clone, Serialize)]
pub struct CashFlow {
    pub date_from: String,
    pub date_to: String,
    pub currency: String,
    /// Operating (net profit first, then non-cash charges and working
    /// capital), investing, financing; each line an account's movement as
    /// it moved cash (an increase in receivables negative).
    pub sections: Vec<StatementSection>,
    pub net_profit: Amount,
    /// The three sections' totals together.
    pub net_change_in_cash: Amount,
    /// Bank and cash accounts the day before `date_from` and on `date_to`.
    pub opening_cash: Amount,
    pub closing_cash: Amount,
}

impl Services {
    pub async fn cash_flow(
        &self,
        ctx: &AuthContext,
        date_from: Option<&str>,
        date_to: Option<&str>,
    ) -> ServiceResult<CashFlow> {
        let cur = ctx.currency()?;
        let (from, to) = crate::reports::range(ctx, date_from, date_to)?;
        let mut conn = self.store.begin_read().await?;
        let moved = store::account_totals(
            &mut *conn,
            ctx.org_id(),
            Some(&from.to_string()),
            &to.to_string(),
        )
        .await?;
        let opening = match from.pred_opt() {
            Some(before) => {
                store::account_totals(&mut *conn, ctx.org_id(), None, &before.to_string()).await?
            }
            None => Vec::new(),
        };
        drop(conn);
        let activity = |t: &store::AccountTotals| -> ServiceResult<Activity> {
            Ok(Activity::of(
                crate::reports::account_type(&t.account_type)?,
                &t.subtype,
            ))
        };
        let mut opening_cash = 0;
        for t in &opening {
            if activity(t)? == Activity::Cash {
                opening_cash += t.debit - t.credit;
            }
        }
        let (mut profit, mut cash_moved) = (0, 0);
        let mut lines: [Vec<(StatementLine, i64)>; 3] = Default::default();
        for t in &moved {
            let effect = t.credit - t.debit;
            let slot = match activity(t)? {
                Activity::Profit => {
                    profit += effect;
                    continue;
                }
                Activity::Cash => {
                    cash_moved -= effect;
                    continue;
                }
                Activity::Operating => 0,
                Activity::Investing => 1,
                Activity::Financing => 2,
            };
            if effect != 0 {
                lines[slot].push((crate::financials::line(t, effect, cur), effect));
            }
        }
        lines[0].insert(
            0,
            crate::financials::computed("Net profit", "net_profit", profit, cur),
        );
        let [operating, investing, financing] = lines;
        let (operating, a) =
            crate::financials::section("operating", "Operating activities", operating, cur);
        let (investing, b) =
            crate::financials::section("investing", "Investing activities", investing, cur);
        let (financing, c) =
            crate::financials::section("financing", "Financing activities", financing, cur);
        if a + b + c != cash_moved {
            return Err(crate::ServiceError::internal(format!(
                "the journal does not balance from {from} to {to}: activities {} against cash {cash_moved}",
                a + b + c
            )));
        }
        Ok(CashFlow {
            date_from: from.to_string(),
            date_to: to.to_string(),
            currency: cur.code().into(),
            sections: vec![operating, investing, financing],
            net_profit: Amount::new(profit, cur),
            net_change_in_cash: Amount::new(a + b + c, cur),
            opening_cash: Amount::new(opening_cash, cur),
            closing_cash: Amount::new(opening_cash + cash_moved, cur),
        })
    }
}
