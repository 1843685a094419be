//! `/api/v1/pay_items`: earnings, deductions and employer contributions
//! payroll runs apply.

use crate::views::payroll::{NewPayItem, PayItemInput, PayItemView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use ferrobooks_service::page::Page;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::extract::ApiJson;
use ferrobooks_edge::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(template))
        .routes(routes!(show, update))
}

fn all<T>(items: Vec<T>) -> Page<T> {
    Page {
        items,
        has_more: false,
        next_after: None,
    }
}

#[utoipa::path(get, path = "/api/v1/pay_items", tag = "pay_items",
    summary = "List pay items",
    description = "All of them on one page (an organization has a handful).",
    responses((status = 200, body = List<PayItemView>), CommonErrors),
    security(("bearer" = ["pay_items:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
) -> Result<Json<List<PayItemView>>, ApiError> {
    Ok(list_envelope(all(s.services.list_pay_items(&ctx).await?)))
}

#[utoipa::path(post, path = "/api/v1/pay_items", tag = "pay_items",
    summary = "Add a pay item",
    description = "An earning adds to gross (a percent of base pay, or fixed) and posts to an expense account; a deduction is withheld (a percent of gross, or fixed) and owed on a liability account; an employer contribution is paid on top, Dr its expense / Cr its liability. An account of the wrong type is 400. Names are unique.",
    request_body = NewPayItem,
    responses((status = 201, body = PayItemView), CommonErrors),
    security(("bearer" = ["pay_items:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewPayItem>,
) -> Result<(StatusCode, Json<PayItemView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_pay_item(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(post, path = "/api/v1/pay_items/template", tag = "pay_items",
    summary = "Add the country's starting pay items",
    description = "India: Provident Fund 12% + 12%, ESI 0.75% + 3.25%, professional tax 200.00, TDS 10%. UK: PAYE 20%, employee NI 8%, employer NI 13.8%. US: federal 12% and state 5% withholding, Social Security 6.2% + 6.2%, Medicare 1.45% + 1.45%, FUTA 0.6%. These are configurable starting rates, not statutory tables: change them to the organization's. Items whose name is taken are skipped; answers those added.",
    responses((status = 201, body = List<PayItemView>), CommonErrors),
    security(("bearer" = ["pay_items:write"])))]
pub(crate) async fn template(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
) -> Result<(StatusCode, Json<List<PayItemView>>), ApiError> {
    let made = s.services.install_pay_item_template(&ctx).await?;
    Ok((StatusCode::CREATED, list_envelope(all(made))))
}

#[utoipa::path(get, path = "/api/v1/pay_items/{id}", tag = "pay_items",
    summary = "Read a pay item",
    params(("id" = String, Path, description = "Pay item id")),
    responses((status = 200, body = PayItemView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["pay_items:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<PayItemView>, ApiError> {
    Ok(Json(s.services.get_pay_item(&ctx, &id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/pay_items/{id}", tag = "pay_items",
    summary = "Change a pay item",
    description = "Absent fields stay; the kind never changes. Runs already made keep the item as it was.",
    params(("id" = String, Path, description = "Pay item id")),
    request_body = PayItemInput,
    responses((status = 200, body = PayItemView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["pay_items:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PayItemInput>,
) -> Result<Json<PayItemView>, ApiError> {
    Ok(Json(
        s.services
            .update_pay_item(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}
