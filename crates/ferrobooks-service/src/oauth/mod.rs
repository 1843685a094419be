//! The OAuth 2.0 provider (RFC 6749, with PKCE S256 only per RFC 7636 and
//! the practices of RFC 9700): registered apps ([`apps`]), and the grants
//! ([`grants`]): an authorization code for a signed-in user's consent,
//! exchanged once within a minute for a one-hour access token
//! (`aibk_oat_...`, a credential beside keys and personal tokens) and a
//! refresh token (`aibk_ort_...`) that rotates on every use; reusing a
//! spent refresh token revokes its whole family.

pub mod apps;
pub mod grants;

/// Access tokens.
pub const ACCESS_PREFIX: &str = "aibk_oat_";
/// Refresh tokens.
pub const REFRESH_PREFIX: &str = "aibk_ort_";
/// Client secrets of confidential apps.
pub const SECRET_PREFIX: &str = "aibk_ocs_";
/// An access token lasts an hour.
pub const ACCESS_SECONDS: i64 = 3600;
/// A code must be exchanged within a minute.
pub const CODE_SECONDS: i64 = 60;
/// A refresh token unused for 30 days lapses.
pub const REFRESH_DAYS: i64 = 30;

/// An error in RFC 6749's terms (section 5.2 for the token endpoint,
/// 4.1.2.1 for the authorization endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`,
    /// `unauthorized_client`, `unsupported_grant_type`, `invalid_scope`,
    /// `access_denied`, `unsupported_response_type`, `server_error`.
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    pub fn new(error: &'static str, description: impl Into<String>) -> OAuthError {
        OAuthError {
            error,
            description: description.into(),
        }
    }

    /// The HTTP status of the token endpoint's answer: 401 for a client
    /// that failed to authenticate, 500 for our fault, else 400.
    pub fn status(&self) -> u16 {
        match self.error {
            "invalid_client" => 401,
            "server_error" => 500,
            _ => 400,
        }
    }
}

impl From<crate::ServiceError> for OAuthError {
    fn from(e: crate::ServiceError) -> Self {
        tracing::error!(cause = %e.message, "an OAuth request failed");
        OAuthError::new("server_error", "the server could not complete the request")
    }
}

impl From<ferrobooks_store::StoreError> for OAuthError {
    fn from(e: ferrobooks_store::StoreError) -> Self {
        crate::ServiceError::from(e).into()
    }
}

pub(crate) fn random_secret(prefix: &str) -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

pub(crate) fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
