//! `/api/v1/credit_card_credits`: refunds to a credit card, the mirror of
//! a charge; voided, never edited or deleted.

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
    kind: DocKind::CardCredit,
    tag: "credit_card_credits",
    list_path: "/api/v1/credit_card_credits",
    item_path: "/api/v1/credit_card_credits/{id}",
    read: "credit_card_credits:read",
    write: "credit_card_credits:write",
    list_summary: "List credit-card credits",
    create_summary: "Record a credit-card credit",
    create_description: "A refund to a credit card (goods returned, a charge reversed by the vendor): numbered and posted as made, the mirror of a charge. Dr the credit-card account (`card_account_id`; default: the chart's 2150 Credit Card); Cr each line's expense or asset account and the input tax claimed per component. Returned goods leave stock. Emits `credit_card_credit.created`.",
    create_body: crate::routes::document_bodies::CardCreditCreate,
    show_summary: "Read a credit-card credit",
}

void_route! {
    shapes: purchase,
    kind: DocKind::CardCredit,
    tag: "credit_card_credits",
    path: "/api/v1/credit_card_credits/{id}/void",
    write: "credit_card_credits:write",
    description: "Posts the reversal dated the void date and moves the stock back. The number is kept. A credit whose entry explains a statement line is unmatched first; one in a finished reconciliation is refused (409). Emits `credit_card_credit.voided`.",
}
