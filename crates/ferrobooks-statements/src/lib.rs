#![forbid(unsafe_code)]
//! Bank statement readers: CSV, OFX (1.x SGML and 2.x XML), ISO 20022
//! CAMT.053 and SWIFT MT940, read into [`StatementLine`]s.
//!
//! Pure parsing: bytes in, values out. No I/O, no async, and no floats —
//! amounts stay decimal text (see [`StatementLine::amount`]) so that nothing
//! a bank wrote is ever rounded on the way into the ledger.
//!
//! One bad transaction does not sink a file: it comes back in
//! [`Statement::refused`] with its position and the reason, and the rest of
//! the file is still read. Only a file that cannot be read as a whole is an
//! error ([`StatementError`]).

mod amount;
mod camt;
mod csv;
mod mt940;
mod ofx;
mod xml;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// The statement formats this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Comma (or otherwise) separated values; needs a [`CsvMapping`].
    Csv,
    /// Open Financial Exchange, both 1.x (SGML) and 2.x (XML).
    Ofx,
    /// ISO 20022 bank-to-customer statement, any `camt.053.001.XX` version.
    Camt053,
    /// SWIFT MT940 customer statement message.
    Mt940,
}

impl Format {
    /// Every format, in the order their names are listed to users.
    pub const ALL: [Format; 4] = [Format::Csv, Format::Ofx, Format::Camt053, Format::Mt940];

