//! Contacts: customers (table `customers`) and vendors (table `vendors`),
//! one shape and one set of functions told apart by [`Party`]. A contact's
//! balance is read from `contact_balances`: what a customer owes on
//! receivable accounts, what the organization owes a vendor on payable
//! ones.

use sqlx::{Any, Executor, FromRow};

use crate::sql::Lock;
use crate::{OrgId, StoreError, now};

/// Whom a contact is to the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Customer,
    Vendor,
}

impl Party {
    fn table(self) -> &'static str {
        match self {
            Party::Customer => "customers",
            Party::Vendor => "vendors",
        }
    }

    /// The name in errors.
    pub fn noun(self) -> &'static str {
        match self {
            Party::Customer => "customer",
            Party::Vendor => "vendor",
        }
    }

    /// The columns of a row; customers have no 1099 flag.
    fn cols(self) -> &'static str {
        match self {
            Party::Customer => {
                "c.id, c.organization_id, c.name, c.email, c.phone, c.currency, c.tax_id, \
                 c.place_of_supply, c.payment_terms, c.sez, 0 AS track_1099, c.billing_address, \
                 c.shipping_address, c.contact_persons, c.created_at, c.updated_at"
            }
            Party::Vendor => {
                "c.id, c.organization_id, c.name, c.email, c.phone, c.currency, c.tax_id, \
                 c.place_of_supply, c.payment_terms, c.sez, c.track_1099, c.billing_address, \
                 c.shipping_address, c.contact_persons, c.created_at, c.updated_at"
            }
        }
    }

    /// The balance column: receivable debits minus credits for a
    /// customer, payable credits minus debits for a vendor.
    fn balance(self) -> &'static str {
        match self {
            Party::Customer => {
                "CAST(COALESCE((SELECT SUM(b.debit - b.credit) FROM contact_balances b \
                 JOIN accounts a ON a.id = b.account_id \
                 WHERE b.organization_id = c.organization_id AND b.contact_id = c.id \
                   AND a.subtype = 'receivable'), 0) AS BIGINT) AS balance"
            }
            Party::Vendor => {
                "CAST(COALESCE((SELECT SUM(b.credit - b.debit) FROM contact_balances b \
                 JOIN accounts a ON a.id = b.account_id \
                 WHERE b.organization_id = c.organization_id AND b.contact_id = c.id \
                   AND a.subtype = 'payable'), 0) AS BIGINT) AS balance"
            }
        }
    }
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct ContactRow {
    pub id: String,
    pub organization_id: OrgId,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub currency: String,
    pub tax_id: Option<String>,
    /// A customer's place of supply; a vendor's source of supply.
    pub place_of_supply: Option<String>,
    pub payment_terms: i64,
    /// 1 for a contact in an Indian Special Economic Zone.
    pub sez: i64,
    /// 1 for a US vendor whose payments are reported on a 1099.
    pub track_1099: i64,
    /// JSON object text.
    pub billing_address: Option<String>,
    /// JSON object text.
    pub shipping_address: Option<String>,
    /// JSON array text.
    pub contact_persons: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A contact with its balance.
#[derive(Debug, Clone, FromRow)]
pub struct ContactWithBalance {
    #[sqlx(flatten)]
    pub contact: ContactRow,
    pub balance: i64,
}

pub async fn insert_contact<'c, E: Executor<'c, Database = Any>>(
    e: E,
    party: Party,
    c: &ContactRow,
) -> Result<(), StoreError> {
    let (extra_col, extra_val) = match party {
        Party::Customer => ("", ""),
        Party::Vendor => (", track_1099", ", $16"),
    };
    let q = format!(
        "INSERT INTO {} (id, organization_id, name, email, phone, currency, tax_id, \
         place_of_supply, payment_terms, billing_address, shipping_address, contact_persons, \
         created_at, updated_at, sez{extra_col}) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15{extra_val})",
        party.table()
    );
    let mut query = sqlx::query(&q)
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
        .bind(c.sez);
    if party == Party::Vendor {
        query = query.bind(c.track_1099);
    }
    query.execute(e).await?;
    Ok(())
}

pub async fn update_contact<'c, E: Executor<'c, Database = Any>>(
    e: E,
    party: Party,
    c: &ContactRow,
) -> Result<(), StoreError> {
    let extra = match party {
        Party::Customer => "",
        Party::Vendor => ", track_1099 = $15",
    };
    let q = format!(
        "UPDATE {} SET name = $3, email = $4, phone = $5, currency = $6, tax_id = $7, \
         place_of_supply = $8, payment_terms = $9, billing_address = $10, \
         shipping_address = $11, contact_persons = $12, updated_at = $13, sez = $14{extra} \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
        party.table()
    );
    let mut query = sqlx::query(&q)
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
        .bind(c.sez);
    if party == Party::Vendor {
        query = query.bind(c.track_1099);
    }
    let r = query.execute(e).await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound(party.noun()));
    }
    Ok(())
}

