//! Payroll arithmetic: an employee's pay for a period from their pay rate
//! and the organization's pay items, and a run's status
//! (../shared/DOMAIN.md section 6).
//!
//! Gross = base pay (a salary's share of the year for the period, pro
//! rata to the days employed in it; hours x rate when hourly) + earnings.
//! Deductions and employer contributions are a percent of gross or a fixed
//! amount each. Net = gross - deductions, never negative. Every amount is
//! rounded half away from zero once, where it is worked out.
//!
//! ```text
//! draft -> approved (posts) -> paid (the net pay leaves the bank)
//! draft -> deleted
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::money::round_minor;
use crate::{DomainError, Minor};

crate::named_enum! {
    /// How an employee is paid.
    pub enum PayType "a pay type" {
        Salary = "salary",
        Hourly = "hourly",
    }
}

crate::named_enum! {
    /// How often an employee is paid.
    pub enum PayFrequency "a pay frequency" {
        Weekly = "weekly",
        Biweekly = "biweekly",
        Semimonthly = "semimonthly",
        Monthly = "monthly",
    }
}

impl PayFrequency {
    /// Pay periods in a year.
    pub fn periods(self) -> u32 {
        match self {
            PayFrequency::Weekly => 52,
            PayFrequency::Biweekly => 26,
            PayFrequency::Semimonthly => 24,
            PayFrequency::Monthly => 12,
        }
    }
}

crate::named_enum! {
    /// What a pay item does to pay.
    pub enum ItemKind "a pay item kind" {
        /// Adds to gross pay (an allowance, a bonus).
        Earning = "earning",
        /// Withheld from the employee's pay (income tax, their social
        /// security share).
        Deduction = "deduction",
        /// Paid by the employer on top (their social security share).
        EmployerContribution = "employer_contribution",
    }
}

crate::named_enum! {
    /// How a pay item's amount is worked out.
    pub enum Calculation "a calculation" {
        /// Percent of base pay (earnings) or of gross pay (the others).
        Percent = "percent",
        /// The same amount for every employee in every run.
        Fixed = "fixed",
    }
}

/// A pay item as the arithmetic needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub kind: ItemKind,
    pub calculation: Calculation,
    /// Percent, or minor units when fixed.
    pub value: Decimal,
}

/// One item's amount on one payslip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemAmount {
    pub item_id: String,
    pub kind: ItemKind,
    pub amount: Minor,
}

/// One employee's pay for a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub base: Minor,
    pub gross: Minor,
    pub deductions: Minor,
    pub employer: Minor,
    pub net: Minor,
    pub items: Vec<ItemAmount>,
}

/// How an employee is paid, for one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pay {
    pub pay_type: PayType,
    /// A salary a year, or an hourly rate, in minor units.
    pub rate: Minor,
    pub frequency: PayFrequency,
    pub hired: NaiveDate,
    pub terminated: Option<NaiveDate>,
}

/// Days of `from..=to` the employee was employed.
fn days_employed(pay: &Pay, from: NaiveDate, to: NaiveDate) -> i64 {
    let start = from.max(pay.hired);
    let end = pay.terminated.map_or(to, |t| to.min(t));
    ((end - start).num_days() + 1).max(0)
}

/// Base pay for the period `from..=to`: a salary's share for one period of
/// its frequency, pro rata to the days employed in the period; hours x
/// rate when hourly (hours required).
pub fn base_pay(
    pay: &Pay,
    from: NaiveDate,
    to: NaiveDate,
    hours: Option<Decimal>,
) -> Result<Minor, DomainError> {
    match pay.pay_type {
        PayType::Hourly => {
            let h = hours.ok_or_else(|| {
                DomainError::invalid("hours", "is required for an hourly employee")
            })?;
            if h < Decimal::ZERO || h > Decimal::from(744) {
                return Err(DomainError::invalid("hours", "must be 0 to 744"));
            }
            Ok(round_minor(Decimal::from(pay.rate) * h))
        }
        PayType::Salary => {
            if hours.is_some() {
                return Err(DomainError::invalid(
                    "hours",
                    "is for hourly employees; a salary is paid by the period",
                ));
            }
            let period_days = (to - from).num_days() + 1;
            let employed = days_employed(pay, from, to);
            let per_period = Decimal::from(pay.rate) / Decimal::from(pay.frequency.periods());
            Ok(round_minor(
                per_period * Decimal::from(employed) / Decimal::from(period_days),
            ))
        }
    }
}

fn item_amount(item: &Item, of: Minor) -> Minor {
    match item.calculation {
        Calculation::Percent => round_minor(Decimal::from(of) * item.value / Decimal::from(100)),
        Calculation::Fixed => round_minor(item.value),
    }
}

