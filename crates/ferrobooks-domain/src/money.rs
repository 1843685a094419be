//! Exact money: integer minor units with an ISO 4217 currency.
//!
//! Amounts arrive as decimal text (`"1500.00"` or the literal of a JSON
//! number) and are parsed straight into integers of minor units, never
//! through a float. More fractional digits than the currency has is an error
//! unless they are all zeros (`10.500` is `10.50`): the value stays exact.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// An amount in minor units of some currency (cents, paise, pence).
pub type Minor = i64;

/// The largest amount accepted on any single value: 10^15 minor units keeps
/// sums of millions of lines far from `i64` overflow.
pub const MAX_MINOR: Minor = 1_000_000_000_000_000;

/// The most debits one organization's books may hold in all, in minor
/// units (4 x 10^18: forty quadrillion dollars). Every sum the books keep
/// or report is part of this one, so with it none can pass `i64::MAX`
/// (9.2 x 10^18): a posting that would is refused instead.
pub const MAX_LEDGER_TOTAL: Minor = 4_000_000_000_000_000_000;

/// An ISO 4217 currency code with its number of minor-unit digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: [u8; 3],
    exponent: u8,
}

impl Currency {
    /// Parses an ISO 4217 code of a currency money can be kept in (one with
    /// a minor unit: not gold, not `XXX`). Lower case is accepted and
    /// normalised, since clients send both. The minor-unit digits come from
    /// the ISO 4217 table of the `iso_currency` crate.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let up = s.trim().to_ascii_uppercase();
        let bytes = up.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_uppercase) {
            return Err(DomainError::invalid(
                "currency",
                format!("'{s}' is not a three-letter ISO 4217 currency code"),
            ));
        }
        let iso = iso_currency::Currency::from_code(&up).ok_or_else(|| {
            DomainError::invalid(
                "currency",
                format!("'{s}' is not an ISO 4217 currency code"),
            )
        })?;
        let exponent = iso
            .exponent()
            .and_then(|e| u8::try_from(e).ok())
            .ok_or_else(|| {
                DomainError::invalid(
                    "currency",
                    format!(
                        "{up} ({}) has no minor unit: books cannot be kept in it",
                        iso.name()
                    ),
                )
            })?;
        Ok(Currency {
            code: [bytes[0], bytes[1], bytes[2]],
            exponent,
        })
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Digits after the decimal point in this currency's minor unit.
    pub fn exponent(&self) -> u32 {
        u32::from(self.exponent)
    }

    /// Parses decimal text into minor units of this currency.
    ///
    /// `field` names the input for the error message.
    pub fn parse_amount(&self, text: &str, field: &str) -> Result<Minor, DomainError> {
        let value = parse_decimal(text, field)?;
        self.to_minor(value, field)
    }

    /// Converts an exact decimal to minor units, refusing extra precision.
    pub fn to_minor(&self, value: Decimal, field: &str) -> Result<Minor, DomainError> {
        let exp = self.exponent();
        let normal = value.normalize();
        if normal.scale() > exp {
            return Err(DomainError::invalid(
                field,
                format!(
                    "{value} has more than {exp} decimal places, the precision of {}",
                    self.code()
                ),
            ));
        }
        let scaled = normal
            .checked_mul(Decimal::from(10i64.pow(exp)))
            .ok_or_else(|| DomainError::invalid(field, "amount is too large"))?;
        let minor: i128 = scaled.mantissa() / 10i128.pow(scaled.scale());
        if minor.abs() > i128::from(MAX_MINOR) {
            return Err(DomainError::invalid(field, "amount is too large"));
        }
        Ok(minor as Minor)
    }

    /// Formats minor units as decimal text with exactly the currency's digits.
    pub fn format(&self, minor: Minor) -> String {
        format_minor(minor, self.exponent())
    }

    /// The exact decimal value of an amount in minor units.
    pub fn to_decimal(&self, minor: Minor) -> Decimal {
        Decimal::new(minor, self.exponent())
    }
}

/// A value in minor units rounded half away from zero to a whole minor
/// unit (saturating at the largest amount).
pub fn round_minor(v: Decimal) -> Minor {
    let r = v.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(r.mantissa() / 10i128.pow(r.scale())).unwrap_or(Minor::MAX)
}

/// Formats minor units with `exp` fractional digits (`12345, 2` -> `123.45`).
pub fn format_minor(minor: Minor, exp: u32) -> String {
    Decimal::new(minor, exp).to_string()
}

/// Parses decimal text (a JSON number literal or a string) exactly.
///
/// The one grammar of every decimal the API reads (amounts, quantities,
/// rates): an optional `-`, digits, and optionally `.` and more digits
/// (`1500`, `-3.25`, `0.5`). Nothing else: no sign `+`, no spaces, no
/// exponent (`1e3`), no bare point (`.5`, `5.`), no separators.
pub fn parse_decimal(text: &str, field: &str) -> Result<Decimal, DomainError> {
    let bad = || {
        DomainError::invalid(
            field,
            format!(
                "'{text}' is not a decimal number: write digits with an optional '-' and \
                 decimal point, such as 1500.00"
            ),
        )
    };
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return Err(bad());
    }
    if int.len() + frac.map_or(0, str::len) > 28 {
        return Err(DomainError::invalid(
            field,
            format!("'{text}' has more digits than any amount can have"),
        ));
    }
    Decimal::from_str_exact(text).map_err(|_| bad())
}

impl FromStr for Currency {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Currency::parse(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("usd").unwrap()
    }

    #[test]
    fn parses_exact_amounts() {
        assert_eq!(usd().parse_amount("1500.00", "a").unwrap(), 150_000);
        assert_eq!(usd().parse_amount("0.1", "a").unwrap(), 10);
        assert_eq!(usd().parse_amount("10.500", "a").unwrap(), 1050);
        assert_eq!(usd().parse_amount("-3", "a").unwrap(), -300);
    }

    #[test]
    fn refuses_extra_precision_and_garbage() {
        assert!(usd().parse_amount("10.001", "a").is_err());
        assert!(usd().parse_amount("abc", "a").is_err());
        assert!(usd().parse_amount("", "a").is_err());
        for bad in [
            " 5", "5 ", ".5", "5.", "1e3", "1.5e2", "+5", "1_000", "--5", "-", "0x10", "5.5.5",
            "١٢",
        ] {
            assert!(
                usd().parse_amount(bad, "a").is_err(),
                "{bad:?} was accepted"
            );
        }
        assert!(
            usd()
                .parse_amount("99999999999999999999999999999", "a")
                .is_err()
        );
        let jpy = Currency::parse("JPY").unwrap();
        assert!(jpy.parse_amount("1.5", "a").is_err());
        assert_eq!(jpy.parse_amount("150", "a").unwrap(), 150);
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(kwd.parse_amount("1.234", "a").unwrap(), 1234);
    }

    #[test]
    fn formats_with_currency_digits() {
        assert_eq!(usd().format(150_000), "1500.00");
        assert_eq!(usd().format(-5), "-0.05");
        assert_eq!(Currency::parse("JPY").unwrap().format(150), "150");
    }

    #[test]
    fn currency_codes() {
        assert!(Currency::parse("US").is_err());
        assert!(Currency::parse("XYZ").is_err(), "not in ISO 4217");
        assert!(Currency::parse("XAU").is_err(), "gold has no minor unit");
        assert_eq!(Currency::parse("KWD").unwrap().exponent(), 3);
        assert_eq!(Currency::parse("JPY").unwrap().exponent(), 0);
        assert!(Currency::parse("U$D").is_err());
        assert_eq!(Currency::parse("inr").unwrap().code(), "INR");
    }
}
