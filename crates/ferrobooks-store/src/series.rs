//! Number series: the counters, the templates organizations choose, and
//! whether a number was already given.

use std::collections::HashMap;
use std::sync::RwLock;

use sqlx::{Any, AnyConnection, Executor};

use crate::OrgId;
use crate::StoreError;
use crate::sql;

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

/// The number template an organization chose for a document type.
pub async fn template<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    doc_type: &str,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_as::<_, (String,)>(
        "SELECT template FROM number_templates WHERE organization_id = $1 AND doc_type = $2",
    )
    .bind(org)
    .bind(doc_type)
    .fetch_optional(e)
    .await?
    .map(|r| r.0))
}

/// Templates a SQLite process has read while numbering, by organization
/// and document type (`None`: the default). SQLite has one writing
/// process and every numbering and every template change holds its write
/// lock, so an entry read under the lock and dropped by each change is
/// never stale. PostgreSQL reads the row each time (another node may
/// change it).
type Templates = HashMap<(OrgId, String), Option<String>>;
static TEMPLATES: RwLock<Option<Templates>> = RwLock::new(None);

/// The most templates kept; past it the cache starts again.
const TEMPLATES_LIMIT: usize = 100_000;

/// [`template`], for numbering inside a write transaction: on SQLite from
/// the process's cache.
pub async fn template_for_numbering(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_type: &str,
) -> Result<Option<String>, StoreError> {
    let sqlite = sql::backend_of(conn) == crate::Backend::Sqlite;
    let slot = (org.clone(), doc_type.to_owned());
    if sqlite
        && let Some(t) = TEMPLATES
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .and_then(|m| m.get(&slot))
    {
        return Ok(t.clone());
    }
    let t = template(&mut *conn, org, doc_type).await?;
    if sqlite {
        let mut map = TEMPLATES.write().unwrap_or_else(|p| p.into_inner());
        let map = map.get_or_insert_with(HashMap::new);
        if map.len() >= TEMPLATES_LIMIT {
            map.clear();
        }
        map.insert(slot, t.clone());
    }
    Ok(t)
}

pub async fn set_template(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_type: &str,
    template: &str,
    at: &str,
) -> Result<(), StoreError> {
    if let Some(map) = TEMPLATES
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .as_mut()
    {
        map.remove(&(org.clone(), doc_type.to_owned()));
    }
    sqlx::query(
        "INSERT INTO number_templates (organization_id, doc_type, template, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (organization_id, doc_type) \
         DO UPDATE SET template = excluded.template, updated_at = excluded.updated_at",
    )
    .bind(org)
    .bind(doc_type)
    .bind(template)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const PAYMENT_NUMBER: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM payments \
     WHERE organization_id = $1 AND number = $2 AND side = $3";

/// Whether a number was already given to a document of this type (or,
/// for `payment` and `bill_payment`, to a payment of that side) of the
/// organization.
pub async fn number_taken(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_type: &str,
    number: &str,
) -> Result<bool, StoreError> {
    let (sql, kind) = match doc_type {
        "payment" => (PAYMENT_NUMBER, "sale"),
        "bill_payment" => (PAYMENT_NUMBER, "purchase"),
        _ => (
            "SELECT CAST(COUNT(*) AS BIGINT) FROM documents \
             WHERE organization_id = $1 AND number = $2 AND doc_type = $3",
            doc_type,
        ),
    };
    let q = sqlx::query_as::<_, (i64,)>(sql)
        .bind(org)
        .bind(number)
        .bind(kind);
    let (n,) = q.fetch_one(&mut *conn).await?;
    Ok(n > 0)
}
