//! Loans: the equated instalment (EMI), the repayment schedule, how a
//! payment splits into interest and principal, and a loan's status
//! (../shared/DOMAIN.md section 6).
//!
//! Amounts are minor units of the loan's currency; the periodic rate is the
//! annual percentage over the instalments in a year. Each instalment's
//! interest is the opening balance x the periodic rate, rounded half away
//! from zero; its principal is the EMI less that interest; the last
//! instalment takes what is left, so every rounding lands there.
//!
//! ```text
//! active -> paid_off   (a payment takes the principal to zero)
//! active -> void       (nothing was paid yet: the drawdown is reversed)
//! ```

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use crate::money::round_minor as round;
use crate::{DomainError, Minor};

crate::named_enum! {
    /// How often an instalment falls due.
    pub enum Frequency "a repayment frequency" {
        Monthly = "monthly",
        Quarterly = "quarterly",
        HalfYearly = "half_yearly",
        Yearly = "yearly",
    }
}

impl Frequency {
    /// Months between two instalments.
    pub fn months(self) -> u32 {
        match self {
            Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::HalfYearly => 6,
            Frequency::Yearly => 12,
        }
    }
}

/// The `n`th due date after `start` (`n` = 1 is the first instalment),
/// clamped to the end of a shorter month.
pub fn due_date(start: NaiveDate, frequency: Frequency, n: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(frequency.months() * n))
        .unwrap_or(NaiveDate::MAX)
}

/// The terms a loan is made on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub principal: Minor,
    /// Percent a year (`12` is 12%).
    pub annual_rate: Decimal,
    /// Length of the loan in months: a whole number of instalments.
    pub term_months: u32,
    pub frequency: Frequency,
}

impl Terms {
    /// Checks the terms: a positive principal, a rate from 0 to 100%, and a
    /// term of at least one instalment that the frequency divides.
    pub fn new(
        principal: Minor,
        annual_rate: Decimal,
        term_months: u32,
        frequency: Frequency,
    ) -> Result<Terms, DomainError> {
        if principal <= 0 {
            return Err(DomainError::invalid(
                "principal",
                "must be greater than zero",
            ));
        }
        if annual_rate < Decimal::ZERO || annual_rate > Decimal::from(100) {
            return Err(DomainError::invalid(
                "annual_rate",
                "is a percentage from 0 to 100",
            ));
        }
        if annual_rate.normalize().scale() > 4 {
            return Err(DomainError::invalid(
                "annual_rate",
                "has more than 4 decimal places",
            ));
        }
        let m = frequency.months();
        if term_months == 0 || term_months > 600 || !term_months.is_multiple_of(m) {
            return Err(DomainError::invalid(
                "term_months",
                format!(
                    "must be 1 to 600 months and a whole number of {} instalments ({m} month{} each)",
                    frequency.as_str(),
                    if m == 1 { "" } else { "s" }
                ),
            ));
        }
        Ok(Terms {
            principal,
            annual_rate,
            term_months,
            frequency,
        })
    }

    pub fn instalments(&self) -> u32 {
        self.term_months / self.frequency.months()
    }

    /// The rate of one period: annual percent / 100 / periods a year.
    pub fn periodic_rate(&self) -> Decimal {
        periodic_rate(self.annual_rate, self.frequency)
    }

    /// The equated instalment over the whole term.
    pub fn emi(&self) -> Minor {
        emi(self.principal, self.periodic_rate(), self.instalments())
    }
}

/// The rate of one period of `frequency` at `annual_rate` percent a year.
pub fn periodic_rate(annual_rate: Decimal, frequency: Frequency) -> Decimal {
    annual_rate / Decimal::from(100) / Decimal::from(12 / frequency.months())
}

/// Interest on `balance` for one period at `rate`.
pub fn interest(balance: Minor, rate: Decimal) -> Minor {
    round(Decimal::from(balance) * rate)
}

/// EMI = P r / (1 - (1 + r)^-n), rounded half away from zero; with no
/// interest, P / n.
pub fn emi(principal: Minor, rate: Decimal, n: u32) -> Minor {
    let n = n.max(1);
    if rate.is_zero() {
        return round(Decimal::from(principal) / Decimal::from(n));
    }
    let one = Decimal::ONE;
    let mut growth = one;
    for _ in 0..n {
        growth *= one + rate;
    }
    // P r g / (g - 1), the same as P r / (1 - g^-1) without a division
    // that loses digits.
    round(Decimal::from(principal) * rate * growth / (growth - one))
}

