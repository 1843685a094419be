//! Fixed assets: how much each month depreciates under each method, down
//! to the residual value and never below it (../shared/DOMAIN.md
//! section 6), and an asset's status.
//!
//! Months count from the month of acquisition (a full month's charge for
//! it). Each method's month:
//!
//! - straight line: (cost - residual) x months done / life, rounded, less
//!   what is already charged, so the roundings never drift;
//! - declining balance: the year's opening net book value x (k / life in
//!   years) / 12, or straight line over the months left when that is
//!   larger;
//! - written-down value (Companies Act): the year's opening net book value
//!   x r / 12, r = 1 - (residual / cost)^(1 / life in years), rounded to
//!   0.01%;
//! - Indian income-tax block: once a fiscal year, in its last month, the
//!   opening written-down value x the block's rate, halved in the year of
//!   acquisition when the asset was used under 180 days of it.
//!
//! Years are years of use (twelve months from acquisition), except the
//! income-tax block's, which are fiscal years. The last month of life takes
//! the net book value to the residual exactly.
//!
//! ```text
//! active -> fully_depreciated   (the residual is reached)
//! active | fully_depreciated -> disposed
//! ```

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::prelude::MathematicalOps;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::money::round_minor as round;
use crate::{DomainError, Minor};

crate::named_enum! {
    /// A depreciation method.
    pub enum Method "a depreciation method" {
        StraightLine = "straight_line",
        DecliningBalance = "declining_balance",
        WrittenDownValue = "written_down_value",
        IncomeTaxBlock = "income_tax_block",
    }
}

/// The income-tax block rates of the Indian Income-tax Act's usual blocks,
/// percent a year.
pub fn block_rate(block: &str) -> Option<Decimal> {
    match block {
        "plant" | "plant_machinery" => Some(Decimal::from(15)),
        "furniture" => Some(Decimal::from(10)),
        "computers" => Some(Decimal::from(40)),
        "buildings" => Some(Decimal::from(10)),
        "intangibles" => Some(Decimal::from(25)),
        _ => None,
    }
}

/// What an asset depreciates on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub cost: Minor,
    pub residual: Minor,
    /// Useful life in months (not used by the income-tax block).
    pub life_months: u32,
    pub method: Method,
    /// Declining balance: k (2 is double declining). Income-tax block: the
    /// block's rate, percent a year. Otherwise unused.
    pub factor: Decimal,
    pub acquired: NaiveDate,
    /// The month (1-12) the fiscal year starts in.
    pub fiscal_year_start: u32,
}

/// One month of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    /// 0 for the month of acquisition.
    pub index: u32,
    /// The month's last day: the entry's date.
    pub end: NaiveDate,
    pub charge: Minor,
    /// Charged up to and including this month.
    pub accumulated: Minor,
    pub net_book_value: Minor,
}

