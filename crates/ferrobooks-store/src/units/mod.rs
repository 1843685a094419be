//! Group commit for whole requests.
//!
//! A document request (create, approve, pay) is a few dozen statements and
//! one commit; on SQLite each commit is an fsync taken under the process's
//! one write lock, and on PostgreSQL an approval holds its number series'
//! row lock through the commit's WAL flush. Both cap documents at the
//! commit rate. So, as postings do ([`crate::batch`]), requests hand their
//! writes to a writer task: it takes every unit waiting (up to
//! [`MAX_UNITS`]), runs each inside one transaction under its own
//! savepoint, commits once, and only then answers each. A unit that fails
//! is rolled back to its savepoint alone, and answered with its own error
//! after the commit; if the commit itself fails, every unit runs again in
//! a transaction of its own, so one cannot fail its neighbours.
//!
//! What the units write that nothing in the batch reads back is held and
//! written with the batch ([`held`]).
//!
//! Writers are sharded by a key (the organization): units of one
//! organization share a writer (they serialize on its number series
//! anyway).

mod held;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use futures::future::BoxFuture;
use sqlx::AnyConnection;
use tokio::sync::mpsc;
use tracing::Instrument;

use crate::{Store, StoreError};
pub use held::post;
pub(crate) use held::{
    allocate_held, held_doc, held_lines, hold_doc, hold_events, hold_saved_doc, note_series,
    read_shared, recall, remember, replace_held_lines,
};
use held::{begin_unit, cut_back, held_mark, was_busy, write_held};

/// The most units one commit carries.
pub const MAX_UNITS: usize = 64;

/// Writers per process.
const SHARDS: usize = 8;

/// One request's writes.
pub trait Unit: Send {
    /// Runs the writes on the shared transaction; `false` when they failed
    /// (they are then rolled back, alone). May run again, in a transaction
    /// of its own, when a shared commit fails.
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool>;

    /// Called once, after the transaction that ran the unit last committed
    /// (`Ok`) or could not (`Err`).
    fn finish(self: Box<Self>, committed: Result<(), StoreError>);

    /// The span the batch's shared writes are traced (and counted) in when
    /// the unit is the first of its batch: a request's.
    fn span(&self) -> tracing::Span {
        tracing::Span::none()
    }
}

type Job = Box<dyn Unit>;

/// The handle requests use to run units through the writers; a writer task
/// starts with its shard's first unit.
#[derive(Clone, Debug)]
pub struct UnitQueue {
    store: Store,
    shards: Arc<[OnceLock<mpsc::Sender<Job>>; SHARDS]>,
}

impl UnitQueue {
    pub fn new(store: Store) -> UnitQueue {
        UnitQueue {
            store,
            shards: Arc::new(std::array::from_fn(|_| OnceLock::new())),
        }
    }

    /// Queues `unit` on the writer of `key`; the unit answers itself (in
    /// [`Unit::finish`]).
    pub async fn submit(&self, key: &str, unit: Job) -> Result<(), StoreError> {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        let shard = usize::try_from(h.finish() % SHARDS as u64).unwrap_or(0);
        let tx = self.shards[shard].get_or_init(|| {
            let (tx, rx) = mpsc::channel(4096);
            tokio::spawn(writer(self.store.clone(), rx));
            tx
        });
        tx.send(unit).await.map_err(|_| StoreError::QueueClosed)
    }
}

async fn writer(store: Store, mut rx: mpsc::Receiver<Job>) {
    // Units handed back by a batch (they reached a document an earlier
    // unit of it changed) start the next one.
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_UNITS);
    loop {
        if batch.is_empty() {
            match rx.recv().await {
                Some(first) => batch.push(first),
                None => return,
            }
        }
        while batch.len() < MAX_UNITS {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let jobs = std::mem::take(&mut batch);
        let n = jobs.len();
        match run_batch(&store, jobs).await {
            Ok(again) => batch = again,
            Err((e, jobs)) => {
                tracing::warn!(error = %e, units = n, "group commit failed; running each alone");
                for job in jobs {
                    if let Err((e, rest)) = run_batch(&store, vec![job]).await
                        && let Some(job) = rest.into_iter().next()
                    {
                        job.finish(Err(e));
                    }
                }
            }
        }
    }
}

type Failed = (StoreError, Vec<Job>);

