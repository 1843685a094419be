//! `/api/v1/reports/ar_aging` and `/api/v1/reports/ap_aging`: open items
//! by days past due, as JSON, CSV or XLSX (see [`super::report_formats`]).

use axum::Extension;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use ferrobooks_edge::extract::ApiQuery;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::AuthContext;
use ferrobooks_service::contacts::Party;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::report_formats::{Format, XLSX, respond};
use crate::openapi::CommonErrors;
use crate::views::aging::Aging;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ar_aging))
        .routes(routes!(ap_aging))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArAgingQuery {
    /// The day the amounts stood on, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>, format = Date, example = "2026-11-30")]
    as_of: Option<String>,
    /// Only this customer.
    customer_id: Option<String>,
    /// true: list every open item (`documents`; in CSV and XLSX a line per
    /// item instead of per customer).
    detail: Option<bool>,
    /// json, csv or xlsx (default: JSON, or CSV when `Accept` prefers it).
    #[param(inline)]
    format: Option<Format>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApAgingQuery {
    /// The day the amounts stood on, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>, format = Date, example = "2026-11-30")]
    as_of: Option<String>,
    /// Only this vendor.
    vendor_id: Option<String>,
    /// true: list every open item (`documents`; in CSV and XLSX a line per
    /// item instead of per vendor).
    detail: Option<bool>,
    /// json, csv or xlsx (default: JSON, or CSV when `Accept` prefers it).
    #[param(inline)]
    format: Option<Format>,
}

#[utoipa::path(get, path = "/api/v1/reports/ar_aging", tag = "reports",
    summary = "Receivables aging: what customers owe by days past due",
    description = "Per customer, the invoices open on `as_of` by days past their due date (current, 1-30, 31-60, 61-90, over 90), the payments and credit notes not yet applied, and whatever else their receivable holds (`other`: journal entries naming them, revaluations), in the base currency. Amounts are as they stood on the day: later payments, credits, refunds and voids are rolled back. The total always equals the receivable account's balance on the day (`control_balance`).",
    params(ArAgingQuery),
    responses((status = 200, description = "The aging: JSON, or with `Accept: text/csv` a line per customer (per item with `detail=true`) and a total line",
                content((Aging = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn ar_aging(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<ArAgingQuery>,
) -> Result<Response, ApiError> {
    let r: Aging = s
        .services
        .aging(
            &ctx,
            Party::Customer,
            p.as_of.as_deref(),
            p.customer_id.as_deref(),
            p.detail.unwrap_or(false),
        )
        .await?
        .into();
    respond(&headers, p.format, r, |r| r.table("Receivables aging"))
}

#[utoipa::path(get, path = "/api/v1/reports/ap_aging", tag = "reports",
    summary = "Payables aging: what is owed to vendors by days past due",
    description = "Per vendor, the bills open on `as_of` by days past their due date (current, 1-30, 31-60, 61-90, over 90), the bill payments and vendor credits not yet applied, and whatever else their payable holds (`other`), in the base currency. Amounts are as they stood on the day. The total always equals the payable account's balance on the day (`control_balance`).",
    params(ApAgingQuery),
    responses((status = 200, description = "The aging: JSON, or with `Accept: text/csv` a line per vendor (per item with `detail=true`) and a total line",
                content((Aging = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn ap_aging(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<ApAgingQuery>,
) -> Result<Response, ApiError> {
    let r: Aging = s
        .services
        .aging(
            &ctx,
            Party::Vendor,
            p.as_of.as_deref(),
            p.vendor_id.as_deref(),
            p.detail.unwrap_or(false),
        )
        .await?
        .into();
    respond(&headers, p.format, r, |r| r.table("Payables aging"))
}
