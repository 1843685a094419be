//! The scenarios and their report.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use ferrobooks_domain::EntryLine;
use ferrobooks_service::Services;
use ferrobooks_store::Store;
use ferrobooks_store::journal::{EntryRow, NewEntry, NewEvent, status};
use hyper::Method;
use hyper::body::Bytes;
use sqlx::Connection;

use crate::Options;
use crate::client::{Stats, drive, http_client, request, request_with};

/// A fresh store for one run, removed when dropped.
struct Fresh {
    url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Fresh {
    async fn new(o: &Options) -> anyhow::Result<Fresh> {
        if o.backend == "sqlite" {
            let dir = tempfile::tempdir()?;
            let url = format!("sqlite://{}", dir.path().join("bench.db").display());
            return Ok(Fresh {
                url,
                _dir: Some(dir),
                pg: None,
            });
        }
        let name = format!("fb_bench_{:016x}", rand::random::<u64>());
        let mut c = sqlx::PgConnection::connect(&o.postgres_url).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut c)
            .await?;
        let base = o
            .postgres_url
            .rsplit_once('/')
            .map_or(o.postgres_url.as_str(), |(b, _)| b);
        Ok(Fresh {
            url: format!("{base}/{name}"),
            _dir: None,
            pg: Some((o.postgres_url.clone(), name)),
        })
    }

    /// Drops the database, unless `FERROBOOKS_BENCH_KEEP_DB` is set (to
    /// look at its query plans afterwards).
    async fn cleanup(self) {
        if std::env::var("FERROBOOKS_BENCH_KEEP_DB").is_ok() {
            match (&self.pg, self._dir) {
                (Some((_, name)), _) => eprintln!("kept database {name}"),
                (None, Some(dir)) => eprintln!("kept database {}", dir.keep().display()),
                (None, None) => {}
            }
            return;
        }
        if let Some((admin, name)) = &self.pg
            && let Ok(mut c) = sqlx::PgConnection::connect(admin).await
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut c)
                .await;
        }
    }
}

/// The app over a fresh store with one organization and key.
pub(crate) struct App {
    pub(crate) services: Services,
    pub(crate) org_id: ferrobooks_store::OrgId,
    pub(crate) key: String,
    pub(crate) base: String,
    accounts: [String; 3],
    fresh: Fresh,
    shutdown: tokio::sync::oneshot::Sender<()>,
    /// Background jobs run as under `ferrobooks serve`.
    runner: ferrobooks_service::jobs::Runner,
}

pub(crate) async fn start_app(o: &Options, serve_http: bool) -> anyhow::Result<App> {
    start_app_as(
        o,
        serve_http,
        serde_json::json!({"name": "Bench Co", "base_currency": "USD", "country": "US"}),
        "2230",
    )
    .await
}

