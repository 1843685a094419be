//! Idempotency keys: claim, complete in the effect's transaction, replay.

use sqlx::{AnyConnection, FromRow};

use crate::{Store, StoreError};

/// How long a first request may run before a retry may take over its key.
pub const LEASE_SECS: i64 = 60;
/// How long a response is kept for replay.
pub const KEEP_SECS: i64 = 24 * 3600;

/// Who holds a key: the organization, the key, and this request's lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub organization_id: String,
    pub key: String,
    pub lease: String,
}

/// What a new request with a key finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// This request runs, under the claim.
    Acquired(Claim),
    /// The first request finished: replay its answer.
    Replay { status: u16, response: String },
    /// The first request is still running.
    InFlight,
    /// The key was used for a different request.
    Mismatch,
}

#[derive(Debug, FromRow)]
struct Row {
    fingerprint: String,
    lease: String,
    locked_until: i64,
    status: Option<i64>,
    response: Option<String>,
    created_at: i64,
}

/// Claims `key` for a request with `fingerprint`, or says why not.
pub async fn claim(
    store: &Store,
    org: &str,
    key: &str,
    fingerprint: &str,
    lease: &str,
    now: i64,
) -> Result<Outcome, StoreError> {
    let acquired = || {
        Outcome::Acquired(Claim {
            organization_id: org.to_owned(),
            key: key.to_owned(),
            lease: lease.to_owned(),
        })
    };
    let guard = store.write_guard().await;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (organization_id, key, fingerprint, lease, locked_until, \
         status, response, created_at) VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6) \
         ON CONFLICT (organization_id, key) DO NOTHING",
    )
    .bind(org)
    .bind(key)
    .bind(fingerprint)
    .bind(lease)
    .bind(now + LEASE_SECS)
    .bind(now)
    .execute(store.pool())
    .await?;
    drop(guard);
    if inserted.rows_affected() == 1 {
        return Ok(acquired());
    }
    let Some(row): Option<Row> = sqlx::query_as(
        "SELECT fingerprint, lease, locked_until, status, response, created_at \
         FROM idempotency_keys WHERE organization_id = $1 AND key = $2",
    )
    .bind(org)
    .bind(key)
    .fetch_optional(store.pool())
    .await?
    else {
        // Swept between our insert and select: try once more.
        return Box::pin(claim(store, org, key, fingerprint, lease, now)).await;
    };
    let expired = row.created_at + KEEP_SECS < now;
    let abandoned = row.status.is_none() && row.locked_until < now;
    if expired || (abandoned && row.fingerprint == fingerprint) {
        // Take the key over, only if nobody else did first.
        let _guard = store.write_guard().await;
        let r = sqlx::query(
            "UPDATE idempotency_keys SET fingerprint = $3, lease = $4, locked_until = $5, \
             status = NULL, response = NULL, created_at = $6 \
             WHERE organization_id = $1 AND key = $2 AND lease = $7",
        )
        .bind(org)
        .bind(key)
        .bind(fingerprint)
        .bind(lease)
        .bind(now + LEASE_SECS)
        .bind(now)
        .bind(&row.lease)
        .execute(store.pool())
        .await?;
        return Ok(if r.rows_affected() == 1 {
            acquired()
        } else {
            Outcome::InFlight
        });
    }
    if row.fingerprint != fingerprint {
        return Ok(Outcome::Mismatch);
    }
    match (row.status, row.response) {
        (Some(status), Some(response)) => Ok(Outcome::Replay {
            status: u16::try_from(status).unwrap_or(500),
            response,
        }),
        _ => Ok(Outcome::InFlight),
    }
}

/// Stores the response under the claim. Called in the transaction of the
/// request's effect; false when the claim was lost (the caller must roll
/// back).
pub async fn complete(
    conn: &mut AnyConnection,
    claim: &Claim,
    status: u16,
    response: &str,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE idempotency_keys SET status = $4, response = $5 \
         WHERE organization_id = $1 AND key = $2 AND lease = $3 AND status IS NULL",
    )
    .bind(&claim.organization_id)
    .bind(&claim.key)
    .bind(&claim.lease)
    .bind(i64::from(status))
    .bind(response)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Whether the claim's response is stored.
pub async fn is_complete(store: &Store, claim: &Claim) -> Result<bool, StoreError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT status FROM idempotency_keys WHERE organization_id = $1 AND key = $2 \
         AND lease = $3 AND status IS NOT NULL",
    )
    .bind(&claim.organization_id)
    .bind(&claim.key)
    .bind(&claim.lease)
    .fetch_optional(store.pool())
    .await?;
    Ok(row.is_some())
}

/// Gives a key back (the request failed on the server's side: a retry
/// should run again).
pub async fn release(store: &Store, claim: &Claim) -> Result<(), StoreError> {
    let _guard = store.write_guard().await;
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE organization_id = $1 AND key = $2 AND lease = $3 \
         AND status IS NULL",
    )
    .bind(&claim.organization_id)
    .bind(&claim.key)
    .bind(&claim.lease)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Deletes keys older than the replay period.
pub async fn sweep(store: &Store, now: i64) -> Result<u64, StoreError> {
    let _guard = store.write_guard().await;
    let r = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(now - KEEP_SECS)
        .execute(store.pool())
        .await?;
    Ok(r.rows_affected())
}
