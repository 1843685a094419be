//! Budgets and their lines.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::sql::{self, Insert};
use crate::{OrgId, StoreError, rows};

/// A budget.
#[derive(Debug, Clone, FromRow)]
pub struct BudgetRow {
    pub id: String,
    pub organization_id: OrgId,
    pub name: String,
    /// The calendar year the fiscal year starts in.
    pub fiscal_year: i64,
    /// '' for the whole organization.
    pub branch: String,
    /// draft, active or archived.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

const COLS: &str = "id, organization_id, name, fiscal_year, branch, status, created_at, updated_at";

/// Inserts a budget or writes its name and status. A second active budget
/// for the year and branch breaks a unique index: [`StoreError`] says so.
pub async fn save_budget(conn: &mut AnyConnection, r: &BudgetRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO budgets ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status, \
         updated_at = excluded.updated_at"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.name)
    .bind(r.fiscal_year)
    .bind(&r.branch)
    .bind(&r.status)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_budget(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    lock: bool,
) -> Result<Option<BudgetRow>, StoreError> {
    rows::by_id(conn, "budgets", COLS, org, id, lock).await
}

pub async fn list_budgets<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    status: Option<&str>,
    after: &str,
    limit: i64,
) -> Result<Vec<BudgetRow>, StoreError> {
    rows::page_by_status(e, "budgets", COLS, org, status, after, limit).await
}

/// The active budget of a year and branch, if there is one.
pub async fn active_budget<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    fiscal_year: i64,
    branch: &str,
) -> Result<Option<BudgetRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM budgets WHERE organization_id = $1 AND fiscal_year = $2 \
         AND branch = $3 AND status = 'active'"
    ))
    .bind(org)
    .bind(fiscal_year)
    .bind(branch)
    .fetch_optional(e)
    .await?)
}

/// One account's twelve months.
#[derive(Debug, Clone, FromRow)]
pub struct BudgetLineRow {
    pub budget_id: String,
    pub account_id: String,
    pub organization_id: OrgId,
    /// A JSON array of twelve amounts.
    pub amounts: String,
}

const LINE_COLS: [&str; 4] = ["budget_id", "account_id", "organization_id", "amounts"];

/// Replaces a budget's lines.
pub async fn replace_lines(
    conn: &mut AnyConnection,
    org: &OrgId,
    budget_id: &str,
    lines: &[BudgetLineRow],
) -> Result<(), StoreError> {
    delete_lines(conn, org, budget_id).await?;
    let mut ins = Insert::new("budget_lines", &LINE_COLS);
    for l in lines {
        ins.row(vec![
            (&l.budget_id).into(),
            (&l.account_id).into(),
            (&l.organization_id).into(),
            (&l.amounts).into(),
        ]);
    }
    sql::run_inserts(conn, vec![ins]).await
}

async fn delete_lines(
    conn: &mut AnyConnection,
    org: &OrgId,
    budget_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM budget_lines WHERE organization_id = $1 AND budget_id = $2")
        .bind(org)
        .bind(budget_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A budget's lines, by account id.
pub async fn budget_lines<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    budget_id: &str,
) -> Result<Vec<BudgetLineRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM budget_lines WHERE organization_id = $1 AND budget_id = $2 \
         ORDER BY account_id",
        LINE_COLS.join(", ")
    ))
    .bind(org)
    .bind(budget_id)
    .fetch_all(e)
    .await?)
}

/// Deletes a budget and its lines.
pub async fn delete_budget(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
) -> Result<(), StoreError> {
    delete_lines(conn, org, id).await?;
    sqlx::query("DELETE FROM budgets WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
