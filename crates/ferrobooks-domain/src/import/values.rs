//! Reading a spreadsheet cell's text as what a field needs: dates in the
//! organization's format (or ISO), decimals in the books' one grammar,
//! yes/no, account types as QuickBooks and Xero name them.

use chrono::NaiveDate;

use crate::account::AccountType;

/// The chrono pattern of an organization's date format (one of
/// [`crate::org::DATE_FORMATS`]).
fn pattern(format: &str) -> Option<&'static str> {
    Some(match format {
        "YYYY-MM-DD" => "%Y-%m-%d",
        "DD/MM/YYYY" => "%d/%m/%Y",
        "MM/DD/YYYY" => "%m/%d/%Y",
        "DD-MM-YYYY" => "%d-%m-%Y",
        "DD.MM.YYYY" => "%d.%m.%Y",
        _ => return None,
    })
}

/// The organization's date formats in the importer reference's pattern
/// letters (Java's), both ways.
const IMPORTER_PATTERNS: &[(&str, &str)] = &[
    ("YYYY-MM-DD", "yyyy-MM-dd"),
    ("DD/MM/YYYY", "dd/MM/yyyy"),
    ("MM/DD/YYYY", "MM/dd/yyyy"),
    ("DD-MM-YYYY", "dd-MM-yyyy"),
    ("DD.MM.YYYY", "dd.MM.yyyy"),
];

/// `MM/DD/YYYY` as the importer writes it: `MM/dd/yyyy`.
pub fn importer_pattern(org_format: &str) -> &str {
    IMPORTER_PATTERNS
        .iter()
        .find(|(o, _)| *o == org_format)
        .map_or(org_format, |(_, p)| p)
}

/// The organization's format an importer pattern names, if any.
pub fn org_format(pattern: &str) -> Option<&'static str> {
    IMPORTER_PATTERNS
        .iter()
        .find(|(_, p)| *p == pattern)
        .map(|(o, _)| *o)
}

/// Reads `text` as a date in the organization's `format` (one or two
/// digits for day and month, four for the year) or as ISO `YYYY-MM-DD`;
/// None when it is neither.
pub fn parse_date(text: &str, format: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        && t.len() == 10
    {
        return Some(d);
    }
    let pattern = pattern(format)?;
    // A four-digit year only: "3/1/26" is not read as the year 26.
    let year_ok = t
        .rsplit(['/', '-', '.'])
        .next()
        .is_some_and(|y| y.len() == 4)
        || t.split(['/', '-', '.'])
            .next()
            .is_some_and(|y| y.len() == 4);
    if !year_ok {
        return None;
    }
    NaiveDate::parse_from_str(t, pattern).ok()
}

/// Reads yes/no: true, false, yes, no, 1, 0, y, n (any case).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// A spreadsheet's number as the books' decimal text: thousands
/// separators (`1,500.00`) and a currency symbol or code in front are
/// dropped, a parenthesized amount is negative; anything else is left for
/// the money grammar to judge.
pub fn decimal_text(text: &str) -> String {
    let mut t = text.trim();
    let negative = t.starts_with('(') && t.ends_with(')');
    if negative {
        t = t[1..t.len() - 1].trim();
    }
    let t = t.trim_start_matches(['$', '£', '€', '₹']).trim();
    let body: String = if t.contains(',') && grouped_thousands(t) {
        t.chars().filter(|c| *c != ',').collect()
    } else {
        t.to_owned()
    };
    if negative { format!("-{body}") } else { body }
}

