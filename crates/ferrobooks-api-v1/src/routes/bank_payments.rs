//! `/api/v1/bank_payments`: money paid out of a bank or cash account other
//! than by check (a debit card, a direct debit, a transfer to a vendor),
//! posted as made; what a categorized statement line with a tax or a
//! contact becomes. Voided, never edited or deleted.

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
    shapes: purchase,
    kind: DocKind::BankPayment,
    tag: "bank_payments",
    list_path: "/api/v1/bank_payments",
    item_path: "/api/v1/bank_payments/{id}",
    read: "bank_payments:read",
    write: "bank_payments:write",
    list_summary: "List bank payments",
    create_summary: "Record a bank payment",
    create_description: "Money paid out of a bank or cash account other than by check (a debit card, a direct debit, a bank transfer to a vendor), to a vendor or to nobody in particular: numbered (`BP-00001`) and posted as made. Dr each line's expense or asset account and claimable input tax per component; Cr the account (`bank_account_id`, a bank or cash account; default: the current account). Goods tracked in stock come into stock. A statement line categorized with a tax or a contact becomes one (`POST /api/v1/bank_transactions/{id}/categorize`). Emits `bank_payment.created`.",
    create_body: crate::routes::document_bodies::BankPaymentCreate,
    show_summary: "Read a bank payment",
}

void_route! {
    shapes: purchase,
    kind: DocKind::BankPayment,
    tag: "bank_payments",
    path: "/api/v1/bank_payments/{id}/void",
    write: "bank_payments:write",
    description: "Posts the reversal dated the void date and moves the stock back. The number is kept. A payment whose entry explains a statement line leaves that line unreviewed; one in a finished reconciliation is refused (409). Emits `bank_payment.voided`.",
}
