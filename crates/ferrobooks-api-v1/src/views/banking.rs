//! The native API's banking shapes: bank accounts, statement lines and
//! statement imports, translated field by field from and to the use
//! cases' own types.

use crate::views::money::{Amount, DecimalText};
use ferrobooks_service::banking::{accounts as acc, statements as st, transactions as tx};
use serde::{Deserialize, Serialize};

/// A bank, cash or credit-card account. Every account of the chart with
/// one of those subtypes is one.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BankAccountView {
    /// The ledger account's id: journal lines, payments and statement
    /// lines name it.
    pub id: String,
    pub code: String,
    pub name: String,
    /// bank, cash or credit_card.
    #[serde(rename = "type")]
    pub kind: String,
    pub currency: String,
    pub institution: Option<String>,
    /// The last four characters of the account number (`****6789`); the
    /// full number is never kept.
    pub account_number: Option<String>,
    pub opening_balance: Amount,
    #[schema(format = Date)]
    pub opening_date: Option<String>,
    /// In the account's currency; for a credit card, what is owed.
    pub balance: Amount,
    /// The same in the organization's base currency.
    pub base_balance: Amount,
    /// Statement lines not yet matched, categorized or excluded.
    pub unreviewed_count: i64,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<acc::BankAccountView> for BankAccountView {
    fn from(v: acc::BankAccountView) -> Self {
        let acc::BankAccountView {
            id,
            code,
            name,
            kind,
            currency,
            institution,
            account_number,
            opening_balance,
            opening_date,
            balance,
            base_balance,
            unreviewed_count,
            active,
            created_at,
            updated_at,
        } = v;
        BankAccountView {
            id,
            code,
            name,
            kind,
            currency,
            institution,
            account_number,
            opening_balance: opening_balance.into(),
            opening_date,
            balance: balance.into(),
            base_balance: base_balance.into(),
            unreviewed_count,
            active,
            created_at,
            updated_at,
        }
    }
}

/// Opens a bank account: its ledger account and its details. An opening
/// balance posts Dr the account / Cr Opening Balance Equity (3100) on the
/// opening date (a card's opening balance is what is owed).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Euro account", "type": "bank", "currency": "EUR", "institution": "First Bank",
    "account_number": "DE89 3704 0044 0532 0130 00", "opening_balance": "2500.00", "opening_date": "2026-01-01",
    "opening_exchange_rate": "1.085"}))]
pub struct NewBankAccount {
    pub name: String,
    /// The ledger account's code; the next free one from 1201 (2151 for a
    /// card) when absent.
    pub code: Option<String>,
    /// bank (default), cash or credit_card.
    #[serde(rename = "type")]
    #[schema(value_type = Option<String>, example = "bank")]
    pub kind: Option<String>,
    /// ISO 4217; default the organization's base currency.
    pub currency: Option<String>,
    pub institution: Option<String>,
    /// Kept as its last four characters only.
    pub account_number: Option<String>,
    /// In the account's currency.
    pub opening_balance: Option<DecimalText>,
    /// Required with an opening balance.
    #[schema(format = Date)]
    pub opening_date: Option<String>,
    /// Base currency per unit of the account's; required with an opening
    /// balance in another currency than the base.
    pub opening_exchange_rate: Option<DecimalText>,
}

impl From<NewBankAccount> for acc::NewBankAccount {
    fn from(v: NewBankAccount) -> Self {
        let NewBankAccount {
            name,
            code,
            kind,
            currency,
            institution,
            account_number,
            opening_balance,
            opening_date,
            opening_exchange_rate,
        } = v;
        acc::NewBankAccount {
            name,
            code,
            kind,
            currency,
            institution,
            account_number,
            opening_balance: opening_balance.map(Into::into),
            opening_date,
            opening_exchange_rate: opening_exchange_rate.map(Into::into),
        }
    }
}

/// Changes to a bank account; absent fields stay.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"institution": "Second Bank", "account_number": "12345678"}))]
pub struct BankAccountUpdate {
    pub name: Option<String>,
    pub institution: Option<String>,
    pub account_number: Option<String>,
}

impl From<BankAccountUpdate> for acc::BankAccountUpdate {
    fn from(v: BankAccountUpdate) -> Self {
        let BankAccountUpdate {
            name,
            institution,
            account_number,
        } = v;
        acc::BankAccountUpdate {
            name,
            institution,
            account_number,
        }
    }
}

