//! `GET /api/v1/general_ledger?account_id&date_from&date_to`.

use axum::extract::State;
use axum::routing::get;
use axum::{Extension, Json, Router};
use ferrobooks_service::AuthContext;
use ferrobooks_service::reports::GeneralLedger;
use serde::Deserialize;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::openapi::{CommonErrors, ErrorBody};

pub fn routes() -> Router<AppState> {
    Router::new().route("/general_ledger", get(show))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct Params {
    /// Only this account; it is shown even when nothing touched it.
    account_id: Option<String>,
    /// First date, YYYY-MM-DD.
    date_from: Option<String>,
    /// Last date, YYYY-MM-DD.
    date_to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/general_ledger", tag = "reports",
    summary = "General ledger: opening balance, lines with running balance, closing balance",
    description = "Per account with activity (or the one named). The range defaults to the fiscal year to date. Lines of voided entries stay, with their reversals.",
    params(Params),
    responses((status = 200, body = GeneralLedger), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["general_ledger:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Json<GeneralLedger>, ApiError> {
    Ok(Json(
        s.services
            .general_ledger(
                &ctx,
                p.account_id.as_deref(),
                p.date_from.as_deref(),
                p.date_to.as_deref(),
            )
            .await?,
    ))
}
