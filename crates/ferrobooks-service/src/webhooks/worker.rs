//! Webhook delivery passes. The job runner runs one after each burst of
//! local commits and, as the `webhook_delivery` job, every sweep interval
//! in any case (so retries, and events committed by other nodes or before
//! a crash, are delivered). A pass:
//!
//! 1. fans undispatched outbox events out into deliveries, one per
//!    subscribed endpoint (`webhooks::dispatch`);
//! 2. claims due deliveries with a lease and sends them, signed, each with
//!    the configured timeout; 2xx succeeds, 410 disables the endpoint, any
//!    other answer or error is retried after the next wait of the schedule,
//!    and given up when the schedule is spent.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ferrobooks_store::webhooks::{self as store, DeliveryRow, Settlement};
use tokio::task::JoinSet;

use super::{signing, target};
use crate::Services;

/// Events fanned out per transaction.
const DISPATCH_BATCH: i64 = 500;
/// Deliveries claimed at once.
const CLAIM_BATCH: i64 = 32;

/// Deletes dispatched events and settled deliveries past the retention.
pub async fn prune(s: &Services) {
    let keep =
        chrono::Duration::from_std(s.webhooks.retention).unwrap_or(chrono::Duration::days(30));
    let before = (chrono::Utc::now() - keep)
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    match store::prune(&s.store, &before).await {
        Ok(n) if n > 0 => tracing::info!(deleted = n, "pruned old events and deliveries"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "pruning events and deliveries failed"),
    }
}

/// Delivery outcomes since start, for `/metrics`.
#[derive(Debug, Default)]
pub struct WebhookStats {
    pub succeeded: AtomicU64,
    pub failed_attempts: AtomicU64,
    pub given_up: AtomicU64,
}

/// The body sent for an event: `{"id", "event", "data", "timestamp"}`,
/// with `data` kept exactly as stored (amounts stay exact).
pub fn body(event_id: &str, event: &str, data: &str, timestamp: &str) -> String {
    let s = |v: &str| serde_json::Value::String(v.to_owned()).to_string();
    format!(
        "{{\"id\":{},\"event\":{},\"data\":{data},\"timestamp\":{}}}",
        s(event_id),
        s(event),
        s(timestamp)
    )
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// One pass: fan out everything waiting, then deliver everything due.
pub async fn run_once(s: &Services) -> Result<(), ferrobooks_store::StoreError> {
    loop {
        let n = store::dispatch(&s.store, DISPATCH_BATCH, now(), |ev| {
            body(&ev.id, &ev.event_type, &ev.payload, &ev.created_at)
        })
        .await?;
        if n < DISPATCH_BATCH as usize {
            break;
        }
    }
    let lease = s.webhooks.timeout.as_secs() as i64 + 30;
    loop {
        let due = store::claim_due(&s.store, now(), lease, CLAIM_BATCH).await?;
        if due.is_empty() {
            return Ok(());
        }
        let mut set = JoinSet::new();
        for d in due {
            let s = s.clone();
            set.spawn(async move { deliver(&s, d).await });
        }
        let mut outcomes = Vec::new();
        while let Some(r) = set.join_next().await {
            match r {
                Ok(Ok(o)) => outcomes.push(o),
                Ok(Err(e)) => tracing::warn!(error = %e, "a delivery could not be attempted"),
                Err(e) => tracing::warn!(error = %e, "a delivery task failed"),
            }
        }
        store::settle_all(&s.store, &outcomes).await?;
    }
}

/// Attempts one delivery and says how it went (settled by the caller, with
/// the rest of its round, in one transaction).
async fn deliver(s: &Services, d: DeliveryRow) -> Result<Settlement, ferrobooks_store::StoreError> {
    let stats = &s.webhook_stats;
    let settle = |succeeded, next, code, error: Option<String>| Settlement {
        id: d.id.clone(),
        succeeded,
        next_attempt_at: next,
        status_code: code,
        error,
        disable_endpoint: None,
    };
    let endpoint = store::endpoint_by_id(s.store.pool(), &d.endpoint_id).await?;
    let Some(ep) = endpoint.filter(|e| e.active == 1) else {
        stats.given_up.fetch_add(1, Ordering::Relaxed);
        return Ok(settle(
            false,
            None,
            None,
            Some("endpoint disabled or deleted".into()),
        ));
    };
    Ok(match send(s, &ep.url, &ep.secret, &d).await {
        Ok(code) if (200..300).contains(&code) => {
            stats.succeeded.fetch_add(1, Ordering::Relaxed);
            settle(true, None, Some(code), None)
        }
        Ok(410) => {
            tracing::info!(endpoint = %ep.id, "endpoint answered 410 Gone; disabling it");
            stats.given_up.fetch_add(1, Ordering::Relaxed);
            Settlement {
                disable_endpoint: Some((ep.id.clone(), "the endpoint answered 410 Gone".into())),
                ..settle(
                    false,
                    None,
                    Some(410),
                    Some("410 Gone: endpoint disabled".into()),
                )
            }
        }
        Ok(code) => retry(s, &d, Some(code), format!("answered {code}")),
        Err(e) => retry(s, &d, None, e),
    })
}

fn retry(s: &Services, d: &DeliveryRow, code: Option<u16>, error: String) -> Settlement {
    s.webhook_stats
        .failed_attempts
        .fetch_add(1, Ordering::Relaxed);
    let made = usize::try_from(d.attempts).unwrap_or(usize::MAX);
    let next = match s.webhooks.retry_schedule.get(made) {
        Some(wait) => Some(now() + i64::try_from(wait.as_secs().max(1)).unwrap_or(i64::MAX)),
        None => {
            s.webhook_stats.given_up.fetch_add(1, Ordering::Relaxed);
            None
        }
    };
    Settlement {
        id: d.id.clone(),
        succeeded: false,
        next_attempt_at: next,
        status_code: code,
        error: Some(error),
        disable_endpoint: None,
    }
}

/// Sends one delivery; the status code, or why there was none.
async fn send(s: &Services, url: &str, secret: &str, d: &DeliveryRow) -> Result<u16, String> {
    let t = target::resolve(url, s.webhooks.allow_private_targets).await?;
    let client = reqwest::Client::builder()
        .timeout(s.webhooks.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .resolve(&t.host, t.addr)
        .user_agent(concat!("Ferrobooks-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())?;
    let ts = now();
    let res = client
        .post(t.url)
        .header("content-type", "application/json")
        .header(
            "x-syncbooks-signature",
            signing::syncbooks_signature(secret, &d.body),
        )
        .header("x-ferrobooks-payload-version", super::PAYLOAD_VERSION)
        .header("webhook-id", &d.event_id)
        .header("webhook-timestamp", ts.to_string())
        .header(
            "webhook-signature",
            signing::standard_signature(secret, &d.event_id, ts, &d.body),
        )
        .body(d.body.clone())
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                "timed out".to_owned()
            } else {
                e.to_string()
            }
        })?;
    Ok(res.status().as_u16())
}

/// A fresh set of counters.
pub(crate) fn stats() -> Arc<WebhookStats> {
    Arc::default()
}
