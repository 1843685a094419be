//! The native API's keys shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use ferrobooks_service::keys as svc;
use serde::{Deserialize, Serialize};

/// A key as listed: never the raw key, never its hash.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl From<svc::KeyView> for KeyView {
    fn from(v: svc::KeyView) -> Self {
        let svc::KeyView {
            id,
            prefix,
            name,
            tier,
            scopes,
            organization_id,
            created_at,
            revoked_at,
        } = v;
        KeyView {
            id,
            prefix,
            name,
            tier,
            scopes,
            organization_id,
            created_at,
            revoked_at,
        }
    }
}

/// A key just generated: `key` is shown here once and never again.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GeneratedKey {
    #[serde(flatten)]
    pub view: KeyView,
    pub key: String,
}

impl From<svc::GeneratedKey> for GeneratedKey {
    fn from(v: svc::GeneratedKey) -> Self {
        let svc::GeneratedKey { view, key } = v;
        GeneratedKey {
            view: view.into(),
            key,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Reporting", "tier": "starter", "scopes": ["reports:read", "invoices:read"]}))]
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

impl From<NewKeyRequest> for svc::NewKeyRequest {
    fn from(v: NewKeyRequest) -> Self {
        let NewKeyRequest {
            name,
            tier,
            scopes,
            account_wide,
        } = v;
        svc::NewKeyRequest {
            name,
            tier,
            scopes,
            account_wide,
        }
    }
}
