//! The domain's one error type.
//!
//! Each variant names the field at fault where there is one, so the HTTP edge
//! can put it in `details` without knowing the rule that failed.

use thiserror::Error;

/// A rule of the books was broken by the input.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    /// A value could not be parsed or is out of range; `field` is a JSON path.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// Debits and credits of an entry differ.
    #[error("entry is unbalanced: debits {debits} and credits {credits} differ by {difference}")]
    Unbalanced {
        debits: String,
        credits: String,
        difference: String,
    },
}

impl DomainError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The JSON path of the field at fault, if one is.
    pub fn field(&self) -> Option<&str> {
        match self {
            DomainError::Invalid { field, .. } => Some(field),
            DomainError::Unbalanced { .. } => Some("lines"),
        }
    }

    /// What is wrong, without the field.
    pub fn message(&self) -> String {
        match self {
            DomainError::Invalid { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}
