//! Users of an account, the organizations given to those who do not see
//! them all, and their one-time tokens. A password is only ever stored as
//! its argon2id hash; a token as its keyed hash.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::{OrgId, StoreError};

/// A user as stored.
#[derive(Clone, FromRow)]
pub struct UserRow {
    pub id: String,
    pub tenant_id: String,
    /// Lower-cased.
    pub email: String,
    pub name: Option<String>,
    /// argon2id, PHC string format.
    pub password_hash: String,
    pub role: String,
    pub email_verified_at: Option<String>,
    /// Base32 secret of the second factor, when enabled.
    pub totp_secret: Option<String>,
    /// Failed sign-ins since the last good one.
    pub failed_logins: i64,
    pub locked_until: Option<String>,
    pub disabled_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

const USER_COLS: &str = "id, tenant_id, email, name, password_hash, role, email_verified_at, \
    totp_secret, failed_logins, locked_until, disabled_at, created_at, updated_at";

/// Inserts or replaces a user.
pub async fn save_user(conn: &mut AnyConnection, u: &UserRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO users ({USER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name, \
         password_hash = excluded.password_hash, role = excluded.role, \
         email_verified_at = excluded.email_verified_at, totp_secret = excluded.totp_secret, \
         failed_logins = excluded.failed_logins, locked_until = excluded.locked_until, \
         disabled_at = excluded.disabled_at, updated_at = excluded.updated_at"
    ))
    .bind(&u.id)
    .bind(&u.tenant_id)
    .bind(&u.email)
    .bind(&u.name)
    .bind(&u.password_hash)
    .bind(&u.role)
    .bind(&u.email_verified_at)
    .bind(&u.totp_secret)
    .bind(u.failed_logins)
    .bind(&u.locked_until)
    .bind(&u.disabled_at)
    .bind(&u.created_at)
    .bind(&u.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A user by id (locked for update when `lock`).
pub async fn get_user(
    conn: &mut AnyConnection,
    id: &str,
    lock: bool,
) -> Result<Option<UserRow>, StoreError> {
    let tail = if lock {
        crate::sql::lock(crate::sql::backend_of(conn), crate::sql::Lock::Update)
    } else {
        ""
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {USER_COLS} FROM users WHERE id = $1 {tail}"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A user by email (lower-cased by the caller), locked for update: a
/// sign-in counts its failures under the lock.
pub async fn user_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<UserRow>, StoreError> {
    let tail = crate::sql::lock(crate::sql::backend_of(conn), crate::sql::Lock::Update);
    Ok(sqlx::query_as(&format!(
        "SELECT {USER_COLS} FROM users WHERE email = $1 {tail}"
    ))
    .bind(email)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The account's users after `after`, by id.
pub async fn list_users<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<UserRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {USER_COLS} FROM users WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(tenant_id)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// Every user of the instance after `after`, by id (the command line's
/// view).
pub async fn list_all_users<'c, E: Executor<'c, Database = Any>>(
    e: E,
    after: &str,
    limit: i64,
) -> Result<Vec<UserRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {USER_COLS} FROM users WHERE id > $1 ORDER BY id LIMIT $2"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// A user by email, unlocked (lower-cased by the caller).
pub async fn find_user_by_email<'c, E: Executor<'c, Database = Any>>(
    e: E,
    email: &str,
) -> Result<Option<UserRow>, StoreError> {
    Ok(
        sqlx::query_as(&format!("SELECT {USER_COLS} FROM users WHERE email = $1"))
            .bind(email)
            .fetch_optional(e)
            .await?,
    )
}

/// How many users the instance has.
pub async fn count_users<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM users")
        .fetch_one(e)
        .await?;
    Ok(n)
}

/// The organizations given to a user (those who see all have none).
pub async fn user_organizations<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: &str,
) -> Result<Vec<OrgId>, StoreError> {
    let rows: Vec<(OrgId,)> = sqlx::query_as(
        "SELECT organization_id FROM user_organizations WHERE user_id = $1 ORDER BY organization_id",
    )
    .bind(user_id)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Replaces the organizations given to a user.
pub async fn set_user_organizations(
    conn: &mut AnyConnection,
    user_id: &str,
    orgs: &[OrgId],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM user_organizations WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for o in orgs {
        sqlx::query("INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)")
            .bind(user_id)
            .bind(o)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A one-time token (email verification, password reset).
#[derive(Debug, Clone, FromRow)]
pub struct UserTokenRow {
    pub id: String,
    pub user_id: String,
    pub purpose: String,
    pub token_hash: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub created_at: String,
}

pub async fn insert_user_token(
    conn: &mut AnyConnection,
    t: &UserTokenRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO user_tokens (id, user_id, purpose, token_hash, expires_at, used_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&t.id)
    .bind(&t.user_id)
    .bind(&t.purpose)
    .bind(&t.token_hash)
    .bind(&t.expires_at)
    .bind(&t.used_at)
    .bind(&t.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes an unused token of `purpose` by its hash: marks it used and
/// returns it, or None when there is no such unused token. Only one
/// taker wins (the update is conditional).
pub async fn take_user_token(
    conn: &mut AnyConnection,
    purpose: &str,
    token_hash: &str,
    at: &str,
) -> Result<Option<UserTokenRow>, StoreError> {
    Ok(sqlx::query_as(
        "UPDATE user_tokens SET used_at = $3 WHERE purpose = $1 AND token_hash = $2 \
         AND used_at IS NULL \
         RETURNING id, user_id, purpose, token_hash, expires_at, used_at, created_at",
    )
    .bind(purpose)
    .bind(token_hash)
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A console session as stored: never the cookie's secret, only its hash.
#[derive(Clone, FromRow)]
pub struct SessionRow {
    pub id: String,
    pub token_hash: String,
    pub user_id: String,
    pub organization_id: Option<OrgId>,
    pub csrf_token: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

impl std::fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRow")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

const SESSION_COLS: &str = "id, token_hash, user_id, organization_id, csrf_token, ip, user_agent, \
    created_at, last_seen_at, expires_at, revoked_at";

/// Inserts or replaces a session.
pub async fn save_session<'c, E: Executor<'c, Database = Any>>(
    e: E,
    s: &SessionRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO sessions ({SESSION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, \
         last_seen_at = excluded.last_seen_at, revoked_at = excluded.revoked_at"
    ))
    .bind(&s.id)
    .bind(&s.token_hash)
    .bind(&s.user_id)
    .bind(&s.organization_id)
    .bind(&s.csrf_token)
    .bind(&s.ip)
    .bind(&s.user_agent)
    .bind(&s.created_at)
    .bind(&s.last_seen_at)
    .bind(&s.expires_at)
    .bind(&s.revoked_at)
    .execute(e)
    .await?;
    Ok(())
}

/// The session whose cookie hashes to `token_hash`.
pub async fn session_by_hash<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
) -> Result<Option<SessionRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SESSION_COLS} FROM sessions WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(e)
    .await?)
}

/// Ends every live session of a user; how many there were.
pub async fn revoke_user_sessions<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: &str,
    at: &str,
) -> Result<u64, StoreError> {
    Ok(
        sqlx::query(
            "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user_id)
        .bind(at)
        .execute(e)
        .await?
        .rows_affected(),
    )
}
