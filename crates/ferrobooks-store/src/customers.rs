//! Customers.

use sqlx::{Any, Executor, FromRow};

use crate::sql::Lock;
use crate::{OrgId, StoreError, now};

#[derive(Debug, Clone, FromRow)]
pub struct CustomerRow {
    pub id: String,
    pub organization_id: OrgId,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub currency: String,
    pub tax_id: Option<String>,
    pub place_of_supply: Option<String>,
    pub payment_terms: i64,
    /// 1 for a customer in an Indian Special Economic Zone.
    pub sez: i64,
    /// JSON object text.
    pub billing_address: Option<String>,
    /// JSON object text.
    pub shipping_address: Option<String>,
    /// JSON array text.
    pub contact_persons: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A customer with its receivable balance (debits minus credits posted
/// naming it on receivable accounts, read from `contact_balances`).
#[derive(Debug, Clone, FromRow)]
pub struct CustomerWithBalance {
    #[sqlx(flatten)]
    pub customer: CustomerRow,
    pub balance: i64,
}

const COLS: &str = "c.id, c.organization_id, c.name, c.email, c.phone, c.currency, c.tax_id, \
    c.place_of_supply, c.payment_terms, c.sez, c.billing_address, c.shipping_address, \
    c.contact_persons, c.created_at, c.updated_at";

const BALANCE: &str = "CAST(COALESCE((SELECT SUM(b.debit - b.credit) FROM contact_balances b \
    JOIN accounts a ON a.id = b.account_id \
    WHERE b.organization_id = c.organization_id AND b.contact_id = c.id \
      AND a.subtype = 'receivable'), 0) AS BIGINT) AS balance";

pub async fn insert_customer<'c, E: Executor<'c, Database = Any>>(
    e: E,
    c: &CustomerRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO customers (id, organization_id, name, email, phone, currency, tax_id, \
         place_of_supply, payment_terms, billing_address, shipping_address, contact_persons, \
         created_at, updated_at, sez) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)",
    )
    .bind(&c.id)
    .bind(&c.organization_id)
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.currency)
    .bind(&c.tax_id)
    .bind(&c.place_of_supply)
    .bind(c.payment_terms)
    .bind(&c.billing_address)
    .bind(&c.shipping_address)
    .bind(&c.contact_persons)
    .bind(&c.created_at)
    .bind(&c.updated_at)
    .bind(c.sez)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn update_customer<'c, E: Executor<'c, Database = Any>>(
    e: E,
    c: &CustomerRow,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE customers SET name = $3, email = $4, phone = $5, currency = $6, tax_id = $7, \
         place_of_supply = $8, payment_terms = $9, billing_address = $10, \
         shipping_address = $11, contact_persons = $12, updated_at = $13, sez = $14 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(&c.organization_id)
    .bind(&c.id)
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.currency)
    .bind(&c.tax_id)
    .bind(&c.place_of_supply)
    .bind(c.payment_terms)
    .bind(&c.billing_address)
    .bind(&c.shipping_address)
    .bind(&c.contact_persons)
    .bind(&c.updated_at)
    .bind(c.sez)
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound("customer"));
    }
    Ok(())
}

pub async fn get_customer<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<CustomerWithBalance>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS}, {BALANCE} FROM customers c \
         WHERE c.organization_id = $1 AND c.id = $2 AND c.deleted_at IS NULL"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// A customer without its balance: what documents need, at the cost of
/// one row (the balance sums every receivable line naming the customer).
pub async fn get_customer_row<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<CustomerRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM customers c \
         WHERE c.organization_id = $1 AND c.id = $2 AND c.deleted_at IS NULL"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// A customer row locked until the transaction ends: shared (a document
/// or payment being made for it) or exclusive (its deletion), so a
/// customer is never deleted while something new names it. No-op locks on
/// SQLite, whose writers are serialized.
pub async fn lock_customer(
    conn: &mut sqlx::AnyConnection,
    org: &OrgId,
    id: &str,
    exclusive: bool,
) -> Result<Option<CustomerRow>, StoreError> {
    let lock = crate::sql::lock(
        crate::sql::backend_of(conn),
        if exclusive { Lock::Update } else { Lock::Share },
    );
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM customers c \
         WHERE c.organization_id = $1 AND c.id = $2 AND c.deleted_at IS NULL{lock}"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn list_customers<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    after: &str,
    search: &str,
    updated_since: &str,
    limit: i64,
) -> Result<Vec<CustomerWithBalance>, StoreError> {
    let search = if search.is_empty() {
        String::new()
    } else {
        crate::sql::contains_pattern(search)
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS}, {BALANCE} FROM customers c \
         WHERE c.organization_id = $1 AND c.deleted_at IS NULL AND c.id > $2 \
           AND ($3 = '' OR LOWER(c.name) LIKE $3 ESCAPE '\\' OR LOWER(COALESCE(c.email, '')) LIKE $3 ESCAPE '\\') \
           AND ($4 = '' OR c.updated_at >= $4) \
         ORDER BY c.id LIMIT $5"
    ))
    .bind(org)
    .bind(after)
    .bind(search)
    .bind(updated_since)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// Whether any journal line names the customer.
pub async fn customer_has_lines<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<bool, StoreError> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT line_no FROM journal_lines WHERE organization_id = $1 AND contact_id = $2 LIMIT 1",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?;
    Ok(found.is_some())
}

pub async fn soft_delete_customer<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE customers SET deleted_at = $3, updated_at = $3 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(now())
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound("customer"));
    }
    Ok(())
}
