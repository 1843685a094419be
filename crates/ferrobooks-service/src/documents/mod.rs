//! The documents of both sides of the books on one engine: invoices,
//! estimates, credit notes, sales and refund receipts; bills, vendor
//! credits and purchase orders (one document model, [`model`]); payments
//! received and made, the allocations that settle invoices and bills, and
//! the due-date job.

pub mod allocations;
mod compute;
pub mod credit_notes;
pub mod estimates;
pub mod expenses;
pub mod jobs;
pub mod lifecycle;
pub mod model;
pub mod payments;
pub(crate) mod posting;
pub mod purchase_orders;
mod revise;
pub mod settle;
mod stock;
pub mod write_offs;

pub use lifecycle::DocQuery;
pub use model::{DocKind, DocumentInput, DocumentView};
