//! Bank reconciliations and the ledger lines they clear.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::sql::Insert;
use crate::{OrgId, StoreError, sql};

/// Status values of a reconciliation.
pub mod status {
    pub const IN_PROGRESS: &str = "in_progress";
    pub const FINISHED: &str = "finished";
}

#[derive(Debug, Clone, FromRow)]
pub struct ReconciliationRow {
    pub id: String,
    pub organization_id: OrgId,
    pub account_id: String,
    pub statement_date: String,
    /// The statement's closing balance, in the account's currency, on the
    /// account's normal side.
    pub closing_balance: i64,
    /// The closing balance of the reconciliation before (0 for the first).
    pub opening_balance: i64,
    pub status: String,
    pub finished_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLS: &str = "id, organization_id, account_id, statement_date, closing_balance, \
    opening_balance, status, finished_at, created_at, updated_at";

pub async fn save_reconciliation(
    conn: &mut AnyConnection,
    r: &ReconciliationRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO reconciliations ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (id) DO UPDATE SET statement_date = excluded.statement_date, \
           closing_balance = excluded.closing_balance, status = excluded.status, \
           finished_at = excluded.finished_at, updated_at = excluded.updated_at"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.account_id)
    .bind(&r.statement_date)
    .bind(r.closing_balance)
    .bind(r.opening_balance)
    .bind(&r.status)
    .bind(&r.finished_at)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The account's reconciliations, newest first (held on PostgreSQL when
/// `lock`, so two changes to one account's reconciliations take turns).
pub async fn reconciliations_of(
    conn: &mut AnyConnection,
    org: &OrgId,
    account_id: &str,
    lock: bool,
) -> Result<Vec<ReconciliationRow>, StoreError> {
    let suffix = if lock {
        sql::lock(sql::backend_of(conn), sql::Lock::Update)
    } else {
        ""
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM reconciliations WHERE organization_id = $1 AND account_id = $2 \
         ORDER BY id DESC{suffix}"
    ))
    .bind(org)
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn delete_reconciliation(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM reconciled_lines WHERE organization_id = $1 AND reconciliation_id = $2",
    )
    .bind(org)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM reconciliations WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A ledger line of a bank account, as a reconciliation lists it.
#[derive(Debug, Clone, FromRow)]
pub struct BankLine {
    pub entry_id: String,
    pub line_no: i64,
    pub date: String,
    pub number: Option<String>,
    pub memo: Option<String>,
    pub description: Option<String>,
    /// Debit minus credit in the account's own currency.
    pub amount: i64,
    /// The reconciliation that cleared it, if any.
    pub reconciliation_id: Option<String>,
}

/// The account's posted lines dated on or before `day` that no other
/// reconciliation than `current` cleared, with the one that cleared them.
/// `foreign`: read the amount in the account's own currency.
pub async fn open_lines<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    account_id: &str,
    day: &str,
    current: &str,
    foreign: bool,
) -> Result<Vec<BankLine>, StoreError> {
    let amount = if foreign {
        "CASE WHEN l.debit > 0 THEN COALESCE(l.foreign_amount, 0) \
              ELSE -COALESCE(l.foreign_amount, 0) END"
    } else {
        "l.debit - l.credit"
    };
    Ok(sqlx::query_as(&format!(
        "SELECT l.entry_id, l.line_no, l.date, j.number, j.memo, l.description, \
           CAST({amount} AS BIGINT) AS amount, r.reconciliation_id \
         FROM journal_lines l JOIN journal_entries j ON j.id = l.entry_id \
         LEFT JOIN reconciled_lines r ON r.organization_id = l.organization_id \
           AND r.entry_id = l.entry_id AND r.line_no = l.line_no \
         WHERE l.organization_id = $1 AND l.account_id = $2 AND l.date <= $3 \
           AND j.status IN ('posted', 'void') \
           AND (r.reconciliation_id IS NULL OR r.reconciliation_id = $4) \
         ORDER BY l.date, j.number, l.line_no"
    ))
    .bind(org)
    .bind(account_id)
    .bind(day)
    .bind(current)
    .fetch_all(e)
    .await?)
}

/// Marks lines cleared by a reconciliation (a line another one holds is
/// left as it is: the caller offered only open lines).
pub async fn clear_lines(
    conn: &mut AnyConnection,
    org: &OrgId,
    reconciliation_id: &str,
    account_id: &str,
    lines: &[(&str, i64, i64)],
) -> Result<(), StoreError> {
    let mut ins = Insert::new(
        "reconciled_lines",
        &[
            "organization_id",
            "reconciliation_id",
            "account_id",
            "entry_id",
            "line_no",
            "amount",
        ],
    )
    .tail("ON CONFLICT (organization_id, entry_id, line_no) DO NOTHING");
    for (entry, line_no, amount) in lines {
        ins.row(vec![
            org.into(),
            reconciliation_id.into(),
            account_id.into(),
            (*entry).into(),
            (*line_no).into(),
            (*amount).into(),
        ]);
    }
    sql::run_inserts(conn, vec![ins]).await
}

/// Takes lines out of a reconciliation.
pub async fn unclear_lines(
    conn: &mut AnyConnection,
    org: &OrgId,
    reconciliation_id: &str,
    lines: &[(&str, i64)],
) -> Result<(), StoreError> {
    for (entry, line_no) in lines {
        sqlx::query(
            "DELETE FROM reconciled_lines WHERE organization_id = $1 AND reconciliation_id = $2 \
               AND entry_id = $3 AND line_no = $4",
        )
        .bind(org)
        .bind(reconciliation_id)
        .bind(*entry)
        .bind(*line_no)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The sum of the lines a reconciliation cleared (own currency, debit
/// positive) and their count.
pub async fn cleared_total<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    reconciliation_id: &str,
) -> Result<(i64, i64), StoreError> {
    Ok(sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM reconciled_lines WHERE organization_id = $1 AND reconciliation_id = $2",
    )
    .bind(org)
    .bind(reconciliation_id)
    .fetch_one(e)
    .await?)
}

/// The finished reconciliation that cleared a line of `entry_id`, with its
/// statement date, if any.
pub async fn finished_reconciliation_of_entry<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    entry_id: &str,
) -> Result<Option<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.statement_date FROM reconciled_lines l \
         JOIN reconciliations r ON r.id = l.reconciliation_id \
         WHERE l.organization_id = $1 AND l.entry_id = $2 AND r.status = 'finished' LIMIT 1",
    )
    .bind(org)
    .bind(entry_id)
    .fetch_optional(e)
    .await?)
}
