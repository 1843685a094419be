//! The native API's shapes of users and personal access tokens, field by
//! field from and to the use cases' own types.

use ferrobooks_service::{tokens as svc_tokens, users as svc};
use serde::{Deserialize, Serialize};

/// A user: never the password or its hash.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: Option<String>,
    /// owner, admin, accountant or viewer.
    pub role: String,
    /// Accountants and viewers: the organizations they work in. Owners
    /// and admins see every organization of the account (empty).
    pub organization_ids: Vec<String>,
    pub email_verified: bool,
    /// Whether a second factor (TOTP) is on.
    pub two_factor: bool,
    /// Set while failed sign-ins keep the user out.
    #[schema(format = DateTime)]
    pub locked_until: Option<String>,
    /// active or disabled.
    pub status: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<svc::UserView> for UserView {
    fn from(v: svc::UserView) -> Self {
        let svc::UserView {
            id,
            email,
            name,
            role,
            organization_ids,
            email_verified,
            two_factor,
            locked_until,
            status,
            created_at,
            updated_at,
        } = v;
        UserView {
            id,
            email,
            name,
            role,
            organization_ids,
            email_verified,
            two_factor,
            locked_until,
            status,
            created_at,
            updated_at,
        }
    }
}

/// A user just made: `password`, when it was generated, is shown here once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedUser {
    #[serde(flatten)]
    pub user: UserView,
    /// The generated password, when none was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl From<svc::NewUser> for CreatedUser {
    fn from(v: svc::NewUser) -> Self {
        // The verification token goes to the user's mailbox, not here.
        let svc::NewUser {
            user,
            password,
            verify_token: _,
        } = v;
        CreatedUser {
            user: user.into(),
            password,
        }
    }
}

/// A new user (`email` required), or the fields of one to change (absent
/// fields stay).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "priya@example.com", "name": "Priya Shah", "role": "accountant"}))]
pub struct UserInput {
    pub email: Option<String>,
    pub name: Option<String>,
    /// owner, admin, accountant or viewer (default viewer). Only an owner
    /// makes or changes owners.
    pub role: Option<String>,
    /// 12 to 256 characters. On create, default: one is generated and
    /// answered once.
    pub password: Option<String>,
    /// Accountants and viewers: the organizations they work in (default:
    /// this one).
    pub organization_ids: Option<Vec<String>>,
    /// Updates: `true` disables the user (their tokens stop working at
    /// once), `false` enables them again.
    pub disabled: Option<bool>,
}

impl From<UserInput> for svc::UserInput {
    fn from(v: UserInput) -> Self {
        let UserInput {
            email,
            name,
            role,
            password,
            organization_ids,
            disabled,
        } = v;
        svc::UserInput {
            email,
            name,
            role,
            password,
            organization_ids,
            disabled,
        }
    }
}

/// A personal access token as listed: never the secret.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: String,
    /// The first 12 hex characters after `aibk_pat_`.
    pub prefix: String,
    pub name: String,
    pub scopes: Vec<String>,
    /// The organization it is bound to; null when it serves every
    /// organization its user sees (requests name one in
    /// `X-Organization-Id`).
    pub organization_id: Option<String>,
    pub user_id: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
}

impl From<svc_tokens::TokenView> for TokenView {
    fn from(v: svc_tokens::TokenView) -> Self {
        let svc_tokens::TokenView {
            id,
            prefix,
            name,
            scopes,
            organization_id,
            user_id,
            created_at,
            expires_at,
        } = v;
        TokenView {
            id,
            prefix,
            name,
            scopes,
            organization_id,
            user_id,
            created_at,
            expires_at,
        }
    }
}

/// A token just minted: `token` is shown here once and never again.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MintedToken {
    #[serde(flatten)]
    pub view: TokenView,
    /// `aibk_pat_` and 64 hex characters.
    pub token: String,
}