/// Runs the units in one transaction and commits; answers them all but
/// those that reached a document an earlier unit changed, which it hands
/// back to run first in the next batch. A failure of the transaction
/// itself hands them all back unanswered.
async fn run_batch(store: &Store, jobs: Vec<Job>) -> Result<Vec<Job>, Failed> {
    held::scope(true, run_held(store, jobs)).await
}

/// Runs `writes` in a transaction of its own and commits: PostgreSQL's
/// requests run side by side, each on its connection. What it writes is
/// held as a batch's units' is, and written in one statement before the
/// commit.
pub async fn run_alone<T, E, F>(store: &Store, writes: F) -> Result<T, E>
where
    E: From<StoreError>,
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, E>>,
{
    let run = async move {
        let mut wtx = store.begin_write().await?;
        let v = writes(&mut wtx.tx).await?;
        write_held(&mut wtx.tx).await?;
        wtx.commit().await?;
        Ok(v)
    };
    held::scope(false, run).await
}

/// Runs `each` on every item in one transaction, each under a savepoint
/// of its own (an item that fails is rolled back alone, with what it
/// held), then `last` with every item's outcome (the caller's
/// checkpoint, in the same transaction), then writes what the items held,
/// one multi-row statement per table, and commits: the bulk path of an
/// import. Reads are shared between items when `share_reads` (SQLite,
/// whose writer holds the lock). An item that reaches a document another
/// item saved is rolled back and answered `busy()`. Without `commit`
/// everything is rolled back after `last` (a dry run).
pub async fn run_each<I, T, E, R, F, L>(
    store: &Store,
    share_reads: bool,
    commit: bool,
    items: &[I],
    mut each: F,
    busy: fn() -> E,
    last: L,
) -> Result<R, E>
where
    E: From<StoreError>,
    F: for<'c> FnMut(&'c mut AnyConnection, &'c I) -> BoxFuture<'c, Result<T, E>>,
    L: for<'c> FnOnce(&'c mut AnyConnection, Vec<Result<T, E>>) -> BoxFuture<'c, Result<R, E>>,
{
    let run = async move {
        let mut wtx = store.begin_write().await?;
        let mut outcomes = Vec::with_capacity(items.len());
        for (n, item) in items.iter().enumerate() {
            // The last item's savepoint is released as this one's is
            // taken, in one round trip (left open, 250 nested savepoints
            // make SQLite's writes at the commit slower).
            let open = if n == 0 {
                "SAVEPOINT item"
            } else {
                "RELEASE SAVEPOINT item; SAVEPOINT item"
            };
            sqlx::Executor::execute(&mut *wtx.tx, open)
                .await
                .map_err(StoreError::from)?;
            let mark = held_mark();
            begin_unit(n);
            let r = each(&mut wtx.tx, item).await;
            let r = if was_busy() { r.and(Err(busy())) } else { r };
            if r.is_err() {
                cut_back(mark);
                sqlx::query("ROLLBACK TO SAVEPOINT item")
                    .execute(&mut *wtx.tx)
                    .await
                    .map_err(StoreError::from)?;
            }
            outcomes.push(r);
        }
        if !items.is_empty() {
            sqlx::query("RELEASE SAVEPOINT item")
                .execute(&mut *wtx.tx)
                .await
                .map_err(StoreError::from)?;
        }
        let r = last(&mut wtx.tx, outcomes).await?;
        if commit {
            write_held(&mut wtx.tx).await?;
            wtx.commit().await?;
        }
        Ok(r)
    };
    held::scope(share_reads, run).await
}

