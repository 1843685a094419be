//! Integration tests: the real app on a random port, a fresh database per
//! test, every test on SQLite and (when configured) PostgreSQL.

mod accounts;
mod auth;
mod banking;
mod bills;
mod customers;
mod errors;
mod events;
mod flows;
mod foreign_currency;
mod hard_edges;
mod idempotency;
mod jobs;
mod journal;
mod matrix;
mod openapi;
mod operations;
mod organization;
mod products;
mod purchase_flows;
mod purchases;
mod ratelimit;
mod reconciliations;
mod reports;
mod sales_flows;
mod sales_invoices;
mod sales_other;
mod sales_payments;
mod series;
mod story;
mod strict_input;
mod surface;
mod taxes;
mod transfers;
mod vendors;
mod webhooks;
