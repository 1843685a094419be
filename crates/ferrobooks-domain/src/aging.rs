//! Aging buckets: how long past its due date an open amount is.

use chrono::NaiveDate;

/// The columns of an aging report, by days past due on the report's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bucket {
    /// Not yet due (or due on the day).
    Current,
    Days1To30,
    Days31To60,
    Days61To90,
    Over90,
}

impl Bucket {
    pub const ALL: [Bucket; 5] = [
        Bucket::Current,
        Bucket::Days1To30,
        Bucket::Days31To60,
        Bucket::Days61To90,
        Bucket::Over90,
    ];

    /// The bucket of an amount due on `due`, seen on `as_of`, and the days
    /// it is past due (negative while not due).
    pub fn of(due: NaiveDate, as_of: NaiveDate) -> (i64, Bucket) {
        let days = (as_of - due).num_days();
        let b = match days {
            ..=0 => Bucket::Current,
            1..=30 => Bucket::Days1To30,
            31..=60 => Bucket::Days31To60,
            61..=90 => Bucket::Days61To90,
            _ => Bucket::Over90,
        };
        (days, b)
    }

    /// The name in reports and their columns.
    pub fn key(self) -> &'static str {
        match self {
            Bucket::Current => "current",
            Bucket::Days1To30 => "days_1_30",
            Bucket::Days31To60 => "days_31_60",
            Bucket::Days61To90 => "days_61_90",
            Bucket::Over90 => "over_90",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn edges_fall_in_the_lower_bucket() {
        let due = d("2026-01-31");
        let cases = [
            ("2026-01-01", -30, Bucket::Current),
            ("2026-01-31", 0, Bucket::Current),
            ("2026-02-01", 1, Bucket::Days1To30),
            ("2026-03-02", 30, Bucket::Days1To30),
            ("2026-03-03", 31, Bucket::Days31To60),
            ("2026-04-01", 60, Bucket::Days31To60),
            ("2026-04-02", 61, Bucket::Days61To90),
            ("2026-05-01", 90, Bucket::Days61To90),
            ("2026-05-02", 91, Bucket::Over90),
        ];
        for (as_of, days, b) in cases {
            assert_eq!(Bucket::of(due, d(as_of)), (days, b), "{as_of}");
        }
    }
}