impl From<svc_tokens::MintedToken> for MintedToken {
    fn from(v: svc_tokens::MintedToken) -> Self {
        let svc_tokens::MintedToken { view, token } = v;
        MintedToken {
            view: view.into(),
            token,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "CI pipeline", "scopes": ["invoices:read", "reports:read"], "expires_in_days": 90}))]
pub struct NewTokenRequest {
    pub name: String,
    /// Default `["*"]`, limited to what the calling token may do; the
    /// user's role limits the token further.
    pub scopes: Option<Vec<String>>,
    /// Serve every organization the user sees (multi-org: requests name
    /// one in `X-Organization-Id`); otherwise the token is bound to this
    /// organization. Only a multi-org token makes another.
    #[serde(default)]
    pub all_organizations: bool,
    /// Days until it stops working, 1 to 3650. Default: never.
    #[serde(
        default,
        deserialize_with = "ferrobooks_service::amount::opt_whole_number"
    )]
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_in_days: Option<i64>,
}

impl From<NewTokenRequest> for svc_tokens::NewTokenRequest {
    fn from(v: NewTokenRequest) -> Self {
        let NewTokenRequest {
            name,
            scopes,
            all_organizations,
            expires_in_days,
        } = v;
        svc_tokens::NewTokenRequest {
            name,
            scopes,
            all_organizations,
            expires_in_days,
        }
    }
}

/// A registered OAuth app: never its secret.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OAuthAppView {
    /// The `client_id` the app sends.
    pub client_id: String,
    pub name: String,
    /// Whether it is a confidential client (it authenticates with its
    /// secret) rather than a public one.
    pub confidential: bool,
    /// The exact URIs users may be sent back to.
    pub redirect_uris: Vec<String>,
    /// The scopes it may ask for.
    pub scopes: Vec<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<svc_oauth::AppView> for OAuthAppView {
    fn from(v: svc_oauth::AppView) -> Self {
        let svc_oauth::AppView {
            client_id,
            name,
            confidential,
            redirect_uris,
            scopes,
            created_at,
        } = v;
        OAuthAppView {
            client_id,
            name,
            confidential,
            redirect_uris,
            scopes,
            created_at,
        }
    }
}

/// An app just registered: `client_secret` (confidential clients) is shown
/// here once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegisteredOAuthApp {
    #[serde(flatten)]
    pub app: OAuthAppView,
    /// `aibk_ocs_` and 64 hex characters; confidential clients only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

impl From<svc_oauth::RegisteredApp> for RegisteredOAuthApp {
    fn from(v: svc_oauth::RegisteredApp) -> Self {
        let svc_oauth::RegisteredApp { app, client_secret } = v;
        RegisteredOAuthApp {
            app: app.into(),
            client_secret,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Partner Sync", "redirect_uris": ["https://partner.example/oauth/callback"],
    "scopes": ["invoices:read", "customers:read"], "confidential": true}))]
pub struct NewOAuthApp {
    pub name: String,
    /// Exact URIs users may be sent back to (1 to 10): `https://...`, or
    /// `http://127.0.0.1`, `http://[::1]` or `http://localhost` with any
    /// port (an app on the user's machine); no fragment.
    pub redirect_uris: Vec<String>,
    /// The scopes it may ask for (default `*`); each user's consent and
    /// role limit them further.
    pub scopes: Option<Vec<String>>,
    /// A server that keeps a secret (true) or a mobile or browser app
    /// (false, the default). Both must use PKCE (S256).
    #[serde(default)]
    pub confidential: bool,
}

impl From<NewOAuthApp> for svc_oauth::NewApp {
    fn from(v: NewOAuthApp) -> Self {
        let NewOAuthApp {
            name,
            redirect_uris,
            scopes,
            confidential,
        } = v;
        svc_oauth::NewApp {
            name,
            redirect_uris,
            scopes,
            confidential,
        }
    }
}

mod svc_oauth {
    pub(super) use ferrobooks_service::oauth::apps::{AppView, NewApp, RegisteredApp};
}
