//! Ledger accounts: their five types, the side they normally sit on, the
//! subtypes each type allows, and account codes.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The five kinds of account every balance sheet and P&L is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    Asset,
    Liability,
    Equity,
    Income,
    Expense,
}

/// Debit or credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Debit,
    Credit,
}

impl AccountType {
    pub const ALL: [AccountType; 5] = [
        AccountType::Asset,
        AccountType::Liability,
        AccountType::Equity,
        AccountType::Income,
        AccountType::Expense,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Asset => "asset",
            AccountType::Liability => "liability",
            AccountType::Equity => "equity",
            AccountType::Income => "income",
            AccountType::Expense => "expense",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                DomainError::invalid(
                    "type",
                    format!("'{s}' is not one of asset, liability, equity, income, expense"),
                )
            })
    }

    /// The side on which the account's balance is normally positive.
    pub fn normal_side(self) -> Side {
        match self {
            AccountType::Asset | AccountType::Expense => Side::Debit,
            AccountType::Liability | AccountType::Equity | AccountType::Income => Side::Credit,
        }
    }

    /// Whether the account closes into retained earnings at year end.
    pub fn is_profit_and_loss(self) -> bool {
        matches!(self, AccountType::Income | AccountType::Expense)
    }

    /// The subtypes an account of this type may carry; the first is the
    /// default when a client names none.
    pub fn subtypes(self) -> &'static [&'static str] {
        match self {
            AccountType::Asset => &[
                "current",
                "bank",
                "cash",
                "receivable",
                "inventory",
                "prepayments",
                "fixed",
                "accumulated_depreciation",
                "non_current",
                "tax",
            ],
            AccountType::Liability => &[
                "current",
                "payable",
                "credit_card",
                "tax",
                "payroll",
                "non_current",
            ],
            AccountType::Equity => &["equity", "retained_earnings", "owner_drawings"],
            AccountType::Income => &["income", "other_income"],
            AccountType::Expense => &["expense", "direct_cost", "depreciation", "other_expense"],
        }
    }

    /// Checks a subtype against this type, or gives the default.
    pub fn subtype(self, requested: Option<&str>) -> Result<&'static str, DomainError> {
        let allowed = self.subtypes();
        match requested {
            None => Ok(allowed[0]),
            Some(s) => allowed.iter().copied().find(|a| *a == s).ok_or_else(|| {
                DomainError::invalid(
                    "subtype",
                    format!(
                        "'{s}' is not a subtype of {}; use one of {}",
                        self.as_str(),
                        allowed.join(", ")
                    ),
                )
            }),
        }
    }

    /// A balance (debits minus credits) expressed on this type's normal side,
    /// so that a healthy asset and a healthy liability both read positive.
    pub fn natural_balance(self, debit_minus_credit: i64) -> i64 {
        match self.normal_side() {
            Side::Debit => debit_minus_credit,
            Side::Credit => -debit_minus_credit,
        }
    }
}

impl fmt::Display for AccountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An account code: 1 to 20 characters of letters, digits, `.`, `-`, `/`.
///
/// Codes are how accountants talk about accounts ("post it to 1200"), so
/// they are unique per organization and kept exactly as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct AccountCode(String);

impl AccountCode {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let ok = !s.is_empty()
            && s.len() <= 20
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/'));
        if ok {
            Ok(AccountCode(s.to_owned()))
        } else {
            Err(DomainError::invalid(
                "code",
                "must be 1 to 20 characters of letters, digits, '.', '-' or '/'",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks an account or document name: non-blank, at most 200 characters.
pub fn parse_name(field: &str, s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(DomainError::invalid(field, "must not be blank"));
    }
    if t.chars().count() > 200 {
        return Err(DomainError::invalid(
            field,
            "must be at most 200 characters",
        ));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtypes_default_and_check() {
        assert_eq!(AccountType::Asset.subtype(None).unwrap(), "current");
        assert_eq!(AccountType::Asset.subtype(Some("bank")).unwrap(), "bank");
        assert!(AccountType::Income.subtype(Some("bank")).is_err());
    }

    #[test]
    fn codes() {
        assert!(AccountCode::parse("1200").is_ok());
        assert!(AccountCode::parse("").is_err());
        assert!(AccountCode::parse("12 00").is_err());
        assert!(AccountCode::parse(&"1".repeat(21)).is_err());
    }

    #[test]
    fn natural_balances() {
        assert_eq!(AccountType::Asset.natural_balance(100), 100);
        assert_eq!(AccountType::Income.natural_balance(-100), 100);
    }
}
