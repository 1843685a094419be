//! `/api/v1/bills`: what vendors bill the organization. draft -> approved
//! (numbered and posted: Dr cost and claimable input tax, Cr Accounts
//! Payable with the vendor) -> partially paid / paid; overdue by the
//! due-date job; void.

use ferrobooks_service::documents::DocKind;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::documents::{
    allocations_route, document_action, document_routes, draft_routes, void_route,
};
use ferrobooks_edge::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(approve))
        .routes(routes!(void))
        .routes(routes!(allocations))
}

document_routes! {
    shapes: purchase,
    kind: DocKind::Bill,
    tag: "bills",
    list_path: "/api/v1/bills",
    item_path: "/api/v1/bills/{id}",
    read: "bills:read",
    write: "bills:write",
    list_summary: "List bills",
    create_summary: "Record a bill (a draft, or approved with `approve: true`)",
    create_description: "`vendor_id` and `lines` are required; every line names an expense, asset or inventory `account_id` (or a product with an expense account) and its `unit_price` (the cost). Tax is computed per line and component as on invoices; where it posts depends on the line: claimable input tax (Input CGST/SGST/IGST/Cess, VAT on purchases), part of the line's cost (blocked credit `itc_eligibility: ineligible_17_5` or `pos_restricted`, US sales tax), or under `reverse_charge` owed by the organization (GST RCM payable; UK: VAT on sales) and left out of what the vendor is owed. In India the vendor's `source_of_supply` against the organization's state decides CGST+SGST or IGST. `vendor_reference` (the vendor's own number) is unique per vendor (409 when taken). Emits `bill.created` (and `bill.approved`).",
    create_body: crate::routes::document_bodies::BillCreate,
    show_summary: "Read a bill",
}

draft_routes! {
    shapes: purchase,
    kind: DocKind::Bill,
    tag: "bills",
    item_path: "/api/v1/bills/{id}",
    write: "bills:write",
    update_body: crate::routes::document_bodies::BillUpdate,
}

document_action!(
    shapes: purchase,
    approve,
    "/api/v1/bills/{id}/approve",
    "bills",
    "bills:write",
    "Approve a draft bill: number and post it",
    "The draft takes the next number of the bill series and posts: Dr each line's account (net, plus tax that is cost), Dr each claimable input tax account, Cr Accounts Payable (with the vendor) what the vendor is owed; reverse-charge tax posts Dr input tax / Cr its payable. Amounts post in the base currency at the bill's rate. Tracked products' stock goes up. 409 unless a draft. Emits `bill.approved`.",
    |s, ctx, id| s.services.approve_document(&ctx, DocKind::Bill, &id)
);

void_route! {
    shapes: purchase,
    kind: DocKind::Bill,
    tag: "bills",
    path: "/api/v1/bills/{id}/void",
    write: "bills:write",
    description: "Posts the exact mirror of the bill's entry, dated the void date (default today), takes stock back out and keeps the number (never reused). 409 for drafts and voided bills, and while payments or credits are applied. The body is optional. Emits `bill.voided`.",
}

allocations_route! {
    shapes: purchase,
    kind: DocKind::Bill,
    tag: "bills",
    path: "/api/v1/bills/{id}/allocations",
    read: "bills:read",
    summary: "What settled the bill",
    description: "The live applications of bill payments and vendor credits to this bill.",
}
