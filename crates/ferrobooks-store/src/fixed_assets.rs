//! The fixed-asset register and each asset's monthly depreciation.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::{OrgId, StoreError, rows};

/// A fixed asset.
#[derive(Debug, Clone, FromRow)]
pub struct AssetRow {
    pub id: String,
    pub organization_id: OrgId,
    pub name: String,
    pub description: Option<String>,
    /// The income-tax block (plant, furniture, computers...) or any label.
    pub category: Option<String>,
    pub acquisition_date: String,
    /// Minor units of the base currency.
    pub cost: i64,
    pub residual_value: i64,
    pub useful_life_months: i64,
    pub method: String,
    /// Declining factor or block rate, as decimal text ("0" when unused).
    pub factor: String,
    pub asset_account_id: String,
    pub accumulated_account_id: String,
    pub expense_account_id: String,
    /// The bill line it was bought on, when it was.
    pub bill_id: Option<String>,
    pub bill_line: Option<i64>,
    /// The purchase's entry when it was paid here.
    pub journal_entry_id: Option<String>,
    /// Months from acquisition that depreciation has been run for.
    pub months_depreciated: i64,
    pub accumulated: i64,
    /// active, fully_depreciated or disposed.
    pub status: String,
    pub disposal_date: Option<String>,
    pub disposal_proceeds: Option<i64>,
    pub disposal_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const ASSET_COLS: &str = "id, organization_id, name, description, category, acquisition_date, \
    cost, residual_value, useful_life_months, method, factor, asset_account_id, \
    accumulated_account_id, expense_account_id, bill_id, bill_line, journal_entry_id, \
    months_depreciated, accumulated, status, disposal_date, disposal_proceeds, \
    disposal_entry_id, created_at, updated_at";

/// Inserts an asset, or writes what may change on one (its name and
/// description, its depreciation so far, its status and disposal).
pub async fn save_asset(conn: &mut AnyConnection, r: &AssetRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO fixed_assets ({ASSET_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
         description = excluded.description, months_depreciated = excluded.months_depreciated, \
         accumulated = excluded.accumulated, status = excluded.status, \
         disposal_date = excluded.disposal_date, disposal_proceeds = excluded.disposal_proceeds, \
         disposal_entry_id = excluded.disposal_entry_id, updated_at = excluded.updated_at"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.name)
    .bind(&r.description)
    .bind(&r.category)
    .bind(&r.acquisition_date)
    .bind(r.cost)
    .bind(r.residual_value)
    .bind(r.useful_life_months)
    .bind(&r.method)
    .bind(&r.factor)
    .bind(&r.asset_account_id)
    .bind(&r.accumulated_account_id)
    .bind(&r.expense_account_id)
    .bind(&r.bill_id)
    .bind(r.bill_line)
    .bind(&r.journal_entry_id)
    .bind(r.months_depreciated)
    .bind(r.accumulated)
    .bind(&r.status)
    .bind(&r.disposal_date)
    .bind(r.disposal_proceeds)
    .bind(&r.disposal_entry_id)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The asset `id` (held for update on PostgreSQL when `lock`).
pub async fn get_asset(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    lock: bool,
) -> Result<Option<AssetRow>, StoreError> {
    rows::by_id(conn, "fixed_assets", ASSET_COLS, org, id, lock).await
}

/// A page of assets by id after `after`, of one status when given.
pub async fn list_assets<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    status: Option<&str>,
    after: &str,
    limit: i64,
) -> Result<Vec<AssetRow>, StoreError> {
    rows::page_by_status(e, "fixed_assets", ASSET_COLS, org, status, after, limit).await
}

/// The asset already made from a bill's line, if one was.
pub async fn asset_of_bill_line<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    bill_id: &str,
    line: i64,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM fixed_assets WHERE organization_id = $1 AND bill_id = $2 AND bill_line = $3",
    )
    .bind(org)
    .bind(bill_id)
    .bind(line)
    .fetch_optional(e)
    .await?)
}

/// A page of active assets of every organization (or of one), ordered by
/// (organization, id) after `after`: what the depreciation run walks.
pub async fn active_assets<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: Option<&OrgId>,
    after: (&str, &str),
    limit: i64,
) -> Result<Vec<(OrgId, String)>, StoreError> {
    rows::active_ids(e, "fixed_assets", org, after, limit).await
}

/// One month's depreciation of one asset.
#[derive(Debug, Clone, FromRow)]
pub struct DepreciationRow {
    pub asset_id: String,
    /// 0 for the month of acquisition.
    pub month_index: i64,
    pub organization_id: OrgId,
    /// The month's last day.
    pub date: String,
    pub amount: i64,
    pub accumulated: i64,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
}

const DEPRECIATION_COLS: &str = "asset_id, month_index, organization_id, date, amount, \
    accumulated, journal_entry_id, created_at";

/// Records a month's depreciation; a month already recorded is a
/// conflict (the primary key), so no run posts a month twice.
pub async fn insert_depreciation(
    conn: &mut AnyConnection,
    r: &DepreciationRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO asset_depreciations ({DEPRECIATION_COLS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&r.asset_id)
    .bind(r.month_index)
    .bind(&r.organization_id)
    .bind(&r.date)
    .bind(r.amount)
    .bind(r.accumulated)
    .bind(&r.journal_entry_id)
    .bind(&r.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An asset's depreciation, month by month.
pub async fn depreciations<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    asset_id: &str,
) -> Result<Vec<DepreciationRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {DEPRECIATION_COLS} FROM asset_depreciations \
         WHERE organization_id = $1 AND asset_id = $2 ORDER BY month_index"
    ))
    .bind(org)
    .bind(asset_id)
    .fetch_all(e)
    .await?)
}
