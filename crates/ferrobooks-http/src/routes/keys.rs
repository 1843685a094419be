//! `/api/v1/keys`: generate, list, read and revoke API keys.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use ferrobooks_service::AuthContext;
use ferrobooks_service::keys::{GeneratedKey, KeyView, NewKeyRequest};
use serde::Deserialize;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::pagination::{List, list as list_envelope, page_args};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/keys", get(list))
        .route("/keys/generate", post(generate))
        .route("/keys/{id}", get(show).delete(revoke))
}

#[derive(Debug, Deserialize)]
struct ListParams {
    limit: Option<String>,
    cursor: Option<String>,
}

async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<KeyView>>, ApiError> {
    let (limit, after) = page_args(p.limit.as_deref(), p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services.list_keys(&ctx, after.as_deref(), limit).await?,
    ))
}

async fn generate(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(req): ApiJson<NewKeyRequest>,
) -> Result<(StatusCode, Json<GeneratedKey>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.generate_key(&ctx, req).await?),
    ))
}

async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<KeyView>, ApiError> {
    Ok(Json(s.services.get_key(&ctx, &id).await?))
}

async fn revoke(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.revoke_visible_key(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
