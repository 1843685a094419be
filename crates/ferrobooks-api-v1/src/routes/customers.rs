//! `/api/v1/customers`.

use crate::views::customers::{CustomerInput, CustomerView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use serde::Deserialize;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::{ApiJson, ApiQuery};
use ferrobooks_edge::pagination::page_args;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
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
    /// Case-insensitive text in the name or email.
    search: Option<String>,
    /// Only customers changed at or after this RFC 3339 time.
    #[param(format = DateTime)]
    updated_since: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/customers", tag = "customers",
    summary = "List customers with their balances",
    params(ListParams),
    responses((status = 200, body = List<CustomerView>), CommonErrors),
    security(("bearer" = ["customers:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<CustomerView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_customers(
                &ctx,
                after.as_deref(),
                p.search.as_deref(),
                p.updated_since.as_deref(),
                limit,
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/customers", tag = "customers",
    summary = "Create a customer",
    description = "`name` is required. For an Indian organization `tax_id` must be a valid GSTIN (its state becomes the default place of supply) and `place_of_supply` a GST state code. Emits `customer.created`.",
    request_body = crate::openapi::CustomerCreate,
    responses((status = 201, body = CustomerView), CommonErrors),
    security(("bearer" = ["customers:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> Result<(StatusCode, Json<CustomerView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_customer(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers",
    summary = "Read a customer",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 200, body = CustomerView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["customers:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<CustomerView>, ApiError> {
    Ok(Json(s.services.get_customer(&ctx, &id).await?.into()))
}

#[utoipa::path(method(put, patch), path = "/api/v1/customers/{id}", tag = "customers",
    summary = "Change a customer (PATCH takes the same body)",
    description = "Absent fields stay as they are. The currency of a customer with transactions cannot change (409). Emits `customer.updated`.",
    params(("id" = String, Path, description = "Customer id")),
    request_body = CustomerInput,
    responses((status = 200, body = CustomerView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["customers:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> Result<Json<CustomerView>, ApiError> {
    Ok(Json(
        s.services
            .update_customer(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/customers/{id}", tag = "customers",
    summary = "Delete a customer without transactions",
    description = "A customer named on any journal line cannot be deleted (409). A deleted customer answers 404. Emits `customer.deleted`.",
    params(("id" = String, Path, description = "Customer id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["customers:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_customer(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
