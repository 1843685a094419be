//! Console sessions: signing in (per-address attempt limit, then the
//! user's own lockout in [`crate::users`]), resolving a session cookie to
//! the user's context with idle and absolute timeouts, switching the
//! organization, signing out here or everywhere.
//!
//! The cookie carries 256 random bits; the database keeps only their keyed
//! hash, like API keys. Each sign-in makes a new session (a session id
//! planted before sign-in is never promoted: no fixation). Every session
//! has its own CSRF token, which each state-changing console request must
//! echo.

use std::sync::Arc;

use ferrobooks_store::users::{self as store, SessionRow, UserRow};
use ferrobooks_store::{OrgId, new_id, now, tenancy};
use rand::RngCore;

use crate::ratelimit::SIGNIN_PLAN;
use crate::{AuthContext, Code, ServiceError, ServiceResult, Services};

/// A session ends this long after its last request.
pub const IDLE_MINUTES: i64 = 30;
/// And this long after sign-in, whatever happens.
pub const ABSOLUTE_HOURS: i64 = 12;
/// `last_seen_at` is written at most this often (seconds), not on every
/// page.
const TOUCH_EVERY_SECS: i64 = 60;

/// A session just made: the cookie's value, shown to the browser once.
#[derive(Debug)]
pub struct NewSession {
    pub cookie: String,
    pub csrf_token: String,
}

