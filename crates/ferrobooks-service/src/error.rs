//! The one table of error codes and the service layer's one error type.
//!
//! A [`ServiceError`] carries a [`Code`] from the table, a message in plain
//! words (no URL, no surface's field spelling) and structured details: the
//! fields that are wrong, or the status of the resource that refused a
//! change. Every surface maps each [`Code`] to its own spelling with a
//! `match` that has no wildcard arm, so adding a code here does not compile
//! until every surface has decided what to call it.

use ferrobooks_domain::DomainError;
use ferrobooks_store::StoreError;

pub type ServiceResult<T> = Result<T, ServiceError>;

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $status:literal, $name:literal, $when:literal;)*) => {
        /// Every failure a client of any surface can meet.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order the documentation lists them.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The canonical machine name (snake_case, stable).
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The HTTP status a surface answers with unless its dialect
            /// says otherwise.
            pub fn status(self) -> u16 {
                match self { $(Code::$variant => $status,)* }
            }

            /// When the code is used, in one line for the documentation.
            pub fn when(self) -> &'static str {
                match self { $(Code::$variant => $when,)* }
            }
        }
    };
}

codes! {
    ValidationFailed = 400, "validation_failed", "a field is missing or wrong; details names it";
    UnbalancedEntry = 400, "unbalanced_entry", "debits and credits of an entry differ";
    DuplicateCode = 400, "duplicate_code", "an account code is already in use";
    /// The posting would take the books past the total they can hold.
    LedgerFull = 400, "ledger_full", "the books would pass the largest total they can hold";
    InvalidJson = 400, "invalid_json", "the body is not JSON of the expected shape";
    InvalidQuery = 400, "invalid_query", "a query parameter is wrong";
    InvalidCursor = 400, "invalid_cursor", "the pagination cursor was not made by this server";
    Unauthorized = 401, "unauthorized", "missing, invalid or revoked API key";
    Forbidden = 403, "forbidden", "the key may not do this, or not in this organization";
    InsufficientScope = 403, "insufficient_scope", "the key lacks the scope the route needs";
    NotFound = 404, "not_found", "no such resource (or it was deleted)";
    RouteNotFound = 404, "route_not_found", "no such route";
    MethodNotAllowed = 405, "method_not_allowed", "the route does not take this method";
    NotAcceptable = 406, "not_acceptable", "the Accept header allows no type the route produces";
    /// The resource's status refuses the move (`state` says which status).
    InvalidState = 409, "invalid_state", "the resource's state does not allow the change";
    /// An estimate was already turned into an invoice.
    AlreadyConverted = 409, "already_converted", "the document was already converted";
    /// Payments or credits are applied to the document.
    HasApplications = 409, "has_applications", "payments or credits are applied to the document";
    /// Journal lines, documents or transactions hang on the resource.
    HasTransactions = 409, "has_transactions", "transactions depend on the resource";
    /// Documents post to the account, so it cannot change or go.
    SystemAccount = 409, "system_account", "documents post to this system account";
    /// The entry belongs to a document; change the document instead.
    PostedBySource = 409, "posted_by_source", "the entry was posted by a document";
    /// The number template keeps giving numbers already used.
    NumberTaken = 409, "number_taken", "the document number is already used";
    /// The posting is dated in a closed period (on or before the lock
    /// date, or in a filed tax return's period).
    PeriodClosed = 409, "period_closed", "the date is in a closed period; reopen it first";
    /// The chart of accounts lacks an account a posting needs.
    ChartIncomplete = 409, "chart_incomplete", "the chart of accounts lacks a system account";
    /// The request's Idempotency-Key claim passed to another request.
    IdempotencyKeyTakenOver = 409, "idempotency_key_taken_over", "another request took over the Idempotency-Key";
    IdempotencyKeyInUse = 409, "idempotency_key_in_use", "a request with this Idempotency-Key is still running";
    PayloadTooLarge = 413, "payload_too_large", "the body is larger than the configured limit";
    Unprocessable = 422, "unprocessable", "the request is well formed but cannot be carried out as it stands (a mapping leaves a required field unmapped or names an unknown one)";
    IdempotencyKeyReused = 422, "idempotency_key_reused", "the Idempotency-Key was used for a different request";
    RateLimited = 429, "rate_limited", "the key used up its plan's window; see Retry-After";
    /// Too many failed sign-ins in a row: the user's account is locked
    /// for a while.
    AccountLocked = 423, "account_locked", "too many failed sign-ins; the user is locked out for a while";
    UnsupportedMediaType = 415, "unsupported_media_type", "the body is not application/json";
    Internal = 500, "internal_error", "something broke on the server; it is logged";
}

