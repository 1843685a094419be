//! Background work as durable jobs.
//!
//! A [`Job`] is a typed payload stored in the jobs table; the [`runner`]
//! claims due jobs with a lease and runs them, retrying a failure with
//! backoff. Any node can run any job, a job whose node died mid-run is
//! picked up again when its lease ends, and a scheduled job runs once per
//! period however many nodes run (its period is its dedupe key). Only
//! `ferrobooks serve` and `ferrobooks worker` start a runner; building
//! [`crate::Services`] starts nothing.
//!
//! One file per job: what it does and how long it may take.

mod due_dates;
mod idempotency_sweep;
mod ratelimit_sweep;
mod retention;
pub mod runner;
pub(crate) mod sweep;
mod webhook_delivery;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{ServiceResult, Services};

pub use runner::{Runner, RunnerStats};

/// Every kind of background work, with its payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Invoices past their due date become overdue and estimates past
    /// their expiry expire, as of the day the job runs.
    DueDates,
    /// Idempotency keys past their 24 hours are deleted.
    IdempotencySweep,
    /// Spent rate-limit windows are deleted.
    RateLimitSweep,
    /// Events waiting are fanned out to deliveries and due deliveries sent
    /// (also run at once after each local commit, outside the table).
    WebhookDelivery,
    /// Dispatched events, settled deliveries and finished jobs past their
    /// retention are deleted.
    Retention,
    /// An endpoint's events from a sequence number on are delivered again.
    Redeliver(crate::webhooks::redeliver::Redelivery),
    /// Every active fixed asset is depreciated through the months that
    /// have ended (each month once, whichever node runs it).
    Depreciation,
    /// Every active subscription's invoices due are issued (each period
    /// once, whichever node runs it).
    Subscriptions,
    /// A spreadsheet import runs (or resumes), or is taken back out of the
    /// books, as its status says.
    Import(crate::importer::run::ImportJob),
}

impl Job {
    /// The `kind` column and metrics label.
    pub fn kind(&self) -> &'static str {
        match self {
            Job::DueDates => "due_dates",
            Job::IdempotencySweep => "idempotency_sweep",
            Job::RateLimitSweep => "ratelimit_sweep",
            Job::WebhookDelivery => "webhook_delivery",
            Job::Retention => "retention",
            Job::Redeliver(_) => "redeliver",
            Job::Import(_) => "import",
            Job::Depreciation => "depreciation",
            Job::Subscriptions => "subscriptions",
        }
    }

    /// Runs the job once.
    async fn run(&self, s: &Services) -> ServiceResult<()> {
        match self {
            Job::DueDates => due_dates::run(s).await,
            Job::IdempotencySweep => idempotency_sweep::run(s).await,
            Job::RateLimitSweep => ratelimit_sweep::run(s).await,
            Job::WebhookDelivery => webhook_delivery::run(s).await,
            Job::Retention => retention::run(s).await,
            Job::Redeliver(r) => crate::webhooks::redeliver::run(s, r).await,
            Job::Import(j) => crate::importer::run::run(s, j).await,
            Job::Depreciation => crate::fixed_assets::depreciation::run_job(s).await,
            Job::Subscriptions => crate::subscriptions::run_job(s).await,
        }
    }
}

/// A job queued every `every`, once per period across all nodes.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub job: Job,
    pub every: Duration,
}

/// The scheduled jobs of these services' options.
pub fn schedules(s: &Services) -> Vec<Schedule> {
    vec![
        Schedule {
            job: Job::DueDates,
            every: s.due_date_interval,
        },
        Schedule {
            job: Job::IdempotencySweep,
            every: Duration::from_secs(600),
        },
        Schedule {
            job: Job::RateLimitSweep,
            every: Duration::from_secs(60),
        },
        Schedule {
            job: Job::WebhookDelivery,
            every: s.webhooks.sweep_interval,
        },
        Schedule {
            job: Job::Retention,
            every: Duration::from_secs(3600),
        },
        Schedule {
            job: Job::Depreciation,
            every: Duration::from_secs(3600),
        },
        Schedule {
            job: Job::Subscriptions,
            every: Duration::from_secs(900),
        },
    ]
}

impl Services {
    /// Queues `job` to run now (on whichever node claims it first).
    pub async fn enqueue(&self, job: &Job) -> ServiceResult<()> {
        runner::enqueue(self, job, runner::unix_now(), None).await?;
        Ok(())
    }
}
