//! The native API's shapes for explaining statement lines: suggestions,
//! matches and categorizations.

use crate::views::money::{Amount, DecimalText};
use ferrobooks_service::banking::matching as svc;
use serde::{Deserialize, Serialize};

/// A posted line of the account that may explain a statement line.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestedLine {
    /// `{entry_id}:{line_no}`: what `match` names.
    pub line_id: String,
    pub entry_id: String,
    #[schema(format = Date)]
    pub date: String,
    /// In the account's currency, positive for money in.
    pub amount: Amount,
    pub number: Option<String>,
    pub memo: Option<String>,
    pub reference: Option<String>,
    pub description: Option<String>,
    /// What posted it (`payment pay_...`, `transfer xfer_...`); none for a
    /// journal entry of the API.
    pub source: Option<String>,
    /// The customer or vendor of the entry, if it names one.
    pub contact_name: Option<String>,
}

impl From<svc::SuggestedLine> for SuggestedLine {
    fn from(v: svc::SuggestedLine) -> Self {
        let svc::SuggestedLine {
            line_id,
            entry_id,
            date,
            amount,
            number,
            memo,
            reference,
            description,
            source,
            contact_name,
        } = v;
        SuggestedLine {
            line_id,
            entry_id,
            date,
            amount: amount.into(),
            number,
            memo,
            reference,
            description,
            source,
            contact_name,
        }
    }
}

/// What may explain a statement line: one posted line of the same amount,
/// or a group of two or three that add up to it (a deposit). `match`
/// takes the `line_id`s of its lines.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// 0 to 100. One line: 60 for the amount, up to 25 for the date
    /// (nothing from ten days), up to 15 for the words the statement's
    /// description and payee share with the entry's. A group: 40 instead
    /// of 60, so at most 80 (a sum is matched by chance more often than
    /// an amount: have a person confirm it).
    #[schema(minimum = 0, maximum = 100)]
    pub score: u32,
    pub lines: Vec<SuggestedLine>,
}

impl From<svc::Suggestion> for Suggestion {
    fn from(v: svc::Suggestion) -> Self {
        let svc::Suggestion { score, lines } = v;
        Suggestion {
            score,
            lines: lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// Ledger lines that explain a statement line, by `line_id`: their
/// amounts add up to it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"lines": ["je_01kbx2h1entry00000000000000:0", "je_01kbx2h1entry00000000000001:0"]}))]
pub struct MatchInput {
    pub lines: Vec<String>,
}

impl From<MatchInput> for svc::MatchInput {
    fn from(v: MatchInput) -> Self {
        let MatchInput { lines } = v;
        svc::MatchInput { lines }
    }
}

/// One account of a categorization.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryLine {
    pub account_id: String,
    /// Positive, in the statement line's currency, tax included; may be
    /// left out on a single line (the whole amount).
    pub amount: Option<DecimalText>,
    pub description: Option<String>,
    /// A tax the amount includes: taken out of it (each component is
    /// amount x rate / (100 + total rate), rounded; the account gets the
    /// rest) and claimed as input tax on money out, owed as output tax on
    /// money in.
    pub tax_id: Option<String>,
}

/// Explains a statement line by an entry of its own: the bank against the
/// accounts given (split as given, adding up to the line).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"lines": [{"account_id": "acc_01kbx2h1fees0000000000000000"}], "memo": "Monthly fee"}))]
pub struct CategorizeInput {
    pub lines: Vec<CategoryLine>,
    /// The vendor (money out; money in on a card) or customer (money in
    /// on a bank or cash account) the line is with.
    pub contact_id: Option<String>,
    pub memo: Option<String>,
    /// Base per unit of the account's currency: required for an account
    /// kept in another currency than the base.
    pub exchange_rate: Option<DecimalText>,
}

impl From<CategorizeInput> for svc::CategorizeInput {
    fn from(v: CategorizeInput) -> Self {
        let CategorizeInput {
            lines,
            contact_id,
            memo,
            exchange_rate,
        } = v;
        svc::CategorizeInput {
            lines: lines
                .into_iter()
                .map(
                    |CategoryLine {
                         account_id,
                         amount,
                         description,
                         tax_id,
                     }| svc::CategoryLine {
                        account_id,
                        amount: amount.map(Into::into),
                        description,
                        tax_id,
                    },
                )
                .collect(),
            contact_id,
            memo,
            exchange_rate: exchange_rate.map(Into::into),
        }
    }
}
