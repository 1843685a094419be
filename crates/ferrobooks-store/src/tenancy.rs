//! Tenants (the customers of Ferrobooks), organizations and API keys.

use sqlx::{Any, Executor, FromRow};

use crate::{OrgId, StoreError, new_id, now};

#[derive(Debug, Clone, FromRow)]
pub struct TenantRow {
    pub id: String,
    pub name: String,
    pub created_at: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct OrganizationRow {
    pub id: OrgId,
    pub tenant_id: String,
    pub name: String,
    pub base_currency: String,
    pub country: String,
    pub state: Option<String>,
    pub tax_id: Option<String>,
    pub fiscal_year_start: String,
    pub timezone: String,
    pub date_format: String,
    pub created_at: String,
    pub updated_at: String,
}

/// An API key as stored: never the raw key, only its keyed hash.
#[derive(Clone, FromRow)]
pub struct ApiKeyRow {
    pub id: String,
    pub tenant_id: String,
    pub organization_id: Option<OrgId>,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub tier: String,
    /// JSON array of scope strings.
    pub scopes: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    /// `api_key`, or `pat` (a personal access token).
    pub kind: String,
    /// Personal access tokens: the user they act as.
    pub user_id: Option<String>,
    /// Refused from this RFC 3339 time on, when set.
    pub expires_at: Option<String>,
    /// OAuth access tokens: the grant (family) they belong to.
    pub family_id: Option<String>,
}

/// The kinds of credential the `api_keys` table holds.
pub const KIND_API_KEY: &str = "api_key";
pub const KIND_PAT: &str = "pat";
/// OAuth access tokens.
pub const KIND_OAUTH: &str = "oauth";

impl std::fmt::Debug for ApiKeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeyRow")
            .field("id", &self.id)
            .field("prefix", &self.prefix)
            .field("organization_id", &self.organization_id)
            .finish_non_exhaustive()
    }
}

pub(crate) const ORG_COLS: &str = "id, tenant_id, name, base_currency, country, state, tax_id, \
    fiscal_year_start, timezone, date_format, created_at, updated_at";

const KEY_COLS: &str = "id, tenant_id, organization_id, name, prefix, key_hash, tier, scopes, \
    created_at, revoked_at, kind, user_id, expires_at, family_id";

/// The oldest tenant, created (named "Default") when there is none.
pub async fn default_tenant(conn: &mut sqlx::AnyConnection) -> Result<TenantRow, StoreError> {
    let found: Option<TenantRow> =
        sqlx::query_as("SELECT id, name, created_at FROM tenants ORDER BY id LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(t) = found {
        return Ok(t);
    }
    let t = TenantRow {
        id: new_id("tnt"),
        name: "Default".into(),
        created_at: now(),
    };
    sqlx::query("INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&t.id)
        .bind(&t.name)
        .bind(&t.created_at)
        .execute(&mut *conn)
        .await?;
    Ok(t)
}

pub async fn insert_organization<'c, E: Executor<'c, Database = Any>>(
    e: E,
    o: &OrganizationRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO organizations ({ORG_COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)"
    ))
    .bind(&o.id)
    .bind(&o.tenant_id)
    .bind(&o.name)
    .bind(&o.base_currency)
    .bind(&o.country)
    .bind(&o.state)
    .bind(&o.tax_id)
    .bind(&o.fiscal_year_start)
    .bind(&o.timezone)
    .bind(&o.date_format)
    .bind(&o.created_at)
    .bind(&o.updated_at)
    .execute(e)
    .await?;
    Ok(())
}

/// Writes the editable settings of an organization.
pub async fn update_organization<'c, E: Executor<'c, Database = Any>>(
    e: E,
    o: &OrganizationRow,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE organizations SET name = $2, base_currency = $3, country = $4, state = $5, \
         tax_id = $6, fiscal_year_start = $7, timezone = $8, date_format = $9, updated_at = $10 \
         WHERE id = $1",
    )
    .bind(&o.id)
    .bind(&o.name)
    .bind(&o.base_currency)
    .bind(&o.country)
    .bind(&o.state)
    .bind(&o.tax_id)
    .bind(&o.fiscal_year_start)
    .bind(&o.timezone)
    .bind(&o.date_format)
    .bind(&o.updated_at)
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::NotFound("organization"));
    }
    Ok(())
}

