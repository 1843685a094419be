//! `/api/v1/checks`: money paid by check out of a bank account, numbered in
//! the checks' own series and posted as written; voided, never edited or
//! deleted.

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
    kind: DocKind::Check,
    tag: "checks",
    list_path: "/api/v1/checks",
    item_path: "/api/v1/checks/{id}",
    read: "checks:read",
    write: "checks:write",
    list_summary: "List checks",
    create_summary: "Write a check",
    create_description: "Money paid out of a bank account by check, to a vendor or to nobody in particular: numbered in the checks' own series (default: a plain number, `1`, `2`, ...; see `/api/v1/number_series/check`) and posted as written. Dr each line's expense or asset account and claimable input tax per component; Cr the bank account (`bank_account_id`, a bank account; default: the current account). Goods tracked in stock come into stock. Emits `check.created`.",
    create_body: crate::routes::document_bodies::CheckCreate,
    show_summary: "Read a check",
}

void_route! {
    shapes: purchase,
    kind: DocKind::Check,
    tag: "checks",
    path: "/api/v1/checks/{id}/void",
    write: "checks:write",
    description: "Posts the reversal dated the void date and moves the stock back. The number is kept, never reused. A check whose entry explains a statement line is unmatched first; one in a finished reconciliation is refused (409). Emits `check.voided`.",
}
