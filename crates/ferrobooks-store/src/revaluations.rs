//! Unrealized FX revaluations: the foreign-currency balances a revaluation
//! reads as of a date, and the revaluations themselves.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::{OrgId, StoreError};

/// An account kept in another currency than the base, with its balance on
/// a date: debit minus credit in base and in its own currency.
#[derive(Debug, Clone, FromRow)]
pub struct ForeignAccount {
    pub account_id: String,
    pub currency: String,
    pub base_balance: i64,
    pub balance: i64,
}

pub async fn foreign_accounts_on<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    base: &str,
    day: &str,
) -> Result<Vec<ForeignAccount>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id AS account_id, a.currency, \
           CAST(SUM(b.debit) - SUM(b.credit) AS BIGINT) AS base_balance, \
           CAST(SUM(b.foreign_debit) - SUM(b.foreign_credit) AS BIGINT) AS balance \
         FROM accounts a JOIN account_balances b \
           ON b.organization_id = a.organization_id AND b.account_id = a.id \
         WHERE a.organization_id = $1 AND a.currency <> $2 AND b.day <= $3 \
         GROUP BY a.id, a.currency ORDER BY a.id",
    )
    .bind(org)
    .bind(base)
    .bind(day)
    .fetch_all(e)
    .await?)
}

/// An open foreign-currency item on a date: an invoice or bill (what is
/// still owed) or a payment (what is not yet applied), in its currency
/// and in base as carried.
#[derive(Debug, Clone, FromRow)]
pub struct OpenItem {
    pub id: String,
    /// invoice, bill, or payment (with `side`).
    pub kind: String,
    pub side: String,
    pub contact_id: String,
    pub currency: String,
    pub open: i64,
    pub base_open: i64,
}

/// Invoices and bills posted on or before `day` in another currency, less
/// what allocations dated on or before `day` settled; and payments less
/// what they had applied by then. Void documents and deleted payments are
/// left out.
pub async fn open_foreign_items<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    base: &str,
    day: &str,
) -> Result<Vec<OpenItem>, StoreError> {
    let settled = |col: &str, key: &str, of: &str| {
        format!(
            "COALESCE((SELECT SUM(x.{col}) FROM allocations x WHERE x.organization_id = $1 \
               AND x.{key} = {of}.id AND x.date <= $3 AND x.deleted_at IS NULL), 0)"
        )
    };
    let q = format!(
        "SELECT d.id, d.doc_type AS kind, CASE WHEN d.doc_type = 'bill' THEN 'purchase' ELSE 'sale' END AS side, \
           d.contact_id, d.currency, \
           CAST(d.total - {} AS BIGINT) AS open, CAST(d.base_total - {} AS BIGINT) AS base_open \
         FROM documents d \
         WHERE d.organization_id = $1 AND d.currency <> $2 AND d.date <= $3 \
           AND d.doc_type IN ('invoice', 'bill') AND d.journal_entry_id IS NOT NULL \
           AND d.status NOT IN ('draft', 'void') AND d.deleted_at IS NULL \
         UNION ALL \
         SELECT p.id, 'payment' AS kind, p.side, p.contact_id, p.currency, \
           CAST(p.amount - {} AS BIGINT) AS open, CAST(p.base_amount - {} AS BIGINT) AS base_open \
         FROM payments p \
         WHERE p.organization_id = $1 AND p.currency <> $2 AND p.date <= $3 AND p.deleted_at IS NULL \
         ORDER BY 1",
        settled("amount", "document_id", "d"),
        settled("base_settled", "document_id", "d"),
        settled("amount", "source_id", "p"),
        settled("base_released", "source_id", "p"),
    );
    Ok(sqlx::query_as(&q)
        .bind(org)
        .bind(base)
        .bind(day)
        .fetch_all(e)
        .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct RevaluationRow {
    pub id: String,
    pub organization_id: OrgId,
    pub date: String,
    /// JSON object: currency -> rate text.
    pub rates: String,
    /// JSON array of the revalued items, as answered.
    pub lines: String,
    pub total: i64,
    pub journal_entry_id: Option<String>,
    pub reversal_entry_id: Option<String>,
    pub created_at: String,
}

const COLS: &str = "id, organization_id, date, rates, lines, total, journal_entry_id, \
    reversal_entry_id, created_at";

pub async fn insert_revaluation(
    conn: &mut AnyConnection,
    r: &RevaluationRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO fx_revaluations ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.date)
    .bind(&r.rates)
    .bind(&r.lines)
    .bind(r.total)
    .bind(&r.journal_entry_id)
    .bind(&r.reversal_entry_id)
    .bind(&r.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_revaluation<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<RevaluationRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM fx_revaluations WHERE organization_id = $1 AND id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

pub async fn list_revaluations<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    after: &str,
    limit: i64,
) -> Result<Vec<RevaluationRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM fx_revaluations WHERE organization_id = $1 AND id > $2 \
         ORDER BY id LIMIT $3"
    ))
    .bind(org)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}
