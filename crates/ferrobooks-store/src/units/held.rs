//! What the units of a batch hold back (see [`super`]).
//!
//! What units write, the journal entries they post ([`post`]), the
//! documents they make and save ([`crate::documents::insert_doc`],
//! [`crate::documents::save_doc`]) and their events, is held back and
//! written together, with one multi-row statement per table, just before
//! the commit: a unit's entry has its id at once and its number when the
//! batch is written. A unit rolled back takes what it held with it. A unit
//! reads its own held documents back ([`held_doc`]); one that reaches a
//! document another unit of the batch saved runs again in the next batch,
//! so no unit reads a row an earlier one changed.
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
//! A PostgreSQL request in a transaction of its own ([`super::run_alone`])
//! holds its writes the same way (as a batch of one, without shared reads).

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::StoreError;
use crate::documents::{DocLineRow, DocRow, docs_insert, lines_insert};
use crate::journal::{NewEntry, insert_entries, insert_entries_with};
use crate::series::SeriesKey;

/// What the units of a batch wrote, to be written with it.
struct Held {
    entries: Vec<NewEntry>,
    /// Documents to write, one row each (the last version saved).
    docs: Vec<HeldDoc>,
    /// The unit running: a document one unit saved is another's to touch
    /// only in a later batch ([`held_doc`]).
    unit: usize,
    /// Whether the running unit reached a document another unit of the
    /// batch saved: it runs again in the next batch.
    busy: bool,
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
            unit: 0,
            busy: false,
            lines: Vec::new(),
            events: crate::outbox::insert_statement(),
            series: HashMap::new(),
            read: HashMap::new(),
            share_reads,
        }
    }
}

/// A document saved in a batch.
struct HeldDoc {
    row: DocRow,
    /// A new draft, whose lines are held too.
    new: bool,
    /// The unit that saved it.
    unit: usize,
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
        let unit = h.unit;
        h.docs.push(HeldDoc {
            row: doc.clone(),
            new: true,
            unit,
        });
        h.lines.extend_from_slice(lines);
    })
    .is_ok()
}

impl Held {
    /// Where a document is held, if the running unit may see it: one
    /// another unit saved makes the running one [`StoreError::Busy`].
    fn find(&mut self, id: &str) -> Result<Option<usize>, StoreError> {
        match self.docs.iter().position(|d| d.row.id == id) {
            Some(i) if self.docs[i].unit != self.unit => {
                self.busy = true;
                Err(StoreError::Busy)
            }
            found => Ok(found),
        }
    }
}

/// Holds a document saved inside a unit, to be written with the batch (or,
/// on PostgreSQL, with the transaction's other rows): `Ok(false)` outside
/// one (the caller writes it now). The unit's own reads see it
/// ([`held_doc`]); another unit of the batch that reaches it runs again in
/// the next batch. A version the unit saved before is replaced in place:
/// it was held after the unit's mark, so a rollback still cuts it.
pub(crate) fn hold_saved_doc(doc: &DocRow) -> Result<bool, StoreError> {
    HELD.try_with(|h| {
        let mut h = h.borrow_mut();
        match h.find(&doc.id)? {
            Some(i) => h.docs[i].row = doc.clone(),
            None => {
                let unit = h.unit;
                h.docs.push(HeldDoc {
                    row: doc.clone(),
                    new: false,
                    unit,
                });
            }
        }
        Ok(true)
    })
    .unwrap_or(Ok(false))
}

/// A document the running unit saved: what its reads of it see (`Busy`
/// when another unit of the batch saved it).
pub(crate) fn held_doc(id: &str) -> Result<Option<DocRow>, StoreError> {
    HELD.try_with(|h| {
        let mut h = h.borrow_mut();
        Ok(h.find(id)?.map(|i| h.docs[i].row.clone()))
    })
    .unwrap_or(Ok(None))
}

/// The lines of a new draft the running unit holds.
pub(crate) fn held_lines(id: &str) -> Result<Option<Vec<DocLineRow>>, StoreError> {
    HELD.try_with(|h| {
        let mut h = h.borrow_mut();
        let new = h.find(id)?.is_some_and(|i| h.docs[i].new);
        Ok(new.then(|| {
            h.lines
                .iter()
                .filter(|l| l.document_id == id)
                .cloned()
                .collect()
        }))
    })
    .unwrap_or(Ok(None))
}

/// Replaces the lines of a new draft the running unit holds: `Ok(false)`
/// when it holds none of that id.
pub(crate) fn replace_held_lines(doc_id: &str, lines: &[DocLineRow]) -> Result<bool, StoreError> {
    HELD.try_with(|h| {
        let mut h = h.borrow_mut();
        if !h.find(doc_id)?.is_some_and(|i| h.docs[i].new) {
            return Ok(false);
        }
        h.lines.retain(|l| l.document_id != doc_id);
        h.lines.extend_from_slice(lines);
        Ok(true)
    })
    .unwrap_or(Ok(false))
}

/// Starts unit `n` of the batch.
pub(super) fn begin_unit(n: usize) {
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        h.unit = n;
        h.busy = false;
    });
}

/// Whether the unit that just ran reached another's document.
pub(super) fn was_busy() -> bool {
    HELD.with(|h| h.borrow().busy)
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

/// A row no unit writes, read once per batch: from an earlier unit's
/// read ([`recall`]) or by `read`, then kept ([`remember`]).
pub(crate) async fn read_shared<T, F>(key: String, read: F) -> Result<Option<T>, StoreError>
where
    T: Clone + Send + 'static,
    F: std::future::Future<Output = Result<Option<T>, StoreError>>,
{
    if let Some(row) = recall::<T>(&key) {
        return Ok(Some(row));
    }
    let row = read.await?;
    if let Some(row) = &row {
        remember(key, row);
    }
    Ok(row)
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
pub(super) async fn write_held(conn: &mut AnyConnection) -> Result<(), StoreError> {
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
        docs_insert(docs.iter().map(|d| &d.row)),
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
pub(super) struct Mark {
    entries: usize,
    docs: usize,
    lines: usize,
    events: usize,
    series: HashMap<SeriesSlot, (i64, i64)>,
}

pub(super) fn held_mark() -> Mark {
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

pub(super) fn cut_back(mark: Mark) {
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        h.entries.truncate(mark.entries);
        h.docs.truncate(mark.docs);
        h.lines.truncate(mark.lines);
        h.events.truncate_rows(mark.events);
        h.series = mark.series;
    });
}

/// Runs `f` with a fresh held state: shared reads in a SQLite batch.
pub(super) async fn scope<F: std::future::Future>(share_reads: bool, f: F) -> F::Output {
    HELD.scope(RefCell::new(Held::new(share_reads)), f).await
}
