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
//! entries they post ([`post`]), the drafts they make
//! ([`crate::documents::insert_doc`]) and their events, is held back and
//! written together, with one multi-row statement per table, just before
//! the commit: a unit's entry has its id at once and its number when the
//! batch is written. A unit rolled back takes what it held with it.
//!
//! Number series are counted in memory after a batch's first allocation
//! from each ([`allocate_held`]): the batch holds the write lock, so no one
//! else can take a number meanwhile, and the counter is written once, with
//! the batch.
//!
//! Reads of what no unit writes (contacts, accounts, taxes) are shared
//! by the units of a batch ([`recall`], [`remember`]): they cannot change
//! while the batch holds the write lock, and a batch of one
//! organization's invoices reads the same customer, tax and accounts
//! again and again.
//!
//! Writers are sharded by a key (the organization): units of one
//! organization share a writer (they serialize on its number series
//! anyway).

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use futures::future::BoxFuture;
use sqlx::AnyConnection;
use tokio::sync::mpsc;
use tracing::Instrument;

use crate::documents::{DocLineRow, DocRow, docs_insert, lines_insert};
use crate::journal::{NewEntry, insert_entries, insert_entries_with};
use crate::series::SeriesKey;
use crate::{Store, StoreError};

/// What the units of a batch wrote that nothing in the batch reads back:
/// their journal entries, new drafts and events.
struct Held {
    entries: Vec<NewEntry>,
    /// Documents to write, and whether each is new (its lines are held
    /// too).
    docs: Vec<(DocRow, bool)>,
    lines: Vec<DocLineRow>,
    events: crate::sql::Insert,
    /// Number series the batch has allocated from: the value in the
    /// database and the next to give.
    series: HashMap<SeriesSlot, (i64, i64)>,
    /// Rows read by the batch's units, by [`remember`]'s key.
    read: HashMap<String, Box<dyn Any + Send>>,
    /// Whether reads are shared ([`remember`]): in SQLite's batches, which
    /// hold the write lock, not in a PostgreSQL transaction of its own,
    /// where a row read twice may be locked the second time.
    share_reads: bool,
}

impl Held {
    fn new(share_reads: bool) -> Held {
        Held {
            entries: Vec::new(),
            docs: Vec::new(),
            lines: Vec::new(),
            events: crate::outbox::insert_statement(),
            series: HashMap::new(),
            read: HashMap::new(),
            share_reads,
        }
    }
}

/// A number series: organization, document type, branch, fiscal year.
type SeriesSlot = (String, String, String, String);

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

/// Holds a new draft and its lines, inside a unit of a group commit:
/// `false` outside one (the caller writes them).
pub(crate) fn hold_doc(doc: &DocRow, lines: &[DocLineRow]) -> bool {
    HELD.try_with(|h| {
        let mut h = h.borrow_mut();
        h.docs.push((doc.clone(), true));
        h.lines.extend_from_slice(lines);
    })
    .is_ok()
}

/// Holds a document saved inside a unit: one held already is replaced;
/// another is held in a transaction of its own ([`run_alone`]), where no
/// one else reads it before the commit and its own reads see it
/// ([`held_doc`]); `false` otherwise (the caller writes it now: in a
/// shared batch another unit may read the row).
pub(crate) fn hold_saved_doc(doc: &DocRow) -> bool {
    HELD.try_with(|h| {
        let mut h = h.borrow_mut();
        if let Some((held, _)) = h.docs.iter_mut().find(|(d, _)| d.id == doc.id) {
            *held = doc.clone();
            return true;
        }
        if h.share_reads {
            return false;
        }
        h.docs.push((doc.clone(), false));
        true
    })
    .unwrap_or(false)
}

/// A document held to be written: what reads of it in the same unit see.
pub(crate) fn held_doc(id: &str) -> Option<DocRow> {
    HELD.try_with(|h| {
        h.borrow()
            .docs
            .iter()
            .find(|(d, _)| d.id == id)
            .map(|(d, _)| d.clone())
    })
    .ok()
    .flatten()
}

/// The held lines of a new draft held to be written.
pub(crate) fn held_lines(id: &str) -> Option<Vec<DocLineRow>> {
    HELD.try_with(|h| {
        let h = h.borrow();
        h.docs.iter().any(|(d, new)| *new && d.id == id).then(|| {
            h.lines
                .iter()
                .filter(|l| l.document_id == id)
                .cloned()
                .collect()
        })
    })
    .ok()
    .flatten()
}

/// Replaces the lines of a new draft held to be written: `false` when it
/// is not held.
pub(crate) fn replace_held_lines(doc_id: &str, lines: &[DocLineRow]) -> bool {
    HELD.try_with(|h| {
        let mut h = h.borrow_mut();
        if !h.docs.iter().any(|(d, new)| *new && d.id == doc_id) {
            return false;
        }
        h.lines.retain(|l| l.document_id != doc_id);
        h.lines.extend_from_slice(lines);
        true
    })
    .unwrap_or(false)
}

