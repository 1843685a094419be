//! The test kit every surface's tests share. `spawn_app()` starts the real
//! application (every surface, as `ferrobooks serve` mounts them) on a
//! random port over a fresh database (a temporary SQLite file, or a new
//! PostgreSQL database when `FERROBOOKS_TEST_POSTGRES_URL` is set), with an
//! organization and a key; [`backend_test!`] runs a test once per backend,
//! for an organization of the country it names; [`factories`] make the
//! usual records through the native API and read postings back.

pub mod factories;
pub mod receiver;
pub mod upload;

use std::collections::HashMap;

use ferrobooks_service::Services;
use ferrobooks_service::orgs::NewOrganization;
use ferrobooks_store::Store;
use serde_json::Value;
use serde_json::value::RawValue;
use sqlx::Connection;
use tokio::sync::oneshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    /// The database URL, for a second server on the same database.
    pub db_url: String,
    pub key: String,
    pub org_id: ferrobooks_service::OrgId,
    pub tenant_id: String,
    pub client: reqwest::Client,
    pub services: Services,
    shutdown: Option<oneshot::Sender<()>>,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

/// A response: status, raw text and parsed JSON (Null when not JSON).
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub text: String,
    pub json: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Resp {
    /// The exact text of the JSON value at `pointer` (`/lines/0/debit`):
    /// amounts compared as written, never through a float.
    pub fn raw(&self, pointer: &str) -> String {
        raw_at(&self.text, pointer)
    }

    pub fn str(&self, pointer: &str) -> String {
        self.json
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no string at {pointer} in {}", self.text))
            .to_owned()
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Resp {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }
}

/// Walks raw JSON text by a JSON pointer, keeping number literals exact.
pub fn raw_at(text: &str, pointer: &str) -> String {
    let mut cur: Box<RawValue> = serde_json::from_str(text).expect("JSON body");
    for seg in pointer.split('/').skip(1) {
        cur = if let Ok(i) = seg.parse::<usize>() {
            let arr: Vec<Box<RawValue>> = serde_json::from_str(cur.get()).expect("array");
            arr.into_iter()
                .nth(i)
                .unwrap_or_else(|| panic!("no {pointer}"))
        } else {
            let mut map: HashMap<String, Box<RawValue>> =
                serde_json::from_str(cur.get()).expect("object");
            map.remove(seg)
                .unwrap_or_else(|| panic!("no {pointer} in {text}"))
        };
    }
    cur.get().to_owned()
}

fn postgres_url() -> Option<String> {
    std::env::var("FERROBOOKS_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// `url` with its database name replaced.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{db}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A fresh database URL for `backend`, or None when PostgreSQL is not
/// configured.
pub async fn fresh_database(
    backend: Backend,
) -> Option<(String, Option<tempfile::TempDir>, Option<(String, String)>)> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("tempdir");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            Some((url, Some(dir), None))
        }
        Backend::Postgres => {
            let admin = postgres_url()?;
            let name = format!("fb_test_{:016x}", rand::random::<u64>());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("FERROBOOKS_TEST_POSTGRES_URL is set but PostgreSQL cannot be reached");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            Some((with_database(&admin, &name), None, Some((admin, name))))
        }
    }
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, "US", "USD").await
}

pub async fn spawn_app_with(backend: Backend, country: &str, currency: &str) -> Option<TestApp> {
    spawn_app_opts(backend, country, currency, test_options()).await
}

pub async fn spawn_app_opts(
    backend: Backend,
    country: &str,
    currency: &str,
    options: ferrobooks_service::ServiceOptions,
) -> Option<TestApp> {
    spawn_app_full(backend, country, currency, options, true).await
}

/// A server that runs no background jobs (a node whose runner is gone).
pub async fn spawn_app_without_jobs(backend: Backend) -> Option<TestApp> {
    spawn_app_full(backend, "US", "USD", test_options(), false).await
}

async fn spawn_app_full(
    backend: Backend,
    country: &str,
    currency: &str,
    options: ferrobooks_service::ServiceOptions,
    run_jobs: bool,
) -> Option<TestApp> {
    let (url, dir, pg) = fresh_database(backend).await?;
    let store = Store::connect(&url).await.expect("connect store");
    let services = Services::with_options(store, options)
        .await
        .expect("services");
    let org = services
        .create_organization(
            None,
            NewOrganization {
                name: "Test Co".into(),
                base_currency: currency.into(),
                country: country.into(),
                state: None,
                tax_id: None,
                fiscal_year_start: None,
                timezone: None,
                date_format: None,
            },
        )
        .await
        .expect("create org");
    let tenant_id = ferrobooks_store::tenancy::get_organization(services.store.pool(), &org.id)
        .await
        .unwrap()
        .unwrap()
        .tenant_id;
    let key = services
        .create_key(&tenant_id, Some(&org.id), "test", Some("enterprise"), None)
        .await
        .expect("key")
        .raw;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let app = ferrobooks::app(services.clone(), ferrobooks_edge::HttpConfig::default());
    // Background jobs run as under `ferrobooks serve`, until the server stops.
    let runner = run_jobs.then(|| ferrobooks_service::jobs::Runner::start(services.clone()));
    tokio::spawn(ferrobooks_edge::serve(listener, app, async move {
        let _ = rx.await;
        if let Some(r) = runner {
            r.stop().await;
        }
    }));
    Some(TestApp {
        db_url: url,
        base: format!("http://{addr}"),
        key,
        org_id: org.id,
        tenant_id,
        client: reqwest::Client::new(),
        services,
        shutdown: Some(tx),
        _dir: dir,
        pg,
    })
}

