//! What a plain-text export of the books reads: every account, the names
//! of contacts, and the posted entries of a date range page by page (by
//! date and id), so a journal of millions of entries streams out in
//! constant memory.

use sqlx::{AnyConnection, FromRow};

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
    // The index range starts at the cursor's day, not the export's first:
    // SQLite does not seek on a row-value comparison, so without this each
    // page would scan every entry before it.
    let from = from.max(after.0);
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
    let Some(last) = entries.last() else {
        return Ok((entries, Vec::new()));
    };
    // The lines of the same entries, read by the same range of the index
    // (no list of ids to bind and plan).
    let lines = sqlx::query_as(
        "SELECT l.entry_id, l.account_id, l.debit, l.credit, l.description, l.contact_id \
         FROM journal_entries j JOIN journal_lines l ON l.entry_id = j.id \
         WHERE j.organization_id = $1 AND j.status IN ('posted', 'void') \
           AND j.date >= $2 AND j.date <= $3 AND (j.date, j.id) > ($4, $5) \
           AND (j.date, j.id) <= ($6, $7) \
         ORDER BY l.entry_id, l.line_no",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .bind(after.0)
    .bind(after.1)
    .bind(&last.date)
    .bind(&last.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok((entries, lines))
}