/// One instalment of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instalment {
    pub number: u32,
    pub due: NaiveDate,
    pub opening: Minor,
    pub payment: Minor,
    pub interest: Minor,
    pub principal: Minor,
    pub closing: Minor,
}

/// The instalments still to pay on `outstanding`: `remaining` of them at
/// `emi`, the first numbered `first` and due on the `first`th due date
/// after `start`. The last one clears the balance.
pub fn schedule(
    outstanding: Minor,
    rate: Decimal,
    emi: Minor,
    remaining: u32,
    first: u32,
    start: NaiveDate,
    frequency: Frequency,
) -> Vec<Instalment> {
    let mut out = Vec::with_capacity(remaining as usize);
    let mut opening = outstanding;
    for k in 0..remaining {
        if opening <= 0 {
            break;
        }
        let number = first + k;
        let interest = interest(opening, rate);
        let principal = if k + 1 == remaining {
            opening
        } else {
            (emi - interest).clamp(0, opening)
        };
        out.push(Instalment {
            number,
            due: due_date(start, frequency, number),
            opening,
            payment: principal + interest,
            interest,
            principal,
            closing: opening - principal,
        });
        opening -= principal;
    }
    out
}

/// How a payment divides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub interest: Minor,
    pub principal: Minor,
    /// The payment is not the scheduled instalment (more or less
    /// principal), so the rest of the schedule is worked out again.
    pub reschedules: bool,
}

/// Splits the payment of the next instalment on `outstanding`: the
/// scheduled one when `amount` is absent; otherwise interest first and
/// the rest principal. A payment must cover the period's interest and
/// cannot pay more than is owed.
pub fn split(
    outstanding: Minor,
    rate: Decimal,
    emi: Minor,
    remaining: u32,
    amount: Option<Minor>,
) -> Result<Split, DomainError> {
    let interest = interest(outstanding, rate);
    let scheduled_principal = if remaining <= 1 {
        outstanding
    } else {
        (emi - interest).clamp(0, outstanding)
    };
    let Some(amount) = amount else {
        return Ok(Split {
            interest,
            principal: scheduled_principal,
            reschedules: false,
        });
    };
    if amount <= 0 {
        return Err(DomainError::invalid("amount", "must be greater than zero"));
    }
    let owed = outstanding + interest;
    if amount > owed {
        return Err(DomainError::invalid(
            "amount",
            format!(
                "is more than is owed: {owed} in minor units (principal {outstanding} + this period's interest {interest})"
            ),
        ));
    }
    if amount < interest {
        return Err(DomainError::invalid(
            "amount",
            format!("must cover at least this period's interest, {interest} in minor units"),
        ));
    }
    let principal = amount - interest;
    Ok(Split {
        interest,
        principal,
        reschedules: principal != scheduled_principal,
    })
}

crate::named_enum! {
    /// A loan's status.
    pub enum LoanStatus "a loan status" {
        Active = "active",
        PaidOff = "paid_off",
        Void = "void",
    }
}

/// What can happen to a loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoanAction {
    /// A payment, leaving `left` principal outstanding.
    Pay { left: Minor },
    /// The loan is taken out of the books (only before any payment).
    Void,
}

/// A move the loan's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a loan that is {} cannot {}", .status, .action)]
pub struct WrongLoanStatus {
    pub status: LoanStatus,
    pub action: &'static str,
}

