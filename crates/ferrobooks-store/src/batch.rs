//! Group commit for postings.
//!
//! Each commit costs a durable flush (one fsync on SQLite with
//! `synchronous=FULL`, one WAL flush on PostgreSQL), which caps a one-entry-
//! per-commit ledger at a few thousand entries a second. Requests therefore
//! hand their checked entries to one writer task per process; it takes every
//! entry waiting, writes them together in one transaction with multi-row
//! statements, commits once, and answers each request. A request is answered
//! only after the commit that holds its entry, so durability is unchanged.
//!
//! An entry that fails its own checks (an archived account) is answered
//! with its error and left out; if the batch fails as a whole, each entry is
//! retried alone so one bad entry cannot fail its neighbours.

use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};

use crate::journal::{EntryRow, NewEntry, check_accounts, insert_entries};
use crate::{Store, StoreError};

/// The most entries one commit carries.
const MAX_BATCH: usize = 512;

type Reply = oneshot::Sender<Result<EntryRow, StoreError>>;

/// The handle requests use to post entries through the group-commit writer.
///
/// The writer task starts with the first entry, so a process that never
/// posts (a CLI command) runs no task for it.
#[derive(Clone, Debug)]
pub struct PostingQueue {
    store: Store,
    tx: Arc<OnceLock<mpsc::Sender<(NewEntry, Reply)>>>,
}

impl PostingQueue {
    /// A queue for `store`; its writer ends when every handle is dropped,
    /// after finishing what it holds.
    pub fn new(store: Store) -> PostingQueue {
        PostingQueue {
            store,
            tx: Arc::default(),
        }
    }

    /// Writes the entry (posted or draft) and returns its row with the
    /// number it was given, once it is durable.
    pub async fn submit(&self, entry: NewEntry) -> Result<EntryRow, StoreError> {
        let (reply, answer) = oneshot::channel();
        let tx = self.tx.get_or_init(|| {
            let (tx, rx) = mpsc::channel(8192);
            tokio::spawn(writer(self.store.clone(), rx));
            tx
        });
        tx.send((entry, reply))
            .await
            .map_err(|_| StoreError::QueueClosed)?;
        answer.await.map_err(|_| StoreError::QueueClosed)?
    }
}

async fn writer(store: Store, mut rx: mpsc::Receiver<(NewEntry, Reply)>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let jobs = std::mem::take(&mut batch);
        let n = jobs.len();
        if let Err((e, jobs)) = write_batch(&store, jobs).await {
            tracing::warn!(error = %e, entries = n, "group commit failed; retrying one by one");
            for job in jobs {
                if let Err((e, mut rest)) = write_batch(&store, vec![job]).await
                    && let Some((_, reply)) = rest.pop()
                {
                    let _ = reply.send(Err(e));
                }
            }
        }
    }
}

type Failed = (StoreError, Vec<(NewEntry, Reply)>);

/// Writes the jobs in one transaction. On a batch-wide failure the jobs come
/// back unanswered with the error.
async fn write_batch(store: &Store, jobs: Vec<(NewEntry, Reply)>) -> Result<(), Failed> {
    let mut wtx = match store.begin_write().await {
        Ok(t) => t,
        Err(e) => return Err((e, jobs)),
    };
    let (mut entries, replies): (Vec<NewEntry>, Vec<Reply>) = jobs.into_iter().unzip();
    let checks = match check_accounts(&mut wtx.tx, &entries).await {
        Ok(c) => c,
        Err(e) => return Err((e, entries.into_iter().zip(replies).collect())),
    };
    // Answer the entries that failed their checks; keep the rest.
    let mut keep_entries = Vec::with_capacity(entries.len());
    let mut keep_replies = Vec::with_capacity(entries.len());
    for ((entry, reply), check) in entries.drain(..).zip(replies).zip(checks) {
        match check {
            Ok(()) => {
                keep_entries.push(entry);
                keep_replies.push(reply);
            }
            Err(e) => {
                let _ = reply.send(Err(e));
            }
        }
    }
    if keep_entries.is_empty() {
        return Ok(());
    }
    let result = match insert_entries(&mut wtx.tx, &mut keep_entries).await {
        Ok(()) => wtx.commit().await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            for (entry, reply) in keep_entries.into_iter().zip(keep_replies) {
                let _ = reply.send(Ok(entry.row));
            }
            Ok(())
        }
        Err(e) => {
            // Numbers were filled in before the failure; clear them for the retry.
            for en in &mut keep_entries {
                en.row.number = None;
            }
            Err((e, keep_entries.into_iter().zip(keep_replies).collect()))
        }
    }
}
