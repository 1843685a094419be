//! `/api/v1/bank_accounts/{id}/reconciliations`: reconciling a bank
//! account to its statements.

use crate::views::reconciliations::{
    ClearLines, NewReconciliation, ReconciliationLine, ReconciliationView,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::List;
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::extract::ApiJson;
use ferrobooks_edge::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reconciliations, start_reconciliation))
        .routes(routes!(show_reconciliation, undo_reconciliation))
        .routes(routes!(reconciliation_lines, clear_lines))
        .routes(routes!(finish_reconciliation))
}

fn all<T>(items: Vec<T>) -> Json<List<T>> {
    Json(List {
        data: items,
        has_more: false,
        next_cursor: None,
    })
}

#[utoipa::path(get, path = "/api/v1/bank_accounts/{id}/reconciliations", tag = "bank_accounts",
    summary = "List an account's reconciliations, newest first",
    params(("id" = String, Path, description = "The bank account's id")),
    responses((status = 200, body = List<ReconciliationView>), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:read"])))]
pub(crate) async fn list_reconciliations(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<List<ReconciliationView>>, ApiError> {
    let items = s.services.list_reconciliations(&ctx, &id).await?;
    Ok(all(items.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/bank_accounts/{id}/reconciliations", tag = "bank_accounts",
    summary = "Start reconciling an account to a statement",
    description = "One reconciliation is in progress per account at a time (409 otherwise), for a statement dated after the last one reconciled. Its opening balance is the last one's closing balance. The account's ledger lines dated up to the statement that no finished reconciliation cleared are then listed (`/lines`) and cleared (`/lines` POST) until the difference is zero.",
    params(("id" = String, Path, description = "The bank account's id")),
    request_body = NewReconciliation,
    responses((status = 201, body = ReconciliationView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:write"])))]
pub(crate) async fn start_reconciliation(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewReconciliation>,
) -> Result<(StatusCode, Json<ReconciliationView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .start_reconciliation(&ctx, &id, input.into())
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/bank_accounts/{id}/reconciliations/{reconciliation_id}", tag = "bank_accounts",
    summary = "Read a reconciliation",
    params(("id" = String, Path, description = "The bank account's id"),
           ("reconciliation_id" = String, Path, description = "Reconciliation id")),
    responses((status = 200, body = ReconciliationView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:read"])))]
pub(crate) async fn show_reconciliation(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path((id, rid)): Path<(String, String)>,
) -> Result<Json<ReconciliationView>, ApiError> {
    Ok(Json(
        s.services.get_reconciliation(&ctx, &id, &rid).await?.into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/bank_accounts/{id}/reconciliations/{reconciliation_id}", tag = "bank_accounts",
    summary = "Undo the newest reconciliation",
    description = "Finished or in progress: its lines are open again and their entries can be voided. Only the account's newest reconciliation (409 otherwise).",
    params(("id" = String, Path, description = "The bank account's id"),
           ("reconciliation_id" = String, Path, description = "Reconciliation id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:write"])))]
pub(crate) async fn undo_reconciliation(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path((id, rid)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    s.services.undo_reconciliation(&ctx, &id, &rid).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/bank_accounts/{id}/reconciliations/{reconciliation_id}/lines", tag = "bank_accounts",
    summary = "The account's lines up to the statement date, with what is cleared",
    description = "Every posted line of the account dated on or before the statement date that no other reconciliation cleared, in date order (all of them, not paged).",
    params(("id" = String, Path, description = "The bank account's id"),
           ("reconciliation_id" = String, Path, description = "Reconciliation id")),
    responses((status = 200, body = List<ReconciliationLine>), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:read"])))]
pub(crate) async fn reconciliation_lines(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path((id, rid)): Path<(String, String)>,
) -> Result<Json<List<ReconciliationLine>>, ApiError> {
    let items = s.services.reconciliation_lines(&ctx, &id, &rid).await?;
    Ok(all(items.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/bank_accounts/{id}/reconciliations/{reconciliation_id}/lines", tag = "bank_accounts",
    summary = "Clear or unclear lines",
    description = "`clear_all` clears every open line first; then `clear` and `unclear` name lines by `line_id`. A line that is not an open line of the account up to the statement date is refused, naming it. Only while in progress (409 otherwise).",
    params(("id" = String, Path, description = "The bank account's id"),
           ("reconciliation_id" = String, Path, description = "Reconciliation id")),
    request_body = ClearLines,
    responses((status = 200, body = ReconciliationView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:write"])))]
pub(crate) async fn clear_lines(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path((id, rid)): Path<(String, String)>,
    ApiJson(input): ApiJson<ClearLines>,
) -> Result<Json<ReconciliationView>, ApiError> {
    Ok(Json(
        s.services
            .clear_reconciliation_lines(&ctx, &id, &rid, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/bank_accounts/{id}/reconciliations/{reconciliation_id}/finish", tag = "bank_accounts",
    summary = "Finish a reconciliation",
    description = "Needs a difference of exactly zero (409 naming it otherwise). The cleared lines are then reconciled: voiding their entries (a payment's, a transfer's, a journal entry's) is 409 naming this reconciliation until it is undone. Emits `reconciliation.finished`.",
    params(("id" = String, Path, description = "The bank account's id"),
           ("reconciliation_id" = String, Path, description = "Reconciliation id")),
    responses((status = 200, body = ReconciliationView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:write"])))]
pub(crate) async fn finish_reconciliation(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path((id, rid)): Path<(String, String)>,
) -> Result<Json<ReconciliationView>, ApiError> {
    Ok(Json(
        s.services
            .finish_reconciliation(&ctx, &id, &rid)
            .await?
            .into(),
    ))
}
