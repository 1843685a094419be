//! `/api/v1/vendor_credits`: the mirror of a bill (goods returned, a price
//! reduction). Approve posts it; its credit is applied to open bills or
//! refunded by the vendor in cash.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use ferrobooks_edge::extract::ApiJson;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::AuthContext;
use ferrobooks_service::documents::DocKind;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::documents::{
    allocations_route, document_action, document_routes, draft_routes, unapply_route, void_route,
};
use crate::openapi::{CommonErrors, ErrorBody};
use crate::views::bill_payments::BillApplyInput;
use crate::views::purchases::PurchaseView;
use crate::views::sales::RefundInput;

const KIND: DocKind = DocKind::VendorCredit;

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
    shapes: purchase,
    kind: DocKind::VendorCredit,
    tag: "vendor_credits",
    list_path: "/api/v1/vendor_credits",
    item_path: "/api/v1/vendor_credits/{id}",
    read: "vendor_credits:read",
    write: "vendor_credits:write",
    list_summary: "List vendor credits",
    create_summary: "Record a vendor credit (a draft, or approved with `approve: true`)",
    create_description: "Lines, taxes and accounts as on bills. `bill_id` optionally names the bill credited (same vendor and currency). `vendor_reference` (the vendor's credit note number) is unique per vendor. Emits `vendor_credit.created` (and `vendor_credit.approved`).",
    create_body: crate::routes::document_bodies::VendorCreditCreate,
    show_summary: "Read a vendor credit",
}

draft_routes! {
    shapes: purchase,
    kind: DocKind::VendorCredit,
    tag: "vendor_credits",
    item_path: "/api/v1/vendor_credits/{id}",
    write: "vendor_credits:write",
    update_body: crate::routes::document_bodies::VendorCreditUpdate,
}

document_action!(
    shapes: purchase,
    approve,
    "/api/v1/vendor_credits/{id}/approve",
    "vendor_credits",
    "vendor_credits:write",
    "Approve: number and post",
    "Posts the mirror of a bill: Dr Accounts Payable (with the vendor) the credit; Cr each line's account (net, plus tax that was cost) and each claimed input tax account; reverse-charge tax is taken back from its payable. Goods returned leave stock. The vendor credit is then `open` until its credit is applied or refunded (`closed`). Emits `vendor_credit.approved`.",
    |s, ctx, id| s.services.approve_document(&ctx, DocKind::VendorCredit, &id)
);

void_route! {
    shapes: purchase,
    kind: DocKind::VendorCredit,
    tag: "vendor_credits",
    path: "/api/v1/vendor_credits/{id}/void",
    write: "vendor_credits:write",
    description: "Posts the reversal and brings returned goods back into stock. 409 once any credit was applied or refunded. Emits `vendor_credit.voided`.",
}

#[utoipa::path(post, path = "/api/v1/vendor_credits/{id}/apply", tag = "vendor_credits",
    summary = "Apply the credit to open bills",
    description = "An allocation: each bill's balance falls and the remaining credit with it; nothing posts unless the bill and credit rates differ (realized FX gain/loss). Bills must be the same vendor's, in the same currency, approved, and owe at least the amount. Emits `bill.updated` (and `bill.paid` for a bill it settles) and `vendor_credit.updated`.",
    params(("id" = String, Path, description = "Vendor credit id")),
    request_body = BillApplyInput,
    responses((status = 200, body = PurchaseView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["vendor_credits:write"])))]
pub(crate) async fn apply(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<BillApplyInput>,
) -> Result<Json<PurchaseView>, ApiError> {
    Ok(Json(
        s.services
            .apply_credit_note(&ctx, KIND, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/vendor_credits/{id}/refund", tag = "vendor_credits",
    summary = "Record the vendor's cash refund",
    description = "The vendor pays the credit back: Dr the bank account (default the current account), Cr Accounts Payable (with the vendor), at most the remaining credit; a rate different from the credit's posts the difference to FX gain/loss. Emits `vendor_credit.updated`.",
    params(("id" = String, Path, description = "Vendor credit id")),
    request_body = RefundInput,
    responses((status = 200, body = PurchaseView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["vendor_credits:write"])))]
pub(crate) async fn refund(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RefundInput>,
) -> Result<Json<PurchaseView>, ApiError> {
    Ok(Json(
        s.services
            .refund_credit_note(&ctx, KIND, &id, input.into())
            .await?
            .into(),
    ))
}

allocations_route! {
    shapes: purchase,
    kind: DocKind::VendorCredit,
    tag: "vendor_credits",
    path: "/api/v1/vendor_credits/{id}/allocations",
    read: "vendor_credits:read",
    summary: "Where the credit went",
    description: "The live applications of this vendor credit to bills.",
}

unapply_route! {
    shapes: purchase,
    source: ferrobooks_service::documents::allocations::CreditSource::VendorCredit,
    tag: "vendor_credits",
    path: "/api/v1/vendor_credits/{id}/allocations/{allocation_id}",
    write: "vendor_credits:write",
}
