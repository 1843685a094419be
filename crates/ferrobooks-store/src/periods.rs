//! The lock date up to which an organization's books are closed, and the
//! record of every close and reopen.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::sql::{Lock, backend_of, lock};
use crate::{OrgId, StoreError};

/// What refuses a posting: the lock date, and the periods of returns
/// filed and not reopened.
#[derive(Debug, Clone, Default)]
pub struct PostingLocks {
    pub lock_date: Option<String>,
    /// (return kind, first day, last day).
    pub filed: Vec<(String, String, String)>,
}

impl PostingLocks {
    /// Why nothing may post on `date`, if something forbids it.
    pub fn refusal(&self, date: &str) -> Option<StoreError> {
        if let Some(l) = self.lock_date.as_ref().filter(|l| date <= l.as_str()) {
            return Some(StoreError::PeriodClosed {
                date: date.to_owned(),
                lock_date: l.clone(),
            });
        }
        self.filed
            .iter()
            .find(|(_, from, to)| from.as_str() <= date && date <= to.as_str())
            .map(|(kind, from, to)| StoreError::PeriodFiled {
                date: date.to_owned(),
                kind: match kind.as_str() {
                    "vat_return" => "VAT return".to_owned(),
                    other => other.replace('_', " "),
                },
                from: from.clone(),
                to: to.clone(),
            })
    }
}

/// The organization's lock date and filed periods, read so that a close
/// or a filing cannot pass them unseen: on PostgreSQL the organization's
/// row is share-locked first (a close or a filing holds it exclusively), so
/// a posting either commits before the close reads the books or sees it.
pub async fn locks_for_posting(
    conn: &mut AnyConnection,
    org: &OrgId,
) -> Result<PostingLocks, StoreError> {
    // Units of a group commit neither close nor file: the batch, which
    // holds the row (or the write lock), shares what it read.
    let key = format!("posting_locks:{org}");
    if let Some(locks) = crate::units::recall::<PostingLocks>(&key) {
        return Ok(locks);
    }
    let hold = lock(backend_of(conn), Lock::Share);
    if !hold.is_empty() {
        sqlx::query(&format!("SELECT id FROM organizations WHERE id = $1{hold}"))
            .bind(org)
            .execute(&mut *conn)
            .await?;
    }
    let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT 'lock', lock_date, lock_date FROM period_locks WHERE organization_id = $1 \
         UNION ALL SELECT kind, date_from, date_to FROM tax_returns \
         WHERE organization_id = $1 AND status = 'filed'",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    let mut locks = PostingLocks::default();
    for (kind, from, to) in rows {
        match (kind.as_str(), from, to) {
            ("lock", d, _) => locks.lock_date = d,
            (_, Some(f), Some(t)) => locks.filed.push((kind, f, t)),
            _ => {}
        }
    }
    crate::units::remember(key, &locks);
    Ok(locks)
}

/// The organization's lock date, if its books were ever closed.
pub async fn lock_date<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
) -> Result<Option<String>, StoreError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT lock_date FROM period_locks WHERE organization_id = $1")
            .bind(org)
            .fetch_optional(e)
            .await?;
    Ok(row.and_then(|(d,)| d))
}

/// Holds the organization's row for a change of its lock date (postings
/// in flight finish first) and returns the date in force.
pub async fn lock_for_change(
    conn: &mut AnyConnection,
    org: &OrgId,
) -> Result<Option<String>, StoreError> {
    let hold = lock(backend_of(conn), Lock::Update);
    sqlx::query(&format!("SELECT id FROM organizations WHERE id = $1{hold}"))
        .bind(org)
        .execute(&mut *conn)
        .await?;
    lock_date(&mut *conn, org).await
}

/// A close or a reopen, as recorded.
#[derive(Debug, Clone, FromRow)]
pub struct PeriodEventRow {
    pub id: String,
    pub organization_id: OrgId,
    /// `close` or `reopen`.
    pub action: String,
    pub lock_date: Option<String>,
    pub previous_lock_date: Option<String>,
    pub reason: Option<String>,
    /// The API key that did it.
    pub key_id: Option<String>,
    pub created_at: String,
}

/// Sets the lock date and records the change.
pub async fn set_lock_date(
    conn: &mut AnyConnection,
    ev: &PeriodEventRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO period_locks (organization_id, lock_date, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (organization_id) DO UPDATE SET lock_date = excluded.lock_date, \
           updated_at = excluded.updated_at",
    )
    .bind(&ev.organization_id)
    .bind(&ev.lock_date)
    .bind(&ev.created_at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO period_lock_events (id, organization_id, action, lock_date, \
           previous_lock_date, reason, key_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&ev.id)
    .bind(&ev.organization_id)
    .bind(&ev.action)
    .bind(&ev.lock_date)
    .bind(&ev.previous_lock_date)
    .bind(&ev.reason)
    .bind(&ev.key_id)
    .bind(&ev.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every close and reopen, newest first.
pub async fn events<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
) -> Result<Vec<PeriodEventRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, organization_id, action, lock_date, previous_lock_date, reason, key_id, \
           created_at FROM period_lock_events WHERE organization_id = $1 ORDER BY id DESC",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}