    /// The stable lower-case name used in APIs and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ofx => "ofx",
            Format::Camt053 => "camt053",
            Format::Mt940 => "mt940",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::as_str`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown statement format {0:?} (expected one of: csv, ofx, camt053, mt940)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Accepts the names of [`Format::as_str`], ignoring ASCII case, so that
    /// `"OFX"` from a form or a file extension works too.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

/// Guesses the format of a file from its content.
///
/// Only the self-describing formats are recognised: OFX (`OFXHEADER:` or an
/// `<OFX>` element, for both 1.x and 2.x), CAMT.053 (its namespace or a
/// `BkToCstmrStmt` element) and MT940 (a `:20:` tag together with a `:61:`
/// or balance tag). CSV is never guessed — almost any text "is" CSV, and
/// reading it needs a column mapping anyway — so the caller names it.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(strip_bom(bytes));
    let head = text.trim_start();
    // OFX tags are case-insensitive in 1.x; the other markers are not.
    let upper = head.to_ascii_uppercase();
    if upper.starts_with("OFXHEADER:") || upper.contains("<OFX>") || upper.contains("<?OFX ") {
        return Some(Format::Ofx);
    }
    if head.starts_with('<')
        && (head.contains("urn:iso:std:iso:20022:tech:xsd:camt.053")
            || head.contains("<BkToCstmrStmt>")
            || head.contains(":BkToCstmrStmt>"))
    {
        return Some(Format::Camt053);
    }
    let mt940_body = [":61:", ":60F:", ":60M:"];
    if head.contains(":20:") && mt940_body.iter().any(|tag| head.contains(tag)) {
        return Some(Format::Mt940);
    }
    None
}

/// How to read a CSV export: which header names hold which field.
///
/// Column names are header names, matched trimmed and ignoring case, because
/// banks are inconsistent about `Date` / `DATE` / ` Date ` between exports.
/// Amounts come either from one signed `amount` column or from a pair of
/// `money_in` / `money_out` columns — exactly one of the two ways.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvMapping {
    /// Column of the booking date.
    pub date: String,
    /// chrono strftime format of the date column, e.g. `"%d/%m/%Y"`,
    /// `"%Y-%m-%d"`, `"%m/%d/%Y"`, `"%d %b %Y"`. Required: guessing between
    /// day-first and month-first silently books on the wrong day.
    pub date_format: String,
    /// Column of a signed amount (positive = money in).
    pub amount: Option<String>,
    /// Column of money received (used together with `money_out`).
    pub money_in: Option<String>,
    /// Column of money paid out, written with or without a minus sign.
    pub money_out: Option<String>,
    /// Column of the free-text description.
    pub description: Option<String>,
    /// Column of the counterparty's name.
    pub payee: Option<String>,
    /// Column of a reference (check number, end-to-end id...).
    pub reference: Option<String>,
    /// Column of the bank's own transaction id, used to spot re-imports.
    pub transaction_id: Option<String>,
    /// Field separator; `,` when absent. Must be a single ASCII character.
    pub delimiter: Option<char>,
    /// `true` for `1.234,56` style numbers; `false` (the default) for `1,234.56`.
    pub decimal_comma: Option<bool>,
}

/// What a statement file holds, whatever its format.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Statement {
    /// The transactions that could be read, in file order.
    pub lines: Vec<StatementLine>,
    /// The transactions that could not be read, with the reason.
    pub refused: Vec<Refused>,
    /// Currency code as the file gives it: OFX `CURDEF`, CAMT `Ccy`, MT940 `:60F:`.
    pub currency: Option<String>,
    /// Account id or IBAN as the file names it (not normalised: it is shown
    /// to the user to confirm that the right file was picked).
    pub account: Option<String>,
    /// Balance before the first line (CAMT `OPBD`/`PRCD`, MT940 `:60F:`).
    pub opening_balance: Option<Balance>,
    /// Balance after the last line (OFX `LEDGERBAL`, CAMT `CLBD`, MT940 `:62F:`),
    /// kept so that an import can be checked against what the bank says.
    pub closing_balance: Option<Balance>,
}

/// A balance the bank states, signed like [`StatementLine::amount`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// The day the balance holds for.
    pub date: NaiveDate,
    /// Signed decimal text, same grammar as [`StatementLine::amount`].
    pub amount: String,
}

/// One transaction of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// 1-based position of the transaction in the file (for CSV: the data
    /// row number, header excluded), so that messages can point at it.
    pub row: usize,
    /// Booking (posted) date.
    pub date: NaiveDate,
    /// Signed decimal text matching `-?[0-9]+(\.[0-9]+)?`: no `+`, no
    /// thousands separators, no exponent, no spaces. Positive is money in,
    /// negative money out. Every digit given is kept (no rounding, no
    /// padding) because the ledger decides the currency's precision, not
    /// the reader; only redundant leading zeros are dropped and `-0` is `0`.
    pub amount: String,
    /// Free text; may be empty.
    pub description: String,
    /// Counterparty name, when the file names one.
    pub payee: Option<String>,
    /// Check number, end-to-end id or customer reference.
    pub reference: Option<String>,
    /// The bank's own transaction id (OFX `FITID`, CAMT `AcctSvcrRef` else
    /// `NtryRef`, MT940 bank reference, CSV `transaction_id` column): the
    /// key for recognising a transaction imported twice.
    pub bank_id: Option<String>,
}

/// A transaction that could not be read; the rest of the file still is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Same numbering as [`StatementLine::row`].
    pub row: usize,
    /// Why, in words fit for the user.
    pub reason: String,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    /// The file as a whole is unreadable: broken XML, no `<BANKTRANLIST>`,
    /// not an MT940 message...
    #[error("not a readable {format} file: {reason}")]
    Malformed { format: Format, reason: String },
    /// The mapping names a column that the CSV header lacks.
    #[error("the CSV file has no column named {name:?}")]
    MissingColumn { name: String },
    /// The mapping itself is unusable (no amount columns, both kinds,
    /// an empty or invalid date format...).
    #[error("unusable CSV mapping: {reason}")]
    BadMapping { reason: String },
    /// A CSV file was given without a mapping.
    #[error("a CSV file needs a column mapping")]
    NoMapping,
    /// The file holds nothing at all (no bytes, or only blanks). A CSV file
    /// with a header and no rows, or a statement with no transactions, is
    /// not this: it reads as a [`Statement`] without lines.
    #[error("the file is empty")]
    Empty,
}

/// Reads `bytes` as a statement of the given `format`.
///
/// `mapping` is needed for [`Format::Csv`] and ignored otherwise.
pub fn parse(
    bytes: &[u8],
    format: Format,
    mapping: Option<&CsvMapping>,
) -> Result<Statement, StatementError> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(StatementError::Empty);
    }
    match format {
        Format::Csv => csv::parse(&text, mapping.ok_or(StatementError::NoMapping)?),
        Format::Ofx => ofx::parse(&text),
        Format::Camt053 => camt::parse(&text),
        Format::Mt940 => mt940::parse(&text),
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Text of the file: UTF-8 (BOM dropped) when it is valid UTF-8, else
/// Windows-1252, the usual charset of OFX 1.x (`CHARSET:1252`) and of
/// European MT940 exports; it is a superset of Latin-1's printable range.
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = strip_bom(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// A statement built up from several statements in one file (MT940 and
/// CAMT files often hold one per day; OFX may hold several responses).
/// They must all be for the same account and currency: lines of two
/// accounts in one import would be booked against the wrong bank account.
#[derive(Default)]
struct Merger {
    statement: Statement,
    seen_any: bool,
}

/// One statement's header data, as a file section gives it.
struct Section {
    account: Option<String>,
    currency: Option<String>,
    opening: Option<Balance>,
    closing: Option<Balance>,
}

impl Merger {
    fn add(&mut self, format: Format, section: Section) -> Result<(), StatementError> {
        let st = &mut self.statement;
        for (have, new, what) in [
            (&mut st.account, section.account, "accounts"),
            (&mut st.currency, section.currency, "currencies"),
        ] {
            match (have.as_deref(), new) {
                (Some(a), Some(b)) if a != b => {
                    return Err(StatementError::Malformed {
                        format,
                        reason: format!(
                            "the file holds statements of different {what} ({a}, {b}); split it"
                        ),
                    });
                }
                (None, Some(b)) => *have = Some(b),
                _ => {}
            }
        }
        if !self.seen_any {
            st.opening_balance = section.opening;
        }
        if section.closing.is_some() {
            st.closing_balance = section.closing;
        }
        self.seen_any = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
            assert_eq!(f.to_string(), f.as_str());
        }
        assert_eq!("OFX".parse::<Format>(), Ok(Format::Ofx));
        assert!("pdf".parse::<Format>().is_err());
    }

    #[test]
    fn empty_input_is_empty() {
        for f in Format::ALL {
            assert_eq!(parse(b"", f, None), Err(StatementError::Empty));
            assert_eq!(
                parse(b"\xEF\xBB\xBF \n", f, None),
                Err(StatementError::Empty)
            );
        }
    }

    #[test]
    fn latin1_falls_back_to_windows_1252() {
        assert_eq!(decode(b"caf\xe9 \x80"), "café €");
    }
}
