#![forbid(unsafe_code)]
//! Persistence for Ferrobooks on SQLite and PostgreSQL.
//!
//! One implementation serves both databases: queries are portable SQL run
//! through sqlx's `Any` driver, with `$N` placeholders (which SQLite accepts
//! too). The backend is chosen once, from the URL, in [`Store::connect`].
//! Dialect differences are confined to [`Backend`] and the `sql` module
//! (row locks, multi-row inserts, the backend of a connection), with a
//! handful of spots that ask it (the migration lock, connection pragmas).
//!
//! Tenancy is in the types: every function over an organization's rows
//! takes `org: &OrgId` first after the connection, so a document's id can
//! never stand where the organization's belongs.
//!
//! One naming rule for functions over a resource's rows, `verb_noun`:
//! `get_customer` (by id; `None` when absent), `lock_doc` (the same, held
//! for update in the caller's transaction), `list_taxes` (a page),
//! `insert_product`, `update_account`, `save_payment` (insert or replace a
//! whole row), `delete_draft` / `soft_delete_customer`. A query that
//! answers a question is named for its answer (`customer_has_lines`,
//! `number_taken`, `lines_of`). The platform's queues (`idempotency`,
//! `jobs`, `outbox`, `ratelimit`) are the noun themselves, so their
//! functions are bare verbs (`jobs::enqueue`, `idempotency::claim`).

mod error;
mod ids;
mod migrate;
mod reach;
mod rows;
mod sql;

pub mod accounts;
pub mod aging;
pub mod bank_matches;
pub mod bank_rules;
pub mod banking;
pub mod batch;
pub mod budgets;
pub mod contacts;
pub mod deposits;
pub mod documents;
pub mod export;
pub mod fixed_assets;
pub mod idempotency;
pub mod imports;
pub mod jobs;
pub mod journal;
pub mod loans;
pub mod names;
pub mod oauth;
pub mod outbox;
pub mod payments;
pub mod payroll;
pub mod periods;
pub mod products;
pub mod ratelimit;
pub mod reconciliations;
pub mod reports;
pub mod revaluations;
pub mod series;
pub mod subscriptions;
pub mod tax_returns;
pub mod taxes;
pub mod tenancy;
pub mod units;
pub mod users;
pub mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard};

pub use error::StoreError;
pub use ids::OrgId;

/// A connection (or an open transaction, through `&mut *tx`).
pub type Conn = sqlx::AnyConnection;
/// A connection held from the pool (it derefs to [`Conn`]).
pub type PooledConn = sqlx::pool::PoolConnection<sqlx::Any>;

/// The database behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle to the database, cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer; taking this lock before a write transaction
    /// turns "database is locked" races into an orderly queue. PostgreSQL
    /// needs no such lock.
    write_lock: Option<Arc<Mutex<()>>>,
    /// Idempotency keys whose first request is running, on SQLite (one
    /// process owns the database, so in-flight claims need not be durable).
    inflight: idempotency::Inflight,
    /// Notified after every committed write transaction, so work that
    /// follows commits (webhook delivery) wakes without being called.
    committed: Arc<Notify>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

/// A write transaction; on SQLite it also holds the process's write lock.
///
/// Dropped without a commit (an error), it rolls back *before* it lets
/// the write lock go: sqlx would otherwise run the rollback later, and the
/// next writer, already reading, could find the database still locked by
/// the abandoned transaction and fail at once (SQLite does not wait for a
/// read transaction that needs to become a write).
pub struct WriteTx {
    pub tx: Tx,
    guard: Option<OwnedMutexGuard<()>>,
    committed: Arc<Notify>,
}

/// The connection of a [`WriteTx`]; it derefs to the transaction's
/// connection, so `&mut wtx.tx` and `&mut *wtx.tx` work as executors.
pub struct Tx(Option<Transaction<'static, Any>>);

impl std::ops::Deref for Tx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        self.0.as_deref().expect("transaction used after commit")
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.0
            .as_deref_mut()
            .expect("transaction used after commit")
    }
}

