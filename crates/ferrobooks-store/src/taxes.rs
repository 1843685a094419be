//! The tax catalogue.

use std::collections::HashMap;
use std::sync::RwLock;

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::sql::{self, Insert};
use crate::{OrgId, StoreError, now};

#[derive(Debug, Clone, FromRow)]
pub struct TaxRow {
    pub id: String,
    pub organization_id: OrgId,
    pub name: String,
    /// gst, vat, sales_tax.
    pub kind: String,
    /// Percent, exact decimal text.
    pub rate: String,
    pub cess_rate: String,
    pub cess_per_unit: i64,
    pub exempt: i64,
    /// JSON array of {name, rate, account_id}.
    pub components: String,
    pub effective_from: Option<String>,
    pub effective_to: Option<String>,
    pub active: i64,
    pub created_at: String,
    pub updated_at: String,
}

const COLS: &str = "id, organization_id, name, kind, rate, cess_rate, cess_per_unit, exempt, \
    components, effective_from, effective_to, active, created_at, updated_at";

pub async fn insert_tax(conn: &mut AnyConnection, rows: &[TaxRow]) -> Result<(), StoreError> {
    let mut ins = Insert::new(
        "taxes",
        &[
            "id",
            "organization_id",
            "name",
            "kind",
            "rate",
            "cess_rate",
            "cess_per_unit",
            "exempt",
            "components",
            "effective_from",
            "effective_to",
            "active",
            "created_at",
            "updated_at",
        ],
    );
    for t in rows {
        ins.row(vec![
            (&t.id).into(),
            (&t.organization_id).into(),
            (&t.name).into(),
            (&t.kind).into(),
            (&t.rate).into(),
            (&t.cess_rate).into(),
            t.cess_per_unit.into(),
            t.exempt.into(),
            (&t.components).into(),
            (&t.effective_from).into(),
            (&t.effective_to).into(),
            t.active.into(),
            (&t.created_at).into(),
            (&t.updated_at).into(),
        ]);
    }
    sql::run_inserts(conn, vec![ins]).await
}

pub async fn update_tax<'c, E: Executor<'c, Database = Any>>(
    e: E,
    t: &TaxRow,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE taxes SET name = $3, rate = $4, cess_rate = $5, cess_per_unit = $6, exempt = $7, \
         components = $8, effective_from = $9, effective_to = $10, active = $11, updated_at = $12 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(&t.organization_id)
    .bind(&t.id)
    .bind(&t.name)
    .bind(&t.rate)
    .bind(&t.cess_rate)
    .bind(t.cess_per_unit)
    .bind(t.exempt)
    .bind(&t.components)
    .bind(&t.effective_from)
    .bind(&t.effective_to)
    .bind(t.active)
    .bind(&t.updated_at)
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound("tax"));
    }
    Ok(())
}

pub async fn get_tax<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<TaxRow>, StoreError> {
    // Units of a group commit write no tax: the batch shares the row.
    let sql = format!(
        "SELECT {COLS} FROM taxes WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL"
    );
    crate::units::read_shared(format!("taxes:{org}:{id}"), async {
        let q = sqlx::query_as(&sql).bind(org).bind(id);
        Ok(q.fetch_optional(e).await?)
    })
    .await
}

pub async fn list_taxes<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    after: &str,
    kind: &str,
    limit: i64,
) -> Result<Vec<TaxRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM taxes WHERE organization_id = $1 AND deleted_at IS NULL \
         AND id > $2 AND ($3 = '' OR kind = $3) ORDER BY id LIMIT $4"
    ))
    .bind(org)
    .bind(after)
    .bind(kind)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

pub async fn soft_delete_tax<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE taxes SET deleted_at = $3, active = 0, updated_at = $3 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(now())
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound("tax"));
    }
    Ok(())
}

/// The id of the organization's account with `system_key`.
pub async fn account_by_key<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    system_key: &str,
) -> Result<Option<String>, StoreError> {
    let slot = (org.clone(), system_key.to_owned());
    if let Some(id) = SYSTEM_ACCOUNTS
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .and_then(|m| m.get(&slot))
    {
        return Ok(Some(id.clone()));
    }
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM accounts WHERE organization_id = $1 AND system_key = $2 \
         AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(system_key)
    .fetch_optional(e)
    .await?;
    if let Some((id,)) = &row {
        let mut map = SYSTEM_ACCOUNTS.write().unwrap_or_else(|p| p.into_inner());
        let map = map.get_or_insert_with(HashMap::new);
        if map.len() >= SYSTEM_ACCOUNTS_LIMIT {
            map.clear();
        }
        map.insert(slot, id.clone());
    }
    Ok(row.map(|r| r.0))
}

/// System accounts found so far, per organization and key. The mapping
/// never changes once an account has it (a system account cannot be
/// deleted, retyped or given another key), so every node may keep what it
/// has read; organization ids are unique across databases, so one map
/// serves every store of the process.
static SYSTEM_ACCOUNTS: RwLock<Option<HashMap<(OrgId, String), String>>> = RwLock::new(None);

/// Entries kept before the map starts over (about 30 keys an organization).
const SYSTEM_ACCOUNTS_LIMIT: usize = 300_000;