async fn run_held(store: &Store, mut jobs: Vec<Job>) -> Result<Vec<Job>, Failed> {
    let mut wtx = match store.begin_write().await {
        Ok(t) => t,
        Err(e) => return Err((e, jobs)),
    };
    let mut again = vec![false; jobs.len()];
    if let [job] = jobs.as_mut_slice() {
        // Alone, the transaction is the unit's: no savepoint.
        begin_unit(0);
        if !job.run(&mut wtx.tx).await {
            drop(wtx);
            for job in jobs {
                job.finish(Ok(()));
            }
            return Ok(Vec::new());
        }
    } else {
        // Each unit opens a savepoint and leaves it open when it succeeds:
        // savepoints nest, the commit ends them all, and a failed unit
        // rolls back to its own (the innermost of the name), one statement
        // per unit instead of two.
        for (n, job) in jobs.iter_mut().enumerate() {
            if let Err(e) = sqlx::query("SAVEPOINT unit").execute(&mut *wtx.tx).await {
                return Err((e.into(), jobs));
            }
            let mark = held_mark();
            begin_unit(n);
            let ok = job.run(&mut wtx.tx).await;
            // A unit that reached another's document runs again, even if
            // it went on without it.
            let busy = was_busy();
            if !ok || busy {
                again[n] = busy;
                cut_back(mark);
                if let Err(e) = sqlx::query("ROLLBACK TO SAVEPOINT unit")
                    .execute(&mut *wtx.tx)
                    .await
                {
                    return Err((e.into(), jobs));
                }
            }
        }
    }
    let span = jobs.first().map_or_else(tracing::Span::none, |j| j.span());
    if let Err(e) = write_held(&mut wtx.tx).instrument(span).await {
        return Err((e, jobs));
    }
    match wtx.commit().await {
        Ok(()) => {
            let mut next = Vec::new();
            for (job, again) in jobs.into_iter().zip(again) {
                if again {
                    next.push(job);
                } else {
                    job.finish(Ok(()));
                }
            }
            Ok(next)
        }
        Err(e) => Err((e, jobs)),
    }
}

/// Opens a savepoint named `name` in the caller's transaction: what comes
/// after can be taken back with [`rollback_to`] (a check that runs a use
/// case for its errors and keeps nothing).
pub async fn savepoint(conn: &mut AnyConnection, name: &str) -> Result<(), StoreError> {
    sqlx::Executor::execute(&mut *conn, format!("SAVEPOINT {name}").as_str()).await?;
    Ok(())
}