/// Takes `count` numbers of a series the batch already allocated from:
/// the first, or `None` (outside a unit, or the series' first allocation
/// in the batch, which [`note_series`] then records).
pub(crate) fn allocate_held(key: &SeriesKey<'_>, count: i64) -> Option<i64> {
    HELD.try_with(|h| {
        let mut h = h.borrow_mut();
        let (_, next) = h.series.get_mut(&slot(key))?;
        let first = *next;
        *next += count;
        Some(first)
    })
    .ok()
    .flatten()
}

/// Records that the database's counter of a series is now `stored`, inside
/// a unit: the batch's later allocations count on from it.
pub(crate) fn note_series(key: &SeriesKey<'_>, stored: i64) {
    let _ = HELD.try_with(|h| {
        h.borrow_mut().series.insert(slot(key), (stored, stored));
    });
}

fn slot(key: &SeriesKey<'_>) -> SeriesSlot {
    (
        key.organization_id.to_string(),
        key.doc_type.to_owned(),
        key.branch.to_owned(),
        key.fiscal_year.to_owned(),
    )
}

/// A row an earlier unit of the batch read under `key` (see
/// [`remember`]); `None` outside a unit.
pub(crate) fn recall<T: Clone + 'static>(key: &str) -> Option<T> {
    HELD.try_with(|h| {
        h.borrow()
            .read
            .get(key)
            .and_then(|v| v.downcast_ref::<T>())
            .cloned()
    })
    .ok()
    .flatten()
}

/// Keeps a row read inside a unit for the batch's later units. Only for
/// rows of tables no unit writes: a unit rolled back does not take it
/// back.
pub(crate) fn remember<T: Clone + Send + 'static>(key: String, row: &T) {
    let _ = HELD.try_with(|h| {
        let mut h = h.borrow_mut();
        if h.share_reads {
            h.read.insert(key, Box::new(row.clone()));
        }
    });
}

/// Writes what the batch's units held back.
/// A unique number two units took together is [`StoreError::Taken`].
async fn write_held(conn: &mut AnyConnection) -> Result<(), StoreError> {
    write_held_rows(conn).await.map_err(|e| {
        if e.is_unique_violation() {
            StoreError::Taken
        } else {
            e
        }
    })
}

async fn write_held_rows(conn: &mut AnyConnection) -> Result<(), StoreError> {
    let (mut entries, docs, lines, events, series) = HELD.with(|h| {
        let mut h = h.borrow_mut();
        (
            std::mem::take(&mut h.entries),
            std::mem::take(&mut h.docs),
            std::mem::take(&mut h.lines),
            std::mem::replace(&mut h.events, crate::outbox::insert_statement()),
            std::mem::take(&mut h.series),
        )
    });
    for ((org, doc_type, branch, fy), (stored, next)) in series {
        if next != stored {
            crate::series::store_next(conn, &org, &doc_type, &branch, &fy, next).await?;
        }
    }
    let rest = vec![
        docs_insert(docs.iter().map(|(d, _)| d)),
        lines_insert(&lines),
        events,
    ];
    if entries.is_empty() {
        crate::sql::run_inserts(conn, rest).await
    } else {
        insert_entries_with(conn, &mut entries, rest).await
    }
}

/// How much is held: a unit rolled back is cut back to it.
struct Mark {
    entries: usize,
    docs: usize,
    lines: usize,
    events: usize,
    series: HashMap<SeriesSlot, (i64, i64)>,
}

fn held_mark() -> Mark {
    HELD.with(|h| {
        let h = h.borrow();
        Mark {
            entries: h.entries.len(),
            docs: h.docs.len(),
            lines: h.lines.len(),
            events: h.events.rows(),
            series: h.series.clone(),
        }
    })
}

fn cut_back(mark: Mark) {
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        h.entries.truncate(mark.entries);
        h.docs.truncate(mark.docs);
        h.lines.truncate(mark.lines);
        h.events.truncate_rows(mark.events);
        h.series = mark.series;
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
    HELD.scope(RefCell::new(Held::new(true)), run_held(store, jobs))
        .await
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
    HELD.scope(RefCell::new(Held::new(false)), run).await
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
        // Each unit opens a savepoint and leaves it open when it succeeds:
        // savepoints nest, the commit ends them all, and a failed unit
        // rolls back to its own (the innermost of the name), one statement
        // per unit instead of two.
        for job in &mut jobs {
            if let Err(e) = sqlx::query("SAVEPOINT unit").execute(&mut *wtx.tx).await {
                return Err((e.into(), jobs));
            }
            let mark = held_mark();
            let ok = job.run(&mut wtx.tx).await;
            if !ok {
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
                let key = SeriesKey {
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
