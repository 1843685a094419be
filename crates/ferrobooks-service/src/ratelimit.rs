//! Rate limits per API key: each tier is a plan, a list of fixed windows
//! (`100 requests per 15 minutes`, optionally more). Counters live where
//! every process serving the database sees them:
//!
//! - in memory, on SQLite (one process owns the database);
//! - in Redis, when `FERROBOOKS_REDIS_URL` is set (one round trip: a
//!   `MULTI INCR EXPIRE EXEC` pipeline);
//! - otherwise, on PostgreSQL, in an unlogged table (one upsert, no WAL
//!   flush).
//!
//! If the counter store fails, requests are let through and the failure is
//! logged: a broken limiter must not take the API down.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use ferrobooks_store::{Backend, Store};

use crate::{ServiceError, ServiceResult};

/// One window of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: u64,
    pub secs: u64,
}

/// Tier name to its windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plans(pub HashMap<String, Vec<Window>>);

impl Default for Plans {
    /// starter 100, professional 500, enterprise 2,000 requests per 15 minutes.
    fn default() -> Self {
        let w = |limit| vec![Window { limit, secs: 900 }];
        Plans(HashMap::from([
            ("starter".to_owned(), w(100)),
            ("professional".to_owned(), w(500)),
            ("enterprise".to_owned(), w(2000)),
        ]))
    }
}

/// Parses a duration such as `15m`, `1h`, `1d`, `30s`.
fn parse_secs(s: &str) -> Option<u64> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = n.parse().ok()?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    Some(n * mult).filter(|s| *s > 0)
}

impl Plans {
    /// Parses `tier=limit/window[,limit/window];tier=...`, for example
    /// `starter=100/15m;professional=500/15m,20000/1d`. Tiers not named keep
    /// their defaults.
    pub fn parse(text: &str) -> Result<Plans, String> {
        let mut plans = Plans::default();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (tier, windows) = part
                .split_once('=')
                .ok_or_else(|| format!("'{part}': expected tier=limit/window"))?;
            let mut list = Vec::new();
            for w in windows.split(',') {
                let (limit, secs) = w
                    .trim()
                    .split_once('/')
                    .ok_or_else(|| format!("'{w}': expected limit/window such as 100/15m"))?;
                list.push(Window {
                    limit: limit
                        .parse()
                        .map_err(|_| format!("'{limit}' is not a count"))?,
                    secs: parse_secs(secs).ok_or_else(|| format!("'{secs}' is not a duration"))?,
                });
            }
            plans.0.insert(tier.trim().to_owned(), list);
        }
        Ok(plans)
    }
}

/// The answer for one request: whether it may go on, and the headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u64,
    pub remaining: u64,
    /// Unix seconds when the reported window starts over.
    pub reset: u64,
    /// Seconds to wait, when refused.
    pub retry_after: u64,
}

/// (key id, window length) -> (window start, count), for one process.
type MemoryCounters = Arc<Mutex<HashMap<(String, u64), (u64, u64)>>>;

#[derive(Clone)]
enum Counters {
    Memory(MemoryCounters),
    Redis(redis::aio::ConnectionManager),
    Database(Store),
}