/// Options of the servers tests start: webhooks may target this machine,
/// retry after a second, and sweep often.
pub fn test_options() -> ferrobooks_service::ServiceOptions {
    ferrobooks_service::ServiceOptions {
        webhooks: ferrobooks_service::webhooks::WebhookConfig {
            allow_private_targets: true,
            retry_schedule: vec![std::time::Duration::from_secs(1); 5],
            sweep_interval: std::time::Duration::from_millis(200),
            timeout: std::time::Duration::from_secs(2),
            worker: true,
            retention: std::time::Duration::from_secs(30 * 86_400),
        },
        // Tests run the due-date job themselves, as of the day they choose.
        due_date_interval: Some(std::time::Duration::from_secs(100 * 365 * 86_400)),
        // Tests poll imports every 50 ms: the importer's own 60 a minute
        // is tested where it is the subject.
        rate_limits: ferrobooks_service::ratelimit::Plans::parse("importer=100000/1m~")
            .expect("plans"),
        ..Default::default()
    }
}

/// Starts another server over `db_url` (a second node); returns its base URL
/// and the sender that stops it.
pub async fn second_node(
    db_url: &str,
    options: ferrobooks_service::ServiceOptions,
) -> (String, oneshot::Sender<()>, Services) {
    let store = Store::connect(db_url).await.expect("connect store");
    let services = Services::with_options(store, options)
        .await
        .expect("services");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let app = ferrobooks::app(services.clone(), ferrobooks_edge::HttpConfig::default());
    // Background jobs run as under `ferrobooks serve`, until the server stops.
    let runner = ferrobooks_service::jobs::Runner::start(services.clone());
    tokio::spawn(ferrobooks_edge::serve(listener, app, async move {
        let _ = rx.await;
        runner.stop().await;
    }));
    (format!("http://{addr}"), tx, services)
}

/// Services for a job run beside `app`'s: a second node's over the same
/// database (PostgreSQL serves several), or `app`'s own (SQLite serves
/// one node; two runs then share the process).
pub async fn job_node(app: &TestApp, second_node: bool) -> Services {
    if second_node {
        let store = Store::connect(&app.db_url).await.expect("connect store");
        Services::new(store).await.expect("services")
    } else {
        app.services.clone()
    }
}

pub fn redis_url() -> Option<String> {
    std::env::var("FERROBOOKS_TEST_REDIS_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some((admin, name)) = self.pg.take() {
            // Drop the database from a thread of its own: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut c)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

impl TestApp {
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        key: Option<&str>,
    ) -> Resp {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(k) = key.or(Some(&self.key)).filter(|k| !k.is_empty()) {
            req = req.bearer_auth(k);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        into_resp(req.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(reqwest::Method::GET, path, None, None).await
    }

    /// A GET with an `Accept` header (CSV reports, 406).
    pub async fn get_accepting(&self, path: &str, accept: &str) -> Resp {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.key)
            .header("accept", accept)
            .send()
            .await
            .expect("request");
        into_resp(r).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(reqwest::Method::POST, path, Some(body), None)
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(reqwest::Method::PUT, path, Some(body), None)
            .await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(reqwest::Method::DELETE, path, None, None).await
    }

    /// The id of the account with `code` in the test organization.
    pub async fn account(&self, code: &str) -> String {
        let r = self
            .get(&format!("/api/v1/accounts?search={code}&limit=100"))
            .await
            .expect(200);
        r.json["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == code)
            .unwrap_or_else(|| panic!("no account {code}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Rows in a table for the test organization: to prove nothing was written.
    pub async fn count(&self, table: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM {table} WHERE organization_id = $1"
        ))
        .bind(&self.org_id)
        .fetch_one(self.services.store.pool())
        .await
        .unwrap();
        n
    }
}

pub async fn into_resp(r: reqwest::Response) -> Resp {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        text,
        json,
        headers,
    }
}

/// Declares a test that runs once per backend: `name::sqlite` and
/// `name::postgres` (the latter is reported as ignored when
/// `FERROBOOKS_TEST_POSTGRES_URL` is not set; CI sets it). The
/// organization is American (USD) unless the test names a country and its
/// currency:
///
/// ```ignore
/// backend_test! {
///     #[country("IN", "INR")]
///     async fn gst_splits(app: TestApp) { ... }
/// }
/// ```
#[macro_export]
macro_rules! backend_test {
    (async fn $name:ident($app:ident: TestApp) $body:block) => {
        $crate::backend_test! {
            #[country("US", "USD")]
            async fn $name($app: TestApp) $body
        }
    };
    (#[country($country:literal, $currency:literal)]
     async fn $name:ident($app:ident: TestApp) $body:block) => {
        mod $name {
            #[allow(unused_imports, reason = "not every test uses every import")]
            use super::*;
            use $crate::{Backend, TestApp, spawn_app_with};

            async fn run($app: TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run(spawn_app_with(Backend::Sqlite, $country, $currency)
                    .await
                    .expect("sqlite app"))
                .await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(postgres_tests), ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set")]
            async fn postgres() {
                run(spawn_app_with(Backend::Postgres, $country, $currency)
                    .await
                    .expect("FERROBOOKS_TEST_POSTGRES_URL is not set"))
                .await
            }
        }
    };
}
