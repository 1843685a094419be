//! The range of dates the books take.
//!
//! Every date that enters (a document's date, a filter) or is computed (a
//! due date from payment terms) lies in 1900-01-01 ..= 2199-12-31: wide
//! enough for any real ledger, narrow enough that every date the server
//! writes it can also read back (`+10000-01-30` is no date a client parses).

use chrono::NaiveDate;

use crate::DomainError;

/// The first date the books take.
pub const MIN_DATE: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date");
/// The last date the books take.
pub const MAX_DATE: NaiveDate = NaiveDate::from_ymd_opt(2199, 12, 31).expect("valid date");

/// `date` if it lies in the range, else an error naming `field`.
pub fn in_range(field: &str, date: NaiveDate) -> Result<NaiveDate, DomainError> {
    if (MIN_DATE..=MAX_DATE).contains(&date) {
        Ok(date)
    } else {
        Err(DomainError::invalid(
            field,
            format!("{date} is outside the dates the books take ({MIN_DATE} to {MAX_DATE})"),
        ))
    }
}

/// Parses `YYYY-MM-DD` (exactly ten characters) within the range.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, DomainError> {
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10 && s.as_bytes()[4] == b'-')
        .ok_or_else(|| DomainError::invalid(field, format!("'{s}' is not a date (YYYY-MM-DD)")))?;
    in_range(field, date)
}

/// `date` plus `days`, within the range.
pub fn add_days(field: &str, date: NaiveDate, days: u64) -> Result<NaiveDate, DomainError> {
    let later = date
        .checked_add_days(chrono::Days::new(days))
        .unwrap_or(NaiveDate::MAX);
    in_range(field, later)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range() {
        assert!(parse_date("d", "2026-11-30").is_ok());
        assert!(parse_date("d", "1900-01-01").is_ok());
        assert!(parse_date("d", "2199-12-31").is_ok());
        for bad in [
            "1899-12-31",
            "2200-01-01",
            "0000-01-01",
            "9999-12-31",
            "2026-1-1",
            "+2026-01-01",
            "2026-02-30",
        ] {
            assert!(parse_date("d", bad).is_err(), "{bad}");
        }
        let d = parse_date("d", "2199-12-01").unwrap();
        assert!(add_days("due_date", d, 30).is_ok());
        assert!(add_days("due_date", d, 31).is_err());
        assert!(add_days("due_date", d, u64::MAX).is_err());
    }
}
