//! Reading whole statement files of every format, written out here so that
//! each test shows exactly what a bank sends and what comes out of it.

mod camt;
mod csv;
mod detect;
mod mt940;
mod ofx;
mod roundtrip;

use chrono::NaiveDate;
use ferrobooks_statements::{Balance, StatementLine};

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("bad test date {y}-{m}-{d}"))
}

/// A line with only the fields every format has; fill in the rest with struct update.
pub fn line(row: usize, date: NaiveDate, amount: &str, description: &str) -> StatementLine {
    StatementLine {
        row,
        date,
        amount: amount.to_owned(),
        description: description.to_owned(),
        payee: None,
        reference: None,
        bank_id: None,
    }
}

pub fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

pub fn balance(date: NaiveDate, amount: &str) -> Option<Balance> {
    Some(Balance {
        date,
        amount: amount.to_owned(),
    })
}
