//! The native API's shapes of the profit and loss and the balance sheet,
//! translated field by field from the use cases' own types.

use crate::views::comparison::Comparison;
use crate::views::money::Amount;
use ferrobooks_service::financials as svc;
use serde::Serialize;

use crate::routes::report_formats::{Cell, Table, names};

/// One account's amount on its section's side; a computed line (current
/// year earnings) names no account.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatementSection {
    /// income, cost_of_sales, expenses; assets, liabilities, equity;
    /// operating, investing, financing.
    pub key: String,
    pub title: String,
    pub lines: Vec<StatementLine>,
    pub total: Amount,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProfitAndLoss {
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    pub currency: String,
    /// Income, cost of sales (expense accounts of subtype direct_cost),
    /// expenses.
    pub sections: Vec<StatementSection>,
    /// Income less cost of sales.
    pub gross_profit: Amount,
    /// Income less every expense.
    pub net_profit: Amount,
    /// With `compare`: this statement and the ones before it, side by side.
    pub comparison: Option<Comparison>,
}

/// Income, expenses and profit of a year or a month, and what invoices
/// still had open at its end.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FinancialSummary {
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    pub currency: String,
    pub income: Amount,
    /// Cost of sales and every other expense.
    pub expenses: Amount,
    pub profit: Amount,
    /// What approved invoices still had open on `date_to` (today while the
    /// period runs), in the base currency.
    pub outstanding_invoices: Amount,
}

impl From<svc::FinancialSummary> for FinancialSummary {
    fn from(v: svc::FinancialSummary) -> Self {
        let svc::FinancialSummary {
            date_from,
            date_to,
            currency,
            income,
            expenses,
            profit,
            outstanding_invoices,
        } = v;
        FinancialSummary {
            date_from,
            date_to,
            currency,
            income: income.into(),
            expenses: expenses.into(),
            profit: profit.into(),
            outstanding_invoices: outstanding_invoices.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BalanceSheet {
    #[schema(format = Date)]
    pub as_of: String,
    pub currency: String,
    /// The start of the fiscal year `as_of` falls in.
    #[schema(format = Date)]
    pub fiscal_year_start: String,
    /// Assets, liabilities, equity.
    pub sections: Vec<StatementSection>,
    pub total_assets: Amount,
    /// Always equal to `total_assets`.
    pub total_liabilities_and_equity: Amount,
    /// With `compare`: this balance sheet and the ones before it (each
    /// column as of the same day a month, quarter or year earlier).
    pub comparison: Option<Comparison>,
}

impl From<svc::StatementLine> for StatementLine {
    fn from(v: svc::StatementLine) -> Self {
        let svc::StatementLine {
            account_id,
            code,
            name,
            subtype,
            amount,
            parent_id,
            depth,
            subtotal,
        } = v;
        StatementLine {
            account_id,
            code,
            name,
            subtype,
            amount: amount.into(),
            parent_id,
            depth,
            subtotal,
        }
    }
}

impl From<svc::StatementSection> for StatementSection {
    fn from(v: svc::StatementSection) -> Self {
        let svc::StatementSection {
            key,
            title,
            lines,
            total,
        } = v;
        StatementSection {
            key,
            title,
            lines: lines.into_iter().map(Into::into).collect(),
            total: total.into(),
        }
    }
}

impl From<svc::ProfitAndLoss> for ProfitAndLoss {
    fn from(v: svc::ProfitAndLoss) -> Self {
        let svc::ProfitAndLoss {
            date_from,
            date_to,
            currency,
            sections,
            gross_profit,
            net_profit,
            comparison,
        } = v;
        ProfitAndLoss {
            date_from,
            date_to,
            currency,
            sections: sections.into_iter().map(Into::into).collect(),
            gross_profit: gross_profit.into(),
            net_profit: net_profit.into(),
            comparison: comparison.map(Into::into),
        }
    }
}

impl From<svc::BalanceSheet> for BalanceSheet {
    fn from(v: svc::BalanceSheet) -> Self {
        let svc::BalanceSheet {
            as_of,
            currency,
            fiscal_year_start,
            sections,
            total_assets,
            total_liabilities_and_equity,
            comparison,
        } = v;
        BalanceSheet {
            as_of,
            currency,
            fiscal_year_start,
            sections: sections.into_iter().map(Into::into).collect(),
            total_assets: total_assets.into(),
            total_liabilities_and_equity: total_liabilities_and_equity.into(),
            comparison: comparison.map(Into::into),
        }
    }
}

/// The statement of cash flows (indirect method).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CashFlow {
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    pub currency: String,
    /// operating (net profit first, then non-cash charges and working
    /// capital), investing, financing: each line an account's movement as
    /// it moved cash (an increase in receivables negative, in payables
    /// positive).
    pub sections: Vec<StatementSection>,
    pub net_profit: Amount,
    /// The three sections together: the movement of the bank and cash
    /// accounts.
    pub net_change_in_cash: Amount,
    /// Bank and cash accounts the day before `date_from`.
    pub opening_cash: Amount,
    /// Bank and cash accounts on `date_to`: opening plus the net change.
    pub closing_cash: Amount,
}

impl From<ferrobooks_service::cash_flow::CashFlow> for CashFlow {
    fn from(v: ferrobooks_service::cash_flow::CashFlow) -> Self {
        let ferrobooks_service::cash_flow::CashFlow {
            date_from,
            date_to,
            currency,
            sections,
            net_profit,
            net_change_in_cash,
            opening_cash,
            closing_cash,
        } = v;
        CashFlow {
            date_from,
            date_to,
            currency,
            sections: sections.into_iter().map(Into::into).collect(),
            net_profit: net_profit.into(),
            net_change_in_cash: net_change_in_cash.into(),
            opening_cash: opening_cash.into(),
            closing_cash: closing_cash.into(),
        }
    }
}

/// A statement as a table: `section,code,name,amount` per line, each
/// section's total, then the statement's own totals.
pub(crate) fn statement_table(
    title: &'static str,
    sections: &[StatementSection],
    totals: &[(&str, &Amount)],
) -> Table {
    let mut rows = Vec::new();
    for s in sections {
        for l in &s.lines {
            rows.push(vec![
                Cell::text(&s.key),
                Cell::text(&l.code),
                Cell::text(&l.name),
                Cell::Amount(l.amount.as_str().to_owned()),
            ]);
        }
        rows.push(vec![
            Cell::text(&s.key),
            Cell::text(""),
            Cell::text(format!("Total {}", s.title)),
            Cell::Amount(s.total.as_str().to_owned()),
        ]);
    }
    for (name, amount) in totals {
        rows.push(vec![
            Cell::text(""),
            Cell::text(""),
            Cell::text(*name),
            Cell::Amount(amount.as_str().to_owned()),
        ]);
    }
    Table {
        title,
        columns: names(&["section", "code", "name", "amount"]),
        rows,
    }
}
