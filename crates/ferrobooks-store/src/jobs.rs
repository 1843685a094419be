//! The jobs table: durable background work any node may run.
//!
//! A job is queued with a time to run; a runner claims due jobs with a
//! lease and settles each (done, queued again for a retry, or failed). A
//! claim whose lease ran out (its node died or hung) is due again, so
//! another node picks it up. On PostgreSQL the claim skips rows other
//! nodes are claiming (`FOR UPDATE SKIP LOCKED`); on SQLite the store's
//! write lock serializes claims.

use sqlx::FromRow;

use crate::sql::{self, Lock};
use crate::{Store, StoreError, new_id};

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    /// The typed payload, as JSON.
    pub payload: String,
    /// When it may run (unix seconds).
    pub run_at: i64,
    /// A second job with the same key is not queued (a scheduled job's
    /// period, so every node can schedule it and one row results).
    pub dedupe_key: Option<String>,
    pub max_attempts: i64,
}

/// A claimed (or listed) job.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub dedupe_key: Option<String>,
    pub status: String,
    pub run_at: i64,
    pub attempts: i64,
    pub max_attempts: i64,
    pub lease_until: i64,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
}

const COLS: &str = "id, kind, payload, dedupe_key, status, run_at, attempts, max_attempts, \
                    lease_until, locked_by, last_error";

/// A claimable job: queued and due, or running with its lease run out.
const DUE: &str =
    "((status = 'queued' AND run_at <= $1) OR (status = 'running' AND lease_until < $1))";

/// Queues a job; false when its dedupe key is already taken.
pub async fn enqueue(store: &Store, job: &NewJob<'_>) -> Result<bool, StoreError> {
    let _guard = store.write_guard().await;
    insert_job(store.pool(), job).await
}

/// Queues a job in the caller's transaction: it exists exactly when what
/// it works on does.
pub async fn enqueue_in(
    conn: &mut sqlx::AnyConnection,
    job: &NewJob<'_>,
) -> Result<bool, StoreError> {
    insert_job(&mut *conn, job).await
}

async fn insert_job<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(
    e: E,
    job: &NewJob<'_>,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "INSERT INTO jobs (id, kind, payload, dedupe_key, status, run_at, attempts, \
         max_attempts, lease_until, created_at) VALUES ($1, $2, $3, $4, 'queued', $5, 0, $6, 0, $7) \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(new_id("job"))
    .bind(job.kind)
    .bind(&job.payload)
    .bind(&job.dedupe_key)
    .bind(job.run_at)
    .bind(job.max_attempts.max(1))
    .bind(crate::now())
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Makes every running job due at once (SQLite, at start: the process
/// that claimed them is gone). How many there were.
pub async fn release_all(store: &Store) -> Result<u64, StoreError> {
    let _guard = store.write_guard().await;
    let r = sqlx::query(
        "UPDATE jobs SET status = 'queued', lease_until = 0, locked_by = NULL, run_at = 0 \
         WHERE status = 'running'",
    )
    .execute(store.pool())
    .await?;
    Ok(r.rows_affected())
}

/// Claims up to `limit` due jobs for `worker` until `now + lease_secs`,
/// counting an attempt on each.
pub async fn claim(
    store: &Store,
    worker: &str,
    now: i64,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    // A cheap read first: most polls find nothing, and on SQLite an UPDATE
    // takes the database's write lock even when no row matches.
    let any: Option<(String,)> =
        sqlx::query_as(&format!("SELECT id FROM jobs WHERE {DUE} LIMIT 1"))
            .bind(now)
            .fetch_optional(store.pool())
            .await?;
    if any.is_none() {
        return Ok(Vec::new());
    }
    let _guard = store.write_guard().await;
    let lock = sql::lock(store.backend(), Lock::UpdateSkipLocked);
    Ok(sqlx::query_as(&format!(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = $2, \
         locked_by = $3 WHERE id IN (SELECT id FROM jobs WHERE {DUE} ORDER BY run_at, id \
         LIMIT $4{lock}) RETURNING {COLS}"
    ))
    .bind(now)
    .bind(now + lease_secs)
    .bind(worker)
    .bind(limit)
    .fetch_all(store.pool())
    .await?)
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settle {
    Done,
    /// Failed; run again at this time (unix seconds).
    Retry {
        at: i64,
        error: String,
    },
    /// Failed for the last time.
    Failed {
        error: String,
    },
}

/// Records how `worker`'s run of job `id` ended. False when the claim was
/// no longer `worker`'s (its lease ran out and another node took the job):
/// that node's run counts, this one's does not.
pub async fn settle(
    store: &Store,
    id: &str,
    worker: &str,
    outcome: &Settle,
) -> Result<bool, StoreError> {
    let _guard = store.write_guard().await;
    let (status, run_at, error) = match outcome {
        Settle::Done => ("done", None, None),
        Settle::Retry { at, error } => ("queued", Some(*at), Some(error.as_str())),
        Settle::Failed { error } => ("failed", None, Some(error.as_str())),
    };
    let finished = (status != "queued").then(crate::now);
    let r = sqlx::query(
        "UPDATE jobs SET status = $1, run_at = COALESCE($2, run_at), last_error = $3, \
         finished_at = $4, lease_until = 0, locked_by = NULL \
         WHERE id = $5 AND locked_by = $6 AND status = 'running'",
    )
    .bind(status)
    .bind(run_at)
    .bind(error)
    .bind(finished)
    .bind(id)
    .bind(worker)
    .execute(store.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Deletes jobs that finished before `before` (RFC 3339 text).
pub async fn prune(store: &Store, before: &str) -> Result<u64, StoreError> {
    let _guard = store.write_guard().await;
    let r = sqlx::query("DELETE FROM jobs WHERE status IN ('done', 'failed') AND finished_at < $1")
        .bind(before)
        .execute(store.pool())
        .await?;
    Ok(r.rows_affected())
}

/// Jobs by kind and status, for `/metrics`.
pub async fn counts(store: &Store) -> Result<Vec<(String, String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT kind, status, COUNT(*) FROM jobs GROUP BY kind, status ORDER BY kind, status",
    )
    .fetch_all(store.pool())
    .await?)
}

/// Jobs of a kind, oldest first (for tests and operators).
pub async fn list(store: &Store, kind: &str) -> Result<Vec<JobRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM jobs WHERE kind = $1 ORDER BY created_at, id"
    ))
    .bind(kind)
    .fetch_all(store.pool())
    .await?)
}
