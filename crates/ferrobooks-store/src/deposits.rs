//! Deposits of undeposited funds and the payments each takes.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::sql::Insert;
use crate::{OrgId, StoreError, sql};

#[derive(Debug, Clone, FromRow)]
pub struct DepositRow {
    pub id: String,
    pub organization_id: OrgId,
    pub date: String,
    /// The bank account the money went into.
    pub account_id: String,
    /// In the bank account's currency.
    pub amount: i64,
    pub base_amount: i64,
    pub memo: Option<String>,
    /// posted or void.
    pub status: String,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLS: &str = "id, organization_id, date, account_id, amount, base_amount, memo, status, \
    journal_entry_id, created_at, updated_at";

pub async fn save_deposit(conn: &mut AnyConnection, r: &DepositRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO deposits ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.date)
    .bind(&r.account_id)
    .bind(r.amount)
    .bind(r.base_amount)
    .bind(&r.memo)
    .bind(&r.status)
    .bind(&r.journal_entry_id)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_deposit(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    lock: bool,
) -> Result<Option<DepositRow>, StoreError> {
    let suffix = if lock {
        sql::lock(sql::backend_of(conn), sql::Lock::Update)
    } else {
        ""
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM deposits WHERE organization_id = $1 AND id = $2{suffix}"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn list_deposits<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    after: &str,
    limit: i64,
) -> Result<Vec<DepositRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM deposits WHERE organization_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(org)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// The payments a deposit takes.
pub async fn payments_of<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    deposit_id: &str,
) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT payment_id FROM deposit_items WHERE organization_id = $1 AND deposit_id = $2 \
         ORDER BY payment_id",
    )
    .bind(org)
    .bind(deposit_id)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|(p,)| p).collect())
}

/// The live deposit that took `payment_id`, if any.
pub async fn deposit_of_payment<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    payment_id: &str,
) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT deposit_id FROM deposit_items WHERE organization_id = $1 AND payment_id = $2",
    )
    .bind(org)
    .bind(payment_id)
    .fetch_optional(e)
    .await?;
    Ok(row.map(|(d,)| d))
}

/// Records the payments a deposit takes; one another live deposit took
/// already fails as `Taken` (the unique key), which the caller checked.
pub async fn insert_items(
    conn: &mut AnyConnection,
    org: &OrgId,
    deposit_id: &str,
    payments: &[&str],
) -> Result<(), StoreError> {
    let mut ins = Insert::new(
        "deposit_items",
        &["organization_id", "deposit_id", "payment_id"],
    );
    for p in payments {
        ins.row(vec![org.into(), deposit_id.into(), (*p).into()]);
    }
    sql::run_inserts(conn, vec![ins]).await
}

/// Frees a voided deposit's payments.
pub async fn delete_items(
    conn: &mut AnyConnection,
    org: &OrgId,
    deposit_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM deposit_items WHERE organization_id = $1 AND deposit_id = $2")
        .bind(org)
        .bind(deposit_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
