//! The native API's shapes for closing the books.

use ferrobooks_service::periods as svc;
use serde::{Deserialize, Serialize};

/// The books' lock date and every close and reopen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PeriodsView {
    /// Nothing dated on or before it posts or is voided (every document
    /// type, journal entries, payments, bank categorizations,
    /// revaluations); none when the books are open.
    #[schema(format = Date)]
    pub lock_date: Option<String>,
    /// Newest first.
    pub history: Vec<PeriodEventView>,
}

/// One close or reopen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PeriodEventView {
    pub id: String,
    /// close or reopen.
    pub action: String,
    #[schema(format = Date)]
    pub lock_date: Option<String>,
    #[schema(format = Date)]
    pub previous_lock_date: Option<String>,
    /// Why a period was reopened.
    pub reason: Option<String>,
    /// The API key that did it.
    pub key_id: Option<String>,
    pub created_at: String,
}

impl From<svc::PeriodEventView> for PeriodEventView {
    fn from(v: svc::PeriodEventView) -> Self {
        let svc::PeriodEventView {
            id,
            action,
            lock_date,
            previous_lock_date,
            reason,
            key_id,
            created_at,
        } = v;
        PeriodEventView {
            id,
            action,
            lock_date,
            previous_lock_date,
            reason,
            key_id,
            created_at,
        }
    }
}

impl From<svc::PeriodsView> for PeriodsView {
    fn from(v: svc::PeriodsView) -> Self {
        let svc::PeriodsView { lock_date, history } = v;
        PeriodsView {
            lock_date,
            history: history.into_iter().map(Into::into).collect(),
        }
    }
}

/// Closes the books up to a date.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"lock_date": "2026-11-30"}))]
pub struct CloseInput {
    /// The last day closed: not after today, after the current lock date.
    #[schema(format = Date)]
    pub lock_date: String,
}

impl From<CloseInput> for svc::CloseInput {
    fn from(v: CloseInput) -> Self {
        svc::CloseInput {
            lock_date: v.lock_date,
        }
    }
}

/// Moves the lock date back.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"lock_date": "2026-10-31", "reason": "A supplier's November invoice came late"}))]
pub struct ReopenInput {
    /// The new lock date, before the current one; left out, every period
    /// opens.
    #[schema(format = Date)]
    pub lock_date: Option<String>,
    /// Why: kept with the reopen.
    pub reason: String,
}

impl From<ReopenInput> for svc::ReopenInput {
    fn from(v: ReopenInput) -> Self {
        let ReopenInput { lock_date, reason } = v;
        svc::ReopenInput { lock_date, reason }
    }
}
