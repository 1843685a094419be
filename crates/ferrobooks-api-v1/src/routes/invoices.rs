//! `/api/v1/invoices`: draft -> approved (numbered, posted) -> sent ->
//! partially paid / paid; overdue by the due-date job; void.

use ferrobooks_service::documents::DocKind;

use super::documents::{
    allocations_route, document_action, document_routes, draft_routes, void_route,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use axum::extract::{Path, State};
use axum::{Extension, Json};
use ferrobooks_edge::extract::OptionalJson;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::AuthContext;
use ferrobooks_service::documents::write_offs::WriteOffInput;
use serde::Deserialize;

use super::documents::shapes::DocumentView;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(approve))
        .routes(routes!(send))
        .routes(routes!(void))
        .routes(routes!(allocations))
        .routes(routes!(write_off, undo_write_off))
}

/// A bad debt written off.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-01", "reason": "Customer in liquidation"}))]
pub struct WriteOffRequest {
    /// The write-off's date (default: today; never before the invoice's).
    #[schema(format = Date)]
    pub date: Option<String>,
    /// Why, kept in the entry's memo (at most 500 characters).
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/invoices/{id}/write_off", tag = "invoices",
    summary = "Write off what is open as a bad debt",
    description = "Settles everything still open on the invoice: Dr Bad Debts / Cr Accounts Receivable (with the customer), the base amount open at the invoice's rate. In the UK, written off six months or more after the due date, the VAT on the unpaid part is reclaimed as bad-debt relief: it posts to VAT on Purchases instead of Bad Debts and the VAT return counts it in box 4. The invoice is then paid off (status `paid`); the write-off is listed among its allocations (`source_type` `write_off`). 409 for drafts, voided invoices and invoices with nothing open. Emits `invoice.updated`.",
    params(("id" = String, Path, description = "Invoice id")),
    request_body(content = WriteOffRequest, description = "Optional"),
    responses((status = 200, body = DocumentView), (status = 404, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
    security(("bearer" = ["invoices:write"])))]
pub(crate) async fn write_off(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<WriteOffRequest>,
) -> Result<Json<DocumentView>, ApiError> {
    let input = WriteOffInput {
        date: req.date,
        reason: req.reason,
    };
    Ok(Json(
        s.services.write_off_invoice(&ctx, &id, input).await?.into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/invoices/{id}/write_off", tag = "invoices",
    summary = "Undo a write-off",
    description = "Reverses the write-off's entry (today, or its own date if later), bad-debt relief included, and reopens the invoice by what was written off. 404 when the invoice has no write-off. Emits `invoice.updated`.",
    params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, body = DocumentView), (status = 404, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
    security(("bearer" = ["invoices:write"])))]
pub(crate) async fn undo_write_off(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<DocumentView>, ApiError> {
    Ok(Json(s.services.undo_write_off(&ctx, &id).await?.into()))
}

document_routes! {
    kind: DocKind::Invoice,
    tag: "invoices",
    list_path: "/api/v1/invoices",
    item_path: "/api/v1/invoices/{id}",
    read: "invoices:read",
    write: "invoices:write",
    list_summary: "List invoices",
    create_summary: "Create a draft invoice",
    create_description: "`customer_id` and `lines` are required. A draft posts nothing and has no number. Each line: `quantity` x `unit_price` - `discount`, rounded half away from zero to the currency's digits; tax is computed per line and per component on the discounted amount and rounded the same way (GST splits into CGST + SGST when the place of supply is the organization's state, IGST otherwise). `round_total: true` rounds the grand total to whole units, the difference posting to Rounding. `currency` defaults to the customer's; another currency than the organization's needs `exchange_rate` (base units per document unit). `due_date` defaults to the date plus the customer's payment terms. `approve: true` approves it in the same request (see `POST /invoices/{id}/approve`). Emits `invoice.created` (and `invoice.approved`).",
    create_body: crate::routes::document_bodies::InvoiceCreate,
    show_summary: "Read an invoice",
}

draft_routes! {
    kind: DocKind::Invoice,
    tag: "invoices",
    item_path: "/api/v1/invoices/{id}",
    write: "invoices:write",
    update_body: crate::routes::document_bodies::InvoiceUpdate,
}

document_action!(
    approve,
    "/api/v1/invoices/{id}/approve",
    "invoices",
    "invoices:write",
    "Approve: number, post and move stock",
    "The draft takes the next number of the invoice series (per fiscal year and branch) and posts: Dr Accounts Receivable (with the customer) the grand total; Cr each line's income account net of discount; Cr each tax component's account; rounding to the Rounding account. Amounts post in the base currency, each income and tax line converted at the invoice's rate. Tracked products' stock goes down (`product.low_stock` when it reaches the reorder level). 409 unless a draft. Emits `invoice.approved`.",
    |s, ctx, id| s.services.approve_document(&ctx, DocKind::Invoice, &id)
);

document_action!(
    send,
    "/api/v1/invoices/{id}/send",
    "invoices",
    "invoices:write",
    "Mark as sent",
    "Records that the invoice went to the customer (status `sent` while nothing is paid). 409 for drafts and voided invoices. Emits `invoice.sent`.",
    |s, ctx, id| s.services.send_document(&ctx, DocKind::Invoice, &id)
);

void_route! {
    kind: DocKind::Invoice,
    tag: "invoices",
    path: "/api/v1/invoices/{id}/void",
    write: "invoices:write",
    description: "Posts the exact mirror of the invoice's entry, dated the void date, restores stock and keeps the number (never reused). 409 while payments or credits are applied: delete the payments first. Emits `invoice.voided`.",
}

allocations_route! {
    kind: DocKind::Invoice,
    tag: "invoices",
    path: "/api/v1/invoices/{id}/allocations",
    read: "invoices:read",
    summary: "What settled the invoice",
    description: "The live applications of payments and credit notes to this invoice.",
}