/// A fresh server for the organization `org` (its creation body); `tax`
/// is the code of the tax liability account the journal scenarios post to.
pub(crate) async fn start_app_as(
    o: &Options,
    serve_http: bool,
    org: serde_json::Value,
    tax: &str,
) -> anyhow::Result<App> {
    let fresh = Fresh::new(o).await?;
    let store = Store::connect(&fresh.url).await?;
    // The benchmark's key must not run out of its plan: the limiter still
    // counts every request, so its cost is measured.
    let options = ferrobooks_service::ServiceOptions {
        rate_limits: if o.no_rate_limit {
            let mut plans = ferrobooks_service::ratelimit::Plans::default();
            plans.0.insert("enterprise".into(), Vec::new());
            plans.0.insert("professional".into(), Vec::new());
            plans.0.insert(
                ferrobooks_service::ratelimit::IMPORTER_PLAN.into(),
                Vec::new(),
            );
            plans
        } else {
            ferrobooks_service::ratelimit::Plans::parse(
                "enterprise=1000000000/15m;professional=1000000000/15m;importer=1000000000/1m~",
            )
            .map_err(|e| anyhow::anyhow!(e))?
        },
        redis_url: o.redis_url.clone(),
        due_date_interval: None,
        webhooks: ferrobooks_service::webhooks::WebhookConfig {
            // The receiver of the webhooks scenario is on this machine.
            allow_private_targets: true,
            ..Default::default()
        },
    };
    let services = Services::with_options(store, options)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let org = services
        .create_organization(None, serde_json::from_value(org)?)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let tenant = ferrobooks_store::tenancy::get_organization(services.store.pool(), &org.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("org vanished"))?
        .tenant_id;
    let key = services
        .create_key(&tenant, Some(&org.id), "bench", Some("enterprise"), None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .raw;
    let mut ids = Vec::new();
    for code in ["1200", "4000", tax] {
        let (id,): (String,) =
            sqlx::query_as("SELECT id FROM accounts WHERE organization_id = $1 AND code = $2")
                .bind(&org.id)
                .bind(code)
                .fetch_one(services.store.pool())
                .await?;
        ids.push(id);
    }
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let mut base = String::new();
    if serve_http {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        base = format!("http://{}", listener.local_addr()?);
        let app = ferrobooks::app(services.clone(), ferrobooks_edge::HttpConfig::default());
        tokio::spawn(ferrobooks_edge::serve(listener, app, async move {
            let _ = rx.await;
        }));
    }
    let runner = ferrobooks_service::jobs::Runner::start(services.clone());
    Ok(App {
        runner,
        services,
        org_id: org.id,
        key,
        base,
        accounts: [ids[0].clone(), ids[1].clone(), ids[2].clone()],
        fresh,
        shutdown: tx,
    })
}

impl App {
    pub(crate) async fn stop(self) {
        let _ = self.shutdown.send(());
        self.runner.stop().await;
        self.services.store.close().await;
        self.fresh.cleanup().await;
    }
}

async fn raw_http(o: &Options) -> anyhow::Result<Stats> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let uri = format!("http://{}/", listener.local_addr()?);
    let app = Router::new().route("/", get(|| async { "ok" }));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
    });
    let client = http_client();
    let stats = drive(o.clients, o.duration, move |_, _| {
        let (client, uri) = (client.clone(), uri.clone());
        async move { request(&client, Method::GET, &uri, None, None, 200).await }
    })
    .await;
    let _ = tx.send(());
    Ok(stats)
}

async fn healthz(o: &Options) -> anyhow::Result<Stats> {
    let app = start_app(o, true).await?;
    let uri = format!("{}/healthz", app.base);
    let client = http_client();
    let stats = drive(o.clients, o.duration, move |_, _| {
        let (client, uri) = (client.clone(), uri.clone());
        async move { request(&client, Method::GET, &uri, None, None, 200).await }
    })
    .await;
    app.stop().await;
    Ok(stats)
}

/// The three lines every benchmark entry posts: 100.00 = 90.00 + 10.00.
fn lines(accounts: &[String; 3]) -> Vec<EntryLine> {
    let l = |a: &String, d, c| EntryLine {
        account_id: a.clone(),
        debit: d,
        credit: c,
        description: None,
        contact_id: None,
        foreign: None,
    };
    vec![
        l(&accounts[0], 10_000, 0),
        l(&accounts[1], 0, 9_000),
        l(&accounts[2], 0, 1_000),
    ]
}

async fn raw_store(o: &Options) -> anyhow::Result<Stats> {
    let app = start_app(o, false).await?;
    let queue = app.services.queue.clone();
    let org = app.org_id.clone();
    let lines = Arc::new(lines(&app.accounts));
    let render: ferrobooks_store::journal::RenderPayload =
        Arc::new(|r: &EntryRow| format!("{{\"id\":\"{}\",\"number\":{:?}}}", r.id, r.number));
    let stats = drive(o.clients, o.duration, move |_, _| {
        let (queue, org, lines, render) =
            (queue.clone(), org.clone(), lines.clone(), render.clone());
        async move {
            let at = ferrobooks_store::now();
            let row = EntryRow {
                id: ferrobooks_store::new_id("je"),
                organization_id: org,
                number: None,
                date: "2026-06-01".into(),
                memo: Some("bench".into()),
                reference: None,
                status: status::POSTED.into(),
                currency: "USD".into(),
                total: 10_000,
                reversal_of: None,
                reversed_by: None,
                created_at: at.clone(),
                updated_at: at.clone(),
                posted_at: Some(at),
                voided_at: None,
                source: None,
            };
            let events = vec![
                NewEvent {
                    event_type: "journal_entry.created",
                    render: render.clone(),
                },
                NewEvent {
                    event_type: "journal_entry.posted",
                    render,
                },
            ];
            queue
                .submit(NewEntry {
                    row,
                    lines: (*lines).clone(),
                    events,
                    idempotent: None,
                })
                .await
                .is_ok()
        }
    })
    .await;
    app.stop().await;
    Ok(stats)
}

