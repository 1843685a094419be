//! The edge's one error type and the native API's names for the codes.
//!
//! Every failure a client can see, from a bad JSON body to a 500, is an
//! [`ApiError`] carrying a [`Code`] of the service's one table; the native
//! API renders it as `{"error", "code", "details"?, "request_id"}` with the
//! code's native name ([`native_code`]), stable and listed with its status
//! in the OpenAPI description ([`codes_table`]).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ferrobooks_service::{Code, ServiceError};
use serde_json::{Map, Value, json};

use crate::middleware::current_request_id;

/// The native API's name for each code. No wildcard arm: a new [`Code`]
/// does not compile until the native API has a name for it. The native API
/// says `conflict` for every state conflict and `validation_failed` for a
/// full ledger; the finer codes are there for surfaces that tell them apart.
pub fn native_code(code: Code) -> &'static str {
    match code {
        Code::ValidationFailed | Code::LedgerFull => "validation_failed",
        Code::UnbalancedEntry => "unbalanced_entry",
        Code::DuplicateCode => "duplicate_code",
        Code::InvalidJson => "invalid_json",
        Code::InvalidQuery => "invalid_query",
        Code::InvalidCursor => "invalid_cursor",
        Code::Unauthorized => "unauthorized",
        Code::Forbidden => "forbidden",
        Code::InsufficientScope => "insufficient_scope",
        Code::NotFound => "not_found",
        Code::RouteNotFound => "route_not_found",
        Code::MethodNotAllowed => "method_not_allowed",
        Code::NotAcceptable => "not_acceptable",
        Code::InvalidState
        | Code::AlreadyConverted
        | Code::HasApplications
        | Code::HasTransactions
        | Code::SystemAccount
        | Code::PostedBySource
        | Code::NumberTaken
        | Code::ChartIncomplete
        | Code::IdempotencyKeyTakenOver => "conflict",
        Code::PeriodClosed => "period_closed",
        Code::IdempotencyKeyInUse => "idempotency_key_in_use",
        Code::PayloadTooLarge => "payload_too_large",
        Code::IdempotencyKeyReused => "idempotency_key_reused",
        Code::Unprocessable => "unprocessable",
        Code::RateLimited => "rate_limited",
        Code::AccountLocked => "account_locked",
        Code::UnsupportedMediaType => "unsupported_media_type",
        Code::Internal => "internal_error",
    }
}

/// The native codes with their status and when each is used, in table
/// order; a native code that several [`Code`]s share takes the first one's
/// words.
pub fn native_codes() -> Vec<(&'static str, u16, &'static str)> {
    let mut out: Vec<(&'static str, u16, &'static str)> = Vec::new();
    for &c in Code::ALL {
        let name = native_code(c);
        if !out.iter().any(|(n, _, _)| *n == name) {
            out.push((name, c.status(), c.when()));
        }
    }
    out
}

/// [`native_codes`] as a Markdown table, for the OpenAPI description.
pub fn codes_table() -> String {
    let mut t = String::from("| code | status | when |\n|---|---|---|\n");
    for (code, status, when) in native_codes() {
        t.push_str(&format!("| `{code}` | {status} | {when} |\n"));
    }
    t
}

/// A failure as the edge answers it: a [`Code`], words, and the fields
/// that are wrong.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: Code,
    pub message: String,
    pub details: Vec<(String, String)>,
    /// The status of the resource that refused a change, for dialects
    /// that show it (the native API says it in the message).
    pub state: Option<String>,
}

impl ApiError {
    pub fn new(code: Code, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            details: Vec::new(),
            state: None,
        }
    }

    pub fn with_detail(mut self, field: impl Into<String>, what: impl Into<String>) -> Self {
        self.details.push((field.into(), what.into()));
        self
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        if e.code == Code::Internal {
            tracing::error!(cause = %e.message, "internal error");
            return ApiError::new(Code::Internal, "Internal server error");
        }
        ApiError {
            code: e.code,
            message: e.message,
            details: e.fields,
            state: e.state,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut body = Map::new();
        body.insert("error".into(), Value::String(self.message.clone()));
        body.insert("code".into(), Value::String(native_code(self.code).into()));
        if !self.details.is_empty() {
            let d: Map<String, Value> = self
                .details
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            body.insert("details".into(), Value::Object(d));
        }
        if let Some(id) = current_request_id() {
            body.insert("request_id".into(), json!(id));
        }
        let mut res = (status, Json(Value::Object(body))).into_response();
        // A limit a use case keeps (the importer's imports per hour) says
        // when to come back in its state, as the edge's limiter does.
        if self.code == Code::RateLimited
            && let Some(secs) = self.state.as_deref().and_then(|s| s.parse::<u64>().ok())
        {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        // Kept for surfaces whose dialect renders errors its own way.
        res.extensions_mut().insert(self);
        res
    }
}

pub async fn not_found_route() -> ApiError {
    ApiError::new(Code::RouteNotFound, "No such route")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        Code::MethodNotAllowed,
        "This route does not take that method",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_codes_keep_their_documented_order_and_statuses() {
        let names: Vec<&str> = native_codes().iter().map(|(n, _, _)| *n).collect();
        assert_eq!(
            names,
            [
                "validation_failed",
                "unbalanced_entry",
                "duplicate_code",
                "invalid_json",
                "invalid_query",
                "invalid_cursor",
                "unauthorized",
                "forbidden",
                "insufficient_scope",
                "not_found",
                "route_not_found",
                "method_not_allowed",
                "not_acceptable",
                "conflict",
                "period_closed",
                "idempotency_key_in_use",
                "payload_too_large",
                "unprocessable",
                "idempotency_key_reused",
                "rate_limited",
                "account_locked",
                "unsupported_media_type",
                "internal_error",
            ]
        );
        // Codes that share a native name share its status too.
        for &c in Code::ALL {
            let (_, status, _) = native_codes()
                .into_iter()
                .find(|(n, _, _)| *n == native_code(c))
                .expect("listed");
            assert_eq!(status, c.status(), "{c:?}");
        }
    }
}
