//! `/api/v1/budgets`: a fiscal year's months per income and expense
//! account (the report is `/api/v1/reports/budget_vs_actual`).

use crate::views::budgets::{BudgetUpdate, BudgetView, NewBudget};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_domain::budget::BudgetAction;
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
        .routes(routes!(show, update, delete))
        .routes(routes!(activate))
        .routes(routes!(archive))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only budgets in this status.
    #[param(schema_with = crate::openapi::budget_statuses)]
    status: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/budgets", tag = "budgets",
    summary = "List budgets",
    params(ListParams),
    responses((status = 200, body = List<BudgetView>), CommonErrors),
    security(("bearer" = ["budgets:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<BudgetView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_budgets(&ctx, p.status.as_deref(), after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/budgets", tag = "budgets",
    summary = "Make a draft budget",
    description = "Twelve amounts per income or expense account for the fiscal year, or a year's actuals copied month by month and adjusted by `adjust_percent`. Budgets post nothing. Emits `budget.created`.",
    request_body = NewBudget,
    responses((status = 201, body = BudgetView), CommonErrors),
    security(("bearer" = ["budgets:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewBudget>,
) -> Result<(StatusCode, Json<BudgetView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_budget(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/budgets/{id}", tag = "budgets",
    summary = "Read a budget",
    params(("id" = String, Path, description = "Budget id")),
    responses((status = 200, body = BudgetView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["budgets:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BudgetView>, ApiError> {
    Ok(Json(s.services.get_budget(&ctx, &id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/budgets/{id}", tag = "budgets",
    summary = "Rename a budget or replace its lines",
    description = "A draft or active budget; an archived one is 409. The year and branch do not change. Emits `budget.updated`.",
    params(("id" = String, Path, description = "Budget id")),
    request_body = BudgetUpdate,
    responses((status = 200, body = BudgetView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["budgets:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<BudgetUpdate>,
) -> Result<Json<BudgetView>, ApiError> {
    Ok(Json(
        s.services
            .update_budget(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/budgets/{id}", tag = "budgets",
    summary = "Delete a draft or archived budget",
    description = "An active budget is 409: archive it first. Emits `budget.deleted`.",
    params(("id" = String, Path, description = "Budget id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["budgets:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_budget(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/budgets/{id}/activate", tag = "budgets",
    summary = "Activate a draft budget",
    description = "One budget is active per fiscal year and branch: another active one is 409 naming it. Emits `budget.activated`.",
    params(("id" = String, Path, description = "Budget id")),
    responses((status = 200, body = BudgetView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["budgets:write"])))]
pub(crate) async fn activate(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BudgetView>, ApiError> {
    Ok(Json(
        s.services
            .change_budget(&ctx, &id, BudgetAction::Activate)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/budgets/{id}/archive", tag = "budgets",
    summary = "Archive a budget",
    description = "A draft or active budget; an archived one is 409. Emits `budget.updated`.",
    params(("id" = String, Path, description = "Budget id")),
    responses((status = 200, body = BudgetView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["budgets:write"])))]
pub(crate) async fn archive(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BudgetView>, ApiError> {
    Ok(Json(
        s.services
            .change_budget(&ctx, &id, BudgetAction::Archive)
            .await?
            .into(),
    ))
}
