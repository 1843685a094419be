//! `/api/v1/fx_revaluations`: unrealized FX at closing rates.

use crate::views::fx_revaluations::{NewRevaluation, RevaluationView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::extract::{ApiJson, ApiQuery};
use ferrobooks_edge::pagination::page_args;
use ferrobooks_edge::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show))
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

#[utoipa::path(get, path = "/api/v1/fx_revaluations", tag = "fx_revaluations",
    summary = "List revaluations",
    params(ListParams),
    responses((status = 200, body = List<RevaluationView>), CommonErrors),
    security(("bearer" = ["fx_revaluations:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<RevaluationView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_fx_revaluations(&ctx, after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/fx_revaluations", tag = "fx_revaluations",
    summary = "Revalue foreign-currency balances at closing rates",
    description = "Revalues, as of `date`, every account kept in another currency (its balance from the ledger) and the open foreign-currency items in receivables and payables: invoices and bills (less allocations dated up to `date`) and payments (less what they had applied). Each moves to balance x rate (base per unit, one rate for each currency held: a missing one is named); the differences post on `date` against Unrealized Exchange Gain/Loss (7907), and the exact mirror posts the next day. Credit notes and vendor credits are not revalued yet. Emits `fx_revaluation.created`.",
    request_body = NewRevaluation,
    responses((status = 201, body = RevaluationView), CommonErrors),
    security(("bearer" = ["fx_revaluations:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewRevaluation>,
) -> Result<(StatusCode, Json<RevaluationView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_fx_revaluation(&ctx, input.into())
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/fx_revaluations/{id}", tag = "fx_revaluations",
    summary = "Read a revaluation",
    params(("id" = String, Path, description = "Revaluation id")),
    responses((status = 200, body = RevaluationView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["fx_revaluations:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<RevaluationView>, ApiError> {
    Ok(Json(s.services.get_fx_revaluation(&ctx, &id).await?.into()))
}