impl LoanStatus {
    /// The status after `action`, or why not.
    pub fn after(self, action: LoanAction) -> Result<LoanStatus, WrongLoanStatus> {
        match (self, action) {
            (LoanStatus::Active, LoanAction::Pay { left }) => Ok(if left == 0 {
                LoanStatus::PaidOff
            } else {
                LoanStatus::Active
            }),
            (LoanStatus::Active, LoanAction::Void) => Ok(LoanStatus::Void),
            (status, action) => Err(WrongLoanStatus {
                status,
                action: match action {
                    LoanAction::Pay { .. } => "take a payment",
                    LoanAction::Void => "be voided",
                },
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_worked_example_of_domain_md() {
        // 100,000.00 at 12% a year over 12 months.
        let t = Terms::new(10_000_000, Decimal::from(12), 12, Frequency::Monthly).unwrap();
        assert_eq!(t.emi(), 888_488);
        let s = schedule(
            10_000_000,
            t.periodic_rate(),
            t.emi(),
            12,
            1,
            d("2026-01-15"),
            t.frequency,
        );
        assert_eq!(s.len(), 12);
        assert_eq!((s[0].interest, s[0].principal), (100_000, 788_488));
        assert_eq!(s[0].due, d("2026-02-15"));
        assert_eq!(s[11].closing, 0);
        assert_eq!(s[11].due, d("2027-01-15"));
        let total_principal: Minor = s.iter().map(|i| i.principal).sum();
        assert_eq!(total_principal, 10_000_000);
        // Every instalment but the last is the EMI; the last takes the rounding.
        assert!(s[..11].iter().all(|i| i.payment == 888_488));
        assert!((s[11].payment - 888_488).abs() < 12);
    }

    #[test]
    fn a_payment_splits_interest_first() {
        let r = periodic_rate(Decimal::from(12), Frequency::Monthly);
        let s = split(10_000_000, r, 888_488, 12, None).unwrap();
        assert_eq!(
            (s.interest, s.principal, s.reschedules),
            (100_000, 788_488, false)
        );
        let s = split(10_000_000, r, 888_488, 12, Some(2_000_000)).unwrap();
        assert_eq!(
            (s.interest, s.principal, s.reschedules),
            (100_000, 1_900_000, true)
        );
        assert!(split(10_000_000, r, 888_488, 12, Some(10_100_001)).is_err());
        assert_eq!(
            split(10_000_000, r, 888_488, 12, Some(10_100_000))
                .unwrap()
                .principal,
            10_000_000
        );
        assert!(split(10_000_000, r, 888_488, 12, Some(99_999)).is_err());
        assert!(split(10_000_000, r, 888_488, 12, Some(0)).is_err());
    }

    #[test]
    fn bad_terms_are_refused() {
        assert!(Terms::new(0, Decimal::from(5), 12, Frequency::Monthly).is_err());
        assert!(Terms::new(100, Decimal::from(101), 12, Frequency::Monthly).is_err());
        assert!(Terms::new(100, Decimal::from(-1), 12, Frequency::Monthly).is_err());
        assert!(Terms::new(100, Decimal::from(5), 10, Frequency::Quarterly).is_err());
        assert!(Terms::new(100, Decimal::from(5), 0, Frequency::Monthly).is_err());
        assert!(Frequency::parse("frequency", "fortnightly").is_err());
    }

    #[test]
    fn statuses_refuse_the_wrong_move() {
        assert_eq!(
            LoanStatus::Active.after(LoanAction::Pay { left: 0 }),
            Ok(LoanStatus::PaidOff)
        );
        assert_eq!(
            LoanStatus::Active.after(LoanAction::Pay { left: 5 }),
            Ok(LoanStatus::Active)
        );
        assert!(
            LoanStatus::PaidOff
                .after(LoanAction::Pay { left: 0 })
                .is_err()
        );
        assert!(LoanStatus::Void.after(LoanAction::Void).is_err());
        assert_eq!(
            LoanStatus::PaidOff
                .after(LoanAction::Void)
                .unwrap_err()
                .to_string(),
            "a loan that is paid_off cannot be voided"
        );
    }

    proptest! {
        #[test]
        fn a_schedule_repays_exactly_the_principal(
            principal in 1i64..10_000_000_000,
            rate_bp in 0u32..3000,
            n in 1u32..361,
        ) {
            let rate = Decimal::new(i64::from(rate_bp), 2);
            let t = Terms::new(principal, rate, n, Frequency::Monthly).unwrap();
            let s = schedule(principal, t.periodic_rate(), t.emi(), n, 1, d("2026-01-31"), t.frequency);
            let paid: Minor = s.iter().map(|i| i.principal).sum();
            prop_assert_eq!(paid, principal);
            prop_assert_eq!(s.last().unwrap().closing, 0);
            for i in &s {
                prop_assert!(i.principal >= 0 && i.interest >= 0);
                prop_assert_eq!(i.payment, i.principal + i.interest);
            }
        }
    }
}
