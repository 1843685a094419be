//! `/api/v1/loans`: loans borrowed or lent, their schedules and payments.

use crate::views::loans::{
    LoanPaymentView, LoanView, NewLoan, NewLoanPayment, ScheduleView, VoidLoan,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use ferrobooks_service::page::Page;
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
        .routes(routes!(show))
        .routes(routes!(schedule))
        .routes(routes!(payments, pay))
        .routes(routes!(void))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only loans in this status.
    #[param(schema_with = crate::openapi::loan_statuses)]
    status: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/loans", tag = "loans",
    summary = "List loans",
    params(ListParams),
    responses((status = 200, body = List<LoanView>), CommonErrors),
    security(("bearer" = ["loans:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<LoanView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_loans(&ctx, p.status.as_deref(), after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/loans", tag = "loans",
    summary = "Record a loan and post its drawdown",
    description = "Borrowed: posts Dr bank / Cr the loan account (a liability, default Loans 2300). Lent: Dr the loan account (an asset, required) / Cr bank. Loans are kept in the base currency. The EMI is P r / (1 - (1 + r)^-n) with r the annual rate over the instalments in a year, rounded half away from zero; each instalment's interest is the opening balance x r, and the last instalment takes the rounding. Emits `loan.created`.",
    request_body = NewLoan,
    responses((status = 201, body = LoanView), CommonErrors),
    security(("bearer" = ["loans:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewLoan>,
) -> Result<(StatusCode, Json<LoanView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_loan(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/loans/{id}", tag = "loans",
    summary = "Read a loan",
    params(("id" = String, Path, description = "Loan id")),
    responses((status = 200, body = LoanView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["loans:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<LoanView>, ApiError> {
    Ok(Json(s.services.get_loan(&ctx, &id).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/loans/{id}/schedule", tag = "loans",
    summary = "The loan's repayment schedule",
    description = "The instalments paid (as they were paid), then those still due on the outstanding principal at the EMI in force. A payment other than the scheduled instalment spreads what is left over the instalments left, so the EMI changes and the term stays.",
    params(("id" = String, Path, description = "Loan id")),
    responses((status = 200, body = ScheduleView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["loans:read"])))]
pub(crate) async fn schedule(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<ScheduleView>, ApiError> {
    Ok(Json(s.services.loan_schedule(&ctx, &id).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/loans/{id}/payments", tag = "loans",
    summary = "The payments made on a loan, in order",
    description = "All of them on one page (a loan has at most 600 instalments).",
    params(("id" = String, Path, description = "Loan id")),
    responses((status = 200, body = List<LoanPaymentView>), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["loans:read"])))]
pub(crate) async fn payments(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<List<LoanPaymentView>>, ApiError> {
    let items = s.services.list_loan_payments(&ctx, &id).await?;
    Ok(list_envelope(Page {
        items,
        has_more: false,
        next_after: None,
    }))
}

#[utoipa::path(post, path = "/api/v1/loans/{id}/payments", tag = "loans",
    summary = "Pay a loan's next instalment",
    description = "Without `amount`, pays the next scheduled instalment, split as the schedule says. With one, the period's interest first and the rest off the principal: an amount below the interest or above what is owed (principal + the period's interest) is 400. Borrowed posts Dr loan (principal) + Dr interest / Cr bank; lent, the mirror. A paid-off or void loan is 409. Emits `loan.payment_made`, and `loan.paid_off` when the principal reaches zero.",
    params(("id" = String, Path, description = "Loan id")),
    request_body(content = NewLoanPayment, description = "Optional"),
    responses((status = 201, body = LoanPaymentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["loans:write"])))]
pub(crate) async fn pay(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<NewLoanPayment>,
) -> Result<(StatusCode, Json<LoanPaymentView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.pay_loan(&ctx, &id, req.into()).await?.into()),
    ))
}

#[utoipa::path(post, path = "/api/v1/loans/{id}/void", tag = "loans",
    summary = "Void a loan nothing was paid on",
    description = "Posts the mirror of the drawdown, dated `date` (default today). A loan with payments is 409; a void or paid-off one is 409. The body is optional.",
    params(("id" = String, Path, description = "Loan id")),
    request_body(content = VoidLoan, description = "Optional"),
    responses((status = 200, body = LoanView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["loans:write"])))]
pub(crate) async fn void(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<VoidLoan>,
) -> Result<Json<LoanView>, ApiError> {
    Ok(Json(
        s.services.void_loan(&ctx, &id, req.into()).await?.into(),
    ))
}