pub async fn get_contact<'c, E: Executor<'c, Database = Any>>(
    e: E,
    party: Party,
    org: &OrgId,
    id: &str,
) -> Result<Option<ContactWithBalance>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {}, {} FROM {} c \
         WHERE c.organization_id = $1 AND c.id = $2 AND c.deleted_at IS NULL",
        party.cols(),
        party.balance(),
        party.table()
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// A contact row locked until the transaction ends: shared (a document or
/// payment being made for it) or exclusive (its deletion), so a contact is
/// never deleted while something new names it. No-op locks on SQLite,
/// whose writers are serialized. Without the balance: what documents need,
/// at the cost of one row.
pub async fn lock_contact(
    conn: &mut sqlx::AnyConnection,
    party: Party,
    org: &OrgId,
    id: &str,
    exclusive: bool,
) -> Result<Option<ContactRow>, StoreError> {
    // Units of a group commit write no contact: the batch shares the row.
    let key = format!("{}:{org}:{id}", party.table());
    let lock = crate::sql::lock(
        crate::sql::backend_of(conn),
        if exclusive { Lock::Update } else { Lock::Share },
    );
    let sql = format!(
        "SELECT {} FROM {} c \
         WHERE c.organization_id = $1 AND c.id = $2 AND c.deleted_at IS NULL{lock}",
        party.cols(),
        party.table()
    );
    crate::units::read_shared(key, async {
        let q = sqlx::query_as(&sql).bind(org).bind(id);
        Ok(q.fetch_optional(&mut *conn).await?)
    })
    .await
}

/// Filters of a contact list.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactFilter<'a> {
    pub after: &'a str,
    /// Case-insensitive text in the name or email ("" for all).
    pub search: &'a str,
    /// Changed at or after this stored time ("" for all).
    pub updated_since: &'a str,
    pub limit: i64,
}

pub async fn list_contacts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    party: Party,
    org: &OrgId,
    f: ContactFilter<'_>,
) -> Result<Vec<ContactWithBalance>, StoreError> {
    let search = if f.search.is_empty() {
        String::new()
    } else {
        crate::sql::contains_pattern(f.search)
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {}, {} FROM {} c \
         WHERE c.organization_id = $1 AND c.deleted_at IS NULL AND c.id > $2 \
           AND ($3 = '' OR LOWER(c.name) LIKE $3 ESCAPE '\\' OR LOWER(COALESCE(c.email, '')) LIKE $3 ESCAPE '\\') \
           AND ($4 = '' OR c.updated_at >= $4) \
         ORDER BY c.id LIMIT $5",
        party.cols(),
        party.balance(),
        party.table()
    ))
    .bind(org)
    .bind(f.after)
    .bind(search)
    .bind(f.updated_since)
    .bind(f.limit)
    .fetch_all(e)
    .await?)
}

/// Whether any journal line names the contact.
pub async fn contact_has_lines<'c, E: Executor<'c, Database = Any>>(
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

pub async fn soft_delete_contact<'c, E: Executor<'c, Database = Any>>(
    e: E,
    party: Party,
    org: &OrgId,
    id: &str,
) -> Result<(), StoreError> {
    let r = sqlx::query(&format!(
        "UPDATE {} SET deleted_at = $3, updated_at = $3 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
        party.table()
    ))
    .bind(org)
    .bind(id)
    .bind(now())
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound(party.noun()));
    }
    Ok(())
}
