//! Idempotency keys: claim, complete in the effect's transaction, replay.
//!
//! On PostgreSQL a claim is a row (status NULL) that every node sees; its
//! lease lets a retry take over from a node that died. On SQLite one process
//! owns the database, so a claim is an entry in memory and only the
//! completed response is written, in the effect's transaction: a retry
//! costs no extra commit (no extra fsync).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sqlx::{AnyConnection, FromRow};

use crate::{Backend, OrgId, Store, StoreError};

/// (organization, key) -> (fingerprint, lease) of running requests.
type Claims = HashMap<(OrgId, String), (String, String)>;

/// Claims of running requests, on SQLite.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inflight(Arc<Mutex<Claims>>);

impl Inflight {
    fn lock(&self) -> std::sync::MutexGuard<'_, Claims> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// How long a first request may run before a retry may take over its key
/// (after a crash, say). Short, so that a client's ordinary retry succeeds;
/// safe, because only one request can store its answer with the effect:
/// a first request that outlives its lease finds its claim lost at commit
/// and rolls back.
pub const LEASE_SECS: i64 = 10;
/// How long a response is kept for replay.
pub const KEEP_SECS: i64 = 24 * 3600;

/// Who holds a key: the organization, the key, and this request's lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub organization_id: OrgId,
    pub key: String,
    pub lease: String,
    /// Hash of the request (method, path, body) the key was claimed for.
    pub fingerprint: String,
}

/// A reply as the surface that served the first request sent it, kept for
/// replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReply {
    pub status: u16,
    /// None: `application/json`.
    pub content_type: Option<String>,
    pub body: String,
}

/// What a new request with a key finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// This request runs, under the claim.
    Acquired(Claim),
    /// The first request finished: replay its answer.
    Replay(StoredReply),
    /// The first request is still running; its lease ends in this many
    /// seconds (when a retry could take over).
    InFlight { retry_after: i64 },
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
    content_type: Option<String>,
    created_at: i64,
}

impl Row {
    /// The stored reply, once the first request finished.
    fn reply(&self) -> Option<StoredReply> {
        match (self.status, &self.response) {
            (Some(status), Some(body)) => Some(StoredReply {
                status: u16::try_from(status).unwrap_or(500),
                content_type: self.content_type.clone(),
                body: body.clone(),
            }),
            _ => None,
        }
    }
}

async fn load(store: &Store, org: &OrgId, key: &str) -> Result<Option<Row>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT fingerprint, lease, locked_until, status, response, content_type, created_at \
         FROM idempotency_keys WHERE organization_id = $1 AND key = $2",
    )
    .bind(org)
    .bind(key)
    .fetch_optional(store.pool())
    .await?)
}

/// Claims `key` for a request with `fingerprint`, or says why not.
pub async fn claim(
    store: &Store,
    org: &OrgId,
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
            fingerprint: fingerprint.to_owned(),
        })
    };
    if store.backend() == Backend::Sqlite {
        return claim_in_memory(store, org, key, fingerprint, lease, now, acquired()).await;
    }
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
    let Some(row): Option<Row> = load(store, org, key).await? else {
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
             WHERE organization_id = $1 AND key = $2 AND lease = $7 \
               AND (status IS NULL OR created_at < $8)",
        )
        .bind(org)
        .bind(key)
        .bind(fingerprint)
        .bind(lease)
        .bind(now + LEASE_SECS)
        .bind(now)
        .bind(&row.lease)
        .bind(now - KEEP_SECS)
        .execute(store.pool())
        .await?;
        if r.rows_affected() == 1 {
            return Ok(acquired());
        }
        // Another retry took it over, or the first request finished just
        // now: look again.
        return Box::pin(claim(store, org, key, fingerprint, lease, now)).await;
    }
    if row.fingerprint != fingerprint {
        return Ok(Outcome::Mismatch);
    }
    Ok(match row.reply() {
        Some(reply) => Outcome::Replay(reply),
        None => Outcome::InFlight {
            retry_after: (row.locked_until - now).max(1),
        },
    })
}

/// SQLite: the claim lives in memory; the database holds only completed
/// responses. The memory entry is taken before the database is read, and
/// dropped only after the response committed, so a retry either sees the
/// entry (in flight) or the committed response.
async fn claim_in_memory(
    store: &Store,
    org: &OrgId,
    key: &str,
    fingerprint: &str,
    lease: &str,
    now: i64,
    acquired: Outcome,
) -> Result<Outcome, StoreError> {
    let slot = (org.to_owned(), key.to_owned());
    {
        let mut map = store.inflight.lock();
        if let Some((fp, _)) = map.get(&slot) {
            return Ok(if fp == fingerprint {
                Outcome::InFlight { retry_after: 1 }
            } else {
                Outcome::Mismatch
            });
        }
        map.insert(slot.clone(), (fingerprint.to_owned(), lease.to_owned()));
    }
    let row: Option<Row> = load(store, org, key).await.inspect_err(|_| {
        store.inflight.lock().remove(&slot);
    })?;
    let found = match row {
        Some(r) if r.created_at + KEEP_SECS >= now => r,
        _ => return Ok(acquired),
    };
    store.inflight.lock().remove(&slot);
    if found.fingerprint != fingerprint {
        return Ok(Outcome::Mismatch);
    }
    Ok(match found.reply() {
        Some(reply) => Outcome::Replay(reply),
        None => Outcome::InFlight { retry_after: 1 },
    })
}

/// Stores the response under the claim. Called in the transaction of the
/// request's effect; false when the claim was lost (the caller must roll
/// back). On SQLite the row is new; on PostgreSQL it is the claim's row. An
/// expired row of an older request is replaced.
pub async fn complete(
    conn: &mut AnyConnection,
    claim: &Claim,
    reply: &StoredReply,
) -> Result<bool, StoreError> {
    let now = chrono::Utc::now().timestamp();
    let r = sqlx::query(
        "INSERT INTO idempotency_keys (organization_id, key, fingerprint, lease, locked_until, \
           status, response, created_at, content_type) VALUES ($1, $2, $3, $4, $5, $6, $7, $5, $9) \
         ON CONFLICT (organization_id, key) DO UPDATE \
           SET status = excluded.status, response = excluded.response, \
               content_type = excluded.content_type, \
               fingerprint = excluded.fingerprint, lease = excluded.lease, \
               created_at = CASE WHEN idempotency_keys.lease = excluded.lease \
                 THEN idempotency_keys.created_at ELSE excluded.created_at END \
         WHERE (idempotency_keys.lease = excluded.lease AND idempotency_keys.status IS NULL) \
            OR idempotency_keys.created_at < $8",
    )
    .bind(&claim.organization_id)
    .bind(&claim.key)
    .bind(&claim.fingerprint)
    .bind(&claim.lease)
    .bind(now)
    .bind(i64::from(reply.status))
    .bind(&reply.body)
    .bind(now - KEEP_SECS)
    .bind(&reply.content_type)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The request under the claim has finished (its response committed or
/// given up): forget the in-memory claim on SQLite.
pub fn done(store: &Store, claim: &Claim) {
    if store.backend() == Backend::Sqlite {
        let mut map = store.inflight.lock();
        let slot = (claim.organization_id.clone(), claim.key.clone());
        if map
            .get(&slot)
            .is_some_and(|(_, lease)| *lease == claim.lease)
        {
            map.remove(&slot);
        }
    }
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
    done(store, claim);
    if store.backend() == Backend::Sqlite {
        return Ok(());
    }
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
