//! The importer's routes, a module per path prefix: `account.rs`
//! (`/account`), `companies.rs` (`/companies`, `/companies/{id}`, its
//! settings and entity catalog), `mappings.rs` and `imports.rs`.

mod account;
mod companies;
mod imports;
mod mappings;

use axum::response::Response;
use ferrobooks_edge::AppState;
use ferrobooks_edge::dialect::{SurfaceDialect, send};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;

pub fn all() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(account::routes())
        .merge(companies::routes())
        .merge(mappings::routes())
        .merge(imports::routes())
}

/// A result in the surface's dialect: the same function renders the
/// replay of an Idempotency-Key, so both are equal.
pub(crate) fn reply<T: Serialize>(d: &SurfaceDialect, status: u16, v: &T) -> Response {
    match serde_json::to_string(v) {
        Ok(json) => send(d.0.reply(status, json)),
        Err(e) => {
            tracing::error!(error = %e, "a reply did not serialize");
            axum::response::IntoResponse::into_response(ferrobooks_edge::ApiError::new(
                ferrobooks_service::Code::Internal,
                "Internal server error",
            ))
        }
    }
}

/// `page` and `perPage` of the paginated lists.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct PageParams {
    /// Page number, from 1 (default 1).
    #[param(minimum = 1)]
    page: Option<i64>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<i64>,
}

impl PageParams {
    pub(crate) fn ask(&self) -> ferrobooks_service::importer::PageAsk {
        ferrobooks_service::importer::PageAsk {
            page: self.page,
            per_page: self.per_page,
        }
    }
}
