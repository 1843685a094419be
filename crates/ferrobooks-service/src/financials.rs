//! The profit and loss and the balance sheet (../shared/DOMAIN.md section
//! 2), read from the per-day balances: their cost grows with accounts x
//! days, not with journal lines.
//!
//! Current-year earnings are computed from the fiscal year's start and
//! never posted; earlier years' earnings roll into retained earnings
//! without any posting, so Assets = Liabilities + Equity on every date.

use ferrobooks_domain::AccountType;
use ferrobooks_domain::org::{fiscal_year_start_for, parse_fiscal_year_start};
use ferrobooks_store::reports::{self as store, AccountTotals};

use crate::filters::{Filter, StatementFilter};
use serde::Serialize;

use crate::amount::Amount;
use crate::comparison::{Column, ColumnOf, Compare, Comparison, side_by_side};
use crate::{AuthContext, ServiceError, ServiceResult, Services, parse_date, today};

/// One account's amount on its section's side (income and liabilities
/// positive when credits exceed debits; assets and expenses when debits
/// do). A computed line (current-year earnings) names no account.
#[derive(Debug, Clone, Serialize)]
pub struct StatementLine {
    pub account_id: Option<String>,
    pub code: String,
    pub name: String,
    pub subtype: String,
    pub amount: Amount,
    /// The account's parent, or for a subtotal the parent it totals.
    pub parent_id: Option<String>,
    /// How many parents above it on the statement (0 at the top).
    pub depth: u32,
    /// A parent's subtotal: the parent and every account under it (not
    /// counted again in the section's total).
    pub subtotal: bool,
}

/// A section of a statement and its total.
#[derive(Debug, Clone, Serialize)]
pub struct StatementSection {
    /// `income`, `cost_of_sales`, `expenses`; `assets`, `liabilities`,
    /// `equity`.
    pub key: String,
    pub title: String,
    pub lines: Vec<StatementLine>,
    pub total: Amount,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfitAndLoss {
    pub date_from: String,
    pub date_to: String,
    pub currency: String,
    /// Income, cost of sales (expense accounts of subtype direct_cost),
    /// expenses.
    pub sections: Vec<StatementSection>,
    /// Income less cost of sales.
    pub gross_profit: Amount,
    /// Income less all expenses.
    pub net_profit: Amount,
    /// With `compare`: this statement and the ones before it, side by side.
    pub comparison: Option<Comparison>,
}

/// Income, expenses and profit of a year or a month, and what invoices
/// still had open at its end (the CRM surface's financial report).
#[derive(Debug, Clone, Serialize)]
pub struct FinancialSummary {
    pub date_from: String,
    pub date_to: String,
    pub currency: String,
    pub income: Amount,
    pub expenses: Amount,
    pub profit: Amount,
    /// Open on `date_to` (today when the period is still running).
    pub outstanding_invoices: Amount,
}

#[derive(Debug, Clone, Serialize)]
pub struct BalanceSheet {
    pub as_of: String,
    pub currency: String,
    /// The start of the fiscal year `as_of` falls in: current-year
    /// earnings run from it.
    pub fiscal_year_start: String,
    /// Assets, liabilities, equity (with retained earnings holding every
    /// earlier year's profit, and current-year earnings computed).
    pub sections: Vec<StatementSection>,
    pub total_assets: Amount,
    pub total_liabilities_and_equity: Amount,
    /// With `compare`: this balance sheet and the ones before it.
    pub comparison: Option<Comparison>,
}

fn kind(t: &AccountTotals) -> ServiceResult<AccountType> {
    crate::reports::account_type(&t.account_type)
}

/// The section line of an account, on its type's normal side.
pub(crate) fn line(
    t: &AccountTotals,
    amount: i64,
    cur: ferrobooks_domain::Currency,
) -> StatementLine {
    StatementLine {
        account_id: Some(t.account_id.clone()),
        code: t.code.clone(),
        name: t.name.clone(),
        subtype: t.subtype.clone(),
        amount: Amount::new(amount, cur),
        parent_id: t.parent_id.clone(),
        depth: 0,
        subtotal: false,
    }
}

pub(crate) fn section(
    key: &str,
    title: &str,
    lines: Vec<(StatementLine, i64)>,
    cur: ferrobooks_domain::Currency,
) -> (StatementSection, i64) {
    let total: i64 = lines.iter().map(|(_, a)| a).sum();
    (
        StatementSection {
            key: key.into(),
            title: title.into(),
            lines: lines.into_iter().map(|(l, _)| l).collect(),
            total: Amount::new(total, cur),
        },
        total,
    )
}

/// A line the statement computes (current-year earnings, net profit):
/// it names no account.
pub(crate) fn computed(
    name: &str,
    subtype: &str,
    amount: i64,
    cur: ferrobooks_domain::Currency,
) -> (StatementLine, i64) {
    (
        StatementLine {
            account_id: None,
            code: String::new(),
            name: name.into(),
            subtype: subtype.into(),
            amount: Amount::new(amount, cur),
            parent_id: None,
            depth: 0,
            subtotal: false,
        },
        amount,
    )
}

/// Profit (income less expenses, credits less debits) of P&L totals.
fn profit(totals: &[AccountTotals]) -> ServiceResult<i64> {
    let mut p = 0i64;
    for t in totals {
        if kind(t)?.is_profit_and_loss() {
            p += t.credit - t.debit;
        }
    }
    Ok(p)
}

impl Services {
    /// The accounts that have a parent or are one.
    pub(crate) async fn account_tree(
        &self,
        ctx: &AuthContext,
    ) -> ServiceResult<crate::hierarchy::Tree> {
        Ok(
            ferrobooks_store::accounts::account_tree(self.store.pool(), ctx.org_id())
                .await?
                .into_iter()
                .map(|(id, parent, code, name)| (id, (parent, code, name)))
                .collect(),
        )
    }

