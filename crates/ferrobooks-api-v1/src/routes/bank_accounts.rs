//! `/api/v1/bank_accounts`: bank, cash and card accounts, and the
//! statements imported into them.

use crate::views::banking::{
    BankAccountUpdate, BankAccountView, NewBankAccount, StatementImportView, StatementUpload,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use ferrobooks_service::banking::statements as svc;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::extract::{ApiJson, ApiMultipart, ApiQuery};
use ferrobooks_edge::pagination::page_args;
use ferrobooks_edge::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update))
        .routes(routes!(import_statement))
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
}

#[utoipa::path(get, path = "/api/v1/bank_accounts", tag = "bank_accounts",
    summary = "List bank, cash and credit-card accounts",
    description = "Every account of the chart with subtype bank, cash or credit_card, with its balance in its own currency and in base, and how many statement lines wait for review.",
    params(ListParams),
    responses((status = 200, body = List<BankAccountView>), CommonErrors),
    security(("bearer" = ["bank_accounts:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<BankAccountView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_bank_accounts(&ctx, after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/bank_accounts", tag = "bank_accounts",
    summary = "Open a bank, cash or credit-card account",
    description = "Makes the ledger account (asset/bank or cash, liability/credit_card; code the next free from 1201, or 2151 for a card, unless given) in the given currency, and posts the opening balance on `opening_date` against Opening Balance Equity (3100), at `opening_exchange_rate` for a foreign currency. Only the last four characters of `account_number` are kept. Emits `account.created`.",
    request_body = NewBankAccount,
    responses((status = 201, body = BankAccountView), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewBankAccount>,
) -> Result<(StatusCode, Json<BankAccountView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_bank_account(&ctx, input.into())
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/bank_accounts/{id}", tag = "bank_accounts",
    summary = "Read a bank account",
    params(("id" = String, Path, description = "The account's id")),
    responses((status = 200, body = BankAccountView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BankAccountView>, ApiError> {
    Ok(Json(s.services.get_bank_account(&ctx, &id).await?.into()))
}

#[utoipa::path(method(put, patch), path = "/api/v1/bank_accounts/{id}", tag = "bank_accounts",
    summary = "Rename a bank account or change its bank details (PATCH takes the same body)",
    description = "Absent fields stay. The currency, type and opening balance do not change once opened.",
    params(("id" = String, Path, description = "The account's id")),
    request_body = BankAccountUpdate,
    responses((status = 200, body = BankAccountView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<BankAccountUpdate>,
) -> Result<Json<BankAccountView>, ApiError> {
    Ok(Json(
        s.services
            .update_bank_account(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/bank_accounts/{id}/statements", tag = "bank_accounts",
    summary = "Import a bank statement",
    description = "A `multipart/form-data` upload: `file`, and `format` (csv, ofx, camt053, mt940; OFX 1.x and 2.x, CAMT.053 and MT940 are recognized without it) with, for CSV, `mapping` (JSON naming the header's columns). Each line becomes an unreviewed bank transaction; a line the account already has (the bank's transaction id, else its date, amount, description and occurrence on the statement) is counted as a duplicate, so importing the same or an overlapping statement twice adds nothing, while two identical lines of one statement are both kept. A line that cannot be read is refused with its row and reason; the rest are imported. A statement in another currency than the account is refused. An upload may be as large as the server's upload limit (52 MiB unless configured), not the 1 MiB of other bodies; larger is 413. Emits `bank_transaction.created` per new line.",
    params(("id" = String, Path, description = "The bank account's id")),
    request_body(content = StatementUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = StatementImportView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_accounts:write"])))]
pub(crate) async fn import_statement(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    form: Result<ApiMultipart, ApiError>,
) -> Result<(StatusCode, Json<StatementImportView>), ApiError> {
    // An unknown account is 404 whatever the body.
    s.services.get_bank_account(&ctx, &id).await?;
    let form = form?;
    let file = form.part("file");
    let upload = svc::StatementUpload {
        bytes: file.map(|f| f.bytes.to_vec()).unwrap_or_default(),
        filename: file.and_then(|f| f.filename.clone()),
        format: form.text("format")?,
        mapping: form.text("mapping")?,
    };
    Ok((
        StatusCode::CREATED,
        Json(s.services.import_statement(&ctx, &id, upload).await?.into()),
    ))
}
