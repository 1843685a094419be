#![forbid(unsafe_code)]
//! Use cases of Ferrobooks, one function each: authorize, validate, load,
//! call the domain, persist in one transaction, emit events.
//!
//! Every HTTP surface (native and compatibility) calls these; a business rule
//! lives here or in the domain, never in a surface.

pub mod accounts;
pub mod aging;
pub mod amount;
pub mod auth;
pub mod banking;
pub mod basis;
pub mod budgets;
pub mod cash_flow;
pub mod comparison;
pub mod contacts;
pub mod documents;
mod error;
pub mod events;
pub mod export;
pub mod filters;
pub mod financials;
pub mod fixed_assets;
pub mod fx_revaluations;
mod grouped;
pub mod gst_returns;
mod hierarchy;
pub mod idempotency;
pub mod importer;
pub mod jobs;
pub mod journal;
pub mod keys;
pub mod loans;
pub mod numbering;
pub mod oauth;
pub mod orgs;
pub mod page;
pub mod payroll;
pub mod periods;
pub mod products;
pub mod ratelimit;
pub mod recovery;
pub mod reports;
pub mod sessions;
pub mod subscriptions;
pub mod summaries;
pub mod tax_returns;
pub mod taxes;
pub mod tokens;
pub mod users;
pub mod webhooks;

use ferrobooks_store::Store;
use ferrobooks_store::batch::PostingQueue;

pub use auth::{AuthContext, Principal, PrincipalKind, RequestMeta};
pub use error::{Code, ServiceError, ServiceResult};
pub use ferrobooks_store::OrgId;

/// Everything a use case needs, shared by all requests. Building it starts
/// no task: background work runs as [`jobs`] under a [`jobs::Runner`],
/// which only `serve` and `worker` start.
#[derive(Clone, Debug)]
pub struct Services {
    pub store: Store,
    pub queue: PostingQueue,
    /// Group commit of document requests.
    pub units: ferrobooks_store::units::UnitQueue,
    pub limiter: ratelimit::RateLimiter,
    pub webhooks: std::sync::Arc<webhooks::WebhookConfig>,
    pub webhook_stats: std::sync::Arc<webhooks::worker::WebhookStats>,
    pub job_stats: std::sync::Arc<jobs::RunnerStats>,
    /// How often the due-date job runs.
    pub due_date_interval: std::time::Duration,
    keys: auth::KeyHasher,
    auth_cache: auth::AuthCache,
}

/// Settings of the services that operators choose.
#[derive(Debug, Clone, Default)]
pub struct ServiceOptions {
    pub rate_limits: ratelimit::Plans,
    /// Keep rate-limit counters in this Redis (shared by every node).
    pub redis_url: Option<String>,
    pub webhooks: webhooks::WebhookConfig,
    /// How often the due-date job marks overdue invoices and expired
    /// estimates (default 15 minutes).
    pub due_date_interval: Option<std::time::Duration>,
}

impl Services {
    /// Builds the services over a connected store. Must be called inside a
    /// Tokio runtime.
    pub async fn new(store: Store) -> ServiceResult<Services> {
        Services::with_options(store, ServiceOptions::default()).await
    }

    pub async fn with_options(store: Store, options: ServiceOptions) -> ServiceResult<Services> {
        let limiter =
            ratelimit::RateLimiter::new(options.rate_limits, &store, options.redis_url.as_deref())
                .await?;
        let keys = auth::KeyHasher::load(&store).await?;
        Ok(Services {
            queue: PostingQueue::new(store.clone()),
            units: ferrobooks_store::units::UnitQueue::new(store.clone()),
            store,
            limiter,
            webhooks: std::sync::Arc::new(options.webhooks),
            webhook_stats: webhooks::worker::stats(),
            job_stats: jobs::runner::stats(),
            due_date_interval: options
                .due_date_interval
                .unwrap_or(std::time::Duration::from_secs(900)),
            keys,
            auth_cache: auth::AuthCache::default(),
        })
    }
}

/// Success of a use case, as an idempotent replay must repeat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A resource was made (201).
    Created,
    /// An existing resource changed (200).
    Done,
    /// Work was queued to run in the background (202).
    Accepted,
}

