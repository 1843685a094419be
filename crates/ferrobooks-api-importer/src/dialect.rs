//! How the importer surface speaks: results as the service's importer
//! read models serialize them, errors as `{"error": {"code", "message"}}`
//! with the reference's codes and statuses, the organization in the path.

use axum::Json;
use axum::response::{IntoResponse, Response};
use ferrobooks_edge::ApiError;
use ferrobooks_edge::dialect::{Dialect, OrgFrom, RateLimit};
use ferrobooks_service::Code;
use ferrobooks_service::idempotency::Reply;
use serde_json::json;

#[derive(Debug, Clone, Copy)]
pub struct Importer;

/// The importer's code and HTTP status for each of the service's codes.
pub fn code(c: Code) -> (&'static str, u16) {
    match c {
        Code::ValidationFailed
        | Code::UnbalancedEntry
        | Code::DuplicateCode
        | Code::LedgerFull
        | Code::InvalidJson
        | Code::InvalidQuery
        | Code::InvalidCursor => ("BAD_REQUEST", 400),
        Code::Unprocessable => ("VALIDATION_ERROR", 422),
        Code::Unauthorized => ("UNAUTHORIZED", 401),
        Code::Forbidden | Code::InsufficientScope => ("FORBIDDEN", 403),
        Code::NotFound | Code::RouteNotFound => ("NOT_FOUND", 404),
        Code::MethodNotAllowed => ("METHOD_NOT_ALLOWED", 405),
        Code::NotAcceptable => ("NOT_ACCEPTABLE", 406),
        Code::UnsupportedMediaType => ("UNSUPPORTED_MEDIA_TYPE", 415),
        Code::PayloadTooLarge => ("PAYLOAD_TOO_LARGE", 413),
        Code::InvalidState
        | Code::AlreadyConverted
        | Code::HasApplications
        | Code::HasTransactions
        | Code::SystemAccount
        | Code::PostedBySource
        | Code::NumberTaken
        | Code::PeriodClosed
        | Code::ChartIncomplete
        | Code::IdempotencyKeyTakenOver
        | Code::IdempotencyKeyInUse => ("CONFLICT", 409),
        Code::IdempotencyKeyReused => ("DUPLICATE_REQUEST", 409),
        Code::RateLimited => ("RATE_LIMITED", 429),
        Code::AccountLocked => ("LOCKED", 423),
        Code::Internal => ("INTERNAL_ERROR", 500),
    }
}

impl Dialect for Importer {
    fn key_prefix(&self) -> &'static str {
        "importer:"
    }

    fn reply(&self, status: u16, json: String) -> Reply {
        Reply {
            status,
            content_type: None,
            body: json,
        }
    }

    fn error(&self, e: &ApiError) -> Option<Response> {
        let (name, status) = code(e.code);
        let mut error = json!({"code": name, "message": e.message});
        if !e.details.is_empty() {
            error["details"] = e
                .details
                .iter()
                .map(|(f, m)| json!({"field": f, "message": m}))
                .collect();
        }
        if let Some(id) = ferrobooks_edge::current_request_id() {
            error["requestId"] = json!(id);
        }
        let status = axum::http::StatusCode::from_u16(status)
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        Some((status, Json(json!({ "error": error }))).into_response())
    }

    fn organization(&self) -> OrgFrom {
        OrgFrom::Path("companyId")
    }

    /// "60 requests, 1 minute (sliding), per account".
    fn rate_limit(&self) -> RateLimit {
        RateLimit::AccountPlan(ferrobooks_service::ratelimit::IMPORTER_PLAN)
    }

    fn claims(&self, path: &str) -> bool {
        path == "/api/v1/account"
            || path == "/api/v1/companies"
            || path.starts_with("/api/v1/companies/")
    }
}
