//! `/api/v1/periods`: closing the books up to a lock date, and reopening
//! them with a reason.

use crate::views::periods::{CloseInput, PeriodsView, ReopenInput};
use axum::extract::State;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::extract::ApiJson;
use ferrobooks_edge::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show_periods))
        .routes(routes!(close_period))
        .routes(routes!(reopen_period))
}

#[utoipa::path(get, path = "/api/v1/periods", tag = "periods",
    summary = "Read the lock date and its history",
    responses((status = 200, body = PeriodsView), CommonErrors),
    security(("bearer" = ["periods:read"])))]
pub(crate) async fn show_periods(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
) -> Result<Json<PeriodsView>, ApiError> {
    Ok(Json(s.services.get_periods(&ctx).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/periods/close", tag = "periods",
    summary = "Close the books up to a date",
    description = "Sets the lock date: from then on nothing dated on or before it posts or is voided, whatever posts it (every document type, journal entries, payments, deposits, transfers, bank categorizations, revaluations): 409 `period_closed`. Drafts may still be edited; approving one dated then is refused. The date is not after today and is after the current lock date (moving it back is a reopen). Postings in flight finish first. Emits `period.closed`.",
    request_body = CloseInput,
    responses((status = 200, body = PeriodsView), CommonErrors),
    security(("bearer" = ["periods:write"])))]
pub(crate) async fn close_period(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<CloseInput>,
) -> Result<Json<PeriodsView>, ApiError> {
    Ok(Json(
        s.services.close_period(&ctx, input.into()).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/periods/reopen", tag = "periods",
    summary = "Reopen closed periods, saying why",
    description = "Moves the lock date back to `lock_date` (before the current one), or opens every period when it is left out. The reason is required and kept in the history with the key that reopened. 409 when the books are not closed. Emits `period.reopened`.",
    request_body = ReopenInput,
    responses((status = 200, body = PeriodsView), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["periods:write"])))]
pub(crate) async fn reopen_period(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<ReopenInput>,
) -> Result<Json<PeriodsView>, ApiError> {
    Ok(Json(
        s.services.reopen_period(&ctx, input.into()).await?.into(),
    ))
}
