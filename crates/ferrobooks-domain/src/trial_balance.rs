//! Trial balance arithmetic, shared by the report service and the property
//! tests: per-account debit and credit totals, netted to one side.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{BalancedEntry, Minor};

/// Debit and credit totals of one account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub debit: Minor,
    pub credit: Minor,
}

impl Totals {
    /// Debits minus credits.
    pub fn net(&self) -> Minor {
        self.debit - self.credit
    }

    /// The trial balance columns: the net shown on its own side.
    pub fn columns(&self) -> (Minor, Minor) {
        let n = self.net();
        if n >= 0 { (n, 0) } else { (0, -n) }
    }
}

/// An in-memory ledger of totals per account; the model the stored
/// balances are checked against.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Ledger {
    pub accounts: BTreeMap<String, Totals>,
}

impl Ledger {
    pub fn post(&mut self, entry: &BalancedEntry) {
        for l in entry.lines() {
            let t = self.accounts.entry(l.account_id.clone()).or_default();
            t.debit += l.debit;
            t.credit += l.credit;
        }
    }

    /// Sum of the debit column and of the credit column.
    pub fn column_totals(&self) -> (Minor, Minor) {
        self.accounts.values().fold((0, 0), |(d, c), t| {
            let (td, tc) = t.columns();
            (d + td, c + tc)
        })
    }

    /// Net balance of each account (zero-balance accounts dropped).
    pub fn nets(&self) -> BTreeMap<String, Minor> {
        self.accounts
            .iter()
            .filter(|(_, t)| t.net() != 0)
            .map(|(k, t)| (k.clone(), t.net()))
            .collect()
    }
}
