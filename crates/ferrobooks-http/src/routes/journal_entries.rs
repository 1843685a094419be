//! `/api/v1/journal_entries`: create (draft or posted), list, read, edit
//! drafts, post, void, delete drafts.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use ferrobooks_service::AuthContext;
use ferrobooks_service::journal::{
    EntryQuery, JournalEntryUpdate, JournalEntryView, NewJournalEntry, VoidRequest,
};
use serde::Deserialize;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, OptionalJson};
use crate::pagination::{List, list as list_envelope, page_args};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/journal_entries", get(list).post(create))
        .route(
            "/journal_entries/{id}",
            get(show).put(update).delete(delete),
        )
        .route("/journal_entries/{id}/post", post(post_entry))
        .route("/journal_entries/{id}/void", post(void))
}

#[derive(Debug, Deserialize)]
struct ListParams {
    limit: Option<String>,
    cursor: Option<String>,
    status: Option<String>,
    date_from: Option<String>,
    date_to: Option<String>,
    updated_since: Option<String>,
    account_id: Option<String>,
    search: Option<String>,
}

async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<JournalEntryView>>, ApiError> {
    let (limit, after) = page_args(p.limit.as_deref(), p.cursor.as_deref())?;
    let page = s
        .services
        .list_journal_entries(
            &ctx,
            &EntryQuery {
                after,
                limit,
                status: p.status,
                date_from: p.date_from,
                date_to: p.date_to,
                updated_since: p.updated_since,
                account_id: p.account_id,
                search: p.search,
            },
        )
        .await?;
    Ok(list_envelope(page))
}

async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewJournalEntry>,
) -> Result<(StatusCode, Json<JournalEntryView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_journal_entry(&ctx, input).await?),
    ))
}

async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<JournalEntryView>, ApiError> {
    Ok(Json(s.services.get_journal_entry(&ctx, &id).await?))
}

async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<JournalEntryUpdate>,
) -> Result<Json<JournalEntryView>, ApiError> {
    Ok(Json(
        s.services.update_journal_entry(&ctx, &id, input).await?,
    ))
}

async fn post_entry(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<JournalEntryView>, ApiError> {
    Ok(Json(s.services.post_journal_entry(&ctx, &id).await?))
}

async fn void(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<VoidRequest>,
) -> Result<Json<JournalEntryView>, ApiError> {
    Ok(Json(s.services.void_journal_entry(&ctx, &id, req).await?))
}

async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_journal_entry(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
