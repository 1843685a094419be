//! `/api/v1/refund_receipts`: refund receipts, paid on the spot and posted to a bank
//! account at once; voided, never edited or deleted.

use axum::Router;
use axum::routing::{get, post};
use ferrobooks_service::sales::DocKind;

use super::documents::{document_routes, void_route};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/refund_receipts", get(list).post(create))
        .route("/refund_receipts/{id}", get(show))
        .route("/refund_receipts/{id}/void", post(void))
}

document_routes! {
    kind: DocKind::RefundReceipt,
    tag: "refund_receipts",
    list_path: "/api/v1/refund_receipts",
    item_path: "/api/v1/refund_receipts/{id}",
    read: "refund_receipts:read",
    write: "refund_receipts:write",
    list_summary: "List refund receipts",
    create_summary: "Create a refund receipt",
    create_description: "Money paid back on the spot: numbered and posted as it is made. Dr income per line and output tax per component; Cr the deposit account. Returned goods come back into stock. Emits `refund_receipt.created`.",
    show_summary: "Read a refund receipt",
}

void_route! {
    kind: DocKind::RefundReceipt,
    tag: "refund_receipts",
    path: "/api/v1/refund_receipts/{id}/void",
    write: "refund_receipts:write",
    description: "Posts the reversal dated the void date and moves the stock back. The number is kept. Emits `refund_receipt.voided`.",
}
