//! The native API's deposit shapes, translated field by field from and to
//! the use cases' own types.

use crate::views::money::Amount;
use ferrobooks_service::banking::deposits as svc;
use serde::{Deserialize, Serialize};

/// Payments received into undeposited funds, taken to the bank together.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DepositView {
    pub id: String,
    #[schema(format = Date)]
    pub date: String,
    /// The bank account the money went into.
    pub account_id: String,
    /// In the account's currency.
    pub amount: Amount,
    pub currency: String,
    pub payment_ids: Vec<String>,
    pub memo: Option<String>,
    /// posted or void.
    pub status: String,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::DepositView> for DepositView {
    fn from(v: svc::DepositView) -> Self {
        let svc::DepositView {
            id,
            date,
            account_id,
            amount,
            currency,
            payment_ids,
            memo,
            status,
            journal_entry_id,
            created_at,
            updated_at,
        } = v;
        DepositView {
            id,
            date,
            account_id,
            amount: amount.into(),
            currency,
            payment_ids,
            memo,
            status,
            journal_entry_id,
            created_at,
            updated_at,
        }
    }
}

/// A new deposit.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-01", "account_id": "acc_01kbx2h1bank000000000000000",
    "payment_ids": ["pay_01kbx2h1pay0000000000000000", "pay_01kbx2h1pay0000000000000001"]}))]
pub struct NewDeposit {
    /// Default today.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// The bank account the money went into.
    pub account_id: String,
    /// Payments received into undeposited funds, none in another deposit.
    pub payment_ids: Vec<String>,
    pub memo: Option<String>,
}

impl From<NewDeposit> for svc::NewDeposit {
    fn from(v: NewDeposit) -> Self {
        let NewDeposit {
            date,
            account_id,
            payment_ids,
            memo,
        } = v;
        svc::NewDeposit {
            date,
            account_id,
            payment_ids,
            memo,
        }
    }
}

/// Options of a void: the reversal's date, today when absent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-02"}))]
pub struct VoidDeposit {
    #[schema(format = Date)]
    pub date: Option<String>,
}

impl From<VoidDeposit> for svc::VoidDeposit {
    fn from(v: VoidDeposit) -> Self {
        let VoidDeposit { date } = v;
        svc::VoidDeposit { date }
    }
}