/// Takes back everything since the savepoint `name`, and closes it.
pub async fn rollback_to(conn: &mut AnyConnection, name: &str) -> Result<(), StoreError> {
    sqlx::Executor::execute(
        &mut *conn,
        format!("ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}").as_str(),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::oneshot;

    /// What a unit reports: kept, times run, how its transaction ended.
    type Report = (bool, usize, Result<(), StoreError>);

    /// Inserts a tenant, then fails when told to (after its write).
    struct Insert {
        id: String,
        fail: bool,
        runs: usize,
        reply: Option<oneshot::Sender<Report>>,
        ok: bool,
    }

    impl Unit for Insert {
        fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool> {
            Box::pin(async move {
                self.runs += 1;
                let wrote = sqlx::query(
                    "INSERT INTO tenants (id, name, created_at) VALUES ($1, 'T', 'now')",
                )
                .bind(&self.id)
                .execute(&mut *conn)
                .await
                .is_ok();
                self.ok = wrote && !self.fail;
                self.ok
            })
        }

        fn finish(mut self: Box<Self>, committed: Result<(), StoreError>) {
            if let Some(r) = self.reply.take() {
                let _ = r.send((self.ok, self.runs, committed));
            }
        }
    }

    /// Takes a number of one series, then fails when told to.
    struct Number {
        fail: bool,
        reply: Option<oneshot::Sender<Option<i64>>>,
        got: Option<i64>,
    }

    impl Unit for Number {
        fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool> {
            Box::pin(async move {
                let org = crate::OrgId::new("org_n");
                let key = crate::series::SeriesKey {
                    organization_id: &org,
                    doc_type: "invoice",
                    branch: "",
                    fiscal_year: "2026",
                };
                self.got = crate::series::allocate(conn, &key, 1).await.ok();
                self.got.is_some() && !self.fail
            })
        }

        fn finish(mut self: Box<Self>, committed: Result<(), StoreError>) {
            if let Some(r) = self.reply.take() {
                let _ = r.send(committed.ok().and(self.got).filter(|_| !self.fail));
            }
        }
    }

    #[tokio::test]
    async fn a_batch_counts_numbers_in_memory_and_a_failed_unit_gives_its_number_back() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("n.db").display());
        let store = Store::open(&url, true).await.unwrap();
        let queue = UnitQueue::new(store.clone());
        let mut answers = Vec::new();
        for n in 0..30 {
            let (reply, answer) = oneshot::channel();
            let unit = Number {
                fail: n % 3 == 1,
                reply: Some(reply),
                got: None,
            };
            queue.submit("org", Box::new(unit)).await.unwrap();
            answers.push(answer);
        }
        let mut numbers = Vec::new();
        for answer in answers {
            numbers.extend(answer.await.unwrap());
        }
        assert_eq!(
            numbers,
            (1..=20).collect::<Vec<i64>>(),
            "the kept units have consecutive numbers: the failed ones gave theirs back"
        );
        let (next,): (i64,) = sqlx::query_as(
            "SELECT next_value FROM document_series WHERE organization_id = 'org_n'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(next, 21, "the counter was written with the batch");
        store.close().await;
    }

    /// Adds one to a document's `paid`: reads it, changes it, saves it.
    struct Pay {
        runs: usize,
        reply: Option<oneshot::Sender<(Result<(), StoreError>, usize)>>,
    }

    impl Unit for Pay {
        fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool> {
            Box::pin(async move {
                self.runs += 1;
                let org = crate::OrgId::new("org_p");
                let Ok(Some(mut doc)) =
                    crate::documents::lock_doc(conn, &org, "invoice", "inv_p").await
                else {
                    return false;
                };
                doc.paid += 1;
                crate::documents::save_doc(conn, &doc).await.is_ok()
            })
        }

        fn finish(mut self: Box<Self>, committed: Result<(), StoreError>) {
            if let Some(r) = self.reply.take() {
                let _ = r.send((committed, self.runs));
            }
        }
    }

    #[tokio::test]
    async fn units_that_change_one_document_take_turns_and_lose_no_update() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("p.db").display());
        let store = Store::open(&url, true).await.unwrap();
        for sql in [
            "INSERT INTO tenants (id, name, created_at) VALUES ('ten_p', 'T', 'now')",
            "INSERT INTO organizations (id, tenant_id, name, base_currency, country, \
             fiscal_year_start, timezone, date_format, created_at, updated_at) \
             VALUES ('org_p', 'ten_p', 'O', 'USD', 'US', '01-01', 'UTC', 'YYYY-MM-DD', 'now', 'now')",
        ] {
            sqlx::query(sql).execute(store.pool()).await.unwrap();
        }
        let doc = crate::documents::DocRow {
            id: "inv_p".into(),
            organization_id: crate::OrgId::new("org_p"),
            doc_type: "invoice".into(),
            status: "approved".into(),
            ..Default::default()
        };
        let mut conn = store.pool().acquire().await.unwrap();
        crate::documents::save_doc(&mut conn, &doc).await.unwrap();
        drop(conn);
        let queue = UnitQueue::new(store.clone());
        let mut answers = Vec::new();
        for _ in 0..10 {
            let (reply, answer) = oneshot::channel();
            let unit = Pay {
                runs: 0,
                reply: Some(reply),
            };
            queue.submit("org", Box::new(unit)).await.unwrap();
            answers.push(answer);
        }
        let mut runs = Vec::new();
        for answer in answers {
            let (committed, n) = answer.await.unwrap();
            assert!(committed.is_ok());
            runs.push(n);
        }
        let (paid,): (i64,) = sqlx::query_as("SELECT paid FROM documents WHERE id = 'inv_p'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(
            paid, 10,
            "each unit's change was kept: no one read a stale row"
        );
        assert_eq!(
            runs,
            (1..=10).collect::<Vec<usize>>(),
            "one unit per batch reached the document; the others ran again in the next"
        );
        store.close().await;
    }

    #[tokio::test]
    async fn a_failed_unit_is_rolled_back_alone() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("u.db").display());
        let store = Store::open(&url, true).await.unwrap();
        let queue = UnitQueue::new(store.clone());
        let mut answers = Vec::new();
        for n in 0..40 {
            let (reply, answer) = oneshot::channel();
            let unit = Insert {
                id: format!("ten_{n}"),
                fail: n % 4 == 0,
                runs: 0,
                reply: Some(reply),
                ok: false,
            };
            queue.submit("org", Box::new(unit)).await.unwrap();
            answers.push((n, answer));
        }
        for (n, answer) in answers {
            let (ok, runs, committed) = answer.await.unwrap();
            assert!(committed.is_ok(), "unit {n}");
            assert_eq!((ok, runs), (n % 4 != 0, 1), "unit {n}");
        }
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tenants WHERE id LIKE 'ten_%'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(
            count, 30,
            "the failed units' rows were rolled back, the others kept"
        );
        store.close().await;
    }
}
