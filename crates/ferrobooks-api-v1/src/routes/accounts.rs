//! `/api/v1/accounts`: the chart of accounts.

use crate::views::accounts::{AccountUpdate, AccountView, NewAccount};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use ferrobooks_service::accounts::AccountQuery;
use serde::Deserialize;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::{ApiJson, ApiQuery};
use ferrobooks_edge::pagination::page_args;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(archive))
        .routes(routes!(unarchive))
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
    #[serde(rename = "type")]
    /// Only accounts of this type (asset, liability, equity, income, expense).
    #[param(schema_with = crate::openapi::account_types)]
    account_type: Option<String>,
    /// Only accounts of this subtype.
    subtype: Option<String>,
    /// true: only active accounts; false: only archived ones.
    active: Option<bool>,
    /// Case-insensitive text to find (name or code; memo, reference or number).
    search: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts",
    summary = "List accounts with their balances",
    params(ListParams),
    responses((status = 200, body = List<AccountView>), CommonErrors),
    security(("bearer" = ["accounts:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<AccountView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    let page = s
        .services
        .list_accounts(
            &ctx,
            &AccountQuery {
                after,
                limit,
                account_type: p.account_type,
                subtype: p.subtype,
                active: p.active,
                search: p.search,
            },
        )
        .await?;
    Ok(list_envelope(page))
}

#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts",
    summary = "Create an account",
    description = "`subtype` defaults to the first subtype of the type; `currency` to the base currency. Emits `account.created`.",
    request_body = NewAccount,
    responses((status = 201, body = AccountView), CommonErrors),
    security(("bearer" = ["accounts:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<AccountView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_account(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts",
    summary = "Read an account",
    params(("id" = String, Path, description = "Account id")),
    responses((status = 200, body = AccountView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["accounts:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(s.services.get_account(&ctx, &id).await?.into()))
}

#[utoipa::path(method(put, patch), path = "/api/v1/accounts/{id}", tag = "accounts",
    summary = "Change an account (PATCH takes the same body)",
    description = "Absent fields stay. `type` may change only while no journal line names the account, and never on system accounts (409). Emits `account.updated`.",
    params(("id" = String, Path, description = "Account id")),
    request_body = AccountUpdate,
    responses((status = 200, body = AccountView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["accounts:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AccountUpdate>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(
        s.services
            .update_account(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/accounts/{id}/archive", tag = "accounts",
    summary = "Archive an account: it keeps its history and takes no new postings",
    params(("id" = String, Path, description = "Account id")),
    responses((status = 200, body = AccountView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["accounts:write"])))]
pub(crate) async fn archive(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(
        s.services
            .set_account_active(&ctx, &id, false)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/accounts/{id}/unarchive", tag = "accounts",
    summary = "Restore an archived account",
    params(("id" = String, Path, description = "Account id")),
    responses((status = 200, body = AccountView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["accounts:write"])))]
pub(crate) async fn unarchive(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(
        s.services.set_account_active(&ctx, &id, true).await?.into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/accounts/{id}", tag = "accounts",
    summary = "Delete an account nothing was ever written to",
    description = "An account with journal lines, or a system account, cannot be deleted (409): archive it. A deleted account answers 404. Emits `account.deleted`.",
    params(("id" = String, Path, description = "Account id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["accounts:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_account(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