/// `1,234,567.89`: commas only between groups of three digits.
fn grouped_thousands(t: &str) -> bool {
    let int = t.split('.').next().unwrap_or_default();
    let int = int.strip_prefix('-').unwrap_or(int);
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or_default();
    !first.is_empty()
        && first.len() <= 3
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_format_or_iso() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(parse_date("03/01/2026", "MM/DD/YYYY"), Some(d));
        assert_eq!(parse_date("3/1/2026", "MM/DD/YYYY"), Some(d));
        assert_eq!(parse_date("01/03/2026", "DD/MM/YYYY"), Some(d));
        assert_eq!(parse_date("2026-03-01", "DD/MM/YYYY"), Some(d));
        assert_eq!(parse_date("01.03.2026", "DD.MM.YYYY"), Some(d));
        assert_eq!(parse_date("13/01/2026", "MM/DD/YYYY"), None);
        assert_eq!(parse_date("3/1/26", "MM/DD/YYYY"), None);
        assert_eq!(parse_date("March 1", "MM/DD/YYYY"), None);
        assert_eq!(parse_date("2026-02-30", "YYYY-MM-DD"), None);
    }

    #[test]
    fn spreadsheet_numbers() {
        assert_eq!(decimal_text("1,500.00"), "1500.00");
        assert_eq!(decimal_text("$1,234,567.89"), "1234567.89");
        assert_eq!(decimal_text("(25.50)"), "-25.50");
        assert_eq!(decimal_text(" 899.99 "), "899.99");
        // Not thousands: left for the grammar to refuse.
        assert_eq!(decimal_text("1,5"), "1,5");
        assert_eq!(decimal_text("12,34.5"), "12,34.5");
    }

    #[test]
    fn yes_and_no() {
        assert_eq!(parse_bool("Yes"), Some(true));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}

/// An account type as a spreadsheet names it: the books' own (`asset`,
/// `expense`...), QuickBooks' (`Bank`, `Other Current Asset`, `Cost of
/// Goods Sold`...) or Xero's (`Current Asset`, `Revenue`, `Overhead`...),
/// case-insensitively, with the subtype it implies.
pub fn account_type(text: &str) -> Option<(AccountType, &'static str)> {
    use AccountType::{Asset, Equity, Expense, Income, Liability};
    let key: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    Some(match key.as_str() {
        "asset" | "currentasset" | "othercurrentasset" => (Asset, "current"),
        "bank" => (Asset, "bank"),
        "cash" => (Asset, "cash"),
        "accountsreceivable" | "receivable" => (Asset, "receivable"),
        "inventory" | "stock" => (Asset, "inventory"),
        "prepayment" | "prepayments" => (Asset, "prepayments"),
        "fixedasset" => (Asset, "fixed"),
        "otherasset" | "noncurrentasset" => (Asset, "non_current"),
        "liability" | "currentliability" | "othercurrentliability" => (Liability, "current"),
        "accountspayable" | "payable" => (Liability, "payable"),
        "creditcard" => (Liability, "credit_card"),
        "longtermliability" | "noncurrentliability" => (Liability, "non_current"),
        "equity" => (Equity, "equity"),
        "income" | "revenue" | "sales" => (Income, "income"),
        "otherincome" => (Income, "other_income"),
        "expense" | "expenses" | "overhead" | "overheads" => (Expense, "expense"),
        "costofgoodssold" | "directcosts" | "directcost" | "costofsales" => {
            (Expense, "direct_cost")
        }
        "depreciation" => (Expense, "depreciation"),
        "otherexpense" => (Expense, "other_expense"),
        _ => return None,
    })
}

#[cfg(test)]
mod account_type_tests {
    use super::*;

    #[test]
    fn quickbooks_and_xero_types_map_to_the_books() {
        assert_eq!(account_type("Bank"), Some((AccountType::Asset, "bank")));
        assert_eq!(
            account_type("Other Current Liability"),
            Some((AccountType::Liability, "current"))
        );
        assert_eq!(
            account_type("Cost of Goods Sold"),
            Some((AccountType::Expense, "direct_cost"))
        );
        assert_eq!(
            account_type("REVENUE"),
            Some((AccountType::Income, "income"))
        );
        assert_eq!(
            account_type("non-current asset"),
            Some((AccountType::Asset, "non_current"))
        );
        assert_eq!(account_type("Sideways"), None);
    }
}
