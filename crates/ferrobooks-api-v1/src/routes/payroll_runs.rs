//! `/api/v1/payroll_runs`: pay periods worked out, approved, paid, with a
//! payslip per employee.

use crate::views::payroll::{NewRun, PayRun, PayslipView, RunView};
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
        .routes(routes!(show, delete))
        .routes(routes!(approve))
        .routes(routes!(pay))
        .routes(routes!(payslip))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only runs in this status.
    #[param(schema_with = crate::openapi::payroll_run_statuses)]
    status: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/payroll_runs", tag = "payroll_runs",
    summary = "List payroll runs",
    params(ListParams),
    responses((status = 200, body = List<RunView>), CommonErrors),
    security(("bearer" = ["payroll_runs:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<RunView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_payroll_runs(&ctx, p.status.as_deref(), after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/payroll_runs", tag = "payroll_runs",
    summary = "Make a draft payroll run",
    description = "Each employee's base pay is a salary's share for one period of their pay frequency, pro rata to the days employed in the run's period, or hours x the hourly rate; earnings add to it, deductions and employer contributions are taken on gross. Amounts round half away from zero. A draft posts nothing. No employees, an employee twice, one not employed in the period, hours missing for an hourly employee or given for a salaried one, or deductions above gross are 400. Emits `payroll.run_created`.",
    request_body = NewRun,
    responses((status = 201, body = RunView), CommonErrors),
    security(("bearer" = ["payroll_runs:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewRun>,
) -> Result<(StatusCode, Json<RunView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_payroll_run(&ctx, input.into())
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/payroll_runs/{id}", tag = "payroll_runs",
    summary = "Read a payroll run",
    params(("id" = String, Path, description = "Payroll run id")),
    responses((status = 200, body = RunView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["payroll_runs:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<RunView>, ApiError> {
    Ok(Json(s.services.get_payroll_run(&ctx, &id).await?.into()))
}

#[utoipa::path(delete, path = "/api/v1/payroll_runs/{id}", tag = "payroll_runs",
    summary = "Delete a draft payroll run",
    description = "An approved or paid run is 409.",
    params(("id" = String, Path, description = "Payroll run id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["payroll_runs:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_payroll_run(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/payroll_runs/{id}/approve", tag = "payroll_runs",
    summary = "Approve a draft run: post it",
    description = "Posts one entry on the pay date: Dr Gross Wages (7000) with base pay and each earning's account, Cr each deduction's liability, Cr Net Wages Payable (2220); Dr each employer contribution's expense / Cr its liability. A run not in draft is 409. Emits `payroll.run_approved`.",
    params(("id" = String, Path, description = "Payroll run id")),
    responses((status = 200, body = RunView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["payroll_runs:write"])))]
pub(crate) async fn approve(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<RunView>, ApiError> {
    Ok(Json(
        s.services.approve_payroll_run(&ctx, &id).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/payroll_runs/{id}/pay", tag = "payroll_runs",
    summary = "Pay an approved run's net pay",
    description = "Dr Net Wages Payable / Cr the bank: one payment of the whole net pay (`batch`, default) or one per employee (`per_employee`). A run not approved is 409. Emits `payroll.run_paid`.",
    params(("id" = String, Path, description = "Payroll run id")),
    request_body(content = PayRun, description = "Optional"),
    responses((status = 200, body = RunView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["payroll_runs:write"])))]
pub(crate) async fn pay(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<PayRun>,
) -> Result<Json<RunView>, ApiError> {
    Ok(Json(
        s.services
            .pay_payroll_run(&ctx, &id, req.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/payroll_runs/{id}/payslips/{employee_id}", tag = "payroll_runs",
    summary = "An employee's payslip on a run",
    params(("id" = String, Path, description = "Payroll run id"), ("employee_id" = String, Path, description = "Employee id")),
    responses((status = 200, body = PayslipView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["payroll_runs:read"])))]
pub(crate) async fn payslip(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path((id, employee_id)): Path<(String, String)>,
) -> Result<Json<PayslipView>, ApiError> {
    Ok(Json(
        s.services.payslip(&ctx, &id, &employee_id).await?.into(),
    ))
}
