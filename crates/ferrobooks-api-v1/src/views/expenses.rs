//! The native API's expense shapes: what `/api/v1/expenses` reads (an
//! expense answers as a purchase, [`super::purchases::PurchaseView`]).

use serde::Deserialize;

use crate::views::money::DecimalText;

mod svc {
    pub(super) use ferrobooks_service::documents::model::*;
}

/// The service's field names an expense's errors name: its one line's
/// fields are the expense's own.
pub const EXPENSE_FIELDS: &[(&str, &str)] = &[
    ("place_of_supply", "source_of_supply"),
    ("lines", "amount"),
    ("lines[0].unit_price", "amount"),
    ("lines[0].account_id", "account_id"),
    ("lines[0].tax_id", "tax_id"),
    ("lines[0].description", "description"),
    ("lines[0].reverse_charge", "reverse_charge"),
    ("lines[0].itc_eligibility", "itc_eligibility"),
];

/// An expense: one category line, with its tax; the vendor is optional.
/// On an update, absent fields stay; giving any of `account_id`,
/// `amount`, `tax_id`, `description`, `reverse_charge` or
/// `itc_eligibility` replaces the line with what is given.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-01", "account_id": "acc_01kbx2f8q3m4n5p6r7s8t9v0wy", "amount": "42.50",
    "description": "Taxi to the client", "reference": "receipt 8812"}))]
pub struct ExpenseInput {
    /// Optional: whom it was paid to.
    pub vendor_id: Option<String>,
    /// Optional: the employee who paid it out of pocket, reimbursed when
    /// the expense is paid (`""` clears it). Not an employee who left
    /// before the expense's date.
    pub employee_id: Option<String>,
    /// Default: today.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// The category: an expense or asset account.
    pub account_id: Option<String>,
    /// The amount before tax, in the expense's currency.
    pub amount: Option<DecimalText>,
    /// Default: untaxed.
    pub tax_id: Option<String>,
    pub description: Option<String>,
    /// India and the UK: the organization owes the tax (reverse charge).
    pub reverse_charge: Option<bool>,
    /// India: `eligible` (default), `ineligible_17_5`, `pos_restricted`,
    /// `temporary_reversal`.
    pub itc_eligibility: Option<String>,
    /// The receipt's reference.
    pub reference: Option<String>,
    pub notes: Option<String>,
    /// Default: the vendor's, else the organization's currency.
    pub currency: Option<String>,
    /// Required when the currency is not the organization's.
    pub exchange_rate: Option<DecimalText>,
    /// India: the GST state code the vendor supplies from.
    pub source_of_supply: Option<String>,
    pub branch: Option<String>,
    /// On create: approve at once, as `POST /expenses/{id}/approve` would.
    pub approve: Option<bool>,
}

impl From<ExpenseInput> for svc::DocumentInput {
    fn from(v: ExpenseInput) -> Self {
        let ExpenseInput {
            vendor_id,
            employee_id,
            date,
            account_id,
            amount,
            tax_id,
            description,
            reverse_charge,
            itc_eligibility,
            reference,
            notes,
            currency,
            exchange_rate,
            source_of_supply,
            branch,
            approve,
        } = v;
        let touches_line = account_id.is_some()
            || amount.is_some()
            || tax_id.is_some()
            || description.is_some()
            || reverse_charge.is_some()
            || itc_eligibility.is_some();
        svc::DocumentInput {
            contact_id: vendor_id,
            employee_id,
            date,
            currency,
            exchange_rate: exchange_rate.map(Into::into),
            place_of_supply: source_of_supply,
            reference,
            notes,
            branch,
            approve,
            lines: touches_line.then(|| {
                vec![svc::DocLineInput {
                    description,
                    unit_price: amount.map(Into::into),
                    account_id,
                    tax_id,
                    reverse_charge,
                    itc_eligibility,
                    ..svc::DocLineInput::default()
                }]
            }),
            ..svc::DocumentInput::default()
        }
    }
}

/// Paying an approved expense.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"account_id": "acc_01kbx2f8q3m4n5p6r7s8t9v0wz", "date": "2026-12-03"}))]
pub struct PayExpenseInput {
    /// The bank, cash or credit-card account paid from. Default: the
    /// current account.
    pub account_id: Option<String>,
    /// Default: today (never before the expense's date).
    #[schema(format = Date)]
    pub date: Option<String>,
}

impl From<PayExpenseInput> for svc_expense::PayExpenseInput {
    fn from(v: PayExpenseInput) -> Self {
        let PayExpenseInput { account_id, date } = v;
        svc_expense::PayExpenseInput { account_id, date }
    }
}

mod svc_expense {
    pub(super) use ferrobooks_service::documents::expenses::PayExpenseInput;
}
