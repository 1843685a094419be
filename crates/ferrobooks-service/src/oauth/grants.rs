//! The grants: checking an authorization request, issuing a code for a
//! user's consent, and the token endpoint (`authorization_code`,
//! `refresh_token`) and revocation (RFC 7009).

use base64::Engine;
use ferrobooks_store::oauth::{self as store, OAuthAppRow, OAuthCodeRow, RefreshRow};
use ferrobooks_store::tenancy::{self, ApiKeyRow};
use ferrobooks_store::{OrgId, new_id, now};
use serde::Serialize;
use sha2::Digest;

use super::{
    ACCESS_PREFIX, ACCESS_SECONDS, CODE_SECONDS, OAuthError, REFRESH_DAYS, REFRESH_PREFIX,
    random_secret, rfc3339,
};
use crate::Services;

/// The query of `GET /oauth/authorize`, as sent.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuthorizeParams {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// A request worth asking the user about.
#[derive(Debug, Clone)]
pub struct Consent {
    pub client_id: String,
    pub app_name: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub code_challenge: String,
}

/// What to do with an authorization request.
#[derive(Debug, Clone)]
pub enum Authorize {
    /// Ask the signed-in user.
    Ask(Consent),
    /// Send the browser back to the app with this URL (an error the
    /// app's trusted redirect URI receives).
    Back(String),
    /// The app or its redirect URI cannot be trusted: say so to the user
    /// and send them nowhere (RFC 6749 4.1.2.1).
    Refuse(String),
}

/// `uri` with `params` added to its query.
pub fn redirect_with(uri: &str, params: &[(&str, &str)]) -> String {
    let mut out = uri.to_owned();
    let mut sep = if uri.contains('?') { '&' } else { '?' };
    for (k, v) in params {
        out.push(sep);
        out.push_str(k);
        out.push('=');
        out.push_str(&form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>());
        sep = '&';
    }
    out
}

fn list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// Whether every scope of `asked` is within `allowed`.
fn within(allowed: &[String], asked: &[String]) -> bool {
    crate::auth::SCOPE_RESOURCES.iter().all(|r| {
        ["read", "write"].iter().all(|a| {
            !crate::auth::scopes_allow(asked, r, a) || crate::auth::scopes_allow(allowed, r, a)
        })
    }) && (!asked.iter().any(|s| s == "*" || s == "*:*")
        || allowed.iter().any(|s| s == "*" || s == "*:*"))
}

/// A PKCE code challenge: 43 base64url characters (a SHA-256).
fn valid_challenge(c: &str) -> bool {
    c.len() == 43
        && c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A code verifier: 43 to 128 unreserved characters (RFC 7636 4.1).
fn valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// The token endpoint's request, its form fields (and HTTP Basic client
/// credentials, merged in by the surface).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
    /// Revocation: the token, and what it is (a hint only).
    pub token: Option<String>,
    pub token_type_hint: Option<String>,
}

/// A successful token answer (RFC 6749 5.1).
#[derive(Debug, Clone, Serialize)]
pub struct TokenAnswer {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
    pub scope: String,
}