async fn journal_entries(o: &Options) -> anyhow::Result<Stats> {
    post_entries(o, false).await
}

/// The same posts, each with a fresh Idempotency-Key.
async fn idempotent_entries(o: &Options) -> anyhow::Result<Stats> {
    post_entries(o, true).await
}

async fn post_entries(o: &Options, idempotent: bool) -> anyhow::Result<Stats> {
    let app = start_app(o, true).await?;
    let stats = post_on(&app, o, idempotent).await;
    check_books(&app).await?;
    app.stop().await;
    Ok(stats)
}

/// Checks the books after a run: everything posted balanced.
pub(crate) async fn check_books(app: &App) -> anyhow::Result<()> {
    let tb: (i64, i64) = sqlx::query_as(
        "SELECT CAST(SUM(debit) AS BIGINT), CAST(SUM(credit) AS BIGINT) FROM account_balances \
         WHERE organization_id = $1",
    )
    .bind(&app.org_id)
    .fetch_one(app.services.store.pool())
    .await?;
    anyhow::ensure!(tb.0 == tb.1, "trial balance must net to zero");
    Ok(())
}

async fn journal_entries_on(app: &App, o: &Options) -> Stats {
    post_on(app, o, false).await
}

/// Posts 3-line entries over HTTP to `app` for the run's duration.
async fn post_on(app: &App, o: &Options, idempotent: bool) -> Stats {
    let uri = format!("{}/api/v1/journal_entries", app.base);
    let body = Bytes::from(
        serde_json::json!({
            "date": "2026-06-01", "memo": "bench", "post": true,
            "lines": [
                {"account_id": app.accounts[0], "debit": "100.00"},
                {"account_id": app.accounts[1], "credit": "90.00"},
                {"account_id": app.accounts[2], "credit": "10.00"}
            ]
        })
        .to_string(),
    );
    let key = app.key.clone();
    let client = http_client();
    drive(o.clients, o.duration, move |c, seq| {
        let (client, uri, key, body) = (client.clone(), uri.clone(), key.clone(), body.clone());
        let header = idempotent.then(|| ("idempotency-key", format!("bench-{c}-{seq}")));
        async move {
            request_with(
                &client,
                Method::POST,
                &uri,
                Some(&key),
                Some(body),
                201,
                header,
            )
            .await
        }
    })
    .await
}

/// Entries posted over HTTP (two events each) delivered to a receiver in
/// this process; throughput is deliveries per second, latency is from the
/// event's commit timestamp to its arrival.
async fn webhooks(o: &Options) -> anyhow::Result<Stats> {
    use std::sync::Mutex;
    let app = start_app(o, true).await?;
    let latencies: Arc<Mutex<Vec<u64>>> = Arc::default();
    let l = latencies.clone();
    let receiver = Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let l = l.clone();
            async move {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                if let Some(ts) = v["timestamp"].as_str()
                    && let Ok(t) = chrono::DateTime::parse_from_rfc3339(ts)
                {
                    let micros = (chrono::Utc::now() - t.with_timezone(&chrono::Utc))
                        .num_microseconds()
                        .unwrap_or(0);
                    l.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(micros.max(0) as u64);
                }
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hook = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, receiver).await });
    let client = http_client();
    let ok = request(
        &client,
        Method::POST,
        &format!("{}/api/v1/webhooks", app.base),
        Some(&app.key),
        Some(Bytes::from(
            serde_json::json!({"url": hook, "events": ["journal_entry.created", "journal_entry.posted"]})
                .to_string(),
        )),
        201,
    )
    .await;
    anyhow::ensure!(ok, "registering the webhook failed");
    let started = std::time::Instant::now();
    let load = journal_entries_on(&app, o).await;
    let expected = load.count * 2;
    // Wait for the tail to arrive (bounded).
    for _ in 0..600 {
        if latencies.lock().unwrap_or_else(|p| p.into_inner()).len() >= expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut all = latencies.lock().unwrap_or_else(|p| p.into_inner()).clone();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    let stats = Stats {
        per_sec: all.len() as f64 / elapsed,
        p50_us: pct(0.50),
        p99_us: pct(0.99),
        count: all.len(),
        errors: expected.saturating_sub(all.len()),
    };
    app.stop().await;
    Ok(stats)
}