    /// Income and expenses of the posted lines dated in the range
    /// (default: the fiscal year to date).
    pub async fn profit_and_loss(
        &self,
        ctx: &AuthContext,
        date_from: Option<&str>,
        date_to: Option<&str>,
        compare: Option<Compare>,
        filter: &StatementFilter,
    ) -> ServiceResult<ProfitAndLoss> {
        let tree = self.account_tree(ctx).await?;
        let filter = self.statement_filter(ctx, filter, &tree).await?;
        let mut report = self
            .profit_and_loss_totals(ctx, date_from, date_to, &tree, &filter)
            .await?
            .0;
        if let Some(c) = compare {
            let (from, to) = (
                parse_date("date_from", &report.date_from)?,
                parse_date("date_to", &report.date_to)?,
            );
            let mut cols = Vec::new();
            for k in (1..c.periods).rev() {
                let (f, t) = (c.back(from, k)?.to_string(), c.back(to, k)?.to_string());
                let r = self
                    .profit_and_loss_totals(ctx, Some(&f), Some(&t), &tree, &filter)
                    .await?
                    .0;
                cols.push(pl_column(r));
            }
            let zero = Amount::new(0, ctx.currency()?);
            cols.push(pl_column(report.clone()));
            report.comparison = Some(side_by_side(cols, &zero));
        }
        Ok(report)
    }

