//! The job runner: one per process that runs jobs (`serve`, `worker`).
//!
//! Each turn it queues the current period of every [`Schedule`] it has
//! not queued yet, due at the period's end (a dedupe key per period: other
//! nodes' copies collapse into one row), then claims and runs due jobs until none is left, then
//! waits for a local commit (which runs a webhook delivery pass at once),
//! the poll interval, or the stop signal.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ferrobooks_store::jobs::{self as store, JobRow, NewJob, Settle};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{Job, Schedule, schedules};
use crate::{ServiceError, ServiceResult, Services};

/// How often the runner looks for due jobs queued by other nodes.
const POLL: Duration = Duration::from_secs(1);
/// How long a woken runner waits for more commits before a delivery pass.
const COALESCE: Duration = Duration::from_millis(20);
/// Jobs claimed at once.
const CLAIM_BATCH: i64 = 8;
/// Tries of a job before it is marked failed.
const MAX_ATTEMPTS: i64 = 5;

/// Runs since start, for `/metrics`.
#[derive(Debug, Default)]
pub struct RunnerStats {
    pub succeeded: AtomicU64,
    pub failed: AtomicU64,
}

pub fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Queues `job` to run now, in the caller's transaction.
pub(crate) async fn enqueue_in(conn: &mut ferrobooks_store::Conn, job: &Job) -> ServiceResult<()> {
    let payload = serde_json::to_string(job).map_err(ServiceError::internal)?;
    store::enqueue_in(
        conn,
        &NewJob {
            kind: job.kind(),
            payload,
            run_at: unix_now(),
            dedupe_key: None,
            max_attempts: MAX_ATTEMPTS,
        },
    )
    .await?;
    Ok(())
}

/// Queues `job` at `run_at`; with a dedupe key, once per key.
pub(crate) async fn enqueue(
    s: &Services,
    job: &Job,
    run_at: i64,
    dedupe_key: Option<String>,
) -> ServiceResult<bool> {
    let payload = serde_json::to_string(job).map_err(ServiceError::internal)?;
    Ok(store::enqueue(
        &s.store,
        &NewJob {
            kind: job.kind(),
            payload,
            run_at,
            dedupe_key,
            max_attempts: MAX_ATTEMPTS,
        },
    )
    .await?)
}

/// A running runner; [`Runner::stop`] ends it.
#[derive(Debug)]
pub struct Runner {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

impl Runner {
    /// Starts the runner of this process over `services`.
    pub fn start(services: Services) -> Runner {
        let (stop, rx) = watch::channel(false);
        let id = ferrobooks_store::new_id("node");
        let handle = tokio::spawn(run(services, id, rx));
        Runner { stop, handle }
    }

