//! The event feed: the outbox, readable by sequence number, so an
//! integrator who missed webhooks (or never registered one) catches up.
//!
//! Read models only: the native API shapes them at its edge.

use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// The largest sequence number the API takes (far beyond any organization's
/// events; the OpenAPI document states it as the parameters' maximum).
pub const MAX_SEQUENCE: i64 = 1_000_000_000_000_000_000;

/// One event of an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    /// Its number in the organization's sequence: increasing in the order
    /// events became visible (gaps are possible).
    pub sequence: i64,
    pub event_type: String,
    /// The event's data, JSON exactly as stored (and as webhooks send it).
    pub payload: String,
    pub created_at: String,
}

/// A page of the feed.
#[derive(Debug, Clone)]
pub struct EventPage {
    pub events: Vec<Event>,
    pub has_more: bool,
    /// What to ask after next time: the last event's number, or the number
    /// asked after when the page is empty.
    pub last_sequence: i64,
}

impl Services {
    /// The events after number `after` (0: from the oldest kept), of the
    /// given types (all when none), oldest first.
    pub async fn list_events(
        &self,
        ctx: &AuthContext,
        after: u64,
        types: &[String],
        limit: i64,
    ) -> ServiceResult<EventPage> {
        let after = i64::try_from(after)
            .ok()
            .filter(|a| *a <= MAX_SEQUENCE)
            .ok_or_else(|| {
                ServiceError::invalid("after", format!("must be at most {MAX_SEQUENCE}"))
            })?;
        for t in types {
            if !crate::webhooks::EVENTS.contains(&t.as_str()) {
                return Err(ServiceError::invalid(
                    "types",
                    format!("'{t}' is not an event type"),
                ));
            }
        }
        let mut conn = self.store.read_conn().await?;
        let mut rows =
            ferrobooks_store::outbox::feed(&mut conn, ctx.org_id(), after, types, limit + 1)
                .await?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(EventPage {
            last_sequence: rows.last().map_or(after, |r| r.sequence),
            has_more,
            events: rows
                .into_iter()
                .map(|r| Event {
                    id: r.id,
                    sequence: r.sequence,
                    event_type: r.event_type,
                    payload: r.payload,
                    created_at: r.created_at,
                })
                .collect(),
        })
    }
}
