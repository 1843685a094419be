//! The native API's shapes of paying bills: what `/api/v1/bill_payments`
//! reads and answers, the applications of a payment or a vendor credit to
//! bills, and the allocations a bill shows.

use serde::{Deserialize, Serialize};

use crate::views::money::{Amount, DecimalText, Number};

mod svc {
    pub(super) use ferrobooks_service::documents::payments::*;
    pub(super) use ferrobooks_service::documents::settle::ApplicationInput;
}

/// One application of a bill payment or vendor credit to a bill.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BillAllocationView {
    pub id: String,
    /// payment or vendor_credit.
    pub source_type: String,
    pub source_id: String,
    pub bill_id: String,
    #[schema(format = Date)]
    pub date: String,
    pub amount: Amount,
    /// Entry of the realized FX gain/loss of a later application, if any.
    pub journal_entry_id: Option<String>,
}

impl From<svc::AllocationView> for BillAllocationView {
    fn from(v: svc::AllocationView) -> Self {
        let svc::AllocationView {
            side: _,
            id,
            source_type,
            source_id,
            document_id,
            date,
            amount,
            journal_entry_id,
        } = v;
        BillAllocationView {
            id,
            source_type,
            source_id,
            bill_id: document_id,
            date,
            amount: amount.into(),
            journal_entry_id,
        }
    }
}

/// A payment made to a vendor.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BillPaymentView {
    pub id: String,
    /// Always `purchase`.
    pub side: String,
    pub number: Option<String>,
    pub vendor_id: String,
    #[schema(format = Date)]
    pub date: String,
    pub currency: String,
    pub exchange_rate: Number,
    pub amount: Amount,
    /// Applied to bills.
    pub applied: Amount,
    /// Left as an advance to the vendor (a debit in Accounts Payable).
    pub unapplied: Amount,
    /// The amount in the base currency, as paid out.
    pub base_amount: Amount,
    /// The bank, cash or credit-card account paid from.
    pub account_id: String,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub journal_entry_id: Option<String>,
    pub applications: Vec<BillAllocationView>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::PaymentView> for BillPaymentView {
    fn from(v: svc::PaymentView) -> Self {
        let svc::PaymentView {
            side,
            id,
            number,
            contact_id,
            date,
            currency,
            exchange_rate,
            amount,
            applied,
            unapplied,
            base_amount,
            account_id,
            method,
            reference,
            journal_entry_id,
            applications,
            created_at,
            updated_at,
        } = v;
        BillPaymentView {
            id,
            side: side.as_str().to_owned(),
            number,
            vendor_id: contact_id,
            date,
            currency,
            exchange_rate: exchange_rate.into(),
            amount: amount.into(),
            applied: applied.into(),
            unapplied: unapplied.into(),
            base_amount: base_amount.into(),
            account_id,
            method,
            reference,
            journal_entry_id,
            applications: applications.into_iter().map(Into::into).collect(),
            created_at,
            updated_at,
        }
    }
}

/// A payment made to a vendor, applied to its bills.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"vendor_id": "ven_01kbx2f8q3m4n5p6r7s8t9v0wx", "date": "2026-12-01", "amount": "1200.00", "method": "bank_transfer", "applications": [{"bill_id": "bill_01kbx2g0a1b2c3d4e5f6g7h8j9", "amount": "1200.00"}]}))]
pub struct BillPaymentInput {
    pub vendor_id: String,
    /// Default: today.
    #[schema(format = Date)]
    pub date: Option<String>,
    pub amount: DecimalText,
    /// Default: the vendor's currency.
    pub currency: Option<String>,
    /// Base units per unit of `currency`; required for a foreign currency.
    pub exchange_rate: Option<DecimalText>,
    /// A bank, cash or credit-card account. Default: the current account.
    pub account_id: Option<String>,
    pub method: Option<String>,
    pub reference: Option<String>,
    /// How the payment settles bills; the rest stays as an advance.
    #[serde(default)]
    pub applications: Vec<BillApplicationInput>,
}

impl From<BillPaymentInput> for svc::PaymentInput {
    fn from(v: BillPaymentInput) -> Self {
        let BillPaymentInput {
            vendor_id,
            date,
            amount,
            currency,
            exchange_rate,
            account_id,
            method,
            reference,
            applications,
        } = v;
        svc::PaymentInput {
            contact_id: vendor_id,
            date,
            amount: amount.into(),
            currency,
            exchange_rate: exchange_rate.map(Into::into),
            account_id,
            method,
            reference,
            applications: applications.into_iter().map(Into::into).collect(),
        }
    }
}

/// Part of a payment or credit applied to one bill.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BillApplicationInput {
    pub bill_id: String,
    /// In the currency of the payment or credit (and the bill).
    pub amount: DecimalText,
}

impl From<BillApplicationInput> for svc::ApplicationInput {
    fn from(v: BillApplicationInput) -> Self {
        let BillApplicationInput { bill_id, amount } = v;
        svc::ApplicationInput {
            document_id: bill_id,
            amount: amount.into(),
        }
    }
}

/// Applies a bill payment's advance (or a vendor credit) to bills.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"applications": [{"bill_id": "bill_01kbx2g0a1b2c3d4e5f6g7h8j9", "amount": "100.00"}]}))]
pub struct BillApplyInput {
    /// Default: today.
    #[schema(format = Date)]
    pub date: Option<String>,
    pub applications: Vec<BillApplicationInput>,
}

impl From<BillApplyInput> for svc::ApplyInput {
    fn from(v: BillApplyInput) -> Self {
        let BillApplyInput { date, applications } = v;
        svc::ApplyInput {
            date,
            applications: applications.into_iter().map(Into::into).collect(),
        }
    }
}
