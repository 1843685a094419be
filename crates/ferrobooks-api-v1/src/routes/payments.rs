//! `/api/v1/payments`: money received from customers, applied to invoices.

use crate::views::sales::{ApplyInput, PaymentInput, PaymentView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_domain::document::Side;
use ferrobooks_service::AuthContext;
use serde::Deserialize;

use crate::views::renamed;

/// The service's field names a payment's errors name, as this API spells
/// them.
const FIELDS: &[(&str, &str)] = &[("account_id", "deposit_account_id")];

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
    /// Only this customer's payments.
    customer_id: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/payments", tag = "payments",
    summary = "List payments",
    params(ListParams),
    responses((status = 200, body = List<PaymentView>), CommonErrors),
    security(("bearer" = ["payments:read"])))]
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
                Side::Sale,
                after.as_deref(),
                p.customer_id.as_deref(),
                limit,
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/payments", tag = "payments",
    summary = "Record a payment received",
    description = "Posts Dr the deposit account (default Undeposited Funds) the amount at the payment's rate; Cr Accounts Receivable (with the customer) one line per invoice applied and one for what stays unapplied. `applications` may span many invoices of the customer, partially; each must be approved, in the payment's currency, and owe at least its amount, and together they may not exceed the payment. What is not applied stays as the customer's credit (`POST /payments/{id}/apply` later). When the payment's rate differs from an invoice's, the difference posts to FX gain/loss: paid x (payment rate - invoice rate), gain credited. Emits `payment.created`, `invoice.updated`, and `invoice.paid` for each invoice it settles.",
    request_body = PaymentInput,
    responses((status = 201, body = PaymentView), CommonErrors),
    security(("bearer" = ["payments:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<PaymentInput>,
) -> Result<(StatusCode, Json<PaymentView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_payment(&ctx, Side::Sale, input.into())
                .await
                .map_err(|e| renamed(e, FIELDS))?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "payments",
    summary = "Read a payment",
    params(("id" = String, Path, description = "Payment id")),
    responses((status = 200, body = PaymentView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["payments:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<PaymentView>, ApiError> {
    Ok(Json(
        s.services.get_payment(&ctx, Side::Sale, &id).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/payments/{id}/apply", tag = "payments",
    summary = "Apply unapplied credit to invoices",
    description = "Applies what the payment has left to invoices of the same customer and currency. An allocation only; a rate difference between payment and invoice posts realized FX gain/loss. Emits `invoice.updated` and `invoice.paid` for each invoice it settles.",
    params(("id" = String, Path, description = "Payment id")),
    request_body = ApplyInput,
    responses((status = 200, body = PaymentView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["payments:write"])))]
pub(crate) async fn apply(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ApplyInput>,
) -> Result<Json<PaymentView>, ApiError> {
    Ok(Json(
        s.services
            .apply_payment(&ctx, Side::Sale, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/payments/{id}", tag = "payments",
    summary = "Delete a payment",
    description = "Reverses the payment's entry and any FX entries of its later applications (dated today, or the payment's date if later) and reopens the invoices it paid. Emits `payment.deleted` and `invoice.updated`.",
    params(("id" = String, Path, description = "Payment id")),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["payments:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_payment(&ctx, Side::Sale, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

super::documents::unapply_route! {
    source: ferrobooks_service::documents::allocations::CreditSource::Payment,
    tag: "payments",
    path: "/api/v1/payments/{id}/allocations/{allocation_id}",
    write: "payments:write",
}
