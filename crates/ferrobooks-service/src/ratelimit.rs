//! Rate limits: each plan is a list of windows (`100 requests per 15
//! minutes`, optionally more), counted per API key for the key tiers and
//! per account for a surface's own plan (the importer's `60 requests per
//! minute per account`). A window is fixed, or sliding: the current fixed
//! window's count plus the previous one's weighted by how much of it the
//! sliding window still covers (the estimate Cloudflare and nginx use,
//! within a request or two of an exact log, at the cost of one counter
//! more). Counters live where every process serving the database sees
//! them:
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
    /// Counted over the last `secs` seconds rather than since the fixed
    /// window began.
    pub sliding: bool,
}

/// The plan of the importer surface: 60 requests per minute (sliding) per
/// account, as its reference states.
pub const IMPORTER_PLAN: &str = "importer";

/// The plan counting console sign-in attempts, per client address.
pub const SIGNIN_PLAN: &str = "signin";

/// Tier name to its windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plans(pub HashMap<String, Vec<Window>>);

impl Default for Plans {
    /// starter 100, professional 500, enterprise 2,000 requests per 15
    /// minutes; the importer's 60 per sliding minute; 30 sign-in attempts
    /// per address per sliding 15 minutes.
    fn default() -> Self {
        let w = |limit| {
            vec![Window {
                limit,
                secs: 900,
                sliding: false,
            }]
        };
        Plans(HashMap::from([
            ("starter".to_owned(), w(100)),
            ("professional".to_owned(), w(500)),
            ("enterprise".to_owned(), w(2000)),
            (
                IMPORTER_PLAN.to_owned(),
                vec![Window {
                    limit: 60,
                    secs: 60,
                    sliding: true,
                }],
            ),
            (
                SIGNIN_PLAN.to_owned(),
                vec![Window {
                    limit: 30,
                    secs: 900,
                    sliding: true,
                }],
            ),
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
    /// `starter=100/15m;professional=500/15m,20000/1d;importer=60/1m~`
    /// (`~`: sliding). Plans not named keep their defaults.
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
                let (secs, sliding) = match secs.strip_suffix('~') {
                    Some(s) => (s, true),
                    None => (secs, false),
                };
                list.push(Window {
                    limit: limit
                        .parse()
                        .map_err(|_| format!("'{limit}' is not a count"))?,
                    secs: parse_secs(secs).ok_or_else(|| format!("'{secs}' is not a duration"))?,
                    sliding,
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
    /// The reported window's length in seconds.
    pub window: u64,
    pub remaining: u64,
    /// Unix seconds when the reported window starts over.
    pub reset: u64,
    /// Seconds to wait, when refused.
    pub retry_after: u64,
}

/// (key id, window length) -> (window start, count, the previous
/// window's count), for one process.
type MemoryCounters = Arc<Mutex<HashMap<(String, u64), (u64, u64, u64)>>>;

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

    /// Counts a request of `who` (a key's id, or an account) on plan
    /// `plan` and decides.
    pub async fn check(&self, who: &str, plan: &str) -> Decision {
        let now = now_secs();
        let open = Decision {
            allowed: true,
            limit: u64::MAX,
            window: 0,
            remaining: u64::MAX,
            reset: now,
            retry_after: 0,
        };
        let Some(windows) = self.plans.0.get(plan).filter(|w| !w.is_empty()) else {
            return open;
        };
        let mut worst: Option<Decision> = None;
        for w in windows {
            let start = now - now % w.secs;
            let (count, previous) = match self.count(who, w.secs, start, w.sliding).await {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "rate-limit counter unavailable; letting the request through");
                    (0, 0)
                }
            };
            let d = decide(*w, now, start, count, previous);
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
        worst.unwrap_or(open)
    }

    /// The current fixed window's count with this request, and (sliding
    /// windows only) the previous window's.
    async fn count(
        &self,
        who: &str,
        secs: u64,
        start: u64,
        sliding: bool,
    ) -> Result<(u64, u64), String> {
        match &self.counters {
            Counters::Memory(map) => {
                let mut m = map.lock().unwrap_or_else(|p| p.into_inner());
                if m.len() > 100_000 {
                    let now = now_secs();
                    m.retain(|(_, s), (st, _, _)| *st + 2 * *s > now);
                }
                let slot = m.entry((who.to_owned(), secs)).or_insert((start, 0, 0));
                if slot.0 != start {
                    let previous = if slot.0 + secs == start { slot.1 } else { 0 };
                    *slot = (start, 0, previous);
                }
                slot.1 += 1;
                Ok((slot.1, if sliding { slot.2 } else { 0 }))
            }
            Counters::Redis(conn) => {
                let key = |start: u64| format!("ferrobooks:rl:{who}:{secs}:{start}");
                let mut conn = conn.clone();
                // A sliding window's counter lives two windows: the next
                // one still weighs it.
                let ttl = i64::try_from(if sliding { 2 * secs } else { secs }).unwrap_or(i64::MAX);
                let mut pipe = redis::pipe();
                pipe.atomic()
                    .incr(key(start), 1u64)
                    .expire(key(start), ttl)
                    .ignore();
                if sliding {
                    pipe.get(key(start.saturating_sub(secs)));
                    let (count, previous): (u64, Option<u64>) = pipe
                        .query_async(&mut conn)
                        .await
                        .map_err(|e| e.to_string())?;
                    Ok((count, previous.unwrap_or(0)))
                } else {
                    let (count,): (u64,) = pipe
                        .query_async(&mut conn)
                        .await
                        .map_err(|e| e.to_string())?;
                    Ok((count, 0))
                }
            }
            Counters::Database(store) => {
                let i = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
                let (c, p) =
                    ferrobooks_store::ratelimit::hit(store, who, i(secs), i(start), sliding)
                        .await
                        .map_err(|e| e.to_string())?;
                Ok((u64::try_from(c).unwrap_or(0), u64::try_from(p).unwrap_or(0)))
            }
        }
    }
}

/// The decision for a request that made the current fixed window's count
/// `count` (`previous` in the window before, for a sliding window), `now`.
fn decide(w: Window, now: u64, start: u64, count: u64, previous: u64) -> Decision {
    let reset = start + w.secs;
    if !w.sliding {
        let allowed = count <= w.limit;
        return Decision {
            allowed,
            limit: w.limit,
            window: w.secs,
            remaining: w.limit.saturating_sub(count),
            reset,
            retry_after: if allowed {
                0
            } else {
                reset.saturating_sub(now).max(1)
            },
        };
    }
    // The previous window weighs what the sliding window still covers of
    // it: (secs - elapsed) / secs, in whole requests rounded down.
    let elapsed = now - start;
    let left = w.secs - elapsed;
    let weighed = previous * left / w.secs;
    let used = weighed + count;
    let allowed = used <= w.limit;
    // When refused: the seconds until enough of the previous window has
    // slid out (or, if this window alone is over, until it ends and the
    // next one weighs it).
    let retry_after = if allowed {
        0
    } else if count > w.limit || previous == 0 {
        left.max(1)
    } else {
        // previous * (left - t) / secs + count <= limit
        let room = (w.limit - count) * w.secs;
        let keep = room / previous;
        left.saturating_sub(keep).max(1)
    };
    Decision {
        allowed,
        limit: w.limit,
        window: w.secs,
        remaining: w.limit.saturating_sub(used),
        // When the oldest request counted will have slid out.
        reset: if previous > 0 { now + left } else { reset },
        retry_after,
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
                secs: 60,
                sliding: false
            }]
        );
        assert_eq!(p.0["professional"].len(), 2);
        assert_eq!(
            p.0["enterprise"],
            vec![Window {
                limit: 2000,
                secs: 900,
                sliding: false
            }]
        );
        assert!(p.0[IMPORTER_PLAN][0].sliding);
        let p = Plans::parse("importer=5/1m~").unwrap();
        assert_eq!(
            p.0[IMPORTER_PLAN],
            vec![Window {
                limit: 5,
                secs: 60,
                sliding: true
            }]
        );
        assert!(Plans::parse("starter=10").is_err());
        assert!(Plans::parse("starter=x/1m").is_err());
        assert!(Plans::parse("starter=10/0m").is_err());
        assert!(Plans::parse("starter=10/5y").is_err());
    }

    #[test]
    fn a_sliding_window_weighs_the_previous_one() {
        let w = Window {
            limit: 60,
            secs: 60,
            sliding: true,
        };
        // 60 requests last minute, 15 s into this one: 45 of them still
        // count; 15 more are allowed, the 16th waits for one to slide out.
        let d = decide(w, 1_015, 1_000, 15, 60);
        assert!(d.allowed);
        assert_eq!(d.remaining, 0);
        let d = decide(w, 1_015, 1_000, 16, 60);
        assert!(!d.allowed);
        assert_eq!(d.retry_after, 1);
        // 30 last minute, none this one, at its start: 30 left.
        let d = decide(w, 1_000, 1_000, 1, 30);
        assert_eq!((d.allowed, d.remaining), (true, 29));
        // Over in this window alone: wait for it to end.
        let d = decide(w, 1_050, 1_000, 61, 0);
        assert_eq!((d.allowed, d.retry_after), (false, 10));
        // A fixed window knows no previous one.
        let f = Window {
            sliding: false,
            ..w
        };
        let d = decide(f, 1_015, 1_000, 60, 60);
        assert_eq!((d.allowed, d.remaining, d.reset), (true, 0, 1_060));
    }
}
