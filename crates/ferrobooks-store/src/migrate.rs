//! Embedded, portable migrations, applied in order and never edited.
//!
//! A tiny runner rather than sqlx's, because the same SQL files serve both
//! backends. On PostgreSQL an advisory lock keeps two starting processes from
//! migrating at once; SQLite's write lock does the same there.

use sqlx::{Executor, Row};

use crate::{Backend, Store, StoreError, now};

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/0001_foundation.sql"),
    ),
    (
        2,
        "rate_limits",
        include_str!("../migrations/0002_rate_limits.sql"),
    ),
    (
        3,
        "idempotency",
        include_str!("../migrations/0003_idempotency.sql"),
    ),
    (
        4,
        "webhooks",
        include_str!("../migrations/0004_webhooks.sql"),
    ),
    (
        5,
        "customers",
        include_str!("../migrations/0005_customers.sql"),
    ),
    (6, "taxes", include_str!("../migrations/0006_taxes.sql")),
    (
        7,
        "products",
        include_str!("../migrations/0007_products.sql"),
    ),
    (
        8,
        "document_series",
        include_str!("../migrations/0008_document_series.sql"),
    ),
    (
        9,
        "sales_documents",
        include_str!("../migrations/0009_sales_documents.sql"),
    ),
    (
        10,
        "entry_source",
        include_str!("../migrations/0010_entry_source.sql"),
    ),
    (
        11,
        "contact_balances",
        include_str!("../migrations/0011_contact_balances.sql"),
    ),
    (
        12,
        "customer_sez",
        include_str!("../migrations/0012_customer_sez.sql"),
    ),
    (
        13,
        "numbers_once",
        include_str!("../migrations/0013_numbers_once.sql"),
    ),
    (
        14,
        "ledger_totals",
        include_str!("../migrations/0014_ledger_totals.sql"),
    ),
    (15, "jobs", include_str!("../migrations/0015_jobs.sql")),
    (
        16,
        "event_sequences",
        include_str!("../migrations/0016_event_sequences.sql"),
    ),
    (
        17,
        "reply_content_type",
        include_str!("../migrations/0017_reply_content_type.sql"),
    ),
    (
        18,
        "vendors",
        include_str!("../migrations/0018_vendors.sql"),
    ),
    (
        19,
        "documents",
        include_str!("../migrations/0019_documents.sql"),
    ),
];

const LOCK_ID: i64 = 0x4645_5252_4f42; // "FERROB"

pub async fn run(store: &Store) -> Result<(), StoreError> {
    let mut conn = store.pool.acquire().await?;
    if store.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(LOCK_ID)
            .execute(&mut *conn)
            .await?;
    }
    let result = apply(&mut conn, store.backend).await;
    if store.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(LOCK_ID)
            .execute(&mut *conn)
            .await?;
    }
    result
}

async fn apply(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<(), StoreError> {
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .await?;
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()?;
    for (version, name, sql) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        tracing::info!(version, name, ?backend, "applying migration");
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        // Split on ';' line ends: the files hold plain DDL, no procedures.
        for stmt in sql.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
            let stmt: String = stmt
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n");
            if stmt.trim().is_empty() {
                continue;
            }
            tx.execute(stmt.as_str())
                .await
                .map_err(|e| StoreError::Migration {
                    version: *version,
                    message: e.to_string(),
                })?;
        }
        // Then each line `-- postgres-only: <statement>` runs on PostgreSQL alone:
        // the one escape hatch from portable SQL, for storage options
        // SQLite has no words for.
        if backend == Backend::Postgres {
            for stmt in sql
                .lines()
                .filter_map(|l| l.trim().strip_prefix("-- postgres-only:"))
            {
                tx.execute(stmt.trim())
                    .await
                    .map_err(|e| StoreError::Migration {
                        version: *version,
                        message: e.to_string(),
                    })?;
            }
        }
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(version)
        .bind(*name)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    Ok(())
}
