//! Credentials: generation, hashing and resolving a request's context.
//!
//! Two kinds are verified by one layer: API keys (`sk_live_`), which belong
//! to an account, and personal access tokens (`aibk_pat_`), which act as
//! their user within the user's role. Both are the prefix + 64 hex
//! characters: 256 random bits. Against such a secret a slow password hash
//! buys nothing and would dominate every request, so they are stored as a
//! keyed BLAKE3 hash (the instance's secret is the key), looked up by their
//! first 12 hex characters.

use std::sync::Arc;

use ferrobooks_domain::Currency;
use ferrobooks_domain::access::Role;
use ferrobooks_store::tenancy::{self, ApiKeyRow, KIND_API_KEY, KIND_PAT, OrganizationRow};
use ferrobooks_store::{OrgId, Store, new_id, now};
use rand::RngCore;

use crate::{ServiceError, ServiceResult};

mod cache;

pub const KEY_PREFIX: &str = "sk_live_";
/// Personal access tokens.
pub const PAT_PREFIX: &str = "aibk_pat_";
const LOOKUP_LEN: usize = 12;

/// Rate-limit tiers a key may carry.
pub const TIERS: &[&str] = &["starter", "professional", "enterprise"];

/// Hashes keys with the instance's secret.
#[derive(Clone)]
pub struct KeyHasher {
    secret: [u8; 32],
}

impl std::fmt::Debug for KeyHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyHasher(..)")
    }
}

impl KeyHasher {
    /// Loads the instance's key-hash secret, creating it on first start.
    pub async fn load(store: &Store) -> ServiceResult<KeyHasher> {
        let mut fresh = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut fresh);
        let stored = tenancy::init_setting(store, "key_hash_secret", &hex::encode(fresh)).await?;
        let bytes = hex::decode(stored.trim())
            .map_err(|_| ServiceError::internal("key_hash_secret is not hex"))?;
        let secret: [u8; 32] = bytes
            .try_into()
            .map_err(|_| ServiceError::internal("key_hash_secret is not 32 bytes"))?;
        Ok(KeyHasher { secret })
    }

    pub(crate) fn hash(&self, raw: &str) -> blake3::Hash {
        blake3::keyed_hash(&self.secret, raw.as_bytes())
    }
}

/// Who is calling, resolved from credentials: an API key or a personal
/// access token (OAuth access tokens and console sessions next), or the
/// system itself (a scheduled job). Rate limits read its id and tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// The credential's id (`key_...`, `pat_...`), or `system`.
    pub id: String,
    /// The account the principal belongs to.
    pub tenant_id: String,
    /// The organization it is bound to; None when it serves all of its
    /// account's organizations (the request names one).
    pub organization_id: Option<OrgId>,
    pub scopes: Vec<String>,
    pub tier: String,
    /// The user a token acts as: it may do only what both its scopes and
    /// the user's role allow, in the organizations the user sees.
    pub user: Option<Arc<UserAccess>>,
}

/// What a user may reach: their role, and the organizations given to them
/// when the role does not see them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAccess {
    pub id: String,
    pub role: Role,
    pub organizations: Vec<OrgId>,
}

impl UserAccess {
    /// Whether the user may work in `org` (of their own account).
    pub fn sees(&self, org: &OrgId) -> bool {
        self.role.sees_every_organization() || self.organizations.contains(org)
    }
}

/// What kind of credential a [`Principal`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    ApiKey,
    PersonalToken,
    /// A user signed in to the console.
    Session,
    /// An OAuth access token: an app acting for the user who consented.
    OAuth,
    System,
}

impl Principal {
    /// True when it serves all of its account's organizations.
    pub fn account_wide(&self) -> bool {
        self.organization_id.is_none()
    }

    /// Whether the scopes allow `action` (`read` or `write`) on
    /// `resource`: `*`, `resource:*` or `resource:action`.
    pub fn allows(&self, resource: &str, action: &str) -> bool {
        scopes_allow(&self.scopes, resource, action)
            && self
                .user
                .as_ref()
                .is_none_or(|u| u.role.permits(resource, action))
    }
}

/// Whether `scopes` allow `action` on `resource`: `*`, `resource:*`,
/// `*:action` or `resource:action`.
pub(crate) fn scopes_allow(scopes: &[String], resource: &str, action: &str) -> bool {
    scopes.iter().any(|s| {
        s == "*"
            || s.split_once(':')
                .is_some_and(|(r, a)| (r == resource || r == "*") && (a == action || a == "*"))
    })
}

/// What the request carries besides who sends it and where it acts.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// Set for a POST with an Idempotency-Key: the reply is stored in the
    /// transaction of the effect.
    pub idempotency: Option<crate::IdempotentRequest>,
    /// Set by a use case whose answer holds a secret (a new key, a webhook's
    /// signing secret): such an answer is never stored for replay, so a
    /// retry makes a new one. Fresh for every request.
    pub secret_answer: Arc<std::sync::atomic::AtomicBool>,
}