/// Counts requests per key and window.
#[derive(Clone)]
pub struct RateLimiter {
    plans: Arc<Plans>,
    counters: Counters,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.counters {
            Counters::Memory(_) => "memory",
            Counters::Redis(_) => "redis",
            Counters::Database(_) => "database",
        };
        f.debug_struct("RateLimiter")
            .field("counters", &kind)
            .finish()
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl RateLimiter {
    /// Picks where counters live: Redis when a URL is given, else memory on
    /// SQLite and the database on PostgreSQL.
    pub async fn new(
        plans: Plans,
        store: &Store,
        redis_url: Option<&str>,
    ) -> ServiceResult<RateLimiter> {
        let counters = match (redis_url, store.backend()) {
            (Some(url), _) => {
                let client = redis::Client::open(url)
                    .map_err(|e| ServiceError::internal(format!("redis url: {e}")))?;
                let conn = client
                    .get_connection_manager()
                    .await
                    .map_err(|e| ServiceError::internal(format!("redis: {e}")))?;
                Counters::Redis(conn)
            }
            (None, Backend::Sqlite) => Counters::Memory(Arc::default()),
            // Spent windows are deleted by the rate-limit sweep job.
            (None, Backend::Postgres) => Counters::Database(store.clone()),
        };
        Ok(RateLimiter {
            plans: Arc::new(plans),
            counters,
        })
    }

    /// Counts a request of `key_id` on plan `tier` and decides.
    pub async fn check(&self, key_id: &str, tier: &str) -> Decision {
        let now = now_secs();
        let Some(windows) = self.plans.0.get(tier).filter(|w| !w.is_empty()) else {
            return Decision {
                allowed: true,
                limit: u64::MAX,
                remaining: u64::MAX,
                reset: now,
                retry_after: 0,
            };
        };
        let mut worst: Option<Decision> = None;
        for w in windows {
            let start = now - now % w.secs;
            let count = match self.count(key_id, w.secs, start).await {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "rate-limit counter unavailable; letting the request through");
                    0
                }
            };
            let reset = start + w.secs;
            let d = Decision {
                allowed: count <= w.limit,
                limit: w.limit,
                remaining: w.limit.saturating_sub(count),
                reset,
                retry_after: if count <= w.limit {
                    0
                } else {
                    reset.saturating_sub(now).max(1)
                },
            };
            // Report the refusing window, else the one with least room.
            worst = Some(match worst {
                None => d,
                Some(prev)
                    if (!d.allowed && prev.allowed)
                        || (d.allowed == prev.allowed && d.remaining < prev.remaining) =>
                {
                    d
                }
                Some(prev) => prev,
            });
        }
        worst.unwrap_or(Decision {
            allowed: true,
            limit: u64::MAX,
            remaining: u64::MAX,
            reset: now,
            retry_after: 0,
        })
    }

    async fn count(&self, key_id: &str, secs: u64, start: u64) -> Result<u64, String> {
        match &self.counters {
            Counters::Memory(map) => {
                let mut m = map.lock().unwrap_or_else(|p| p.into_inner());
                if m.len() > 100_000 {
                    let now = now_secs();
                    m.retain(|(_, s), (st, _)| *st + *s > now);
                }
                let slot = m.entry((key_id.to_owned(), secs)).or_insert((start, 0));
                if slot.0 != start {
                    *slot = (start, 0);
                }
                slot.1 += 1;
                Ok(slot.1)
            }
            Counters::Redis(conn) => {
                let key = format!("ferrobooks:rl:{key_id}:{secs}:{start}");
                let mut conn = conn.clone();
                let (count,): (u64,) = redis::pipe()
                    .atomic()
                    .incr(&key, 1u64)
                    .expire(&key, i64::try_from(secs).unwrap_or(i64::MAX))
                    .ignore()
                    .query_async(&mut conn)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(count)
            }
            Counters::Database(store) => {
                let c = ferrobooks_store::ratelimit::hit(
                    store,
                    key_id,
                    i64::try_from(secs).unwrap_or(i64::MAX),
                    i64::try_from(start).unwrap_or(i64::MAX),
                )
                .await
                .map_err(|e| e.to_string())?;
                Ok(u64::try_from(c).unwrap_or(0))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plans() {
        let p = Plans::parse("starter=10/1m;professional=500/15m,20000/1d").unwrap();
        assert_eq!(
            p.0["starter"],
            vec![Window {
                limit: 10,
                secs: 60
            }]
        );
        assert_eq!(p.0["professional"].len(), 2);
        assert_eq!(
            p.0["enterprise"],
            vec![Window {
                limit: 2000,
                secs: 900
            }]
        );
        assert!(Plans::parse("starter=10").is_err());
        assert!(Plans::parse("starter=x/1m").is_err());
        assert!(Plans::parse("starter=10/0m").is_err());
        assert!(Plans::parse("starter=10/5y").is_err());
    }
}
