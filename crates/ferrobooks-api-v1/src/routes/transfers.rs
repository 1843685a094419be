//! `/api/v1/transfers`: money moved between bank, cash and card accounts.

use crate::views::transfers::{NewTransfer, TransferView, VoidTransfer};
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

#[utoipa::path(get, path = "/api/v1/transfers", tag = "transfers",
    summary = "List transfers",
    params(ListParams),
    responses((status = 200, body = List<TransferView>), CommonErrors),
    security(("bearer" = ["transfers:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<TransferView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_transfers(&ctx, after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/transfers", tag = "transfers",
    summary = "Move money between two bank, cash or card accounts",
    description = "Posts Dr the destination / Cr the source. Each side moves in its account's currency: `amount` leaves, `to_amount` arrives (required when the currencies differ). In base, money leaving a foreign-currency account leaves at the value the account carries it at on the date (its share of the base balance; `exchange_rate`, base per unit, only when the balance does not hold the amount), money arriving in a base-currency account at what it is, and the difference is realized FX (7906). The same account on both sides is refused. Emits `transfer.created`.",
    request_body = NewTransfer,
    responses((status = 201, body = TransferView), CommonErrors),
    security(("bearer" = ["transfers:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewTransfer>,
) -> Result<(StatusCode, Json<TransferView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_transfer(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/transfers/{id}", tag = "transfers",
    summary = "Read a transfer",
    params(("id" = String, Path, description = "Transfer id")),
    responses((status = 200, body = TransferView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["transfers:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<TransferView>, ApiError> {
    Ok(Json(s.services.get_transfer(&ctx, &id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/transfers/{id}/void", tag = "transfers",
    summary = "Void a transfer by posting the exact mirror of its entry",
    description = "The reversal is dated `date` (default today, never before the transfer). A void transfer is 409. The body is optional. Emits `transfer.voided`.",
    params(("id" = String, Path, description = "Transfer id")),
    request_body(content = VoidTransfer, description = "Optional"),
    responses((status = 200, body = TransferView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["transfers:write"])))]
pub(crate) async fn void(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<VoidTransfer>,
) -> Result<Json<TransferView>, ApiError> {
    Ok(Json(
        s.services
            .void_transfer(&ctx, &id, req.into())
            .await?
            .into(),
    ))
}
