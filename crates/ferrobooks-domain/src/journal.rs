//! Journal entries that cannot exist unbalanced.
//!
//! A [`BalancedEntry`] is only made by [`BalancedEntry::new`], which checks
//! every line and that debits equal credits; everything that posts to the
//! ledger takes one, so an unbalanced posting is a type error, not a bug
//! waiting for a test.

use serde::{Deserialize, Serialize};

use crate::money::{MAX_MINOR, format_minor};
use crate::{DomainError, Minor};

/// One line of an entry: either a debit or a credit of a positive amount,
/// in the organization's base currency (what balances).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryLine {
    pub account_id: String,
    pub debit: Minor,
    pub credit: Minor,
    pub description: Option<String>,
    pub contact_id: Option<String>,
    /// On an account kept in another currency than the base: the line's
    /// amount in the account's currency, on the same side as `debit` or
    /// `credit`. Such an account's balance is kept in both; the base
    /// amounts alone balance the entry. Zero is allowed: a revaluation
    /// moves only the base value of a foreign balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign: Option<Foreign>,
}

/// An amount in a currency other than the organization's base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Foreign {
    /// ISO 4217 code of the account's currency.
    pub currency: String,
    /// Minor units of that currency, never negative (the side is the line's).
    pub amount: Minor,
}

impl EntryLine {
    /// The same line carrying its amount in the account's own currency.
    pub fn in_currency(self, currency: &str, amount: Minor) -> EntryLine {
        EntryLine {
            foreign: Some(Foreign {
                currency: currency.to_owned(),
                amount,
            }),
            ..self
        }
    }

    /// Debit minus credit in the account's own currency: the foreign amount
    /// when the line has one, else the base amount.
    pub fn own_signed(&self) -> Minor {
        match &self.foreign {
            Some(f) if self.debit > 0 => f.amount,
            Some(f) => -f.amount,
            None => self.debit - self.credit,
        }
    }
}

/// The most lines one entry may have; bigger imports split into entries.
pub const MAX_LINES: usize = 500;

/// A checked, balanced set of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalancedEntry {
    lines: Vec<EntryLine>,
    total: Minor,
}

impl BalancedEntry {
    /// Checks the lines; `exp` is the currency's minor-unit digits, used only
    /// to write amounts in the error message the way the client sent them.
    pub fn new(lines: Vec<EntryLine>, exp: u32) -> Result<Self, DomainError> {
        if lines.len() < 2 {
            return Err(DomainError::invalid(
                "lines",
                "an entry needs at least two lines",
            ));
        }
        if lines.len() > MAX_LINES {
            return Err(DomainError::invalid(
                "lines",
                format!("an entry has at most {MAX_LINES} lines"),
            ));
        }
        let (mut debits, mut credits) = (0i64, 0i64);
        for (i, l) in lines.iter().enumerate() {
            let field = |f: &str| format!("lines[{i}].{f}");
            if l.debit < 0 || l.credit < 0 {
                return Err(DomainError::invalid(
                    field(if l.debit < 0 { "debit" } else { "credit" }),
                    "must not be negative",
                ));
            }
            if (l.debit == 0) == (l.credit == 0) {
                return Err(DomainError::invalid(
                    field("debit"),
                    "a line has either a debit or a credit, greater than zero",
                ));
            }
            if l.debit > MAX_MINOR || l.credit > MAX_MINOR {
                return Err(DomainError::invalid(field("debit"), "amount is too large"));
            }
            if let Some(f) = &l.foreign
                && !(0..=MAX_MINOR).contains(&f.amount)
            {
                return Err(DomainError::invalid(
                    field("currency_amount"),
                    if f.amount < 0 {
                        "must not be negative"
                    } else {
                        "amount is too large"
                    },
                ));
            }
            debits += l.debit;
            credits += l.credit;
        }
        if debits != credits {
            return Err(DomainError::Unbalanced {
                debits: format_minor(debits, exp),
                credits: format_minor(credits, exp),
                difference: format_minor((debits - credits).abs(), exp),
            });
        }
        Ok(BalancedEntry {
            lines,
            total: debits,
        })
    }

    pub fn lines(&self) -> &[EntryLine] {
        &self.lines
    }

    /// Sum of the debits, which equals the sum of the credits.
    pub fn total(&self) -> Minor {
        self.total
    }

    /// The exact mirror: every debit becomes a credit and back. Posting it
    /// returns every balance the entry touched to what it was.
    pub fn reversal(&self) -> BalancedEntry {
        BalancedEntry {
            lines: self
                .lines
                .iter()
                .map(|l| EntryLine {
                    debit: l.credit,
                    credit: l.debit,
                    ..l.clone()
                })
                .collect(),
            total: self.total,
        }
    }

    pub fn into_lines(self) -> Vec<EntryLine> {
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(a: &str, d: Minor, c: Minor) -> EntryLine {
        EntryLine {
            account_id: a.into(),
            debit: d,
            credit: c,
            description: None,
            contact_id: None,
            foreign: None,
        }
    }

    #[test]
    fn balanced_entry() {
        let e = BalancedEntry::new(vec![line("a", 100, 0), line("b", 0, 100)], 2).unwrap();
        assert_eq!(e.total(), 100);
        assert_eq!(e.reversal().lines()[0].credit, 100);
    }

    #[test]
    fn unbalanced_names_difference() {
        let err = BalancedEntry::new(vec![line("a", 100, 0), line("b", 0, 90)], 2).unwrap_err();
        assert_eq!(
            err.to_string(),
            "entry is unbalanced: debits 1.00 and credits 0.90 differ by 0.10"
        );
    }

    #[test]
    fn bad_lines() {
        assert!(BalancedEntry::new(vec![line("a", 100, 0)], 2).is_err());
        assert!(BalancedEntry::new(vec![line("a", 100, 100), line("b", 0, 0)], 2).is_err());
        assert!(BalancedEntry::new(vec![line("a", -1, 0), line("b", 0, -1)], 2).is_err());
        let negative = line("a", 100, 0).in_currency("EUR", -1);
        assert!(BalancedEntry::new(vec![negative, line("b", 0, 100)], 2).is_err());
    }

    #[test]
    fn foreign_amounts_follow_the_line_and_its_reversal() {
        let eur = line("bank_eur", 0, 1_085).in_currency("EUR", 1_000);
        let e = BalancedEntry::new(vec![line("a", 1_085, 0), eur], 2).unwrap();
        assert_eq!(e.lines()[1].own_signed(), -1_000);
        let r = e.reversal();
        assert_eq!(r.lines()[1].own_signed(), 1_000);
        assert_eq!(r.lines()[1].debit, 1_085);
        // A revaluation: base value only.
        let reval = line("bank_eur", 50, 0).in_currency("EUR", 0);
        assert_eq!(reval.own_signed(), 0);
    }
}
