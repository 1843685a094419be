//! How well a ledger line explains a bank statement line: a score from 0
//! to 100 that ranks match suggestions.
//!
//! Only a line of the same amount is a candidate. Among those, a closer
//! date and shared words (the statement's description and payee against
//! the entry's memo, reference, line description and contact) rank
//! higher: 60 for the amount, up to 25 for the date (nothing at ten days
//! or more), up to 15 for the words.
//!
//! A deposit of several payments is explained by a group of two or three
//! lines that add up to it ([`groups`], [`group_score`]): such a sum is
//! found by chance far more often than an equal amount, so a group starts
//! at 40 and never scores above 80, under what a blind auto-matcher would
//! take, and a person confirms it.

use std::collections::{BTreeSet, HashMap};

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
    let points = date_points(days) + word_points(&words(s.text), &words(c.text));
    Some(60 + u32::try_from(points).unwrap_or(40))
}

/// The date's part of a score: 25 on the day, nothing from ten days.
fn date_points(days: u64) -> u64 {
    25u64.saturating_sub(days.saturating_mul(25) / 10)
}

/// The words' part of a score: up to 15 for the share of the fewer words
/// that both sides say.
fn word_points(a: &BTreeSet<String>, b: &BTreeSet<String>) -> u64 {
    let shared = a.intersection(b).count() as u64;
    let fewer = a.len().min(b.len()) as u64;
    (15 * shared).checked_div(fewer).unwrap_or(0)
}

/// The score of a group of candidates for `s`: `None` unless their
/// amounts add up to it. The date counts the farthest of them; the words,
/// all of theirs together.
pub fn group_score(s: &Statement<'_>, group: &[Candidate<'_>]) -> Option<u32> {
    if group.len() < 2 || group.iter().map(|c| c.amount).sum::<i64>() != s.amount {
        return None;
    }
    let days = group
        .iter()
        .map(|c| (s.day - c.day).unsigned_abs())
        .max()
        .unwrap_or(0);
    let texts: Vec<&str> = group.iter().flat_map(|c| c.text.iter().copied()).collect();
    let points = date_points(days) + word_points(&words(s.text), &words(&texts));
    Some(40 + u32::try_from(points).unwrap_or(40))
}

/// Groups of two or three of `amounts` (by index, ascending) that add up
/// to `target`, at most `limit` of them, in the order the indices give
/// (pass the candidates nearest first). Pairs by a map of amounts, triples
/// by every pair and the map: quadratic in the candidates, so keep them
/// to a few hundred.
pub fn groups(target: i64, amounts: &[i64], limit: usize) -> Vec<Vec<usize>> {
    let mut at: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, a) in amounts.iter().enumerate() {
        at.entry(*a).or_default().push(i);
    }
    let mut out = Vec::new();
    // Pairs first: a deposit of two is likelier than one of three.
    for (i, a) in amounts.iter().enumerate() {
        for &j in at.get(&(target - a)).map_or(&[][..], Vec::as_slice) {
            if j > i && out.len() < limit {
                out.push(vec![i, j]);
            }
        }
    }
    for i in 0..amounts.len() {
        for j in i + 1..amounts.len() {
            let rest = target - amounts[i] - amounts[j];
            for &k in at.get(&rest).map_or(&[][..], Vec::as_slice) {
                if k > j {
                    if out.len() >= limit {
                        return out;
                    }
                    out.push(vec![i, j, k]);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_add_up_and_score_under_a_single_match() {
        let amounts = [300, 100, 200, 50, 250];
        let found = groups(600, &amounts, 10);
        assert!(found.contains(&vec![0, 1, 2]), "{found:?}");
        assert!(found.contains(&vec![0, 3, 4]), "{found:?}");
        assert!(
            found
                .iter()
                .all(|g| g.iter().map(|&i| amounts[i]).sum::<i64>() == 600)
        );
        assert_eq!(groups(550, &amounts, 10)[0], vec![0, 4], "pairs first");
        assert_eq!(groups(600, &amounts, 1).len(), 1, "the limit holds");
        assert!(groups(10_000, &amounts, 10).is_empty());
        let s = Statement {
            day: 10,
            amount: 600,
            text: &["BRANCH DEPOSIT ACME"],
        };
        let c = |day, amount, text| Candidate { day, amount, text };
        let parts = [c(10, 300, &["Acme"][..]), c(9, 300, &["Beta"][..])];
        assert_eq!(
            group_score(&s, &parts),
            Some(40 + 23 + 7),
            "a day off; one of two words"
        );
        assert_eq!(group_score(&s, &parts[..1]), None, "one line is no group");
        assert_eq!(group_score(&s, &[parts[0].clone(), c(9, 299, &[])]), None);
        assert!(group_score(&s, &parts).unwrap() <= 80);
    }

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
