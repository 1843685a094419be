//! `/api/v1/refund_receipts`: refund receipts, paid on the spot and posted to a bank
//! account at once; voided, never edited or deleted.

use ferrobooks_service::documents::DocKind;

use super::documents::{document_routes, void_route};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use ferrobooks_edge::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show))
        .routes(routes!(void))
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
    create_body: crate::routes::document_bodies::RefundReceiptCreate,
    show_summary: "Read a refund receipt",
}

void_route! {
    kind: DocKind::RefundReceipt,
    tag: "refund_receipts",
    path: "/api/v1/refund_receipts/{id}/void",
    write: "refund_receipts:write",
    description: "Posts the reversal dated the void date and moves the stock back. The number is kept. Emits `refund_receipt.voided`.",
}