pub async fn get_organization<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &OrgId,
) -> Result<Option<OrganizationRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ORG_COLS} FROM organizations WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// Every organization of the instance, oldest first (for the command line).
pub async fn list_organizations<'c, E: Executor<'c, Database = Any>>(
    e: E,
) -> Result<Vec<OrganizationRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ORG_COLS} FROM organizations ORDER BY created_at, id"
    ))
    .fetch_all(e)
    .await?)
}

/// One API key by id, whatever its tenant (for the command line).
pub async fn get_api_key<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
) -> Result<Option<ApiKeyRow>, StoreError> {
    Ok(
        sqlx::query_as(&format!("SELECT {KEY_COLS} FROM api_keys WHERE id = $1"))
            .bind(id)
            .fetch_optional(e)
            .await?,
    )
}

pub async fn count_organizations<'c, E: Executor<'c, Database = Any>>(
    e: E,
) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organizations")
        .fetch_one(e)
        .await?;
    Ok(n)
}

/// Whether the journal already holds entries for the organization; once it
/// does, the base currency may no longer change.
pub async fn has_journal_entries<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
) -> Result<bool, StoreError> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT id FROM journal_entries WHERE organization_id = $1 LIMIT 1")
            .bind(org)
            .fetch_optional(e)
            .await?;
    Ok(found.is_some())
}

pub async fn insert_api_key<'c, E: Executor<'c, Database = Any>>(
    e: E,
    k: &ApiKeyRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO api_keys ({KEY_COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)"
    ))
    .bind(&k.id)
    .bind(&k.tenant_id)
    .bind(&k.organization_id)
    .bind(&k.name)
    .bind(&k.prefix)
    .bind(&k.key_hash)
    .bind(&k.tier)
    .bind(&k.scopes)
    .bind(&k.created_at)
    .bind(&k.revoked_at)
    .bind(&k.kind)
    .bind(&k.user_id)
    .bind(&k.expires_at)
    .bind(&k.family_id)
    .execute(e)
    .await?;
    Ok(())
}

/// The key with this lookup prefix, revoked or not.
pub async fn key_by_prefix<'c, E: Executor<'c, Database = Any>>(
    e: E,
    prefix: &str,
) -> Result<Option<ApiKeyRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {KEY_COLS} FROM api_keys WHERE prefix = $1"
    ))
    .bind(prefix)
    .fetch_optional(e)
    .await?)
}

/// Revokes a live key of the tenant; returns its lookup prefix, or None when
/// there was no such live key.
pub async fn revoke_api_key<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: &str,
    id: &str,
) -> Result<Option<String>, StoreError> {
    revoke_credential(e, tenant_id, KIND_API_KEY, None, id).await
}

/// Revokes a live credential of the tenant of `kind` (of `user_id`, when
/// given); returns its lookup prefix, or None when there was no such live
/// credential.
pub async fn revoke_credential<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: &str,
    kind: &str,
    user_id: Option<&str>,
    id: &str,
) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE api_keys SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2 \
         AND kind = $4 AND ($5 = '' OR user_id = $5) AND revoked_at IS NULL RETURNING prefix",
    )
    .bind(tenant_id)
    .bind(id)
    .bind(now())
    .bind(kind)
    .bind(user_id.unwrap_or(""))
    .fetch_optional(e)
    .await?;
    Ok(row.map(|r| r.0))
}

/// A user's live credentials of `kind` after `after`, by id.
pub async fn list_user_credentials<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: &str,
    kind: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<ApiKeyRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {KEY_COLS} FROM api_keys WHERE user_id = $1 AND kind = $2 \
         AND revoked_at IS NULL AND id > $3 ORDER BY id LIMIT $4"
    ))
    .bind(user_id)
    .bind(kind)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// A key and the organization a request names (the header's, else the
/// key's own), read in one query: authentication runs on every request.
#[derive(Debug, Clone, FromRow)]
pub struct KeyWithOrg {
    #[sqlx(flatten)]
    pub key: ApiKeyRow,
    pub o_id: Option<OrgId>,
    pub o_tenant_id: Option<String>,
    pub o_name: Option<String>,
    pub o_base_currency: Option<String>,
    pub o_country: Option<String>,
    pub o_state: Option<String>,
    pub o_tax_id: Option<String>,
    pub o_fiscal_year_start: Option<String>,
    pub o_timezone: Option<String>,
    pub o_date_format: Option<String>,
    pub o_created_at: Option<String>,
    pub o_updated_at: Option<String>,
}

