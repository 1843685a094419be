//! Counters of document number series.

use sqlx::AnyConnection;

use crate::OrgId;
use crate::StoreError;

/// Which counter: organization, document type (`invoice`, `credit_note`,
/// ...), branch (empty for none) and fiscal-year label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesKey<'a> {
    pub organization_id: &'a OrgId,
    pub doc_type: &'a str,
    pub branch: &'a str,
    pub fiscal_year: &'a str,
}

/// Takes `count` consecutive numbers of the series and returns the first.
/// Called in the transaction that uses them: the row lock is held to
/// commit, so concurrent allocators queue, a rolled-back allocation gives
/// its numbers back, and a committed number is never given again.
pub async fn allocate(
    conn: &mut AnyConnection,
    key: &SeriesKey<'_>,
    count: i64,
) -> Result<i64, StoreError> {
    if let Some(first) = crate::units::allocate_held(key, count) {
        return Ok(first);
    }
    let (next,): (i64,) = sqlx::query_as(
        "INSERT INTO document_series (organization_id, doc_type, branch, fiscal_year, next_value) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (organization_id, doc_type, branch, fiscal_year) DO UPDATE \
         SET next_value = document_series.next_value + excluded.next_value - 1 \
         RETURNING next_value",
    )
    .bind(key.organization_id)
    .bind(key.doc_type)
    .bind(key.branch)
    .bind(key.fiscal_year)
    .bind(count + 1)
    .fetch_one(&mut *conn)
    .await?;
    crate::units::note_series(key, next);
    Ok(next - count)
}

/// Sets a series' next number: a group commit's allocations, written with
/// its batch.
pub(crate) async fn store_next(
    conn: &mut AnyConnection,
    org: &str,
    doc_type: &str,
    branch: &str,
    fiscal_year: &str,
    next: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE document_series SET next_value = $5 \
         WHERE organization_id = $1 AND doc_type = $2 AND branch = $3 AND fiscal_year = $4",
    )
    .bind(org)
    .bind(doc_type)
    .bind(branch)
    .bind(fiscal_year)
    .bind(next)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
