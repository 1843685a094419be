//! `/api/v1/number_series`: the number template of each document type.

use crate::views::numbering::{NumberSeriesInput, NumberSeriesView};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::ApiJson;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(update))
}

#[utoipa::path(get, path = "/api/v1/number_series", tag = "number_series",
    summary = "List number series",
    description = "One per document type (invoice, estimate, credit_note, sales_receipt, refund_receipt, payment), with its template and an example.",
    responses((status = 200, body = Vec<NumberSeriesView>), CommonErrors),
    security(("bearer" = ["number_series:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
) -> Result<Json<Vec<NumberSeriesView>>, ApiError> {
    Ok(Json(crate::views::each(
        s.services.list_number_series(&ctx).await?,
    )))
}

#[utoipa::path(put, path = "/api/v1/number_series/{doc_type}", tag = "number_series",
    summary = "Set a document type's template",
    description = "Tokens: `{N}` or `{N:5}` (the counter, zero-padded), `{FY}` (`25-26`, or `2026` for a calendar fiscal year), `{YY}`, `{MM}` (of the document date), `{BR}` (the document's branch code); the rest is literal. Each document type counts on its own. The counter restarts at 1 each fiscal year only when the template shows the fiscal year (`{FY}`), each calendar year when it shows `{YY}` without `{FY}`, and never otherwise; branches count apart only when it shows `{BR}`. So a number is never given twice. For Indian organizations numbers must meet the GST rule: at most 16 letters, digits, `-` or `/`, starting with a letter or digit.",
    params(("doc_type" = String, Path, description = "invoice, estimate, credit_note, sales_receipt, refund_receipt or payment")),
    request_body = NumberSeriesInput,
    responses((status = 200, body = NumberSeriesView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["number_series:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(doc_type): Path<String>,
    ApiJson(input): ApiJson<NumberSeriesInput>,
) -> Result<Json<NumberSeriesView>, ApiError> {
    Ok(Json(
        s.services
            .set_number_series(&ctx, &doc_type, input.into())
            .await?
            .into(),
    ))
}
