//! Users of an account: made by the command line (the first one), the demo
//! bootstrap, or an owner or admin over the API; signed in by email and
//! password. Passwords are hashed with argon2id on a blocking thread; five
//! failures in a row lock the user out for a while, longer each time
//! ([`access::lock_for`]).

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use ferrobooks_domain::access::{self, Role};
use ferrobooks_store::users::{self as store, UserRow};
use ferrobooks_store::{OrgId, new_id, now, tenancy};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::page::{Page, paginate};
use crate::{AuthContext, Code, ServiceError, ServiceResult, Services, opt_text};

/// A user as the API shows them: never the password hash or second-factor
/// secret.
#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: Option<String>,
    /// owner, admin, accountant or viewer.
    pub role: String,
    /// Owners and admins see every organization of the account (empty);
    /// the others, these.
    pub organization_ids: Vec<String>,
    pub email_verified: bool,
    pub two_factor: bool,
    /// Set while failed sign-ins keep the user out.
    pub locked_until: Option<String>,
    /// active or disabled.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A new user, or the fields of one to change (absent fields stay).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<String>,
    /// At least 12 characters. On create, default: one is generated and
    /// answered once.
    pub password: Option<String>,
    /// Accountants and viewers: the organizations they work in (default:
    /// the one the request acts in).
    pub organization_ids: Option<Vec<String>>,
    /// On update: `true` disables the user (their tokens stop working),
    /// `false` enables them again.
    pub disabled: Option<bool>,
}

/// A user just made, with the password when one was generated (shown
/// once).
#[derive(Debug, Clone, Serialize)]
pub struct NewUser {
    #[serde(flatten)]
    pub user: UserView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The email verification link's token, for its delivery (never
    /// answered).
    #[serde(skip)]
    pub verify_token: String,
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, two
/// passes), on a blocking thread.
pub(crate) async fn hash_password(password: String) -> ServiceResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::internal(format!("hashing a password: {e}")))
    })
    .await
    .map_err(ServiceError::internal)?
}

/// Whether `password` matches the stored hash, on a blocking thread.
pub(crate) async fn password_matches(hash: String, password: String) -> ServiceResult<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|_| ServiceError::internal("a stored password hash is corrupt"))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(ServiceError::internal)?
}

/// A password of 20 letters and digits (about 119 bits), for users made
/// without one.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

fn parse_email(e: Option<String>) -> ServiceResult<String> {
    crate::contacts::check_email("email", e)?
        .map(|e| e.to_lowercase())
        .ok_or_else(|| ServiceError::invalid("email", "is required"))
}

pub(crate) fn role_of(u: &UserRow) -> ServiceResult<Role> {
    Role::from_name(&u.role)
        .ok_or_else(|| ServiceError::internal(format!("user {} has role {}", u.id, u.role)))
}

/// What a user may reach: their role and the organizations given to them.
pub(crate) async fn access_of(
    conn: &mut ferrobooks_store::Conn,
    u: &UserRow,
) -> ServiceResult<crate::auth::UserAccess> {
    Ok(crate::auth::UserAccess {
        id: u.id.clone(),
        role: role_of(u)?,
        organizations: store::user_organizations(&mut *conn, &u.id).await?,
    })
}

impl Services {
    async fn user_view(
        &self,
        conn: &mut ferrobooks_store::Conn,
        u: UserRow,
    ) -> ServiceResult<UserView> {
        let orgs = store::user_organizations(&mut *conn, &u.id).await?;
        Ok(UserView {
            organization_ids: orgs.into_iter().map(|o| o.to_string()).collect(),
            email_verified: u.email_verified_at.is_some(),
            two_factor: u.totp_secret.is_some(),
            locked_until: u.locked_until.filter(|l| l.as_str() > now().as_str()),
            status: if u.disabled_at.is_some() {
                "disabled"
            } else {
                "active"
            }
            .into(),
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            created_at: u.created_at,
            updated_at: u.updated_at,
        })
    }

