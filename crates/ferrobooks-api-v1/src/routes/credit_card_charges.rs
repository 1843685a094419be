//! `/api/v1/credit_card_charges`: purchases on a credit card, owed to the
//! card as made; voided, never edited or deleted.

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
    kind: DocKind::CardCharge,
    tag: "credit_card_charges",
    list_path: "/api/v1/credit_card_charges",
    item_path: "/api/v1/credit_card_charges/{id}",
    read: "credit_card_charges:read",
    write: "credit_card_charges:write",
    list_summary: "List credit-card charges",
    create_summary: "Record a credit-card charge",
    create_description: "A purchase on a credit card, from a vendor or not: numbered and posted as made. Dr each line's expense or asset account and claimable input tax per component; Cr the credit-card account (`card_account_id`, a liability of subtype credit_card; default: the chart's 2150 Credit Card). Goods tracked in stock come into stock. Emits `credit_card_charge.created`.",
    create_body: crate::routes::document_bodies::CardChargeCreate,
    show_summary: "Read a credit-card charge",
}

void_route! {
    shapes: purchase,
    kind: DocKind::CardCharge,
    tag: "credit_card_charges",
    path: "/api/v1/credit_card_charges/{id}/void",
    write: "credit_card_charges:write",
    description: "Posts the reversal dated the void date and moves the stock back. The number is kept. A charge whose entry explains a statement line is unmatched first; one in a finished reconciliation is refused (409). Emits `credit_card_charge.voided`.",
}
