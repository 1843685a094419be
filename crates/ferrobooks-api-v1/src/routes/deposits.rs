//! `/api/v1/deposits`: payments received into undeposited funds, taken
//! to the bank together.

use crate::views::deposits::{DepositView, NewDeposit, VoidDeposit};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::extract::{ApiJson, ApiQuery, OptionalJson};
use ferrobooks_edge::pagination::page_args;
use ferrobooks_edge::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show))
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
}

#[utoipa::path(get, path = "/api/v1/deposits", tag = "deposits",
    summary = "List deposits",
    params(ListParams),
    responses((status = 200, body = List<DepositView>), CommonErrors),
    security(("bearer" = ["deposits:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<DepositView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_deposits(&ctx, after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/deposits", tag = "deposits",
    summary = "Deposit payments received into undeposited funds",
    description = "Posts Dr the bank account / Cr Undeposited Funds for the payments' total (in base; an account kept in another currency takes payments in its currency only and keeps their amount in it). A payment not in undeposited funds, named twice, or already in another deposit is refused naming it (the last 409), and a deposited payment cannot be deleted until the deposit is voided. Emits `deposit.created`.",
    request_body = NewDeposit,
    responses((status = 201, body = DepositView), CommonErrors),
    security(("bearer" = ["deposits:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewDeposit>,
) -> Result<(StatusCode, Json<DepositView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_deposit(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/deposits/{id}", tag = "deposits",
    summary = "Read a deposit",
    params(("id" = String, Path, description = "Deposit id")),
    responses((status = 200, body = DepositView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["deposits:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<DepositView>, ApiError> {
    Ok(Json(s.services.get_deposit(&ctx, &id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/deposits/{id}/void", tag = "deposits",
    summary = "Void a deposit by posting the exact mirror of its entry",
    description = "The reversal is dated `date` (default today, never before the deposit); the payments are in undeposited funds again. A void deposit is 409. The body is optional. Emits `deposit.voided`.",
    params(("id" = String, Path, description = "Deposit id")),
    request_body(content = VoidDeposit, description = "Optional"),
    responses((status = 200, body = DepositView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["deposits:write"])))]
pub(crate) async fn void(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<VoidDeposit>,
) -> Result<Json<DepositView>, ApiError> {
    Ok(Json(
        s.services.void_deposit(&ctx, &id, req.into()).await?.into(),
    ))
}
