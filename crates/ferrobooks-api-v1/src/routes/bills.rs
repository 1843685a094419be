//! `/api/v1/bills`: what vendors bill the organization. draft -> approved
//! (numbered and posted: Dr cost and claimable input tax, Cr Accounts
//! Payable with the vendor) -> partially paid / paid; overdue by the
//! due-date job; void.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_edge::extract::{ApiJson, ApiQuery, OptionalJson};
use ferrobooks_edge::pagination::page_args;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::AuthContext;
use ferrobooks_service::sales::{DocKind, DocQuery};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::documents::DocVoidRequest;
use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use crate::views::bills::{BILL_FIELDS, BillInput, BillView};
use crate::views::renamed;

const KIND: DocKind = DocKind::Bill;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(approve))
        .routes(routes!(void))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct BillQuery {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only bills in this status: draft, approved, partially_paid, paid,
    /// overdue, void.
    status: Option<String>,
    /// Only this vendor's bills.
    vendor_id: Option<String>,
    /// Dated on or after (YYYY-MM-DD).
    #[param(format = Date)]
    date_from: Option<String>,
    /// Dated on or before (YYYY-MM-DD).
    #[param(format = Date)]
    date_to: Option<String>,
    /// Changed at or after this RFC 3339 time.
    #[param(format = DateTime)]
    updated_since: Option<String>,
    /// Case-insensitive text in the number or reference.
    search: Option<String>,
}

/// The list parameters as documented: [`BillQuery`], with `status` one of
/// a bill's statuses.
pub(crate) struct ListParams;

impl utoipa::IntoParams for ListParams {
    fn into_params(
        parameter_in: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let mut params = <BillQuery as utoipa::IntoParams>::into_params(parameter_in);
        for p in &mut params {
            if p.name == "status" {
                p.schema = Some(crate::openapi::one_of(KIND.statuses().iter().copied()).into());
            }
        }
        params
    }
}

#[utoipa::path(get, path = "/api/v1/bills", tag = "bills",
    summary = "List bills",
    params(ListParams),
    responses((status = 200, body = List<BillView>), CommonErrors),
    security(("bearer" = ["bills:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<BillQuery>,
) -> Result<Json<List<BillView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    let q = DocQuery {
        after,
        limit,
        status: p.status,
        customer_id: p.vendor_id,
        date_from: p.date_from,
        date_to: p.date_to,
        updated_since: p.updated_since,
        search: p.search,
    };
    Ok(list_envelope(
        s.services.list_documents(&ctx, KIND, &q).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/bills", tag = "bills",
    summary = "Record a bill (a draft, or approved with `approve: true`)",
    description = "`vendor_id` and `lines` are required; every line names an expense, asset or inventory `account_id` (or a product with an expense account) and its `unit_price` (the cost). Tax is computed per line and component as on invoices; where it posts depends on the line: claimable input tax (Input CGST/SGST/IGST/Cess, VAT on purchases), part of the line's cost (blocked credit `itc_eligibility: ineligible_17_5` or `pos_restricted`, US sales tax), or under `reverse_charge` owed by the organization (GST RCM payable; UK: VAT on sales) and left out of what the vendor is owed. In India the vendor's `source_of_supply` against the organization's state decides CGST+SGST or IGST. `vendor_reference` (the vendor's own number) is unique per vendor (409 when taken). Emits `bill.created` (and `bill.approved`).",
    request_body = crate::openapi::BillCreate,
    responses((status = 201, body = BillView), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bills:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<BillInput>,
) -> Result<(StatusCode, Json<BillView>), ApiError> {
    let v = s
        .services
        .create_document(&ctx, KIND, input.into())
        .await
        .map_err(|e| renamed(e, BILL_FIELDS))?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

#[utoipa::path(get, path = "/api/v1/bills/{id}", tag = "bills",
    summary = "Read a bill",
    params(("id" = String, Path, description = "Bill id")),
    responses((status = 200, body = BillView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bills:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BillView>, ApiError> {
    Ok(Json(s.services.get_document(&ctx, KIND, &id).await?.into()))
}

#[utoipa::path(method(put, patch), path = "/api/v1/bills/{id}", tag = "bills",
    summary = "Change a draft bill (PATCH takes the same body)",
    description = "Only drafts can be edited (409 otherwise). Absent fields stay; `lines`, when given, replace all lines. Emits `bill.updated`.",
    params(("id" = String, Path, description = "Bill id")),
    request_body = BillInput,
    responses((status = 200, body = BillView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bills:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<BillInput>,
) -> Result<Json<BillView>, ApiError> {
    let v = s
        .services
        .update_document(&ctx, KIND, &id, input.into())
        .await
        .map_err(|e| renamed(e, BILL_FIELDS))?;
    Ok(Json(v.into()))
}

#[utoipa::path(delete, path = "/api/v1/bills/{id}", tag = "bills",
    summary = "Delete a draft bill",
    description = "Only drafts can be deleted; an approved bill is voided instead (409). Emits `bill.deleted`.",
    params(("id" = String, Path, description = "Bill id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bills:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_document(&ctx, KIND, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/bills/{id}/approve", tag = "bills",
    summary = "Approve a draft bill: number and post it",
    description = "The draft takes the next number of the bill series and posts: Dr each line's account (net, plus tax that is cost), Dr each claimable input tax account, Cr Accounts Payable (with the vendor) what the vendor is owed; reverse-charge tax posts Dr input tax / Cr its payable. Amounts post in the base currency at the bill's rate. Tracked products' stock goes up. 409 unless a draft. Emits `bill.approved`.",
    params(("id" = String, Path, description = "Bill id")),
    responses((status = 200, body = BillView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bills:write"])))]
pub(crate) async fn approve(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BillView>, ApiError> {
    let v = s.services.approve_document(&ctx, KIND, &id).await?;
    Ok(Json(v.into()))
}

#[utoipa::path(post, path = "/api/v1/bills/{id}/void", tag = "bills",
    summary = "Void an approved bill",
    description = "Posts the exact mirror of the bill's entry, dated the void date (default today), takes stock back out and keeps the number (never reused). 409 for drafts and voided bills, and while payments or credits are applied. The body is optional. Emits `bill.voided`.",
    params(("id" = String, Path, description = "Bill id")),
    request_body(content = DocVoidRequest, description = "Optional"),
    responses((status = 200, body = BillView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bills:write"])))]
pub(crate) async fn void(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(body): OptionalJson<DocVoidRequest>,
) -> Result<Json<BillView>, ApiError> {
    let v = s
        .services
        .void_document(&ctx, KIND, &id, body.date.as_deref())
        .await?;
    Ok(Json(v.into()))
}
