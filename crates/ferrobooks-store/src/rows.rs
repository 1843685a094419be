//! Reads every resource table answers the same way: one row by id in an
//! organization (held for update when asked), and a page by id of one
//! status or all.

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::{OrgId, StoreError, sql};

/// The row `id` of `table` (its columns `cols`), held for update on
/// PostgreSQL when `lock`.
pub(crate) async fn by_id<T>(
    conn: &mut AnyConnection,
    table: &str,
    cols: &str,
    org: &OrgId,
    id: &str,
    lock: bool,
) -> Result<Option<T>, StoreError>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    let suffix = if lock {
        sql::lock(sql::backend_of(conn), sql::Lock::Update)
    } else {
        ""
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {cols} FROM {table} WHERE organization_id = $1 AND id = $2{suffix}"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A page of `table` by id after `after`, of one status when given.
pub(crate) async fn page_by_status<'c, T, E>(
    e: E,
    table: &str,
    cols: &str,
    org: &OrgId,
    status: Option<&str>,
    after: &str,
    limit: i64,
) -> Result<Vec<T>, StoreError>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    E: Executor<'c, Database = Any>,
{
    Ok(sqlx::query_as(&format!(
        "SELECT {cols} FROM {table} WHERE organization_id = $1 AND id > $2 \
         AND ($3 = '' OR status = $3) ORDER BY id LIMIT $4"
    ))
    .bind(org)
    .bind(after)
    .bind(status.unwrap_or(""))
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// A page of the active rows of `table` in every organization (or in
/// one), by (organization, id) after `after`: what a scheduled job walks.
pub(crate) async fn active_ids<'c, E: Executor<'c, Database = Any>>(
    e: E,
    table: &str,
    org: Option<&OrgId>,
    after: (&str, &str),
    limit: i64,
) -> Result<Vec<(OrgId, String)>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT organization_id, id FROM {table} WHERE status = 'active' \
         AND ($1 = '' OR organization_id = $1) \
         AND (organization_id > $2 OR (organization_id = $2 AND id > $3)) \
         ORDER BY organization_id, id LIMIT $4"
    ))
    .bind(org.map(|o| o.as_str()).unwrap_or(""))
    .bind(after.0)
    .bind(after.1)
    .bind(limit)
    .fetch_all(e)
    .await?)
}
