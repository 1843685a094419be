//! The importer surface against the real app, on SQLite and PostgreSQL.

mod errors;
mod kit;
mod story;
mod xlsx;
