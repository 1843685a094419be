//! Email verification and password reset: one-time tokens (256 random
//! bits, kept as their keyed hash in `user_tokens`) sent to the user's
//! address. No mail is sent by this server yet: the link is written to
//! the server's log (INFO, `ferrobooks_service::recovery`), where an
//! operator without mail finds it.

use ferrobooks_domain::access;
use ferrobooks_store::users::{self as store, UserTokenRow};
use ferrobooks_store::{new_id, now};

use crate::ratelimit::SIGNIN_PLAN;
use crate::{Code, ServiceError, ServiceResult, Services};

/// What a token is for.
pub const VERIFY_EMAIL: &str = "verify_email";
pub const RESET_PASSWORD: &str = "reset_password";

/// A verification link lasts a week; a reset link an hour.
fn lifetime(purpose: &str) -> chrono::Duration {
    if purpose == RESET_PASSWORD {
        chrono::Duration::hours(1)
    } else {
        chrono::Duration::days(7)
    }
}

impl Services {
    /// Makes a token of `purpose` for the user and "sends" its link: the
    /// raw token, for the caller to deliver.
    pub(crate) async fn issue_user_token(
        &self,
        conn: &mut ferrobooks_store::Conn,
        user_id: &str,
        email: &str,
        purpose: &str,
    ) -> ServiceResult<String> {
        let raw = crate::oauth::random_secret("");
        let at = chrono::Utc::now();
        store::insert_user_token(
            conn,
            &UserTokenRow {
                id: new_id("utk"),
                user_id: user_id.to_owned(),
                purpose: purpose.to_owned(),
                token_hash: self.keys.hash(&raw).to_hex().to_string(),
                expires_at: crate::oauth::rfc3339(at + lifetime(purpose)),
                used_at: None,
                created_at: crate::oauth::rfc3339(at),
            },
        )
        .await?;
        let link = match purpose {
            RESET_PASSWORD => format!("/app/password/reset?token={raw}"),
            _ => format!("/app/verify?token={raw}"),
        };
        // No mail is configured: the link goes to the operator's log.
        tracing::info!(
            email,
            link,
            purpose,
            "a link for the user (no mail is configured: give it to them)"
        );
        Ok(raw)
    }

    /// Starts a password reset for `email`, from `ip`: the raw token when a
    /// user has the address, for the delivery (the console answers the
    /// same either way and never shows it). Attempts count against the
    /// address's sign-in limit.
    pub async fn request_password_reset(
        &self,
        email: &str,
        ip: &str,
    ) -> ServiceResult<Option<String>> {
        let decision = self
            .limiter
            .check(&format!("signin:{ip}"), SIGNIN_PLAN)
            .await;
        if !decision.allowed {
            return Err(ServiceError::new(
                Code::RateLimited,
                format!(
                    "too many attempts from this address: try again in {} seconds",
                    decision.retry_after
                ),
            ));
        }
        let email = email.trim().to_lowercase();
        let mut wtx = self.store.begin_write().await?;
        let Some(u) = store::user_by_email(&mut wtx.tx, &email).await? else {
            return Ok(None);
        };
        if u.disabled_at.is_some() {
            return Ok(None);
        }
        let token = self
            .issue_user_token(&mut wtx.tx, &u.id, &u.email, RESET_PASSWORD)
            .await?;
        wtx.commit().await?;
        Ok(Some(token))
    }

    /// Takes an unused, unexpired token of `purpose`: its user id.
    async fn take_token(
        &self,
        conn: &mut ferrobooks_store::Conn,
        purpose: &str,
        token: &str,
    ) -> ServiceResult<String> {
        const BAD: &str = "this link is not valid: it was used already, has expired or is wrong";
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ServiceError::invalid("token", BAD));
        }
        let hash = self.keys.hash(token).to_hex().to_string();
        let t = store::take_user_token(conn, purpose, &hash, &now())
            .await?
            .filter(|t| t.expires_at.as_str() > now().as_str())
            .ok_or_else(|| ServiceError::invalid("token", BAD))?;
        Ok(t.user_id)
    }

    /// Sets a new password with a reset link's token: the lockout is
    /// lifted and every session of the user ends.
    pub async fn reset_password(&self, token: &str, password: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        let user_id = self.take_token(&mut wtx.tx, RESET_PASSWORD, token).await?;
        let mut u = store::get_user(&mut wtx.tx, &user_id, true)
            .await?
            .ok_or_else(|| ServiceError::invalid("token", "the user is gone"))?;
        access::check_password(password, &u.email)?;
        u.password_hash = crate::users::hash_password(password.to_owned()).await?;
        u.failed_logins = 0;
        u.locked_until = None;
        // The link reached the user's mailbox: the address works.
        u.email_verified_at.get_or_insert_with(now);
        u.updated_at = now();
        store::save_user(&mut wtx.tx, &u).await?;
        store::revoke_user_sessions(&mut *wtx.tx, &u.id, &now()).await?;
        wtx.commit().await?;
        Ok(())
    }

    /// Marks the user's email verified with a verification link's token.
    pub async fn verify_email(&self, token: &str) -> ServiceResult<String> {
        let mut wtx = self.store.begin_write().await?;
        let user_id = self.take_token(&mut wtx.tx, VERIFY_EMAIL, token).await?;
        let mut u = store::get_user(&mut wtx.tx, &user_id, true)
            .await?
            .ok_or_else(|| ServiceError::invalid("token", "the user is gone"))?;
        u.email_verified_at.get_or_insert_with(now);
        u.updated_at = now();
        store::save_user(&mut wtx.tx, &u).await?;
        wtx.commit().await?;
        Ok(u.email)
    }
}