    /// Stops after the job in hand (a webhook pass settles the deliveries
    /// it holds), so no claim of this process outlives it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

async fn run(s: Services, id: String, mut stop: watch::Receiver<bool>) {
    tracing::info!(node = %id, "job runner started");
    if s.store.backend() == ferrobooks_store::Backend::Sqlite {
        // One process owns a SQLite database: a job still marked running
        // was left by a process that died (an import cut off mid-file), so
        // it is due now rather than when its lease would have run out.
        match store::release_all(&s.store).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(jobs = n, "jobs left running by a stopped process run again"),
            Err(e) => tracing::warn!(error = %e, "releasing the jobs of a stopped process failed"),
        }
    }
    let plan = schedules(&s);
    let mut queued: HashMap<&'static str, i64> = HashMap::new();
    loop {
        if let Err(e) = schedule(&s, &plan, &mut queued).await {
            tracing::warn!(error = %e, "scheduling jobs failed");
        }
        if let Err(e) = run_due(&s, &id, &stop).await {
            tracing::warn!(error = %e, "running jobs failed");
        }
        tokio::select! {
            () = s.store.committed() => {
                // Let the commits of the next moments join this pass: one
                // fan-out transaction per burst, not per commit.
                tokio::time::sleep(COALESCE).await;
                if s.webhooks.worker
                    && let Err(e) = crate::webhooks::worker::run_once(&s).await
                {
                    tracing::warn!(error = %e, "webhook delivery pass failed");
                }
            }
            () = tokio::time::sleep(POLL) => {}
            changed = stop.changed() => {
                if changed.is_err() {
                    // The Runner was dropped without stop(): end quietly.
                    return;
                }
            }
        }
        if *stop.borrow() {
            tracing::info!(node = %id, "job runner stopped");
            return;
        }
    }
}

/// Queues each schedule's current period once per process (the dedupe key
/// makes it once across processes).
async fn schedule(
    s: &Services,
    plan: &[Schedule],
    queued: &mut HashMap<&'static str, i64>,
) -> ServiceResult<()> {
    let now = unix_now();
    for sc in plan {
        if sc.job == Job::WebhookDelivery && !s.webhooks.worker {
            continue;
        }
        let every = i64::try_from(sc.every.as_secs()).unwrap_or(i64::MAX).max(1);
        let period = now - now.rem_euclid(every);
        if queued.get(sc.job.kind()) == Some(&period) {
            continue;
        }
        // A period's run is due at its end, so a node that starts does
        // not run everything at once, and every node agrees on the times.
        let key = format!("{}@{period}", sc.job.kind());
        enqueue(s, &sc.job, period.saturating_add(every), Some(key)).await?;
        queued.insert(sc.job.kind(), period);
    }
    Ok(())
}

/// Claims and runs due jobs until none is due or the runner stops.
async fn run_due(s: &Services, node: &str, stop: &watch::Receiver<bool>) -> ServiceResult<()> {
    loop {
        let claimed = store::claim(&s.store, node, unix_now(), lease_secs(s), CLAIM_BATCH).await?;
        if claimed.is_empty() {
            return Ok(());
        }
        for row in claimed {
            if *stop.borrow() {
                // Unrun claims go back at once rather than at lease end.
                store::settle(
                    &s.store,
                    &row.id,
                    node,
                    &Settle::Retry {
                        at: unix_now(),
                        error: "the node stopped before running it".into(),
                    },
                )
                .await?;
                continue;
            }
            run_one(s, node, row).await?;
        }
    }
}

/// Runs one claimed job and records how it ended.
async fn run_one(s: &Services, node: &str, row: JobRow) -> ServiceResult<()> {
    let outcome = match serde_json::from_str::<Job>(&row.payload) {
        Err(e) => Settle::Failed {
            error: format!("unreadable payload: {e}"),
        },
        Ok(job) => {
            let span =
                tracing::info_span!("job", id = %row.id, kind = %row.kind, attempt = row.attempts);
            let result = tracing::Instrument::instrument(job.run(s), span).await;
            match result {
                Ok(()) => Settle::Done,
                Err(e) if row.attempts >= row.max_attempts => Settle::Failed { error: e.message },
                Err(e) => Settle::Retry {
                    at: unix_now() + backoff(row.attempts),
                    error: e.message,
                },
            }
        }
    };
    let stats = &s.job_stats;
    match &outcome {
        Settle::Done => stats.succeeded.fetch_add(1, Ordering::Relaxed),
        Settle::Retry { error, .. } | Settle::Failed { error } => {
            tracing::warn!(job = %row.id, kind = %row.kind, attempt = row.attempts, %error, "job failed");
            stats.failed.fetch_add(1, Ordering::Relaxed)
        }
    };
    if !store::settle(&s.store, &row.id, node, &outcome).await? {
        tracing::warn!(job = %row.id, "job outlived its lease; another node took it over");
    }
    Ok(())
}

/// How long a claim holds before another node may take the job over:
/// longer than any healthy run (ten minutes; a delivery pass, whose rounds
/// each take up to the delivery timeout, gets more when that is long).
fn lease_secs(s: &Services) -> i64 {
    let delivery = s.webhooks.timeout * 4 + Duration::from_secs(60);
    i64::try_from(delivery.as_secs())
        .unwrap_or(i64::MAX)
        .max(600)
}

/// Seconds before retry number `attempts`: 10 s, 40 s, 90 s... at most an hour.
fn backoff(attempts: i64) -> i64 {
    (attempts.clamp(1, 20).pow(2) * 10).min(3600)
}

/// A fresh set of counters.
pub(crate) fn stats() -> Arc<RunnerStats> {
    Arc::default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(super::backoff(1), 10);
        assert_eq!(super::backoff(2), 40);
        assert_eq!(super::backoff(3), 90);
        assert_eq!(super::backoff(100), 3600);
    }
}