    /// [`Services::profit_and_loss`], with its income and expenses (cost
    /// of sales included) in minor units; accounts nested by `tree` (read
    /// once per request, empty where no lines are shown).
    async fn profit_and_loss_totals(
        &self,
        ctx: &AuthContext,
        date_from: Option<&str>,
        date_to: Option<&str>,
        tree: &crate::hierarchy::Tree,
        filter: &Filter,
    ) -> ServiceResult<(ProfitAndLoss, i64, i64)> {
        let cur = ctx.currency()?;
        let (from, to) = crate::reports::range(ctx, date_from, date_to)?;
        let totals = self.totals_on(ctx, Some(from), to, filter).await?;
        let (mut income, mut cost, mut expenses) = (Vec::new(), Vec::new(), Vec::new());
        for t in &totals {
            let k = kind(t)?;
            if !k.is_profit_and_loss() || t.debit == t.credit {
                continue;
            }
            let amount = k.natural_balance(t.debit - t.credit);
            let target = match (k, t.subtype.as_str()) {
                (AccountType::Income, _) => &mut income,
                (_, "direct_cost") => &mut cost,
                _ => &mut expenses,
            };
            target.push((line(t, amount, cur), amount));
        }
        let nest = |l| crate::hierarchy::nest(l, tree, cur);
        let (income, ti) = section("income", "Income", nest(income), cur);
        let (cost, tc) = section("cost_of_sales", "Cost of sales", nest(cost), cur);
        let (expenses, te) = section("expenses", "Expenses", nest(expenses), cur);
        let report = ProfitAndLoss {
            date_from: from.to_string(),
            date_to: to.to_string(),
            currency: cur.code().into(),
            sections: vec![income, cost, expenses],
            gross_profit: Amount::new(ti - tc, cur),
            net_profit: Amount::new(ti - tc - te, cur),
            comparison: None,
        };
        Ok((report, ti, tc + te))
    }

    /// The summary of a calendar year (default this year) or of one of its
    /// months.
    pub async fn financial_summary(
        &self,
        ctx: &AuthContext,
        year: Option<i64>,
        month: Option<i64>,
    ) -> ServiceResult<FinancialSummary> {
        use chrono::{Datelike, NaiveDate};
        let cur = ctx.currency()?;
        let now = today();
        let year = match year {
            None => now.year(),
            Some(y) => i32::try_from(y)
                .ok()
                .filter(|y| (1900..=9999).contains(y))
                .ok_or_else(|| ServiceError::invalid("year", "must be from 1900 to 9999"))?,
        };
        let (from, to) = match month {
            None => (
                NaiveDate::from_ymd_opt(year, 1, 1),
                NaiveDate::from_ymd_opt(year, 12, 31),
            ),
            Some(m) if (1..=12).contains(&m) => {
                let m = u32::try_from(m).unwrap_or(1);
                let first = NaiveDate::from_ymd_opt(year, m, 1);
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(year, m + 1, 1)
                };
                (first, next.and_then(|d| d.pred_opt()))
            }
            Some(_) => return Err(ServiceError::invalid("month", "must be from 1 to 12")),
        };
        let (from, to) = from
            .zip(to)
            .ok_or_else(|| ServiceError::invalid("year", "is out of the calendar"))?;
        let (_, income, expenses) = self
            .profit_and_loss_totals(
                ctx,
                Some(&from.to_string()),
                Some(&to.to_string()),
                &crate::hierarchy::Tree::new(),
                &Filter::default(),
            )
            .await?;
        let end = to.min(now).max(from).to_string();
        let outstanding =
            store::outstanding_invoices(self.store.pool(), ctx.org_id(), &end).await?;
        Ok(FinancialSummary {
            date_from: from.to_string(),
            date_to: to.to_string(),
            currency: cur.code().into(),
            income: Amount::new(income, cur),
            expenses: Amount::new(expenses, cur),
            profit: Amount::new(income - expenses, cur),
            outstanding_invoices: Amount::new(outstanding, cur),
        })
    }

