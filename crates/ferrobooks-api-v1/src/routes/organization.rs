//! `GET/PUT/PATCH /api/v1/organization`: the key's own organization.

use crate::views::orgs::{OrganizationUpdate, OrganizationView};
use axum::extract::State;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::ApiJson;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(show, update))
}

#[utoipa::path(get, path = "/api/v1/organization", tag = "organization",
    summary = "The key's organization",
    responses((status = 200, body = OrganizationView), CommonErrors),
    security(("bearer" = ["organization:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
) -> Json<OrganizationView> {
    Json(s.services.organization(&ctx).into())
}

#[utoipa::path(method(put, patch), path = "/api/v1/organization", tag = "organization",
    summary = "Change the organization's settings (PATCH takes the same body)",
    description = "Absent fields stay as they are. The base currency cannot change once the journal has entries (409). For an Indian organization a GSTIN in `tax_id` is checked and sets `state`.",
    request_body = OrganizationUpdate,
    responses((status = 200, body = OrganizationView), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["organization:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<OrganizationUpdate>,
) -> Result<Json<OrganizationView>, ApiError> {
    Ok(Json(
        s.services
            .update_organization(&ctx, input.into())
            .await?
            .into(),
    ))
}
