//! Document numbers: a series per document type (and branch), formatted
//! from a template, counting afresh each fiscal year.
//!
//! Template tokens: `{N}` or `{N:5}` (the counter, zero-padded to 5),
//! `{FY}` (the fiscal year: `25-26` for a year starting in April 2025,
//! `2026` for a calendar year), `{YY}` and `{MM}` (of the document date),
//! `{BR}` (the branch code). Everything else is literal. Indian GST limits
//! a number to 16 characters of letters, digits, `-` and `/`, starting with
//! a letter or digit; [`SeriesTemplate::format`] enforces that when asked.

use chrono::{Datelike, NaiveDate};

use crate::DomainError;
use crate::org::fiscal_year_start_for;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Counter(usize),
    FiscalYear,
    Year,
    Month,
    Branch,
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesTemplate {
    parts: Vec<Part>,
}

fn bad(m: impl Into<String>) -> DomainError {
    DomainError::invalid("template", m)
}

impl SeriesTemplate {
    pub fn parse(s: &str) -> Result<SeriesTemplate, DomainError> {
        let mut parts = Vec::new();
        let mut rest = s;
        let mut counters = 0;
        while !rest.is_empty() {
            if let Some(open) = rest.find('{') {
                if open > 0 {
                    parts.push(Part::Text(rest[..open].to_owned()));
                }
                let close = rest[open..]
                    .find('}')
                    .ok_or_else(|| bad("a '{' is not closed"))?
                    + open;
                let token = &rest[open + 1..close];
                parts.push(match token {
                    "FY" => Part::FiscalYear,
                    "YY" => Part::Year,
                    "MM" => Part::Month,
                    "BR" => Part::Branch,
                    "N" => Part::Counter(1),
                    t if t.starts_with("N:") => {
                        let w: usize = t[2..]
                            .parse()
                            .ok()
                            .filter(|w| (1..=12).contains(w))
                            .ok_or_else(|| bad(format!("'{{{t}}}': the width is 1 to 12")))?;
                        Part::Counter(w)
                    }
                    t => {
                        return Err(bad(format!(
                            "'{{{t}}}' is not a token (N, N:5, FY, YY, MM, BR)"
                        )));
                    }
                });
                if matches!(parts.last(), Some(Part::Counter(_))) {
                    counters += 1;
                }
                rest = &rest[close + 1..];
            } else {
                parts.push(Part::Text(rest.to_owned()));
                rest = "";
            }
        }
        if counters != 1 {
            return Err(bad("a template has exactly one counter, {N} or {N:width}"));
        }
        if let Some(Part::Text(t)) = parts
            .iter()
            .find(|p| matches!(p, Part::Text(t) if t.contains('}')))
        {
            return Err(bad(format!("'{t}' has a '}}' without its '{{'")));
        }
        Ok(SeriesTemplate { parts })
    }

    /// Which counter a document dated `date` in `branch` takes: the
    /// counter restarts each fiscal year only when the number shows the
    /// fiscal year (`{FY}`), each calendar year when it shows only `{YY}`,
    /// and never otherwise; branches count apart only when the number
    /// shows the branch (`{BR}`). So two documents can never be given the
    /// same number. Returns (branch key, period key).
    pub fn counter_key(
        &self,
        date: NaiveDate,
        fiscal_year_start: (u32, u32),
        branch: &str,
    ) -> (String, String) {
        let branch_key = if self.parts.contains(&Part::Branch) {
            branch.to_owned()
        } else {
            String::new()
        };
        let period = if self.parts.contains(&Part::FiscalYear) {
            fiscal_year_label(date, fiscal_year_start)
        } else if self.parts.contains(&Part::Year) {
            format!("Y{}", date.year())
        } else {
            "all".to_owned()
        };
        (branch_key, period)
    }