async fn one(name: &str, o: &Options) -> anyhow::Result<Stats> {
    match name {
        "raw_http" => raw_http(o).await,
        "healthz" => healthz(o).await,
        "raw_store" => raw_store(o).await,
        "journal_entries" => journal_entries(o).await,
        "idempotent_entries" => idempotent_entries(o).await,
        "webhooks" => webhooks(o).await,
        "invoices" => crate::documents::documents(o, crate::documents::Side::Invoices).await,
        "bills" => crate::documents::documents(o, crate::documents::Side::Bills).await,
        "statement_import" => crate::banking::statement_import(o).await,
        "auto_match" => crate::auto_match::auto_match(o).await,
        "reconcile" => crate::reconcile::reconcile(o).await,
        "depreciation_run" => crate::depreciation::depreciation_run(o).await,
        "payroll_run" => crate::payroll::payroll_run(o).await,
        "key_reads" => crate::people::credentials(o, "key").await,
        "pat_reads" => crate::people::credentials(o, "pat").await,
        "oauth_reads" => crate::people::credentials(o, "oauth").await,
        "sign_in" => crate::people::sign_in(o).await,
        _ => crate::usage(),
    }
}

/// Runs a scenario `o.runs` times and returns the run with the median
/// throughput.
async fn median(name: &str, o: &Options) -> anyhow::Result<Stats> {
    let mut runs = Vec::new();
    for i in 0..o.runs {
        let s = one(name, o).await?;
        println!(
            "  {name:<16} run {}: {:>10.0}/s  p50 {:>6} us  p99 {:>6} us  ({} ok, {} errors)",
            i + 1,
            s.per_sec,
            s.p50_us,
            s.p99_us,
            s.count - s.errors,
            s.errors
        );
        if s.errors > 0 {
            anyhow::bail!(
                "{name}: {} of {} requests failed; a run with errors measures nothing \
                 (FERROBOOKS_BENCH_DEBUG=1 prints them)",
                s.errors,
                s.count
            );
        }
        runs.push(s);
    }
    runs.sort_by(|a, b| a.per_sec.total_cmp(&b.per_sec));
    let m = runs[runs.len() / 2];
    println!(
        "{name:<18} median {:>10.0}/s  p50 {:>6} us  p99 {:>6} us",
        m.per_sec, m.p50_us, m.p99_us
    );
    Ok(m)
}

