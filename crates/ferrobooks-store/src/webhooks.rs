//! Webhook endpoints, the fan-out of outbox events into deliveries, and the
//! claiming of due deliveries.

use sqlx::{Any, Executor, FromRow};

use crate::sql::{Arg, Insert};
use crate::{OrgId, Store, StoreError, new_id, now, sql};

#[derive(Debug, Clone, FromRow)]
pub struct EndpointRow {
    pub id: String,
    pub organization_id: OrgId,
    pub url: String,
    /// JSON array of event names, or `["*"]`.
    pub events: String,
    pub description: Option<String>,
    pub secret: String,
    pub active: i64,
    pub disabled_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct DeliveryRow {
    pub id: String,
    pub organization_id: OrgId,
    pub endpoint_id: String,
    pub event_id: String,
    pub event_type: String,
    /// The exact JSON body sent (and signed).
    pub body: String,
    /// pending, succeeded or failed.
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub lease_until: i64,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

const ENDPOINT_COLS: &str = "id, organization_id, url, events, description, secret, active, \
    disabled_reason, created_at, updated_at";
const DELIVERY_COLS: &str = "id, organization_id, endpoint_id, event_id, event_type, body, \
    status, attempts, next_attempt_at, lease_until, last_status_code, last_error, created_at, \
    delivered_at";

pub async fn insert_endpoint(store: &Store, e: &EndpointRow) -> Result<(), StoreError> {
    // First: events committed from here on wait for fan-out.
    crate::outbox::note_webhook_org(&e.organization_id);
    let _guard = store.write_guard().await;
    sqlx::query(&format!(
        "INSERT INTO webhook_endpoints ({ENDPOINT_COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
    ))
    .bind(&e.id)
    .bind(&e.organization_id)
    .bind(&e.url)
    .bind(&e.events)
    .bind(&e.description)
    .bind(&e.secret)
    .bind(e.active)
    .bind(&e.disabled_reason)
    .bind(&e.created_at)
    .bind(&e.updated_at)
    .execute(store.pool())
    .await?;
    Ok(())
}

pub async fn list_endpoints<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    after: &str,
    limit: i64,
) -> Result<Vec<EndpointRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ENDPOINT_COLS} FROM webhook_endpoints WHERE organization_id = $1 \
         AND deleted_at IS NULL AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(org)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

pub async fn get_endpoint<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<EndpointRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ENDPOINT_COLS} FROM webhook_endpoints WHERE organization_id = $1 AND id = $2 \
         AND deleted_at IS NULL"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// Soft-deletes an endpoint; its pending deliveries are dropped.
pub async fn delete_endpoint(store: &Store, org: &OrgId, id: &str) -> Result<bool, StoreError> {
    let mut wtx = store.begin_write().await?;
    let r = sqlx::query(
        "UPDATE webhook_endpoints SET deleted_at = $3, active = 0, updated_at = $3 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(now())
    .execute(&mut *wtx.tx)
    .await?;
    sqlx::query(
        "UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint deleted' \
         WHERE endpoint_id = $1 AND status = 'pending'",
    )
    .bind(id)
    .execute(&mut *wtx.tx)
    .await?;
    wtx.commit().await?;
    Ok(r.rows_affected() == 1)
}

pub async fn endpoint_by_id<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
) -> Result<Option<EndpointRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ENDPOINT_COLS} FROM webhook_endpoints WHERE id = $1 AND deleted_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// A delivery to make, as the fan-out or a test event builds it.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub organization_id: OrgId,
    pub endpoint_id: String,
    pub event_id: String,
    pub event_type: String,
    pub body: String,
}

fn delivery_insert() -> Insert {
    Insert::new(
        "webhook_deliveries",
        &[
            "id",
            "organization_id",
            "endpoint_id",
            "event_id",
            "event_type",
            "body",
            "status",
            "attempts",
            "next_attempt_at",
            "lease_until",
            "created_at",
        ],
    )
}

fn add_delivery(ins: &mut Insert, d: NewDelivery, now_unix: i64, at: &str) {
    ins.row(vec![
        Arg::Text(new_id("dlv")),
        (&d.organization_id).into(),
        Arg::Text(d.endpoint_id),
        Arg::Text(d.event_id),
        Arg::Text(d.event_type),
        Arg::Text(d.body),
        "pending".into(),
        0i64.into(),
        now_unix.into(),
        0i64.into(),
        at.into(),
    ]);
}

pub async fn insert_delivery(
    store: &Store,
    d: NewDelivery,
    now_unix: i64,
) -> Result<(), StoreError> {
    let mut wtx = store.begin_write().await?;
    let mut ins = delivery_insert();
    add_delivery(&mut ins, d, now_unix, &now());
    sql::run_inserts(&mut wtx.tx, vec![ins]).await?;
    wtx.commit().await
}

/// An outbox event waiting for fan-out.
#[derive(Debug, Clone, FromRow)]
pub struct PendingEvent {
    pub id: String,
    pub organization_id: OrgId,
    pub event_type: String,
    pub payload: String,
    pub created_at: String,
    /// Its number in the organization's event sequence; none yet on
    /// PostgreSQL (numbered here, see [`crate::outbox`]).
    pub sequence: Option<i64>,
}

