//! Webhooks: endpoints an organization registers, and the delivery of its
//! events to them (see [`worker`]).

mod endpoints;
pub(crate) mod events;
pub mod redeliver;
pub mod signing;
pub mod target;
pub mod worker;

pub use endpoints::{CreatedWebhook, DeliveryView, NewWebhook, WebhookView};
pub use events::{EVENTS, SEED_000};

use std::time::Duration;

/// The version of the delivery body's contract, sent as
/// `X-Ferrobooks-Payload-Version` with every delivery. The body is
/// `{"id", "event", "data", "timestamp"}` with `data` the resource as the
/// event's use case serialized it (the service's read model, not any
/// surface's view); a change to either that receivers could notice is a
/// new version.
pub const PAYLOAD_VERSION: &str = "1";

/// How webhooks are delivered; operators and tests set these.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Allow loopback, private, link-local and metadata targets
    /// (`FERROBOOKS_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true`; local development
    /// and tests).
    pub allow_private_targets: bool,
    /// Waits before each retry (`FERROBOOKS_WEBHOOKS_RETRY_SCHEDULE`,
    /// default `1m,5m,30m,2h,8h`): an event is tried once and retried once
    /// per entry.
    pub retry_schedule: Vec<Duration>,
    /// How often a node looks for due retries and events it was not told
    /// about (`FERROBOOKS_WEBHOOKS_SWEEP_INTERVAL`, default `2m`).
    pub sweep_interval: Duration,
    /// Time allowed for one delivery (`FERROBOOKS_WEBHOOKS_TIMEOUT`, default `10s`).
    pub timeout: Duration,
    /// Run the delivery worker in this process.
    pub worker: bool,
    /// How long dispatched events and settled deliveries are kept
    /// (`FERROBOOKS_WEBHOOKS_RETENTION`, default `30d`); the delivery log
    /// reaches this far back.
    pub retention: Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            allow_private_targets: false,
            retry_schedule: [60, 300, 1800, 7200, 28_800]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
            sweep_interval: Duration::from_secs(120),
            timeout: Duration::from_secs(10),
            worker: true,
            retention: Duration::from_secs(30 * 86_400),
        }
    }
}

/// Parses a duration such as `500ms`, `30s`, `5m`, `2h`, `30d`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("'{s}' has no unit (ms, s, m, h, d)"))?;
    let (n, unit) = s.split_at(split);
    let n: u64 = n.parse().map_err(|_| format!("'{s}' is not a duration"))?;
    Ok(match unit {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n * 60),
        "h" => Duration::from_secs(n * 3600),
        "d" => Duration::from_secs(n * 86_400),
        _ => return Err(format!("'{s}': the unit must be ms, s, m, h or d")),
    })
}

/// Parses a retry schedule such as `1m,5m,30m,2h,8h`.
pub fn parse_schedule(s: &str) -> Result<Vec<Duration>, String> {
    s.split(',').map(parse_duration).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert!(parse_duration("2").is_err());
        assert_eq!(parse_duration("2d").unwrap(), Duration::from_secs(172_800));
        assert!(parse_duration("2w").is_err());
        assert_eq!(parse_schedule("1s,1s,1s,1s,1s").unwrap().len(), 5);
    }
}
