#![forbid(unsafe_code)]
//! The native API, `/api/v1`: one module per resource under [`routes`]
//! (the file mirrors the path), its OpenAPI document and reference, and its
//! list envelope. A handler translates shapes only: it reads the request
//! with the edge's strict extractors, calls one use case of
//! `ferrobooks-service`, and answers the result. Authentication, scopes,
//! rate limits and idempotency are the edge's (`ferrobooks-edge`).

mod envelope;
mod openapi;
mod platform_doc;
mod routes;
mod views;

use std::sync::Arc;

use ferrobooks_edge::Surface;
use ferrobooks_edge::dialect::Native;

pub use openapi::document;

/// The native surface: every `/api/v1` route, the OpenAPI document and the
/// reference at `/docs`, in the native dialect.
pub fn surface() -> Surface {
    Surface {
        routes: routes::api_v1(),
        public: openapi::routes().split_for_parts().0,
        dialect: Arc::new(Native),
    }
}
