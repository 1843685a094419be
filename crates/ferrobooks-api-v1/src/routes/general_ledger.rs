//! `GET /api/v1/general_ledger?account_id&date_from&date_to`, also served
//! among the reports (`/api/v1/reports/general_ledger`), and one account's
//! ledger as `/api/v1/reports/account_transactions`.

use crate::views::reports::GeneralLedger;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use serde::Deserialize;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::{CommonErrors, ErrorBody};
use crate::routes::reports::csv_field;
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::ApiQuery;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(general_ledger))
        .routes(routes!(reports_general_ledger))
        .routes(routes!(account_transactions))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct Params {
    /// Only this account; it is shown even when nothing touched it.
    account_id: Option<String>,
    /// First date, YYYY-MM-DD.
    #[param(value_type = Option<String>, format = Date, example = "2026-04-01")]
    date_from: Option<String>,
    /// Last date, YYYY-MM-DD.
    #[param(value_type = Option<String>, format = Date, example = "2026-11-30")]
    date_to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/general_ledger", tag = "reports",
    summary = "General ledger: opening balance, lines with running balance, closing balance",
    description = "Per account with activity (or the one named). The range defaults to the fiscal year to date. Lines of voided entries stay, with their reversals.",
    params(Params),
    responses((status = 200, description = "The ledger: JSON, or with `Accept: text/csv` one line per posting (account code and name, date, number, memo, reference, description, debit, credit, running balance) with an opening and a closing line per account",
                content((GeneralLedger = "application/json"), (String = "text/csv"))),
              (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["general_ledger:read"])))]
pub(crate) async fn general_ledger(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    ledger(&s, &ctx, &headers, p).await
}

#[utoipa::path(get, path = "/api/v1/reports/general_ledger", tag = "reports",
    summary = "General ledger (the same as /api/v1/general_ledger)",
    description = "Per account with activity (or the one named): opening balance, the lines of the range with a running balance, closing balance. The range defaults to the fiscal year to date. Lines of voided entries stay, with their reversals.",
    params(Params),
    responses((status = 200, description = "The ledger: JSON, or CSV with `Accept: text/csv`",
                content((GeneralLedger = "application/json"), (String = "text/csv"))),
              (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn reports_general_ledger(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    ledger(&s, &ctx, &headers, p).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountParams {
    /// The account.
    account_id: String,
    /// First date, YYYY-MM-DD (default: the start of the fiscal year).
    #[param(value_type = Option<String>, format = Date, example = "2026-04-01")]
    date_from: Option<String>,
    /// Last date, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>, format = Date, example = "2026-11-30")]
    date_to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reports/account_transactions", tag = "reports",
    summary = "One account's transactions over a range",
    description = "The general ledger of one account: opening balance, every posted line of the range with its entry, memo, reference and running balance, closing balance.",
    params(AccountParams),
    responses((status = 200, description = "The account's ledger: JSON, or CSV with `Accept: text/csv`",
                content((GeneralLedger = "application/json"), (String = "text/csv"))),
              (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn account_transactions(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<AccountParams>,
) -> Result<Response, ApiError> {
    let AccountParams {
        account_id,
        date_from,
        date_to,
    } = p;
    let p = Params {
        account_id: Some(account_id),
        date_from,
        date_to,
    };
    ledger(&s, &ctx, &headers, p).await
}

async fn ledger(
    s: &AppState,
    ctx: &AuthContext,
    headers: &HeaderMap,
    p: Params,
) -> Result<Response, ApiError> {
    let gl = s
        .services
        .general_ledger(
            ctx,
            p.account_id.as_deref(),
            p.date_from.as_deref(),
            p.date_to.as_deref(),
        )
        .await?;
    if !ferrobooks_edge::negotiate::prefers_csv(headers) {
        return Ok(Json(gl).into_response());
    }
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        csv(&gl.into()),
    )
        .into_response())
}

/// The ledger as CSV: per account an opening line, its postings with the
/// running balance, and a closing line.
fn csv(gl: &GeneralLedger) -> String {
    let f = |s: Option<&str>| csv_field(s.unwrap_or(""));
    let mut out = String::from(
        "account_code,account_name,date,number,memo,reference,description,debit,credit,balance\n",
    );
    for a in &gl.accounts {
        let (code, name) = (csv_field(&a.code), csv_field(&a.name));
        out.push_str(&format!(
            "{code},{name},{},,Opening balance,,,,,{}\n",
            gl.date_from,
            a.opening_balance.as_str()
        ));
        for l in &a.lines {
            out.push_str(&format!(
                "{code},{name},{},{},{},{},{},{},{},{}\n",
                l.date,
                f(l.number.as_deref()),
                f(l.memo.as_deref()),
                f(l.reference.as_deref()),
                f(l.description.as_deref()),
                l.debit.as_str(),
                l.credit.as_str(),
                l.running_balance.as_str()
            ));
        }
        out.push_str(&format!(
            "{code},{name},{},,Closing balance,,,{},{},{}\n",
            gl.date_to,
            a.total_debit.as_str(),
            a.total_credit.as_str(),
            a.closing_balance.as_str()
        ));
    }
    out
}