    /// The number `counter` of a document dated `date`.
    pub fn format(
        &self,
        counter: i64,
        date: NaiveDate,
        fiscal_year_start: (u32, u32),
        branch: &str,
        gst_limits: bool,
    ) -> Result<String, DomainError> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Counter(w) => out.push_str(&format!("{counter:0w$}")),
                Part::FiscalYear => out.push_str(&fiscal_year_label(date, fiscal_year_start)),
                Part::Year => out.push_str(&format!("{:02}", date.year() % 100)),
                Part::Month => out.push_str(&format!("{:02}", date.month())),
                Part::Branch => out.push_str(branch),
            }
        }
        if gst_limits {
            let ok_chars = out
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/');
            let ok_first = out
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if out.len() > 16 || !ok_chars || !ok_first {
                return Err(DomainError::invalid(
                    "template",
                    format!(
                        "'{out}' breaks the GST rule: at most 16 letters, digits, '-' or '/', \
                         starting with a letter or digit"
                    ),
                ));
            }
        }
        Ok(out)
    }
}

/// The label of the fiscal year holding `date`: `2026` for a calendar
/// year, `25-26` for one that starts on another day.
pub fn fiscal_year_label(date: NaiveDate, start: (u32, u32)) -> String {
    let first = fiscal_year_start_for(date, start);
    if start == (1, 1) {
        first.year().to_string()
    } else {
        format!("{:02}-{:02}", first.year() % 100, (first.year() + 1) % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn counters_restart_only_when_the_number_shows_it() {
        let fy = SeriesTemplate::parse("{BR}/{FY}/{N:5}").unwrap();
        assert_eq!(
            fy.counter_key(d(2026, 2, 10), (4, 1), "MUM"),
            ("MUM".to_owned(), "25-26".to_owned())
        );
        let plain = SeriesTemplate::parse("INV-{N:5}").unwrap();
        assert_eq!(
            plain.counter_key(d(2026, 2, 10), (4, 1), "MUM"),
            (String::new(), "all".to_owned())
        );
        let yy = SeriesTemplate::parse("INV{YY}-{N}").unwrap();
        assert_eq!(yy.counter_key(d(2026, 2, 10), (4, 1), "").1, "Y2026");
    }

    #[test]
    fn formats_indian_branch_series() {
        let t = SeriesTemplate::parse("{BR}/{FY}/{N:5}").unwrap();
        assert_eq!(
            t.format(42, d(2026, 2, 10), (4, 1), "MUM", true).unwrap(),
            "MUM/25-26/00042"
        );
        assert_eq!(
            t.format(1, d(2026, 4, 1), (4, 1), "MUM", true).unwrap(),
            "MUM/26-27/00001"
        );
    }

    #[test]
    fn calendar_years_and_months() {
        let t = SeriesTemplate::parse("INV-{YY}{MM}-{N:4}").unwrap();
        assert_eq!(
            t.format(7, d(2026, 3, 5), (1, 1), "", false).unwrap(),
            "INV-2603-0007"
        );
        assert_eq!(fiscal_year_label(d(2026, 3, 5), (1, 1)), "2026");
        // A counter wider than its padding is written whole.
        let n = SeriesTemplate::parse("{N:2}").unwrap();
        assert_eq!(
            n.format(1234, d(2026, 1, 1), (1, 1), "", false).unwrap(),
            "1234"
        );
    }

    #[test]
    fn refuses_bad_templates_and_gst_breaches() {
        for bad in [
            "INV", "{N}{N}", "{X}", "{N:0}", "{N:13}", "INV-{N", "INV}-{N}",
        ] {
            assert!(SeriesTemplate::parse(bad).is_err(), "{bad}");
        }
        let long = SeriesTemplate::parse("INVOICE/{FY}/{N:6}").unwrap();
        assert!(
            long.format(1, d(2026, 1, 1), (4, 1), "", true).is_err(),
            "17 characters"
        );
        let space = SeriesTemplate::parse("INV {N}").unwrap();
        assert!(space.format(1, d(2026, 1, 1), (4, 1), "", true).is_err());
        assert!(space.format(1, d(2026, 1, 1), (4, 1), "", false).is_ok());
        let dash = SeriesTemplate::parse("-{N}").unwrap();
        assert!(dash.format(1, d(2026, 1, 1), (4, 1), "", true).is_err());
    }
}