    /// Makes a user of `tenant_id`. `by` is the role the maker acts with
    /// ([`Self::manager_role`]; the command line makes users as an owner).
    /// Accountants and viewers are given `organization_ids`, default
    /// `default_org`.
    pub async fn create_user(
        &self,
        tenant_id: &str,
        by: Role,
        default_org: Option<&OrgId>,
        input: UserInput,
    ) -> ServiceResult<NewUser> {
        let email = parse_email(input.email)?;
        let role = Role::parse("role", input.role.as_deref().unwrap_or("viewer"))?;
        if !by.manages(role) {
            return Err(ServiceError::forbidden(format!(
                "a user with the role {by} cannot make a user with the role {role}"
            )));
        }
        if input.disabled.is_some() {
            return Err(ServiceError::invalid("disabled", "a new user is active"));
        }
        let generated = input.password.is_none().then(generate_password);
        let password = input
            .password
            .or_else(|| generated.clone())
            .unwrap_or_default();
        access::check_password(&password, &email)?;
        let name = opt_text("name", input.name, 200)?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let orgs = self
            .user_orgs(conn, tenant_id, role, input.organization_ids, default_org)
            .await?;
        let at = now();
        let row = UserRow {
            id: new_id("usr"),
            tenant_id: tenant_id.to_owned(),
            email: email.clone(),
            name,
            password_hash: hash_password(password).await?,
            role: role.as_str().into(),
            email_verified_at: None,
            totp_secret: None,
            failed_logins: 0,
            locked_until: None,
            disabled_at: None,
            created_at: at.clone(),
            updated_at: at,
        };
        store::save_user(conn, &row).await.map_err(|e| {
            if e.is_unique_violation() {
                ServiceError::invalid("email", format!("{email} already has a user"))
            } else {
                e.into()
            }
        })?;
        store::set_user_organizations(conn, &row.id, &orgs).await?;
        let verify_token = self
            .issue_user_token(conn, &row.id, &row.email, crate::recovery::VERIFY_EMAIL)
            .await?;
        let user = self.user_view(conn, row).await?;
        wtx.commit().await?;
        Ok(NewUser {
            user,
            password: generated,
            verify_token,
        })
    }

