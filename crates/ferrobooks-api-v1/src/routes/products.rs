//! `/api/v1/products`: what the organization sells.

use crate::views::products::{ProductInput, ProductView};
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
    /// Case-insensitive text in the name or SKU.
    search: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/products", tag = "products",
    summary = "List products and services",
    params(ListParams),
    responses((status = 200, body = List<ProductView>), CommonErrors),
    security(("bearer" = ["products:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<ProductView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_products(&ctx, after.as_deref(), p.search.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/products", tag = "products",
    summary = "Create a product",
    description = "`name` is required. `type` is goods (default) or service; `price` is the unit price before tax; `income_account_id` defaults to Sales; `tax_id` must be an active tax of the catalogue. For an Indian organization `hsn_sac` is checked (HSN for goods, SAC starting 99 for services). Stock (`track_inventory`, opening `quantity_on_hand`, `reorder_level`) is for goods only. Emits `product.created`.",
    request_body = crate::openapi::ProductCreate,
    responses((status = 201, body = ProductView), CommonErrors),
    security(("bearer" = ["products:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<ProductInput>,
) -> Result<(StatusCode, Json<ProductView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_product(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "products",
    summary = "Read a product",
    params(("id" = String, Path, description = "Product id")),
    responses((status = 200, body = ProductView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["products:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<ProductView>, ApiError> {
    Ok(Json(s.services.get_product(&ctx, &id).await?.into()))
}

#[utoipa::path(method(put, patch), path = "/api/v1/products/{id}", tag = "products",
    summary = "Change a product (PATCH takes the same body)",
    description = "Absent fields stay as they are. `quantity_on_hand` is refused: stock moves with documents. Emits `product.updated`.",
    params(("id" = String, Path, description = "Product id")),
    request_body = ProductInput,
    responses((status = 200, body = ProductView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["products:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProductInput>,
) -> Result<Json<ProductView>, ApiError> {
    Ok(Json(
        s.services
            .update_product(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/products/{id}", tag = "products",
    summary = "Delete a product",
    description = "A deleted product answers 404. Emits `product.deleted`.",
    params(("id" = String, Path, description = "Product id")),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["products:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_product(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
