//! `/api/v1/events`: the event feed, for integrators who poll instead of
//! (or besides) receiving webhooks.

use axum::extract::State;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use ferrobooks_service::events::{Event, EventPage};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::CommonErrors;
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::extract::ApiQuery;
use ferrobooks_edge::pagination::page_args;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct FeedParams {
    /// Events after this sequence number: the `next_cursor` of the last
    /// page read (0, the default, starts from the oldest event kept).
    #[param(minimum = 0, maximum = 1_000_000_000_000_000_000_i64, example = 0)]
    after: Option<u64>,
    /// Comma-separated event types (`invoice.paid,payment.created`); all
    /// when absent.
    types: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
}

/// An event as the feed shows it: a webhook delivery's body plus its number.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct EventView {
    /// The event id (as in `webhook-id`): deduplicate on it.
    #[schema(example = "evt_01j9zq3m4k8d7n2b5c6v0x1y2z")]
    id: String,
    /// The event's number in this organization's sequence: increasing, in
    /// the order events became visible (numbers can be skipped).
    #[schema(example = 42)]
    sequence: i64,
    #[schema(example = "invoice.paid")]
    event: String,
    /// The event's data, as its webhook sends it.
    #[schema(value_type = Object)]
    data: Box<RawValue>,
    /// When the event happened (RFC 3339 UTC).
    #[schema(example = "2026-12-01T09:30:00.000000Z")]
    timestamp: String,
}

/// A page of the feed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct EventFeed {
    data: Vec<EventView>,
    /// More events follow: ask again at once with `after=next_cursor`.
    has_more: bool,
    /// The sequence number to pass as `after` next time: the last event's,
    /// or the `after` given when there was none. Always present, so a
    /// poller keeps its place.
    #[schema(example = "42")]
    next_cursor: String,
}

fn view(e: Event) -> Result<EventView, ApiError> {
    let data = RawValue::from_string(e.payload)
        .map_err(|err| ApiError::from(ferrobooks_service::ServiceError::internal(err)))?;
    Ok(EventView {
        id: e.id,
        sequence: e.sequence,
        event: e.event_type,
        data,
        timestamp: e.created_at,
    })
}

#[utoipa::path(get, path = "/api/v1/events", tag = "events",
    summary = "The organization's events in sequence order, from a sequence number on",
    description = "The transactional outbox as a feed: every event a webhook could receive, each with its number in the organization's sequence, kept for the webhook retention (30 days by default). Poll with `after` set to the last `next_cursor`; a reader that does never misses an event. On PostgreSQL an event is numbered, and appears here, once a delivery pass has run after its commit (normally within a moment).",
    params(FeedParams),
    responses((status = 200, body = EventFeed), CommonErrors),
    security(("bearer" = ["events:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<FeedParams>,
) -> Result<Json<EventFeed>, ApiError> {
    let (limit, _) = page_args(p.limit, None)?;
    let types: Vec<String> = p
        .types
        .as_deref()
        .map(|t| {
            t.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let EventPage {
        events,
        has_more,
        last_sequence,
    } = s
        .services
        .list_events(&ctx, p.after.unwrap_or(0), &types, limit)
        .await?;
    Ok(Json(EventFeed {
        data: events.into_iter().map(view).collect::<Result<_, _>>()?,
        has_more,
        next_cursor: last_sequence.to_string(),
    }))
}
