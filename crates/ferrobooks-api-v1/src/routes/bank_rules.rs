//! `/api/v1/bank_rules`: what to do with imported statement lines.

use crate::views::bank_rules::{BankRuleInput, BankRuleView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
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

#[utoipa::path(get, path = "/api/v1/bank_rules", tag = "bank_rules",
    summary = "List bank rules",
    params(ListParams),
    responses((status = 200, body = List<BankRuleView>), CommonErrors),
    security(("bearer" = ["bank_rules:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<BankRuleView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_bank_rules(&ctx, after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/bank_rules", tag = "bank_rules",
    summary = "Create a bank rule",
    description = "Conditions (every one given must hold; at least one): text in the description or payee (any case), direction, amount bounds without sign. On import, each new line gets the first active rule that holds, lowest `priority` first, of its account or of every account: `categorize` posts it to `account_id` as `/categorize` would (lines of a foreign-currency account are only marked: categorizing them needs a rate), `mark` records the rule on the line only. The line's `rule_id` says which applied.",
    request_body = BankRuleInput,
    responses((status = 201, body = BankRuleView), CommonErrors),
    security(("bearer" = ["bank_rules:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<BankRuleInput>,
) -> Result<(StatusCode, Json<BankRuleView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_bank_rule(&ctx, input.into())
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/bank_rules/{id}", tag = "bank_rules",
    summary = "Read a bank rule",
    params(("id" = String, Path, description = "Bank rule id")),
    responses((status = 200, body = BankRuleView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_rules:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<BankRuleView>, ApiError> {
    Ok(Json(s.services.get_bank_rule(&ctx, &id).await?.into()))
}

#[utoipa::path(method(put, patch), path = "/api/v1/bank_rules/{id}", tag = "bank_rules",
    summary = "Replace a bank rule (PATCH takes the same body)",
    description = "The whole rule, as on create. Lines imported before keep what was done to them.",
    params(("id" = String, Path, description = "Bank rule id")),
    request_body = BankRuleInput,
    responses((status = 200, body = BankRuleView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_rules:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<BankRuleInput>,
) -> Result<Json<BankRuleView>, ApiError> {
    Ok(Json(
        s.services
            .update_bank_rule(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/bank_rules/{id}", tag = "bank_rules",
    summary = "Delete a bank rule",
    description = "A deleted rule answers 404 and applies to no later import.",
    params(("id" = String, Path, description = "Bank rule id")),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["bank_rules:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_bank_rule(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
