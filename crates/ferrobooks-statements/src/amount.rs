//! The one place where amount text from a bank becomes the crate's amount
//! grammar, `-?[0-9]+(\.[0-9]+)?`, so that every format agrees on it.
//!
//! Amounts never pass through a number type: a bank's `12.340` stays
//! `12.340`, and a value no float could hold exactly stays exact.

use winnow::Parser;
use winnow::ascii::digit0;
use winnow::combinator::{opt, preceded, repeat};
use winnow::token::{one_of, take_while};

/// How one kind of file writes numbers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// The decimal separator.
    decimal: char,
    /// The thousands separator, if digit groups may be separated at all.
    thousands: Option<char>,
    /// Whether the human trimmings of spreadsheets are accepted: currency
    /// symbols, `(12.00)` for negatives and a trailing `12.00-`.
    decorated: bool,
}

impl Style {
    /// A spreadsheet export, `1,234.56` or (with `decimal_comma`) `1.234,56`.
    pub(crate) fn csv(decimal_comma: bool) -> Self {
        let (decimal, thousands) = if decimal_comma {
            (',', '.')
        } else {
            ('.', ',')
        };
        Style {
            decimal,
            thousands: Some(thousands),
            decorated: true,
        }
    }

    /// A machine format with a decimal point and an optional sign (OFX, CAMT).
    pub(crate) const POINT: Style = Style {
        decimal: '.',
        thousands: None,
        decorated: false,
    };

    /// A machine format with a decimal comma (MT940; some OFX producers).
    pub(crate) const COMMA: Style = Style {
        decimal: ',',
        thousands: None,
        decorated: false,
    };
}

/// The pieces of an amount as written.
struct Parts<'a> {
    negative: bool,
    integer: String,
    fraction: &'a str,
}

fn blanks<'a>(i: &mut &'a str) -> winnow::Result<&'a str> {
    take_while(0.., char::is_whitespace).parse_next(i)
}

/// `+`, `-`, or the typographic minus `−` (U+2212) that some exports use.
fn sign(i: &mut &str) -> winnow::Result<char> {
    one_of(['+', '-', '\u{2212}'])
        .map(|c| if c == '+' { '+' } else { '-' })
        .parse_next(i)
}

/// Currency symbols that spreadsheet exports put next to amounts.
fn symbol(i: &mut &str) -> winnow::Result<char> {
    one_of(['$', '£', '€', '₹']).parse_next(i)
}

/// Digits with optional thousands grouping and decimals. Groups after a
/// separator must be exactly three digits: that is what makes `12,50` an
/// error in a `1,234.56` file instead of silently reading 1250.
fn number<'a>(i: &mut &'a str, style: Style) -> winnow::Result<(String, &'a str)> {
    let lead = digit0.parse_next(i)?;
    let groups: Vec<&str> = match style.thousands {
        Some(sep) => repeat(
            0..,
            preceded(sep, take_while(3, |c: char| c.is_ascii_digit())),
        )
        .parse_next(i)?,
        None => Vec::new(),
    };
    let fraction = opt(preceded(style.decimal, digit0))
        .parse_next(i)?
        .unwrap_or("");
    if !groups.is_empty() && !(1..=3).contains(&lead.len()) {
        return Err(winnow::error::ContextError::new());
    }
    let mut integer = lead.to_owned();
    groups.into_iter().for_each(|g| integer.push_str(g));
    Ok((integer, fraction))
}

fn plain<'a>(i: &mut &'a str, style: Style) -> winnow::Result<Parts<'a>> {
    let sign = opt(sign).parse_next(i)?;
    let (integer, fraction) = number(i, style)?;
    Ok(Parts {
        negative: sign == Some('-'),
        integer,
        fraction,
    })
}

/// `( - $ - 1,234.56 $ - )`: every trimming optional, checked afterwards so
/// that the error can say what is wrong.
fn decorated<'a>(i: &mut &'a str, style: Style) -> winnow::Result<Result<Parts<'a>, &'static str>> {
    let (_, open, _, s1, _, _, _, s2, _) = (
        blanks,
        opt('('),
        blanks,
        opt(sign),
        blanks,
        opt(symbol),
        blanks,
        opt(sign),
        blanks,
    )
        .parse_next(i)?;
    let (integer, fraction) = number(i, style)?;
    let (_, _, _, s3, _, close, _) = (
        blanks,
        opt(symbol),
        blanks,
        opt(sign),
        blanks,
        opt(')'),
        blanks,
    )
        .parse_next(i)?;
    let signs: Vec<char> = [s1, s2, s3].into_iter().flatten().collect();
    Ok(match (open.is_some(), close.is_some(), signs.as_slice()) {
        (true, false, _) | (false, true, _) => Err("unbalanced parentheses"),
        (true, true, []) => Ok(Parts {
            negative: true,
            integer,
            fraction,
        }),
        (true, true, _) => Err("both parentheses and a sign"),
        (false, false, []) => Ok(Parts {
            negative: false,
            integer,
            fraction,
        }),
        (false, false, [s]) => Ok(Parts {
            negative: *s == '-',
            integer,
            fraction,
        }),
        (false, false, _) => Err("more than one sign"),
    })
}

