//! `/api/v1/oauth_apps`: registering the apps that ask users for access
//! through `/oauth/authorize` (Authorization Code + PKCE).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_edge::extract::{ApiJson, ApiQuery};
use ferrobooks_edge::pagination::page_args;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::AuthContext;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::keys::ListParams;
use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use crate::views::users::{NewOAuthApp, OAuthAppView, RegisteredOAuthApp};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, register))
        .routes(routes!(show, delete))
}

#[utoipa::path(get, path = "/api/v1/oauth_apps", tag = "oauth_apps",
    summary = "List the account's OAuth apps (never their secrets)",
    params(ListParams),
    responses((status = 200, body = List<OAuthAppView>), CommonErrors),
    security(("bearer" = ["oauth_apps:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<OAuthAppView>>, ApiError> {
    let (limit, after) = page_args(p.limit(), p.cursor())?;
    Ok(list_envelope(
        s.services.list_apps(&ctx, after.as_deref(), limit).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/oauth_apps", tag = "oauth_apps",
    summary = "Register an OAuth app",
    description = "The app sends users to `GET /oauth/authorize?response_type=code&client_id=...&redirect_uri=...&scope=...&state=...&code_challenge=...&code_challenge_method=S256`; a signed-in user consents for one of their organizations; the app exchanges the code at `POST /oauth/token` (form-encoded, within 60 s, with its `code_verifier`) for a one-hour access token (`aibk_oat_...`) and a refresh token that rotates on every use. A confidential app's `client_secret` is answered once (never replayed by Idempotency-Key).",
    request_body = NewOAuthApp,
    responses((status = 201, body = RegisteredOAuthApp), CommonErrors),
    security(("bearer" = ["oauth_apps:write"])))]
pub(crate) async fn register(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewOAuthApp>,
) -> Result<(StatusCode, Json<RegisteredOAuthApp>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.register_app(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/oauth_apps/{id}", tag = "oauth_apps",
    summary = "Read an OAuth app",
    params(("id" = String, Path, description = "The app's client_id")),
    responses((status = 200, body = OAuthAppView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["oauth_apps:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<OAuthAppView>, ApiError> {
    Ok(Json(s.services.get_app(&ctx, &id).await?.into()))
}

#[utoipa::path(delete, path = "/api/v1/oauth_apps/{id}", tag = "oauth_apps",
    summary = "Remove an OAuth app",
    description = "Its codes and refresh tokens stop working at once; access tokens it holds run out within their hour.",
    params(("id" = String, Path, description = "The app's client_id")),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["oauth_apps:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_app(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
