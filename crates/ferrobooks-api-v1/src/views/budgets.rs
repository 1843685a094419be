//! The native API's budget shapes and the budget-versus-actual report,
//! translated field by field from and to the use cases' own types.

use crate::views::money::{Amount, DecimalText, Number};
use ferrobooks_service::budgets as svc;
use serde::{Deserialize, Serialize};

/// One account's twelve months.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLineInput {
    /// An income or expense account; once per budget.
    pub account_id: String,
    /// Exactly twelve amounts: the fiscal year's months in order.
    pub amounts: Vec<DecimalText>,
}

/// A new budget: `lines`, or `copy_actuals_from` (neither: an empty
/// draft).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Plan 2027", "fiscal_year": 2027, "copy_actuals_from": 2026, "adjust_percent": "10"}))]
pub struct NewBudget {
    pub name: String,
    /// The calendar year the fiscal year starts in (2026 with an April
    /// start: April 2026 to March 2027); 1900 to 2200.
    #[serde(deserialize_with = "ferrobooks_service::amount::whole_number")]
    #[schema(minimum = 1900, maximum = 2200)]
    pub fiscal_year: i64,
    /// A branch code; default the whole organization. Does not change.
    pub branch: Option<String>,
    pub lines: Option<Vec<BudgetLineInput>>,
    /// Instead of lines: that fiscal year's posted movement per income and
    /// expense account, month by month...
    #[serde(
        default,
        deserialize_with = "ferrobooks_service::amount::opt_whole_number"
    )]
    #[schema(minimum = 1900, maximum = 2200)]
    pub copy_actuals_from: Option<i64>,
    /// ...adjusted by this percent (-100 to 1000; 10 is 10% more).
    pub adjust_percent: Option<DecimalText>,
}

fn lines_in(lines: Option<Vec<BudgetLineInput>>) -> Option<Vec<svc::BudgetLineInput>> {
    lines.map(|ls| {
        ls.into_iter()
            .map(|l| svc::BudgetLineInput {
                account_id: l.account_id,
                amounts: l.amounts.into_iter().map(Into::into).collect(),
            })
            .collect()
    })
}

impl From<NewBudget> for svc::BudgetInput {
    fn from(v: NewBudget) -> Self {
        let NewBudget {
            name,
            fiscal_year,
            branch,
            lines,
            copy_actuals_from,
            adjust_percent,
        } = v;
        svc::BudgetInput {
            name: Some(name),
            fiscal_year: Some(fiscal_year),
            branch,
            lines: lines_in(lines),
            copy_actuals_from,
            adjust_percent: adjust_percent.map(Into::into),
        }
    }
}

/// What changes on a budget: its name, or all its lines (given, or copied
/// from a year's actuals). The year and branch do not change.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Plan 2027 (revised)"}))]
pub struct BudgetUpdate {
    pub name: Option<String>,
    pub lines: Option<Vec<BudgetLineInput>>,
    #[serde(
        default,
        deserialize_with = "ferrobooks_service::amount::opt_whole_number"
    )]
    #[schema(minimum = 1900, maximum = 2200)]
    pub copy_actuals_from: Option<i64>,
    pub adjust_percent: Option<DecimalText>,
}

impl From<BudgetUpdate> for svc::BudgetInput {
    fn from(v: BudgetUpdate) -> Self {
        let BudgetUpdate {
            name,
            lines,
            copy_actuals_from,
            adjust_percent,
        } = v;
        svc::BudgetInput {
            name,
            fiscal_year: None,
            branch: None,
            lines: lines_in(lines),
            copy_actuals_from,
            adjust_percent: adjust_percent.map(Into::into),
        }
    }
}

/// One account's months.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BudgetLineView {
    pub account_id: String,
    pub amounts: Vec<Amount>,
    pub total: Amount,
}

/// A budget.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BudgetView {
    pub id: String,
    pub name: String,
    pub fiscal_year: i64,
    #[schema(format = Date)]
    pub period_start: String,
    #[schema(format = Date)]
    pub period_end: String,
    pub branch: Option<String>,
    /// draft, active or archived.
    pub status: String,
    pub currency: String,
    pub lines: Vec<BudgetLineView>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::BudgetView> for BudgetView {
    fn from(v: svc::BudgetView) -> Self {
        let svc::BudgetView {
            id,
            name,
            fiscal_year,
            period_start,
            period_end,
            branch,
            status,
            currency,
            lines,
            created_at,
            updated_at,
        } = v;
        BudgetView {
            id,
            name,
            fiscal_year,
            period_start,
            period_end,
            branch,
            status,
            currency,
            lines: lines
                .into_iter()
                .map(|l| BudgetLineView {
                    account_id: l.account_id,
                    amounts: l.amounts.into_iter().map(Into::into).collect(),
                    total: l.total.into(),
                })
                .collect(),
            created_at,
            updated_at,
        }
    }
}

/// One column of the report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BudgetColumn {
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
}

/// One account's budget and actual in one column.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BudgetCell {
    pub budget: Amount,
    pub actual: Amount,
    /// actual - budget.
    pub variance: Amount,
    /// The variance as a percent of the budget, to 0.01; null when the
    /// budget is zero.
    pub variance_percent: Option<Number>,
}

impl From<svc::Cell> for BudgetCell {
    fn from(v: svc::Cell) -> Self {
        let svc::Cell {
            budget,
            actual,
            variance,
            variance_percent,
        } = v;
        BudgetCell {
            budget: budget.into(),
            actual: actual.into(),
            variance: variance.into(),
            variance_percent: variance_percent.map(Into::into),
        }
    }
}

/// One account's row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BudgetReportRow {
    pub account_id: String,
    pub code: String,
    pub name: String,
    /// income or expense.
    pub account_type: String,
    /// One per column.
    pub cells: Vec<BudgetCell>,
    pub total: BudgetCell,
}

/// Budget versus actual over a fiscal year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BudgetVsActual {
    pub budget_id: String,
    pub fiscal_year: i64,
    /// month, quarter or year.
    pub period: String,
    pub branch: Option<String>,
    pub currency: String,
    pub columns: Vec<BudgetColumn>,
    /// Every account budgeted or with movement, by code.
    pub rows: Vec<BudgetReportRow>,
}

impl From<svc::BudgetVsActual> for BudgetVsActual {
    fn from(v: svc::BudgetVsActual) -> Self {
        let svc::BudgetVsActual {
            budget_id,
            fiscal_year,
            period,
            branch,
            currency,
            columns,
            rows,
        } = v;
        BudgetVsActual {
            budget_id,
            fiscal_year,
            period,
            branch,
            currency,
            columns: columns
                .into_iter()
                .map(|c| BudgetColumn {
                    from: c.from,
                    to: c.to,
                })
                .collect(),
            rows: rows
                .into_iter()
                .map(|r| BudgetReportRow {
                    account_id: r.account_id,
                    code: r.code,
                    name: r.name,
                    account_type: r.account_type,
                    cells: super::each(r.cells),
                    total: r.total.into(),
                })
                .collect(),
        }
    }
}
