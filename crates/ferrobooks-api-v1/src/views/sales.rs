//! The native API's sales shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use crate::views::money::{Amount, DecimalText, Number};
use serde::{Deserialize, Serialize};
mod svc {
    pub(super) use ferrobooks_service::documents::credit_notes::RefundInput;
    pub(super) use ferrobooks_service::documents::model::*;
    pub(super) use ferrobooks_service::documents::payments::*;
    pub(super) use ferrobooks_service::documents::settle::ApplicationInput;
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocTaxView {
    /// `cgst`, `sgst`, `igst`, `cess`, `vat` or a sales-tax agency.
    pub name: String,
    pub rate: Number,
    pub account_id: String,
    pub amount: Amount,
    /// Purchases: how the tax posts: `claimed` (input tax), `cost` (part of
    /// the line's cost: blocked credit, US sales tax), `reverse_charge` (the
    /// buyer owes it and claims it), `reverse_charge_cost` (the buyer owes
    /// it and cannot claim it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub treatment: Option<String>,
}

impl From<svc::DocTaxView> for DocTaxView {
    fn from(v: svc::DocTaxView) -> Self {
        let svc::DocTaxView {
            name,
            rate,
            account_id,
            amount,
            treatment,
        } = v;
        DocTaxView {
            name,
            rate: rate.into(),
            account_id,
            amount: amount.into(),
            treatment,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocLineView {
    pub product_id: Option<String>,
    pub description: Option<String>,
    pub quantity: Number,
    pub unit_price: Amount,
    pub discount: Amount,
    /// quantity x unit price - discount, rounded to the currency.
    pub amount: Amount,
    pub account_id: String,
    pub tax_id: Option<String>,
    pub taxes: Vec<DocTaxView>,
    pub tax_amount: Amount,
    /// Purchases: the buyer owes the line's tax (reverse charge).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reverse_charge: Option<bool>,
    /// Indian purchases: `eligible`, `ineligible_17_5`, `pos_restricted`
    /// or `temporary_reversal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub itc_eligibility: Option<String>,
    /// Purchase orders: how much of the quantity bills have taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billed_quantity: Option<Number>,
}

impl From<svc::DocLineView> for DocLineView {
    fn from(v: svc::DocLineView) -> Self {
        let svc::DocLineView {
            product_id,
            description,
            quantity,
            unit_price,
            discount,
            amount,
            account_id,
            tax_id,
            taxes,
            tax_amount,
            reverse_charge,
            itc_eligibility,
            billed_quantity,
        } = v;
        DocLineView {
            product_id,
            description,
            quantity: quantity.into(),
            unit_price: unit_price.into(),
            discount: discount.into(),
            amount: amount.into(),
            account_id,
            tax_id,
            taxes: taxes.into_iter().map(Into::into).collect(),
            tax_amount: tax_amount.into(),
            reverse_charge,
            itc_eligibility,
            billed_quantity: billed_quantity.map(Into::into),
        }
    }
}

/// A sales document. Amounts are in the
/// document's `currency`; `base_total` is in the organization's.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentView {
    pub id: String,
    /// invoice, estimate, credit_note, sales_receipt or refund_receipt.
    pub doc_type: String,
    /// Given on approval (receipts: on creation); drafts have none.
    pub number: Option<String>,
    /// Invoices: draft, approved, sent, partially_paid, paid, overdue,
    /// void. Estimates: draft, sent, accepted, declined, expired. Credit
    /// notes: draft, open, closed, void. Receipts: completed, void.
    pub status: String,
    pub customer_id: String,
    #[schema(format = Date)]
    pub date: String,
    /// Invoices: when payment is due. Estimates: when the offer expires.
    #[schema(format = Date)]
    pub due_date: Option<String>,
    pub branch: Option<String>,
    pub currency: String,
    /// Base-currency units per unit of `currency`.
    pub exchange_rate: Number,
    pub place_of_supply: Option<String>,
    pub reference: Option<String>,
    pub notes: Option<String>,
    pub round_total: bool,
    pub lines: Vec<DocLineView>,
    /// Sum of quantity x unit price, before discounts.
    pub subtotal: Amount,
    pub discount_total: Amount,
    pub tax_total: Amount,
    /// Round-off of the grand total (to whole units) when `round_total`.
    pub rounding: Amount,
    pub total: Amount,
    /// Invoices: paid by payments. Credit notes: refunded in cash.
    pub amount_paid: Amount,
    /// Invoices: settled by credit notes. Credit notes: applied to invoices.
    pub amount_credited: Amount,
    /// Invoices: still owed. Credit notes: credit still available.
    pub balance: Amount,
    pub base_total: Amount,
    /// Receipts: the bank or undeposited-funds account.
    pub deposit_account_id: Option<String>,
    pub journal_entry_id: Option<String>,
    /// Invoice: the estimate it came from. Credit note: the invoice it
    /// credits.
    pub source_id: Option<String>,
    /// Estimate: the invoice it became.
    pub converted_to_id: Option<String>,
    pub sent_at: Option<String>,
    pub approved_at: Option<String>,
    pub voided_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::DocumentView> for DocumentView {
    fn from(v: svc::DocumentView) -> Self {
        let svc::DocumentView {
            kind: _,
            employee_id: _,
            id,
            doc_type,
            number,
            status,
            contact_id,
            date,
            due_date,
            branch,
            currency,
            exchange_rate,
            place_of_supply,
            reference,
            notes,
            round_total,
            lines,
            subtotal,
            discount_total,
            tax_total,
            rounding,
            total,
            amount_paid,
            amount_credited,
            balance,
            base_total,
            deposit_account_id,
            journal_entry_id,
            source_id,
            converted_to_id,
            sent_at,
            approved_at,
            voided_at,
            created_at,
            updated_at,
            vendor_reference: _,
        } = v;
        DocumentView {
            id,
            doc_type,
            number,
            status,
            customer_id: contact_id,
            date,
            due_date,
            branch,
            currency,
            exchange_rate: exchange_rate.into(),
            place_of_supply,
            reference,
            notes,
            round_total,
            lines: lines.into_iter().map(Into::into).collect(),
            subtotal: subtotal.into(),
            discount_total: discount_total.into(),
            tax_total: tax_total.into(),
            rounding: rounding.into(),
            total: total.into(),
            amount_paid: amount_paid.into(),
            amount_credited: amount_credited.into(),
            balance: balance.into(),
            base_total: base_total.into(),
            deposit_account_id,
            journal_entry_id,
            source_id,
            converted_to_id,
            sent_at,
            approved_at,
            voided_at,
            created_at,
            updated_at,
        }
    }
}

/// A new document, or for an update of a draft the fields to change
/// (absent fields stay; `lines`, when given, replace all lines).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    pub customer_id: Option<String>,
    /// Default: today.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// Invoices. Default: date + the customer's payment terms.
    #[schema(format = Date)]
    pub due_date: Option<String>,
    /// Estimates: the last day the offer stands.
    #[schema(format = Date)]
    pub expiry_date: Option<String>,
    /// Default: the customer's currency.
    pub currency: Option<String>,
    /// Required when the currency is not the organization's.
    pub exchange_rate: Option<DecimalText>,
    /// GST state code; default: the customer's, else the organization's.
    pub place_of_supply: Option<String>,
    pub reference: Option<String>,
    pub notes: Option<String>,
    /// Branch code for `{BR}` in the number template and its own series.
    pub branch: Option<String>,
    /// Round the grand total to whole units (the difference posts to
    /// round-off).
    pub round_total: Option<bool>,
    /// Receipts: the bank or undeposited-funds account. Default: the
    /// organization's undeposited funds, else its current bank account.
    pub deposit_account_id: Option<String>,
    /// Credit notes: the invoice credited (same customer).
    pub invoice_id: Option<String>,
    pub lines: Option<Vec<DocLineInput>>,
    /// Invoices and credit notes, on create: approve at once (numbered and
    /// posted in the same request), as `POST /{id}/approve` would.
    pub approve: Option<bool>,
}

impl From<DocumentInput> for svc::DocumentInput {
    fn from(v: DocumentInput) -> Self {
        let DocumentInput {
            customer_id,
            date,
            due_date,
            expiry_date,
            currency,
            exchange_rate,
            place_of_supply,
            reference,
            notes,
            branch,
            round_total,
            deposit_account_id,
            invoice_id,
            lines,
            approve,
        } = v;
        svc::DocumentInput {
            contact_id: customer_id,
            vendor_reference: None,
            employee_id: None,
            date,
            due_date,
            expiry_date,
            currency,
            exchange_rate: exchange_rate.map(Into::into),
            place_of_supply,
            reference,
            notes,
            branch,
            round_total,
            money_fields: deposit_account_id
                .as_ref()
                .map(|_| "deposit_account_id")
                .into_iter()
                .collect(),
            deposit_account_id,
            credited_id: invoice_id,
            lines: lines.map(|v| v.into_iter().map(Into::into).collect()),
            approve,
            number: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocLineInput {
    pub product_id: Option<String>,
    /// Default: the product's name.
    pub description: Option<String>,
    /// Greater than zero, at most 4 decimals. Default 1.
    pub quantity: Option<DecimalText>,
    /// In the document currency. Default: the product's price (documents
    /// in the base currency only).
    pub unit_price: Option<DecimalText>,
    /// An amount off this line, before tax.
    pub discount: Option<DecimalText>,
    /// An income account. Default: the product's, else Sales.
    pub account_id: Option<String>,
    /// Default: the product's tax (none without a product). `""` sells
    /// the line untaxed even when the product has a tax.
    pub tax_id: Option<String>,
}

impl From<DocLineInput> for svc::DocLineInput {
    fn from(v: DocLineInput) -> Self {
        let DocLineInput {
            product_id,
            description,
            quantity,
            unit_price,
            discount,
            account_id,
            tax_id,
        } = v;
        svc::DocLineInput {
            product_id,
            description,
            quantity: quantity.map(Into::into),
            unit_price: unit_price.map(Into::into),
            discount: discount.map(Into::into),
            account_id,
            tax_id,
            reverse_charge: None,
            itc_eligibility: None,
            tax_inclusive: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AllocationView {
    pub id: String,
    /// payment or credit_note.
    pub source_type: String,
    pub source_id: String,
    pub invoice_id: String,
    #[schema(format = Date)]
    pub date: String,
    pub amount: Amount,
    /// Entry of the realized FX gain/loss of a later application, if any.
    pub journal_entry_id: Option<String>,
}

impl From<svc::AllocationView> for AllocationView {
    fn from(v: svc::AllocationView) -> Self {
        let svc::AllocationView {
            side: _,
            id,
            source_type,
            source_id,
            document_id: invoice_id,
            date,
            amount,
            journal_entry_id,
        } = v;
        AllocationView {
            id,
            source_type,
            source_id,
            invoice_id,
            date,
            amount: amount.into(),
            journal_entry_id,
        }
    }
}

/// A payment received from a customer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PaymentView {
    pub id: String,
    /// Always `sale` (payments made to vendors are bill payments).
    pub side: String,
    pub number: Option<String>,
    pub customer_id: String,
    #[schema(format = Date)]
    pub date: String,
    pub currency: String,
    pub exchange_rate: Number,
    pub amount: Amount,
    /// Applied to invoices.
    pub applied: Amount,
    /// The customer's credit left from this payment.
    pub unapplied: Amount,
    /// The amount in the base currency, as deposited.
    pub base_amount: Amount,
    pub deposit_account_id: String,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub journal_entry_id: Option<String>,
    pub applications: Vec<AllocationView>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::PaymentView> for PaymentView {
    fn from(v: svc::PaymentView) -> Self {
        let svc::PaymentView {
            side,
            id,
            number,
            contact_id: customer_id,
            date,
            currency,
            exchange_rate,
            amount,
            applied,
            unapplied,
            base_amount,
            account_id: deposit_account_id,
            method,
            reference,
            journal_entry_id,
            applications,
            created_at,
            updated_at,
        } = v;
        PaymentView {
            id,
            side: side.as_str().to_owned(),
            number,
            customer_id,
            date,
            currency,
            exchange_rate: exchange_rate.into(),
            amount: amount.into(),
            applied: applied.into(),
            unapplied: unapplied.into(),
            base_amount: base_amount.into(),
            deposit_account_id,
            method,
            reference,
            journal_entry_id,
            applications: applications.into_iter().map(Into::into).collect(),
            created_at,
            updated_at,
        }
    }
}

/// A payment received from a customer.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"customer_id": "cus_01kbx2f8q3m4n5p6r7s8t9v0wx", "date": "2026-12-01", "amount": "450.00", "method": "bank_transfer", "reference": "UTR 0042", "applications": [{"invoice_id": "inv_01kbx2g0a1b2c3d4e5f6g7h8j9", "amount": "450.00"}]}))]
pub struct PaymentInput {
    pub customer_id: String,
    /// Default: today.
    #[schema(format = Date)]
    pub date: Option<String>,
    pub amount: DecimalText,
    /// Default: the customer's currency.
    pub currency: Option<String>,
    /// Base units per unit of `currency`; required for a foreign currency.
    pub exchange_rate: Option<DecimalText>,
    /// A bank, cash or undeposited-funds account. Default: undeposited
    /// funds.
    pub deposit_account_id: Option<String>,
    pub method: Option<String>,
    pub reference: Option<String>,
    /// How the payment settles invoices; the rest stays as credit.
    #[serde(default)]
    pub applications: Vec<ApplicationInput>,
}

impl From<PaymentInput> for svc::PaymentInput {
    fn from(v: PaymentInput) -> Self {
        let PaymentInput {
            customer_id,
            date,
            amount,
            currency,
            exchange_rate,
            deposit_account_id,
            method,
            reference,
            applications,
        } = v;
        svc::PaymentInput {
            contact_id: customer_id,
            date,
            amount: amount.into(),
            currency,
            exchange_rate: exchange_rate.map(Into::into),
            account_id: deposit_account_id,
            method,
            reference,
            applications: applications.into_iter().map(Into::into).collect(),
        }
    }
}

/// Applies a payment's unapplied credit (or a credit note) to invoices.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"applications": [{"invoice_id": "inv_01kbx2g0a1b2c3d4e5f6g7h8j9", "amount": "100.00"}]}))]
pub struct ApplyInput {
    /// Default: today.
    #[schema(format = Date)]
    pub date: Option<String>,
    pub applications: Vec<ApplicationInput>,
}

impl From<ApplyInput> for svc::ApplyInput {
    fn from(v: ApplyInput) -> Self {
        let ApplyInput { date, applications } = v;
        svc::ApplyInput {
            date,
            applications: applications.into_iter().map(Into::into).collect(),
        }
    }
}

/// A cash refund of a credit note's remaining credit.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"amount": "50.00", "date": "2026-12-01"}))]
pub struct RefundInput {
    /// In the credit note's currency; at most its remaining credit.
    pub amount: DecimalText,
    /// Default: today.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// The bank or cash account paid from. Default: the current account.
    pub account_id: Option<String>,
    /// Base units per unit of the credit note's currency on the day of the
    /// refund; required when that is not the organization's currency. A
    /// difference from the credit note's rate posts to FX gain/loss.
    pub exchange_rate: Option<DecimalText>,
}

impl From<RefundInput> for svc::RefundInput {
    fn from(v: RefundInput) -> Self {
        let RefundInput {
            amount,
            date,
            account_id,
            exchange_rate,
        } = v;
        svc::RefundInput {
            amount: amount.into(),
            date,
            account_id,
            exchange_rate: exchange_rate.map(Into::into),
        }
    }
}

/// Part of a credit applied to one invoice.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub invoice_id: String,
    /// In the currency of the payment or credit note (and the invoice).
    pub amount: DecimalText,
}

impl From<ApplicationInput> for svc::ApplicationInput {
    fn from(v: ApplicationInput) -> Self {
        let ApplicationInput { invoice_id, amount } = v;
        svc::ApplicationInput {
            document_id: invoice_id,
            amount: amount.into(),
        }
    }
}
