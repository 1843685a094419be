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
//! What units write and nothing in the batch reads back, the journal
//! entries they post ([`post`]) and their events, is held back and written
//! together, with one multi-row statement per table, just before the
//! commit: a unit's entry has its id at once and its number when the batch
//! is written. A unit rolled back takes what it held with it.
//!
//! Writers are sharded by a key (the organization): units of one
//! organization share a writer (they serialize on its number series
//! anyway).

use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use futures::future::BoxFuture;
use sqlx::AnyConnection;
use tokio::sync::mpsc;
use tracing::Instrument;

use crate::journal::{NewEntry, insert_entries};
use crate::{Store, StoreError};

/// What the units of a batch wrote that nothing in the batch reads back:
/// their journal entries and their events.
struct Held {
    entries: Vec<NewEntry>,
    events: crate::sql::Insert,
}

tokio::task_local! {
    /// What the units of the batch being run hold back.
    static HELD: RefCell<Held>;
}

/// Posts `entries` (their accounts already checked): inside a unit of a
/// group commit, held until the batch is written; otherwise now.
pub async fn post(conn: &mut AnyConnection, mut entries: Vec<NewEntry>) -> Result<(), StoreError> {
    let held = HELD.try_with(|h| h.borrow_mut().entries.append(&mut entries));
    if held.is_err() {
        insert_entries(conn, &mut entries).await?;
    }
    Ok(())
}

/// Adds events to the batch's, inside a unit of a group commit: `false`
/// outside one (the caller writes them).
pub(crate) fn hold_events(add: impl FnOnce(&mut crate::sql::Insert)) -> bool {
    HELD.try_with(|h| add(&mut h.borrow_mut().events)).is_ok()
}

/// Writes what the batch's units held back.
async fn write_held(conn: &mut AnyConnection) -> Result<(), StoreError> {
    let (mut entries, events) = HELD.with(|h| {
        let mut h = h.borrow_mut();
        (
            std::mem::take(&mut h.entries),
            std::mem::replace(&mut h.events, crate::outbox::insert_statement()),
        )
    });
    if !entries.is_empty() {
        insert_entries(conn, &mut entries).await?;
    }
    crate::sql::run_inserts(conn, vec![events]).await
}

/// How much is held: a unit rolled back is cut back to it.
fn held_mark() -> (usize, usize) {
    HELD.with(|h| {
        let h = h.borrow();
        (h.entries.len(), h.events.rows())
    })
}

fn cut_back((entries, events): (usize, usize)) {
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        h.entries.truncate(entries);
        h.events.truncate_rows(events);
    });
}

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
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_UNITS);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_UNITS {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let jobs = std::mem::take(&mut batch);
        let n = jobs.len();
        if let Err((e, jobs)) = run_batch(&store, jobs).await {
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

type Failed = (StoreError, Vec<Job>);

/// Runs the units in one transaction and commits; answers them all. A
/// failure of the transaction itself hands them back unanswered.
async fn run_batch(store: &Store, jobs: Vec<Job>) -> Result<(), Failed> {
    let held = Held {
        entries: Vec::new(),
        events: crate::outbox::insert_statement(),
    };
    HELD.scope(RefCell::new(held), run_held(store, jobs)).await
}

async fn run_held(store: &Store, mut jobs: Vec<Job>) -> Result<(), Failed> {
    let mut wtx = match store.begin_write().await {
        Ok(t) => t,
        Err(e) => return Err((e, jobs)),
    };
    if let [job] = jobs.as_mut_slice() {
        // Alone, the transaction is the unit's: no savepoint.
        if !job.run(&mut wtx.tx).await {
            drop(wtx);
            for job in jobs {
                job.finish(Ok(()));
            }
            return Ok(());
        }
    } else {
        for job in &mut jobs {
            if let Err(e) = sqlx::query("SAVEPOINT unit").execute(&mut *wtx.tx).await {
                return Err((e.into(), jobs));
            }
            let mark = held_mark();
            let ok = job.run(&mut wtx.tx).await;
            if !ok {
                cut_back(mark);
            }
            let end = if ok {
                "RELEASE SAVEPOINT unit"
            } else {
                "ROLLBACK TO SAVEPOINT unit"
            };
            let mut ended = sqlx::query(end).execute(&mut *wtx.tx).await.map(|_| ());
            if !ok && ended.is_ok() {
                ended = sqlx::query("RELEASE SAVEPOINT unit")
                    .execute(&mut *wtx.tx)
                    .await
                    .map(|_| ());
            }
            if let Err(e) = ended {
                return Err((e.into(), jobs));
            }
        }
    }
    let span = jobs.first().map_or_else(tracing::Span::none, |j| j.span());
    if let Err(e) = write_held(&mut wtx.tx).instrument(span).await {
        return Err((e, jobs));
    }
    match wtx.commit().await {
        Ok(()) => {
            for job in jobs {
                job.finish(Ok(()));
            }
            Ok(())
        }
        Err(e) => Err((e, jobs)),
    }
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
