//! The native API, one module per resource.

pub mod accounts;
pub mod credit_notes;
pub mod customers;
pub(crate) mod document_bodies;
pub(crate) mod documents;
pub mod estimates;
pub mod events;
pub mod general_ledger;
pub mod health;
pub mod invoices;
pub mod journal_entries;
pub mod keys;
pub mod number_series;
pub mod organization;
pub mod payments;
pub mod products;
pub mod refund_receipts;
pub mod reports;
pub mod sales_receipts;
pub mod taxes;
pub mod webhooks;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// Every `/api/v1` route; each requires an API key with the route's scope.
/// A route is registered with its `#[utoipa::path]` (path, methods and
/// OpenAPI entry in one place), so what is served is what is documented.
pub fn api_v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
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
        .merge(events::routes())
        .merge(invoices::routes())
        .merge(estimates::routes())
        .merge(credit_notes::routes())
        .merge(sales_receipts::routes())
        .merge(refund_receipts::routes())
        .merge(payments::routes())
        .merge(number_series::routes())
}