/// A failure of the service layer: what went wrong, in the table's terms.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ServiceError {
    pub code: Code,
    /// Plain words for a person. For [`Code::Internal`] this is the cause,
    /// which surfaces log and never show.
    pub message: String,
    /// Field path (in the service's input names) -> what is wrong with it.
    pub fields: Vec<(String, String)>,
    /// The status of the resource that refused the change, for state
    /// conflicts ("paid", "void", "posted").
    pub state: Option<String>,
}

impl ServiceError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        ServiceError {
            code,
            message: message.into(),
            fields: Vec::new(),
            state: None,
        }
    }

    /// One field is wrong.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError::invalid_with(Code::ValidationFailed, field, message)
    }

    /// One field is wrong, with a code finer than `validation_failed`.
    pub fn invalid_with(code: Code, field: impl Into<String>, message: impl Into<String>) -> Self {
        let (field, message) = (field.into(), message.into());
        ServiceError::new(code, format!("{field}: {message}")).with_field(field, message)
    }

    /// The named resource does not exist (in the caller's organization).
    pub fn not_found(what: &str) -> Self {
        ServiceError::new(Code::NotFound, format!("{} not found", capitalize(what)))
    }

    /// The resource is in `status`, which refuses the change.
    pub fn wrong_status(status: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError {
            state: Some(status.into()),
            ..ServiceError::new(Code::InvalidState, message)
        }
    }

    /// A query parameter the domain refused (a filter naming no status).
    pub fn bad_query(e: DomainError) -> Self {
        let field = e.field().unwrap_or("query").to_owned();
        ServiceError::invalid_with(Code::InvalidQuery, field, e.message())
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        ServiceError::new(Code::Unauthorized, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ServiceError::new(Code::Forbidden, message)
    }

    /// Something broke that the caller cannot fix; `cause` is logged only.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ServiceError::new(Code::Internal, cause.to_string())
    }

    pub fn with_field(mut self, field: impl Into<String>, what: impl Into<String>) -> Self {
        self.fields.push((field.into(), what.into()));
        self
    }

    /// The same error naming the input `to` where it named `from` (a use
    /// case reusing a check whose input has another name here).
    pub fn renamed(mut self, from: &str, to: &str) -> Self {
        for (f, _) in &mut self.fields {
            if f == from {
                *f = to.to_owned();
            }
        }
        if let Some(rest) = self.message.strip_prefix(from)
            && rest.starts_with(':')
        {
            self.message = format!("{to}{rest}");
        }
        self
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

impl From<DomainError> for ServiceError {
    fn from(e: DomainError) -> Self {
        match &e {
            DomainError::Unbalanced { .. } => {
                ServiceError::new(Code::UnbalancedEntry, e.to_string())
                    .with_field("lines", e.to_string())
            }
            DomainError::Invalid { field, message } => ServiceError::invalid(field, message),
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unreachable(m) => ServiceError::internal(m),
            StoreError::NotFound(what) => ServiceError::not_found(what),
            StoreError::WrongStatus { status, message } => {
                ServiceError::wrong_status(status, message)
            }
            StoreError::ClaimLost(_) => {
                ServiceError::new(Code::IdempotencyKeyTakenOver, e.to_string())
            }
            StoreError::AccountUnusable {
                line,
                account_id,
                reason,
            } => ServiceError::invalid(
                format!("lines[{line}].account_id"),
                format!("account {account_id} {reason}"),
            ),
            StoreError::Taken => ServiceError::new(Code::NumberTaken, e.to_string()),
            StoreError::PeriodClosed { .. } | StoreError::PeriodFiled { .. } => {
                ServiceError::new(Code::PeriodClosed, e.to_string())
            }
            StoreError::LedgerFull { .. } => {
                ServiceError::invalid_with(Code::LedgerFull, "lines", e.to_string())
            }
            other => ServiceError::internal(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_statuses_are_errors() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))
        );
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "duplicate code name");
        assert!(Code::ALL.iter().all(|c| (400..600).contains(&c.status())));
    }
}
