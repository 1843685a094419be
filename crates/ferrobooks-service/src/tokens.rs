//! Personal access tokens (`aibk_pat_...`): minted by a user for one
//! organization or for all they see (the request then names one), with
//! scopes; shown once, stored as a keyed hash beside API keys and verified
//! by the same layer ([`crate::auth`]). A token acts as its user: it may do
//! only what both its scopes and the user's role allow, and stops working
//! when the user is disabled.

use ferrobooks_store::tenancy::{self, ApiKeyRow, KIND_PAT};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use crate::auth::PAT_PREFIX;
use crate::page::{Page, paginate};
use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// A token as listed: never the secret or its hash.
#[derive(Debug, Clone, Serialize)]
pub struct TokenView {
    pub id: String,
    /// The first 12 hex characters after `aibk_pat_`.
    pub prefix: String,
    pub name: String,
    pub scopes: Vec<String>,
    /// The organization it is bound to; null when it serves every
    /// organization its user sees (the request names one in
    /// `X-Organization-Id`).
    pub organization_id: Option<String>,
    pub user_id: String,
    pub created_at: String,
    pub expires_at: Option<String>,
}

/// A token just minted: `token` is shown here once and never again.
#[derive(Debug, Clone, Serialize)]
pub struct MintedToken {
    #[serde(flatten)]
    pub view: TokenView,
    pub token: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTokenRequest {
    pub name: String,
    /// Default `["*"]`, limited to what the caller may do.
    pub scopes: Option<Vec<String>>,
    /// Bind the token to every organization the user sees (multi-org);
    /// otherwise it is bound to the organization the request acts in.
    #[serde(default)]
    pub all_organizations: bool,
    /// Days until it stops working, 1 to 3650. Default: never.
    pub expires_in_days: Option<i64>,
}

fn view(k: ApiKeyRow) -> ServiceResult<TokenView> {
    Ok(TokenView {
        scopes: serde_json::from_str(&k.scopes)
            .map_err(|_| ServiceError::internal("stored scopes are corrupt"))?,
        id: k.id,
        prefix: k.prefix,
        name: k.name,
        organization_id: k.organization_id.map(|o| o.to_string()),
        user_id: k.user_id.unwrap_or_default(),
        created_at: k.created_at,
        expires_at: k.expires_at,
    })
}

/// The user the caller acts as, or 403: tokens belong to users.
fn user_of(ctx: &AuthContext) -> ServiceResult<&str> {
    ctx.principal
        .user
        .as_ref()
        .map(|u| u.id.as_str())
        .ok_or_else(|| {
            ServiceError::forbidden(
                "personal access tokens belong to users: use a personal access token or sign in to the console, not an API key",
            )
        })
}

impl Services {
    /// Mints a token for the calling user.
    pub async fn mint_token(
        &self,
        ctx: &AuthContext,
        req: NewTokenRequest,
    ) -> ServiceResult<MintedToken> {
        let user = user_of(ctx)?.to_owned();
        self.mint_token_for(ctx, &user, req).await
    }

