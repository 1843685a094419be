//! The importer surface against the real app, on SQLite and PostgreSQL.

mod errors;
mod kit;
mod ledger;
mod money;
mod openapi;
mod ratelimit;
mod story;
mod update;
mod xlsx;
