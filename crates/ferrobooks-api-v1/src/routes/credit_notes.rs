//! `/api/v1/credit_notes`: the mirror of an invoice. Approve posts it;
//! its credit is applied to open invoices or refunded in cash.

use crate::views::sales::ApplyInput;
use crate::views::sales::DocumentView;
use crate::views::sales::RefundInput;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use ferrobooks_service::documents::DocKind;

use super::documents::{
    allocations_route, document_action, document_routes, draft_routes, unapply_route, void_route,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::ApiJson;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(approve))
        .routes(routes!(void))
        .routes(routes!(apply))
        .routes(routes!(refund))
        .routes(routes!(allocations))
        .routes(routes!(unapply))
}

document_routes! {
    kind: DocKind::CreditNote,
    tag: "credit_notes",
    list_path: "/api/v1/credit_notes",
    item_path: "/api/v1/credit_notes/{id}",
    read: "credit_notes:read",
    write: "credit_notes:write",
    list_summary: "List credit notes",
    create_summary: "Create a draft credit note",
    create_description: "Lines and amounts as on invoices. `invoice_id` optionally names the invoice credited (same customer and currency). Emits `credit_note.created`.",
    create_body: crate::routes::document_bodies::CreditNoteCreate,
    show_summary: "Read a credit note",
}

draft_routes! {
    kind: DocKind::CreditNote,
    tag: "credit_notes",
    item_path: "/api/v1/credit_notes/{id}",
    write: "credit_notes:write",
    update_body: crate::routes::document_bodies::CreditNoteUpdate,
}

document_action!(
    approve,
    "/api/v1/credit_notes/{id}/approve",
    "credit_notes",
    "credit_notes:write",
    "Approve: number and post",
    "Posts the mirror of an invoice: Dr each line's income account and each tax component's account, Cr Accounts Receivable (with the customer). Returned goods come back into stock. The credit note is then `open` until its credit is applied or refunded (`closed`). Emits `credit_note.approved`.",
    |s, ctx, id| s.services.approve_document(&ctx, DocKind::CreditNote, &id)
);

void_route! {
    kind: DocKind::CreditNote,
    tag: "credit_notes",
    path: "/api/v1/credit_notes/{id}/void",
    write: "credit_notes:write",
    description: "Posts the reversal and takes returned stock out again. 409 once any credit was applied or refunded. Emits `credit_note.voided`.",
}

#[utoipa::path(post, path = "/api/v1/credit_notes/{id}/apply", tag = "credit_notes",
    summary = "Apply the credit to open invoices",
    description = "An allocation: each invoice's balance falls and the credit note's remaining credit with it; nothing posts unless the invoice and credit note rates differ (realized FX gain/loss). Invoices must be the same customer's, in the same currency, approved, and owe at least the amount. Emits `invoice.updated` (and `invoice.paid` for an invoice it settles) and `credit_note.updated`.",
    params(("id" = String, Path, description = "Credit note id")),
    request_body = ApplyInput,
    responses((status = 200, body = DocumentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["credit_notes:write"])))]
pub(crate) async fn apply(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ApplyInput>,
) -> Result<Json<DocumentView>, ApiError> {
    Ok(Json(
        s.services
            .apply_credit_note(&ctx, DocKind::CreditNote, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/credit_notes/{id}/refund", tag = "credit_notes",
    summary = "Refund the credit in cash",
    description = "Posts Dr Accounts Receivable (with the customer) / Cr the bank account for the amount, at most the remaining credit. Emits `credit_note.updated`.",
    params(("id" = String, Path, description = "Credit note id")),
    request_body = RefundInput,
    responses((status = 200, body = DocumentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["credit_notes:write"])))]
pub(crate) async fn refund(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RefundInput>,
) -> Result<Json<DocumentView>, ApiError> {
    Ok(Json(
        s.services
            .refund_credit_note(&ctx, DocKind::CreditNote, &id, input.into())
            .await?
            .into(),
    ))
}

allocations_route! {
    kind: DocKind::CreditNote,
    tag: "credit_notes",
    path: "/api/v1/credit_notes/{id}/allocations",
    read: "credit_notes:read",
    summary: "Where the credit went",
    description: "The live applications of this credit note to invoices.",
}

unapply_route! {
    source: ferrobooks_service::documents::allocations::CreditSource::CreditNote,
    tag: "credit_notes",
    path: "/api/v1/credit_notes/{id}/allocations/{allocation_id}",
    write: "credit_notes:write",
}
