//! The native API's reconciliation shapes, translated field by field from
//! and to the use cases' own types.

use crate::views::money::{Amount, DecimalText};
use ferrobooks_service::banking::reconciliations as svc;
use serde::{Deserialize, Serialize};

/// A bank reconciliation. Balances are on the account's normal side, in
/// its currency (money in a bank, what is owed on a card).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReconciliationView {
    pub id: String,
    pub bank_account_id: String,
    #[schema(format = Date)]
    pub statement_date: String,
    /// The previous reconciliation's closing balance (0 for the first).
    pub opening_balance: Amount,
    pub closing_balance: Amount,
    /// Opening balance plus the lines cleared.
    pub cleared_balance: Amount,
    /// closing - cleared: finishing needs exactly zero.
    pub difference: Amount,
    pub cleared_count: i64,
    /// in_progress or finished.
    pub status: String,
    pub finished_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::ReconciliationView> for ReconciliationView {
    fn from(v: svc::ReconciliationView) -> Self {
        let svc::ReconciliationView {
            id,
            bank_account_id,
            statement_date,
            opening_balance,
            closing_balance,
            cleared_balance,
            difference,
            cleared_count,
            status,
            finished_at,
            created_at,
            updated_at,
        } = v;
        ReconciliationView {
            id,
            bank_account_id,
            statement_date,
            opening_balance: opening_balance.into(),
            closing_balance: closing_balance.into(),
            cleared_balance: cleared_balance.into(),
            difference: difference.into(),
            cleared_count,
            status,
            finished_at,
            created_at,
            updated_at,
        }
    }
}

/// A ledger line of the account, as a reconciliation lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReconciliationLine {
    /// `{entry_id}:{line_no}`: what `clear` and `unclear` name.
    pub line_id: String,
    pub entry_id: String,
    #[schema(format = Date)]
    pub date: String,
    pub number: Option<String>,
    pub memo: Option<String>,
    pub description: Option<String>,
    /// In the account's currency: positive is a debit (money into a bank,
    /// a payment to a card).
    pub amount: Amount,
    pub cleared: bool,
}

impl From<svc::ReconciliationLine> for ReconciliationLine {
    fn from(v: svc::ReconciliationLine) -> Self {
        let svc::ReconciliationLine {
            line_id,
            entry_id,
            date,
            number,
            memo,
            description,
            amount,
            cleared,
        } = v;
        ReconciliationLine {
            line_id,
            entry_id,
            date,
            number,
            memo,
            description,
            amount: amount.into(),
            cleared,
        }
    }
}

/// Starts reconciling an account to a statement.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"statement_date": "2026-03-31", "closing_balance": "12840.55"}))]
pub struct NewReconciliation {
    #[schema(format = Date)]
    pub statement_date: String,
    /// The statement's closing balance, on the account's normal side.
    pub closing_balance: DecimalText,
}

impl From<NewReconciliation> for svc::NewReconciliation {
    fn from(v: NewReconciliation) -> Self {
        let NewReconciliation {
            statement_date,
            closing_balance,
        } = v;
        svc::NewReconciliation {
            statement_date,
            closing_balance: closing_balance.into(),
        }
    }
}

/// Lines to clear or unclear, by `line_id`; `clear_all` clears every open
/// line up to the statement date first.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"clear": ["je_01kbx2h1entry00000000000000:0"], "unclear": []}))]
pub struct ClearLines {
    #[serde(default)]
    pub clear_all: bool,
    #[serde(default)]
    pub clear: Vec<String>,
    #[serde(default)]
    pub unclear: Vec<String>,
}

impl From<ClearLines> for svc::ClearLines {
    fn from(v: ClearLines) -> Self {
        let ClearLines {
            clear_all,
            clear,
            unclear,
        } = v;
        svc::ClearLines {
            clear_all,
            clear,
            unclear,
        }
    }
}