impl Services {
    /// Checks an authorization request before anyone is asked. The client
    /// and the exact redirect URI are checked first: until both are known
    /// good nothing is sent to the URI.
    pub async fn authorize_request(&self, p: &AuthorizeParams) -> Result<Authorize, OAuthError> {
        let Some(client_id) = p.client_id.as_deref().filter(|c| !c.is_empty()) else {
            return Ok(Authorize::Refuse(
                "The request names no app (client_id is missing).".into(),
            ));
        };
        let Some(app) = store::get_app(self.store.pool(), client_id).await? else {
            return Ok(Authorize::Refuse(format!(
                "No app is registered as {client_id}."
            )));
        };
        let uris = list(&app.redirect_uris);
        let redirect = match p.redirect_uri.as_deref() {
            Some(r) if uris.iter().any(|u| u == r) => r.to_owned(),
            Some(_) => {
                return Ok(Authorize::Refuse(format!(
                    "The app {} asked to send you to an address it did not register.",
                    app.name
                )));
            }
            // One registered URI may be left out (RFC 6749 3.1.2.3).
            None if uris.len() == 1 => uris[0].clone(),
            None => {
                return Ok(Authorize::Refuse(
                    "The request names no redirect_uri and the app has several.".into(),
                ));
            }
        };
        let state = p.state.clone();
        let back = |error: &str, description: &str| {
            let mut params = vec![("error", error), ("error_description", description)];
            if let Some(s) = state.as_deref() {
                params.push(("state", s));
            }
            Ok(Authorize::Back(redirect_with(&redirect, &params)))
        };
        if p.response_type.as_deref() != Some("code") {
            return back(
                "unsupported_response_type",
                "only response_type=code is supported",
            );
        }
        let challenge = p.code_challenge.as_deref().unwrap_or("");
        if p.code_challenge_method.as_deref() != Some("S256") {
            return back(
                "invalid_request",
                "PKCE is required with code_challenge_method=S256",
            );
        }
        if !valid_challenge(challenge) {
            return back(
                "invalid_request",
                "code_challenge must be 43 base64url characters (S256)",
            );
        }
        let allowed = list(&app.scopes);
        let scopes: Vec<String> = match p.scope.as_deref().map(str::trim).filter(|s| !s.is_empty())
        {
            None => allowed.clone(),
            Some(s) => s
                .split(' ')
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        if crate::auth::parse_scopes(Some(scopes.clone())).is_err() || !within(&allowed, &scopes) {
            return back(
                "invalid_scope",
                "a scope asked for is unknown or not allowed to this app",
            );
        }
        Ok(Authorize::Ask(Consent {
            client_id: app.id,
            app_name: app.name,
            redirect_uri: redirect,
            scopes,
            state,
            code_challenge: challenge.to_owned(),
        }))
    }

    /// Issues a code for the user's consent to `c` in `org` (one the user
    /// works in, of the app's account); the URL to send the browser to.
    pub async fn grant_code(
        &self,
        user_id: &str,
        org: &OrgId,
        c: &Consent,
    ) -> Result<String, OAuthError> {
        let code = random_secret("");
        let row = OAuthCodeRow {
            code_hash: self.keys.hash(&code).to_hex().to_string(),
            client_id: c.client_id.clone(),
            user_id: user_id.to_owned(),
            organization_id: org.clone(),
            redirect_uri: c.redirect_uri.clone(),
            scopes: serde_json::to_string(&c.scopes).unwrap_or_default(),
            code_challenge: c.code_challenge.clone(),
            family_id: new_id("ofam"),
            expires_at: rfc3339(chrono::Utc::now() + chrono::Duration::seconds(CODE_SECONDS)),
            used_at: None,
        };
        let mut wtx = self.store.begin_write().await?;
        // The user may grant only an organization they work in.
        let user = ferrobooks_store::users::get_user(&mut wtx.tx, user_id, false)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or_else(|| OAuthError::new("access_denied", "the user is disabled"))?;
        let access = crate::users::access_of(&mut wtx.tx, &user).await?;
        let works_there = tenancy::get_organization(&mut *wtx.tx, org)
            .await?
            .is_some_and(|o| o.tenant_id == user.tenant_id && access.sees(&o.id));
        if !works_there {
            return Err(OAuthError::new(
                "access_denied",
                "you do not work in that organization",
            ));
        }
        store::insert_code(&mut wtx.tx, &row).await?;
        wtx.commit().await?;
        let mut params = vec![("code", code.as_str())];
        if let Some(s) = c.state.as_deref() {
            params.push(("state", s));
        }
        Ok(redirect_with(&c.redirect_uri, &params))
    }

    /// The app a token request authenticates as: a confidential app needs
    /// its secret, a public one only its id.
    async fn client(&self, req: &TokenRequest) -> Result<OAuthAppRow, OAuthError> {
        let bad = || {
            OAuthError::new(
                "invalid_client",
                "the client is unknown or its authentication failed",
            )
        };
        let id = req
            .client_id
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(bad)?;
        let app = store::get_app(self.store.pool(), id)
            .await?
            .ok_or_else(bad)?;
        match (&app.secret_hash, req.client_secret.as_deref()) {
            (Some(stored), Some(given)) => {
                let stored = blake3::Hash::from_hex(stored).map_err(|_| bad())?;
                // blake3::Hash compares in constant time.
                if self.keys.hash(given) != stored {
                    return Err(bad());
                }
            }
            (Some(_), None) => return Err(bad()),
            (None, Some(_)) => return Err(bad()),
            (None, None) => {}
        }
        Ok(app)
    }

    /// The token endpoint.
    pub async fn token(&self, req: TokenRequest) -> Result<TokenAnswer, OAuthError> {
        match req.grant_type.as_deref() {
            Some("authorization_code") => self.exchange_code(req).await,
            Some("refresh_token") => self.rotate_refresh(req).await,
            Some(other) => Err(OAuthError::new(
                "unsupported_grant_type",
                format!("'{other}' is not supported: use authorization_code or refresh_token"),
            )),
            None => Err(OAuthError::new("invalid_request", "grant_type is missing")),
        }
    }

    async fn exchange_code(&self, req: TokenRequest) -> Result<TokenAnswer, OAuthError> {
        let app = self.client(&req).await?;
        let invalid = |why: &str| OAuthError::new("invalid_grant", why.to_owned());
        let code = req
            .code
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| OAuthError::new("invalid_request", "code is missing"))?;
        let verifier = req.code_verifier.as_deref().unwrap_or("");
        if !valid_verifier(verifier) {
            return Err(OAuthError::new(
                "invalid_request",
                "code_verifier must be 43 to 128 unreserved characters",
            ));
        }
        let hash = self.keys.hash(code).to_hex().to_string();
        let mut wtx = self.store.begin_write().await?;
        let Some(row) = store::lock_code(&mut wtx.tx, &hash).await? else {
            return Err(invalid("the code is unknown"));
        };
        if row.used_at.is_some() {
            // A code used twice is stolen or replayed: what it gave is
            // revoked too (RFC 6749 4.1.2).
            self.revoke_grant(wtx, &row.family_id).await?;
            return Err(invalid(
                "the code was already used; the tokens it gave are revoked",
            ));
        }
        if row.client_id != app.id {
            return Err(invalid("the code was issued to another client"));
        }
        if row.expires_at <= now() {
            return Err(invalid("the code has expired"));
        }
        if req.redirect_uri.as_deref() != Some(row.redirect_uri.as_str()) {
            return Err(invalid(
                "redirect_uri does not match the authorization request's",
            ));
        }
        if s256(verifier) != row.code_challenge {
            return Err(invalid("code_verifier does not match the code_challenge"));
        }
        store::use_code(&mut wtx.tx, &hash, &now()).await?;
        let answer = self
            .issue(
                &mut wtx.tx,
                &app,
                &row.user_id,
                &row.organization_id,
                &list(&row.scopes),
                &row.family_id,
            )
            .await?;
        wtx.commit().await?;
        Ok(answer)
    }

