//! The sales side of the books: invoices, estimates, credit notes, sales
//! and refund receipts (one document model, [`model`]), customer payments
//! and the allocations that settle invoices, and the due-date job.

pub mod allocations;
mod compute;
pub mod credit_notes;
pub mod documents;
pub mod estimates;
pub mod jobs;
pub mod model;
pub mod payments;
mod posting;
pub mod settle;

pub use documents::DocQuery;
pub use model::{DocKind, DocumentInput, DocumentView};