/// The last day of the month `index` months after `acquired`'s.
pub fn month_end(acquired: NaiveDate, index: u32) -> NaiveDate {
    let first = acquired.with_day(1).unwrap_or(acquired);
    first
        .checked_add_months(Months::new(index + 1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// Months from `acquired`'s month to `date`'s month whose last day is on or
/// before `date`: how many months have ended by then.
pub fn months_ended(acquired: NaiveDate, date: NaiveDate) -> u32 {
    let months =
        (date.year() - acquired.year()) * 12 + date.month() as i32 - acquired.month() as i32;
    let ended = if month_end(date, 0) == date {
        months + 1
    } else {
        months
    };
    u32::try_from(ended.max(0)).unwrap_or(0)
}

impl Terms {
    /// Checks the terms: a positive cost, a residual from zero to the cost,
    /// a life of 1 to 1,200 months (the income-tax block needs none), a
    /// declining factor above 0 up to 10, a block rate above 0 up to 100,
    /// and a written-down value with a residual above zero (its rate is
    /// worked out from it).
    pub fn new(
        cost: Minor,
        residual: Minor,
        life_months: u32,
        method: Method,
        factor: Decimal,
        acquired: NaiveDate,
        fiscal_year_start: u32,
    ) -> Result<Terms, DomainError> {
        if cost <= 0 {
            return Err(DomainError::invalid("cost", "must be greater than zero"));
        }
        if residual < 0 || residual > cost {
            return Err(DomainError::invalid(
                "residual_value",
                "must be from zero to the cost",
            ));
        }
        if method != Method::IncomeTaxBlock && !(1..=1200).contains(&life_months) {
            return Err(DomainError::invalid(
                "useful_life_months",
                "must be 1 to 1200 months",
            ));
        }
        match method {
            Method::DecliningBalance if factor <= Decimal::ZERO || factor > Decimal::from(10) => {
                return Err(DomainError::invalid(
                    "declining_factor",
                    "must be above 0 and at most 10 (2 is double declining)",
                ));
            }
            Method::IncomeTaxBlock if factor <= Decimal::ZERO || factor > Decimal::from(100) => {
                return Err(DomainError::invalid(
                    "block_rate",
                    "must be a percentage above 0 and at most 100",
                ));
            }
            Method::WrittenDownValue if residual == 0 => {
                return Err(DomainError::invalid(
                    "residual_value",
                    "must be above zero for written_down_value: the rate is worked out from it",
                ));
            }
            _ => {}
        }
        Ok(Terms {
            cost,
            residual,
            life_months,
            method,
            factor,
            acquired,
            fiscal_year_start: fiscal_year_start.clamp(1, 12),
        })
    }

    /// The written-down-value rate: 1 - (residual / cost)^(1 / years),
    /// rounded to four decimals (45.07% for a 5% residual over 5 years).
    pub fn wdv_rate(&self) -> Decimal {
        if self.residual == 0 || self.life_months == 0 {
            return Decimal::ONE;
        }
        let ratio = Decimal::from(self.residual) / Decimal::from(self.cost);
        let years = Decimal::from(self.life_months) / Decimal::from(12);
        let root = ratio
            .checked_powd(Decimal::ONE / years)
            .unwrap_or(Decimal::ZERO);
        (Decimal::ONE - root).round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
    }

    /// The annual rate the method applies, when it has one.
    pub fn annual_rate(&self) -> Option<Decimal> {
        match self.method {
            Method::StraightLine => None,
            Method::DecliningBalance => {
                Some(self.factor * Decimal::from(12) / Decimal::from(self.life_months))
            }
            Method::WrittenDownValue => Some(self.wdv_rate()),
            Method::IncomeTaxBlock => Some(self.factor / Decimal::from(100)),
        }
    }

    fn depreciable(&self) -> Minor {
        self.cost - self.residual
    }

    /// Whether the month `index` is the last of a fiscal year.
    fn ends_fiscal_year(&self, index: u32) -> bool {
        let end = month_end(self.acquired, index);
        end.month() % 12 + 1 == self.fiscal_year_start
    }

    /// Days the asset is used in the fiscal year it was acquired in.
    fn days_in_first_fiscal_year(&self) -> i64 {
        let mut i = 0;
        while !self.ends_fiscal_year(i) {
            i += 1;
        }
        (month_end(self.acquired, i) - self.acquired).num_days() + 1
    }

    /// The months from acquisition up to `months` of them (or to the end
    /// of the asset's depreciation, whichever comes first); a month that
    /// charges nothing (the income-tax block outside its fiscal year's
    /// last month) is left out.
    pub fn schedule(&self, months: u32) -> Vec<Month> {
        let mut out = Vec::new();
        let mut accumulated: Minor = 0;
        let mut year_open = self.cost;
        let first_year_days = self.days_in_first_fiscal_year();
        let mut fiscal_years = 0u32;
        for index in 0..months {
            let nbv = self.cost - accumulated;
            let room = nbv - self.residual;
            if room <= 0 {
                break;
            }
            if index.is_multiple_of(12) {
                year_open = nbv;
            }
            let charge = match self.method {
                Method::StraightLine => {
                    let done = Minor::from(index + 1).min(Minor::from(self.life_months));
                    round(
                        Decimal::from(self.depreciable()) * Decimal::from(done)
                            / Decimal::from(self.life_months),
                    ) - accumulated
                }
                Method::DecliningBalance | Method::WrittenDownValue => {
                    let rate = self.annual_rate().unwrap_or_default();
                    let by_rate = round(Decimal::from(year_open) * rate / Decimal::from(12));
                    let left = self.life_months.saturating_sub(index).max(1);
                    let last = left == 1;
                    let straight = round(Decimal::from(room) / Decimal::from(left));
                    if last {
                        room
                    } else if self.method == Method::DecliningBalance {
                        by_rate.max(straight)
                    } else {
                        by_rate
                    }
                }
                Method::IncomeTaxBlock => {
                    if !self.ends_fiscal_year(index) {
                        continue;
                    }
                    fiscal_years += 1;
                    let mut rate = self.factor / Decimal::from(100);
                    if fiscal_years == 1 && first_year_days < 180 {
                        rate /= Decimal::from(2);
                    }
                    round(Decimal::from(nbv) * rate)
                }
            }
            .clamp(0, room);
            if charge == 0 {
                continue;
            }
            accumulated += charge;
            out.push(Month {
                index,
                end: month_end(self.acquired, index),
                charge,
                accumulated,
                net_book_value: self.cost - accumulated,
            });
        }
        out
    }
}

crate::named_enum! {
    /// An asset's status.
    pub enum AssetStatus "an asset status" {
        Active = "active",
        FullyDepreciated = "fully_depreciated",
        Disposed = "disposed",
    }
}

/// What can happen to an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetAction {
    /// A month's depreciation, leaving `room` above the residual.
    Depreciate { room: Minor },
    /// Sold, scrapped or written off.
    Dispose,
}

/// A move the asset's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an asset that is {} cannot be {}", .status, .action)]
pub struct WrongAssetStatus {
    pub status: AssetStatus,
    pub action: &'static str,
}

impl AssetStatus {
    /// The status after `action`, or why not.
    pub fn after(self, action: AssetAction) -> Result<AssetStatus, WrongAssetStatus> {
        use AssetStatus as S;
        match (self, action) {
            (S::Active, AssetAction::Depreciate { room }) => Ok(if room == 0 {
                S::FullyDepreciated
            } else {
                S::Active
            }),
            (S::Active | S::FullyDepreciated, AssetAction::Dispose) => Ok(S::Disposed),
            (status, action) => Err(WrongAssetStatus {
                status,
                action: match action {
                    AssetAction::Depreciate { .. } => "depreciated",
                    AssetAction::Dispose => "disposed of",
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

    fn terms(method: Method, cost: Minor, residual: Minor, life: u32, factor: i64) -> Terms {
        Terms::new(
            cost,
            residual,
            life,
            method,
            Decimal::from(factor),
            d("2026-01-10"),
            1,
        )
        .unwrap()
    }

    #[test]
    fn straight_line_spreads_evenly_and_ends_at_the_residual() {
        let t = terms(Method::StraightLine, 2_400_000, 0, 24, 0);
        let s = t.schedule(100);
        assert_eq!(s.len(), 24);
        assert!(s.iter().all(|m| m.charge == 100_000));
        assert_eq!(s[0].end, d("2026-01-31"));
        assert_eq!(s[23].end, d("2027-12-31"));
        // Roundings never drift: 1,000.00 over 3 months.
        let t = terms(Method::StraightLine, 100_000, 0, 3, 0);
        let c: Vec<_> = t.schedule(10).iter().map(|m| m.charge).collect();
        assert_eq!(c, vec![33_333, 33_334, 33_333]);
    }

    #[test]
    fn the_companies_act_rate() {
        // A 5% residual over 5 years: 45.07%.
        let t = terms(Method::WrittenDownValue, 10_000_000, 500_000, 60, 0);
        assert_eq!(t.wdv_rate(), Decimal::new(4507, 4));
        let s = t.schedule(100);
        // The first year: 10,000,000 x 45.07% / 12 a month.
        assert_eq!(s[0].charge, 375_583);
        assert_eq!(s.last().unwrap().net_book_value, 500_000);
        assert_eq!(s.len(), 60);
        // The second year starts from the year's opening value.
        assert_eq!(
            s[12].charge,
            round(Decimal::from(s[11].net_book_value) * Decimal::new(4507, 4) / Decimal::from(12))
        );
    }

    #[test]
    fn declining_balance_switches_to_straight_line() {
        let t = terms(Method::DecliningBalance, 1_000_000, 100_000, 60, 2);
        let s = t.schedule(100);
        // 40% a year: 10,000.00 x 0.4 / 12.
        assert_eq!(s[0].charge, 33_333);
        // The rate reaches the residual before the life ends, and stops there.
        assert_eq!(s.last().unwrap().net_book_value, 100_000);
        assert!(s.len() < 60);
        // With no residual, straight line over what is left takes over.
        let t = terms(Method::DecliningBalance, 1_000_000, 0, 60, 2);
        let s = t.schedule(100);
        assert_eq!(s.len(), 60);
        let late = &s[50..];
        assert!(
            late.windows(2)
                .all(|w| (w[0].charge - w[1].charge).abs() <= 1),
            "{late:?}"
        );
    }

    #[test]
    fn income_tax_block_is_yearly_with_the_half_rate() {
        // Plant (15%) bought on 10 Jan 2026 in an April-March year: used
        // 81 days in FY 2025-26, so 7.5% that year.
        let t = Terms::new(
            1_000_000,
            0,
            0,
            Method::IncomeTaxBlock,
            Decimal::from(15),
            d("2026-01-10"),
            4,
        )
        .unwrap();
        let s = t.schedule(15);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].end, s[0].charge), (d("2026-03-31"), 75_000));
        assert_eq!((s[1].end, s[1].charge), (d("2027-03-31"), 138_750));
        // Bought in May: the full rate.
        let t = Terms::new(
            1_000_000,
            0,
            0,
            Method::IncomeTaxBlock,
            Decimal::from(15),
            d("2026-05-10"),
            4,
        )
        .unwrap();
        assert_eq!(t.schedule(12)[0].charge, 150_000);
    }

    #[test]
    fn months_ended_counts_whole_months() {
        let a = d("2026-01-10");
        assert_eq!(months_ended(a, d("2026-01-30")), 0);
        assert_eq!(months_ended(a, d("2026-01-31")), 1);
        assert_eq!(months_ended(a, d("2026-03-15")), 2);
        assert_eq!(months_ended(a, d("2025-12-31")), 0);
    }

    #[test]
    fn bad_terms_and_moves_are_refused() {
        let a = d("2026-01-01");
        assert!(Terms::new(0, 0, 12, Method::StraightLine, Decimal::ZERO, a, 1).is_err());
        assert!(Terms::new(100, 101, 12, Method::StraightLine, Decimal::ZERO, a, 1).is_err());
        assert!(Terms::new(100, 0, 0, Method::StraightLine, Decimal::ZERO, a, 1).is_err());
        assert!(Terms::new(100, 0, 12, Method::WrittenDownValue, Decimal::ZERO, a, 1).is_err());
        assert!(Terms::new(100, 0, 12, Method::DecliningBalance, Decimal::ZERO, a, 1).is_err());
        assert!(Terms::new(100, 0, 0, Method::IncomeTaxBlock, Decimal::ZERO, a, 4).is_err());
        assert!(Method::parse("method", "sum_of_digits").is_err());
        assert!(AssetStatus::Disposed.after(AssetAction::Dispose).is_err());
        assert!(
            AssetStatus::FullyDepreciated
                .after(AssetAction::Depreciate { room: 0 })
                .is_err()
        );
        assert_eq!(
            AssetStatus::Active.after(AssetAction::Depreciate { room: 0 }),
            Ok(AssetStatus::FullyDepreciated)
        );
    }

    proptest! {
        #[test]
        fn no_method_goes_below_the_residual(
            cost in 1i64..1_000_000_000,
            residual_pct in 0i64..100,
            life in 1u32..240,
            method in 0usize..3,
        ) {
            let method = Method::ALL[method];
            let residual = (cost * residual_pct / 100).max(if method == Method::WrittenDownValue { 1 } else { 0 });
            let t = Terms::new(cost, residual.min(cost), life, method, Decimal::from(2), d("2026-02-28"), 4).unwrap();
            let s = t.schedule(life + 12);
            let total: Minor = s.iter().map(|m| m.charge).sum();
            prop_assert_eq!(total, cost - residual.min(cost));
            prop_assert!(s.iter().all(|m| m.charge > 0 && m.net_book_value >= residual.min(cost)));
            prop_assert!(s.iter().all(|m| m.index < life));
        }
    }
}
