//! `/api/v1/purchase_orders`: what the organization orders from vendors.
//! Posts nothing. draft -> issued -> partially billed -> billed; draft or
//! issued -> cancelled; converted to bills, whole or line by line.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_edge::extract::OptionalJson;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::AuthContext;
use ferrobooks_service::documents::DocKind;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::documents::{document_action, document_routes, draft_routes};
use crate::openapi::{CommonErrors, ErrorBody};
use crate::views::purchases::{ConvertOrderInput, PURCHASE_FIELDS, PurchaseView};
use crate::views::renamed;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(issue))
        .routes(routes!(cancel))
        .routes(routes!(convert))
}

document_routes! {
    shapes: purchase,
    kind: DocKind::PurchaseOrder,
    tag: "purchase_orders",
    list_path: "/api/v1/purchase_orders",
    item_path: "/api/v1/purchase_orders/{id}",
    read: "purchase_orders:read",
    write: "purchase_orders:write",
    list_summary: "List purchase orders",
    create_summary: "Create a draft purchase order",
    create_description: "`vendor_id` and `lines` are required; lines, accounts and taxes as on bills. A purchase order posts nothing. Emits `purchase_order.created`.",
    create_body: crate::routes::document_bodies::PurchaseOrderCreate,
    show_summary: "Read a purchase order",
}

draft_routes! {
    shapes: purchase,
    kind: DocKind::PurchaseOrder,
    tag: "purchase_orders",
    item_path: "/api/v1/purchase_orders/{id}",
    write: "purchase_orders:write",
    update_body: crate::routes::document_bodies::PurchaseOrderUpdate,
}

document_action!(
    shapes: purchase,
    issue,
    "/api/v1/purchase_orders/{id}/issue",
    "purchase_orders",
    "purchase_orders:write",
    "Issue to the vendor",
    "The draft takes the next number of the purchase order series and becomes `issued`; issuing again is allowed and keeps the number. 409 once billed or cancelled. Emits `purchase_order.issued`.",
    |s, ctx, id| s.services.issue_purchase_order(&ctx, &id)
);

document_action!(
    shapes: purchase,
    cancel,
    "/api/v1/purchase_orders/{id}/cancel",
    "purchase_orders",
    "purchase_orders:write",
    "Cancel",
    "A draft or issued order nothing was billed from becomes `cancelled` (409 otherwise). Emits `purchase_order.cancelled`.",
    |s, ctx, id| s.services.cancel_purchase_order(&ctx, &id)
);

#[utoipa::path(post, path = "/api/v1/purchase_orders/{id}/convert", tag = "purchase_orders",
    summary = "Bill the order, whole or in part",
    description = "Makes a draft bill of the order's lines: all that is left of every line, or the chosen `lines` (by their number, from 1) and quantities, at the order's prices (a line's discount in proportion to the quantity taken), currency and rate; the bill's `source_id` is the order and its `reference` the order's number. Each order line's `billed_quantity` grows; the order becomes `partially_billed` or `billed`. Billing more than is left of a line is 400 and nothing is written; a draft, billed or cancelled order is 409. Deleting or voiding the bill gives its quantities back; its lines cannot be changed (delete it and convert again). The body is optional. Answers the bill. Emits `bill.created`, `purchase_order.updated` (and `purchase_order.billed`).",
    params(("id" = String, Path, description = "Purchase order id")),
    request_body(content = ConvertOrderInput, description = "Optional"),
    responses((status = 201, body = PurchaseView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["purchase_orders:write"])))]
pub(crate) async fn convert(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(input): OptionalJson<ConvertOrderInput>,
) -> Result<(StatusCode, Json<PurchaseView>), ApiError> {
    let v = s
        .services
        .convert_purchase_order(&ctx, &id, input.into())
        .await
        .map_err(|e| renamed(e, PURCHASE_FIELDS))?;
    Ok((StatusCode::CREATED, Json(v.into())))
}
