//! A closed-loop load generator: C tasks, each sending its next request as
//! soon as the last one answers, for a fixed time. Latencies are recorded
//! per request.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

pub type Http = Client<HttpConnector, Full<Bytes>>;

pub fn http_client() -> Http {
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(1024)
        .build_http()
}

/// Throughput and latency of one run.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub per_sec: f64,
    pub p50_us: u64,
    pub p99_us: u64,
    pub count: usize,
    pub errors: usize,
}

/// Runs `op` from `clients` tasks for `duration`; `op(client_index, seq)`
/// returns whether the operation succeeded.
pub async fn drive<F, Fut>(clients: usize, duration: Duration, op: F) -> Stats
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let op = Arc::new(op);
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (op, stop) = (op.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(100_000);
            let mut errors = 0usize;
            let mut seq = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                if !op(c, seq).await {
                    errors += 1;
                }
                lat.push(t.elapsed().as_micros() as u64);
                seq += 1;
            }
            (lat, errors)
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await.expect("client task");
        all.extend(lat);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| -> u64 {
        if all.is_empty() {
            0
        } else {
            all[((all.len() as f64 * p) as usize).min(all.len() - 1)]
        }
    };
    Stats {
        per_sec: all.len() as f64 / elapsed,
        p50_us: pct(0.50),
        p99_us: pct(0.99),
        count: all.len(),
        errors,
    }
}

/// Sends one request and reads the whole answer; true on the expected status.
pub async fn request(
    client: &Http,
    method: hyper::Method,
    uri: &str,
    key: Option<&str>,
    body: Option<Bytes>,
    expect: u16,
) -> bool {
    request_with(client, method, uri, key, body, expect, None).await
}

/// As [`request`], with one extra header.
pub async fn request_with(
    client: &Http,
    method: hyper::Method,
    uri: &str,
    key: Option<&str>,
    body: Option<Bytes>,
    expect: u16,
    header: Option<(&str, String)>,
) -> bool {
    request_body(client, method, uri, key, body, expect, header)
        .await
        .is_some()
}

/// As [`request_with`], returning the answer's body on the expected status
/// (for setup steps and operations that need the id of what they made).
pub async fn request_body(
    client: &Http,
    method: hyper::Method,
    uri: &str,
    key: Option<&str>,
    body: Option<Bytes>,
    expect: u16,
    header: Option<(&str, String)>,
) -> Option<Bytes> {
    let mut b = hyper::Request::builder().method(method).uri(uri);
    if let Some((name, value)) = header {
        b = b.header(name, value);
    }
    if let Some(k) = key {
        b = b.header("authorization", format!("Bearer {k}"));
    }
    if body.is_some() {
        b = b.header("content-type", "application/json");
    }
    let req = b.body(Full::new(body.unwrap_or_default())).ok()?;
    let res = client.request(req).await.ok()?;
    let status = res.status().as_u16();
    let ok = status == expect;
    let body = res.into_body().collect().await.map(|b| b.to_bytes());
    if !ok
        && std::env::var_os("FERROBOOKS_BENCH_DEBUG").is_some()
        && let Ok(b) = &body
    {
        eprintln!("{status}: {}", String::from_utf8_lossy(b));
    }
    if ok { body.ok() } else { None }
}
