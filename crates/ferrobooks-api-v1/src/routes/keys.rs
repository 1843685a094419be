//! `/api/v1/keys`: generate, list, read and revoke API keys.

use crate::views::keys::{GeneratedKey, KeyView, NewKeyRequest};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use serde::Deserialize;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::{ApiJson, ApiQuery};
use ferrobooks_edge::pagination::page_args;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(generate))
        .routes(routes!(show, revoke))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl ListParams {
    pub(crate) fn limit(&self) -> Option<u32> {
        self.limit
    }

    pub(crate) fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }
}

#[utoipa::path(get, path = "/api/v1/keys", tag = "keys",
    summary = "List the keys of this organization (never the raw keys)",
    params(ListParams),
    responses((status = 200, body = List<KeyView>), CommonErrors),
    security(("bearer" = ["keys:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<KeyView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services.list_keys(&ctx, after.as_deref(), limit).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/keys/generate", tag = "keys",
    summary = "Generate a key; the raw key is in this answer only",
    description = "A key may only make keys with scopes it has, a tier no higher than its own, and (unless it is account-wide) bound to its organization (403). Never replayed by Idempotency-Key.",
    request_body = NewKeyRequest,
    responses((status = 201, body = GeneratedKey), CommonErrors),
    security(("bearer" = ["keys:write"])))]
pub(crate) async fn generate(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(req): ApiJson<NewKeyRequest>,
) -> Result<(StatusCode, Json<GeneratedKey>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.generate_key(&ctx, req.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/keys/{id}", tag = "keys",
    summary = "Read a key",
    params(("id" = String, Path, description = "Key id")),
    responses((status = 200, body = KeyView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["keys:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<KeyView>, ApiError> {
    Ok(Json(s.services.get_key(&ctx, &id).await?.into()))
}

#[utoipa::path(delete, path = "/api/v1/keys/{id}", tag = "keys",
    summary = "Revoke a key; it fails from the next request on",
    description = "A revoked key is gone from the API: reading or revoking it again is 404, and lists leave it out. `ferrobooks keys list` still shows it, with its state.",
    params(("id" = String, Path, description = "Key id")),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["keys:write"])))]
pub(crate) async fn revoke(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.revoke_visible_key(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
