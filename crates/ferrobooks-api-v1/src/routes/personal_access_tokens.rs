//! `/api/v1/personal_access_tokens`: a user's tokens (`aibk_pat_...`),
//! minted, listed and revoked by the user themself through one of their
//! tokens (API keys belong to no user: 403).

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
use crate::views::users::{MintedToken, NewTokenRequest, TokenView};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, mint))
        .routes(routes!(revoke))
}

#[utoipa::path(get, path = "/api/v1/personal_access_tokens", tag = "personal_access_tokens",
    summary = "List the calling user's tokens (never the secrets)",
    params(ListParams),
    responses((status = 200, body = List<TokenView>), CommonErrors),
    security(("bearer" = ["personal_access_tokens:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<TokenView>>, ApiError> {
    let (limit, after) = page_args(p.limit(), p.cursor())?;
    Ok(list_envelope(
        s.services
            .list_tokens(&ctx, after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/personal_access_tokens", tag = "personal_access_tokens",
    summary = "Mint a token for the calling user; the secret is in this answer only",
    description = "The token acts as the calling user: it may do what both its scopes and the user's role allow, in the organizations the user works in, and stops working when the user is disabled. Its scopes may not reach past the calling token's (403). Bound to this organization, or with `all_organizations` to every one the user sees (requests then name one in `X-Organization-Id`). An API key belongs to no user: 403. Never replayed by Idempotency-Key.",
    request_body = NewTokenRequest,
    responses((status = 201, body = MintedToken), CommonErrors),
    security(("bearer" = ["personal_access_tokens:write"])))]
pub(crate) async fn mint(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(req): ApiJson<NewTokenRequest>,
) -> Result<(StatusCode, Json<MintedToken>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.mint_token(&ctx, req.into()).await?.into()),
    ))
}

#[utoipa::path(delete, path = "/api/v1/personal_access_tokens/{id}", tag = "personal_access_tokens",
    summary = "Revoke one of the calling user's tokens; it fails from the next request on",
    params(("id" = String, Path, description = "Token id")),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["personal_access_tokens:write"])))]
pub(crate) async fn revoke(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.revoke_token(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
