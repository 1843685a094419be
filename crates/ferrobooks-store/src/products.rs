//! Products and services.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::{OrgId, StoreError, now, sql};

#[derive(Debug, Clone, FromRow)]
pub struct ProductRow {
    pub id: String,
    pub organization_id: OrgId,
    pub name: String,
    pub sku: Option<String>,
    #[sqlx(rename = "type")]
    pub product_type: String,
    pub price: i64,
    pub description: Option<String>,
    pub tax_id: Option<String>,
    pub hsn_sac: Option<String>,
    pub income_account_id: String,
    pub expense_account_id: Option<String>,
    pub track_inventory: i64,
    pub quantity_on_hand: String,
    pub reorder_level: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Tracked goods: the value of the stock on hand (base currency,
    /// minor units); moved only with documents, like the quantity.
    pub stock_value: i64,
}

const COLS: &str = "id, organization_id, name, sku, type, price, description, tax_id, hsn_sac, \
    income_account_id, expense_account_id, track_inventory, quantity_on_hand, reorder_level, \
    created_at, updated_at, stock_value";

pub async fn insert_product<'c, E: Executor<'c, Database = Any>>(
    e: E,
    p: &ProductRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO products ({COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)"
    ))
    .bind(&p.id)
    .bind(&p.organization_id)
    .bind(&p.name)
    .bind(&p.sku)
    .bind(&p.product_type)
    .bind(p.price)
    .bind(&p.description)
    .bind(&p.tax_id)
    .bind(&p.hsn_sac)
    .bind(&p.income_account_id)
    .bind(&p.expense_account_id)
    .bind(p.track_inventory)
    .bind(&p.quantity_on_hand)
    .bind(&p.reorder_level)
    .bind(&p.created_at)
    .bind(&p.updated_at)
    .bind(p.stock_value)
    .execute(e)
    .await?;
    Ok(())
}

/// Saves a product's own fields. `quantity_on_hand` is not written: stock
/// moves only with documents, under the product's row lock, and an edit
/// must not write back a quantity it read before a sale.
pub async fn update_product<'c, E: Executor<'c, Database = Any>>(
    e: E,
    p: &ProductRow,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE products SET name = $3, sku = $4, type = $5, price = $6, description = $7, \
         tax_id = $8, hsn_sac = $9, income_account_id = $10, expense_account_id = $11, \
         track_inventory = $12, reorder_level = $13, updated_at = $14 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(&p.organization_id)
    .bind(&p.id)
    .bind(&p.name)
    .bind(&p.sku)
    .bind(&p.product_type)
    .bind(p.price)
    .bind(&p.description)
    .bind(&p.tax_id)
    .bind(&p.hsn_sac)
    .bind(&p.income_account_id)
    .bind(&p.expense_account_id)
    .bind(p.track_inventory)
    .bind(&p.reorder_level)
    .bind(&p.updated_at)
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound("product"));
    }
    Ok(())
}

pub async fn get_product<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<ProductRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM products WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// The live products among `ids` (one query for a document's lines).
pub async fn get_products<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    ids: &[&str],
) -> Result<Vec<ProductRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Units of a group commit change no product but its stock (which
    // `lock_stock` reads afresh): the batch shares the rows.
    let key = |id: &str| format!("products:{org}:{id}");
    let known: Option<Vec<ProductRow>> = ids
        .iter()
        .map(|id| crate::units::recall::<ProductRow>(&key(id)))
        .collect();
    if let Some(rows) = known {
        return Ok(rows);
    }
    let q = format!(
        "SELECT {COLS} FROM products WHERE organization_id = $1 AND deleted_at IS NULL \
         AND id IN ({})",
        crate::sql::list(2, ids.len())
    );
    let mut query = sqlx::query_as(&q).bind(org);
    for id in ids {
        query = query.bind(*id);
    }
    let rows: Vec<ProductRow> = query.fetch_all(e).await?;
    for row in &rows {
        crate::units::remember(key(&row.id), row);
    }
    Ok(rows)
}

pub async fn list_products<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    after: &str,
    search: &str,
    limit: i64,
) -> Result<Vec<ProductRow>, StoreError> {
    let search = if search.is_empty() {
        String::new()
    } else {
        crate::sql::contains_pattern(search)
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM products WHERE organization_id = $1 AND deleted_at IS NULL \
         AND id > $2 AND ($3 = '' OR LOWER(name) LIKE $3 ESCAPE '\\' OR LOWER(COALESCE(sku, '')) LIKE $3 ESCAPE '\\') \
         ORDER BY id LIMIT $4"
    ))
    .bind(org)
    .bind(after)
    .bind(search)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

pub async fn soft_delete_product<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE products SET deleted_at = $3, updated_at = $3 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(now())
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound("product"));
    }
    Ok(())
}

/// A product's stock: what is on hand, its reorder level, whether it is
/// tracked, and its value at average cost.
#[derive(Debug, Clone, FromRow)]
pub struct Stock {
    pub quantity_on_hand: String,
    pub reorder_level: Option<String>,
    pub track_inventory: i64,
    /// Base currency, minor units.
    pub stock_value: i64,
}

/// A product's stock, locked for the transaction.
pub async fn lock_stock(
    conn: &mut AnyConnection,
    org: &OrgId,
    product_id: &str,
) -> Result<Option<Stock>, StoreError> {
    let lock = sql::lock(sql::backend_of(conn), sql::Lock::Update);
    Ok(sqlx::query_as(&format!(
        "SELECT quantity_on_hand, reorder_level, track_inventory, stock_value FROM products \
         WHERE organization_id = $1 AND id = $2{lock}"
    ))
    .bind(org)
    .bind(product_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Sets a product's quantity on hand and stock value.
pub async fn set_stock(
    conn: &mut AnyConnection,
    org: &OrgId,
    product_id: &str,
    quantity: &str,
    value: i64,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE products SET quantity_on_hand = $3, stock_value = $5, updated_at = $4 \
         WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(product_id)
    .bind(quantity)
    .bind(at)
    .bind(value)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
