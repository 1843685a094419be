//! Comparison columns for the statements: the same statement over the
//! periods before the one asked (`compare=month|quarter|year`,
//! `periods=N`), side by side, every account on one row with an amount
//! per column (zero where it did not move).

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::amount::Amount;
use crate::financials::StatementSection;
use crate::{ServiceError, ServiceResult};

/// How far apart the columns are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Month,
    Quarter,
    Year,
}

/// The columns asked: `periods` of them (the one asked last), `step`
/// apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compare {
    pub step: Step,
    pub periods: u32,
}

/// At most this many columns (three years of months).
pub const MAX_PERIODS: i64 = 36;

impl Compare {
    /// `compare` and `periods` as a client gives them; none without
    /// `compare`. `periods` defaults to 2 (the period and the one before).
    pub fn parse(compare: Option<&str>, periods: Option<i64>) -> ServiceResult<Option<Compare>> {
        let step = match compare {
            None if periods.is_some() => {
                return Err(ServiceError::invalid(
                    "periods",
                    "goes with compare=month, quarter or year",
                ));
            }
            None => return Ok(None),
            Some("month") => Step::Month,
            Some("quarter") => Step::Quarter,
            Some("year") => Step::Year,
            Some(other) => {
                return Err(ServiceError::invalid(
                    "compare",
                    format!("'{other}' is not month, quarter or year"),
                ));
            }
        };
        let periods = periods.unwrap_or(2);
        if !(1..=MAX_PERIODS).contains(&periods) {
            return Err(ServiceError::invalid(
                "periods",
                format!("must be from 1 to {MAX_PERIODS}"),
            ));
        }
        Ok(Some(Compare {
            step,
            periods: u32::try_from(periods).unwrap_or(2),
        }))
    }

    fn months(self) -> u32 {
        match self.step {
            Step::Month => 1,
            Step::Quarter => 3,
            Step::Year => 12,
        }
    }

    /// `d` moved `k` steps back; a month's last day stays the last day.
    pub fn back(self, d: NaiveDate, k: u32) -> ServiceResult<NaiveDate> {
        let month_end = d.succ_opt().is_some_and(|n| n.month() != d.month());
        let moved = d
            .checked_sub_months(Months::new(self.months() * k))
            .ok_or_else(|| ServiceError::invalid("compare", "reaches before the calendar"))?;
        if !month_end {
            return Ok(moved);
        }
        let first = moved.with_day(1).unwrap_or(moved);
        Ok(first
            .checked_add_months(Months::new(1))
            .and_then(|n| n.pred_opt())
            .unwrap_or(moved))
    }
}

/// One column: the period (or day) it covers.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub date_from: Option<String>,
    pub date_to: String,
}

/// An account (or computed line) across the columns.
#[derive(Debug, Clone, Serialize)]
pub struct CompareLine {
    pub account_id: Option<String>,
    pub code: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub depth: u32,
    pub subtotal: bool,
    pub amounts: Vec<Amount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompareSection {
    pub key: String,
    pub title: String,
    pub lines: Vec<CompareLine>,
    pub totals: Vec<Amount>,
}

/// A statement's own total (net profit, total assets) across the columns.
#[derive(Debug, Clone, Serialize)]
pub struct CompareTotal {
    pub name: String,
    pub amounts: Vec<Amount>,
}

/// The statement side by side, oldest column first.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub columns: Vec<Column>,
    pub sections: Vec<CompareSection>,
    pub totals: Vec<CompareTotal>,
}

/// One column's statement: its sections and its own totals.
pub(crate) struct ColumnOf {
    pub column: Column,
    pub sections: Vec<StatementSection>,
    pub totals: Vec<(&'static str, Amount)>,
}

/// Lays the columns' statements side by side.
pub(crate) fn side_by_side(cols: Vec<ColumnOf>, zero: &Amount) -> Comparison {
    let n = cols.len();
    let mut sections: Vec<CompareSection> = Vec::new();
    let mut totals: Vec<CompareTotal> = Vec::new();
    // The statement itself (the last column) sets the order; lines only
    // earlier columns have follow in their own order.
    for (c, col) in cols.iter().enumerate().rev() {
        for s in &col.sections {
            let i = match sections.iter().position(|x| x.key == s.key) {
                Some(i) => i,
                None => {
                    sections.push(CompareSection {
                        key: s.key.clone(),
                        title: s.title.clone(),
                        lines: Vec::new(),
                        totals: vec![zero.clone(); n],
                    });
                    sections.len() - 1
                }
            };
            let target = &mut sections[i];
            target.totals[c] = s.total.clone();
            for l in &s.lines {
                let same = |x: &&mut CompareLine| {
                    x.account_id == l.account_id && (l.account_id.is_some() || x.name == l.name)
                };
                match target.lines.iter_mut().find(same) {
                    Some(x) => x.amounts[c] = l.amount.clone(),
                    None => {
                        let mut amounts = vec![zero.clone(); n];
                        amounts[c] = l.amount.clone();
                        target.lines.push(CompareLine {
                            account_id: l.account_id.clone(),
                            code: l.code.clone(),
                            name: l.name.clone(),
                            parent_id: l.parent_id.clone(),
                            depth: l.depth,
                            subtotal: l.subtotal,
                            amounts,
                        });
                    }
                }
            }
        }
        for (name, amount) in &col.totals {
            match totals.iter_mut().find(|t| t.name == *name) {
                Some(t) => t.amounts[c] = amount.clone(),
                None => {
                    let mut amounts = vec![zero.clone(); n];
                    amounts[c] = amount.clone();
                    totals.push(CompareTotal {
                        name: (*name).to_owned(),
                        amounts,
                    });
                }
            }
        }
    }
    // A flat chart: accounts in code order, computed lines (no code) after
    // them. A tree keeps the statement's own order.
    for s in &mut sections {
        if s.lines.iter().all(|l| l.depth == 0 && !l.subtotal) {
            s.lines
                .sort_by(|a, b| (a.code.is_empty(), &a.code).cmp(&(b.code.is_empty(), &b.code)));
        }
    }
    Comparison {
        columns: cols.into_iter().map(|c| c.column).collect(),
        sections,
        totals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn steps_back_keep_month_ends() {
        let m = Compare {
            step: Step::Month,
            periods: 3,
        };
        assert_eq!(m.back(d("2026-03-31"), 1).unwrap(), d("2026-02-28"));
        assert_eq!(m.back(d("2026-03-15"), 1).unwrap(), d("2026-02-15"));
        assert_eq!(m.back(d("2026-03-01"), 2).unwrap(), d("2026-01-01"));
        let q = Compare {
            step: Step::Quarter,
            periods: 2,
        };
        assert_eq!(q.back(d("2026-06-30"), 1).unwrap(), d("2026-03-31"));
        let y = Compare {
            step: Step::Year,
            periods: 2,
        };
        assert_eq!(y.back(d("2024-02-29"), 1).unwrap(), d("2023-02-28"));
    }

    #[test]
    fn parse_refuses_what_it_cannot_do() {
        assert!(Compare::parse(None, None).unwrap().is_none());
        assert!(Compare::parse(None, Some(3)).is_err());
        assert!(Compare::parse(Some("week"), None).is_err());
        assert!(Compare::parse(Some("month"), Some(0)).is_err());
        assert!(Compare::parse(Some("month"), Some(37)).is_err());
        assert_eq!(
            Compare::parse(Some("year"), None).unwrap().unwrap().periods,
            2
        );
    }
}
