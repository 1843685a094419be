//! Banking: bank, cash and card accounts, the statement lines that come
//! from the bank (imported or entered by hand), and statement imports.

pub mod accounts;
pub mod categorize;
pub mod deposits;
pub mod matching;
pub mod reconciliations;
pub mod rules;
pub mod statements;
pub mod transactions;
pub mod transfers;