/// Fans up to `limit` undispatched events out into deliveries for the
/// endpoints subscribed to them, and marks the events dispatched, in one
/// transaction. `body` builds a delivery's body from its event. On
/// PostgreSQL the events are locked with `FOR UPDATE SKIP LOCKED`, so
/// several nodes split the work; on SQLite the write lock serializes it.
pub async fn dispatch(
    store: &Store,
    limit: i64,
    now_unix: i64,
    body: impl Fn(&PendingEvent) -> String,
) -> Result<usize, StoreError> {
    let mut wtx = store.begin_write().await?;
    let lock = sql::lock(store.backend(), sql::Lock::UpdateSkipLocked);
    let events: Vec<PendingEvent> = sqlx::query_as(&format!(
        "SELECT id, organization_id, event_type, payload, created_at, sequence FROM outbox_events \
         WHERE dispatched_at IS NULL ORDER BY id LIMIT $1{lock}"
    ))
    .bind(limit)
    .fetch_all(&mut *wtx.tx)
    .await?;
    if events.is_empty() {
        return Ok(0);
    }
    let mut orgs: Vec<&str> = events.iter().map(|e| e.organization_id.as_str()).collect();
    orgs.sort_unstable();
    orgs.dedup();
    let mut endpoints: Vec<EndpointRow> = Vec::new();
    for chunk in orgs.chunks(500) {
        let q = format!(
            "SELECT {ENDPOINT_COLS} FROM webhook_endpoints WHERE active = 1 \
             AND deleted_at IS NULL AND organization_id IN ({})",
            sql::list(1, chunk.len())
        );
        let mut query = sqlx::query_as(&q);
        for o in chunk {
            query = query.bind(*o);
        }
        endpoints.extend(query.fetch_all(&mut *wtx.tx).await?);
    }
    let at = now();
    let mut ins = delivery_insert();
    for ev in &events {
        for ep in endpoints
            .iter()
            .filter(|ep| ep.organization_id == ev.organization_id)
        {
            if wants(&subscriptions(ep), &ev.event_type) {
                add_delivery(
                    &mut ins,
                    NewDelivery {
                        organization_id: ev.organization_id.clone(),
                        endpoint_id: ep.id.clone(),
                        event_id: ev.id.clone(),
                        event_type: ev.event_type.clone(),
                        body: body(ev),
                    },
                    now_unix,
                    &at,
                );
            }
        }
    }
    sql::run_inserts(&mut wtx.tx, vec![ins]).await?;
    mark_dispatched(&mut wtx.tx, &events, &at).await?;
    wtx.commit().await?;
    Ok(events.len())
}

/// The event names an endpoint subscribes to (`*`: all).
fn subscriptions(ep: &EndpointRow) -> Vec<String> {
    serde_json::from_str(&ep.events).unwrap_or_default()
}

/// Whether subscriptions take an event of `event_type`.
fn wants(subscriptions: &[String], event_type: &str) -> bool {
    subscriptions.iter().any(|w| w == "*" || w == event_type)
}

/// Queues, for `endpoint`, a delivery of each numbered event of its
/// organization from number `from` on that it subscribes to, up to `limit`
/// events, in one transaction; the number to go on from when more remain.
/// `body` builds a delivery's body from its event.
pub async fn redeliver_batch(
    store: &Store,
    endpoint: &EndpointRow,
    from: i64,
    limit: i64,
    now_unix: i64,
    body: impl Fn(&crate::outbox::FeedRow) -> String,
) -> Result<Option<i64>, StoreError> {
    let mut wtx = store.begin_write().await?;
    let events =
        crate::outbox::feed(&mut wtx.tx, &endpoint.organization_id, from - 1, &[], limit).await?;
    let wanted = subscriptions(endpoint);
    let at = now();
    let mut ins = delivery_insert();
    for ev in &events {
        if wants(&wanted, &ev.event_type) {
            add_delivery(
                &mut ins,
                NewDelivery {
                    organization_id: endpoint.organization_id.clone(),
                    endpoint_id: endpoint.id.clone(),
                    event_id: ev.id.clone(),
                    event_type: ev.event_type.clone(),
                    body: body(ev),
                },
                now_unix,
                &at,
            );
        }
    }
    sql::run_inserts(&mut wtx.tx, vec![ins]).await?;
    wtx.commit().await?;
    Ok(match events.last() {
        Some(last) if events.len() as i64 == limit => Some(last.sequence + 1),
        _ => None,
    })
}

