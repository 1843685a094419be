//! `/api/v1/tax_returns/...`: the UK VAT return and the US sales tax
//! liability computed from the books, filing them (which closes their
//! period to postings) and reopening a filed period with a reason.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_edge::extract::{ApiJson, ApiQuery};
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::AuthContext;
use ferrobooks_service::ServiceError;
use ferrobooks_service::tax_returns::ReturnKind;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::{CommonErrors, ErrorBody};
use crate::views::tax_returns::{
    FileInput, FiledReturn, FiledReturns, ReopenReturnInput, SalesTaxLiability, VatReturn,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_returns))
        .routes(routes!(vat_return, file_vat_return))
        .routes(routes!(sales_tax_liability, file_sales_tax_liability))
        .routes(routes!(get_return))
        .routes(routes!(reopen_return))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct VatQuery {
    /// First day of the VAT period, YYYY-MM-DD (`from` also reads).
    #[param(value_type = String, format = Date, example = "2026-01-01")]
    #[serde(alias = "from")]
    date_from: String,
    /// Last day of the VAT period (`to` also reads).
    #[param(value_type = String, format = Date, example = "2026-03-31")]
    #[serde(alias = "to")]
    date_to: String,
    /// HMRC's period key of the obligation (default: the year and month
    /// of `date_to`, `26M3`).
    period_key: Option<String>,
    /// true: list the documents behind the boxes.
    detail: Option<bool>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeriodQuery {
    /// First day, YYYY-MM-DD (`from` also reads).
    #[param(value_type = String, format = Date, example = "2026-01-01")]
    #[serde(alias = "from")]
    date_from: String,
    /// Last day (`to` also reads).
    #[param(value_type = String, format = Date, example = "2026-03-31")]
    #[serde(alias = "to")]
    date_to: String,
    /// true: list the documents behind the figures.
    detail: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/tax_returns", tag = "tax_returns",
    summary = "List the filed returns",
    responses((status = 200, body = FiledReturns), CommonErrors),
    security(("bearer" = ["tax_returns:read"])))]
pub(crate) async fn list_returns(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
) -> Result<Json<FiledReturns>, ApiError> {
    Ok(Json(FiledReturns {
        data: crate::views::each(s.services.list_returns(&ctx).await?),
        has_more: false,
        next_cursor: None,
    }))
}

#[utoipa::path(get, path = "/api/v1/tax_returns/{id}", tag = "tax_returns",
    summary = "Read a filed return",
    params(("id" = String, Path, description = "Tax return id")),
    responses((status = 200, body = FiledReturn), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["tax_returns:read"])))]
pub(crate) async fn get_return(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<FiledReturn>, ApiError> {
    Ok(Json(s.services.get_return(&ctx, &id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/tax_returns/{id}/reopen", tag = "tax_returns",
    summary = "Reopen a filed return's period, saying why",
    description = "The return stays, marked reopened with the reason and the key; its period takes postings again, and a return for it can be filed anew. 409 when it is not filed. Emits `tax_return.reopened`.",
    params(("id" = String, Path, description = "Tax return id")),
    request_body = ReopenReturnInput,
    responses((status = 200, body = FiledReturn), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["tax_returns:write"])))]
pub(crate) async fn reopen_return(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReopenReturnInput>,
) -> Result<Json<FiledReturn>, ApiError> {
    Ok(Json(
        s.services
            .reopen_return(&ctx, &id, &input.reason)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/tax_returns/vat_return", tag = "tax_returns",
    summary = "The UK VAT return of a period (HMRC's nine boxes)",
    description = "The nine boxes from the period's posted documents by their dates: output VAT of sales (credit notes less) in box 1, input VAT of bills, expenses, checks and card and bank payments in box 4, the domestic reverse charge in both; net sales (zero-rated and exempt included) in box 6 and net purchases in box 7, whole pounds. Lines without a VAT rate are outside the scope and in no box. `submission` is HMRC's MTD body, field for field. For organizations in GB (409 otherwise).",
    params(VatQuery),
    responses((status = 200, body = VatReturn), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["tax_returns:read"])))]
pub(crate) async fn vat_return(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(q): ApiQuery<VatQuery>,
) -> Result<Json<VatReturn>, ApiError> {
    Ok(Json(
        s.services
            .vat_return(
                &ctx,
                (&q.date_from, &q.date_to),
                q.period_key.as_deref(),
                q.detail.unwrap_or(false),
            )
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/tax_returns/vat_return", tag = "tax_returns",
    summary = "File the VAT return of a period",
    description = "Keeps the return as filed (`finalised` true) and closes its period: from then on nothing dated in it posts or is voided, whatever posts it (409 `period_closed`), until the return is reopened. 409 when a filed VAT return overlaps the period. Emits `tax_return.filed`.",
    request_body = FileInput,
    responses((status = 201, body = FiledReturn), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["tax_returns:write"])))]
pub(crate) async fn file_vat_return(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<FileInput>,
) -> Result<(StatusCode, Json<FiledReturn>), ApiError> {
    let r = s
        .services
        .file_return(
            &ctx,
            ReturnKind::Vat,
            (&input.date_from, &input.date_to),
            input.period_key.as_deref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[utoipa::path(get, path = "/api/v1/tax_returns/sales_tax_liability", tag = "tax_returns",
    summary = "US sales tax collected in a period, per agency and rate",
    description = "From the period's posted sales (refund receipts and credit notes less): per agency and rate the taxable sales and the tax collected, and the exempt sales (no tax, or an exempt one), in the base currency. For organizations in the US (409 otherwise).",
    params(PeriodQuery),
    responses((status = 200, body = SalesTaxLiability), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["tax_returns:read"])))]
pub(crate) async fn sales_tax_liability(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<SalesTaxLiability>, ApiError> {
    Ok(Json(
        s.services
            .sales_tax_liability(&ctx, (&q.date_from, &q.date_to), q.detail.unwrap_or(false))
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/tax_returns/sales_tax_liability", tag = "tax_returns",
    summary = "File the sales tax liability of a period",
    description = "Keeps it as filed and closes its period to postings until it is reopened, as a VAT return does. Emits `tax_return.filed`.",
    request_body = FileInput,
    responses((status = 201, body = FiledReturn), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["tax_returns:write"])))]
pub(crate) async fn file_sales_tax_liability(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<FileInput>,
) -> Result<(StatusCode, Json<FiledReturn>), ApiError> {
    if input.period_key.is_some() {
        return Err(ServiceError::invalid("period_key", "is only for a VAT return").into());
    }
    let r = s
        .services
        .file_return(
            &ctx,
            ReturnKind::SalesTax,
            (&input.date_from, &input.date_to),
            None,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}
