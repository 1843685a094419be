//! Organization settings: country, GST state, tax ids, fiscal year.

use chrono::NaiveDate;

use crate::DomainError;

/// Indian GST state codes (DOMAIN.md section 3).
pub const GST_STATES: &[(&str, &str)] = &[
    ("01", "JK"),
    ("02", "HP"),
    ("03", "PB"),
    ("04", "CH"),
    ("05", "UK"),
    ("06", "HR"),
    ("07", "DL"),
    ("08", "RJ"),
    ("09", "UP"),
    ("10", "BR"),
    ("11", "SK"),
    ("12", "AR"),
    ("13", "NL"),
    ("14", "MN"),
    ("15", "MZ"),
    ("16", "TR"),
    ("17", "ML"),
    ("18", "AS"),
    ("19", "WB"),
    ("20", "JH"),
    ("21", "OD"),
    ("22", "CG"),
    ("23", "MP"),
    ("24", "GJ"),
    ("26", "DNHDD"),
    ("27", "MH"),
    ("29", "KA"),
    ("30", "GA"),
    ("31", "LD"),
    ("32", "KL"),
    ("33", "TN"),
    ("34", "PY"),
    ("35", "AN"),
    ("36", "TS"),
    ("37", "AP"),
    ("38", "LA"),
    ("96", "FOREIGN"),
    ("97", "OT"),
];

/// An ISO 3166-1 alpha-2 country code, upper case (the table of the
/// `rust_iso3166` crate).
pub fn parse_country(s: &str) -> Result<String, DomainError> {
    let up = s.trim().to_ascii_uppercase();
    if up.len() == 2
        && up.bytes().all(|b| b.is_ascii_uppercase())
        && rust_iso3166::from_alpha2(&up).is_some()
    {
        Ok(up)
    } else {
        Err(DomainError::invalid(
            "country",
            format!("'{s}' is not an ISO 3166 two-letter country code (such as US, GB, IN)"),
        ))
    }
}

/// For India, a GST state code (`27`) or its abbreviation (`MH`), returned as
/// the two-digit code. Elsewhere an ISO 3166-2 subdivision of the country,
/// with or without the country prefix (`CA` or `US-CA`), returned without
/// it; a country ISO 3166-2 lists no subdivisions for takes any short name.
pub fn parse_state(country: &str, s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    if country == "IN" {
        return GST_STATES
            .iter()
            .find(|(code, abbr)| *code == t || abbr.eq_ignore_ascii_case(t))
            .map(|(code, _)| (*code).to_owned())
            .ok_or_else(|| {
                DomainError::invalid("state", format!("'{s}' is not a GST state code"))
            });
    }
    if t.is_empty() || t.len() > 50 {
        return Err(DomainError::invalid("state", "must be 1 to 50 characters"));
    }
    let listed = rust_iso3166::from_alpha2(country)
        .is_some_and(|c| c.subdivisions().is_some_and(|subs| !subs.is_empty()));
    if !listed {
        return Ok(t.to_owned());
    }
    let up = t.to_ascii_uppercase();
    let local = up
        .strip_prefix(&format!("{country}-"))
        .unwrap_or(&up)
        .to_owned();
    if rust_iso3166::iso3166_2::from_code(&format!("{country}-{local}")).is_some() {
        Ok(local)
    } else {
        Err(DomainError::invalid(
            "state",
            format!(
                "'{s}' is not an ISO 3166-2 subdivision code of {country} (such as {})",
                example_state(country)
            ),
        ))
    }
}

fn example_state(country: &str) -> String {
    rust_iso3166::from_alpha2(country)
        .and_then(|c| {
            c.subdivisions().and_then(|subs| subs.first()).map(|sub| {
                sub.code
                    .split_once('-')
                    .map_or(sub.code, |(_, l)| l)
                    .to_owned()
            })
        })
        .unwrap_or_default()
}

/// An IANA time zone name (`Asia/Kolkata`, `UTC`), checked against the tz
/// database of the `chrono-tz` crate.
pub fn parse_timezone(s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    t.parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_owned())
        .map_err(|_| {
            DomainError::invalid(
                "timezone",
                format!(
                    "'{s}' is not an IANA time zone name such as Asia/Kolkata or Europe/London"
                ),
            )
        })
}