/// How the surface serving a request renders a use case's result (its
/// status and the result's JSON) into the reply it sends, so that a replay
/// repeats that surface's reply, not another's.
pub type RenderReply = std::sync::Arc<dyn Fn(u16, String) -> idempotency::Reply + Send + Sync>;

/// A POST with an Idempotency-Key: the claim on the key, and how the
/// serving surface renders the reply stored with the effect.
#[derive(Clone)]
pub struct IdempotentRequest {
    pub claim: idempotency::Claim,
    pub render: RenderReply,
}

impl std::fmt::Debug for IdempotentRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdempotentRequest")
            .field("claim", &self.claim)
            .finish_non_exhaustive()
    }
}

impl Services {
    /// For a request with an Idempotency-Key, stores its reply (as its
    /// surface renders it) in the transaction of its effect, so a crash can
    /// never leave the effect without the key that would replay it.
    pub(crate) async fn finish_idempotent<T: serde::Serialize>(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        outcome: Outcome,
        view: &T,
    ) -> ServiceResult<()> {
        let Some(req) = &ctx.request.idempotency else {
            return Ok(());
        };
        let json = serde_json::to_string(view).map_err(ServiceError::internal)?;
        let reply = (req.render)(outcome.status(), json);
        if !ferrobooks_store::idempotency::complete(conn, &req.claim, &reply).await? {
            return Err(ServiceError::new(
                Code::IdempotencyKeyTakenOver,
                "the Idempotency-Key was taken over by another request",
            ));
        }
        Ok(())
    }
}

impl Services {
    /// A connection of the pool, for reads outside a transaction.
    pub(crate) async fn read_conn(&self) -> ServiceResult<ferrobooks_store::PooledConn> {
        Ok(self
            .store
            .pool()
            .acquire()
            .await
            .map_err(ferrobooks_store::StoreError::from)?)
    }

    /// Whether the store answers (readiness).
    pub async fn ping(&self) -> ServiceResult<()> {
        Ok(self.store.ping().await?)
    }

    /// Events written but not yet fanned out to webhook deliveries.
    pub async fn outbox_depth(&self) -> ServiceResult<i64> {
        Ok(ferrobooks_store::webhooks::outbox_depth(&self.store).await?)
    }

    /// Jobs in the jobs table: (kind, status, count).
    pub async fn job_counts(&self) -> ServiceResult<Vec<(String, String, i64)>> {
        Ok(ferrobooks_store::jobs::counts(&self.store).await?)
    }
}

impl Outcome {
    pub fn status(self) -> u16 {
        match self {
            Outcome::Created => 201,
            Outcome::Done => 200,
            Outcome::Accepted => 202,
        }
    }
}

/// Today's date in UTC, as `YYYY-MM-DD`.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Parses a `YYYY-MM-DD` date in the range the books take
/// ([`ferrobooks_domain::calendar`]), naming `field` when it is not one.
pub fn parse_date(field: &str, s: &str) -> ServiceResult<chrono::NaiveDate> {
    Ok(ferrobooks_domain::calendar::parse_date(field, s)?)
}

/// Parses an RFC 3339 time filter (`updated_since`) into the stored form,
/// so that comparing stored timestamps as text is exact.
pub fn parse_since(field: &str, s: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(s) = s else {
        return Ok(None);
    };
    let t = chrono::DateTime::parse_from_rfc3339(s).map_err(|_| {
        ServiceError::invalid(
            field,
            format!("'{s}' is not an RFC 3339 time (2026-01-31T00:00:00Z)"),
        )
    })?;
    ferrobooks_domain::calendar::in_range(field, t.with_timezone(&chrono::Utc).date_naive())?;
    Ok(Some(
        t.with_timezone(&chrono::Utc)
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string(),
    ))
}

/// Trims optional text; blank becomes `None`; longer than `max` is an error.
pub fn opt_text(field: &str, s: Option<String>, max: usize) -> ServiceResult<Option<String>> {
    match s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() > max => Err(ServiceError::invalid(
            field,
            format!("must be at most {max} characters"),
        )),
        other => Ok(other),
    }
}
