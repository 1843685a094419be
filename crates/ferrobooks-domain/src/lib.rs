#![forbid(unsafe_code)]
//! The accounting domain of Ferrobooks, free of I/O.
//!
//! Everything here can be tested without a database: money and currencies,
//! account types, journal entries that cannot be built unbalanced, the
//! default charts of accounts, and the arithmetic of the trial balance.

pub mod access;
pub mod account;
pub mod aging;
pub mod asset;
pub mod bank_match;
pub mod budget;
pub mod calendar;
pub mod cash_basis;
pub mod cash_flow;
pub mod chart;
pub mod document;
pub mod error;
pub mod fx;
pub mod gst_return;
pub mod import;
pub mod journal;
pub mod loan;
pub mod money;
mod named;
pub mod numbering;
pub mod org;
pub mod payroll;
pub mod plaintext;
pub mod subscription;
pub mod tax;
pub mod trial_balance;
pub mod vat_return;

pub use account::{AccountCode, AccountType, Side};
pub use error::DomainError;
pub use journal::{BalancedEntry, EntryLine, Foreign};
pub use money::{Currency, Minor};
