//! The service layer's one error type; the HTTP edge maps each variant to a
//! status and a stable code in one table.

use ferrobooks_domain::DomainError;
use ferrobooks_store::StoreError;
use thiserror::Error;

pub type ServiceResult<T> = Result<T, ServiceError>;

#[derive(Debug, Error)]
pub enum ServiceError {
    /// The input is wrong; `details` maps field paths to what is wrong.
    #[error("{message}")]
    Validation {
        code: &'static str,
        message: String,
        details: Vec<(String, String)>,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The resource is in a state that does not allow the change.
    #[error("{0}")]
    Conflict(String),
    /// No valid credentials.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Valid credentials that do not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Something broke that the client cannot fix; logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let (field, message) = (field.into(), message.into());
        ServiceError::Validation {
            code: "validation_failed",
            message: format!("{field}: {message}"),
            details: vec![(field, message)],
        }
    }
}

impl From<DomainError> for ServiceError {
    fn from(e: DomainError) -> Self {
        match &e {
            DomainError::Unbalanced { .. } => ServiceError::Validation {
                code: "unbalanced_entry",
                message: e.to_string(),
                details: vec![("lines".into(), e.to_string())],
            },
            DomainError::Invalid { field, message } => ServiceError::invalid(field, message),
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unreachable(m) => ServiceError::Internal(m),
            StoreError::NotFound(what) => ServiceError::NotFound(what),
            StoreError::Conflict(m) => ServiceError::Conflict(m),
            StoreError::AccountUnusable {
                line,
                account_id,
                reason,
            } => ServiceError::invalid(
                format!("lines[{line}].account_id"),
                format!("account {account_id} {reason}"),
            ),
            StoreError::LedgerFull { .. } => ServiceError::invalid("lines", e.to_string()),
            other => ServiceError::Internal(other.to_string()),
        }
    }
}