    async fn rotate_refresh(&self, req: TokenRequest) -> Result<TokenAnswer, OAuthError> {
        let app = self.client(&req).await?;
        let invalid = |why: &str| OAuthError::new("invalid_grant", why.to_owned());
        let token = req
            .refresh_token
            .as_deref()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| OAuthError::new("invalid_request", "refresh_token is missing"))?;
        let hash = self.keys.hash(token).to_hex().to_string();
        let mut wtx = self.store.begin_write().await?;
        let Some(row) = store::lock_refresh(&mut wtx.tx, &hash).await? else {
            return Err(invalid("the refresh token is unknown"));
        };
        if row.client_id != app.id {
            return Err(invalid("the refresh token was issued to another client"));
        }
        if row.revoked_at.is_some() {
            return Err(invalid("the refresh token was revoked"));
        }
        if row.used_at.is_some() {
            // Replay of a rotated token: someone else holds the family.
            self.revoke_grant(wtx, &row.family_id).await?;
            tracing::warn!(family = %row.family_id, "a spent refresh token was replayed; its family is revoked");
            return Err(invalid(
                "the refresh token was already used; every token of its grant is revoked",
            ));
        }
        if row.expires_at <= now() {
            return Err(invalid("the refresh token has expired"));
        }
        let granted = list(&row.scopes);
        // A refresh may narrow the scope, never widen it (RFC 6749 6).
        let scopes = match req
            .scope
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => granted.clone(),
            Some(s) => {
                let asked: Vec<String> = s
                    .split(' ')
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect();
                if crate::auth::parse_scopes(Some(asked.clone())).is_err()
                    || !within(&granted, &asked)
                {
                    return Err(OAuthError::new(
                        "invalid_scope",
                        "a refresh cannot widen the scope granted",
                    ));
                }
                asked
            }
        };
        store::use_refresh(&mut wtx.tx, &row.id, &now()).await?;
        let answer = self
            .issue(
                &mut wtx.tx,
                &app,
                &row.user_id,
                &row.organization_id,
                &scopes,
                &row.family_id,
            )
            .await?;
        wtx.commit().await?;
        Ok(answer)
    }

    /// An access token and a refresh token of `family`, in the
    /// transaction.
    async fn issue(
        &self,
        conn: &mut ferrobooks_store::Conn,
        app: &OAuthAppRow,
        user_id: &str,
        org: &OrgId,
        scopes: &[String],
        family: &str,
    ) -> Result<TokenAnswer, OAuthError> {
        let user = ferrobooks_store::users::get_user(conn, user_id, false)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or_else(|| {
                OAuthError::new("invalid_grant", "the user who granted access is disabled")
            })?;
        let now_t = chrono::Utc::now();
        let access = random_secret(ACCESS_PREFIX);
        let scopes_json = serde_json::to_string(scopes).map_err(crate::ServiceError::internal)?;
        let key = ApiKeyRow {
            id: new_id("oat"),
            tenant_id: user.tenant_id.clone(),
            organization_id: Some(org.clone()),
            name: app.name.clone(),
            prefix: access[ACCESS_PREFIX.len()..ACCESS_PREFIX.len() + 12].to_owned(),
            key_hash: self.keys.hash(&access).to_hex().to_string(),
            tier: "professional".into(),
            scopes: scopes_json.clone(),
            created_at: rfc3339(now_t),
            revoked_at: None,
            kind: tenancy::KIND_OAUTH.into(),
            user_id: Some(user.id.clone()),
            expires_at: Some(rfc3339(now_t + chrono::Duration::seconds(ACCESS_SECONDS))),
            family_id: Some(family.to_owned()),
        };
        tenancy::insert_api_key(&mut *conn, &key).await?;
        let refresh = random_secret(REFRESH_PREFIX);
        store::insert_refresh(
            conn,
            &RefreshRow {
                id: new_id("ort"),
                token_hash: self.keys.hash(&refresh).to_hex().to_string(),
                family_id: family.to_owned(),
                client_id: app.id.clone(),
                user_id: user.id,
                organization_id: org.clone(),
                scopes: scopes_json,
                created_at: rfc3339(now_t),
                expires_at: rfc3339(now_t + chrono::Duration::days(REFRESH_DAYS)),
                used_at: None,
                revoked_at: None,
            },
        )
        .await?;
        Ok(TokenAnswer {
            access_token: access,
            token_type: "Bearer",
            expires_in: ACCESS_SECONDS,
            refresh_token: refresh,
            scope: scopes.join(" "),
        })
    }

    /// Revokes every token of a grant (its family) and commits; cached
    /// access tokens are forgotten at once.
    async fn revoke_grant(
        &self,
        mut wtx: ferrobooks_store::WriteTx,
        family: &str,
    ) -> Result<(), OAuthError> {
        let prefixes = store::revoke_family(&mut wtx.tx, family, &now()).await?;
        wtx.commit().await?;
        for p in prefixes {
            self.auth_cache.forget_key(&p);
        }
        Ok(())
    }

    /// Revokes a token the authenticated client holds (RFC 7009): an
    /// access or refresh token revokes its whole grant. An unknown token
    /// is not an error (the answer is the same either way).
    pub async fn revoke_oauth_token(&self, req: TokenRequest) -> Result<(), OAuthError> {
        let app = self.client(&req).await?;
        let Some(token) = req.token.as_deref().filter(|t| !t.is_empty()) else {
            return Err(OAuthError::new("invalid_request", "token is missing"));
        };
        let hash = self.keys.hash(token).to_hex().to_string();
        let mut wtx = self.store.begin_write().await?;
        let family = match store::lock_refresh(&mut wtx.tx, &hash).await? {
            Some(r) if r.client_id == app.id => Some(r.family_id),
            Some(_) => None,
            None => store::access_family(&mut *wtx.tx, &hash)
                .await?
                .map(|(f, _)| f),
        };
        match family {
            Some(f) => self.revoke_grant(wtx, &f).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(valid_challenge(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!valid_verifier("short"));
    }

    #[test]
    fn scopes_within() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(within(&s(&["*"]), &s(&["invoices:read"])));
        assert!(within(&s(&["invoices:*"]), &s(&["invoices:read"])));
        assert!(!within(&s(&["invoices:read"]), &s(&["invoices:write"])));
        assert!(!within(&s(&["invoices:*"]), &s(&["*"])));
    }

    #[test]
    fn redirects_keep_their_query() {
        assert_eq!(
            redirect_with("https://a.example/cb?x=1", &[("code", "a b")]),
            "https://a.example/cb?x=1&code=a+b"
        );
    }
}
