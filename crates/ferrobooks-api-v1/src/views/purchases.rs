//! The native API's purchase shapes: what `/api/v1/bills`,
//! `/vendor_credits` and `/purchase_orders` read and answer (bill payments
//! and applications: [`super::bill_payments`]; expenses:
//! [`super::expenses`]), field by field from and to the use cases' own types. A purchase
//! document names its vendor (`vendor_id`), keeps the vendor's own number
//! (`vendor_reference`) and, in India, the state the vendor supplies from
//! (`source_of_supply`); its lines carry the reverse charge and the input
//! tax credit eligibility.

use serde::{Deserialize, Serialize};

use crate::views::money::{Amount, DecimalText, Number};
use crate::views::sales::DocLineView;
mod svc {
    pub(super) use ferrobooks_service::documents::model::*;
}

/// The service's field names a purchase's errors name, as this API spells
/// them.
pub const PURCHASE_FIELDS: &[(&str, &str)] = &[("place_of_supply", "source_of_supply")];

/// A purchase document: a bill, a vendor credit, a purchase order, an
/// expense, a check, a credit-card charge or credit. Amounts are in its
/// `currency`; `base_total` is what posted (to Accounts Payable, or for a
/// document paid on the spot to its bank or card account) in the
/// organization's currency.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PurchaseView {
    pub id: String,
    /// `bill`, `vendor_credit`, `purchase_order`, `expense`, `check`,
    /// `credit_card_charge` or `credit_card_credit`.
    pub doc_type: String,
    /// Our number, from the document's series (bills and vendor credits on
    /// approval, purchase orders when issued); drafts have none.
    pub number: Option<String>,
    /// The vendor's own number for the document (unique per vendor).
    pub vendor_reference: Option<String>,
    /// Bills: draft, approved, partially_paid, paid, overdue, void. Vendor
    /// credits: draft, open, closed, void. Purchase orders: draft, issued,
    /// partially_billed, billed, cancelled. Checks and card documents:
    /// completed, void.
    pub status: String,
    /// Always set, but on an expense, check or card document recorded
    /// without a vendor.
    pub vendor_id: Option<String>,
    /// Expenses only: the employee who paid and is reimbursed when the
    /// expense is paid (null when the organization paid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<Option<String>>,
    #[schema(format = Date)]
    pub date: String,
    /// When payment is due (default: date + the vendor's payment terms).
    #[schema(format = Date)]
    pub due_date: Option<String>,
    pub branch: Option<String>,
    pub currency: String,
    /// Base-currency units per unit of `currency`.
    pub exchange_rate: Number,
    /// India: the GST state the vendor supplies from (IGST when it is not
    /// the organization's state).
    pub source_of_supply: Option<String>,
    pub reference: Option<String>,
    pub notes: Option<String>,
    pub round_total: bool,
    pub lines: Vec<DocLineView>,
    /// Sum of quantity x unit price, before discounts.
    pub subtotal: Amount,
    pub discount_total: Amount,
    /// Tax the vendor charges (reverse-charge tax, owed by the
    /// organization, is on the lines but not in the total).
    pub tax_total: Amount,
    pub rounding: Amount,
    /// Bills: what the vendor is owed. Vendor credits: the credit.
    pub total: Amount,
    /// Bills: paid by bill payments. Vendor credits: refunded by the
    /// vendor in cash.
    pub amount_paid: Amount,
    /// Bills: settled by vendor credits. Vendor credits: applied to bills.
    pub amount_credited: Amount,
    /// Bills: still owed to the vendor. Vendor credits: credit left.
    pub balance: Amount,
    pub base_total: Amount,
    /// Expenses, checks and card documents: the bank or card account paid
    /// from (a card credit: refunded to).
    pub deposit_account_id: Option<String>,
    pub journal_entry_id: Option<String>,
    /// Bills: the purchase order it came from. Vendor credits: the bill
    /// credited.
    pub source_id: Option<String>,
    /// Purchase orders: the last bill made from it.
    pub converted_to_id: Option<String>,
    pub sent_at: Option<String>,
    pub approved_at: Option<String>,
    pub voided_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::DocumentView> for PurchaseView {
    fn from(v: svc::DocumentView) -> Self {
        let svc::DocumentView {
            kind,
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
            vendor_reference,
            employee_id,
        } = v;
        PurchaseView {
            employee_id: (kind == svc::DocKind::Expense).then_some(employee_id),
            id,
            doc_type,
            number,
            vendor_reference,
            status,
            vendor_id: Some(contact_id).filter(|c| !c.is_empty()),
            date,
            due_date,
            branch,
            currency,
            exchange_rate: exchange_rate.into(),
            source_of_supply: place_of_supply,
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

/// A new purchase document, or for an update of a draft the fields to
/// change (absent fields stay; `lines`, when given, replace all lines).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"vendor_id": "ven_01j9...", "vendor_reference": "INV-7781", "date": "2026-12-01",
    "lines": [{"description": "Office rent", "unit_price": "1200.00", "account_id": "acc_01j9..."}]}))]
