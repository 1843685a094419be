//! `/api/v1/reports/...`: JSON, or CSV with `Accept: text/csv`.

use crate::views::reports::TrialBalance;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use serde::Deserialize;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::CommonErrors;
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::ApiQuery;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(trial_balance))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsOf {
    /// The date of the balances, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>, format = Date, example = "2026-11-30")]
    as_of: Option<String>,
}

/// Quotes a CSV field when it needs it (RFC 4180). Text that a spreadsheet
/// would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`.
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[utoipa::path(get, path = "/api/v1/reports/trial_balance", tag = "reports",
    summary = "Trial balance as of a date (JSON, or CSV with Accept: text/csv)",
    params(AsOf),
    responses((status = 200, description = "The trial balance: JSON, or with `Accept: text/csv` the lines code,name,type,debit,credit and a total line",
                content((TrialBalance = "application/json"), (String = "text/csv"))),
              CommonErrors),
    security(("bearer" = ["reports:read"])))]
pub(crate) async fn trial_balance(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<AsOf>,
) -> Result<Response, ApiError> {
    let tb = s.services.trial_balance(&ctx, p.as_of.as_deref()).await?;
    if !ferrobooks_edge::negotiate::prefers_csv(&headers) {
        return Ok(Json(tb).into_response());
    }
    let mut out = String::from("code,name,type,debit,credit\n");
    for r in &tb.rows {
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            csv_field(&r.code),
            csv_field(&r.name),
            r.account_type,
            r.debit.as_str(),
            r.credit.as_str()
        ));
    }
    out.push_str(&format!(
        ",Total,,{},{}\n",
        tb.total_debit.as_str(),
        tb.total_credit.as_str()
    ));
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response())
}
