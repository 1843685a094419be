//! `/api/v1/bill_payments`: money paid to vendors, applied to bills.

use ferrobooks_domain::document::Side;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::views::bill_payments::{BillApplyInput, BillPaymentInput, BillPaymentView};
use ferrobooks_edge::AppState;

/// A bill payment's errors name its fields as the service does.
const FIELDS: &[(&str, &str)] = &[];

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, delete))
        .routes(routes!(apply))
        .routes(routes!(unapply))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only this vendor's payments.
    vendor_id: Option<String>,
}

impl ListParams {
    fn parts(self) -> (Option<u32>, Option<String>, Option<String>) {
        (self.limit, self.cursor, self.vendor_id)
    }
}

super::payments::payment_routes! {
    side: Side::Purchase,
    tag: "bill_payments",
    list_path: "/api/v1/bill_payments",
    item_path: "/api/v1/bill_payments/{id}",
    apply_path: "/api/v1/bill_payments/{id}/apply",
    read: "bill_payments:read",
    write: "bill_payments:write",
    view: BillPaymentView,
    input: BillPaymentInput,
    apply_input: BillApplyInput,
    query: ListParams,
    fields: FIELDS,
    list_summary: "List bill payments",
    create_summary: "Pay vendors' bills",
    create_description: "Posts Cr the account paid from (a bank, cash or credit-card account; default the current account) the amount at the payment's rate; Dr Accounts Payable (with the vendor) one line per bill applied and one for what stays unapplied (an advance to the vendor, applied later with `POST /bill_payments/{id}/apply`). `applications` may span many bills of the vendor, partially; each must be approved, in the payment's currency, and owe at least its amount (paying more than a bill's balance, or another vendor's bill, is 400 and nothing is written). When the payment's rate differs from a bill's, the difference posts to FX gain/loss: paid x (bill rate - payment rate), a gain credited. Emits `payment.created` (with `side: purchase`), `bill.updated`, and `bill.paid` for each bill it settles.",
    show_summary: "Read a bill payment",
    apply_summary: "Apply an advance to bills",
    apply_description: "Applies what the payment has left to bills of the same vendor and currency. An allocation only; a rate difference between payment and bill posts realized FX gain/loss. Emits `bill.updated` and `bill.paid` for each bill it settles.",
    delete_summary: "Delete a bill payment",
    delete_description: "Reverses the payment's entry and any FX entries of its later applications (dated today, or the payment's date if later) and reopens the bills it paid. Emits `payment.deleted` and `bill.updated`.",
}

super::documents::unapply_route! {
    shapes: purchase,
    source: ferrobooks_service::documents::allocations::CreditSource::BillPayment,
    tag: "bill_payments",
    path: "/api/v1/bill_payments/{id}/allocations/{allocation_id}",
    write: "bill_payments:write",
}
