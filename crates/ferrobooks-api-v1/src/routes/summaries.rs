//! `/api/v1/reports/sales_by_customer`, `sales_by_product`,
//! `expenses_by_vendor`, `expenses_by_category` and `tax_summary`: a
//! range's sales and purchases summed, as JSON, CSV or XLSX (see
//! [`super::report_formats`]).

use axum::Extension;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use ferrobooks_edge::extract::ApiQuery;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::AuthContext;
use ferrobooks_service::summaries::SummaryBy;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::report_formats::{XLSX, respond};
use super::reports::Range;
use crate::openapi::CommonErrors;
use crate::views::summaries::{Summary, TaxSummary};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sales_by_customer))
        .routes(routes!(sales_by_product))
        .routes(routes!(expenses_by_vendor))
        .routes(routes!(expenses_by_category))
        .routes(routes!(tax_summary))
}

async fn summary(
    s: &AppState,
    ctx: &AuthContext,
    headers: &HeaderMap,
    p: Range,
    by: SummaryBy,
    title: &'static str,
) -> Result<Response, ApiError> {
    let r: Summary = s
        .services
        .summary(ctx, by, p.date_from.as_deref(), p.date_to.as_deref())
        .await?
        .into();
    respond(headers, p.format, r, |r| r.table(title))
}

#[utoipa::path(get, path = "/api/v1/reports/sales_by_customer", tag = "reports",
    summary = "Sales by customer over a range",
    description = "Per customer: the invoices, sales receipts, credit notes and refund receipts dated in the range (the default: the fiscal year to date), net of tax, their tax and total, in the base currency; credit notes and refunds count against.",
    params(Range),
    responses((status = 200, description = "The summary: JSON, or with `Accept: text/csv` a line per customer and the totals",
                content((Summary = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn sales_by_customer(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Range>,
) -> Result<Response, ApiError> {
    summary(
        &s,
        &ctx,
        &headers,
        p,
        SummaryBy::Customer,
        "Sales by customer",
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/reports/sales_by_product", tag = "reports",
    summary = "Sales by product over a range",
    description = "Per product (and the lines without one): the quantity sold less returned, net of tax, tax and total, in the base currency.",
    params(Range),
    responses((status = 200, description = "The summary: JSON, or with `Accept: text/csv` a line per product and the totals",
                content((Summary = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn sales_by_product(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Range>,
) -> Result<Response, ApiError> {
    summary(
        &s,
        &ctx,
        &headers,
        p,
        SummaryBy::Product,
        "Sales by product",
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/reports/expenses_by_vendor", tag = "reports",
    summary = "Purchases by vendor over a range",
    description = "Per vendor: the bills, expenses, checks, bank and card payments dated in the range, vendor and card credits against, net of tax, tax and total, in the base currency.",
    params(Range),
    responses((status = 200, description = "The summary: JSON, or with `Accept: text/csv` a line per vendor and the totals",
                content((Summary = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn expenses_by_vendor(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Range>,
) -> Result<Response, ApiError> {
    summary(
        &s,
        &ctx,
        &headers,
        p,
        SummaryBy::Vendor,
        "Expenses by vendor",
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/reports/expenses_by_category", tag = "reports",
    summary = "Purchases by expense category (account) over a range",
    description = "Per expense, asset or stock account the purchase lines named: net of tax, tax and total, in the base currency.",
    params(Range),
    responses((status = 200, description = "The summary: JSON, or with `Accept: text/csv` a line per account and the totals",
                content((Summary = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn expenses_by_category(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Range>,
) -> Result<Response, ApiError> {
    summary(
        &s,
        &ctx,
        &headers,
        p,
        SummaryBy::Category,
        "Expenses by category",
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/reports/tax_summary", tag = "reports",
    summary = "Output and input tax over a range, per tax and account",
    description = "Per tax component (cgst, sgst, igst, cess, vat, or the sales tax agency) and account: the output tax charged on sales (and owed under reverse charge) and the input tax claimed on purchases, in the base currency. Tax that became part of a purchase's cost is in neither.",
    params(Range),
    responses((status = 200, description = "The summary: JSON, or with `Accept: text/csv` a line per tax and account and the totals",
                content((TaxSummary = "application/json"), (String = "text/csv"), (Vec<u8> = XLSX))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn tax_summary(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Range>,
) -> Result<Response, ApiError> {
    let r: TaxSummary = s
        .services
        .tax_summary(&ctx, p.date_from.as_deref(), p.date_to.as_deref())
        .await?
        .into();
    respond(&headers, p.format, r, TaxSummary::table)
}
