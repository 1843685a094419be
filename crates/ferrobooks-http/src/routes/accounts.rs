//! `/api/v1/accounts`: the chart of accounts.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use ferrobooks_service::AuthContext;
use ferrobooks_service::accounts::{AccountQuery, AccountUpdate, AccountView, NewAccount};
use serde::Deserialize;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::pagination::{List, list as list_envelope, page_args};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(list).post(create))
        .route(
            "/accounts/{id}",
            get(show).put(update).patch(update).delete(delete),
        )
        .route("/accounts/{id}/archive", post(archive))
        .route("/accounts/{id}/unarchive", post(unarchive))
}

#[derive(Debug, Deserialize)]
struct ListParams {
    limit: Option<String>,
    cursor: Option<String>,
    #[serde(rename = "type")]
    account_type: Option<String>,
    subtype: Option<String>,
    active: Option<bool>,
    search: Option<String>,
}

async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<AccountView>>, ApiError> {
    let (limit, after) = page_args(p.limit.as_deref(), p.cursor.as_deref())?;
    let page = s
        .services
        .list_accounts(
            &ctx,
            &AccountQuery {
                after,
                limit,
                account_type: p.account_type,
                subtype: p.subtype,
                active: p.active,
                search: p.search,
            },
        )
        .await?;
    Ok(list_envelope(page))
}

async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<AccountView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_account(&ctx, input).await?),
    ))
}

async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(s.services.get_account(&ctx, &id).await?))
}

async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AccountUpdate>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(s.services.update_account(&ctx, &id, input).await?))
}

async fn archive(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(s.services.set_account_active(&ctx, &id, false).await?))
}

async fn unarchive(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(s.services.set_account_active(&ctx, &id, true).await?))
}

async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_account(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