impl KeyWithOrg {
    /// The organization, when the one named exists.
    pub fn organization(&self) -> Option<OrganizationRow> {
        Some(OrganizationRow {
            id: self.o_id.clone()?,
            tenant_id: self.o_tenant_id.clone()?,
            name: self.o_name.clone()?,
            base_currency: self.o_base_currency.clone()?,
            country: self.o_country.clone()?,
            state: self.o_state.clone(),
            tax_id: self.o_tax_id.clone(),
            fiscal_year_start: self.o_fiscal_year_start.clone()?,
            timezone: self.o_timezone.clone()?,
            date_format: self.o_date_format.clone()?,
            created_at: self.o_created_at.clone()?,
            updated_at: self.o_updated_at.clone()?,
        })
    }
}

/// The key with `prefix` and the organization `org_id` (or, when empty, the
/// key's bound organization).
pub async fn key_with_org<'c, E: Executor<'c, Database = Any>>(
    e: E,
    prefix: &str,
    org_id: &OrgId,
) -> Result<Option<KeyWithOrg>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT k.id, k.tenant_id, k.organization_id, k.name, k.prefix, k.key_hash, k.tier, \
           k.scopes, k.created_at, k.revoked_at, k.kind, k.user_id, k.expires_at, k.family_id, \
           o.id AS o_id, o.tenant_id AS o_tenant_id, o.name AS o_name, \
           o.base_currency AS o_base_currency, o.country AS o_country, o.state AS o_state, \
           o.tax_id AS o_tax_id, o.fiscal_year_start AS o_fiscal_year_start, \
           o.timezone AS o_timezone, o.date_format AS o_date_format, \
           o.created_at AS o_created_at, o.updated_at AS o_updated_at \
         FROM api_keys k LEFT JOIN organizations o \
           ON o.id = CASE WHEN $2 = '' THEN k.organization_id ELSE $2 END \
         WHERE k.prefix = $1",
    )
    .bind(prefix)
    .bind(org_id)
    .fetch_optional(e)
    .await?)
}

/// Keys visible from an organization: those bound to it, and, when
/// `with_account_wide`, the tenant's keys bound to no organization; revoked
/// ones only `with_revoked` (the command line's view; over the API a
/// revoked key is gone).
pub async fn list_api_keys<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: &str,
    organization_id: &OrgId,
    with_account_wide: bool,
    with_revoked: bool,
    after: &str,
    limit: i64,
) -> Result<Vec<ApiKeyRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {KEY_COLS} FROM api_keys WHERE tenant_id = $1 AND kind = 'api_key' \
         AND (organization_id = $2 OR ($3 = 1 AND organization_id IS NULL)) \
         AND ($6 = 1 OR revoked_at IS NULL) \
         AND id > $4 ORDER BY id LIMIT $5"
    ))
    .bind(tenant_id)
    .bind(organization_id)
    .bind(i64::from(with_account_wide))
    .bind(after)
    .bind(limit)
    .bind(i64::from(with_revoked))
    .fetch_all(e)
    .await?)
}

/// One live key visible from an organization (see [`list_api_keys`]).
pub async fn visible_api_key<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: &str,
    organization_id: &OrgId,
    with_account_wide: bool,
    id: &str,
) -> Result<Option<ApiKeyRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {KEY_COLS} FROM api_keys WHERE tenant_id = $1 AND kind = 'api_key' \
         AND (organization_id = $2 OR ($3 = 1 AND organization_id IS NULL)) AND id = $4 \
         AND revoked_at IS NULL"
    ))
    .bind(tenant_id)
    .bind(organization_id)
    .bind(i64::from(with_account_wide))
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// A value of the instance's own settings (for example the key-hash secret).
pub async fn get_setting<'c, E: Executor<'c, Database = Any>>(
    e: E,
    key: &str,
) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM instance_settings WHERE key = $1")
            .bind(key)
            .fetch_optional(e)
            .await?;
    Ok(row.map(|r| r.0))
}

/// Stores a setting unless one is already there, and returns the one that
/// is: two processes starting at once agree on the first writer's value.
pub async fn init_setting(
    store: &crate::Store,
    key: &str,
    value: &str,
) -> Result<String, StoreError> {
    let _guard = store.write_guard().await;
    sqlx::query(
        "INSERT INTO instance_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(value)
    .execute(store.pool())
    .await?;
    get_setting(store.pool(), key)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("setting {key} vanished")))
}
