//! The statement of cash flows by the indirect method: where each
//! account's movement over the period belongs.
//!
//! Every entry balances, so the movement of cash (bank and cash accounts)
//! equals the period's profit plus the movement of every other balance
//! sheet account taken with the opposite sign (credit less debit): an
//! increase in receivables used cash, an increase in payables kept it.
//! Each non-cash account lands in exactly one activity, so the statement
//! ties out to the cash accounts by construction.

use crate::AccountType;

/// Where an account's movement shows on the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Activity {
    /// Bank and cash: the movement the statement explains.
    Cash,
    /// Profit, non-cash charges (accumulated depreciation) and working
    /// capital (current assets and liabilities).
    Operating,
    /// Fixed and other non-current assets.
    Investing,
    /// Non-current liabilities (loans) and equity.
    Financing,
    /// Income and expenses: in the statement through the profit.
    Profit,
}

impl Activity {
    pub fn of(t: AccountType, subtype: &str) -> Activity {
        match (t, subtype) {
            (AccountType::Income | AccountType::Expense, _) => Activity::Profit,
            (AccountType::Asset, "bank" | "cash") => Activity::Cash,
            (AccountType::Asset, "fixed" | "non_current") => Activity::Investing,
            (AccountType::Asset, _) => Activity::Operating,
            (AccountType::Liability, "non_current") => Activity::Financing,
            (AccountType::Liability, _) => Activity::Operating,
            (AccountType::Equity, _) => Activity::Financing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subtype_has_an_activity() {
        for t in [
            AccountType::Asset,
            AccountType::Liability,
            AccountType::Equity,
            AccountType::Income,
            AccountType::Expense,
        ] {
            for s in t.subtypes() {
                let a = Activity::of(t, s);
                assert_eq!(a == Activity::Profit, t.is_profit_and_loss(), "{t:?} {s}");
            }
        }
        assert_eq!(
            Activity::of(AccountType::Asset, "accumulated_depreciation"),
            Activity::Operating
        );
        assert_eq!(Activity::of(AccountType::Asset, "bank"), Activity::Cash);
        assert_eq!(
            Activity::of(AccountType::Liability, "non_current"),
            Activity::Financing
        );
    }
}
