//! Prometheus metrics at `/metrics`: requests by route, method and status,
//! and a latency histogram per route. Kept in process; each node exposes its
//! own and Prometheus sums them.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default)]
struct Latency {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_micros: u64,
}

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Latency>,
}

/// The registry; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Metrics(Arc<Mutex<Inner>>);

impl Metrics {
    fn record(&self, route: String, method: String, status: u16, micros: u64) {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *m.requests
            .entry((route.clone(), method, status))
            .or_default() += 1;
        let l = m.latency.entry(route).or_default();
        l.count += 1;
        l.sum_micros += micros;
        #[expect(clippy::float_arithmetic, reason = "latency in seconds, not money")]
        let secs = micros as f64 / 1_000_000.0;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                l.buckets[i] += 1;
            }
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        out.push_str(
            "# HELP ferrobooks_http_requests_total HTTP requests by route, method and status.\n",
        );
        out.push_str("# TYPE ferrobooks_http_requests_total counter\n");
        for ((route, method, status), n) in &m.requests {
            let _ = writeln!(
                out,
                "ferrobooks_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP ferrobooks_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE ferrobooks_http_request_duration_seconds histogram\n");
        for (route, l) in &m.latency {
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "ferrobooks_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {}",
                    l.buckets[i]
                );
            }
            let _ = writeln!(
                out,
                "ferrobooks_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                l.count
            );
            let _ = writeln!(
                out,
                "ferrobooks_http_request_duration_seconds_sum{{route=\"{route}\"}} {}.{:06}",
                l.sum_micros / 1_000_000,
                l.sum_micros % 1_000_000
            );
            let _ = writeln!(
                out,
                "ferrobooks_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                l.count
            );
        }
        out
    }
}

/// Records each routed request under its route template (`/api/v1/accounts/{id}`),
/// so ids never become label values.
pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let start = Instant::now();
    let res = next.run(req).await;
    let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    state
        .metrics
        .record(route, method, res.status().as_u16(), micros);
    res
}

#[utoipa::path(get, path = "/metrics", tag = "operations", operation_id = "metrics",
    summary = "Prometheus metrics of this node",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub(crate) async fn serve(State(state): State<AppState>) -> impl IntoResponse {
    use std::sync::atomic::Ordering::Relaxed;
    let mut text = state.metrics.render();
    let (w, j) = (&state.services.webhook_stats, &state.services.job_stats);
    family(
        &mut text,
        ("ferrobooks_webhook_deliveries_total", "counter"),
        "Delivery attempts by outcome.",
        [
            ("succeeded", w.succeeded.load(Relaxed)),
            ("failed_attempt", w.failed_attempts.load(Relaxed)),
            ("given_up", w.given_up.load(Relaxed)),
        ]
        .map(|(o, n)| (format!("outcome=\"{o}\""), n)),
    );
    if let Ok(depth) = state.services.outbox_depth().await {
        text.push_str("# HELP ferrobooks_outbox_depth Events not yet fanned out to deliveries.\n");
        text.push_str("# TYPE ferrobooks_outbox_depth gauge\n");
        let _ = writeln!(text, "ferrobooks_outbox_depth {depth}");
    }
    family(
        &mut text,
        ("ferrobooks_job_runs_total", "counter"),
        "Job runs of this node by outcome.",
        [
            ("succeeded", j.succeeded.load(Relaxed)),
            ("failed", j.failed.load(Relaxed)),
        ]
        .map(|(o, n)| (format!("outcome=\"{o}\""), n)),
    );
    if let Ok(counts) = state.services.job_counts().await {
        family(
            &mut text,
            ("ferrobooks_jobs", "gauge"),
            "Jobs in the jobs table by kind and status.",
            counts.into_iter().map(|(kind, status, n)| {
                (
                    format!("kind=\"{kind}\",status=\"{status}\""),
                    u64::try_from(n).unwrap_or(0),
                )
            }),
        );
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}

/// One metric family: its HELP and TYPE lines and a sample per label set.
fn family(
    text: &mut String,
    (name, kind): (&str, &str),
    help: &str,
    samples: impl IntoIterator<Item = (String, u64)>,
) {
    let _ = writeln!(text, "# HELP {name} {help}\n# TYPE {name} {kind}");
    for (labels, n) in samples {
        let _ = writeln!(text, "{name}{{{labels}}} {n}");
    }
}