/// Reads `raw` as written in a file of the given `style` and returns it in
/// the crate's grammar. The error is a reason fit for [`crate::Refused`].
pub(crate) fn normalize<'r>(raw: &'r str, style: Style) -> Result<String, String> {
    let bad = |why: &str| format!("{why} in amount {raw:?}");
    let parts = if style.decorated {
        (|i: &mut &'r str| decorated(i, style))
            .parse(raw)
            .map_err(|_| bad("unreadable number"))?
            .map_err(bad)?
    } else {
        (|i: &mut &'r str| plain(i, style))
            .parse(raw.trim())
            .map_err(|_| bad("unreadable number"))?
    };
    if parts.integer.is_empty() && parts.fraction.is_empty() {
        return Err(bad("no digits"));
    }
    let integer = parts.integer.trim_start_matches('0');
    let mut out = String::with_capacity(raw.len() + 2);
    if parts.negative {
        out.push('-');
    }
    out.push_str(if integer.is_empty() { "0" } else { integer });
    if !parts.fraction.is_empty() {
        out.push('.');
        out.push_str(parts.fraction);
    }
    Ok(if is_zero(&out) {
        out.trim_start_matches('-').to_owned()
    } else {
        out
    })
}

/// Whether a normalized amount is zero (`0`, `0.00`...).
pub(crate) fn is_zero(amount: &str) -> bool {
    amount
        .trim_start_matches('-')
        .bytes()
        .all(|b| b == b'0' || b == b'.')
}

/// The opposite of a normalized amount; zero stays unsigned.
pub(crate) fn negate(amount: &str) -> String {
    match amount.strip_prefix('-') {
        Some(positive) => positive.to_owned(),
        None if is_zero(amount) => amount.to_owned(),
        None => format!("-{amount}"),
    }
}

/// A normalized amount without its sign.
pub(crate) fn magnitude(amount: &str) -> &str {
    amount.strip_prefix('-').unwrap_or(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(raw: &str) -> Result<String, String> {
        normalize(raw, Style::csv(false))
    }

    #[test]
    fn spreadsheet_amounts() {
        let ok = [
            ("1,234.56", "1234.56"),
            ("-12.00", "-12.00"),
            ("(12.00)", "-12.00"),
            ("12.00-", "-12.00"),
            ("+7", "7"),
            ("$1,000,000.5", "1000000.5"),
            ("-$3.10", "-3.10"),
            ("$-3.10", "-3.10"),
            ("£ 4.00", "4.00"),
            ("(€ 1,234.00)", "-1234.00"),
            ("₹12", "12"),
            ("  0012.340 ", "12.340"),
            (".5", "0.5"),
            ("12.", "12"),
            ("-0.00", "0.00"),
            ("12.00 €", "12.00"),
            ("\u{2212}1.50", "-1.50"),
        ];
        for (raw, want) in ok {
            assert_eq!(csv(raw).as_deref(), Ok(want), "{raw:?}");
        }
        for raw in [
            "", "-", "abc", "12,50", "1,2345", "1234,567", "(12", "-(12)", "--1", "1e5", "1.2.3",
            "- 1 -",
        ] {
            assert!(csv(raw).is_err(), "{raw:?} should be refused");
        }
    }

    #[test]
    fn decimal_comma_amounts() {
        let s = Style::csv(true);
        assert_eq!(normalize("1.234,56", s).as_deref(), Ok("1234.56"));
        assert_eq!(normalize("-12,5", s).as_deref(), Ok("-12.5"));
        assert_eq!(normalize("12,50 €", s).as_deref(), Ok("12.50"));
        assert!(normalize("1,234.56", s).is_err());
    }

    #[test]
    fn machine_amounts() {
        assert_eq!(
            normalize(" -12.50\n", Style::POINT).as_deref(),
            Ok("-12.50")
        );
        assert_eq!(normalize("1234,", Style::COMMA).as_deref(), Ok("1234"));
        assert_eq!(
            normalize("0000001234,56", Style::COMMA).as_deref(),
            Ok("1234.56")
        );
        assert!(normalize("1,234.56", Style::POINT).is_err());
        assert!(normalize("$5", Style::POINT).is_err());
    }

    #[test]
    fn sign_helpers() {
        assert_eq!(negate("12.5"), "-12.5");
        assert_eq!(negate("-12.5"), "12.5");
        assert_eq!(negate("0.00"), "0.00");
        assert_eq!(magnitude("-3"), "3");
        assert!(is_zero("0.000") && !is_zero("0.001"));
    }
}
