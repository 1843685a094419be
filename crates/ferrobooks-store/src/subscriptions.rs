//! Subscriptions and the invoices they issued, one per period.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::{OrgId, StoreError, rows};

/// A subscription.
#[derive(Debug, Clone, FromRow)]
pub struct SubscriptionRow {
    pub id: String,
    pub organization_id: OrgId,
    pub customer_id: String,
    pub name: String,
    /// The plan's invoice lines, a JSON array.
    pub lines: String,
    /// weekly, monthly, quarterly or yearly.
    pub interval_unit: String,
    pub start_date: String,
    pub end_date: Option<String>,
    pub invoice_count: Option<i64>,
    pub auto_approve: i64,
    pub auto_send: i64,
    pub reference: Option<String>,
    /// The next period to issue (0 for the first).
    pub next_period: i64,
    pub issued: i64,
    /// active, paused, cancelled or expired.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

const COLS: &str = "id, organization_id, customer_id, name, lines, interval_unit, start_date, \
    end_date, invoice_count, auto_approve, auto_send, reference, next_period, issued, status, \
    created_at, updated_at";

/// Inserts a subscription, or writes where it stands.
pub async fn save_subscription(
    conn: &mut AnyConnection,
    r: &SubscriptionRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO subscriptions ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (id) DO UPDATE SET next_period = excluded.next_period, \
         issued = excluded.issued, status = excluded.status, updated_at = excluded.updated_at"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.customer_id)
    .bind(&r.name)
    .bind(&r.lines)
    .bind(&r.interval_unit)
    .bind(&r.start_date)
    .bind(&r.end_date)
    .bind(r.invoice_count)
    .bind(r.auto_approve)
    .bind(r.auto_send)
    .bind(&r.reference)
    .bind(r.next_period)
    .bind(r.issued)
    .bind(&r.status)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_subscription(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    lock: bool,
) -> Result<Option<SubscriptionRow>, StoreError> {
    rows::by_id(conn, "subscriptions", COLS, org, id, lock).await
}

pub async fn list_subscriptions<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    status: Option<&str>,
    after: &str,
    limit: i64,
) -> Result<Vec<SubscriptionRow>, StoreError> {
    rows::page_by_status(e, "subscriptions", COLS, org, status, after, limit).await
}

/// A page of active subscriptions of every organization (or of one), by
/// (organization, id) after `after`: what the job walks.
pub async fn active_subscriptions<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: Option<&OrgId>,
    after: (&str, &str),
    limit: i64,
) -> Result<Vec<(OrgId, String)>, StoreError> {
    rows::active_ids(e, "subscriptions", org, after, limit).await
}

/// A period's invoice.
#[derive(Debug, Clone, FromRow)]
pub struct IssuedRow {
    pub subscription_id: String,
    pub period: i64,
    pub organization_id: OrgId,
    pub invoice_id: String,
    pub date: String,
    pub created_at: String,
}

/// Records a period's invoice; a period already issued is a conflict (the
/// primary key), so none is issued twice.
pub async fn insert_issued(conn: &mut AnyConnection, r: &IssuedRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO subscription_invoices (subscription_id, period, organization_id, \
         invoice_id, date, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&r.subscription_id)
    .bind(r.period)
    .bind(&r.organization_id)
    .bind(&r.invoice_id)
    .bind(&r.date)
    .bind(&r.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The invoices a subscription issued, by period.
pub async fn issued<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    subscription_id: &str,
) -> Result<Vec<IssuedRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT subscription_id, period, organization_id, invoice_id, date, created_at \
         FROM subscription_invoices WHERE organization_id = $1 AND subscription_id = $2 \
         ORDER BY period",
    )
    .bind(org)
    .bind(subscription_id)
    .fetch_all(e)
    .await?)
}
