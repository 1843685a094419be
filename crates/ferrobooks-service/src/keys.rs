//! API keys over the API: generate, list, read, revoke.
//!
//! A key can only make keys that can do no more than itself: the new key's
//! scopes must be covered by the caller's, its tier may not be above the
//! caller's, and only an account-wide key can make another account-wide key.

use ferrobooks_store::tenancy::{self, ApiKeyRow};
use serde::{Deserialize, Serialize};

use crate::auth::TIERS;
use crate::page::{Page, paginate};
use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// A key as listed: never the raw key, never its hash.
#[derive(Debug, Clone, Serialize)]
pub struct KeyView {
    pub id: String,
    /// The lookup prefix: the first 12 hex characters after `sk_live_`.
    pub prefix: String,
    pub name: String,
    pub tier: String,
    pub scopes: Vec<String>,
    /// The organization the key is bound to; null for an account-wide key.
    pub organization_id: Option<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// A key just generated: `key` is shown here once and never again.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratedKey {
    #[serde(flatten)]
    pub view: KeyView,
    pub key: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewKeyRequest {
    pub name: String,
    /// starter (default), professional or enterprise.
    pub tier: Option<String>,
    /// Default `["*"]`, limited to what the calling key may do.
    pub scopes: Option<Vec<String>>,
    /// Make a key for all of the account's organizations (callers that are
    /// account-wide only); otherwise the key is bound to this organization.
    #[serde(default)]
    pub account_wide: bool,
}

fn view(k: ApiKeyRow) -> ServiceResult<KeyView> {
    Ok(KeyView {
        scopes: serde_json::from_str(&k.scopes)
            .map_err(|_| ServiceError::internal("stored scopes are corrupt"))?,
        id: k.id,
        prefix: k.prefix,
        name: k.name,
        tier: k.tier,
        organization_id: k.organization_id.map(|o| o.to_string()),
        created_at: k.created_at,
        revoked_at: k.revoked_at,
    })
}

fn tier_rank(t: &str) -> usize {
    TIERS.iter().position(|x| *x == t).unwrap_or(0)
}

/// Whether the caller's scopes allow everything `scope` would.
pub(crate) fn covers(ctx: &AuthContext, scope: &str) -> bool {
    match scope.split_once(':') {
        None => ctx.principal.scopes.iter().any(|s| s == "*"),
        Some((r, "*")) => {
            (r != "*" || ctx.principal.scopes.iter().any(|s| s == "*" || s == "*:*"))
                && ctx.allows(r, "read")
                && ctx.allows(r, "write")
        }
        Some(("*", a)) => ctx
            .principal
            .scopes
            .iter()
            .any(|s| s == "*" || s == "*:*" || s == &format!("*:{a}")),
        Some((r, a)) => ctx.allows(r, a),
    }
}

impl Services {
    pub async fn generate_key(
        &self,
        ctx: &AuthContext,
        req: NewKeyRequest,
    ) -> ServiceResult<GeneratedKey> {
        let tier = req.tier.as_deref().unwrap_or("starter");
        if TIERS.contains(&tier) && tier_rank(tier) > tier_rank(&ctx.principal.tier) {
            return Err(ServiceError::forbidden(format!(
                "a {} key cannot make a {tier} key",
                ctx.principal.tier
            )));
        }
        let scopes = crate::auth::parse_scopes(req.scopes)?;
        if let Some(s) = scopes.iter().find(|s| !covers(ctx, s)) {
            return Err(ServiceError::forbidden(format!(
                "this key cannot grant the scope {s}: a key may only grant what it may do"
            )));
        }
        if req.account_wide && !ctx.principal.account_wide() {
            return Err(ServiceError::forbidden(
                "only an account-wide key can make an account-wide key",
            ));
        }
        let org = (!req.account_wide).then(|| ctx.org_id());
        let made = self
            .create_key(
                &ctx.principal.tenant_id,
                org,
                &req.name,
                Some(tier),
                Some(scopes),
            )
            .await?;
        ctx.answer_holds_secret();
        Ok(GeneratedKey {
            view: view(made.row)?,
            key: made.raw,
        })
    }

    pub async fn list_keys(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<KeyView>> {
        let rows = tenancy::list_api_keys(
            self.store.pool(),
            &ctx.principal.tenant_id,
            ctx.org_id(),
            ctx.principal.account_wide(),
            false,
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

    /// A live key visible from the caller's organization; a revoked key is
    /// gone (404), as every deleted resource is.
    async fn visible_key(&self, ctx: &AuthContext, id: &str) -> ServiceResult<ApiKeyRow> {
        tenancy::visible_api_key(
            self.store.pool(),
            &ctx.principal.tenant_id,
            ctx.org_id(),
            ctx.principal.account_wide(),
            id,
        )
        .await?
        .ok_or(ServiceError::not_found("API key"))
    }

    pub async fn get_key(&self, ctx: &AuthContext, id: &str) -> ServiceResult<KeyView> {
        view(self.visible_key(ctx, id).await?)
    }

    /// Revokes a key visible from the caller's organization (the caller's
    /// own included); it fails from the next request on.
    pub async fn revoke_visible_key(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        self.visible_key(ctx, id).await?;
        self.revoke_key(&ctx.principal.tenant_id, id).await
    }
}