    /// Mints a token for `user_id` (a user the context acts as, or the
    /// command line's), bound to the context's organization or to all.
    pub(crate) async fn mint_token_for(
        &self,
        ctx: &AuthContext,
        user_id: &str,
        req: NewTokenRequest,
    ) -> ServiceResult<MintedToken> {
        let name = ferrobooks_domain::account::parse_name("name", &req.name)?;
        let scopes = crate::auth::parse_scopes(req.scopes)?;
        if let Some(s) = scopes.iter().find(|s| !crate::keys::covers(ctx, s)) {
            return Err(ServiceError::forbidden(format!(
                "the caller cannot grant the scope {s}: a token may only grant what its maker may do"
            )));
        }
        if req.all_organizations && !ctx.principal.account_wide() {
            return Err(ServiceError::forbidden(
                "a token bound to one organization cannot make a token for all of them",
            ));
        }
        let expires_at = match req.expires_in_days {
            None => None,
            Some(d) if (1..=3650).contains(&d) => Some(
                (chrono::Utc::now() + chrono::Duration::days(d))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            Some(_) => {
                return Err(ServiceError::invalid(
                    "expires_in_days",
                    "must be 1 to 3650 days",
                ));
            }
        };
        let row = ApiKeyRow {
            id: new_id("pat"),
            tenant_id: ctx.principal.tenant_id.clone(),
            organization_id: (!req.all_organizations).then(|| ctx.org_id().clone()),
            name,
            prefix: String::new(),
            key_hash: String::new(),
            tier: ctx.principal.tier.clone(),
            scopes: serde_json::to_string(&scopes).map_err(ServiceError::internal)?,
            created_at: now(),
            revoked_at: None,
            kind: KIND_PAT.into(),
            user_id: Some(user_id.to_owned()),
            expires_at,
            family_id: None,
        };
        let made = self.mint(PAT_PREFIX, row).await?;
        ctx.answer_holds_secret();
        Ok(MintedToken {
            view: view(made.row)?,
            token: made.raw,
        })
    }

    /// The calling user's live tokens.
    pub async fn list_tokens(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<TokenView>> {
        let user = user_of(ctx)?;
        let rows = tenancy::list_user_credentials(
            self.store.pool(),
            user,
            KIND_PAT,
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |k| &k.id);
        Ok(Page {
            items: page.items.into_iter().map(view).collect::<Result<_, _>>()?,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Revokes one of the calling user's tokens (the one calling
    /// included); it fails from the next request on.
    pub async fn revoke_token(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let user = user_of(ctx)?;
        let guard = self.store.write_guard().await;
        let revoked = tenancy::revoke_credential(
            self.store.pool(),
            &ctx.principal.tenant_id,
            KIND_PAT,
            Some(user),
            id,
        )
        .await;
        drop(guard);
        let prefix = revoked?.ok_or(ServiceError::not_found("personal access token"))?;
        self.auth_cache.forget_key(&prefix);
        Ok(())
    }
}

impl Services {
    /// The command line's way to a user's first token: minted for the user
    /// with `email`, bound to `org` (one they see).
    pub async fn mint_token_as(
        &self,
        email: &str,
        org: ferrobooks_store::tenancy::OrganizationRow,
        name: String,
        scopes: Option<Vec<String>>,
    ) -> ServiceResult<MintedToken> {
        let email = email.trim().to_lowercase();
        let user = ferrobooks_store::users::find_user_by_email(self.store.pool(), &email)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or_else(|| {
                ServiceError::invalid("email", format!("no active user has the email {email}"))
            })?;
        let mut conn = self.read_conn().await?;
        let access = crate::users::access_of(&mut conn, &user).await?;
        drop(conn);
        if org.tenant_id != user.tenant_id || !access.sees(&org.id) {
            return Err(ServiceError::invalid(
                "org",
                format!("{email} does not work in the organization {}", org.name),
            ));
        }
        let ctx = user_context(&user, org, access.organizations)?;
        self.mint_token_for(
            &ctx,
            &user.id,
            NewTokenRequest {
                name,
                scopes,
                ..Default::default()
            },
        )
        .await
    }
}

/// The context of a user acting in `org` with every scope their role
/// allows, as when signed in (`orgs`: the organizations given to them).
pub fn user_context(
    user: &ferrobooks_store::users::UserRow,
    org: ferrobooks_store::tenancy::OrganizationRow,
    orgs: Vec<ferrobooks_store::OrgId>,
) -> ServiceResult<AuthContext> {
    let role = crate::users::role_of(user)?;
    Ok(AuthContext {
        principal: std::sync::Arc::new(crate::auth::Principal {
            kind: crate::auth::PrincipalKind::PersonalToken,
            id: user.id.clone(),
            tenant_id: user.tenant_id.clone(),
            organization_id: None,
            scopes: vec!["*".into()],
            tier: "professional".into(),
            user: Some(std::sync::Arc::new(crate::auth::UserAccess {
                id: user.id.clone(),
                role,
                organizations: orgs,
            })),
        }),
        org,
        request: crate::auth::RequestMeta::default(),
    })
}
