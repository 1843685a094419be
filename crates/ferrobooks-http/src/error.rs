//! The one HTTP error type and the table of its codes.
//!
//! Every failure a client can see, from a bad JSON body to a 500, is an
//! [`ApiError`] rendered as
//! `{"error", "code", "details"?, "request_id"}`; `code` is stable and listed
//! in [`ERROR_CODES`] with its status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ferrobooks_service::ServiceError;
use serde_json::{Map, Value, json};

use crate::middleware::current_request_id;

/// Every machine code with its HTTP status and when it is used.
pub const ERROR_CODES: &[(&str, u16, &str)] = &[
    (
        "validation_failed",
        400,
        "a field is missing or wrong; details names it",
    ),
    (
        "unbalanced_entry",
        400,
        "debits and credits of an entry differ",
    ),
    ("duplicate_code", 400, "an account code is already in use"),
    (
        "invalid_json",
        400,
        "the body is not JSON of the expected shape",
    ),
    ("invalid_query", 400, "a query parameter is wrong"),
    (
        "invalid_cursor",
        400,
        "the pagination cursor was not made by this server",
    ),
    ("unauthorized", 401, "missing, invalid or revoked API key"),
    (
        "forbidden",
        403,
        "the key may not do this, or not in this organization",
    ),
    (
        "insufficient_scope",
        403,
        "the key lacks the scope the route needs",
    ),
    ("not_found", 404, "no such resource (or it was deleted)"),
    ("route_not_found", 404, "no such route"),
    (
        "method_not_allowed",
        405,
        "the route does not take this method",
    ),
    (
        "not_acceptable",
        406,
        "the Accept header allows no type the route produces",
    ),
    (
        "conflict",
        409,
        "the resource's state does not allow the change",
    ),
    (
        "idempotency_key_in_use",
        409,
        "a request with this Idempotency-Key is still running",
    ),
    (
        "payload_too_large",
        413,
        "the body is larger than the configured limit",
    ),
    (
        "idempotency_key_reused",
        422,
        "the Idempotency-Key was used for a different request",
    ),
    (
        "rate_limited",
        429,
        "the key used up its plan's window; see Retry-After",
    ),
    (
        "unsupported_media_type",
        415,
        "the body is not application/json",
    ),
    (
        "internal_error",
        500,
        "something broke on the server; it is logged",
    ),
];

/// [`ERROR_CODES`] as a Markdown table, for the OpenAPI description.
pub fn codes_table() -> String {
    let mut t = String::from("| code | status | when |\n|---|---|---|\n");
    for (code, status, when) in ERROR_CODES {
        t.push_str(&format!("| `{code}` | {status} | {when} |\n"));
    }
    t
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Vec<(String, String)>,
}

impl ApiError {
    pub fn new(code: &'static str, message: impl Into<String>) -> ApiError {
        let status = ERROR_CODES
            .iter()
            .find(|(c, _, _)| *c == code)
            .and_then(|(_, s, _)| StatusCode::from_u16(*s).ok())
            .unwrap_or_else(|| {
                tracing::error!(code, "error code missing from ERROR_CODES");
                StatusCode::INTERNAL_SERVER_ERROR
            });
        ApiError {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    pub fn with_detail(mut self, field: impl Into<String>, what: impl Into<String>) -> Self {
        self.details.push((field.into(), what.into()));
        self
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Validation {
                code,
                message,
                details,
            } => ApiError {
                details,
                ..ApiError::new(code, message)
            },
            ServiceError::NotFound(what) => {
                ApiError::new("not_found", format!("{} not found", capitalize(what)))
            }
            ServiceError::Conflict(m) => ApiError::new("conflict", m),
            ServiceError::Unauthenticated(m) => ApiError::new("unauthorized", m),
            ServiceError::Forbidden(m) => ApiError::new("forbidden", m),
            ServiceError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                ApiError::new("internal_error", "Internal server error")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = Map::new();
        body.insert("error".into(), Value::String(self.message));
        body.insert("code".into(), Value::String(self.code.into()));
        if !self.details.is_empty() {
            let d: Map<String, Value> = self
                .details
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            body.insert("details".into(), Value::Object(d));
        }
        if let Some(id) = current_request_id() {
            body.insert("request_id".into(), json!(id));
        }
        (self.status, Json(Value::Object(body))).into_response()
    }
}

pub async fn not_found_route() -> ApiError {
    ApiError::new("route_not_found", "No such route")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new("method_not_allowed", "This route does not take that method")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_every_service_code_is_listed() {
        let mut codes: Vec<&str> = ERROR_CODES.iter().map(|(c, _, _)| *c).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicate code in ERROR_CODES");
        // Codes the service layer raises.
        for c in [
            "validation_failed",
            "unbalanced_entry",
            "duplicate_code",
            "rate_limited",
        ] {
            assert_ne!(
                ApiError::new(c, "x").status,
                StatusCode::INTERNAL_SERVER_ERROR,
                "{c}"
            );
        }
    }
}
