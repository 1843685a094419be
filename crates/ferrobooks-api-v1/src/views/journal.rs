//! The native API's journal shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use crate::views::money::{Amount, DecimalText};
use ferrobooks_service::journal as svc;
use serde::{Deserialize, Serialize};

/// A journal entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JournalEntryView {
    pub id: String,
    /// Given when the entry is posted (`JE-000042`); drafts have none.
    pub number: Option<String>,
    #[schema(format = Date)]
    pub date: String,
    pub memo: Option<String>,
    pub reference: Option<String>,
    /// draft, posted or void.
    pub status: String,
    pub currency: String,
    /// Sum of the debits (equal to the sum of the credits).
    pub total: Amount,
    pub lines: Vec<LineView>,
    /// For a reversal: the entry it reverses.
    pub reversal_of: Option<String>,
    /// For a voided entry: the reversal that voided it.
    pub reversed_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub posted_at: Option<String>,
    pub voided_at: Option<String>,
}

impl From<svc::JournalEntryView> for JournalEntryView {
    fn from(v: svc::JournalEntryView) -> Self {
        let svc::JournalEntryView {
            id,
            number,
            date,
            memo,
            reference,
            status,
            currency,
            total,
            lines,
            reversal_of,
            reversed_by,
            created_at,
            updated_at,
            posted_at,
            voided_at,
        } = v;
        JournalEntryView {
            id,
            number,
            date,
            memo,
            reference,
            status,
            currency,
            total: total.into(),
            lines: lines.into_iter().map(Into::into).collect(),
            reversal_of,
            reversed_by,
            created_at,
            updated_at,
            posted_at,
            voided_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LineView {
    pub account_id: String,
    pub debit: Amount,
    pub credit: Amount,
    pub description: Option<String>,
    pub contact_id: Option<String>,
    /// The account's currency, on a line of an account kept in another
    /// currency than the base.
    pub currency: Option<String>,
    /// The line's amount in that currency, on the line's side.
    pub currency_amount: Option<Amount>,
}

impl From<svc::LineView> for LineView {
    fn from(v: svc::LineView) -> Self {
        let svc::LineView {
            account_id,
            debit,
            credit,
            description,
            contact_id,
            currency,
            currency_amount,
        } = v;
        LineView {
            account_id,
            debit: debit.into(),
            credit: credit.into(),
            description,
            contact_id,
            currency,
            currency_amount: currency_amount.map(Into::into),
        }
    }
}

/// A new entry. `post: true` posts it at once; otherwise it is a draft,
/// which posts nothing until `POST /journal_entries/{id}/post`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-01", "memo": "Owner invests", "post": true, "lines": [{"account_id": "acc_01kbx2h1bank000000000000000", "debit": "5000.00"}, {"account_id": "acc_01kbx2h2equity0000000000000", "credit": "5000.00"}]}))]
pub struct NewJournalEntry {
    #[schema(format = Date)]
    pub date: String,
    pub memo: Option<String>,
    pub reference: Option<String>,
    /// Must be the organization's base currency when given.
    pub currency: Option<String>,
    #[serde(default)]
    pub post: bool,
    pub lines: Vec<LineInput>,
}

impl From<NewJournalEntry> for svc::NewJournalEntry {
    fn from(v: NewJournalEntry) -> Self {
        let NewJournalEntry {
            date,
            memo,
            reference,
            currency,
            post,
            lines,
        } = v;
        svc::NewJournalEntry {
            date,
            memo,
            reference,
            currency,
            post,
            lines: lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// Replaces a draft's date, memo, reference and lines.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"memo": "Owner invests (corrected)"}))]
pub struct JournalEntryUpdate {
    #[schema(format = Date)]
    pub date: String,
    pub memo: Option<String>,
    pub reference: Option<String>,
    pub currency: Option<String>,
    pub lines: Vec<LineInput>,
}

impl From<JournalEntryUpdate> for svc::JournalEntryUpdate {
    fn from(v: JournalEntryUpdate) -> Self {
        let JournalEntryUpdate {
            date,
            memo,
            reference,
            currency,
            lines,
        } = v;
        svc::JournalEntryUpdate {
            date,
            memo,
            reference,
            currency,
            lines: lines.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    pub account_id: String,
    pub debit: Option<DecimalText>,
    pub credit: Option<DecimalText>,
    pub description: Option<String>,
    /// A customer of the organization; its receivable balance counts the
    /// lines that name it on receivable accounts.
    pub contact_id: Option<String>,
    /// Required on an account kept in another currency than the base, and
    /// only there: the amount in the account's currency, on the same side
    /// as `debit` or `credit`, which stay in the base currency and balance
    /// the entry (the rate is their ratio). Zero moves only the base value
    /// (a revaluation).
    pub currency_amount: Option<DecimalText>,
}

impl From<LineInput> for svc::LineInput {
    fn from(v: LineInput) -> Self {
        let LineInput {
            account_id,
            debit,
            credit,
            description,
            contact_id,
            currency_amount,
        } = v;
        svc::LineInput {
            account_id,
            debit: debit.map(Into::into),
            credit: credit.map(Into::into),
            description,
            contact_id,
            currency_amount: currency_amount.map(Into::into),
        }
    }
}

/// Options of a void: the reversal's date, today when absent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-01"}))]
pub struct VoidRequest {
    #[schema(format = Date)]
    pub date: Option<String>,
}

impl From<VoidRequest> for svc::VoidRequest {
    fn from(v: VoidRequest) -> Self {
        let VoidRequest { date } = v;
        svc::VoidRequest { date }
    }
}
