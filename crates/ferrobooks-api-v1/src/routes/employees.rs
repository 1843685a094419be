//! `/api/v1/employees`: the people payroll pays.

use crate::views::payroll::{EmployeeInput, EmployeeView, NewEmployee};
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
        .routes(routes!(show, update, delete))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only employees in this status.
    #[param(schema_with = crate::openapi::employee_statuses)]
    status: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/employees", tag = "employees",
    summary = "List employees",
    params(ListParams),
    responses((status = 200, body = List<EmployeeView>), CommonErrors),
    security(("bearer" = ["employees:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<EmployeeView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_employees(&ctx, p.status.as_deref(), after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/employees", tag = "employees",
    summary = "Add an employee",
    description = "`name` and `pay_rate` are required. The tax id and bank account number are stored as given and shown masked (`****1234`) in every read, event and replay.",
    request_body = NewEmployee,
    responses((status = 201, body = EmployeeView), CommonErrors),
    security(("bearer" = ["employees:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewEmployee>,
) -> Result<(StatusCode, Json<EmployeeView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_employee(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/employees/{id}", tag = "employees",
    summary = "Read an employee",
    params(("id" = String, Path, description = "Employee id")),
    responses((status = 200, body = EmployeeView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["employees:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<EmployeeView>, ApiError> {
    Ok(Json(s.services.get_employee(&ctx, &id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/employees/{id}", tag = "employees",
    summary = "Change an employee",
    description = "Absent fields stay. A `termination_date` terminates the employee; runs already made keep their pay.",
    params(("id" = String, Path, description = "Employee id")),
    request_body = EmployeeInput,
    responses((status = 200, body = EmployeeView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["employees:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EmployeeInput>,
) -> Result<Json<EmployeeView>, ApiError> {
    Ok(Json(
        s.services
            .update_employee(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/employees/{id}", tag = "employees",
    summary = "Delete an employee no payroll run paid",
    description = "An employee on a payroll run is 409: set a `termination_date` instead.",
    params(("id" = String, Path, description = "Employee id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["employees:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_employee(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
