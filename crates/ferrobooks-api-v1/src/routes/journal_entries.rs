//! `/api/v1/journal_entries`: create (draft or posted), list, read, edit
//! drafts, post, void, delete drafts.

use crate::views::journal::{JournalEntryUpdate, JournalEntryView, NewJournalEntry, VoidRequest};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use ferrobooks_service::journal::EntryQuery;
use serde::Deserialize;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::{ApiJson, ApiQuery, OptionalJson};
use ferrobooks_edge::pagination::page_args;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(post_entry))
        .routes(routes!(void))
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
    /// Only entries in this status (draft, posted, void).
    #[param(schema_with = crate::openapi::entry_statuses)]
    status: Option<String>,
    /// First date, YYYY-MM-DD.
    #[param(format = Date)]
    date_from: Option<String>,
    /// Last date, YYYY-MM-DD.
    #[param(format = Date)]
    date_to: Option<String>,
    /// Only entries changed at or after this RFC 3339 time.
    #[param(format = DateTime)]
    updated_since: Option<String>,
    /// Only this account (entries with a line on it).
    account_id: Option<String>,
    /// Case-insensitive text to find (name or code; memo, reference or number).
    search: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/journal_entries", tag = "journal_entries",
    summary = "List journal entries",
    params(ListParams),
    responses((status = 200, body = List<JournalEntryView>), CommonErrors),
    security(("bearer" = ["journal_entries:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<JournalEntryView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
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

#[utoipa::path(post, path = "/api/v1/journal_entries", tag = "journal_entries",
    summary = "Create a journal entry, as a draft or posted",
    description = "Lines carry a debit or a credit, exact decimals in the base currency; debits must equal credits (`unbalanced_entry` names the difference). Accounts must be active accounts of the organization in its base currency. With `post: true` the entry posts at once and gets its number (`JE-000001`); otherwise it is a draft that posts nothing. Emits `journal_entry.created` (and `journal_entry.posted`).",
    request_body = NewJournalEntry,
    responses((status = 201, body = JournalEntryView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), CommonErrors),
    security(("bearer" = ["journal_entries:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewJournalEntry>,
) -> Result<(StatusCode, Json<JournalEntryView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_journal_entry(&ctx, input.into())
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/journal_entries/{id}", tag = "journal_entries",
    summary = "Read a journal entry",
    params(("id" = String, Path, description = "Journal entry id")),
    responses((status = 200, body = JournalEntryView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["journal_entries:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<JournalEntryView>, ApiError> {
    Ok(Json(s.services.get_journal_entry(&ctx, &id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/journal_entries/{id}", tag = "journal_entries",
    summary = "Replace a draft's date, memo, reference and lines",
    description = "Only drafts can be edited (409 otherwise).",
    params(("id" = String, Path, description = "Journal entry id")),
    request_body = JournalEntryUpdate,
    responses((status = 200, body = JournalEntryView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["journal_entries:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<JournalEntryUpdate>,
) -> Result<Json<JournalEntryView>, ApiError> {
    Ok(Json(
        s.services
            .update_journal_entry(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/journal_entries/{id}/post", operation_id = "post", tag = "journal_entries",
    summary = "Post a draft",
    description = "The draft gets its number and reaches the balances. Only a draft can be posted (409). Emits `journal_entry.posted`.",
    params(("id" = String, Path, description = "Journal entry id")),
    responses((status = 200, body = JournalEntryView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["journal_entries:write"])))]
pub(crate) async fn post_entry(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<JournalEntryView>, ApiError> {
    Ok(Json(s.services.post_journal_entry(&ctx, &id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/journal_entries/{id}/void", tag = "journal_entries",
    summary = "Void a posted entry by posting its exact reversal",
    description = "The reversal is dated `date` (default today, never before the entry) and linked both ways (`reversed_by`, `reversal_of`). The entry keeps its number. A reversal or a void entry cannot be voided (409). The body is optional.",
    params(("id" = String, Path, description = "Journal entry id")),
    request_body(content = VoidRequest, description = "Optional"),
    responses((status = 200, body = JournalEntryView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["journal_entries:write"])))]
pub(crate) async fn void(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<VoidRequest>,
) -> Result<Json<JournalEntryView>, ApiError> {
    Ok(Json(
        s.services
            .void_journal_entry(&ctx, &id, req.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/journal_entries/{id}", tag = "journal_entries",
    summary = "Delete a draft",
    description = "Posted entries are never deleted: void them (409). A deleted draft answers 404.",
    params(("id" = String, Path, description = "Journal entry id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["journal_entries:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_journal_entry(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