    /// Assets, liabilities and equity as of a date (default today).
    pub async fn balance_sheet(
        &self,
        ctx: &AuthContext,
        as_of: Option<&str>,
        compare: Option<Compare>,
        filter: &StatementFilter,
    ) -> ServiceResult<BalanceSheet> {
        let as_of = match as_of {
            Some(d) => parse_date("as_of", d)?,
            None => today(),
        };
        let tree = self.account_tree(ctx).await?;
        let filter = self.statement_filter(ctx, filter, &tree).await?;
        let mut report = self.balance_sheet_on(ctx, as_of, &tree, &filter).await?;
        if let Some(c) = compare {
            let mut cols = Vec::new();
            for k in (1..c.periods).rev() {
                cols.push(bs_column(
                    self.balance_sheet_on(ctx, c.back(as_of, k)?, &tree, &filter)
                        .await?,
                ));
            }
            cols.push(bs_column(report.clone()));
            report.comparison = Some(side_by_side(cols, &Amount::new(0, ctx.currency()?)));
        }
        Ok(report)
    }

    async fn balance_sheet_on(
        &self,
        ctx: &AuthContext,
        as_of: chrono::NaiveDate,
        tree: &crate::hierarchy::Tree,
        filter: &Filter,
    ) -> ServiceResult<BalanceSheet> {
        let cur = ctx.currency()?;
        let fy = fiscal_year_start_for(as_of, parse_fiscal_year_start(&ctx.org.fiscal_year_start)?);
        let day = as_of.to_string();
        let all = self.totals_on(ctx, None, as_of, filter).await?;
        // Earnings are computed from every income and expense account, so
        // a balance sheet narrowed to some accounts shows none.
        let (current, earlier) = if filter.by_account() {
            (0, 0)
        } else {
            let year = self.totals_on(ctx, Some(fy), as_of, filter).await?;
            let current = profit(&year)?;
            (current, profit(&all)? - current)
        };
        let (mut assets, mut liabilities, mut equity) = (Vec::new(), Vec::new(), Vec::new());
        let mut rolled = false;
        for t in &all {
            let k = kind(t)?;
            let mut amount = k.natural_balance(t.debit - t.credit);
            // Earlier years' profit sits in retained earnings, unposted.
            if k == AccountType::Equity && t.subtype == "retained_earnings" && !rolled {
                amount += earlier;
                rolled = true;
            }
            if amount == 0 {
                continue;
            }
            match k {
                AccountType::Asset => assets.push((line(t, amount, cur), amount)),
                AccountType::Liability => liabilities.push((line(t, amount, cur), amount)),
                AccountType::Equity => equity.push((line(t, amount, cur), amount)),
                AccountType::Income | AccountType::Expense => {}
            }
        }
        let computed = |name: &str, amount: i64| computed(name, "retained_earnings", amount, cur);
        if !rolled && earlier != 0 {
            equity.push(computed("Retained earnings (earlier years)", earlier));
        }
        if current != 0 {
            equity.push(computed("Current year earnings", current));
        }
        let nest = |l| crate::hierarchy::nest(l, tree, cur);
        let (assets, ta) = section("assets", "Assets", nest(assets), cur);
        let (liabilities, tl) = section("liabilities", "Liabilities", nest(liabilities), cur);
        let (equity, teq) = section("equity", "Equity", nest(equity), cur);
        Ok(BalanceSheet {
            as_of: day,
            currency: cur.code().into(),
            fiscal_year_start: fy.to_string(),
            sections: vec![assets, liabilities, equity],
            total_assets: Amount::new(ta, cur),
            total_liabilities_and_equity: Amount::new(tl + teq, cur),
            comparison: None,
        })
    }
}

fn pl_column(r: ProfitAndLoss) -> ColumnOf {
    ColumnOf {
        column: Column {
            date_from: Some(r.date_from),
            date_to: r.date_to,
        },
        sections: r.sections,
        totals: vec![
            ("Gross profit", r.gross_profit),
            ("Net profit", r.net_profit),
        ],
    }
}

fn bs_column(r: BalanceSheet) -> ColumnOf {
    ColumnOf {
        column: Column {
            date_from: None,
            date_to: r.as_of,
        },
        sections: r.sections,
        totals: vec![
            ("Total assets", r.total_assets),
            (
                "Total liabilities and equity",
                r.total_liabilities_and_equity,
            ),
        ],
    }
}