/// The context of one use case: three separate values, the caller
/// ([`Principal`]), the organization it acts in, and the request's
/// metadata.
#[derive(Debug, Clone)]
pub struct AuthContext {
    pub principal: Arc<Principal>,
    pub org: OrganizationRow,
    pub request: RequestMeta,
}

impl AuthContext {
    /// The context of the system itself acting for an organization (a
    /// scheduled job): all scopes, no key, no idempotency.
    pub fn system(org: OrganizationRow) -> AuthContext {
        AuthContext {
            principal: Arc::new(Principal {
                kind: PrincipalKind::System,
                id: "system".into(),
                tenant_id: org.tenant_id.clone(),
                organization_id: Some(org.id.clone()),
                scopes: vec!["*".into()],
                tier: "enterprise".into(),
                user: None,
            }),
            org,
            request: RequestMeta::default(),
        }
    }

    pub fn org_id(&self) -> &OrgId {
        &self.org.id
    }

    /// The organization's base currency.
    pub fn currency(&self) -> ServiceResult<Currency> {
        Currency::parse(&self.org.base_currency)
            .map_err(|_| ServiceError::internal("organization currency is corrupt"))
    }

    /// Marks this request's answer as holding a secret (see
    /// [`RequestMeta::secret_answer`]).
    pub fn answer_holds_secret(&self) {
        self.request
            .secret_answer
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the caller may do `action` on `resource`.
    pub fn allows(&self, resource: &str, action: &str) -> bool {
        self.principal.allows(resource, action)
    }
}

/// A key just made: the raw secret is returned once and never stored.
#[derive(Debug)]
pub struct NewKey {
    pub row: ApiKeyRow,
    pub raw: String,
}

/// The resources a scope can name: the first path segment of the native
/// API's routes (`/api/v1/<resource>/...`). The HTTP tests check this list
/// against the scopes the OpenAPI document declares, both ways.
pub const SCOPE_RESOURCES: &[&str] = &[
    "accounts",
    "bank_accounts",
    "bank_payments",
    "bank_rules",
    "bank_transactions",
    "bill_payments",
    "bills",
    "checks",
    "budgets",
    "credit_card_charges",
    "credit_card_credits",
    "credit_notes",
    "customers",
    "deposits",
    "employees",
    "estimates",
    "events",
    "expenses",
    "fixed_assets",
    "fx_revaluations",
    "general_ledger",
    "imports",
    "invoices",
    "journal_entries",
    "keys",
    "loans",
    "number_series",
    "oauth_apps",
    "organization",
    "pay_items",
    "payments",
    "payroll_remittances",
    "payroll_runs",
    "periods",
    "personal_access_tokens",
    "products",
    "purchase_orders",
    "refund_receipts",
    "reports",
    "sales_receipts",
    "subscriptions",
    "tax_returns",
    "taxes",
    "transfers",
    "users",
    "vendor_credits",
    "vendors",
    "webhooks",
];

/// Checks scope strings: `*`, or `resource:action` with a resource of
/// [`SCOPE_RESOURCES`] (or `*`) and an action `read`, `write` or `*`. An
/// empty list is refused: a key that can do nothing is a mistake.
pub fn parse_scopes(scopes: Option<Vec<String>>) -> ServiceResult<Vec<String>> {
    let scopes = scopes.unwrap_or_else(|| vec!["*".into()]);
    if scopes.is_empty() {
        return Err(ServiceError::invalid(
            "scopes",
            "must name at least one scope",
        ));
    }
    for (i, s) in scopes.iter().enumerate() {
        if s == "*" {
            continue;
        }
        let field = format!("scopes[{i}]");
        let Some((r, a)) = s.split_once(':') else {
            return Err(ServiceError::invalid(
                field,
                format!("'{s}' is not a scope: use '*' or resource:action (read, write, *)"),
            ));
        };
        if r != "*" && !SCOPE_RESOURCES.contains(&r) {
            return Err(ServiceError::invalid(
                field,
                format!(
                    "'{s}': '{r}' is not a resource; the resources are {}",
                    SCOPE_RESOURCES.join(", ")
                ),
            ));
        }
        if !matches!(a, "read" | "write" | "*") {
            return Err(ServiceError::invalid(
                field,
                format!("'{s}': the action must be read, write or *"),
            ));
        }
    }
    Ok(scopes)
}

impl crate::Services {
    /// Makes a key for the tenant, bound to `organization_id` or (None) to
    /// all of the tenant's organizations.
    pub async fn create_key(
        &self,
        tenant_id: &str,
        organization_id: Option<&OrgId>,
        name: &str,
        tier: Option<&str>,
        scopes: Option<Vec<String>>,
    ) -> ServiceResult<NewKey> {
        let name = ferrobooks_domain::account::parse_name("name", name)?;
        let tier = tier.unwrap_or("starter");
        if !TIERS.contains(&tier) {
            return Err(ServiceError::invalid(
                "tier",
                format!("'{tier}' is not one of {}", TIERS.join(", ")),
            ));
        }
        let scopes = parse_scopes(scopes)?;
        if let Some(org) = organization_id {
            match tenancy::get_organization(self.store.pool(), org).await? {
                Some(o) if o.tenant_id == tenant_id => {}
                _ => return Err(ServiceError::not_found("organization")),
            }
        }
        let row = ApiKeyRow {
            id: new_id("key"),
            tenant_id: tenant_id.to_owned(),
            organization_id: organization_id.cloned(),
            name,
            prefix: String::new(),
            key_hash: String::new(),
            tier: tier.to_owned(),
            scopes: serde_json::to_string(&scopes).map_err(ServiceError::internal)?,
            created_at: now(),
            revoked_at: None,
            kind: KIND_API_KEY.into(),
            user_id: None,
            expires_at: None,
            family_id: None,
        };
        self.mint(KEY_PREFIX, row).await
    }

