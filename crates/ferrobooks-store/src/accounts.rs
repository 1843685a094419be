//! The chart of accounts and account balances.

use sqlx::{Any, Executor, FromRow};

use crate::OrgId;
use crate::StoreError;
use crate::sql::{self, Insert};

#[derive(Debug, Clone, FromRow)]
pub struct AccountRow {
    pub id: String,
    pub organization_id: OrgId,
    pub code: String,
    pub name: String,
    #[sqlx(rename = "type")]
    pub account_type: String,
    pub subtype: String,
    pub currency: String,
    pub description: Option<String>,
    pub system_key: Option<String>,
    /// The parent account (same type), for the statements' subtotals.
    pub parent_id: Option<String>,
    /// 1 active, 0 archived: the `Any` driver has no portable boolean.
    pub active: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// An account with its balance (debits minus credits) over all posted lines:
/// in base, and in the account's currency when that is another.
#[derive(Debug, Clone, FromRow)]
pub struct AccountWithBalance {
    #[sqlx(flatten)]
    pub account: AccountRow,
    pub debit: i64,
    pub credit: i64,
    pub foreign_debit: i64,
    pub foreign_credit: i64,
}

const COLS: &str = "a.id, a.organization_id, a.code, a.name, a.type, a.subtype, a.currency, \
    a.description, a.system_key, a.parent_id, a.active, a.created_at, a.updated_at";

/// Inserts accounts in multi-row statements (a new organization's chart).
pub async fn insert_accounts(
    conn: &mut sqlx::AnyConnection,
    rows: &[AccountRow],
) -> Result<(), StoreError> {
    let mut ins = Insert::new(
        "accounts",
        &[
            "id",
            "organization_id",
            "code",
            "name",
            "type",
            "subtype",
            "currency",
            "description",
            "system_key",
            "parent_id",
            "active",
            "created_at",
            "updated_at",
        ],
    );
    for a in rows {
        ins.row(vec![
            (&a.id).into(),
            (&a.organization_id).into(),
            (&a.code).into(),
            (&a.name).into(),
            (&a.account_type).into(),
            (&a.subtype).into(),
            (&a.currency).into(),
            (&a.description).into(),
            (&a.system_key).into(),
            (&a.parent_id).into(),
            a.active.into(),
            (&a.created_at).into(),
            (&a.updated_at).into(),
        ]);
    }
    sql::run_inserts(conn, vec![ins]).await
}

/// One page of the organization's live accounts, with balances, ordered by id
/// (creation order), after `cursor` if given.
pub async fn list_accounts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    filter: &AccountFilter<'_>,
) -> Result<Vec<AccountWithBalance>, StoreError> {
    let q = format!(
        "SELECT {COLS}, \
           CAST(COALESCE((SELECT SUM(b.debit) FROM account_balances b \
             WHERE b.organization_id = a.organization_id AND b.account_id = a.id), 0) AS BIGINT) AS debit, \
           CAST(COALESCE((SELECT SUM(b.credit) FROM account_balances b \
             WHERE b.organization_id = a.organization_id AND b.account_id = a.id), 0) AS BIGINT) AS credit, \
           CAST(COALESCE((SELECT SUM(b.foreign_debit) FROM account_balances b \
             WHERE b.organization_id = a.organization_id AND b.account_id = a.id), 0) AS BIGINT) AS foreign_debit, \
           CAST(COALESCE((SELECT SUM(b.foreign_credit) FROM account_balances b \
             WHERE b.organization_id = a.organization_id AND b.account_id = a.id), 0) AS BIGINT) AS foreign_credit \
         FROM accounts a \
         WHERE a.organization_id = $1 AND a.deleted_at IS NULL AND a.id > $2 \
           AND ($3 = '' OR a.type = $3) AND ($4 = '' OR a.subtype = $4) \
           AND ($5 = -1 OR a.active = $5) \
           AND ($6 = '' OR LOWER(a.name) LIKE $6 ESCAPE '\\' OR a.code LIKE $6 ESCAPE '\\') \
         ORDER BY a.id LIMIT $7"
    );
    let search = filter
        .search
        .map(crate::sql::contains_pattern)
        .unwrap_or_default();
    let active: i64 = match filter.active {
        None => -1,
        Some(true) => 1,
        Some(false) => 0,
    };
    Ok(sqlx::query_as(&q)
        .bind(org)
        .bind(filter.after.unwrap_or(""))
        .bind(filter.account_type.unwrap_or(""))
        .bind(filter.subtype.unwrap_or(""))
        .bind(active)
        .bind(search)
        .bind(filter.limit)
        .fetch_all(e)
        .await?)
}