/// Marks the events dispatched at `at`, numbering those without a number.
async fn mark_dispatched(
    conn: &mut sqlx::AnyConnection,
    events: &[PendingEvent],
    at: &str,
) -> Result<(), StoreError> {
    let keys: Vec<(&str, &str, Option<i64>)> = events
        .iter()
        .map(|e| (e.id.as_str(), e.organization_id.as_str(), e.sequence))
        .collect();
    if keys.iter().all(|(_, _, n)| n.is_some()) {
        for chunk in events.chunks(500) {
            let q = format!(
                "UPDATE outbox_events SET dispatched_at = $1 WHERE id IN ({})",
                sql::list(2, chunk.len())
            );
            let mut query = sqlx::query(&q).bind(at);
            for e in chunk {
                query = query.bind(&e.id);
            }
            query.execute(&mut *conn).await?;
        }
        return Ok(());
    }
    // Unnumbered events exist on PostgreSQL only, so this statement
    // (a VALUES list with column names) is PostgreSQL's.
    let numbers = crate::outbox::sequence_pending(conn, &keys).await?;
    for (chunk, nums) in events.chunks(500).zip(numbers.chunks(500)) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}::BIGINT)", 2 + 2 * i, 3 + 2 * i))
            .collect();
        let q = format!(
            "UPDATE outbox_events AS o SET dispatched_at = $1, sequence = v.n \
             FROM (VALUES {}) AS v(id, n) WHERE o.id = v.id",
            values.join(", ")
        );
        let mut query = sqlx::query(&q).bind(at);
        for (e, n) in chunk.iter().zip(nums) {
            query = query.bind(&e.id).bind(*n);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Claims up to `limit` due deliveries for `lease_secs`; a claim that is
/// not settled in time (the node died) is claimed again.
pub async fn claim_due(
    store: &Store,
    now_unix: i64,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<DeliveryRow>, StoreError> {
    let _guard = store.write_guard().await;
    let lock = sql::lock(store.backend(), sql::Lock::UpdateSkipLocked);
    Ok(sqlx::query_as(&format!(
        "UPDATE webhook_deliveries SET lease_until = $1 WHERE id IN (\
           SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $2 \
           AND lease_until <= $2 ORDER BY next_attempt_at LIMIT $3{lock}) \
         RETURNING {DELIVERY_COLS}"
    ))
    .bind(now_unix + lease_secs)
    .bind(now_unix)
    .bind(limit)
    .fetch_all(store.pool())
    .await?)
}

/// The outcome of one attempt.
#[derive(Debug, Clone)]
pub struct Settlement {
    pub id: String,
    pub succeeded: bool,
    /// Some: retry then (unix seconds). None and not succeeded: give up.
    pub next_attempt_at: Option<i64>,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    /// Turn the endpoint off with this reason (it answered 410).
    pub disable_endpoint: Option<(String, String)>,
}

/// Records the outcomes of a round of attempts in one transaction: one
/// commit (one disk flush) however many deliveries the round held.
pub async fn settle_all(store: &Store, outcomes: &[Settlement]) -> Result<(), StoreError> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let mut wtx = store.begin_write().await?;
    let at = now();
    for o in outcomes {
        let status = match (o.succeeded, o.next_attempt_at) {
            (true, _) => "succeeded",
            (false, Some(_)) => "pending",
            (false, None) => "failed",
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, \
             next_attempt_at = COALESCE($3, next_attempt_at), lease_until = 0, \
             last_status_code = $4, last_error = $5, \
             delivered_at = CASE WHEN $2 = 'succeeded' THEN $6 ELSE delivered_at END \
             WHERE id = $1",
        )
        .bind(&o.id)
        .bind(status)
        .bind(o.next_attempt_at)
        .bind(o.status_code.map(i64::from))
        .bind(&o.error)
        .bind(&at)
        .execute(&mut *wtx.tx)
        .await?;
        if let Some((endpoint, reason)) = &o.disable_endpoint {
            sqlx::query(
                "UPDATE webhook_endpoints SET active = 0, disabled_reason = $2, updated_at = $3 \
                 WHERE id = $1",
            )
            .bind(endpoint)
            .bind(reason)
            .bind(&at)
            .execute(&mut *wtx.tx)
            .await?;
        }
    }
    wtx.commit().await
}

pub async fn list_deliveries<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    endpoint_id: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<DeliveryRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLS} FROM webhook_deliveries WHERE organization_id = $1 \
         AND endpoint_id = $2 AND id > $3 ORDER BY id LIMIT $4"
    ))
    .bind(org)
    .bind(endpoint_id)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// Events not yet fanned out: the outbox depth.
pub async fn outbox_depth(store: &Store) -> Result<i64, StoreError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbox_events WHERE dispatched_at IS NULL")
            .fetch_one(store.pool())
            .await?;
    Ok(n)
}

/// Deletes what is no longer needed: events fanned out before `before`
/// (RFC 3339) and settled deliveries created before it. Returns the rows
/// deleted.
pub async fn prune(store: &Store, before: &str) -> Result<u64, StoreError> {
    let mut wtx = store.begin_write().await?;
    crate::outbox::mark_sequences(&mut wtx.tx).await?;
    let events = sqlx::query(
        "DELETE FROM outbox_events WHERE dispatched_at IS NOT NULL AND dispatched_at < $1",
    )
    .bind(before)
    .execute(&mut *wtx.tx)
    .await?;
    let deliveries =
        sqlx::query("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1")
            .bind(before)
            .execute(&mut *wtx.tx)
            .await?;
    wtx.commit().await?;
    Ok(events.rows_affected() + deliveries.rows_affected())
}