/// A live session resolved from its cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub csrf_token: String,
    pub user: Arc<UserRow>,
    /// The user acting in the session's organization, with every scope
    /// their role allows.
    pub ctx: AuthContext,
    /// Every organization the user may switch to: (id, name).
    pub organizations: Vec<(OrgId, String)>,
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Services {
    /// Signs in from `ip`: refused with 429 when the address has tried too
    /// often ([`SIGNIN_PLAN`]), else [`Services::sign_in`]; on success a
    /// new session in the user's first organization.
    pub async fn open_session(
        &self,
        email: &str,
        password: &str,
        ip: &str,
        user_agent: Option<&str>,
    ) -> ServiceResult<NewSession> {
        let decision = self
            .limiter
            .check(&format!("signin:{ip}"), SIGNIN_PLAN)
            .await;
        if !decision.allowed {
            return Err(ServiceError::new(
                Code::RateLimited,
                format!(
                    "too many sign-in attempts from this address: try again in {} seconds",
                    decision.retry_after
                ),
            ));
        }
        let user = self.sign_in(email, password).await?;
        let (_, orgs) = self.workplaces(&user).await?;
        let org = orgs.first().map(|o| o.id.clone()).ok_or_else(|| {
            ServiceError::forbidden("this user works in no organization yet: ask an admin")
        })?;
        let cookie = random_hex();
        let now_t = chrono::Utc::now();
        let row = SessionRow {
            id: new_id("ses"),
            token_hash: self.keys.hash(&cookie).to_hex().to_string(),
            user_id: user.id.clone(),
            organization_id: Some(org),
            csrf_token: random_hex(),
            ip: Some(ip.chars().take(64).collect()),
            user_agent: user_agent.map(|u| u.chars().take(300).collect()),
            created_at: rfc3339(now_t),
            last_seen_at: rfc3339(now_t),
            expires_at: rfc3339(now_t + chrono::Duration::hours(ABSOLUTE_HOURS)),
            revoked_at: None,
        };
        let guard = self.store.write_guard().await;
        let saved = store::save_session(self.store.pool(), &row).await;
        drop(guard);
        saved?;
        Ok(NewSession {
            cookie,
            csrf_token: row.csrf_token,
        })
    }

    /// What `user` may reach, and the organizations they work in, by name.
    async fn workplaces(
        &self,
        user: &UserRow,
    ) -> ServiceResult<(crate::auth::UserAccess, Vec<tenancy::OrganizationRow>)> {
        let mut conn = self.read_conn().await?;
        let access = crate::users::access_of(&mut conn, user).await?;
        let mut orgs: Vec<tenancy::OrganizationRow> = tenancy::list_organizations(&mut *conn)
            .await?
            .into_iter()
            .filter(|o| o.tenant_id == user.tenant_id && access.sees(&o.id))
            .collect();
        orgs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok((access, orgs))
    }

    /// The live session a cookie names, or 401 (unknown, signed out,
    /// idle for [`IDLE_MINUTES`], past [`ABSOLUTE_HOURS`], or its user
    /// disabled).
    pub async fn session(&self, cookie: &str) -> ServiceResult<Session> {
        const GONE: &str = "the session has ended: sign in again";
        if cookie.len() != 64 || !cookie.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ServiceError::unauthenticated(GONE));
        }
        let hash = self.keys.hash(cookie).to_hex().to_string();
        let mut row = store::session_by_hash(self.store.pool(), &hash)
            .await?
            .ok_or(ServiceError::unauthenticated(GONE))?;
        let now_t = chrono::Utc::now();
        let at = rfc3339(now_t);
        let last_seen = chrono::DateTime::parse_from_rfc3339(&row.last_seen_at)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|_| ServiceError::internal("a session's time is corrupt"))?;
        let idle_end = last_seen + chrono::Duration::minutes(IDLE_MINUTES);
        if row.revoked_at.is_some() || row.expires_at <= at || idle_end <= now_t {
            return Err(ServiceError::unauthenticated(GONE));
        }
        let mut conn = self.read_conn().await?;
        let user = store::get_user(&mut conn, &row.user_id, false)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or(ServiceError::unauthenticated("this user is disabled"))?;
        drop(conn);
        let (access, orgs) = self.workplaces(&user).await?;
        // The session's organization, or (taken away since) the first left.
        let org = orgs
            .iter()
            .find(|o| row.organization_id.as_ref() == Some(&o.id))
            .or_else(|| orgs.first())
            .cloned()
            .ok_or_else(|| ServiceError::forbidden("this user works in no organization"))?;
        let org_id = org.id.clone();
        let organizations = orgs.into_iter().map(|o| (o.id, o.name)).collect();
        let mut ctx = crate::tokens::user_context(&user, org, access.organizations)?;
        // Rate limits and logs name the session, not the user's tokens.
        Arc::make_mut(&mut ctx.principal).id = row.id.clone();
        Arc::make_mut(&mut ctx.principal).kind = crate::auth::PrincipalKind::Session;
        // A person at the console may make keys of any tier their role
        // allows them to make at all.
        Arc::make_mut(&mut ctx.principal).tier = "enterprise".into();
        let stale = (now_t - last_seen).num_seconds() >= TOUCH_EVERY_SECS;
        if stale || row.organization_id.as_ref() != Some(&org_id) {
            row.last_seen_at = at;
            row.organization_id = Some(org_id);
            let guard = self.store.write_guard().await;
            let saved = store::save_session(self.store.pool(), &row).await;
            drop(guard);
            saved?;
        }
        Ok(Session {
            id: row.id,
            csrf_token: row.csrf_token,
            user: Arc::new(user),
            ctx,
            organizations,
        })
    }

    /// Moves a session to another organization the user works in.
    pub async fn switch_organization(&self, cookie: &str, org: &str) -> ServiceResult<()> {
        let s = self.session(cookie).await?;
        if !s.organizations.iter().any(|(id, _)| id.as_str() == org) {
            return Err(ServiceError::not_found("organization"));
        }
        let hash = self.keys.hash(cookie).to_hex().to_string();
        let mut row = store::session_by_hash(self.store.pool(), &hash)
            .await?
            .ok_or(ServiceError::unauthenticated("the session has ended"))?;
        row.organization_id = Some(OrgId::new(org));
        row.last_seen_at = now();
        let guard = self.store.write_guard().await;
        let saved = store::save_session(self.store.pool(), &row).await;
        drop(guard);
        Ok(saved?)
    }

    /// Ends the session a cookie names (nothing when it is already gone).
    pub async fn close_session(&self, cookie: &str) -> ServiceResult<()> {
        let hash = self.keys.hash(cookie).to_hex().to_string();
        if let Some(mut row) = store::session_by_hash(self.store.pool(), &hash).await? {
            row.revoked_at.get_or_insert_with(now);
            let guard = self.store.write_guard().await;
            let saved = store::save_session(self.store.pool(), &row).await;
            drop(guard);
            saved?;
        }
        Ok(())
    }

    /// Ends every session of the user (sign out everywhere); how many.
    pub async fn close_user_sessions(&self, user_id: &str) -> ServiceResult<u64> {
        let guard = self.store.write_guard().await;
        let n = store::revoke_user_sessions(self.store.pool(), user_id, &now()).await;
        drop(guard);
        Ok(n?)
    }
}
