//! `GET/PUT/PATCH /api/v1/organization`: the key's own organization.

use axum::extract::State;
use axum::routing::get;
use axum::{Extension, Json, Router};
use ferrobooks_service::AuthContext;
use ferrobooks_service::orgs::{OrganizationUpdate, OrganizationView};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::ApiJson;

pub fn routes() -> Router<AppState> {
    Router::new().route("/organization", get(show).put(update).patch(update))
}

async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
) -> Json<OrganizationView> {
    Json(s.services.organization(&ctx))
}

async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<OrganizationUpdate>,
) -> Result<Json<OrganizationView>, ApiError> {
    Ok(Json(s.services.update_organization(&ctx, input).await?))
}
