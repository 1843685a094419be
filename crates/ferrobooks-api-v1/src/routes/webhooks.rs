//! `/api/v1/webhooks`: register endpoints, send a test event, read the
//! delivery log.

use crate::views::webhooks::{CreatedWebhook, DeliveryView, NewWebhook, WebhookView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::{AuthContext, Code};
use serde::{Deserialize, Serialize};

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
        .routes(routes!(show, delete))
        .routes(routes!(test))
        .routes(routes!(redeliver))
        .routes(routes!(deliveries))
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

#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    summary = "List webhook endpoints (never their secrets)",
    params(ListParams),
    responses((status = 200, body = List<WebhookView>), CommonErrors),
    security(("bearer" = ["webhooks:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<WebhookView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_webhooks(&ctx, after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks",
    summary = "Register an endpoint; its secret is in this answer only",
    description = "Deliveries POST `{\"id\", \"event\", \"data\", \"timestamp\"}` (payload version 1, sent as `X-Ferrobooks-Payload-Version: 1`: `data` is the resource as the event's change left it, in the fields of this API's views of it; a change to that contract comes as a new version) with `X-SyncBooks-Signature: sha256=<hex HMAC-SHA256(secret, body)>` and the Standard Webhooks headers `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256(base64-decoded secret after whsec_, id.timestamp.body)>`. Any 2xx within the timeout (10 s) is success; 410 disables the endpoint; failures are retried after 1m, 5m, 30m, 2h and 8h. `id` is the event's: receivers deduplicate on it. Loopback, private, link-local and metadata targets are refused. Never replayed by Idempotency-Key.",
    request_body = NewWebhook,
    responses((status = 201, body = CreatedWebhook), CommonErrors),
    security(("bearer" = ["webhooks:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewWebhook>,
) -> Result<(StatusCode, Json<CreatedWebhook>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_webhook(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    summary = "Read an endpoint",
    params(("id" = String, Path, description = "Webhook id")),
    responses((status = 200, body = WebhookView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["webhooks:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<WebhookView>, ApiError> {
    Ok(Json(s.services.get_webhook(&ctx, &id).await?.into()))
}

#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    summary = "Delete an endpoint; its pending deliveries are dropped",
    params(("id" = String, Path, description = "Webhook id")),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["webhooks:write"])))]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.services.delete_webhook(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks",
    summary = "Send the `test` event to this endpoint",
    params(("id" = String, Path, description = "Webhook id")),
    responses((status = 202, body = WebhookView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["webhooks:write"])))]
pub(crate) async fn test(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<WebhookView>), ApiError> {
    Ok((
        StatusCode::ACCEPTED,
        Json(s.services.test_webhook(&ctx, &id).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    summary = "The delivery log of an endpoint, oldest first",
    params(("id" = String, Path, description = "Webhook id"), ListParams),
    responses((status = 200, body = List<DeliveryView>), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["webhooks:read"])))]
pub(crate) async fn deliveries(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<DeliveryView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_deliveries(&ctx, &id, after.as_deref(), limit)
            .await?,
    ))
}

/// Which events to deliver again.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from_sequence": 120}))]
pub(crate) struct RedeliverBody {
    /// The first event number (`sequence` in `GET /api/v1/events`) to
    /// deliver again; every later event the endpoint subscribes to follows.
    /// (`120` or `120.0`: JSON Schema's integer takes both.)
    #[schema(value_type = i64, required = true, minimum = 1, maximum = 1_000_000_000_000_000_000_i64)]
    #[serde(deserialize_with = "ferrobooks_service::amount::opt_whole_number")]
    from_sequence: Option<i64>,
}

/// A redelivery queued.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct RedeliveryView {
    webhook_id: String,
    from_sequence: i64,
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/redeliver", tag = "webhooks",
    summary = "Deliver this endpoint's events again, from a sequence number on",
    description = "Queues a delivery of every kept event the endpoint subscribes to, from `from_sequence` on, in sequence order; they are sent like any delivery (signed, retried). Receivers deduplicate on the event id. A disabled endpoint (it answered 410) is refused with 409.",
    params(("id" = String, Path, description = "Webhook id")),
    request_body = RedeliverBody,
    responses((status = 202, body = RedeliveryView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["webhooks:write"])))]
pub(crate) async fn redeliver(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RedeliverBody>,
) -> Result<(StatusCode, Json<RedeliveryView>), ApiError> {
    let from = body.from_sequence.ok_or_else(|| {
        ApiError::new(Code::ValidationFailed, "from_sequence is required")
            .with_detail("from_sequence", "is required")
    })?;
    let r = s.services.redeliver(&ctx, &id, from).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(RedeliveryView {
            webhook_id: r.endpoint_id,
            from_sequence: r.from_sequence,
        }),
    ))
}
