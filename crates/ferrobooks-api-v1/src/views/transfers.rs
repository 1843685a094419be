//! The native API's transfer shapes, translated field by field from and
//! to the use cases' own types.

use crate::views::money::{Amount, DecimalText};
use ferrobooks_service::banking::transfers as svc;
use serde::{Deserialize, Serialize};

/// Money moved between two bank, cash or card accounts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransferView {
    pub id: String,
    #[schema(format = Date)]
    pub date: String,
    pub from_account_id: String,
    pub to_account_id: String,
    /// What left the source, in its currency.
    pub amount: Amount,
    pub currency: String,
    /// What arrived, in the destination's currency.
    pub to_amount: Amount,
    pub to_currency: String,
    /// Base per unit of the source's currency, when one was given.
    pub exchange_rate: Option<String>,
    pub memo: Option<String>,
    pub reference: Option<String>,
    /// posted or void.
    pub status: String,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::TransferView> for TransferView {
    fn from(v: svc::TransferView) -> Self {
        let svc::TransferView {
            id,
            date,
            from_account_id,
            to_account_id,
            amount,
            currency,
            to_amount,
            to_currency,
            exchange_rate,
            memo,
            reference,
            status,
            journal_entry_id,
            created_at,
            updated_at,
        } = v;
        TransferView {
            id,
            date,
            from_account_id,
            to_account_id,
            amount: amount.into(),
            currency,
            to_amount: to_amount.into(),
            to_currency,
            exchange_rate,
            memo,
            reference,
            status,
            journal_entry_id,
            created_at,
            updated_at,
        }
    }
}

/// A new transfer.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-01", "from_account_id": "acc_01kbx2h1bank000000000000000",
    "to_account_id": "acc_01kbx2h1euro000000000000000", "amount": "850.00", "to_amount": "1000.00",
    "memo": "Fund the euro account"}))]
pub struct NewTransfer {
    /// Default today.
    #[schema(format = Date)]
    pub date: Option<String>,
    pub from_account_id: String,
    pub to_account_id: String,
    /// In the source account's currency; greater than zero.
    pub amount: DecimalText,
    /// In the destination's currency; required when it differs from the
    /// source's, equal to `amount` otherwise.
    pub to_amount: Option<DecimalText>,
    /// Base per unit of the source's currency: needed only when a foreign
    /// source's balance on the date does not hold the amount.
    pub exchange_rate: Option<DecimalText>,
    pub memo: Option<String>,
    pub reference: Option<String>,
}

impl From<NewTransfer> for svc::NewTransfer {
    fn from(v: NewTransfer) -> Self {
        let NewTransfer {
            date,
            from_account_id,
            to_account_id,
            amount,
            to_amount,
            exchange_rate,
            memo,
            reference,
        } = v;
        svc::NewTransfer {
            date,
            from_account_id,
            to_account_id,
            amount: amount.into(),
            to_amount: to_amount.map(Into::into),
            exchange_rate: exchange_rate.map(Into::into),
            memo,
            reference,
        }
    }
}

/// Options of a void: the reversal's date, today when absent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-02"}))]
pub struct VoidTransfer {
    #[schema(format = Date)]
    pub date: Option<String>,
}

impl From<VoidTransfer> for svc::VoidTransfer {
    fn from(v: VoidTransfer) -> Self {
        let VoidTransfer { date } = v;
        svc::VoidTransfer { date }
    }
}