/// Filters of the account list.
#[derive(Debug, Default)]
pub struct AccountFilter<'a> {
    pub after: Option<&'a str>,
    pub account_type: Option<&'a str>,
    pub subtype: Option<&'a str>,
    pub active: Option<bool>,
    pub search: Option<&'a str>,
    pub limit: i64,
}

pub async fn get_account<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<AccountWithBalance>, StoreError> {
    let q = format!(
        "SELECT {COLS}, \
           CAST(COALESCE(SUM(b.debit), 0) AS BIGINT) AS debit, \
           CAST(COALESCE(SUM(b.credit), 0) AS BIGINT) AS credit, \
           CAST(COALESCE(SUM(b.foreign_debit), 0) AS BIGINT) AS foreign_debit, \
           CAST(COALESCE(SUM(b.foreign_credit), 0) AS BIGINT) AS foreign_credit \
         FROM accounts a LEFT JOIN account_balances b \
           ON b.organization_id = a.organization_id AND b.account_id = a.id \
         WHERE a.organization_id = $1 AND a.id = $2 AND a.deleted_at IS NULL \
         GROUP BY {COLS}"
    );
    Ok(sqlx::query_as(&q)
        .bind(org)
        .bind(id)
        .fetch_optional(e)
        .await?)
}

/// The codes of the organization's live accounts.
pub async fn account_codes<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
) -> Result<std::collections::HashSet<String>, StoreError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT code FROM accounts WHERE organization_id = $1 AND deleted_at IS NULL",
    )
    .bind(org)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// Live accounts of the organization among `ids`.
pub async fn accounts_by_ids<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    ids: &[&str],
) -> Result<Vec<AccountRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Units of a group commit write no account: the batch shares the rows.
    let key = |id: &str| format!("accounts:{org}:{id}");
    let known: Option<Vec<AccountRow>> = ids
        .iter()
        .map(|id| crate::units::recall::<AccountRow>(&key(id)))
        .collect();
    if let Some(rows) = known {
        return Ok(rows);
    }
    let q = format!(
        "SELECT {COLS} FROM accounts a WHERE a.organization_id = $1 AND a.deleted_at IS NULL \
         AND a.id IN ({})",
        sql::list(2, ids.len())
    );
    let mut query = sqlx::query_as(&q).bind(org);
    for id in ids {
        query = query.bind(*id);
    }
    let rows: Vec<AccountRow> = query.fetch_all(e).await?;
    for row in &rows {
        crate::units::remember(key(&row.id), row);
    }
    Ok(rows)
}

/// Writes the editable fields of an account.
pub async fn update_account<'c, E: Executor<'c, Database = Any>>(
    e: E,
    a: &AccountRow,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE accounts SET code = $3, name = $4, subtype = $5, description = $6, active = $7, \
         updated_at = $8, type = $9, parent_id = $10 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(&a.organization_id)
    .bind(&a.id)
    .bind(&a.code)
    .bind(&a.name)
    .bind(&a.subtype)
    .bind(&a.description)
    .bind(a.active)
    .bind(&a.updated_at)
    .bind(&a.account_type)
    .bind(&a.parent_id)
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound("account"));
    }
    Ok(())
}

/// The organization's live accounts that have a parent or are one: id,
/// parent, code, name (few, so read whole).
pub async fn account_tree<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
) -> Result<Vec<(String, Option<String>, String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.parent_id, a.code, a.name FROM accounts a \
         WHERE a.organization_id = $1 AND a.deleted_at IS NULL \
           AND (a.parent_id IS NOT NULL OR EXISTS (SELECT 1 FROM accounts c \
             WHERE c.organization_id = a.organization_id AND c.parent_id = a.id \
               AND c.deleted_at IS NULL))",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// Whether a live account sits under `id`.
pub async fn has_children<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<bool, StoreError> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM accounts WHERE organization_id = $1 AND parent_id = $2 \
         AND deleted_at IS NULL LIMIT 1",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?;
    Ok(found.is_some())
}

/// Whether any journal line (draft or posted) names the account.
pub async fn account_has_lines<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<bool, StoreError> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT line_no FROM journal_lines WHERE organization_id = $1 AND account_id = $2 LIMIT 1",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?;
    Ok(found.is_some())
}

/// Soft-deletes an account (it then answers 404; the row stays for audit).
pub async fn delete_account<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
    at: &str,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE accounts SET deleted_at = $3, active = $4 WHERE organization_id = $1 AND id = $2 \
         AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(at)
    .bind(0i64)
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound("account"));
    }
    Ok(())
}
