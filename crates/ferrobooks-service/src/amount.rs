//! Money at the JSON boundary, without floats.
//!
//! [`DecimalText`] takes a JSON number literal or a string exactly as
//! written; the service parses it in the currency it belongs to.
//! [`Amount`] writes an exact decimal back as a JSON number literal with the
//! currency's digits (`1500.00`).

use ferrobooks_domain::{Currency, Minor};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::{ServiceError, ServiceResult};

/// Decimal text from JSON: `1500.00` or `"1500.00"`, never through f64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalText(pub String);

impl<'de> Deserialize<'de> for DecimalText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(d)?;
        let text = raw.get();
        if text.starts_with('"') {
            let s: String = serde_json::from_str(text).map_err(D::Error::custom)?;
            Ok(DecimalText(s))
        } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            Ok(DecimalText(text.to_owned()))
        } else {
            Err(D::Error::custom(
                "expected a decimal number or a string holding one",
            ))
        }
    }
}

/// Reads an optional whole number written as a JSON number, `30` or
/// `30.0` (JSON Schema's integer takes both); `30.5` is refused.
pub fn opt_whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let raw: Option<Box<RawValue>> = Deserialize::deserialize(d)?;
    let Some(raw) = raw else { return Ok(None) };
    let text = raw.get();
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let whole = frac.bytes().all(|b| b == b'0');
    match int.parse::<i64>() {
        Ok(n) if whole => Ok(Some(n)),
        // Worded as serde words its own type errors, which the HTTP edge
        // rewrites for people.
        _ => {
            let got = match text.as_bytes().first() {
                Some(b'"') => format!("invalid type: string {text}"),
                Some(b'[') => "invalid type: sequence".to_owned(),
                Some(b'{') => "invalid type: map".to_owned(),
                Some(b't' | b'f') => format!("invalid type: boolean `{text}`"),
                _ => format!("invalid value: floating point `{text}`"),
            };
            Err(D::Error::custom(format!("{got}, expected a whole number")))
        }
    }
}

/// Reads a required whole number as [`opt_whole_number`] does (`30` or
/// `30.0`); null is refused.
pub fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    opt_whole_number(d)?
        .ok_or_else(|| D::Error::custom("invalid type: null, expected a whole number"))
}

impl DecimalText {
    /// Minor units of `currency`; `field` names the input in errors.
    pub fn minor(&self, currency: Currency, field: &str) -> ServiceResult<Minor> {
        currency
            .parse_amount(&self.0, field)
            .map_err(ServiceError::from)
    }
}

/// An exact amount written as a JSON number with the currency's digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount(String);

impl Amount {
    pub fn new(minor: Minor, currency: Currency) -> Amount {
        Amount(currency.format(minor))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.0.clone()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// An exact decimal that is not money (a rate, a quantity), written as a
/// JSON number literal as stored (`18`, `2.5`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    pub fn new(d: rust_decimal::Decimal) -> Number {
        Number(d.normalize().to_string())
    }

    /// The number as written (for CSV).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.0.clone()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        a: DecimalText,
    }

    #[test]
    fn reads_numbers_and_strings_exactly() {
        let t: T = serde_json::from_str(r#"{"a": 1500.10}"#).unwrap();
        assert_eq!(t.a.0, "1500.10");
        let t: T = serde_json::from_str(r#"{"a": "0.30"}"#).unwrap();
        assert_eq!(t.a.0, "0.30");
        assert!(serde_json::from_str::<T>(r#"{"a": true}"#).is_err());
    }

    #[test]
    fn writes_number_literals() {
        let usd = Currency::parse("USD").unwrap();
        let s = serde_json::to_string(&Amount::new(150_000, usd)).unwrap();
        assert_eq!(s, "1500.00");
    }
}
