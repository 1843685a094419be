//! The importer surface against the real app, on SQLite and PostgreSQL.

mod errors;
mod journals;
mod kit;
mod openapi;
mod ratelimit;
mod story;
mod xlsx;
