//! The native API's reports shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use crate::views::money::Amount;
use ferrobooks_service::reports as svc;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrialBalance {
    pub as_of: String,
    pub currency: String,
    pub rows: Vec<TrialBalanceRow>,
    pub total_debit: Amount,
    pub total_credit: Amount,
}

impl From<svc::TrialBalance> for TrialBalance {
    fn from(v: svc::TrialBalance) -> Self {
        let svc::TrialBalance {
            as_of,
            currency,
            rows,
            total_debit,
            total_credit,
        } = v;
        TrialBalance {
            as_of,
            currency,
            rows: rows.into_iter().map(Into::into).collect(),
            total_debit: total_debit.into(),
            total_credit: total_credit.into(),
        }
    }
}

/// One account's net balance, shown in the debit or the credit column.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrialBalanceRow {
    pub account_id: String,
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub account_type: String,
    pub debit: Amount,
    pub credit: Amount,
}

impl From<svc::TrialBalanceRow> for TrialBalanceRow {
    fn from(v: svc::TrialBalanceRow) -> Self {
        let svc::TrialBalanceRow {
            account_id,
            code,
            name,
            account_type,
            debit,
            credit,
        } = v;
        TrialBalanceRow {
            account_id,
            code,
            name,
            account_type,
            debit: debit.into(),
            credit: credit.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GeneralLedger {
    pub date_from: String,
    pub date_to: String,
    pub currency: String,
    pub accounts: Vec<LedgerAccount>,
}

impl From<svc::GeneralLedger> for GeneralLedger {
    fn from(v: svc::GeneralLedger) -> Self {
        let svc::GeneralLedger {
            date_from,
            date_to,
            currency,
            accounts,
        } = v;
        GeneralLedger {
            date_from,
            date_to,
            currency,
            accounts: accounts.into_iter().map(Into::into).collect(),
        }
    }
}

/// Balances here are on the account's normal side, as on `/accounts`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerAccount {
    pub account_id: String,
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub account_type: String,
    pub opening_balance: Amount,
    pub total_debit: Amount,
    pub total_credit: Amount,
    pub closing_balance: Amount,
    pub lines: Vec<LedgerLineView>,
}

impl From<svc::LedgerAccount> for LedgerAccount {
    fn from(v: svc::LedgerAccount) -> Self {
        let svc::LedgerAccount {
            account_id,
            code,
            name,
            account_type,
            opening_balance,
            total_debit,
            total_credit,
            closing_balance,
            lines,
        } = v;
        LedgerAccount {
            account_id,
            code,
            name,
            account_type,
            opening_balance: opening_balance.into(),
            total_debit: total_debit.into(),
            total_credit: total_credit.into(),
            closing_balance: closing_balance.into(),
            lines: lines.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerLineView {
    pub entry_id: String,
    pub number: Option<String>,
    #[schema(format = Date)]
    pub date: String,
    pub memo: Option<String>,
    pub reference: Option<String>,
    pub description: Option<String>,
    pub contact_id: Option<String>,
    pub debit: Amount,
    pub credit: Amount,
    pub running_balance: Amount,
}

impl From<svc::LedgerLineView> for LedgerLineView {
    fn from(v: svc::LedgerLineView) -> Self {
        let svc::LedgerLineView {
            entry_id,
            number,
            date,
            memo,
            reference,
            description,
            contact_id,
            debit,
            credit,
            running_balance,
        } = v;
        LedgerLineView {
            entry_id,
            number,
            date,
            memo,
            reference,
            description,
            contact_id,
            debit: debit.into(),
            credit: credit.into(),
            running_balance: running_balance.into(),
        }
    }
}

/// A customer's or vendor's account with the organization over a range,
/// in the base currency: balances are positive when the customer owes us,
/// or when we owe the vendor.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ContactStatement {
    pub contact_id: String,
    pub contact_name: String,
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    pub currency: String,
    pub opening_balance: Amount,
    pub lines: Vec<StatementEntry>,
    pub closing_balance: Amount,
}

/// One posting to the contact's receivable or payable.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatementEntry {
    #[schema(format = Date)]
    pub date: String,
    pub entry_id: String,
    /// The document's number (or the entry's reference).
    pub reference: Option<String>,
    pub memo: Option<String>,
    pub debit: Amount,
    pub credit: Amount,
    /// After this line.
    pub balance: Amount,
}

impl From<svc::ContactStatement> for ContactStatement {
    fn from(v: svc::ContactStatement) -> Self {
        let svc::ContactStatement {
            contact_id,
            contact_name,
            date_from,
            date_to,
            currency,
            opening_balance,
            lines,
            closing_balance,
        } = v;
        ContactStatement {
            contact_id,
            contact_name,
            date_from,
            date_to,
            currency,
            opening_balance: opening_balance.into(),
            lines: lines
                .into_iter()
                .map(
                    |svc::StatementEntry {
                         date,
                         entry_id,
                         reference,
                         memo,
                         debit,
                         credit,
                         balance,
                     }| StatementEntry {
                        date,
                        entry_id,
                        reference,
                        memo,
                        debit: debit.into(),
                        credit: credit.into(),
                        balance: balance.into(),
                    },
                )
                .collect(),
            closing_balance: closing_balance.into(),
        }
    }
}
