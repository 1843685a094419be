//! The native API's bank rule shapes, translated field by field from and
//! to the use cases' own types.

use crate::views::money::{Amount, DecimalText};
use ferrobooks_service::banking::rules as svc;
use serde::{Deserialize, Serialize};

/// A bank rule: conditions on an imported statement line and what to do
/// with the lines that meet them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BankRuleView {
    pub id: String,
    pub name: String,
    /// Rules are tried lowest first; the first that holds applies.
    pub priority: i64,
    /// Only lines of this account; every bank account when none.
    pub bank_account_id: Option<String>,
    pub description_contains: Option<String>,
    pub payee_contains: Option<String>,
    /// in or out.
    pub direction: Option<String>,
    /// Bounds on the line's amount without its sign.
    pub amount_min: Option<Amount>,
    pub amount_max: Option<Amount>,
    /// categorize (post the line to `account_id`) or mark (record the
    /// rule on the line only).
    pub action: String,
    pub account_id: Option<String>,
    pub memo: Option<String>,
    /// Categorize rules: the tax the line's amount includes.
    pub tax_id: Option<String>,
    /// Categorize rules: the vendor or customer the line is with.
    pub contact_id: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::BankRuleView> for BankRuleView {
    fn from(v: svc::BankRuleView) -> Self {
        let svc::BankRuleView {
            id,
            name,
            priority,
            bank_account_id,
            description_contains,
            payee_contains,
            direction,
            amount_min,
            amount_max,
            action,
            account_id,
            memo,
            tax_id,
            contact_id,
            active,
            created_at,
            updated_at,
        } = v;
        BankRuleView {
            id,
            name,
            priority,
            bank_account_id,
            description_contains,
            payee_contains,
            direction,
            amount_min: amount_min.map(Into::into),
            amount_max: amount_max.map(Into::into),
            action,
            account_id,
            memo,
            tax_id,
            contact_id,
            active,
            created_at,
            updated_at,
        }
    }
}

/// A new rule, or the whole of a changed one: at least one condition.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Bank fees", "description_contains": "fee", "direction": "out",
    "amount_max": "50.00", "action": "categorize", "account_id": "acc_01kbx2h1fees0000000000000000"}))]
pub struct BankRuleInput {
    pub name: String,
    /// Default 100; lower is tried first.
    #[serde(
        default,
        deserialize_with = "ferrobooks_service::amount::opt_whole_number"
    )]
    #[schema(minimum = 0, maximum = 1000000)]
    pub priority: Option<i64>,
    pub bank_account_id: Option<String>,
    /// Text the line's description holds, any case.
    pub description_contains: Option<String>,
    /// Text the line's payee holds, any case.
    pub payee_contains: Option<String>,
    /// in or out.
    pub direction: Option<String>,
    /// Bounds on the amount without its sign, in the base currency's digits.
    pub amount_min: Option<DecimalText>,
    pub amount_max: Option<DecimalText>,
    /// categorize or mark.
    pub action: String,
    /// Required to categorize: an active account in the base currency.
    pub account_id: Option<String>,
    /// The memo of the entries a categorize rule posts.
    pub memo: Option<String>,
    /// Categorize rules: a tax the line's amount includes (taken out of
    /// it and claimed or owed). With a tax or a contact the line becomes
    /// a document paid on the spot (see `POST .../categorize`); a line it
    /// does not fit (money in on a bank account with no customer) is left
    /// for review, marked with the rule.
    pub tax_id: Option<String>,
    /// Categorize rules: the vendor or customer the lines are with.
    pub contact_id: Option<String>,
    /// Default true.
    pub active: Option<bool>,
}

impl From<BankRuleInput> for svc::BankRuleInput {
    fn from(v: BankRuleInput) -> Self {
        let BankRuleInput {
            name,
            priority,
            bank_account_id,
            description_contains,
            payee_contains,
            direction,
            amount_min,
            amount_max,
            action,
            account_id,
            memo,
            tax_id,
            contact_id,
            active,
        } = v;
        svc::BankRuleInput {
            name,
            priority,
            bank_account_id,
            description_contains,
            payee_contains,
            direction,
            amount_min: amount_min.map(Into::into),
            amount_max: amount_max.map(Into::into),
            action,
            account_id,
            memo,
            tax_id,
            contact_id,
            active,
        }
    }
}