/// Checks a GSTIN's pattern and its check character.
pub fn validate_gstin(s: &str) -> Result<(), DomainError> {
    let b = s.as_bytes();
    let bad = |m: &str| {
        Err(DomainError::invalid(
            "tax_id",
            format!("'{s}' is not a valid GSTIN: {m}"),
        ))
    };
    if b.len() != 15 {
        return bad("it must be 15 characters");
    }
    let digit = |c: u8| c.is_ascii_digit();
    let upper = |c: u8| c.is_ascii_uppercase();
    let pattern_ok = b[..2].iter().all(|&c| digit(c))
        && b[2..7].iter().all(|&c| upper(c))
        && b[7..11].iter().all(|&c| digit(c))
        && upper(b[11])
        && (matches!(b[12], b'1'..=b'9') || upper(b[12]))
        && (matches!(b[13], b'Z' | b'1'..=b'9' | b'A' | b'B' | b'D'..=b'J'))
        && (digit(b[14]) || upper(b[14]));
    if !pattern_ok {
        return bad("it does not follow the GSTIN pattern");
    }
    if !GST_STATES.iter().any(|(c, _)| c.as_bytes() == &b[..2]) {
        return bad("unknown state code");
    }
    let value = |c: u8| -> u32 {
        if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        }
    };
    let sum: u32 = b[..14]
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let p = value(c) * if i % 2 == 0 { 1 } else { 2 };
            p / 36 + p % 36
        })
        .sum();
    let check = (36 - sum % 36) % 36;
    let expected = if check < 10 {
        b'0' + check as u8
    } else {
        b'A' + (check - 10) as u8
    };
    if b[14] != expected {
        return bad("the check character is wrong");
    }
    Ok(())
}

/// A fiscal year start as (month, day), from `MM-DD`.
pub fn parse_fiscal_year_start(s: &str) -> Result<(u32, u32), DomainError> {
    let bad = || DomainError::invalid("fiscal_year_start", "must be MM-DD, e.g. 04-01");
    let (m, d) = s.split_once('-').ok_or_else(bad)?;
    if m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (m, d): (u32, u32) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    // 2001 is not a leap year, so 02-29 is refused: a year must start every year.
    NaiveDate::from_ymd_opt(2001, m, d).ok_or_else(bad)?;
    Ok((m, d))
}

/// The first day of the fiscal year that contains `date`.
pub fn fiscal_year_start_for(date: NaiveDate, (m, d): (u32, u32)) -> NaiveDate {
    use chrono::Datelike;
    let this_year = NaiveDate::from_ymd_opt(date.year(), m, d).unwrap_or(date);
    if this_year <= date {
        this_year
    } else {
        NaiveDate::from_ymd_opt(date.year() - 1, m, d).unwrap_or(date)
    }
}

/// The default fiscal year start for a country: April in India and the UK,
/// January elsewhere.
pub fn default_fiscal_year_start(country: &str) -> &'static str {
    match country {
        "IN" | "GB" => "04-01",
        _ => "01-01",
    }
}

/// Date formats a client may choose for documents.
pub const DATE_FORMATS: &[&str] = &[
    "YYYY-MM-DD",
    "DD/MM/YYYY",
    "MM/DD/YYYY",
    "DD-MM-YYYY",
    "DD.MM.YYYY",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gstin() {
        assert!(validate_gstin("27AAPFU0939F1ZV").is_ok());
        assert!(validate_gstin("27AAPFU0939F1ZW").is_err());
        assert!(validate_gstin("27AAPFU0939F1Z").is_err());
        assert!(validate_gstin("99AAPFU0939F1ZV").is_err());
    }

    #[test]
    fn states() {
        assert_eq!(parse_state("IN", "MH").unwrap(), "27");
        assert_eq!(parse_state("IN", "29").unwrap(), "29");
        assert!(parse_state("IN", "25").is_err());
        assert_eq!(parse_state("US", "CA").unwrap(), "CA");
    }

    #[test]
    fn fiscal_years() {
        assert_eq!(parse_fiscal_year_start("04-01").unwrap(), (4, 1));
        assert!(parse_fiscal_year_start("02-29").is_err());
        assert!(parse_fiscal_year_start("4-1").is_err());
        let d = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
        assert_eq!(
            fiscal_year_start_for(d, (4, 1)),
            NaiveDate::from_ymd_opt(2025, 4, 1).unwrap()
        );
    }
}
