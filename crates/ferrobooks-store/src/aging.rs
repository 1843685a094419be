//! What the aging reports read: the documents and payments open now, the
//! activity dated (or undone) after the report's day, and the control
//! account's balances per contact. Rolling the open items back by the
//! later activity gives what was open on the day, at a cost that follows
//! the open items and the activity since, not the whole history.

use sqlx::{AnyConnection, FromRow};

use crate::sql;
use crate::{OrgId, StoreError};

/// A document or payment that settles or is settled on a control account.
#[derive(Debug, Clone, FromRow)]
pub struct OpenItem {
    pub id: String,
    /// The document's type (`invoice`, `credit_note`, `bill`,
    /// `vendor_credit`) or `payment`.
    pub kind: String,
    pub number: Option<String>,
    pub contact_id: String,
    pub date: String,
    pub due_date: Option<String>,
    pub currency: String,
    /// In the document's currency.
    pub total: i64,
    /// The total in the base currency.
    pub base: i64,
    /// What is open now in the base currency (0 once void or deleted).
    pub open_now: i64,
    /// Voided (a document) or deleted (a payment).
    pub dead: i64,
    pub journal_entry_id: Option<String>,
    /// A document's branch (empty for a payment).
    pub branch: String,
}

const DOC_COLS: &str = "id, doc_type AS kind, number, contact_id, date, due_date, currency, total, \
     base_total AS base, \
     CASE WHEN status = 'void' THEN 0 ELSE base_total - base_settled END AS open_now, \
     CASE WHEN status = 'void' THEN 1 ELSE 0 END AS dead, journal_entry_id, branch";

const PAYMENT_COLS: &str = "id, 'payment' AS kind, number, contact_id, date, \
     CAST(NULL AS TEXT) AS due_date, currency, amount AS total, base_amount AS base, \
     CASE WHEN deleted_at IS NULL THEN base_amount - base_applied ELSE 0 END AS open_now, \
     CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END AS dead, journal_entry_id, CAST('' AS TEXT) AS branch";

/// Posted documents of `doc_types` with something open now.
pub async fn open_documents(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_types: [&str; 2],
) -> Result<Vec<OpenItem>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {DOC_COLS} FROM documents \
         WHERE organization_id = $1 AND doc_type IN ($2, $3) \
           AND base_total <> base_settled AND deleted_at IS NULL \
           AND status NOT IN ('draft', 'void') AND journal_entry_id IS NOT NULL"
    ))
    .bind(org)
    .bind(doc_types[0])
    .bind(doc_types[1])
    .fetch_all(&mut *conn)
    .await?)
}

/// Payments of `side` with credit not applied now.
pub async fn open_payments(
    conn: &mut AnyConnection,
    org: &OrgId,
    side: &str,
) -> Result<Vec<OpenItem>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLS} FROM payments \
         WHERE organization_id = $1 AND side = $2 \
           AND base_amount <> base_applied AND deleted_at IS NULL"
    ))
    .bind(org)
    .bind(side)
    .fetch_all(&mut *conn)
    .await?)
}

/// Posted documents of `doc_types` (void ones too) among `ids`.
pub async fn documents_by_ids(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_types: [&str; 2],
    ids: &[&str],
) -> Result<Vec<OpenItem>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(10_000) {
        let text = format!(
            "SELECT {DOC_COLS} FROM documents \
             WHERE organization_id = $1 AND doc_type IN ($2, $3) AND id IN ({}) \
               AND deleted_at IS NULL AND status <> 'draft' AND journal_entry_id IS NOT NULL",
            sql::list(4, chunk.len())
        );
        let mut q = sqlx::query_as(&text)
            .bind(org)
            .bind(doc_types[0])
            .bind(doc_types[1]);
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// Payments of `side` (deleted ones too) among `ids`.
pub async fn payments_by_ids(
    conn: &mut AnyConnection,
    org: &OrgId,
    side: &str,
    ids: &[&str],
) -> Result<Vec<OpenItem>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(10_000) {
        let text = format!(
            "SELECT {PAYMENT_COLS} FROM payments \
             WHERE organization_id = $1 AND side = $2 AND id IN ({})",
            sql::list(3, chunk.len())
        );
        let mut q = sqlx::query_as(&text).bind(org).bind(side);
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// An allocation as aging weighs it.
#[derive(Debug, Clone, FromRow)]
pub struct AgingAllocation {
    /// `payment` or the credit's document type.
    pub source_type: String,
    pub source_id: String,
    pub document_id: String,
    pub date: String,
    /// What left the source's credit, in the base currency.
    pub base_released: i64,
    /// What left the document's balance, in the base currency.
    pub base_settled: i64,
    pub journal_entry_id: Option<String>,
    pub deleted_at: Option<String>,
}

const ALLOC_COLS: &str = "source_type, source_id, document_id, date, base_released, base_settled, journal_entry_id, deleted_at";

/// Allocations dated after `day` (undone ones too: their exchange
/// entries are told apart by them).
pub async fn allocations_since(
    conn: &mut AnyConnection,
    org: &OrgId,
    day: &str,
) -> Result<Vec<AgingAllocation>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ALLOC_COLS} FROM allocations WHERE organization_id = $1 AND date > $2"
    ))
    .bind(org)
    .bind(day)
    .fetch_all(&mut *conn)
    .await?)
}

