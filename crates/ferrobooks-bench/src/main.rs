#![forbid(unsafe_code)]
#![expect(
    clippy::float_arithmetic,
    reason = "throughput and latency statistics, never money"
)]
//! The benchmark program. It starts the real server on a fresh store (a
//! temporary SQLite file, or a new PostgreSQL database), drives it over
//! HTTP with C concurrent clients, and prints throughput and p50/p99
//! latency, plus ratios against the ceilings measured in the same process:
//! a bare axum handler (`raw_http`) and the store written without HTTP
//! (`raw_store`). Each scenario runs several times; medians are reported.
//! `invoices` and `bills` (create + approve over HTTP) are also compared
//! with `healthz` and `journal_entries`; run alone, either measures those
//! two and both document scenarios.
//!
//! `statement_import` uploads a 10,000-line CSV statement twice (all new,
//! then all duplicates).
//!
//! `auto_match` (a month of 10,000 payments and its noisy statement: how
//! often `/suggestions` puts the right payment first) and `reconcile`
//! (100,000 lines reconciled over HTTP) load large books first, so they
//! run once whatever `--runs` says, and only when named (not in `all`).
//!
//! `import` runs a 100,000-row invoice CSV through the importer (rows/s,
//! peak RSS; `hledger import` and `ledger convert` of it for reference);
//! only when named.
//!
//! `reports` builds ledgers of 10^4, 10^5 and 10^6 transactions and times
//! the reports on each (and ledger-cli and hledger on the largest); only
//! when named.
//!
//! `depreciation_run` (10,000 assets depreciated for a month as one run of
//! the job, against `journal_entries` over HTTP) and `payroll_run` (a run
//! of 1,000 employees made and approved) time the use cases in the
//! process; only when named.
//!
//! `credentials` reads with an API key, a personal access token and an
//! OAuth access token (ratios against the key), and times console
//! sign-ins (argon2id); only when named.
//!
//! `cargo run --release -p ferrobooks-bench -- all --backend sqlite`

mod auto_match;
mod banking;
mod client;
mod depreciation;
mod documents;
mod import;
mod load;
mod payroll;
mod people;
mod reconcile;
mod reports;
mod scenarios;
mod statements;

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Options {
    pub backend: String,
    pub clients: usize,
    pub duration: Duration,
    pub runs: usize,
    pub postgres_url: String,
    /// Rate-limit counters in this Redis instead of memory or the database.
    pub redis_url: Option<String>,
    /// Count no requests at all (to measure what the limiter costs).
    pub no_rate_limit: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: ferrobooks-bench <raw_http|healthz|raw_store|journal_entries|idempotent_entries|webhooks|invoices|bills|statement_import|auto_match|reconcile|reports|import|depreciation_run|payroll_run|credentials|all> \
         [--backend sqlite|postgres] [--clients C] [--seconds S] [--runs R] [--postgres-url URL] [--redis-url URL] [--no-rate-limit]"
    );
    std::process::exit(2)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let scenario = args.next().unwrap_or_else(|| usage());
    let mut o = Options {
        backend: "sqlite".into(),
        clients: 8,
        duration: Duration::from_secs(5),
        runs: 3,
        postgres_url: std::env::var("FERROBOOKS_BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into()),
        redis_url: None,
        no_rate_limit: false,
    };
    while let Some(flag) = args.next() {
        if flag == "--no-rate-limit" {
            o.no_rate_limit = true;
            continue;
        }
        let value = args.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--backend" => o.backend = value,
            "--clients" => o.clients = value.parse()?,
            "--seconds" => o.duration = Duration::from_secs_f64(value.parse()?),
            "--runs" => o.runs = value.parse()?,
            "--postgres-url" => o.postgres_url = value,
            "--redis-url" => o.redis_url = Some(value),
            _ => usage(),
        }
    }
    if !matches!(o.backend.as_str(), "sqlite" | "postgres") {
        usage();
    }
    statements::install();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(scenarios::run(&scenario, &o))
}
