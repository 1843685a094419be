//! Typed configuration: defaults, then `ferrobooks.toml` (or `--config`),
//! then `FERROBOOKS_*` environment variables and flags. Secrets (database
//! passwords) never reach logs: URLs are redacted wherever they are shown.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub database_url: String,
    pub listen: String,
    /// `text` or `json`.
    pub log_format: String,
    /// Largest request body in bytes.
    pub body_limit: usize,
    /// Redis for rate-limit counters shared by several nodes.
    pub redis_url: Option<String>,
    /// Rate-limit plans, `tier=limit/window[,limit/window];...`
    /// (default `starter=100/15m;professional=500/15m;enterprise=2000/15m`).
    pub rate_limits: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://ferrobooks.db".into(),
            listen: "127.0.0.1:8080".into(),
            log_format: "text".into(),
            body_limit: 1024 * 1024,
            redis_url: None,
            rate_limits: None,
        }
    }
}

impl Config {
    pub fn load(file: Option<&Path>, database_url: Option<String>) -> anyhow::Result<Config> {
        let mut c = match file {
            Some(p) => read(p)?,
            None if Path::new("ferrobooks.toml").exists() => read(Path::new("ferrobooks.toml"))?,
            None => Config::default(),
        };
        if let Ok(v) = std::env::var("FERROBOOKS_LOG_FORMAT") {
            c.log_format = v;
        }
        if let Ok(v) = std::env::var("FERROBOOKS_BODY_LIMIT") {
            c.body_limit = v
                .parse()
                .context("FERROBOOKS_BODY_LIMIT must be a byte count")?;
        }
        if let Ok(v) = std::env::var("FERROBOOKS_REDIS_URL") {
            c.redis_url = Some(v).filter(|v| !v.is_empty());
        }
        if let Ok(v) = std::env::var("FERROBOOKS_RATE_LIMITS") {
            c.rate_limits = Some(v);
        }
        if let Some(u) = database_url {
            c.database_url = u;
        }
        if !matches!(c.log_format.as_str(), "text" | "json") {
            anyhow::bail!("log_format must be text or json");
        }
        Ok(c)
    }

    pub fn services(&self) -> anyhow::Result<ferrobooks_service::ServiceOptions> {
        let rate_limits = match &self.rate_limits {
            Some(text) => ferrobooks_service::ratelimit::Plans::parse(text)
                .map_err(|e| anyhow::anyhow!("rate_limits: {e}"))?,
            None => Default::default(),
        };
        Ok(ferrobooks_service::ServiceOptions {
            rate_limits,
            redis_url: self.redis_url.clone(),
            webhooks: webhook_config()?,
            due_date_interval: match std::env::var("FERROBOOKS_DUE_DATE_INTERVAL") {
                Ok(v) => Some(
                    ferrobooks_service::webhooks::parse_duration(&v)
                        .and_then(|d| {
                            if d.is_zero() {
                                Err("must be longer than zero".to_owned())
                            } else {
                                Ok(d)
                            }
                        })
                        .map_err(|e| anyhow::anyhow!("FERROBOOKS_DUE_DATE_INTERVAL: {e}"))?,
                ),
                Err(_) => None,
            },
        })
    }

    pub fn http(&self) -> ferrobooks_http::HttpConfig {
        ferrobooks_http::HttpConfig {
            body_limit: self.body_limit,
        }
    }
}

/// Webhook delivery settings from `FERROBOOKS_WEBHOOKS_*`.
fn webhook_config() -> anyhow::Result<ferrobooks_service::webhooks::WebhookConfig> {
    use ferrobooks_service::webhooks::{WebhookConfig, parse_duration, parse_schedule};
    let mut c = WebhookConfig::default();
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(v) = var("FERROBOOKS_WEBHOOKS_ALLOW_PRIVATE_TARGETS") {
        c.allow_private_targets = match v.trim() {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            other => anyhow::bail!(
                "FERROBOOKS_WEBHOOKS_ALLOW_PRIVATE_TARGETS: '{other}' is not true or false"
            ),
        };
    }
    if let Some(v) = var("FERROBOOKS_WEBHOOKS_RETRY_SCHEDULE") {
        c.retry_schedule = parse_schedule(&v)
            .map_err(|e| anyhow::anyhow!("FERROBOOKS_WEBHOOKS_RETRY_SCHEDULE: {e}"))?;
    }
    if let Some(v) = var("FERROBOOKS_WEBHOOKS_SWEEP_INTERVAL") {
        c.sweep_interval = parse_duration(&v)
            .map_err(|e| anyhow::anyhow!("FERROBOOKS_WEBHOOKS_SWEEP_INTERVAL: {e}"))?;
    }
    if let Some(v) = var("FERROBOOKS_WEBHOOKS_RETENTION") {
        c.retention = parse_duration(&v)
            .map_err(|e| anyhow::anyhow!("FERROBOOKS_WEBHOOKS_RETENTION: {e}"))?;
    }
    if let Some(v) = var("FERROBOOKS_WEBHOOKS_TIMEOUT") {
        c.timeout =
            parse_duration(&v).map_err(|e| anyhow::anyhow!("FERROBOOKS_WEBHOOKS_TIMEOUT: {e}"))?;
    }
    Ok(c)
}

fn read(p: &Path) -> anyhow::Result<Config> {
    let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", p.display()))
}

/// Logs go to stderr (stdout carries the keys and ids commands print);
/// `RUST_LOG` filters them.
pub fn init_tracing(c: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if c.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}