/// A statement line: it posts nothing until it is matched or categorized.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BankTransactionView {
    pub id: String,
    pub bank_account_id: String,
    #[schema(format = Date)]
    pub date: String,
    /// In the account's currency: positive is money in, negative money out.
    pub amount: Amount,
    pub currency: String,
    pub description: String,
    pub payee: Option<String>,
    pub reference: Option<String>,
    /// The bank's own id of the line, when its statement gives one.
    pub bank_transaction_id: Option<String>,
    /// unreviewed, matched, categorized or excluded.
    pub status: String,
    /// manual or import.
    pub source: String,
    /// The statement import that brought the line.
    pub import_id: Option<String>,
    /// The bank rule that applied to the line when it was imported.
    pub rule_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<tx::BankTransactionView> for BankTransactionView {
    fn from(v: tx::BankTransactionView) -> Self {
        let tx::BankTransactionView {
            id,
            bank_account_id,
            date,
            amount,
            currency,
            description,
            payee,
            reference,
            bank_transaction_id,
            status,
            source,
            import_id,
            rule_id,
            created_at,
            updated_at,
        } = v;
        BankTransactionView {
            id,
            bank_account_id,
            date,
            amount: amount.into(),
            currency,
            description,
            payee,
            reference,
            bank_transaction_id,
            status,
            source,
            import_id,
            rule_id,
            created_at,
            updated_at,
        }
    }
}

/// A statement line entered by hand.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"bank_account_id": "acc_01kbx2h1bank000000000000000", "date": "2026-12-01",
    "amount": "-42.50", "description": "CARD 4411 STATIONERS", "payee": "Stationers Ltd"}))]
pub struct NewBankTransaction {
    pub bank_account_id: String,
    #[schema(format = Date)]
    pub date: String,
    /// In the account's currency: positive is money in; not zero.
    pub amount: DecimalText,
    pub description: Option<String>,
    pub payee: Option<String>,
    pub reference: Option<String>,
}

impl From<NewBankTransaction> for tx::NewBankTransaction {
    fn from(v: NewBankTransaction) -> Self {
        let NewBankTransaction {
            bank_account_id,
            date,
            amount,
            description,
            payee,
            reference,
        } = v;
        tx::NewBankTransaction {
            bank_account_id,
            date,
            amount: amount.into(),
            description,
            payee,
            reference,
        }
    }
}

/// Changes to an unreviewed line; absent fields stay.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"payee": "Stationers Ltd"}))]
pub struct BankTransactionUpdate {
    #[schema(format = Date)]
    pub date: Option<String>,
    pub amount: Option<DecimalText>,
    pub description: Option<String>,
    pub payee: Option<String>,
    pub reference: Option<String>,
}

impl From<BankTransactionUpdate> for tx::BankTransactionUpdate {
    fn from(v: BankTransactionUpdate) -> Self {
        let BankTransactionUpdate {
            date,
            amount,
            description,
            payee,
            reference,
        } = v;
        tx::BankTransactionUpdate {
            date,
            amount: amount.map(Into::into),
            description,
            payee,
            reference,
        }
    }
}

/// A line of the file that was not imported, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RefusedLine {
    /// The line's position among the file's transactions (CSV: its data
    /// row, after the header), from 1.
    pub row: usize,
    pub reason: String,
}

/// What a statement import did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatementImportView {
    pub id: String,
    pub bank_account_id: String,
    /// csv, ofx, camt053 or mt940.
    pub format: String,
    pub filename: Option<String>,
    /// Lines added.
    pub new: i64,
    /// Lines the account already had (an earlier import of the same or an
    /// overlapping statement).
    pub duplicates: i64,
    pub refused: Vec<RefusedLine>,
    #[schema(format = Date)]
    pub closing_date: Option<String>,
    /// The statement's closing balance, when the file gives one.
    pub closing_balance: Option<Amount>,
    pub created_at: String,
}

impl From<st::StatementImportView> for StatementImportView {
    fn from(v: st::StatementImportView) -> Self {
        let st::StatementImportView {
            id,
            bank_account_id,
            format,
            filename,
            new,
            duplicates,
            refused,
            closing_date,
            closing_balance,
            created_at,
        } = v;
        StatementImportView {
            id,
            bank_account_id,
            format,
            filename,
            new,
            duplicates,
            refused: refused
                .into_iter()
                .map(|st::RefusedLine { row, reason }| RefusedLine { row, reason })
                .collect(),
            closing_date,
            closing_balance: closing_balance.map(Into::into),
            created_at,
        }
    }
}

/// A statement upload (`multipart/form-data`).
#[derive(Debug, Clone, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "documents the multipart form; parts are read by name"
)]
pub struct StatementUpload {
    /// The statement file.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// csv, ofx, camt053 or mt940; read from the file when absent (a CSV
    /// must say `csv`).
    pub format: Option<String>,
    /// For CSV, JSON: `{"date", "date_format" (strftime, e.g. "%d/%m/%Y"),
    /// "amount"` or `"money_in"` and `"money_out", "description"?,
    /// "payee"?, "reference"?, "transaction_id"?, "delimiter"?,
    /// "decimal_comma"?}`, each a column of the header.
    pub mapping: Option<String>,
}