impl WriteTx {
    pub async fn commit(mut self) -> Result<(), StoreError> {
        if let Some(tx) = self.tx.0.take() {
            tx.commit().await?;
            self.committed.notify_one();
        }
        Ok(())
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(tx) = self.tx.0.take() else {
            return;
        };
        let guard = self.guard.take();
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    if let Err(e) = tx.rollback().await {
                        tracing::warn!(error = %e, "rolling back an abandoned transaction failed");
                    }
                    drop(guard);
                });
            }
            // No runtime (process shutting down): sqlx rolls back on drop.
            Err(_) => drop(tx),
        }
    }
}

impl Store {
    /// Connects to `url` (`sqlite://PATH`, `sqlite::memory:`, or
    /// `postgres://...`), creating a SQLite file if needed, and runs the
    /// migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::open(url, true).await
    }

    /// Opens the database; `migrate` false leaves its schema as it is (an
    /// upgrade test writes rows in an older shape first).
    pub(crate) async fn open(url: &str, migrate: bool) -> Result<Store, StoreError> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Config(format!(
                "unsupported database URL '{}': use sqlite://PATH or postgres://...",
                redact(url)
            )));
        };
        match backend {
            Backend::Sqlite => {
                if let Some(path) = reach::sqlite_path(url) {
                    reach::sqlite(&path)?;
                }
            }
            Backend::Postgres => reach::postgres(url).await?,
        }
        let (url, max) = match backend {
            Backend::Sqlite => {
                let u = if url.contains('?') {
                    url.to_owned()
                } else {
                    format!("{url}?mode=rwc")
                };
                (u, 8)
            }
            Backend::Postgres => (url.to_owned(), 16),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Savepoints' sub-journals (one per unit of a group
                        // commit) in memory, not in a temporary file.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
                             PRAGMA temp_store = MEMORY;",
                        )
                        .await?;
                    } else {
                        // Every query here is short: JIT compilation (tens
                        // of milliseconds) never pays for itself, and stale
                        // statistics after a bulk load would trigger it on
                        // queries that take a few milliseconds.
                        conn.execute("SET jit = off").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let store = Store {
            pool,
            backend,
            write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            inflight: idempotency::Inflight::default(),
            committed: Arc::new(Notify::new()),
        };
        if !migrate {
            return Ok(store);
        }
        migrate::run(&store).await?;
        if backend == Backend::Sqlite {
            let mut conn = store.pool.acquire().await?;
            outbox::load_webhook_orgs(&mut conn).await?;
            outbox::load_sequences(&mut conn).await?;
        }
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// One connection of the pool, for reads that take several queries.
    pub async fn read_conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a read-only transaction that sees one snapshot of the
    /// books throughout (REPEATABLE READ on PostgreSQL; on SQLite a read
    /// transaction in WAL mode already does), so a report made of several
    /// queries ties out even while others post. Dropping it ends it.
    pub async fn begin_read(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend() == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// Begins a transaction that may write.
    pub async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let tx = self.pool.begin().await?;
        Ok(WriteTx {
            tx: Tx(Some(tx)),
            guard,
            committed: self.committed.clone(),
        })
    }

    /// Resolves after the next commit of a write transaction of this
    /// process (or at once if one committed since the last wait).
    pub async fn committed(&self) {
        self.committed.notified().await;
    }

    /// For a single autocommit write outside [`Store::begin_write`]: holds
    /// SQLite's process write lock while it runs (nothing on PostgreSQL).
    /// Every write on SQLite must hold it, or a writer mid-transaction can
    /// fail to upgrade its read lock.
    pub async fn write_guard(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        }
    }

    /// Checks that the database answers; for `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A URL with its password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Current time as stored: RFC 3339 UTC with microseconds.
pub fn now() -> String {
    format_time(chrono::Utc::now())
}

/// A time as stored (see [`now`]), so stored times compare as text.
pub fn format_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A new id: a prefix and a ULID, so ids sort by creation and say what they
/// name (`acc_01j...`). Ids made by this process are strictly increasing,
/// even within one millisecond, so lists ordered by id follow creation.
pub fn new_id(prefix: &str) -> String {
    use std::sync::Mutex;
    static LAST: Mutex<u128> = Mutex::new(0);
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    *last = ulid::Ulid::new().0.max(last.wrapping_add(1));
    let id = ulid::Ulid(*last);
    format!("{prefix}_{}", id.to_string().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_sort_in_creation_order() {
        let ids: Vec<String> = (0..1000).map(|_| super::new_id("x")).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids out of order");
    }
}
