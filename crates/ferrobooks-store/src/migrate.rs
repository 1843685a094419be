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
    (
        20,
        "payments_both_sides",
        include_str!("../migrations/0020_payments_both_sides.sql"),
    ),
    (
        21,
        "inventory_cost",
        include_str!("../migrations/0021_inventory_cost.sql"),
    ),
    (
        22,
        "foreign_currency_lines",
        include_str!("../migrations/0022_foreign_currency_lines.sql"),
    ),
    (
        23,
        "banking",
        include_str!("../migrations/0023_banking.sql"),
    ),
    (
        24,
        "transfers",
        include_str!("../migrations/0024_transfers.sql"),
    ),
    (
        25,
        "fx_revaluations",
        include_str!("../migrations/0025_fx_revaluations.sql"),
    ),
    (
        26,
        "reconciliations",
        include_str!("../migrations/0026_reconciliations.sql"),
    ),
    (
        27,
        "bank_matches",
        include_str!("../migrations/0027_bank_matches.sql"),
    ),
    (
        28,
        "bank_rules",
        include_str!("../migrations/0028_bank_rules.sql"),
    ),
    (
        29,
        "deposits",
        include_str!("../migrations/0029_deposits.sql"),
    ),
    (
        30,
        "bank_rule_tax_contact",
        include_str!("../migrations/0030_bank_rule_tax_contact.sql"),
    ),
    (
        31,
        "period_locks",
        include_str!("../migrations/0031_period_locks.sql"),
    ),
    (32, "aging", include_str!("../migrations/0032_aging.sql")),
    (
        33,
        "tax_returns",
        include_str!("../migrations/0033_tax_returns.sql"),
    ),
    (
        34,
        "account_parents",
        include_str!("../migrations/0034_account_parents.sql"),
    ),
    (
        35,
        "imports",
        include_str!("../migrations/0035_imports.sql"),
    ),
    (
        36,
        "journal_reference",
        include_str!("../migrations/0036_journal_reference.sql"),
    ),
    (
        37,
        "payment_reference",
        include_str!("../migrations/0037_payment_reference.sql"),
    ),
    (38, "loans", include_str!("../migrations/0038_loans.sql")),
    (
        39,
        "fixed_assets",
        include_str!("../migrations/0039_fixed_assets.sql"),
    ),
    (
        40,
        "payroll",
        include_str!("../migrations/0040_payroll.sql"),
    ),
    (
        41,
        "subscriptions",
        include_str!("../migrations/0041_subscriptions.sql"),
    ),
    (
        42,
        "budgets",
        include_str!("../migrations/0042_budgets.sql"),
    ),
    (
        43,
        "document_employee",
        include_str!("../migrations/0043_document_employee.sql"),
    ),
    (44, "users", include_str!("../migrations/0044_users.sql")),
    (
        45,
        "sessions",
        include_str!("../migrations/0045_sessions.sql"),
    ),
    (46, "oauth", include_str!("../migrations/0046_oauth.sql")),
];

const LOCK_ID: i64 = 0x4645_5252_4f42; // "FERROB"

pub async fn run(store: &Store) -> Result<(), StoreError> {
    run_until(store, i64::MAX).await
}

/// Applies the migrations up to `last` (all of them in production; an
/// upgrade test stops earlier to write rows in an older shape).
pub(crate) async fn run_until(store: &Store, last: i64) -> Result<(), StoreError> {
    let mut conn = store.pool.acquire().await?;
    if store.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(LOCK_ID)
            .execute(&mut *conn)
            .await?;
    }
    let result = apply(&mut conn, store.backend, last).await;
    if store.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(LOCK_ID)
            .execute(&mut *conn)
            .await?;
    }
    result
}

async fn apply(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    last: i64,
) -> Result<(), StoreError> {
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
        if applied.contains(version) || *version > last {
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

#[cfg(test)]
mod tests {
    use sqlx::Connection;

    use super::*;

    /// A fresh database URL: a temporary SQLite file, or a new PostgreSQL
    /// database on the test server.
    async fn fresh(backend: Backend) -> (String, Option<tempfile::TempDir>, Option<String>) {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("up.db").display());
                (url, Some(dir), None)
            }
            Backend::Postgres => {
                let admin = std::env::var("FERROBOOKS_TEST_POSTGRES_URL").unwrap();
                let name = format!("fb_upgrade_{:016x}", rand::random::<u64>());
                let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut c)
                    .await
                    .unwrap();
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                (format!("{base}/{name}"), None, Some(name))
            }
        }
    }

    /// A sales document written before migration 19 is still there after
    /// it, in `documents` with its customer as `contact_id`, and its lines
    /// in `document_lines` with the new columns at their defaults.
    async fn documents_survive_the_rename(backend: Backend) {
        let (url, _dir, pg_name) = fresh(backend).await;
        let store = Store::open(&url, false).await.unwrap();
        run_until(&store, 18).await.unwrap();
        let mut conn = store.pool().acquire().await.unwrap();
        for q in [
            "INSERT INTO tenants (id, name, created_at) VALUES ('ten_1', 'T', 'now')",
            "INSERT INTO organizations (id, tenant_id, name, base_currency, country, fiscal_year_start, \
             timezone, date_format, created_at, updated_at) \
             VALUES ('org_1', 'ten_1', 'O', 'USD', 'US', '01-01', 'UTC', 'YYYY-MM-DD', 'now', 'now')",
            "INSERT INTO sales_documents (id, organization_id, doc_type, status, customer_id, date, \
             branch, currency, exchange_rate, round_total, subtotal, discount_total, tax_total, \
             rounding, total, paid, credited, base_total, base_settled, overdue_notified, \
             created_at, updated_at) VALUES ('inv_1', 'org_1', 'invoice', 'draft', 'cus_1', \
             '2026-01-01', '', 'USD', '1', 0, 1000, 0, 0, 0, 1000, 0, 0, 1000, 0, 0, 'now', 'now')",
            "INSERT INTO sales_document_lines (document_id, line_no, organization_id, quantity, \
             unit_price, discount, net, account_id, taxes, tax_amount) \
             VALUES ('inv_1', 0, 'org_1', '1', 1000, 0, 1000, 'acc_1', '[]', 0)",
        ] {
            sqlx::query(q).execute(&mut *conn).await.unwrap();
        }
        drop(conn);
        run(&store).await.unwrap();
        let (contact, total, vendor_ref): (String, i64, Option<String>) = sqlx::query_as(
            "SELECT contact_id, total, vendor_reference FROM documents WHERE id = 'inv_1'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!((contact.as_str(), total, vendor_ref), ("cus_1", 1000, None));
        let (net, rc): (i64, i64) = sqlx::query_as(
            "SELECT net, reverse_charge FROM document_lines WHERE document_id = 'inv_1'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!((net, rc), (1000, 0));
        // Migrating again changes nothing.
        run(&store).await.unwrap();
        store.close().await;
        if let Some(name) = pg_name {
            let admin = std::env::var("FERROBOOKS_TEST_POSTGRES_URL").unwrap();
            let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut c)
                .await
                .unwrap();
        }
    }

    #[tokio::test]
    async fn documents_survive_the_rename_sqlite() {
        documents_survive_the_rename(Backend::Sqlite).await;
    }

    #[tokio::test]
    #[cfg_attr(
        not(postgres_tests),
        ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set"
    )]
    async fn documents_survive_the_rename_postgres() {
        documents_survive_the_rename(Backend::Postgres).await;
    }
}
