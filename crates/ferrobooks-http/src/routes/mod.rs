//! The native API, one module per resource.

pub mod accounts;
pub mod customers;
pub mod general_ledger;
pub mod health;
pub mod journal_entries;
pub mod keys;
pub mod organization;
pub mod products;
pub mod reports;
pub mod taxes;
pub mod webhooks;

use axum::Router;

use crate::AppState;

/// Every `/api/v1` route; each requires an API key with the route's scope.
pub fn api_v1() -> Router<AppState> {
    Router::new()
        .merge(organization::routes())
        .merge(accounts::routes())
        .merge(customers::routes())
        .merge(products::routes())
        .merge(journal_entries::routes())
        .merge(keys::routes())
        .merge(general_ledger::routes())
        .merge(reports::routes())
        .merge(taxes::routes())
        .merge(webhooks::routes())
}
