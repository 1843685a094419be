//! What a plain-text export of the books reads: every account, the names
//! of contacts, and the posted entries of a date range page by page (by
//! date and id), so a journal of millions of entries streams out in
//! constant memory.

use sqlx::{AnyConnection, FromRow};

use crate::sql;
use crate::{OrgId, StoreError};

#[derive(Debug, Clone, FromRow)]
pub struct ExportAccount {
    pub id: String,
    pub code: String,
    pub name: String,
    #[sqlx(rename = "type")]
    pub account_type: String,
}

/// Every account of the organization, deleted ones too (a deleted account
/// never had lines, but the list is complete either way).
pub async fn accounts(
    conn: &mut AnyConnection,
    org: &OrgId,
) -> Result<Vec<ExportAccount>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, code, name, type FROM accounts WHERE organization_id = $1 ORDER BY code, id",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?)
}

/// Names of every customer and vendor, by id.
pub async fn contact_names(
    conn: &mut AnyConnection,
    org: &OrgId,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, name FROM customers WHERE organization_id = $1 \
         UNION ALL SELECT id, name FROM vendors WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct ExportEntry {
    pub id: String,
    pub date: String,
    pub number: Option<String>,
    pub memo: Option<String>,
    pub reference: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ExportLine {
    pub entry_id: String,
    pub account_id: String,
    pub debit: i64,
    pub credit: i64,
    pub description: Option<String>,
    pub contact_id: Option<String>,
}

/// Up to `limit` posted entries (voided ones too: a void keeps the entry
/// and adds its reversal) dated in `[from, to]`, after `(date, id)`, in
/// date and id order, with their lines in line order.
pub async fn entries_page(
    conn: &mut AnyConnection,
    org: &OrgId,
    (from, to): (&str, &str),
    after: (&str, &str),
    limit: i64,
) -> Result<(Vec<ExportEntry>, Vec<ExportLine>), StoreError> {
    let entries: Vec<ExportEntry> = sqlx::query_as(
        "SELECT id, date, number, memo, reference FROM journal_entries \
         WHERE organization_id = $1 AND status IN ('posted', 'void') \
           AND date >= $2 AND date <= $3 AND (date, id) > ($4, $5) \
         ORDER BY date, id LIMIT $6",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .bind(after.0)
    .bind(after.1)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    if entries.is_empty() {
        return Ok((entries, Vec::new()));
    }
    let text = format!(
        "SELECT entry_id, account_id, debit, credit, description, contact_id FROM journal_lines \
         WHERE organization_id = $1 AND entry_id IN ({}) ORDER BY entry_id, line_no",
        sql::list(2, entries.len())
    );
    let mut q = sqlx::query_as(&text).bind(org);
    for e in &entries {
        q = q.bind(&e.id);
    }
    let lines = q.fetch_all(&mut *conn).await?;
    Ok((entries, lines))
}
