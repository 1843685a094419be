//! Bank rules, applied to imported statement lines in priority order.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::{OrgId, StoreError, now};

#[derive(Debug, Clone, FromRow)]
pub struct RuleRow {
    pub id: String,
    pub organization_id: OrgId,
    pub name: String,
    /// Lower first.
    pub priority: i64,
    /// Only lines of this account; all accounts when none.
    pub bank_account_id: Option<String>,
    pub description_contains: Option<String>,
    pub payee_contains: Option<String>,
    /// `in` or `out`.
    pub direction: Option<String>,
    /// Bounds on the line's amount without its sign, minor units.
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    /// `categorize` or `mark`.
    pub action: String,
    pub account_id: Option<String>,
    pub memo: Option<String>,
    /// Categorize rules: the tax the line's amount includes, and the
    /// customer or vendor it is with.
    pub tax_id: Option<String>,
    pub contact_id: Option<String>,
    pub active: i64,
    pub created_at: String,
    pub updated_at: String,
}

const COLS: &str = "id, organization_id, name, priority, bank_account_id, description_contains, \
    payee_contains, direction, amount_min, amount_max, action, account_id, memo, active, \
    created_at, updated_at, tax_id, contact_id";

pub async fn save_rule(conn: &mut AnyConnection, r: &RuleRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO bank_rules ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
           $12, $13, $14, $15, $16, $17, $18) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, priority = excluded.priority, \
           bank_account_id = excluded.bank_account_id, \
           description_contains = excluded.description_contains, \
           payee_contains = excluded.payee_contains, direction = excluded.direction, \
           amount_min = excluded.amount_min, amount_max = excluded.amount_max, \
           action = excluded.action, account_id = excluded.account_id, memo = excluded.memo, \
           active = excluded.active, updated_at = excluded.updated_at, \
           tax_id = excluded.tax_id, contact_id = excluded.contact_id"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.name)
    .bind(r.priority)
    .bind(&r.bank_account_id)
    .bind(&r.description_contains)
    .bind(&r.payee_contains)
    .bind(&r.direction)
    .bind(r.amount_min)
    .bind(r.amount_max)
    .bind(&r.action)
    .bind(&r.account_id)
    .bind(&r.memo)
    .bind(r.active)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .bind(&r.tax_id)
    .bind(&r.contact_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_rule<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<RuleRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM bank_rules WHERE organization_id = $1 AND id = $2 \
           AND deleted_at IS NULL"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// A page of rules by id.
pub async fn list_rules<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    after: &str,
    limit: i64,
) -> Result<Vec<RuleRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM bank_rules WHERE organization_id = $1 AND deleted_at IS NULL \
           AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(org)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// The active rules that may apply to lines of `account_id`, in the order
/// they are tried.
pub async fn rules_for<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    account_id: &str,
) -> Result<Vec<RuleRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM bank_rules WHERE organization_id = $1 AND deleted_at IS NULL \
           AND active = 1 AND (bank_account_id IS NULL OR bank_account_id = $2) \
         ORDER BY priority, id"
    ))
    .bind(org)
    .bind(account_id)
    .fetch_all(e)
    .await?)
}

pub async fn soft_delete_rule(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE bank_rules SET deleted_at = $3, updated_at = $3 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("bank rule"));
    }
    Ok(())
}