/// A posted entry a document or payment made after the report's day, with
/// what it moved on the control account (debit less credit).
#[derive(Debug, Clone, FromRow)]
pub struct LaterEntry {
    pub id: String,
    pub source: String,
    pub reversal_of: Option<String>,
    pub control: i64,
}

/// Entries with a source dated after `day`, and their net on `account`.
pub async fn entries_since(
    conn: &mut AnyConnection,
    org: &OrgId,
    account: &str,
    day: &str,
) -> Result<Vec<LaterEntry>, StoreError> {
    // Entries by date first (an index of those a document or payment
    // posted), then each one's lines: no scan of the whole journal.
    Ok(sqlx::query_as(
        "SELECT j.id, j.source, j.reversal_of, \
           CAST(COALESCE((SELECT SUM(l.debit - l.credit) FROM journal_lines l \
             WHERE l.entry_id = j.id AND l.account_id = $2), 0) AS BIGINT) AS control \
         FROM journal_entries j \
         WHERE j.organization_id = $1 AND j.date > $3 AND j.source IS NOT NULL \
           AND j.status IN ('posted', 'void')",
    )
    .bind(org)
    .bind(account)
    .bind(day)
    .fetch_all(&mut *conn)
    .await?)
}

/// Debit and credit of one contact (or of the lines naming none) on the
/// control account.
#[derive(Debug, Clone, FromRow)]
pub struct ContactControl {
    pub contact_id: Option<String>,
    pub debit: i64,
    pub credit: i64,
}

/// Per contact, what the control account holds on `day`: the maintained
/// per-contact balances, less the lines dated after it.
pub async fn control_by_contact(
    conn: &mut AnyConnection,
    org: &OrgId,
    account: &str,
    day: &str,
) -> Result<(Vec<ContactControl>, Vec<ContactControl>), StoreError> {
    let now = sqlx::query_as(
        "SELECT contact_id, debit, credit FROM contact_balances \
         WHERE organization_id = $1 AND account_id = $2",
    )
    .bind(org)
    .bind(account)
    .fetch_all(&mut *conn)
    .await?;
    let later = sqlx::query_as(
        "SELECT l.contact_id, CAST(SUM(l.debit) AS BIGINT) AS debit, \
           CAST(SUM(l.credit) AS BIGINT) AS credit \
         FROM journal_lines l JOIN journal_entries j ON j.id = l.entry_id \
         WHERE l.organization_id = $1 AND l.account_id = $2 AND l.date > $3 \
           AND j.status IN ('posted', 'void') \
         GROUP BY l.contact_id",
    )
    .bind(org)
    .bind(account)
    .bind(day)
    .fetch_all(&mut *conn)
    .await?;
    Ok((now, later))
}

/// The control account's debit less credit on `day`.
pub async fn account_net(
    conn: &mut AnyConnection,
    org: &OrgId,
    account: &str,
    day: &str,
) -> Result<i64, StoreError> {
    let (d, c): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT CAST(SUM(debit) AS BIGINT), CAST(SUM(credit) AS BIGINT) FROM account_balances \
         WHERE organization_id = $1 AND account_id = $2 AND day <= $3",
    )
    .bind(org)
    .bind(account)
    .bind(day)
    .fetch_one(&mut *conn)
    .await?;
    Ok(d.unwrap_or(0) - c.unwrap_or(0))
}
