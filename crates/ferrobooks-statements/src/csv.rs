//! CSV exports, read with the `csv` crate through a [`CsvMapping`].
//!
//! Banks' CSV files differ in everything, so nothing is guessed: the caller
//! names the columns and the date format. A row that cannot be read is
//! refused on its own; a mapping that cannot work fails the whole file.

use chrono::NaiveDate;
use chrono::format::{Item, StrftimeItems};

use crate::amount::{self, Style};
use crate::{CsvMapping, Format, Refused, Statement, StatementError, StatementLine};

/// Where the amount comes from.
enum Amount {
    Signed(usize),
    InOut { money_in: usize, money_out: usize },
}

/// The mapping, checked and resolved against the header.
struct Columns<'m> {
    date: usize,
    date_format: &'m str,
    amount: Amount,
    description: Option<usize>,
    payee: Option<usize>,
    reference: Option<usize>,
    transaction_id: Option<usize>,
    style: Style,
}

fn bad(reason: &str) -> StatementError {
    StatementError::BadMapping {
        reason: reason.to_owned(),
    }
}

/// Checks what can be checked without the file, so that a broken mapping
/// is reported as such and not as every row being refused.
fn check(mapping: &CsvMapping) -> Result<u8, StatementError> {
    if mapping.date_format.trim().is_empty() {
        return Err(bad("date_format is empty"));
    }
    if StrftimeItems::new(&mapping.date_format).any(|item| matches!(item, Item::Error)) {
        return Err(StatementError::BadMapping {
            reason: format!(
                "date_format {:?} is not a valid strftime format",
                mapping.date_format
            ),
        });
    }
    match (&mapping.amount, &mapping.money_in, &mapping.money_out) {
        (Some(_), None, None) | (None, Some(_), Some(_)) => {}
        (Some(_), _, _) => return Err(bad("give either amount or money_in/money_out, not both")),
        (None, None, None) => {
            return Err(bad(
                "no amount column: give amount, or money_in and money_out",
            ));
        }
        (None, _, _) => return Err(bad("money_in and money_out must both be given")),
    }
    let delimiter = mapping.delimiter.unwrap_or(',');
    match u8::try_from(delimiter) {
        Ok(byte)
            if delimiter.is_ascii() && delimiter != '"' && !delimiter.is_ascii_alphanumeric() =>
        {
            Ok(byte)
        }
        _ => Err(StatementError::BadMapping {
            reason: format!(
                "delimiter {delimiter:?} must be one ASCII punctuation or blank character"
            ),
        }),
    }
}

impl<'m> Columns<'m> {
    fn resolve(
        mapping: &'m CsvMapping,
        header: &::csv::StringRecord,
    ) -> Result<Self, StatementError> {
        let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
        let find = |name: &str| {
            names
                .iter()
                .position(|h| *h == name.trim().to_lowercase())
                .ok_or_else(|| StatementError::MissingColumn {
                    name: name.to_owned(),
                })
        };
        let optional = |name: &Option<String>| name.as_deref().map(find).transpose();
        let amount = match (&mapping.amount, &mapping.money_in, &mapping.money_out) {
            (Some(signed), _, _) => Amount::Signed(find(signed)?),
            (None, Some(money_in), Some(money_out)) => Amount::InOut {
                money_in: find(money_in)?,
                money_out: find(money_out)?,
            },
            // `check` has refused every other combination.
            _ => return Err(bad("no amount column")),
        };
        Ok(Columns {
            date: find(&mapping.date)?,
            date_format: &mapping.date_format,
            amount,
            description: optional(&mapping.description)?,
            payee: optional(&mapping.payee)?,
            reference: optional(&mapping.reference)?,
            transaction_id: optional(&mapping.transaction_id)?,
            style: Style::csv(mapping.decimal_comma.unwrap_or(false)),
        })
    }

    /// The amount of a row, or why there is none.
    fn amount<'r>(&self, cell: impl Fn(usize) -> &'r str) -> Result<String, String> {
        match self.amount {
            Amount::Signed(i) => match cell(i) {
                "" => Err("no amount".to_owned()),
                raw => amount::normalize(raw, self.style),
            },
            Amount::InOut {
                money_in,
                money_out,
            } => {
                let read = |raw: &str| match raw {
                    "" => Ok(None),
                    raw => amount::normalize(raw, self.style).map(Some),
                };
                let (inn, out) = (read(cell(money_in))?, read(cell(money_out))?);
                let nonzero =
                    |a: &Option<String>| a.as_deref().is_some_and(|a| !amount::is_zero(a));
                match (nonzero(&inn), nonzero(&out)) {
                    (true, true) => Err(format!(
                        "both money in ({}) and money out ({}) are filled",
                        cell(money_in),
                        cell(money_out)
                    )),
                    (true, false) => Ok(inn.unwrap_or_default()),
                    // Money out is written as 12.00 or as -12.00: either way it leaves.
                    (false, true) => {
                        Ok(amount::negate(amount::magnitude(&out.unwrap_or_default())))
                    }
                    (false, false) => inn.or(out).ok_or_else(|| "no amount".to_owned()),
                }
            }
        }
    }

    fn amount_blank<'r>(&self, cell: impl Fn(usize) -> &'r str) -> bool {
        match self.amount {
            Amount::Signed(i) => cell(i).is_empty(),
            Amount::InOut {
                money_in,
                money_out,
            } => cell(money_in).is_empty() && cell(money_out).is_empty(),
        }
    }
}

pub(crate) fn parse(text: &str, mapping: &CsvMapping) -> Result<Statement, StatementError> {
    let delimiter = check(mapping)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| StatementError::Malformed {
            format: Format::Csv,
            reason: format!("header: {e}"),
        })?
        .clone();
    let columns = Columns::resolve(mapping, &header)?;
    let mut statement = Statement::default();
    for (index, record) in reader.records().enumerate() {
        let row = index + 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                statement.refused.push(Refused {
                    row,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        match read_row(&columns, &record, header.len(), row) {
            Ok(Some(line)) => statement.lines.push(line),
            Ok(None) => {}
            Err(reason) => statement.refused.push(Refused { row, reason }),
        }
    }
    Ok(statement)
}

/// A row's line; `None` for a row without date and amount (a blank or
/// footer row, which spreadsheets add freely).
fn read_row(
    columns: &Columns<'_>,
    record: &::csv::StringRecord,
    width: usize,
    row: usize,
) -> Result<Option<StatementLine>, String> {
    let cell = |i: usize| record.get(i).map(str::trim).unwrap_or("");
    let date_raw = cell(columns.date);
    if date_raw.is_empty() && columns.amount_blank(cell) {
        return Ok(None);
    }
    if record.len() != width {
        return Err(format!("expected {width} fields, found {}", record.len()));
    }
    if date_raw.is_empty() {
        return Err("no date".to_owned());
    }
    let date = NaiveDate::parse_from_str(date_raw, columns.date_format).map_err(|e| {
        format!(
            "unreadable date {date_raw:?} for format {:?}: {e}",
            columns.date_format
        )
    })?;
    let amount = columns.amount(cell)?;
    let text = |i: Option<usize>| i.map(cell).filter(|v| !v.is_empty()).map(str::to_owned);
    Ok(Some(StatementLine {
        row,
        date,
        amount,
        description: text(columns.description).unwrap_or_default(),
        payee: text(columns.payee),
        reference: text(columns.reference),
        bank_id: text(columns.transaction_id),
    }))
}