/// The payslip for `base` pay under `items`: earnings on base, then
/// deductions and employer contributions on gross. A slip whose
/// deductions pass its gross is refused.
pub fn slip(base: Minor, items: &[Item]) -> Result<Slip, DomainError> {
    let mut out = Vec::new();
    let mut gross = base;
    for i in items.iter().filter(|i| i.kind == ItemKind::Earning) {
        let a = item_amount(i, base);
        gross += a;
        out.push(ItemAmount {
            item_id: i.id.clone(),
            kind: i.kind,
            amount: a,
        });
    }
    let (mut deductions, mut employer) = (0, 0);
    for i in items.iter().filter(|i| i.kind != ItemKind::Earning) {
        let a = item_amount(i, gross);
        if i.kind == ItemKind::Deduction {
            deductions += a;
        } else {
            employer += a;
        }
        out.push(ItemAmount {
            item_id: i.id.clone(),
            kind: i.kind,
            amount: a,
        });
    }
    if deductions > gross {
        return Err(DomainError::invalid(
            "pay_item_ids",
            format!(
                "deductions of {deductions} pass gross pay of {gross} (minor units): net pay would be negative"
            ),
        ));
    }
    Ok(Slip {
        base,
        gross,
        deductions,
        employer,
        net: gross - deductions,
        items: out,
    })
}

crate::named_enum! {
    /// A payroll run's status.
    pub enum RunStatus "a payroll run status" {
        Draft = "draft",
        Approved = "approved",
        Paid = "paid",
    }
}

/// What can happen to a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunAction {
    Approve,
    Pay,
    Delete,
}

/// A move the run's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a payroll run that is {} cannot be {}", .status, .action)]
pub struct WrongRunStatus {
    pub status: RunStatus,
    pub action: &'static str,
}

impl RunStatus {
    /// The status after `action` (`None`: the run is gone), or why not.
    pub fn after(self, action: RunAction) -> Result<Option<RunStatus>, WrongRunStatus> {
        match (self, action) {
            (RunStatus::Draft, RunAction::Approve) => Ok(Some(RunStatus::Approved)),
            (RunStatus::Draft, RunAction::Delete) => Ok(None),
            (RunStatus::Approved, RunAction::Pay) => Ok(Some(RunStatus::Paid)),
            (status, action) => Err(WrongRunStatus {
                status,
                action: match action {
                    RunAction::Approve => "approved",
                    RunAction::Pay => "paid",
                    RunAction::Delete => "deleted",
                },
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn salaried(rate: Minor) -> Pay {
        Pay {
            pay_type: PayType::Salary,
            rate,
            frequency: PayFrequency::Monthly,
            hired: d("2020-01-01"),
            terminated: None,
        }
    }

    #[test]
    fn salary_by_the_period_pro_rata_to_days_employed() {
        let p = salaried(6_000_000);
        assert_eq!(
            base_pay(&p, d("2026-11-01"), d("2026-11-30"), None).unwrap(),
            500_000
        );
        // Hired on the 16th of a 30-day month: 15 days.
        let p = Pay {
            hired: d("2026-11-16"),
            ..p
        };
        assert_eq!(
            base_pay(&p, d("2026-11-01"), d("2026-11-30"), None).unwrap(),
            250_000
        );
        // Left before the period.
        let p = Pay {
            terminated: Some(d("2026-10-31")),
            ..salaried(6_000_000)
        };
        assert_eq!(
            base_pay(&p, d("2026-11-01"), d("2026-11-30"), None).unwrap(),
            0
        );
        assert!(
            base_pay(
                &salaried(1),
                d("2026-11-01"),
                d("2026-11-30"),
                Some(Decimal::ONE)
            )
            .is_err()
        );
    }

    #[test]
    fn hourly_needs_hours() {
        let p = Pay {
            pay_type: PayType::Hourly,
            rate: 2_550,
            ..salaried(0)
        };
        assert_eq!(
            base_pay(
                &p,
                d("2026-11-01"),
                d("2026-11-30"),
                Some(Decimal::new(1605, 1))
            )
            .unwrap(),
            409_275
        );
        assert!(base_pay(&p, d("2026-11-01"), d("2026-11-30"), None).is_err());
        assert!(
            base_pay(
                &p,
                d("2026-11-01"),
                d("2026-11-30"),
                Some(Decimal::from(-1))
            )
            .is_err()
        );
    }

    #[test]
    fn a_slip_adds_earnings_then_takes_deductions_of_gross() {
        let items = vec![
            Item {
                id: "allow".into(),
                kind: ItemKind::Earning,
                calculation: Calculation::Fixed,
                value: Decimal::from(10_000),
            },
            Item {
                id: "tax".into(),
                kind: ItemKind::Deduction,
                calculation: Calculation::Percent,
                value: Decimal::from(10),
            },
            Item {
                id: "er".into(),
                kind: ItemKind::EmployerContribution,
                calculation: Calculation::Percent,
                value: Decimal::new(765, 2),
            },
        ];
        let s = slip(500_000, &items).unwrap();
        assert_eq!(
            (s.gross, s.deductions, s.employer, s.net),
            (510_000, 51_000, 39_015, 459_000)
        );
        let greedy = vec![Item {
            id: "x".into(),
            kind: ItemKind::Deduction,
            calculation: Calculation::Fixed,
            value: Decimal::from(600_000),
        }];
        assert!(slip(500_000, &greedy).is_err());
    }

    #[test]
    fn a_run_is_approved_once() {
        assert_eq!(
            RunStatus::Draft.after(RunAction::Approve),
            Ok(Some(RunStatus::Approved))
        );
        assert_eq!(
            RunStatus::Approved
                .after(RunAction::Approve)
                .unwrap_err()
                .to_string(),
            "a payroll run that is approved cannot be approved"
        );
        assert!(RunStatus::Draft.after(RunAction::Pay).is_err());
        assert!(RunStatus::Paid.after(RunAction::Delete).is_err());
    }
}
