//! Budgets: a fiscal year's twelve months of amounts per income or expense
//! account, compared with what was posted; and a budget's status.
//!
//! ```text
//! draft -> active -> archived      (one active budget per year and branch)
//! draft -> archived
//! draft | archived -> deleted
//! ```

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::Minor;

crate::named_enum! {
    /// A budget's status.
    pub enum BudgetStatus "a budget status" {
        Draft = "draft",
        Active = "active",
        Archived = "archived",
    }
}

/// What can happen to a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetAction {
    Edit,
    Activate,
    Archive,
    Delete,
}

/// A move the budget's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a budget that is {} cannot be {}", .status, .action)]
pub struct WrongBudgetStatus {
    pub status: BudgetStatus,
    pub action: &'static str,
}

impl BudgetStatus {
    /// The status after `action` (`None`: the budget is gone), or why not.
    pub fn after(self, action: BudgetAction) -> Result<Option<BudgetStatus>, WrongBudgetStatus> {
        use BudgetAction as A;
        use BudgetStatus as S;
        match (self, action) {
            (S::Draft | S::Active, A::Edit) => Ok(Some(self)),
            (S::Draft, A::Activate) => Ok(Some(S::Active)),
            (S::Draft | S::Active, A::Archive) => Ok(Some(S::Archived)),
            (S::Draft | S::Archived, A::Delete) => Ok(None),
            (status, action) => Err(WrongBudgetStatus {
                status,
                action: match action {
                    A::Edit => "changed",
                    A::Activate => "activated",
                    A::Archive => "archived",
                    A::Delete => "deleted",
                },
            }),
        }
    }
}

crate::named_enum! {
    /// The columns of a budget-versus-actual report.
    pub enum Period "a report period" {
        Month = "month",
        Quarter = "quarter",
        Year = "year",
    }
}

impl Period {
    /// Months per column.
    pub fn months(self) -> usize {
        match self {
            Period::Month => 1,
            Period::Quarter => 3,
            Period::Year => 12,
        }
    }
}

/// The first and last day of month `i` (0 to 11) of the fiscal year that
/// starts on `start`.
pub fn fiscal_month(start: NaiveDate, i: u32) -> (NaiveDate, NaiveDate) {
    let from = start.checked_add_months(Months::new(i)).unwrap_or(start);
    let to = start
        .checked_add_months(Months::new(i + 1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start);
    (from, to)
}

/// Twelve monthly amounts added up by period: 12, 4 or 1 columns.
pub fn by_period(months: &[Minor; 12], period: Period) -> Vec<Minor> {
    months
        .chunks(period.months())
        .map(|c| c.iter().sum())
        .collect()
}

/// Variance (actual - budget) as a percent of the budget, to two
/// decimals; none when the budget is zero.
pub fn variance_percent(budget: Minor, actual: Minor) -> Option<Decimal> {
    (budget != 0).then(|| {
        (Decimal::from(actual - budget) * Decimal::from(100) / Decimal::from(budget).abs())
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// Last year's actuals adjusted by `percent` (10 is 10% more), each month
/// rounded half away from zero.
pub fn adjusted(months: &[Minor; 12], percent: Decimal) -> [Minor; 12] {
    let f = Decimal::ONE + percent / Decimal::from(100);
    months.map(|m| crate::money::round_minor(Decimal::from(m) * f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_variance() {
        let m = [100, 100, 100, 200, 200, 200, 300, 300, 300, 400, 400, 400];
        assert_eq!(by_period(&m, Period::Quarter), vec![300, 600, 900, 1200]);
        assert_eq!(by_period(&m, Period::Year), vec![3000]);
        assert_eq!(variance_percent(300, 330), Some(Decimal::new(1000, 2)));
        assert_eq!(variance_percent(0, 5), None);
        assert_eq!(adjusted(&[1000; 12], Decimal::from(10))[0], 1100);
        let start = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        assert_eq!(
            fiscal_month(start, 11),
            (
                NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
                NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()
            )
        );
    }

    #[test]
    fn one_can_only_activate_a_draft() {
        assert_eq!(
            BudgetStatus::Draft.after(BudgetAction::Activate),
            Ok(Some(BudgetStatus::Active))
        );
        assert!(BudgetStatus::Active.after(BudgetAction::Activate).is_err());
        assert!(BudgetStatus::Active.after(BudgetAction::Delete).is_err());
        assert!(BudgetStatus::Archived.after(BudgetAction::Edit).is_err());
        assert_eq!(BudgetStatus::Archived.after(BudgetAction::Delete), Ok(None));
    }
}
