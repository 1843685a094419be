//! `/api/v1/tax_returns/...`: India's GSTR-1 and GSTR-3B, the UK VAT
//! return and the US sales tax liability computed from the books, filing them (which closes their
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
use crate::views::gst_returns::{GstFileInput, Gstr1Return, Gstr3bReturn};
use crate::views::tax_returns::{
    FileInput, FiledReturn, FiledReturns, ReopenReturnInput, SalesTaxLiability, VatReturn,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_returns))
        .routes(routes!(vat_return, file_vat_return))
        .routes(routes!(sales_tax_liability, file_sales_tax_liability))
        .routes(routes!(gstr1, file_gstr1))
        .routes(routes!(gstr3b, file_gstr3b))
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct GstQuery {
    /// The month, YYYYMM.
    #[param(example = "202604")]
    period: String,
    /// true: list the documents behind the sections.
    detail: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/tax_returns/gstr1", tag = "tax_returns",
    summary = "India's GSTR-1 of a month, in the GST portal's JSON layout",
    description = "The month's posted sales by their dates: registered recipients in `b2b` (SEZ as SEWP/SEWOP) and their credit notes in `cdnr`; inter-state sales to the unregistered over the B2C large limit of their date (1,00,000 from 1 Aug 2024, 2,50,000 before) in `b2cl`, the rest summed in `b2cs` by supply type, place of supply and rate (their credit notes net there); exports in `exp` (WPAY with IGST, WOPAY under LUT); other credit notes in `cdnur`; nil-rated, exempt and non-GST lines in `nil`; every line in `hsn` (B2B and B2C apart from May 2025); numbers issued per series in `doc_issue`, voided ones cancelled. For organizations in IN with a GSTIN (409 otherwise).",
    params(GstQuery),
    responses((status = 200, body = Gstr1Return), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["tax_returns:read"])))]
pub(crate) async fn gstr1(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(q): ApiQuery<GstQuery>,
) -> Result<Json<Gstr1Return>, ApiError> {
    let p = ferrobooks_service::gst_returns::period(&q.period)?;
    Ok(Json(
        s.services
            .gstr1(&ctx, p, q.detail.unwrap_or(false))
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/tax_returns/gstr3b", tag = "tax_returns",
    summary = "India's GSTR-3B of a month, with the tax paid through credit and in cash",
    description = "3.1 outward supplies (taxable, zero-rated, nil and exempt, reverse charge inward, non-GST), 3.2 inter-state supplies to the unregistered by place of supply, 4 input tax credit from the month's purchases by eligibility (imports, reverse charge and all other in 4(A); temporary reversals in 4(B)(2); blocked by section 17(5) in 4(D)(1), restricted by place of supply in 4(D)(2)), 5 exempt, nil and non-GST purchases, and in `payment` table 6.1: the tax payable set off against the net credit in the rule 88A order (IGST credit first), the rest and all reverse charge tax in cash. For organizations in IN with a GSTIN (409 otherwise).",
    params(GstQuery),
    responses((status = 200, body = Gstr3bReturn), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["tax_returns:read"])))]
pub(crate) async fn gstr3b(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(q): ApiQuery<GstQuery>,
) -> Result<Json<Gstr3bReturn>, ApiError> {
    let p = ferrobooks_service::gst_returns::period(&q.period)?;
    Ok(Json(
        s.services
            .gstr3b(&ctx, p, q.detail.unwrap_or(false))
            .await?
            .into(),
    ))
}

async fn file_gst(
    s: &AppState,
    ctx: &AuthContext,
    kind: ReturnKind,
    period: &str,
) -> Result<(StatusCode, Json<FiledReturn>), ApiError> {
    let p = ferrobooks_service::gst_returns::period(period)?;
    let (from, to) = (p.first.to_string(), p.last.to_string());
    let r = s
        .services
        .file_return(ctx, kind, (&from, &to), None)
        .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[utoipa::path(post, path = "/api/v1/tax_returns/gstr1", tag = "tax_returns",
    summary = "File the GSTR-1 of a month",
    description = "Keeps it as filed and closes the month to postings until it is reopened, as a VAT return does. 409 when a filed GSTR-1 covers the month. Emits `tax_return.filed`.",
    request_body = GstFileInput,
    responses((status = 201, body = FiledReturn), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["tax_returns:write"])))]
pub(crate) async fn file_gstr1(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<GstFileInput>,
) -> Result<(StatusCode, Json<FiledReturn>), ApiError> {
    file_gst(&s, &ctx, ReturnKind::Gstr1, &input.period).await
}

#[utoipa::path(post, path = "/api/v1/tax_returns/gstr3b", tag = "tax_returns",
    summary = "File the GSTR-3B of a month",
    description = "Keeps it as filed and closes the month to postings until it is reopened. 409 when a filed GSTR-3B covers the month. Emits `tax_return.filed`.",
    request_body = GstFileInput,
    responses((status = 201, body = FiledReturn), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["tax_returns:write"])))]
pub(crate) async fn file_gstr3b(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<GstFileInput>,
) -> Result<(StatusCode, Json<FiledReturn>), ApiError> {
    file_gst(&s, &ctx, ReturnKind::Gstr3b, &input.period).await
}