    /// Draws the secret of a new credential, fills in its lookup prefix and
    /// hash, and stores it; the raw secret is returned once.
    pub(crate) async fn mint(
        &self,
        kind_prefix: &str,
        mut row: ApiKeyRow,
    ) -> ServiceResult<NewKey> {
        // A prefix collision (1 in 2^48 per pair) just draws again.
        for _ in 0..3 {
            let mut bytes = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut bytes);
            let raw = format!("{kind_prefix}{}", hex::encode(bytes));
            row.prefix = raw[kind_prefix.len()..kind_prefix.len() + LOOKUP_LEN].to_owned();
            row.key_hash = self.keys.hash(&raw).to_hex().to_string();
            let guard = self.store.write_guard().await;
            let inserted = tenancy::insert_api_key(self.store.pool(), &row).await;
            drop(guard);
            match inserted {
                Ok(()) => return Ok(NewKey { row, raw }),
                Err(e) if e.is_unique_violation() => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(ServiceError::internal("could not draw a unique key prefix"))
    }

    /// Revokes a key of the tenant; it fails from the next request on.
    pub async fn revoke_key(&self, tenant_id: &str, key_id: &str) -> ServiceResult<()> {
        let guard = self.store.write_guard().await;
        let revoked = tenancy::revoke_api_key(self.store.pool(), tenant_id, key_id).await;
        drop(guard);
        let prefix = revoked?.ok_or(ServiceError::not_found("API key"))?;
        self.auth_cache.forget_key(&prefix);
        Ok(())
    }

    /// Resolves a bearer token (and the `X-Organization-Id` header, for
    /// credentials bound to all of a tenant's organizations) to the
    /// request's context.
    pub async fn authenticate(
        &self,
        token: &str,
        org_header: Option<&str>,
    ) -> ServiceResult<AuthContext> {
        let (key, org, user) = self.verify_key(token, org_header).await?;
        let what = if user.is_some() { "Token" } else { "Key" };
        let elsewhere =
            || ServiceError::forbidden(format!("{what} does not belong to this organization"));
        match (&key.organization_id, org_header) {
            (Some(bound), Some(h)) if h != bound.as_str() => return Err(elsewhere()),
            (None, None) => {
                return Err(ServiceError::invalid(
                    "X-Organization-Id",
                    format!(
                        "this {} serves several organizations: name one in the X-Organization-Id header",
                        what.to_lowercase()
                    ),
                ));
            }
            _ => {}
        }
        let org = org
            .filter(|o| o.tenant_id == key.tenant_id)
            .filter(|o| user.as_ref().is_none_or(|u| u.sees(&o.id)))
            .ok_or_else(elsewhere)?;
        Ok(AuthContext {
            principal: principal_of(key, user)?,
            org,
            request: RequestMeta::default(),
        })
    }

    /// Resolves a bearer token to its principal alone, for routes that act
    /// on the key's account rather than in one organization (the
    /// importer's `/account` and `/companies`).
    pub async fn authenticate_principal(&self, token: &str) -> ServiceResult<Arc<Principal>> {
        let (key, _, user) = self.verify_key(token, None).await?;
        principal_of(key, user)
    }

    /// The live credential `token` is, the organization named (or the
    /// credential's own) when it exists, and for a token the user it acts
    /// as.
    async fn verify_key(
        &self,
        token: &str,
        org_header: Option<&str>,
    ) -> ServiceResult<(ApiKeyRow, Option<OrganizationRow>, Option<Arc<UserAccess>>)> {
        let (kind, kind_prefix, invalid) = if token.starts_with(PAT_PREFIX) {
            (KIND_PAT, PAT_PREFIX, "Invalid personal access token")
        } else if token.starts_with(crate::oauth::ACCESS_PREFIX) {
            (
                tenancy::KIND_OAUTH,
                crate::oauth::ACCESS_PREFIX,
                "Invalid OAuth access token",
            )
        } else {
            (KIND_API_KEY, KEY_PREFIX, "Invalid API key")
        };
        let hex_part = token
            .strip_prefix(kind_prefix)
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or(ServiceError::unauthenticated(invalid))?;
        let (key, org) = self
            .lookup(&hex_part[..LOOKUP_LEN], org_header)
            .await?
            .filter(|(k, _)| k.kind == kind)
            .ok_or(ServiceError::unauthenticated(invalid))?;
        let stored = blake3::Hash::from_hex(&key.key_hash)
            .map_err(|_| ServiceError::internal("stored key hash is corrupt"))?;
        // blake3::Hash compares in constant time.
        if self.keys.hash(token) != stored {
            return Err(ServiceError::unauthenticated(invalid));
        }
        if key.revoked_at.is_some() {
            let what = match kind {
                KIND_PAT => "Personal access token",
                KIND_API_KEY => "API key",
                _ => "OAuth access token",
            };
            return Err(ServiceError::unauthenticated(format!(
                "{what} has been revoked"
            )));
        }
        if key
            .expires_at
            .as_deref()
            .is_some_and(|e| e <= now().as_str())
        {
            return Err(ServiceError::unauthenticated(if kind == KIND_PAT {
                "Personal access token has expired"
            } else {
                "OAuth access token has expired: refresh it"
            }));
        }
        let user =
            match &key.user_id {
                Some(id) => Some(self.user_access(id).await?.ok_or(
                    ServiceError::unauthenticated("The token's user is disabled"),
                )?),
                None => None,
            };
        Ok((key, org, user))
    }

    /// What the user `id` may reach, from the cache when it has it; None
    /// for a disabled (or deleted) user.
    async fn user_access(&self, id: &str) -> ServiceResult<Option<Arc<UserAccess>>> {
        if let Some(hit) = self.auth_cache.user(id) {
            return Ok(hit);
        }
        let mut conn = self.read_conn().await?;
        let access = match ferrobooks_store::users::get_user(&mut conn, id, false).await? {
            Some(u) if u.disabled_at.is_none() => {
                Some(Arc::new(crate::users::access_of(&mut conn, &u).await?))
            }
            _ => None,
        };
        self.auth_cache.put_user(id, access.clone());
        Ok(access)
    }

    /// The key with `prefix` and the organization the request names, from
    /// the cache when it has them.
    async fn lookup(
        &self,
        prefix: &str,
        org_header: Option<&str>,
    ) -> ServiceResult<Option<(ApiKeyRow, Option<OrganizationRow>)>> {
        if let Some(hit) = self.auth_cache.get(prefix, org_header) {
            return Ok(Some(hit));
        }
        let Some(row) = tenancy::key_with_org(
            self.store.pool(),
            prefix,
            &OrgId::new(org_header.unwrap_or("")),
        )
        .await?
        else {
            return Ok(None);
        };
        let org = row.organization();
        self.auth_cache.put(&row.key, org.as_ref());
        Ok(Some((row.key, org)))
    }
}

fn principal_of(key: ApiKeyRow, user: Option<Arc<UserAccess>>) -> ServiceResult<Arc<Principal>> {
    let scopes: Vec<String> = serde_json::from_str(&key.scopes)
        .map_err(|_| ServiceError::internal("stored scopes are corrupt"))?;
    Ok(Arc::new(Principal {
        kind: match key.kind.as_str() {
            KIND_PAT => PrincipalKind::PersonalToken,
            tenancy::KIND_OAUTH => PrincipalKind::OAuth,
            _ => PrincipalKind::ApiKey,
        },
        user,
        id: key.id,
        tenant_id: key.tenant_id,
        organization_id: key.organization_id,
        scopes,
        tier: key.tier,
    }))
}

pub(crate) use cache::AuthCache;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        assert!(parse_scopes(None).is_ok());
        assert!(parse_scopes(Some(vec!["invoices:read".into()])).is_ok());
        assert!(parse_scopes(Some(vec!["invoices".into()])).is_err());
        assert!(parse_scopes(Some(vec!["invoices:delete".into()])).is_err());
        assert!(parse_scopes(Some(vec!["root:*".into()])).is_err());
        assert!(parse_scopes(Some(vec!["bogus:read".into()])).is_err());
        assert!(parse_scopes(Some(vec!["*:read".into(), "invoices:*".into()])).is_ok());
        assert!(parse_scopes(Some(vec![])).is_err());
    }
}
