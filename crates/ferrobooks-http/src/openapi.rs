//! The OpenAPI 3.1 document, generated from the handlers' annotations, and
//! the interactive reference at `/docs`, served from the binary (the Swagger
//! UI files are vendored under `assets/`, no CDN).
//!
//! Every route declares its scope as the role of its `bearer` security
//! requirement (`accounts:write`), the same resource:action the
//! authentication middleware checks.

use std::collections::BTreeMap;

use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi, ToSchema};

use crate::AppState;
use crate::routes;

/// The body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A message for people.
    pub error: String,
    /// A stable machine code; see the table in the API description.
    pub code: String,
    /// Field paths and what is wrong with each, when fields are at fault.
    pub details: Option<BTreeMap<String, String>>,
    /// The request's id, also in the `X-Request-Id` header and the logs.
    pub request_id: String,
}

/// Errors every authenticated route may answer.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "a description of responses, never built")]
pub enum CommonErrors {
    /// Validation failed, malformed JSON, a bad query or Idempotency-Key.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// Missing, invalid or revoked API key.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The key lacks the route's scope, or belongs to another organization.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Rate limit exceeded; see `Retry-After`.
    #[response(status = 429)]
    RateLimited(ErrorBody),
}

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sk_live_<64 hex>")
                    .description(Some(
                        "An API key. Keys bound to all of an account's organizations name one \
                         with the X-Organization-Id header.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ferrobooks API",
        description = include_str!("openapi_description.md"),
        version = env!("CARGO_PKG_VERSION"),
    ),
    modifiers(&Security),
    paths(
        routes::organization::show,
        routes::organization::update,
        routes::accounts::list,
        routes::accounts::create,
        routes::accounts::show,
        routes::accounts::update,
        routes::accounts::archive,
        routes::accounts::unarchive,
        routes::accounts::delete,
        routes::customers::list,
        routes::customers::create,
        routes::customers::show,
        routes::customers::update,
        routes::customers::delete,
        routes::products::list,
        routes::products::create,
        routes::products::show,
        routes::products::update,
        routes::products::delete,
        routes::taxes::list,
        routes::taxes::create,
        routes::taxes::show,
        routes::taxes::update,
        routes::taxes::delete,
        routes::taxes::calculate,
        routes::journal_entries::list,
        routes::journal_entries::create,
        routes::journal_entries::show,
        routes::journal_entries::update,
        routes::journal_entries::post_entry,
        routes::journal_entries::void,
        routes::journal_entries::delete,
        routes::general_ledger::show,
        routes::reports::trial_balance,
        routes::keys::list,
        routes::keys::generate,
        routes::keys::show,
        routes::keys::revoke,
        routes::webhooks::list,
        routes::webhooks::create,
        routes::webhooks::show,
        routes::webhooks::delete,
        routes::webhooks::test,
        routes::webhooks::deliveries,
        routes::invoices::list,
        routes::invoices::create,
        routes::invoices::show,
        routes::invoices::update,
        routes::invoices::delete,
        routes::invoices::approve,
        routes::invoices::send,
        routes::invoices::void,
        routes::invoices::allocations,
        routes::estimates::list,
        routes::estimates::create,
        routes::estimates::show,
        routes::estimates::update,
        routes::estimates::delete,
        routes::estimates::send,
        routes::estimates::accept,
        routes::estimates::decline,
        routes::estimates::convert,
        routes::credit_notes::list,
        routes::credit_notes::create,
        routes::credit_notes::show,
        routes::credit_notes::update,
        routes::credit_notes::delete,
        routes::credit_notes::approve,
        routes::credit_notes::void,
        routes::credit_notes::apply,
        routes::credit_notes::refund,
        routes::credit_notes::allocations,
        routes::credit_notes::unapply,
        routes::sales_receipts::list,
        routes::sales_receipts::create,
        routes::sales_receipts::show,
        routes::sales_receipts::void,
        routes::refund_receipts::list,
        routes::refund_receipts::create,
        routes::refund_receipts::show,
        routes::refund_receipts::void,
        routes::payments::list,
        routes::payments::create,
        routes::payments::show,
        routes::payments::apply,
        routes::payments::delete,
        routes::payments::unapply,
        routes::number_series::list,
        routes::number_series::update,
        routes::health::healthz,
        routes::health::readyz,
        crate::metrics::serve,
    ),
    tags(
        (name = "organization", description = "The key's organization"),
        (name = "accounts", description = "The chart of accounts"),
        (name = "customers", description = "The people and companies the organization sells to"),
        (name = "products", description = "Goods and services the organization sells"),
        (name = "taxes", description = "The tax catalogue: GST, VAT, sales tax"),
        (name = "invoices", description = "Invoices: draft, approved, sent, paid, overdue, void"),
        (name = "estimates", description = "Estimates: offers that post nothing, converted to invoices"),
        (name = "credit_notes", description = "Credit notes: applied to invoices or refunded"),
        (name = "sales_receipts", description = "Sales paid on the spot"),
        (name = "refund_receipts", description = "Refunds paid on the spot"),
        (name = "payments", description = "Payments received from customers"),
        (name = "number_series", description = "Number templates per document type"),
        (name = "journal_entries", description = "Journal entries: draft, posted, void"),
        (name = "reports", description = "General ledger and trial balance"),
        (name = "keys", description = "API keys"),
        (name = "webhooks", description = "Signed event deliveries"),
        (name = "operations", description = "Health checks and the API reference"),
    )
)]
pub struct ApiDoc;

/// The document as served.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/docs", get(docs))
        .route("/docs/swagger-ui-bundle.js", get(bundle))
        .route("/docs/swagger-ui.css", get(css))
}

async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document().to_pretty_json().unwrap_or_default(),
    )
}

async fn docs() -> Html<&'static str> {
    Html(
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ferrobooks API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#ui", deepLinking: true });
</script>
</body>
</html>"##,
    )
}

async fn bundle() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/javascript"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_bytes!("../assets/swagger-ui/swagger-ui-bundle.js").as_slice(),
    )
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_bytes!("../assets/swagger-ui/swagger-ui.css").as_slice(),
    )
}
