//! Payments, received from customers (side `sale`) or made to vendors
//! (side `purchase`), and the allocations that settle invoices and bills
//! from a payment or a credit (a credit note, a vendor credit).

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::OrgId;
use crate::StoreError;
use crate::sql::{self, Insert};

#[derive(Debug, Clone, Default, FromRow)]
pub struct PaymentRow {
    pub id: String,
    pub organization_id: OrgId,
    pub number: Option<String>,
    /// `sale` (from a customer) or `purchase` (to a vendor).
    pub side: String,
    /// The customer or vendor.
    pub contact_id: String,
    pub date: String,
    pub currency: String,
    pub exchange_rate: String,
    pub amount: i64,
    pub applied: i64,
    pub base_amount: i64,
    pub base_applied: i64,
    pub deposit_account_id: String,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const PAYMENT_COLS: &[&str] = &[
    "id",
    "organization_id",
    "number",
    "side",
    "contact_id",
    "date",
    "currency",
    "exchange_rate",
    "amount",
    "applied",
    "base_amount",
    "base_applied",
    "deposit_account_id",
    "method",
    "reference",
    "journal_entry_id",
    "created_at",
    "updated_at",
];

#[derive(Debug, Clone, Default, FromRow)]
pub struct AllocationRow {
    pub id: String,
    pub organization_id: OrgId,
    /// payment, credit_note or vendor_credit.
    pub source_type: String,
    pub source_id: String,
    /// The invoice or bill settled.
    pub document_id: String,
    pub contact_id: String,
    pub date: String,
    pub amount: i64,
    pub base_released: i64,
    pub base_settled: i64,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
}

const ALLOCATION_COLS: &[&str] = &[
    "id",
    "organization_id",
    "source_type",
    "source_id",
    "document_id",
    "contact_id",
    "date",
    "amount",
    "base_released",
    "base_settled",
    "journal_entry_id",
    "created_at",
];

pub async fn save_payment(conn: &mut AnyConnection, p: &PaymentRow) -> Result<(), StoreError> {
    let sets: Vec<String> = PAYMENT_COLS[1..]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let mut ins = Insert::new("payments", PAYMENT_COLS).tail(format!(
        "ON CONFLICT (id) DO UPDATE SET {}",
        sets.join(", ")
    ));
    ins.row(vec![
        (&p.id).into(),
        (&p.organization_id).into(),
        (&p.number).into(),
        (&p.side).into(),
        (&p.contact_id).into(),
        (&p.date).into(),
        (&p.currency).into(),
        (&p.exchange_rate).into(),
        p.amount.into(),
        p.applied.into(),
        p.base_amount.into(),
        p.base_applied.into(),
        (&p.deposit_account_id).into(),
        (&p.method).into(),
        (&p.reference).into(),
        (&p.journal_entry_id).into(),
        (&p.created_at).into(),
        (&p.updated_at).into(),
    ]);
    sql::run_inserts(conn, vec![ins]).await
}

/// A live payment of `side`.
pub async fn get_payment<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    side: &str,
    id: &str,
) -> Result<Option<PaymentRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM payments WHERE organization_id = $1 AND id = $2 AND side = $3 \
         AND deleted_at IS NULL",
        PAYMENT_COLS.join(", ")
    ))
    .bind(org)
    .bind(id)
    .bind(side)
    .fetch_optional(e)
    .await?)
}

/// A live payment of `side`, locked until the transaction ends.
pub async fn lock_payment(
    conn: &mut AnyConnection,
    org: &OrgId,
    side: &str,
    id: &str,
) -> Result<Option<PaymentRow>, StoreError> {
    let lock = sql::lock(sql::backend_of(conn), sql::Lock::Update);
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM payments WHERE organization_id = $1 AND id = $2 AND side = $3 \
         AND deleted_at IS NULL{lock}",
        PAYMENT_COLS.join(", ")
    ))
    .bind(org)
    .bind(id)
    .bind(side)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn list_payments<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    side: &str,
    after: &str,
    contact_id: &str,
    limit: i64,
) -> Result<Vec<PaymentRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM payments WHERE organization_id = $1 AND deleted_at IS NULL AND id > $2 \
         AND ($3 = '' OR contact_id = $3) AND side = $5 ORDER BY id LIMIT $4",
        PAYMENT_COLS.join(", ")
    ))
    .bind(org)
    .bind(after)
    .bind(contact_id)
    .bind(limit)
    .bind(side)
    .fetch_all(e)
    .await?)
}

pub async fn delete_payment(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE payments SET deleted_at = $3, updated_at = $3 WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn insert_allocations(
    conn: &mut AnyConnection,
    rows: &[AllocationRow],
) -> Result<(), StoreError> {
    let mut ins = Insert::new("allocations", ALLOCATION_COLS);
    for a in rows {
        ins.row(vec![
            (&a.id).into(),
            (&a.organization_id).into(),
            (&a.source_type).into(),
            (&a.source_id).into(),
            (&a.document_id).into(),
            (&a.contact_id).into(),
            (&a.date).into(),
            a.amount.into(),
            a.base_released.into(),
            a.base_settled.into(),
            (&a.journal_entry_id).into(),
            (&a.created_at).into(),
        ]);
    }
    sql::run_inserts(conn, vec![ins]).await
}

/// Live allocations made from a payment or credit, or (with
/// `by_document`) settling an invoice or bill.
pub async fn allocations<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
    by_document: bool,
) -> Result<Vec<AllocationRow>, StoreError> {
    let col = if by_document {
        "document_id"
    } else {
        "source_id"
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM allocations WHERE organization_id = $1 AND {col} = $2 \
         AND deleted_at IS NULL ORDER BY id",
        ALLOCATION_COLS.join(", ")
    ))
    .bind(org)
    .bind(id)
    .fetch_all(e)
    .await?)
}

/// Live allocations made from any of the given sources, in id order.
pub async fn allocations_of_sources<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    ids: &[&str],
) -> Result<Vec<AllocationRow>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let text = format!(
        "SELECT {} FROM allocations WHERE organization_id = $1 AND source_id IN ({}) \
         AND deleted_at IS NULL ORDER BY id",
        ALLOCATION_COLS.join(", "),
        sql::list(2, ids.len())
    );
    let mut q = sqlx::query_as(&text).bind(org);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(e).await?)
}

/// Marks one allocation undone.
pub async fn delete_allocation(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE allocations SET deleted_at = $3 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn delete_allocations_of_source(
    conn: &mut AnyConnection,
    org: &OrgId,
    source_id: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE allocations SET deleted_at = $3 \
         WHERE organization_id = $1 AND source_id = $2 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(source_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
