//! The OAuth provider's rows: apps, authorization codes and refresh
//! tokens. Codes and tokens are kept only as keyed hashes.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::{OrgId, StoreError};

#[derive(Clone, FromRow)]
pub struct OAuthAppRow {
    /// The client id.
    pub id: String,
    pub tenant_id: String,
    /// The organization of the credential that registered it (None: an
    /// account-wide one).
    pub organization_id: Option<OrgId>,
    pub name: String,
    /// 1 for a confidential client (it has a secret), 0 for a public one.
    pub confidential: i64,
    pub secret_hash: Option<String>,
    /// JSON array of exact redirect URIs.
    pub redirect_uris: String,
    /// JSON array of the scopes it may ask for.
    pub scopes: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

impl std::fmt::Debug for OAuthAppRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthAppRow")
            .field("id", &self.id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

const APP_COLS: &str = "id, tenant_id, organization_id, name, confidential, secret_hash, \
    redirect_uris, scopes, created_at, revoked_at";

pub async fn insert_app<'c, E: Executor<'c, Database = Any>>(
    e: E,
    a: &OAuthAppRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO oauth_apps ({APP_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(&a.id)
    .bind(&a.tenant_id)
    .bind(&a.organization_id)
    .bind(&a.name)
    .bind(a.confidential)
    .bind(&a.secret_hash)
    .bind(&a.redirect_uris)
    .bind(&a.scopes)
    .bind(&a.created_at)
    .bind(&a.revoked_at)
    .execute(e)
    .await?;
    Ok(())
}

/// A live app by client id.
pub async fn get_app<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
) -> Result<Option<OAuthAppRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {APP_COLS} FROM oauth_apps WHERE id = $1 AND revoked_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// The tenant's live apps after `after`: all of them, or (`org` given)
/// those registered from that organization.
pub async fn list_apps<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: &str,
    org: Option<&OrgId>,
    after: &str,
    limit: i64,
) -> Result<Vec<OAuthAppRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {APP_COLS} FROM oauth_apps WHERE tenant_id = $1 AND revoked_at IS NULL \
         AND ($4 = '' OR organization_id = $4) AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(tenant_id)
    .bind(after)
    .bind(limit)
    .bind(org.map_or("", OrgId::as_str))
    .fetch_all(e)
    .await?)
}

/// Removes a live app of the tenant; whether there was one.
pub async fn revoke_app<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: &str,
    id: &str,
    at: &str,
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE oauth_apps SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL",
    )
    .bind(tenant_id)
    .bind(id)
    .bind(at)
    .execute(e)
    .await?
    .rows_affected()
        > 0)
}

#[derive(Debug, Clone, FromRow)]
pub struct OAuthCodeRow {
    pub code_hash: String,
    pub client_id: String,
    pub user_id: String,
    pub organization_id: OrgId,
    pub redirect_uri: String,
    pub scopes: String,
    pub code_challenge: String,
    pub family_id: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

pub async fn insert_code(conn: &mut AnyConnection, c: &OAuthCodeRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO oauth_codes (code_hash, client_id, user_id, organization_id, redirect_uri, \
         scopes, code_challenge, family_id, expires_at, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&c.code_hash)
    .bind(&c.client_id)
    .bind(&c.user_id)
    .bind(&c.organization_id)
    .bind(&c.redirect_uri)
    .bind(&c.scopes)
    .bind(&c.code_challenge)
    .bind(&c.family_id)
    .bind(&c.expires_at)
    .bind(&c.used_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A code by its hash, locked for the exchange.
pub async fn lock_code(
    conn: &mut AnyConnection,
    code_hash: &str,
) -> Result<Option<OAuthCodeRow>, StoreError> {
    let tail = crate::sql::lock(crate::sql::backend_of(conn), crate::sql::Lock::Update);
    Ok(sqlx::query_as(&format!(
        "SELECT code_hash, client_id, user_id, organization_id, redirect_uri, scopes, \
         code_challenge, family_id, expires_at, used_at FROM oauth_codes WHERE code_hash = $1{tail}"
    ))
    .bind(code_hash)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn use_code(
    conn: &mut AnyConnection,
    code_hash: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE oauth_codes SET used_at = $2 WHERE code_hash = $1")
        .bind(code_hash)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct RefreshRow {
    pub id: String,
    pub token_hash: String,
    pub family_id: String,
    pub client_id: String,
    pub user_id: String,
    pub organization_id: OrgId,
    pub scopes: String,
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub revoked_at: Option<String>,
}

const REFRESH_COLS: &str = "id, token_hash, family_id, client_id, user_id, organization_id, \
    scopes, created_at, expires_at, used_at, revoked_at";

pub async fn insert_refresh(conn: &mut AnyConnection, r: &RefreshRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO oauth_refresh_tokens ({REFRESH_COLS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(&r.id)
    .bind(&r.token_hash)
    .bind(&r.family_id)
    .bind(&r.client_id)
    .bind(&r.user_id)
    .bind(&r.organization_id)
    .bind(&r.scopes)
    .bind(&r.created_at)
    .bind(&r.expires_at)
    .bind(&r.used_at)
    .bind(&r.revoked_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A refresh token by its hash, locked for its rotation.
pub async fn lock_refresh(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<RefreshRow>, StoreError> {
    let tail = crate::sql::lock(crate::sql::backend_of(conn), crate::sql::Lock::Update);
    Ok(sqlx::query_as(&format!(
        "SELECT {REFRESH_COLS} FROM oauth_refresh_tokens WHERE token_hash = $1{tail}"
    ))
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn use_refresh(conn: &mut AnyConnection, id: &str, at: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE oauth_refresh_tokens SET used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Revokes a whole family: its refresh tokens and its access tokens. The
/// access tokens' lookup prefixes are returned (to forget cached ones).
pub async fn revoke_family(
    conn: &mut AnyConnection,
    family_id: &str,
    at: &str,
) -> Result<Vec<String>, StoreError> {
    sqlx::query(
        "UPDATE oauth_refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    let rows: Vec<(String,)> = sqlx::query_as(
        "UPDATE api_keys SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL \
         RETURNING prefix",
    )
    .bind(family_id)
    .bind(at)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The family of the access token with this hash (for revocation).
pub async fn access_family<'c, E: Executor<'c, Database = Any>>(
    e: E,
    key_hash: &str,
) -> Result<Option<(String, String)>, StoreError> {
    let row: Option<(Option<String>, String)> = sqlx::query_as(
        "SELECT family_id, prefix FROM api_keys WHERE key_hash = $1 AND kind = 'oauth'",
    )
    .bind(key_hash)
    .fetch_optional(e)
    .await?;
    Ok(row.and_then(|(f, p)| f.map(|f| (f, p))))
}
