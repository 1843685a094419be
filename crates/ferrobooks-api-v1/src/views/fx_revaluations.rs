//! The native API's revaluation shapes, translated field by field from
//! and to the use cases' own types.

use std::collections::BTreeMap;

use crate::views::money::{Amount, DecimalText};
use ferrobooks_service::fx_revaluations as svc;
use serde::{Deserialize, Serialize};

/// One revalued balance.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RevaluedLine {
    /// account, invoice, bill or payment.
    pub item: String,
    /// The account's id, or the invoice's, bill's or payment's.
    pub item_id: String,
    /// The account the difference posts to (the item's own, or the
    /// receivable or payable control account).
    pub account_id: String,
    pub contact_id: Option<String>,
    pub currency: String,
    /// The balance in its currency, debit positive.
    pub balance: Amount,
    /// What the books carried it at, in base.
    pub carried: Amount,
    /// Balance x closing rate, in base.
    pub revalued: Amount,
    /// revalued - carried: a debit when positive.
    pub difference: Amount,
}

/// An unrealized FX revaluation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RevaluationView {
    pub id: String,
    #[schema(format = Date)]
    pub date: String,
    /// The closing rates used: base per unit of each currency.
    pub rates: BTreeMap<String, String>,
    pub lines: Vec<RevaluedLine>,
    /// The sum of the differences: a gain when positive.
    pub total: Amount,
    /// Posted on `date` (Dr/Cr each item, against 7907); none when
    /// nothing moved.
    pub journal_entry_id: Option<String>,
    /// Its exact mirror, posted the next day.
    pub reversal_entry_id: Option<String>,
    pub created_at: String,
}

impl From<svc::RevaluationView> for RevaluationView {
    fn from(v: svc::RevaluationView) -> Self {
        let svc::RevaluationView {
            id,
            date,
            rates,
            lines,
            total,
            journal_entry_id,
            reversal_entry_id,
            created_at,
        } = v;
        RevaluationView {
            id,
            date,
            rates,
            lines: lines
                .into_iter()
                .map(|l| {
                    let svc::RevaluedLine {
                        item,
                        item_id,
                        account_id,
                        contact_id,
                        currency,
                        balance,
                        carried,
                        revalued,
                        difference,
                    } = l;
                    RevaluedLine {
                        item,
                        item_id,
                        account_id,
                        contact_id,
                        currency,
                        balance: balance.into(),
                        carried: carried.into(),
                        revalued: revalued.into(),
                        difference: difference.into(),
                    }
                })
                .collect(),
            total: total.into(),
            journal_entry_id,
            reversal_entry_id,
            created_at,
        }
    }
}

/// A revaluation to post.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-31", "rates": {"EUR": "1.0912", "GBP": "1.27"}}))]
pub struct NewRevaluation {
    #[schema(format = Date)]
    pub date: String,
    /// Closing rates, base per unit: one for each currency the books hold
    /// on the date.
    pub rates: BTreeMap<String, DecimalText>,
}

impl From<NewRevaluation> for svc::NewRevaluation {
    fn from(v: NewRevaluation) -> Self {
        let NewRevaluation { date, rates } = v;
        svc::NewRevaluation {
            date,
            rates: rates.into_iter().map(|(k, r)| (k, r.into())).collect(),
        }
    }
}
