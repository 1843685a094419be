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
    /// Largest `multipart/form-data` body (a statement file) in bytes.
    pub upload_limit: usize,
    /// Redis for rate-limit counters shared by several nodes.
    pub redis_url: Option<String>,
    /// Rate-limit plans, `tier=limit/window[,limit/window];...`
    /// (default `starter=100/15m;professional=500/15m;enterprise=2000/15m;importer=60/1m~`; `~` slides).
    pub rate_limits: Option<String>,
    /// How often the due-date job runs (default `15m`).
    pub due_date_interval: Option<String>,
    /// Webhook delivery.
    pub webhooks: WebhookSettings,
}

/// The `[webhooks]` table; each also has a `FERROBOOKS_WEBHOOKS_*`
/// variable, which wins.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhookSettings {
    pub allow_private_targets: Option<bool>,
    pub retry_schedule: Option<String>,
    pub sweep_interval: Option<String>,
    pub timeout: Option<String>,
    pub retention: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://ferrobooks.db".into(),
            listen: "127.0.0.1:8080".into(),
            log_format: "text".into(),
            body_limit: 1024 * 1024,
            upload_limit: 52 * 1024 * 1024,
            redis_url: None,
            rate_limits: None,
            due_date_interval: None,
            webhooks: WebhookSettings::default(),
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
        if let Ok(v) = std::env::var("FERROBOOKS_UPLOAD_LIMIT") {
            c.upload_limit = v
                .parse()
                .context("FERROBOOKS_UPLOAD_LIMIT must be a byte count")?;
        }
        if let Ok(v) = std::env::var("FERROBOOKS_REDIS_URL") {
            c.redis_url = Some(v).filter(|v| !v.is_empty());
        }
        if let Ok(v) = std::env::var("FERROBOOKS_RATE_LIMITS") {
            c.rate_limits = Some(v);
        }
        if let Ok(v) = std::env::var("FERROBOOKS_DUE_DATE_INTERVAL") {
            c.due_date_interval = Some(v);
        }
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let w = &mut c.webhooks;
        if let Some(v) = var("FERROBOOKS_WEBHOOKS_ALLOW_PRIVATE_TARGETS") {
            w.allow_private_targets = Some(match v.trim() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                other => anyhow::bail!(
                    "FERROBOOKS_WEBHOOKS_ALLOW_PRIVATE_TARGETS: '{other}' is not true or false"
                ),
            });
        }
        for (name, slot) in [
            ("FERROBOOKS_WEBHOOKS_RETRY_SCHEDULE", &mut w.retry_schedule),
            ("FERROBOOKS_WEBHOOKS_SWEEP_INTERVAL", &mut w.sweep_interval),
            ("FERROBOOKS_WEBHOOKS_TIMEOUT", &mut w.timeout),
            ("FERROBOOKS_WEBHOOKS_RETENTION", &mut w.retention),
        ] {
            if let Some(v) = var(name) {
                *slot = Some(v);
            }
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
            webhooks: self.webhook_config()?,
            due_date_interval: match &self.due_date_interval {
                Some(v) => Some(
                    ferrobooks_service::webhooks::parse_duration(v)
                        .and_then(|d| {
                            if d.is_zero() {
                                Err("must be longer than zero".to_owned())
                            } else {
                                Ok(d)
                            }
                        })
                        .map_err(|e| {
                            anyhow::anyhow!("due_date_interval (FERROBOOKS_DUE_DATE_INTERVAL): {e}")
                        })?,
                ),
                None => None,
            },
        })
    }

    /// Webhook delivery settings from the `[webhooks]` table and
    /// `FERROBOOKS_WEBHOOKS_*`.
    fn webhook_config(&self) -> anyhow::Result<ferrobooks_service::webhooks::WebhookConfig> {
        use ferrobooks_service::webhooks::{WebhookConfig, parse_duration, parse_schedule};
        let mut c = WebhookConfig::default();
        let w = &self.webhooks;
        if let Some(v) = w.allow_private_targets {
            c.allow_private_targets = v;
        }
        if let Some(v) = &w.retry_schedule {
            c.retry_schedule =
                parse_schedule(v).map_err(|e| anyhow::anyhow!("webhooks.retry_schedule: {e}"))?;
        }
        let duration = |name: &str, v: &Option<String>, into: &mut std::time::Duration| {
            if let Some(v) = v {
                *into = parse_duration(v).map_err(|e| anyhow::anyhow!("webhooks.{name}: {e}"))?;
            }
            anyhow::Ok(())
        };
        duration("sweep_interval", &w.sweep_interval, &mut c.sweep_interval)?;
        duration("retention", &w.retention, &mut c.retention)?;
        duration("timeout", &w.timeout, &mut c.timeout)?;
        Ok(c)
    }

    pub fn http(&self) -> ferrobooks_edge::HttpConfig {
        ferrobooks_edge::HttpConfig {
            body_limit: self.body_limit,
            upload_limit: self.upload_limit,
        }
    }
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
