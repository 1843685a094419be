//! The native API's accounts shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use crate::views::money::Amount;
use ferrobooks_service::accounts as svc;
use serde::{Deserialize, Serialize};

/// An account. `balance` is on the account's
/// normal side: positive for a debit balance on asset and expense accounts,
/// and for a credit balance on liability, equity and income accounts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    pub id: String,
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub account_type: String,
    pub subtype: String,
    pub currency: String,
    pub description: Option<String>,
    /// Set on accounts of the default chart that documents post to
    /// (`accounts_receivable`, `output_cgst`, ...); such accounts cannot be
    /// deleted.
    pub system_key: Option<String>,
    /// The parent account (same type): the statements show it with a
    /// subtotal of the accounts under it.
    pub parent_id: Option<String>,
    pub active: bool,
    /// In the account's own currency.
    pub balance: Amount,
    /// The same balance in the organization's base currency (what the
    /// trial balance shows); equal to `balance` on a base-currency account.
    pub base_balance: Amount,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::AccountView> for AccountView {
    fn from(v: svc::AccountView) -> Self {
        let svc::AccountView {
            id,
            code,
            name,
            account_type,
            subtype,
            currency,
            description,
            system_key,
            parent_id,
            active,
            balance,
            base_balance,
            created_at,
            updated_at,
        } = v;
        AccountView {
            id,
            code,
            name,
            account_type,
            subtype,
            currency,
            description,
            system_key,
            parent_id,
            active,
            balance: balance.into(),
            base_balance: base_balance.into(),
            created_at,
            updated_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "1250", "name": "Savings", "type": "asset", "subtype": "bank"}))]
pub struct NewAccount {
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub account_type: String,
    pub subtype: Option<String>,
    pub currency: Option<String>,
    pub description: Option<String>,
    /// An account of the same type to sit under (at most 5 deep).
    pub parent_id: Option<String>,
}

impl From<NewAccount> for svc::NewAccount {
    fn from(v: NewAccount) -> Self {
        let NewAccount {
            code,
            name,
            account_type,
            subtype,
            currency,
            description,
            parent_id,
        } = v;
        svc::NewAccount {
            code,
            name,
            account_type,
            subtype,
            currency,
            description,
            parent_id,
        }
    }
}

/// Changes to an account; absent fields stay. `type` may change only while
/// nothing has been written to the account.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Savings (Barclays)"}))]
pub struct AccountUpdate {
    pub code: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub account_type: Option<String>,
    pub subtype: Option<String>,
    pub description: Option<String>,
    pub active: Option<bool>,
    /// An account of the same type to sit under; null to take it from
    /// under its parent.
    #[serde(default, deserialize_with = "svc::present")]
    #[schema(value_type = Option<String>, nullable)]
    pub parent_id: Option<Option<String>>,
}

impl From<AccountUpdate> for svc::AccountUpdate {
    fn from(v: AccountUpdate) -> Self {
        let AccountUpdate {
            code,
            name,
            account_type,
            subtype,
            description,
            active,
            parent_id,
        } = v;
        svc::AccountUpdate {
            code,
            name,
            account_type,
            subtype,
            description,
            active,
            parent_id,
        }
    }
}