pub async fn run(scenario: &str, o: &Options) -> anyhow::Result<()> {
    println!(
        "ferrobooks-bench: backend {}, {} clients, {:?} per run, {} runs",
        o.backend, o.clients, o.duration, o.runs
    );
    if scenario == "invoices" || scenario == "bills" {
        // Their ratios need the other two measured in this process.
        let health = median("healthz", o).await?;
        let je = median("journal_entries", o).await?;
        let inv = median("invoices", o).await?;
        let bills = median("bills", o).await?;
        println!();
        crate::documents::report(crate::documents::Side::Invoices, &inv, &health, &je);
        crate::documents::report(crate::documents::Side::Bills, &bills, &health, &je);
        return Ok(());
    }
    if scenario == "statement_import" {
        let s = median(scenario, o).await?;
        println!(
            "statement_import            = {:.0} lines/s new (10,000 lines in {} ms), again as duplicates in {} ms",
            s.per_sec,
            s.p50_us / 1000,
            s.p99_us / 1000
        );
        return Ok(());
    }
    if scenario == "reports" {
        return crate::reports::reports(o).await;
    }
    if scenario == "depreciation_run" {
        let je = median("journal_entries", o).await?;
        let s = median(scenario, o).await?;
        println!(
            "depreciation_run            = {:.0} assets/s ({} assets, one entry each, in {} ms); {:.2}x journal_entries over HTTP ({:.0}/s)",
            s.per_sec,
            crate::depreciation::ASSETS,
            s.p50_us / 1000,
            s.per_sec / je.per_sec,
            je.per_sec
        );
        return Ok(());
    }
    if scenario == "payroll_run" {
        let s = median(scenario, o).await?;
        println!(
            "payroll_run                 = {:.0} employees/s ({} employees: run made in {} ms, approved in {} ms)",
            s.per_sec,
            crate::payroll::EMPLOYEES,
            s.p50_us / 1000,
            s.p99_us / 1000
        );
        return Ok(());
    }
    if scenario == "credentials" {
        let key = median("key_reads", o).await?;
        let pat = median("pat_reads", o).await?;
        let oat = median("oauth_reads", o).await?;
        let sign = median("sign_in", o).await?;
        println!();
        println!(
            "pat_reads / key_reads       = {:.2}  ({:.0}/s vs {:.0}/s; p50 {} us vs {} us)",
            pat.per_sec / key.per_sec,
            pat.per_sec,
            key.per_sec,
            pat.p50_us,
            key.p50_us
        );
        println!(
            "oauth_reads / key_reads     = {:.2}  ({:.0}/s)",
            oat.per_sec / key.per_sec,
            oat.per_sec
        );
        println!(
            "sign_in (argon2id)          = p50 {} ms, max {} ms, one at a time",
            sign.p50_us / 1000,
            sign.p99_us / 1000
        );
        return Ok(());
    }
    if scenario == "import" {
        let mut runs = Vec::new();
        for _ in 0..o.runs {
            runs.push(crate::import::import(o).await?);
        }
        runs.sort_by(f64::total_cmp);
        println!(
            "import                      = {:.0} rows/s median of {} runs (100,000 rows, 50,000 invoices)",
            runs[runs.len() / 2],
            runs.len()
        );
        return Ok(());
    }
    if scenario == "auto_match" || scenario == "reconcile" {
        // Their books take long to load: one run, whatever --runs says.
        println!("{scenario}: one run (its setup dominates its cost; --runs is not used)");
        let s = one(scenario, o).await?;
        if scenario == "auto_match" {
            println!(
                "auto_match                  = {:.1} suggestions/s, p50 {} us, p99 {} us ({} lines asked, {} clients)",
                s.per_sec, s.p50_us, s.p99_us, s.count, o.clients
            );
        } else {
            println!(
                "reconcile                   = {:.1} s for start + clear_all + finish of 100,000 lines (clear_all {:.1} s; target < 10 s)",
                s.p99_us as f64 / 1e6,
                s.p50_us as f64 / 1e6
            );
        }
        return Ok(());
    }
    if scenario != "all" {
        median(scenario, o).await?;
        return Ok(());
    }
    let raw = median("raw_http", o).await?;
    let health = median("healthz", o).await?;
    let store = median("raw_store", o).await?;
    let je = median("journal_entries", o).await?;
    let idem = median("idempotent_entries", o).await?;
    let hooks = median("webhooks", o).await?;
    let inv = median("invoices", o).await?;
    let bills = median("bills", o).await?;
    println!();
    println!(
        "healthz / raw_http          = {:.2}  (target >= 0.70)",
        health.per_sec / raw.per_sec
    );
    println!(
        "journal_entries / raw_store = {:.2}  (target >= 0.50)",
        je.per_sec / store.per_sec
    );
    println!(
        "idempotent / plain POST     = {:.2}  (p50 {} us vs {} us)",
        idem.per_sec / je.per_sec,
        idem.p50_us,
        je.p50_us
    );
    println!("journal_entries             = {:.0} entries/s", je.per_sec);
    println!(
        "webhook deliveries          = {:.0}/s, event to delivery p50 {} us, p99 {} us",
        hooks.per_sec, hooks.p50_us, hooks.p99_us
    );
    crate::documents::report(crate::documents::Side::Invoices, &inv, &health, &je);
    crate::documents::report(crate::documents::Side::Bills, &bills, &health, &je);
    Ok(())
}