    /// The organizations given to a user of `role`: none for those who see
    /// them all; else those named (each of the account's own), default the
    /// request's.
    async fn user_orgs(
        &self,
        conn: &mut ferrobooks_store::Conn,
        tenant_id: &str,
        role: Role,
        given: Option<Vec<String>>,
        default_org: Option<&OrgId>,
    ) -> ServiceResult<Vec<OrgId>> {
        if role.sees_every_organization() {
            if given.as_ref().is_some_and(|g| !g.is_empty()) {
                return Err(ServiceError::invalid(
                    "organization_ids",
                    format!("a user with the role {role} sees every organization of the account"),
                ));
            }
            return Ok(Vec::new());
        }
        let ids = match given {
            Some(g) => g,
            None => default_org.map(|o| vec![o.to_string()]).unwrap_or_default(),
        };
        if ids.is_empty() {
            return Err(ServiceError::invalid(
                "organization_ids",
                format!("a user with the role {role} needs at least one organization"),
            ));
        }
        let mut out: Vec<OrgId> = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            match tenancy::get_organization(&mut *conn, &OrgId::new(id)).await? {
                Some(o) if o.tenant_id == tenant_id => {
                    if !out.contains(&o.id) {
                        out.push(o.id);
                    }
                }
                _ => {
                    return Err(ServiceError::invalid(
                        format!("organization_ids[{i}]"),
                        format!("no organization {id}"),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// Whether the caller sees user `u`: an account-wide credential sees
    /// every user of its account; one bound to an organization, those who
    /// work in it.
    async fn visible(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        u: &UserRow,
    ) -> ServiceResult<bool> {
        if u.tenant_id != ctx.principal.tenant_id {
            return Ok(false);
        }
        if ctx.principal.account_wide() || role_of(u)?.sees_every_organization() {
            return Ok(true);
        }
        Ok(store::user_organizations(&mut *conn, &u.id)
            .await?
            .contains(ctx.org_id()))
    }

    /// The users of the caller's account it sees ([`Self::visible`]).
    pub async fn list_users(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<UserView>> {
        let mut conn = self.read_conn().await?;
        let rows = store::list_users(
            &mut *conn,
            &ctx.principal.tenant_id,
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |u| &u.id);
        let mut items = Vec::new();
        for u in page.items {
            if self.visible(&mut conn, ctx, &u).await? {
                items.push(self.user_view(&mut conn, u).await?);
            }
        }
        Ok(Page {
            items,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// A user of the caller's account.
    pub async fn get_user(&self, ctx: &AuthContext, id: &str) -> ServiceResult<UserView> {
        let mut conn = self.read_conn().await?;
        let u = store::get_user(&mut conn, id, false)
            .await?
            .ok_or(ServiceError::not_found("user"))?;
        if !self.visible(&mut conn, ctx, &u).await? {
            return Err(ServiceError::not_found("user"));
        }
        self.user_view(&mut conn, u).await
    }

    /// The role the caller acts with when managing users: a token's user's
    /// role; an API key acts as an admin.
    pub fn manager_role(ctx: &AuthContext) -> Role {
        ctx.principal.user.as_ref().map_or(Role::Admin, |u| u.role)
    }

    /// Changes a user of the caller's account: email, name, role,
    /// password, organizations, disabled. An owner stays unless another
    /// active owner remains.
    pub async fn update_user(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: UserInput,
    ) -> ServiceResult<UserView> {
        let by = Self::manager_role(ctx);
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut u = store::get_user(conn, id, true)
            .await?
            .ok_or(ServiceError::not_found("user"))?;
        if !self.visible(conn, ctx, &u).await? {
            return Err(ServiceError::not_found("user"));
        }
        let was = role_of(&u)?;
        if !by.manages(was) {
            return Err(ServiceError::forbidden(format!(
                "a user with the role {by} cannot change a user with the role {was}"
            )));
        }
        let mut new_address = false;
        if input.email.is_some() {
            let email = parse_email(input.email)?;
            if email != u.email {
                // A new address is unverified until its link is followed.
                u.email = email;
                u.email_verified_at = None;
                new_address = true;
            }
        }
        if input.name.is_some() {
            u.name = opt_text("name", input.name, 200)?;
        }
        let role = match input.role.as_deref() {
            Some(r) => Role::parse("role", r)?,
            None => was,
        };
        if !by.manages(role) {
            return Err(ServiceError::forbidden(format!(
                "a user with the role {by} cannot give the role {role}"
            )));
        }
        u.role = role.as_str().into();
        if let Some(p) = input.password {
            access::check_password(&p, &u.email)?;
            u.password_hash = hash_password(p).await?;
        }
        if let Some(d) = input.disabled {
            u.disabled_at = if d {
                u.disabled_at.or_else(|| Some(now()))
            } else {
                None
            };
        }
        let leaves_owners = was == Role::Owner && (role != Role::Owner || u.disabled_at.is_some());
        if leaves_owners && !self.other_owner(conn, &u).await? {
            return Err(ServiceError::new(
                Code::InvalidState,
                "the account's last active owner stays an active owner: make another owner first",
            ));
        }
        if input.organization_ids.is_some()
            || role.sees_every_organization() != was.sees_every_organization()
        {
            let given = input.organization_ids.or_else(|| {
                (!role.sees_every_organization()).then(|| vec![ctx.org_id().to_string()])
            });
            let orgs = self
                .user_orgs(conn, &u.tenant_id, role, given, Some(ctx.org_id()))
                .await?;
            store::set_user_organizations(conn, &u.id, &orgs).await?;
        }
        u.updated_at = now();
        store::save_user(conn, &u).await.map_err(|e| {
            if e.is_unique_violation() {
                ServiceError::invalid("email", format!("{} already has a user", u.email))
            } else {
                e.into()
            }
        })?;
        if new_address {
            self.issue_user_token(conn, &u.id, &u.email, crate::recovery::VERIFY_EMAIL)
                .await?;
        }
        let view = self.user_view(conn, u).await?;
        wtx.commit().await?;
        self.auth_cache.forget_user(id);
        Ok(view)
    }

    /// Whether the account has an active owner besides `u`.
    async fn other_owner(
        &self,
        conn: &mut ferrobooks_store::Conn,
        u: &UserRow,
    ) -> ServiceResult<bool> {
        let mut after = String::new();
        loop {
            let page = store::list_users(&mut *conn, &u.tenant_id, &after, 100).await?;
            if page
                .iter()
                .any(|o| o.id != u.id && o.role == "owner" && o.disabled_at.is_none())
            {
                return Ok(true);
            }
            match page.last() {
                Some(l) if page.len() == 100 => after.clone_from(&l.id),
                _ => return Ok(false),
            }
        }
    }

    /// Signs a user in by email and password: the user, or 401 with the
    /// same words whether the email or the password was wrong. Failures
    /// count under the user's row lock; the fifth in a row locks the user
    /// out ([`access::lock_for`]), and a locked user is told until when.
    pub async fn sign_in(&self, email: &str, password: &str) -> ServiceResult<Arc<UserRow>> {
        const WRONG: &str = "the email or password is wrong";
        let email = email.trim().to_lowercase();
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let Some(mut u) = store::user_by_email(conn, &email).await? else {
            // The same work as a real check, so timing does not tell which
            // addresses have users.
            let _ = password_matches(dummy_hash().to_owned(), password.to_owned()).await;
            return Err(ServiceError::unauthenticated(WRONG));
        };
        let at = now();
        if let Some(until) = u.locked_until.as_deref().filter(|l| *l > at.as_str()) {
            return Err(ServiceError::new(
                Code::AccountLocked,
                format!("too many failed sign-ins: this user is locked until {until}"),
            ));
        }
        if !password_matches(u.password_hash.clone(), password.to_owned()).await? {
            u.failed_logins += 1;
            let locked = access::lock_for(u.failed_logins);
            if let Some(minutes) = locked {
                let until = chrono::Utc::now() + chrono::Duration::minutes(minutes);
                u.locked_until = Some(until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            }
            u.updated_at = at;
            store::save_user(conn, &u).await?;
            wtx.commit().await?;
            return Err(match (locked, &u.locked_until) {
                (Some(_), Some(until)) => ServiceError::new(
                    Code::AccountLocked,
                    format!("too many failed sign-ins: this user is locked until {until}"),
                ),
                _ => ServiceError::unauthenticated(WRONG),
            });
        }
        if u.disabled_at.is_some() {
            return Err(ServiceError::unauthenticated("this user is disabled"));
        }
        if u.failed_logins != 0 || u.locked_until.is_some() {
            u.failed_logins = 0;
            u.locked_until = None;
            u.updated_at = at;
            store::save_user(conn, &u).await?;
        }
        wtx.commit().await?;
        Ok(Arc::new(u))
    }
}

/// An argon2id hash of nothing anyone knows, checked when no user has the
/// email.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(generate_password().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}
