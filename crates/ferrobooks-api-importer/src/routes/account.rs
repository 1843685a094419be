//! `/api/v1/account`: the account the key belongs to.

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use ferrobooks_edge::dialect::SurfaceDialect;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::Principal;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reply;
use crate::views::{Account, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(account))
}

#[utoipa::path(get, path = "/api/v1/account", tag = "account",
    summary = "The key's account",
    description = "Its companies (organizations the key may import into) and lifetime successful imports.",
    responses((status = 200, body = Account), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = ["imports:read"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn account(
    State(s): State<AppState>,
    Extension(p): Extension<Arc<Principal>>,
    Extension(d): Extension<SurfaceDialect>,
) -> Result<Response, ApiError> {
    let v: Account = s.services.importer_account(&p).await?.into();
    Ok(reply(&d, 200, &v))
}
