//! `/api/v1/bank_transactions`: statement lines, imported or entered by
//! hand, waiting to be matched, categorized or excluded.

use crate::views::banking::{BankTransactionUpdate, BankTransactionView, NewBankTransaction};
use crate::views::matching::{CategorizeInput, MatchInput, Suggestion};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use ferrobooks_service::banking::transactions::BankTransactionQuery;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::extract::{ApiJson, ApiQuery};
use ferrobooks_edge::pagination::page_args;
use ferrobooks_edge::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(exclude))
        .routes(routes!(restore))
        .routes(routes!(suggestions))
        .routes(routes!(match_lines))
        .routes(routes!(unmatch))
        .routes(routes!(categorize))
        .routes(routes!(uncategorize))
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
    /// Only lines of this bank account.
    bank_account_id: Option<String>,
    /// Only lines in this status.
    #[param(schema_with = crate::openapi::bank_transaction_statuses)]
    status: Option<String>,
    /// First date, YYYY-MM-DD.
    #[param(format = Date)]
    date_from: Option<String>,
    /// Last date, YYYY-MM-DD.
    #[param(format = Date)]
    date_to: Option<String>,
    /// Case-insensitive text in the description or payee.
    search: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/bank_transactions", tag = "bank_transactions",
    summary = "List statement lines",
    params(ListParams),
    responses((status = 200, body = List<BankTransactionView>), CommonErrors),
    security(("bearer" = ["bank_transactions:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<BankTransactionView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    let q = BankTransactionQuery {
        after,
        limit,
        bank_account_id: p.bank_account_id,
        status: p.status,
        date_from: p.date_from,
        date_to: p.date_to,
        search: p.search,
    };
    Ok(list_envelope(
        s.services.list_bank_transactions(&ctx, &q).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/bank_transactions", tag = "bank_transactions",
    summary = "Enter a statement line by hand",
    description = "An unreviewed line of a bank, cash or card account; `amount` in the account's currency, positive for money in, not zero. Posts nothing. Emits `bank_transaction.created`.",
    request_body = NewBankTransaction,
    responses((status = 201, body = BankTransactionView), CommonErrors),
    security(("bearer" = ["bank_transactions:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewBankTransaction>,
) -> Result<(StatusCode, Json<BankTransactionView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_bank_transaction(&ctx, input.into())
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/bank_transactions/{id}", tag = "bank_transactions",
    summary = "Read a statement line",
    params(("id" = String, Path, description = "Bank transaction id")),
    responses((status = 200, body = BankTransactionView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_transactions:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BankTransactionView>, ApiError> {
    Ok(Json(
        s.services.get_bank_transaction(&ctx, &id).await?.into(),
    ))
}

#[utoipa::path(method(put, patch), path = "/api/v1/bank_transactions/{id}", tag = "bank_transactions",
    summary = "Correct an unreviewed line (PATCH takes the same body)",
    description = "Absent fields stay. A matched, categorized or excluded line is 409. Emits `bank_transaction.updated`.",
    params(("id" = String, Path, description = "Bank transaction id")),
    request_body = BankTransactionUpdate,
    responses((status = 200, body = BankTransactionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_transactions:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<BankTransactionUpdate>,
) -> Result<Json<BankTransactionView>, ApiError> {
    Ok(Json(
        s.services
            .update_bank_transaction(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/bank_transactions/{id}", tag = "bank_transactions",
    summary = "Delete an unreviewed or excluded line",
    description = "A deleted line answers 404, and importing its statement again does not bring it back. A matched or categorized line is 409. Emits `bank_transaction.deleted`.",
    params(("id" = String, Path, description = "Bank transaction id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_transactions:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_bank_transaction(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/bank_transactions/{id}/exclude", tag = "bank_transactions",
    summary = "Exclude an unreviewed line from the books",
    description = "For a line the books must not take (a duplicate the bank sent, a movement recorded elsewhere). Only an unreviewed line (409 otherwise). Emits `bank_transaction.updated`.",
    params(("id" = String, Path, description = "Bank transaction id")),
    responses((status = 200, body = BankTransactionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_transactions:write"])))]
pub(crate) async fn exclude(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BankTransactionView>, ApiError> {
    Ok(Json(
        s.services.exclude_bank_transaction(&ctx, &id).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/bank_transactions/{id}/restore", tag = "bank_transactions",
    summary = "Take an excluded line back to unreviewed",
    description = "Only an excluded line (409 otherwise). Emits `bank_transaction.updated`.",
    params(("id" = String, Path, description = "Bank transaction id")),
    responses((status = 200, body = BankTransactionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_transactions:write"])))]
pub(crate) async fn restore(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BankTransactionView>, ApiError> {
    Ok(Json(
        s.services.restore_bank_transaction(&ctx, &id).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/bank_transactions/{id}/suggestions", tag = "bank_transactions",
    summary = "Suggest what the books hold that explains a line",
    description = "Posted lines of the line's bank account that no statement line explains yet (payments received, bill payments, receipts, transfers, expenses, journal entries), dated within ten days: each of the same amount, and groups of two or three dated on or before the line that add up to it (a deposit of several payments). Best first: the score weighs the date and the words the statement's description and payee share with the entry's memo, reference and contact; a group scores at most 80. At most five; `POST .../match` takes the `line_id`s of one.",
    params(("id" = String, Path, description = "Bank transaction id")),
    responses((status = 200, body = Vec<Suggestion>), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_transactions:read"])))]
pub(crate) async fn suggestions(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<Vec<Suggestion>>, ApiError> {
    Ok(Json(
        s.services
            .suggest_matches(&ctx, &id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/bank_transactions/{id}/match", tag = "bank_transactions",
    summary = "Match a line to what the books hold",
    description = "Links an unreviewed line to one or several posted lines of its account (a deposit of three payments names three) whose amounts add up to it; posts nothing. A ledger line explains one statement line at most; one of another account, or already explaining another, is refused naming it. Emits `bank_transaction.updated`.",
    params(("id" = String, Path, description = "Bank transaction id")),
    request_body = MatchInput,
    responses((status = 200, body = BankTransactionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_transactions:write"])))]
pub(crate) async fn match_lines(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<MatchInput>,
) -> Result<Json<BankTransactionView>, ApiError> {
    Ok(Json(
        s.services
            .match_bank_transaction(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/bank_transactions/{id}/unmatch", tag = "bank_transactions",
    summary = "Take a match back",
    description = "A matched line is unreviewed again; nothing posts. Emits `bank_transaction.updated`.",
    params(("id" = String, Path, description = "Bank transaction id")),
    responses((status = 200, body = BankTransactionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_transactions:write"])))]
pub(crate) async fn unmatch(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BankTransactionView>, ApiError> {
    Ok(Json(
        s.services.unmatch_bank_transaction(&ctx, &id).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/bank_transactions/{id}/categorize", tag = "bank_transactions",
    summary = "Explain a line by an entry or a document of its own",
    description = "Posts, on the line's date, the bank against the accounts given: money in credits them, money out debits them, split as given (the amounts add up to the line; a single line may leave its amount out). Accounts are active, in the base currency and not the bank's own; a line of a foreign-currency account needs `exchange_rate`.\n\nWith a `contact_id` or a line's `tax_id`, the line becomes a document paid on the spot instead, amounts including their tax: money out of a bank or cash account a bank payment (`/api/v1/bank_payments`, vendor optional), money in a sales receipt (its customer required), on a card a credit-card charge or credit. Each tax is taken out of its line's amount and claimed (money out) or owed (money in) as the document engine posts it (GST, VAT, US sales tax in cost). Uncategorizing voids that document. Emits `bank_transaction.updated` (and the document's `created`, `voided`).",
    params(("id" = String, Path, description = "Bank transaction id")),
    request_body = CategorizeInput,
    responses((status = 200, body = BankTransactionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_transactions:write"])))]
pub(crate) async fn categorize(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CategorizeInput>,
) -> Result<Json<BankTransactionView>, ApiError> {
    Ok(Json(
        s.services
            .categorize_bank_transaction(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/bank_transactions/{id}/uncategorize", tag = "bank_transactions",
    summary = "Take a categorization back",
    description = "Voids the categorization's entry by its exact mirror; the line is unreviewed again. Emits `bank_transaction.updated`.",
    params(("id" = String, Path, description = "Bank transaction id")),
    responses((status = 200, body = BankTransactionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_transactions:write"])))]
pub(crate) async fn uncategorize(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BankTransactionView>, ApiError> {
    Ok(Json(
        s.services
            .uncategorize_bank_transaction(&ctx, &id)
            .await?
            .into(),
    ))
}