pub struct PurchaseInput {
    pub vendor_id: Option<String>,
    /// The vendor's own number for the bill; unique per vendor.
    pub vendor_reference: Option<String>,
    /// Default: today.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// Default: date + the vendor's payment terms.
    #[schema(format = Date)]
    pub due_date: Option<String>,
    /// Default: the vendor's currency.
    pub currency: Option<String>,
    /// Required when the currency is not the organization's.
    pub exchange_rate: Option<DecimalText>,
    /// India: the GST state code the vendor supplies from. Default: the
    /// vendor's.
    pub source_of_supply: Option<String>,
    pub reference: Option<String>,
    pub notes: Option<String>,
    /// Branch code for `{BR}` in the number template and its own series.
    pub branch: Option<String>,
    pub round_total: Option<bool>,
    pub lines: Option<Vec<PurchaseLineInput>>,
    /// Vendor credits: the bill credited (same vendor and currency).
    pub bill_id: Option<String>,
    /// Checks: the bank account the check is drawn on. Default: the
    /// current account.
    pub bank_account_id: Option<String>,
    /// Credit-card charges and credits: the credit-card account. Default:
    /// the chart's credit card (2150).
    pub card_account_id: Option<String>,
    /// Bills and vendor credits, on create: approve at once, as
    /// `POST /{id}/approve` would.
    pub approve: Option<bool>,
}

impl From<PurchaseInput> for svc::DocumentInput {
    fn from(v: PurchaseInput) -> Self {
        let PurchaseInput {
            vendor_id,
            vendor_reference,
            date,
            due_date,
            currency,
            exchange_rate,
            source_of_supply,
            reference,
            notes,
            branch,
            round_total,
            lines,
            bill_id,
            bank_account_id,
            card_account_id,
            approve,
        } = v;
        svc::DocumentInput {
            contact_id: vendor_id,
            vendor_reference,
            date,
            due_date,
            expiry_date: None,
            currency,
            exchange_rate: exchange_rate.map(Into::into),
            place_of_supply: source_of_supply,
            reference,
            notes,
            branch,
            round_total,
            money_fields: [
                bank_account_id.as_ref().map(|_| "bank_account_id"),
                card_account_id.as_ref().map(|_| "card_account_id"),
            ]
            .into_iter()
            .flatten()
            .collect(),
            deposit_account_id: bank_account_id.or(card_account_id),
            credited_id: bill_id,
            lines: lines.map(|v| v.into_iter().map(Into::into).collect()),
            approve,
            employee_id: None,
            number: None,
        }
    }
}

/// A line of a bill.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseLineInput {
    pub product_id: Option<String>,
    /// Default: the product's name.
    pub description: Option<String>,
    /// Greater than zero, at most 4 decimals. Default 1.
    pub quantity: Option<DecimalText>,
    /// The cost per unit, in the bill's currency.
    pub unit_price: Option<DecimalText>,
    /// An amount off this line, before tax.
    pub discount: Option<DecimalText>,
    /// An expense or asset account (inventory for goods kept in stock).
    /// Default: the product's expense account.
    pub account_id: Option<String>,
    /// Default: the product's tax. `""` for an untaxed line.
    pub tax_id: Option<String>,
    /// India (GST reverse charge) and the UK (domestic reverse charge):
    /// the organization owes the tax, not the vendor.
    pub reverse_charge: Option<bool>,
    /// India: `eligible` (default), `ineligible_17_5` (blocked: the tax is
    /// cost), `pos_restricted` (cost), `temporary_reversal` (input tax,
    /// reported as reversed).
    pub itc_eligibility: Option<String>,
}

impl From<PurchaseLineInput> for svc::DocLineInput {
    fn from(v: PurchaseLineInput) -> Self {
        let PurchaseLineInput {
            product_id,
            description,
            quantity,
            unit_price,
            discount,
            account_id,
            tax_id,
            reverse_charge,
            itc_eligibility,
        } = v;
        svc::DocLineInput {
            product_id,
            description,
            quantity: quantity.map(Into::into),
            unit_price: unit_price.map(Into::into),
            discount: discount.map(Into::into),
            account_id,
            tax_id,
            reverse_charge,
            itc_eligibility,
            tax_inclusive: false,
        }
    }
}

mod svc_po {
    pub(super) use ferrobooks_service::documents::purchase_orders::{
        ConvertOrderInput, OrderLinePick,
    };
}

/// Which of an order's lines a bill takes, and how much of each.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLinePick {
    /// The order's line, counted from 1 as in its `lines`.
    #[serde(deserialize_with = "ferrobooks_service::amount::whole_number")]
    #[schema(minimum = 1)]
    pub line: i64,
    /// Default: all that is left to bill of the line.
    pub quantity: Option<DecimalText>,
}

impl From<OrderLinePick> for svc_po::OrderLinePick {
    fn from(v: OrderLinePick) -> Self {
        let OrderLinePick { line, quantity } = v;
        svc_po::OrderLinePick {
            line,
            quantity: quantity.map(Into::into),
        }
    }
}

/// Converting a purchase order to a draft bill.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"vendor_reference": "INV-7790", "lines": [{"line": 1, "quantity": "4"}]}))]
pub struct ConvertOrderInput {
    /// The bill's date. Default: today.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// The vendor's own number for the bill.
    pub vendor_reference: Option<String>,
    /// Default: every line, all that is left of each.
    pub lines: Option<Vec<OrderLinePick>>,
}

impl From<ConvertOrderInput> for svc_po::ConvertOrderInput {
    fn from(v: ConvertOrderInput) -> Self {
        let ConvertOrderInput {
            date,
            vendor_reference,
            lines,
        } = v;
        svc_po::ConvertOrderInput {
            date,
            vendor_reference,
            lines: lines.map(|l| l.into_iter().map(Into::into).collect()),
        }
    }
}
