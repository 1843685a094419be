//! Pricing a document's lines: quantity x unit price - discount, each line
//! rounded half away from zero to the currency on its own; taxes per line
//! per component come from [`crate::tax`]; the totals, and the optional
//! round-off of the grand total to a whole unit.

use rust_decimal::Decimal;

use crate::money::{MAX_MINOR, parse_decimal};
use crate::tax::round_to_minor;
use crate::{Currency, DomainError, Minor};

/// Most lines a document may have.
pub const MAX_LINES: usize = 500;

/// Most decimal places of a quantity.
pub const QUANTITY_DECIMALS: u32 = 4;

/// The JSON path of a field of line `i`.
pub fn field(i: usize, name: &str) -> String {
    format!("lines[{i}].{name}")
}

/// A document has 1 to [`MAX_LINES`] lines.
pub fn check_count(n: usize) -> Result<(), DomainError> {
    match n {
        0 => Err(DomainError::invalid("lines", "at least one line is needed")),
        n if n > MAX_LINES => Err(DomainError::invalid(
            "lines",
            format!("at most {MAX_LINES} lines"),
        )),
        _ => Ok(()),
    }
}

/// A line's quantity: 1 when not given; otherwise greater than zero with
/// at most [`QUANTITY_DECIMALS`] places.
pub fn quantity(field: &str, text: Option<&str>) -> Result<Decimal, DomainError> {
    let Some(text) = text else {
        return Ok(Decimal::ONE);
    };
    let q = parse_decimal(text, field)?;
    if q <= Decimal::ZERO {
        return Err(DomainError::invalid(field, "must be greater than zero"));
    }
    if q.normalize().scale() > QUANTITY_DECIMALS {
        return Err(DomainError::invalid(
            field,
            format!("at most {QUANTITY_DECIMALS} decimal places"),
        ));
    }
    Ok(q.normalize())
}

/// A line's amounts before tax, in the document's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priced {
    /// Quantity x unit price, rounded.
    pub gross: Minor,
    pub discount: Minor,
    /// What the line's account and its taxes are on.
    pub net: Minor,
}

/// Prices line `i`: `unit_price` must not be negative and the discount is
/// between zero and the line's gross amount.
pub fn price(
    i: usize,
    qty: Decimal,
    unit_price: Minor,
    discount: Minor,
    cur: Currency,
) -> Result<Priced, DomainError> {
    if unit_price < 0 {
        return Err(DomainError::invalid(
            field(i, "unit_price"),
            "must not be negative",
        ));
    }
    let gross = round_to_minor(qty * cur.to_decimal(unit_price), cur.exponent())
        .map_err(|_| DomainError::invalid(field(i, "unit_price"), "the line is too large"))?;
    if gross > MAX_MINOR {
        return Err(DomainError::invalid(
            field(i, "unit_price"),
            "the line is too large",
        ));
    }
    if discount < 0 || discount > gross {
        return Err(DomainError::invalid(
            field(i, "discount"),
            format!(
                "must be between 0 and the line amount {}",
                cur.format(gross)
            ),
        ));
    }
    Ok(Priced {
        gross,
        discount,
        net: gross - discount,
    })
}

/// A document's totals, in its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub subtotal: Minor,
    pub discount_total: Minor,
    pub tax_total: Minor,
    /// What rounding the grand total to a whole unit added (may be
    /// negative); zero when the document does not round.
    pub rounding: Minor,
    pub total: Minor,
}

impl Totals {
    /// Adds a priced line and the tax charged on it.
    pub fn add(&mut self, line: Priced, tax: Minor) {
        self.subtotal += line.gross;
        self.discount_total += line.discount;
        self.tax_total += tax;
    }

    /// The grand total, rounded to a whole unit of `cur` when
    /// `round_total`; refused past the largest amount the books take.
    pub fn finish(mut self, round_total: bool, cur: Currency) -> Result<Totals, DomainError> {
        let too_large = || DomainError::invalid("lines", "the total is too large");
        let before = self.subtotal - self.discount_total + self.tax_total;
        if round_total {
            let exp = cur.exponent();
            let whole = round_to_minor(cur.to_decimal(before), 0).map_err(|_| too_large())?;
            let rounded = whole.checked_mul(10i64.pow(exp)).ok_or_else(too_large)?;
            self.rounding = rounded - before;
        }
        self.total = before + self.rounding;
        if self.total > MAX_MINOR {
            return Err(too_large());
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    #[test]
    fn prices_round_per_line() {
        let p = price(0, "1.5".parse().unwrap(), 333, 0, usd()).unwrap();
        assert_eq!(p.gross, 500); // 4.995 rounds half away from zero
        let p = price(0, Decimal::from(3), 1000, 250, usd()).unwrap();
        assert_eq!((p.gross, p.discount, p.net), (3000, 250, 2750));
    }

    #[test]
    fn refuses_bad_lines_naming_the_field() {
        let e = price(2, Decimal::ONE, -1, 0, usd()).unwrap_err();
        assert_eq!(e.field(), Some("lines[2].unit_price"));
        let e = price(1, Decimal::ONE, 100, 101, usd()).unwrap_err();
        assert_eq!(e.field(), Some("lines[1].discount"));
        assert!(quantity("q", Some("0")).is_err());
        assert!(quantity("q", Some("1.00001")).is_err());
        assert_eq!(quantity("q", None).unwrap(), Decimal::ONE);
        assert_eq!(quantity("q", Some("2.5000")).unwrap().to_string(), "2.5");
        assert!(check_count(0).is_err() && check_count(501).is_err() && check_count(1).is_ok());
    }

    #[test]
    fn round_off_goes_to_the_nearest_unit() {
        let inr = Currency::parse("INR").unwrap();
        let mut t = Totals::default();
        t.add(
            Priced {
                gross: 10_049,
                discount: 0,
                net: 10_049,
            },
            1_809,
        );
        let t = t.finish(true, inr).unwrap();
        assert_eq!((t.total, t.rounding), (11_900, 42));
        let t = Totals::default().finish(false, inr).unwrap();
        assert_eq!(t.total, 0);
    }
}
