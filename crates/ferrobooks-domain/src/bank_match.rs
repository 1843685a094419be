//! How well a ledger line explains a bank statement line: a score from 0
//! to 100 that ranks match suggestions.
//!
//! Only a line of the same amount is a candidate (a deposit of several
//! payments is matched by naming them together). Among those, a closer
//! date and shared words (the statement's description and payee against
//! the entry's memo, reference, line description and contact) rank
//! higher: 60 for the amount, up to 25 for the date (nothing at ten days
//! or more), up to 15 for the words.

use std::collections::BTreeSet;

/// What a statement line says.
#[derive(Debug, Clone)]
pub struct Statement<'a> {
    /// Days since an epoch (any fixed day).
    pub day: i64,
    /// Signed, the account's currency (positive: money in).
    pub amount: i64,
    pub text: &'a [&'a str],
}

/// What a ledger line of the account says.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub day: i64,
    /// Signed the same way (a debit of a bank is money in).
    pub amount: i64,
    pub text: &'a [&'a str],
}

/// Lower-case alphanumeric words of three letters or more: what two
/// spellings of one payee share ("ACME SUPPLIES INC" and "Acme Supplies").
pub fn words(texts: &[&str]) -> BTreeSet<String> {
    texts
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect()
}

/// The score of `c` for `s`: `None` when the amounts differ.
pub fn score(s: &Statement<'_>, c: &Candidate<'_>) -> Option<u32> {
    if s.amount != c.amount {
        return None;
    }
    let days = (s.day - c.day).unsigned_abs();
    let date = 25u64.saturating_sub(days.saturating_mul(25) / 10);
    let (a, b) = (words(s.text), words(c.text));
    let shared = a.intersection(&b).count() as u64;
    let fewer = a.len().min(b.len()) as u64;
    let text = (15 * shared).checked_div(fewer).unwrap_or(0);
    Some(60 + u32::try_from(date + text).unwrap_or(40))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amount_gates_and_date_and_words_rank() {
        let s = Statement {
            day: 100,
            amount: -4_250,
            text: &["CARD 4411 ACME SUPPLIES", "Acme Supplies Inc"],
        };
        let exact = Candidate {
            day: 100,
            amount: -4_250,
            text: &["Bill payment BPAY-00001", "Acme Supplies"],
        };
        let late = Candidate {
            day: 104,
            ..exact.clone()
        };
        let far = Candidate {
            day: 130,
            ..exact.clone()
        };
        let other = Candidate {
            text: &["Rent"],
            ..exact.clone()
        };
        assert_eq!(score(&s, &exact), Some(92));
        assert!(score(&s, &late) < score(&s, &exact));
        assert_eq!(score(&s, &far), Some(67));
        assert_eq!(score(&s, &other), Some(85));
        assert_eq!(
            score(
                &s,
                &Candidate {
                    amount: 4_250,
                    ..exact
                }
            ),
            None
        );
    }
}

/// The conditions of a bank rule; every one given must hold.
#[derive(Debug, Clone, Default)]
pub struct RuleConditions<'a> {
    /// Text the line's description holds, any case.
    pub description_contains: Option<&'a str>,
    /// Text the line's payee holds, any case.
    pub payee_contains: Option<&'a str>,
    /// Money in (`Some(true)`) or out (`Some(false)`).
    pub money_in: Option<bool>,
    /// Bounds on the amount without its sign.
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
}

impl RuleConditions<'_> {
    /// Whether a statement line of `amount` (signed: positive is money in)
    /// with `description` and `payee` meets every condition.
    pub fn hold(&self, amount: i64, description: &str, payee: Option<&str>) -> bool {
        let contains =
            |hay: &str, needle: &str| hay.to_lowercase().contains(&needle.to_lowercase());
        self.description_contains
            .is_none_or(|t| contains(description, t))
            && self
                .payee_contains
                .is_none_or(|t| payee.is_some_and(|p| contains(p, t)))
            && self.money_in.is_none_or(|m| (amount > 0) == m)
            && self.amount_min.is_none_or(|m| amount.abs() >= m)
            && self.amount_max.is_none_or(|m| amount.abs() <= m)
    }
}

#[cfg(test)]
mod rule_tests {
    use super::*;

    #[test]
    fn every_condition_given_must_hold() {
        let fees = RuleConditions {
            description_contains: Some("fee"),
            money_in: Some(false),
            amount_max: Some(5_000),
            ..Default::default()
        };
        assert!(fees.hold(-1_500, "MONTHLY FEE", None));
        assert!(!fees.hold(1_500, "MONTHLY FEE", None), "money in");
        assert!(!fees.hold(-6_000, "MONTHLY FEE", None), "over the maximum");
        assert!(!fees.hold(-1_500, "RENT", None), "no text");
        let payee = RuleConditions {
            payee_contains: Some("acme"),
            ..Default::default()
        };
        assert!(payee.hold(10, "x", Some("ACME Ltd")));
        assert!(
            !payee.hold(10, "acme", None),
            "the payee, not the description"
        );
    }
}
