//! `/api/v1/subscriptions`: customers invoiced every period from a plan.

use crate::views::subscriptions::{NewSubscription, Resume, SubscriptionView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_domain::subscription::SubscriptionAction;
use ferrobooks_service::AuthContext;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::extract::{ApiJson, ApiQuery, OptionalJson};
use ferrobooks_edge::pagination::page_args;
use ferrobooks_edge::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show))
        .routes(routes!(pause))
        .routes(routes!(resume))
        .routes(routes!(cancel))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only subscriptions in this status.
    #[param(schema_with = crate::openapi::subscription_statuses)]
    status: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/subscriptions", tag = "subscriptions",
    summary = "List subscriptions",
    params(ListParams),
    responses((status = 200, body = List<SubscriptionView>), CommonErrors),
    security(("bearer" = ["subscriptions:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<SubscriptionView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_subscriptions(&ctx, p.status.as_deref(), after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/subscriptions", tag = "subscriptions",
    summary = "Start a subscription",
    description = "Invoices the customer from the plan on the start date and every interval after it (a month clamped to a shorter month's end), until `end_date` or `count` invoices. The plan is checked as an invoice would be (customer, products, accounts, taxes: a bad one is 400 and nothing is kept). Invoices already due are issued at once; the job issues the rest every fifteen minutes, each period once however many nodes run and every period missed while none ran. Each invoice emits the usual `invoice.*` events. Emits `subscription.activated`, and `subscription.expired` after the last invoice.",
    request_body = NewSubscription,
    responses((status = 201, body = SubscriptionView), CommonErrors),
    security(("bearer" = ["subscriptions:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewSubscription>,
) -> Result<(StatusCode, Json<SubscriptionView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_subscription(&ctx, input.into())
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/subscriptions/{id}", tag = "subscriptions",
    summary = "Read a subscription",
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, body = SubscriptionView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["subscriptions:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<SubscriptionView>, ApiError> {
    Ok(Json(s.services.get_subscription(&ctx, &id).await?.into()))
}

async fn change(
    s: AppState,
    ctx: AuthContext,
    id: String,
    action: SubscriptionAction,
    resume: Resume,
) -> Result<Json<SubscriptionView>, ApiError> {
    Ok(Json(
        s.services
            .change_subscription(&ctx, &id, action, resume.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/pause", tag = "subscriptions",
    summary = "Pause an active subscription",
    description = "No invoice is issued while paused; the periods that fall in the pause are skipped. A subscription not active is 409.",
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, body = SubscriptionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["subscriptions:write"])))]
pub(crate) async fn pause(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<SubscriptionView>, ApiError> {
    change(s, ctx, id, SubscriptionAction::Pause, Resume::default()).await
}

#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/resume", tag = "subscriptions",
    summary = "Resume a paused subscription",
    description = "Invoicing goes on from the first period on or after `date` (default today). A subscription not paused is 409. Emits `subscription.activated`.",
    params(("id" = String, Path, description = "Subscription id")),
    request_body(content = Resume, description = "Optional"),
    responses((status = 200, body = SubscriptionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["subscriptions:write"])))]
pub(crate) async fn resume(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<Resume>,
) -> Result<Json<SubscriptionView>, ApiError> {
    change(s, ctx, id, SubscriptionAction::Resume, req).await
}

#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/cancel", tag = "subscriptions",
    summary = "Cancel a subscription",
    description = "No more invoices; those issued stay. A cancelled or expired subscription is 409. Emits `subscription.cancelled`.",
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, body = SubscriptionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["subscriptions:write"])))]
pub(crate) async fn cancel(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<SubscriptionView>, ApiError> {
    change(s, ctx, id, SubscriptionAction::Cancel, Resume::default()).await
}
