//! `/api/v1/bill_payments`: money paid to vendors, applied to bills.

use crate::views::purchases::{
    BillApplyInput as ApplyInput, BillPaymentInput as PaymentInput, BillPaymentView as PaymentView,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_domain::document::Side;
use ferrobooks_service::AuthContext;
use serde::Deserialize;

use crate::views::renamed;

/// A bill payment's errors name its fields as the service does.
const FIELDS: &[(&str, &str)] = &[];

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
        .routes(routes!(show, delete))
        .routes(routes!(apply))
        .routes(routes!(unapply))
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
    /// Only this vendor's payments.
    vendor_id: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/bill_payments", tag = "bill_payments",
    summary = "List bill payments",
    params(ListParams),
    responses((status = 200, body = List<PaymentView>), CommonErrors),
    security(("bearer" = ["bill_payments:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<PaymentView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_payments(
                &ctx,
                Side::Purchase,
                after.as_deref(),
                p.vendor_id.as_deref(),
                limit,
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/bill_payments", tag = "bill_payments",
    summary = "Pay vendors' bills",
    description = "Posts Cr the account paid from (a bank, cash or credit-card account; default the current account) the amount at the payment's rate; Dr Accounts Payable (with the vendor) one line per bill applied and one for what stays unapplied (an advance to the vendor, applied later with `POST /bill_payments/{id}/apply`). `applications` may span many bills of the vendor, partially; each must be approved, in the payment's currency, and owe at least its amount (paying more than a bill's balance, or another vendor's bill, is 400 and nothing is written). When the payment's rate differs from a bill's, the difference posts to FX gain/loss: paid x (bill rate - payment rate), a gain credited. Emits `payment.created` (with `side: purchase`), `bill.updated`, and `bill.paid` for each bill it settles.",
    request_body = PaymentInput,
    responses((status = 201, body = PaymentView), CommonErrors),
    security(("bearer" = ["bill_payments:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<PaymentInput>,
) -> Result<(StatusCode, Json<PaymentView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_payment(&ctx, Side::Purchase, input.into())
                .await
                .map_err(|e| renamed(e, FIELDS))?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/bill_payments/{id}", tag = "bill_payments",
    summary = "Read a bill payment",
    params(("id" = String, Path, description = "Payment id")),
    responses((status = 200, body = PaymentView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bill_payments:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<PaymentView>, ApiError> {
    Ok(Json(
        s.services
            .get_payment(&ctx, Side::Purchase, &id)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/bill_payments/{id}/apply", tag = "bill_payments",
    summary = "Apply an advance to bills",
    description = "Applies what the payment has left to bills of the same vendor and currency. An allocation only; a rate difference between payment and bill posts realized FX gain/loss. Emits `bill.updated` and `bill.paid` for each bill it settles.",
    params(("id" = String, Path, description = "Payment id")),
    request_body = ApplyInput,
    responses((status = 200, body = PaymentView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bill_payments:write"])))]
pub(crate) async fn apply(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ApplyInput>,
) -> Result<Json<PaymentView>, ApiError> {
    Ok(Json(
        s.services
            .apply_payment(&ctx, Side::Purchase, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/bill_payments/{id}", tag = "bill_payments",
    summary = "Delete a bill payment",
    description = "Reverses the payment's entry and any FX entries of its later applications (dated today, or the payment's date if later) and reopens the bills it paid. Emits `payment.deleted` and `bill.updated`.",
    params(("id" = String, Path, description = "Payment id")),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bill_payments:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_payment(&ctx, Side::Purchase, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

super::documents::unapply_route! {
    shapes: purchase,
    source: ferrobooks_service::documents::allocations::CreditSource::BillPayment,
    tag: "bill_payments",
    path: "/api/v1/bill_payments/{id}/allocations/{allocation_id}",
    write: "bill_payments:write",
}
