//! `/api/v1/expenses`: money spent, submitted for approval. submitted ->
//! approved (posted) or rejected; approved -> paid; void.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use ferrobooks_edge::extract::OptionalJson;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::AuthContext;
use ferrobooks_service::documents::DocKind;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::documents::{document_action, document_routes, draft_routes, void_route};
use crate::openapi::{CommonErrors, ErrorBody};
use crate::views::expenses::PayExpenseInput;
use crate::views::purchases::PurchaseView;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(approve))
        .routes(routes!(reject))
        .routes(routes!(pay))
        .routes(routes!(void))
}

document_routes! {
    shapes: expense,
    kind: DocKind::Expense,
    tag: "expenses",
    list_path: "/api/v1/expenses",
    item_path: "/api/v1/expenses/{id}",
    read: "expenses:read",
    write: "expenses:write",
    list_summary: "List expenses",
    create_summary: "Submit an expense",
    create_description: "`account_id` (the category: an expense or asset account) and `amount` (before tax) are required; `vendor_id` is optional. The expense takes the next number of the expense series and is `submitted`; it posts nothing until approved (`approve: true` approves it at once). Tax is computed and posts as on bills (claimable input tax, tax as cost, reverse charge). Emits `expense.created`.",
    create_body: crate::openapi::ExpenseCreate,
    show_summary: "Read an expense",
}

draft_routes! {
    shapes: expense,
    kind: DocKind::Expense,
    tag: "expenses",
    item_path: "/api/v1/expenses/{id}",
    write: "expenses:write",
    update_body: crate::views::expenses::ExpenseInput,
}

document_action!(
    shapes: purchase,
    approve,
    "/api/v1/expenses/{id}/approve",
    "expenses",
    "expenses:write",
    "Approve: post it",
    "Posts Dr the category (net, plus tax that is cost) and each claimable input tax account, Cr Accruals what is to be paid (reverse-charge tax: Dr input tax / Cr its payable). Only a submitted expense is approved: approving twice is 409. Emits `expense.approved`.",
    |s, ctx, id| s.services.approve_document(&ctx, DocKind::Expense, &id)
);

document_action!(
    shapes: purchase,
    reject,
    "/api/v1/expenses/{id}/reject",
    "expenses",
    "expenses:write",
    "Reject",
    "A submitted expense becomes `rejected`; posts nothing. Correcting it (`PUT`) submits it again. 409 unless submitted. Emits `expense.rejected`.",
    |s, ctx, id| s.services.reject_expense(&ctx, &id)
);

#[utoipa::path(post, path = "/api/v1/expenses/{id}/pay", tag = "expenses",
    summary = "Pay an approved expense",
    description = "Posts Dr Accruals / Cr the bank, cash or credit-card account paid from (default the current account) what approval accrued, dated `date` (default today). The body is optional. 409 unless approved. Emits `expense.paid`.",
    params(("id" = String, Path, description = "Expense id")),
    request_body(content = PayExpenseInput, description = "Optional"),
    responses((status = 200, body = PurchaseView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["expenses:write"])))]
pub(crate) async fn pay(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(input): OptionalJson<PayExpenseInput>,
) -> Result<Json<PurchaseView>, ApiError> {
    Ok(Json(
        s.services
            .pay_expense(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

void_route! {
    shapes: purchase,
    kind: DocKind::Expense,
    tag: "expenses",
    path: "/api/v1/expenses/{id}/void",
    write: "expenses:write",
    description: "Reverses the approval's entry and, for a paid expense, the payment's, dated the void date. 409 unless approved or paid. Emits `expense.voided`.",
}
