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

pub fn routes() -> Router<AppState> {
    Router::new().route("/general_ledger", get(show))
}

#[derive(Debug, Deserialize)]
struct Params {
    account_id: Option<String>,
    date_from: Option<String>,
    date_to: Option<String>,
}

async fn show(
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
