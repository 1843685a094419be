//! `/api/v1/sales_receipts`: sales receipts, paid on the spot and posted to a bank
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
    kind: DocKind::SalesReceipt,
    tag: "sales_receipts",
    list_path: "/api/v1/sales_receipts",
    item_path: "/api/v1/sales_receipts/{id}",
    read: "sales_receipts:read",
    write: "sales_receipts:write",
    list_summary: "List sales receipts",
    create_summary: "Create a sales receipt",
    create_description: "Paid on the spot: numbered and posted as it is made. Dr the deposit account (default Undeposited Funds) the grand total; Cr income per line and output tax per component, as an invoice would. Lines and amounts as on invoices. Tracked stock goes down. Emits `sales_receipt.created`.",
    create_body: crate::routes::document_bodies::SalesReceiptCreate,
    show_summary: "Read a sales receipt",
}

void_route! {
    kind: DocKind::SalesReceipt,
    tag: "sales_receipts",
    path: "/api/v1/sales_receipts/{id}/void",
    write: "sales_receipts:write",
    description: "Posts the reversal dated the void date and moves the stock back. The number is kept. Emits `sales_receipt.voided`.",
}
