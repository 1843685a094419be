//! Subscriptions: which invoice periods fall due, and a subscription's
//! status.
//!
//! Period `k` (from 0) is issued on start + k intervals (a month clamped
//! to a shorter month's end). A subscription ends after `count` invoices
//! or when the next period would start after `end`.
//!
//! ```text
//! active <-> paused       (periods falling in a pause are skipped)
//! active | paused -> cancelled
//! active -> expired       (the last period was issued)
//! ```

use chrono::{Days, Months, NaiveDate};

crate::named_enum! {
    /// How often a subscription invoices.
    pub enum Interval "a subscription interval" {
        Weekly = "weekly",
        Monthly = "monthly",
        Quarterly = "quarterly",
        Yearly = "yearly",
    }
}

/// The date period `k` is issued on.
pub fn period_date(start: NaiveDate, interval: Interval, k: u32) -> NaiveDate {
    let months = |m: u32| start.checked_add_months(Months::new(m * k));
    match interval {
        Interval::Weekly => start.checked_add_days(Days::new(7 * u64::from(k))),
        Interval::Monthly => months(1),
        Interval::Quarterly => months(3),
        Interval::Yearly => months(12),
    }
    .unwrap_or(NaiveDate::MAX)
}

/// A subscription's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub start: NaiveDate,
    pub interval: Interval,
    /// At most this many invoices.
    pub count: Option<u32>,
    /// No period starts after this date.
    pub end: Option<NaiveDate>,
}

impl Schedule {
    /// Whether period `k` exists at all.
    pub fn has(&self, k: u32) -> bool {
        self.count.is_none_or(|c| k < c)
            && self
                .end
                .is_none_or(|e| period_date(self.start, self.interval, k) <= e)
    }

    /// The periods from `next` on that are due by `through`, with their
    /// dates.
    pub fn due(&self, next: u32, through: NaiveDate) -> Vec<(u32, NaiveDate)> {
        let mut out = Vec::new();
        let mut k = next;
        while self.has(k) {
            let d = period_date(self.start, self.interval, k);
            if d > through {
                break;
            }
            out.push((k, d));
            k += 1;
        }
        out
    }

    /// The first period on or after `date` (a resume skips the periods
    /// that fell in the pause).
    pub fn first_from(&self, next: u32, date: NaiveDate) -> u32 {
        let mut k = next;
        while self.has(k) && period_date(self.start, self.interval, k) < date {
            k += 1;
        }
        k
    }
}

crate::named_enum! {
    /// A subscription's status.
    pub enum SubscriptionStatus "a subscription status" {
        Active = "active",
        Paused = "paused",
        Cancelled = "cancelled",
        Expired = "expired",
    }
}

/// What can happen to a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionAction {
    Pause,
    Resume,
    Cancel,
    /// Its last period was issued.
    Expire,
}

/// A move the subscription's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a subscription that is {} cannot be {}", .status, .action)]
pub struct WrongSubscriptionStatus {
    pub status: SubscriptionStatus,
    pub action: &'static str,
}

impl SubscriptionStatus {
    /// The status after `action`, or why not.
    pub fn after(
        self,
        action: SubscriptionAction,
    ) -> Result<SubscriptionStatus, WrongSubscriptionStatus> {
        use SubscriptionAction as A;
        use SubscriptionStatus as S;
        match (self, action) {
            (S::Active, A::Pause) => Ok(S::Paused),
            (S::Paused, A::Resume) => Ok(S::Active),
            (S::Active | S::Paused, A::Cancel) => Ok(S::Cancelled),
            (S::Active, A::Expire) => Ok(S::Expired),
            (status, action) => Err(WrongSubscriptionStatus {
                status,
                action: match action {
                    A::Pause => "paused",
                    A::Resume => "resumed",
                    A::Cancel => "cancelled",
                    A::Expire => "expired",
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

    #[test]
    fn periods_fall_due_once_and_stop_at_the_count() {
        let s = Schedule {
            start: d("2026-01-31"),
            interval: Interval::Monthly,
            count: Some(3),
            end: None,
        };
        assert_eq!(s.due(0, d("2026-01-30")), vec![]);
        assert_eq!(
            s.due(0, d("2026-03-01")),
            vec![(0, d("2026-01-31")), (1, d("2026-02-28"))]
        );
        // After downtime: everything missed, nothing past the count.
        assert_eq!(
            s.due(1, d("2027-01-01")),
            vec![(1, d("2026-02-28")), (2, d("2026-03-31"))]
        );
        assert!(!s.has(3));
        let e = Schedule {
            start: d("2026-01-01"),
            interval: Interval::Weekly,
            count: None,
            end: Some(d("2026-01-20")),
        };
        assert_eq!(e.due(0, d("2027-01-01")).len(), 3);
        assert_eq!(e.first_from(0, d("2026-01-09")), 2);
    }

    #[test]
    fn statuses_refuse_the_wrong_move() {
        assert_eq!(
            SubscriptionStatus::Active.after(SubscriptionAction::Pause),
            Ok(SubscriptionStatus::Paused)
        );
        assert!(
            SubscriptionStatus::Active
                .after(SubscriptionAction::Resume)
                .is_err()
        );
        assert!(
            SubscriptionStatus::Cancelled
                .after(SubscriptionAction::Cancel)
                .is_err()
        );
        assert!(
            SubscriptionStatus::Paused
                .after(SubscriptionAction::Expire)
                .is_err()
        );
        assert!(Interval::parse("interval", "fortnightly").is_err());
    }
}
