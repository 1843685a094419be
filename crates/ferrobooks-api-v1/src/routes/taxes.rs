//! `/api/v1/taxes`: the tax catalogue and its calculator.

use crate::views::taxes::{NewTax, TaxCalculation, TaxUpdate, TaxView};
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
        .routes(routes!(calculate))
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
    /// Only taxes of this kind (gst, vat, sales_tax).
    #[param(schema_with = crate::openapi::tax_kinds)]
    kind: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct CalculateParams {
    /// The net amount (after discount), an exact decimal in the base currency.
    amount: String,
    /// Units, for a per-unit cess (default 1).
    quantity: Option<String>,
    /// GST: the place of supply (state code or abbreviation).
    place_of_supply: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/taxes", tag = "taxes",
    summary = "List the tax catalogue",
    params(ListParams),
    responses((status = 200, body = List<TaxView>), CommonErrors),
    security(("bearer" = ["taxes:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<TaxView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_taxes(&ctx, after.as_deref(), p.kind.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/taxes", tag = "taxes",
    summary = "Add a tax to the catalogue",
    description = "GST (Indian organizations): one rate that splits into CGST + SGST (half each) within the organization's state and IGST across states, plus optional cess (percent and/or per unit). VAT: standard, reduced, zero (0, taxable) or exempt. Sales tax: one rate per agency in `components`, each credited to its own liability account. Each component of each line is rounded half away from zero to the currency's minor unit.",
    request_body = NewTax,
    responses((status = 201, body = TaxView), CommonErrors),
    security(("bearer" = ["taxes:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewTax>,
) -> Result<(StatusCode, Json<TaxView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_tax(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/taxes/{id}", tag = "taxes",
    summary = "Read a tax",
    params(("id" = String, Path, description = "Tax id")),
    responses((status = 200, body = TaxView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["taxes:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<TaxView>, ApiError> {
    Ok(Json(s.services.get_tax(&ctx, &id).await?.into()))
}

#[utoipa::path(method(put, patch), path = "/api/v1/taxes/{id}", tag = "taxes",
    summary = "Rename a tax, set its validity, or stop offering it (PATCH takes the same body)",
    description = "Rates never change: add a new tax with its own effective dates, so documents keep the rate they were issued with.",
    params(("id" = String, Path, description = "Tax id")),
    request_body = TaxUpdate,
    responses((status = 200, body = TaxView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["taxes:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TaxUpdate>,
) -> Result<Json<TaxView>, ApiError> {
    Ok(Json(
        s.services.update_tax(&ctx, &id, input.into()).await?.into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/taxes/{id}", tag = "taxes",
    summary = "Delete a tax",
    params(("id" = String, Path, description = "Tax id")),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["taxes:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_tax(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/taxes/{id}/calculate", tag = "taxes",
    summary = "What this tax charges on an amount, component by component",
    params(("id" = String, Path, description = "Tax id"), CalculateParams),
    responses((status = 200, body = TaxCalculation), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["taxes:read"])))]
pub(crate) async fn calculate(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<CalculateParams>,
) -> Result<Json<TaxCalculation>, ApiError> {
    Ok(Json(
        s.services
            .calculate_tax(
                &ctx,
                &id,
                &p.amount,
                p.quantity.as_deref(),
                p.place_of_supply.as_deref(),
            )
            .await?
            .into(),
    ))
}
