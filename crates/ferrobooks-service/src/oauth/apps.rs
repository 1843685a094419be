//! Registered OAuth apps: a name, exact redirect URIs, the scopes the app
//! may ask for, and for a confidential client a secret shown once.

use ferrobooks_store::new_id;
use ferrobooks_store::oauth::{self as store, OAuthAppRow};
use serde::{Deserialize, Serialize};

use super::{SECRET_PREFIX, random_secret};
use crate::page::{Page, paginate};
use crate::{AuthContext, ServiceError, ServiceResult, Services};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewApp {
    pub name: String,
    /// Exact URIs the app may be sent back to: `https://...`, or
    /// `http://127.0.0.1`, `http://[::1]` or `http://localhost` with any
    /// port for an app on the user's machine (RFC 8252); no fragment.
    pub redirect_uris: Vec<String>,
    /// The scopes the app may ask for (default `*`); a user's consent and
    /// role limit them further.
    pub scopes: Option<Vec<String>>,
    /// A confidential client (a server that keeps a secret) gets a client
    /// secret; a public one (a mobile or single-page app) does not. Both
    /// use PKCE.
    #[serde(default)]
    pub confidential: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppView {
    pub client_id: String,
    pub name: String,
    pub confidential: bool,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub created_at: String,
}

/// An app just registered: `client_secret`, for a confidential client, is
/// shown here once.
#[derive(Debug, Clone, Serialize)]
pub struct RegisteredApp {
    #[serde(flatten)]
    pub app: AppView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

pub(crate) fn view(a: &OAuthAppRow) -> ServiceResult<AppView> {
    let list = |s: &str| -> ServiceResult<Vec<String>> {
        serde_json::from_str(s)
            .map_err(|_| ServiceError::internal("an app's stored lists are corrupt"))
    };
    Ok(AppView {
        client_id: a.id.clone(),
        name: a.name.clone(),
        confidential: a.confidential == 1,
        redirect_uris: list(&a.redirect_uris)?,
        scopes: list(&a.scopes)?,
        created_at: a.created_at.clone(),
    })
}

/// Checks a redirect URI: absolute, https (or http to this machine's
/// loopback), no fragment, no user info.
fn check_redirect(i: usize, uri: &str) -> ServiceResult<String> {
    let field = format!("redirect_uris[{i}]");
    let bad = |why: &str| {
        Err(ServiceError::invalid(
            field.clone(),
            format!("'{uri}' {why}"),
        ))
    };
    let uri = uri.trim();
    if uri.len() > 2000 {
        return bad("is longer than 2000 characters");
    }
    if uri.contains('#') {
        return bad("has a fragment (#): a redirect URI must not");
    }
    let Some((scheme, rest)) = uri.split_once("://") else {
        return bad("is not an absolute URI");
    };
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') || uri.chars().any(char::is_whitespace) {
        return bad("has no host, or has user info or spaces");
    }
    let host = authority
        .rsplit_once(':')
        .filter(|(h, p)| {
            !h.is_empty() && p.chars().all(|c| c.is_ascii_digit()) && !h.ends_with(':')
        })
        .map_or(authority, |(h, _)| h);
    let loopback = matches!(host, "127.0.0.1" | "[::1]" | "localhost");
    match scheme {
        "https" => Ok(uri.to_owned()),
        "http" if loopback => Ok(uri.to_owned()),
        "http" => bad("must be https (http only to 127.0.0.1, [::1] or localhost)"),
        _ => bad("must be an https URI"),
    }
}

impl Services {
    /// Registers an app for the caller's account.
    pub async fn register_app(
        &self,
        ctx: &AuthContext,
        input: NewApp,
    ) -> ServiceResult<RegisteredApp> {
        let name = ferrobooks_domain::account::parse_name("name", &input.name)?;
        if input.redirect_uris.is_empty() || input.redirect_uris.len() > 10 {
            return Err(ServiceError::invalid(
                "redirect_uris",
                "give 1 to 10 redirect URIs",
            ));
        }
        let uris = input
            .redirect_uris
            .iter()
            .enumerate()
            .map(|(i, u)| check_redirect(i, u))
            .collect::<ServiceResult<Vec<_>>>()?;
        let scopes = crate::auth::parse_scopes(input.scopes)?;
        let secret = input.confidential.then(|| random_secret(SECRET_PREFIX));
        let row = OAuthAppRow {
            id: new_id("oac"),
            tenant_id: ctx.principal.tenant_id.clone(),
            organization_id: ctx.principal.organization_id.clone(),
            name,
            confidential: i64::from(input.confidential),
            secret_hash: secret
                .as_ref()
                .map(|s| self.keys.hash(s).to_hex().to_string()),
            redirect_uris: serde_json::to_string(&uris).map_err(ServiceError::internal)?,
            scopes: serde_json::to_string(&scopes).map_err(ServiceError::internal)?,
            created_at: ferrobooks_store::now(),
            revoked_at: None,
        };
        let guard = self.store.write_guard().await;
        let saved = store::insert_app(self.store.pool(), &row).await;
        drop(guard);
        saved?;
        if secret.is_some() {
            ctx.answer_holds_secret();
        }
        Ok(RegisteredApp {
            app: view(&row)?,
            client_secret: secret,
        })
    }

    pub async fn list_apps(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<AppView>> {
        let rows = store::list_apps(
            self.store.pool(),
            &ctx.principal.tenant_id,
            ctx.principal.organization_id.as_ref(),
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |a| &a.id);
        Ok(Page {
            items: page.items.iter().map(view).collect::<Result<_, _>>()?,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// A live app the caller sees: of its account, and registered from its
    /// organization unless the caller is account-wide.
    async fn visible_app(&self, ctx: &AuthContext, id: &str) -> ServiceResult<OAuthAppRow> {
        store::get_app(self.store.pool(), id)
            .await?
            .filter(|a| a.tenant_id == ctx.principal.tenant_id)
            .filter(|a| {
                ctx.principal.account_wide() || a.organization_id == ctx.principal.organization_id
            })
            .ok_or(ServiceError::not_found("OAuth app"))
    }

    pub async fn get_app(&self, ctx: &AuthContext, id: &str) -> ServiceResult<AppView> {
        view(&self.visible_app(ctx, id).await?)
    }

    /// Removes an app: its codes and refresh tokens stop working (their
    /// app is gone); access tokens it got run out within the hour.
    pub async fn delete_app(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        self.visible_app(ctx, id).await?;
        let guard = self.store.write_guard().await;
        let done = store::revoke_app(
            self.store.pool(),
            &ctx.principal.tenant_id,
            id,
            &ferrobooks_store::now(),
        )
        .await;
        drop(guard);
        if done? {
            Ok(())
        } else {
            Err(ServiceError::not_found("OAuth app"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_redirect;

    #[test]
    fn redirect_uris() {
        assert!(check_redirect(0, "https://app.example/cb").is_ok());
        assert!(check_redirect(0, "http://127.0.0.1:8765/cb").is_ok());
        assert!(check_redirect(0, "http://localhost/cb").is_ok());
        assert!(check_redirect(0, "http://app.example/cb").is_err());
        assert!(check_redirect(0, "https://app.example/cb#x").is_err());
        assert!(check_redirect(0, "https://user@app.example/cb").is_err());
        assert!(check_redirect(0, "javascript:alert(1)").is_err());
        assert!(check_redirect(0, "/relative").is_err());
        assert!(check_redirect(0, "http://localhost.evil.example/cb").is_err());
    }
}
