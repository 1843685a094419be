//! `/api/v1/payroll_remittances`: payroll liabilities paid over.

use crate::views::payroll::{NewRemittance, RemittanceView};
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::CommonErrors;
use ferrobooks_edge::extract::{ApiJson, ApiQuery};
use ferrobooks_edge::pagination::page_args;
use ferrobooks_edge::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create))
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
}

#[utoipa::path(get, path = "/api/v1/payroll_remittances", tag = "payroll_remittances",
    summary = "List payroll remittances",
    params(ListParams),
    responses((status = 200, body = List<RemittanceView>), CommonErrors),
    security(("bearer" = ["payroll_remittances:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<RemittanceView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_remittances(&ctx, after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/payroll_remittances", tag = "payroll_remittances",
    summary = "Pay over a payroll liability",
    description = "Dr the liability (tax withheld, social security...) / Cr the bank. More than the liability's balance on the date is 400.",
    request_body = NewRemittance,
    responses((status = 201, body = RemittanceView), CommonErrors),
    security(("bearer" = ["payroll_remittances:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewRemittance>,
) -> Result<(StatusCode, Json<RemittanceView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_remittance(&ctx, input.into())
                .await?
                .into(),
        ),
    ))
}
