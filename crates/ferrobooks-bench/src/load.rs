//! What the one-run scenarios (`auto_match`, `reconcile`) share: the
//! organization's context for writing through the service layer, a bounded
//! parallel map, percentiles, and HTTP calls that return their JSON.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ferrobooks_service::AuthContext;
use hyper::Method;
use hyper::body::Bytes;

use crate::client::{Http, request_body};
use crate::scenarios::App;

/// The organization's context as the system acting for it: use cases
/// called in-process with it write what the API would (a scheduled job's
/// principal, all scopes).
pub(crate) async fn system_context(app: &App) -> anyhow::Result<AuthContext> {
    let org = ferrobooks_store::tenancy::get_organization(app.services.store.pool(), &app.org_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("org vanished"))?;
    Ok(AuthContext::system(org))
}

/// The current account (system key `bank_current`, code 1200).
pub(crate) async fn current_account(app: &App) -> anyhow::Result<String> {
    ferrobooks_store::taxes::account_by_key(app.services.store.pool(), &app.org_id, "bank_current")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no current account"))
}

/// The account with `code`.
pub(crate) async fn account_by_code(app: &App, code: &str) -> anyhow::Result<String> {
    let (id,): (String,) =
        sqlx::query_as("SELECT id FROM accounts WHERE organization_id = $1 AND code = $2")
            .bind(&app.org_id)
            .bind(code)
            .fetch_one(app.services.store.pool())
            .await?;
    Ok(id)
}

/// The active expense account with the lowest code.
pub(crate) async fn first_expense_account(app: &App) -> anyhow::Result<String> {
    let (id,): (String,) = sqlx::query_as(
        "SELECT id FROM accounts WHERE organization_id = $1 AND type = 'expense' \
         AND active = 1 ORDER BY code LIMIT 1",
    )
    .bind(&app.org_id)
    .fetch_one(app.services.store.pool())
    .await?;
    Ok(id)
}

/// `f(0..n)` run `width` at a time; the answers in index order.
pub(crate) async fn par_map<R, F, Fut>(n: usize, width: usize, f: F) -> Vec<R>
where
    R: Send + 'static,
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send,
{
    let f = Arc::new(f);
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..width.max(1) {
        let (f, next) = (f.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                out.push((i, f(i).await));
            }
            out
        }));
    }
    let mut all = Vec::with_capacity(n);
    for t in tasks {
        all.extend(t.await.expect("worker task"));
    }
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// The `p` quantile of sorted microseconds (0 when empty).
pub(crate) fn pct(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

/// `part / whole` as a percentage (0 when there is no whole).
pub(crate) fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// One call with the key; its JSON answer on `expect`, and how long it took.
pub(crate) async fn call(
    client: &Http,
    app: &App,
    method: Method,
    path: &str,
    body: Option<serde_json::Value>,
    expect: u16,
) -> anyhow::Result<(serde_json::Value, Duration)> {
    let (bytes, took) = call_raw(client, app, method, path, body, expect).await?;
    let v = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes)?
    };
    Ok((v, took))
}

/// As [`call`], the answer as sent.
pub(crate) async fn call_raw(
    client: &Http,
    app: &App,
    method: Method,
    path: &str,
    body: Option<serde_json::Value>,
    expect: u16,
) -> anyhow::Result<(Bytes, Duration)> {
    let uri = format!("{}{path}", app.base);
    let t = Instant::now();
    let answer = request_body(
        client,
        method.clone(),
        &uri,
        Some(&app.key),
        body.map(|b| Bytes::from(b.to_string())),
        expect,
        None,
    )
    .await;
    let took = t.elapsed();
    let bytes = answer.ok_or_else(|| {
        anyhow::anyhow!(
            "{method} {path} did not answer {expect} (FERROBOOKS_BENCH_DEBUG=1 prints it)"
        )
    })?;
    Ok((bytes, took))
}

/// A query parameter's value, percent-encoded.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
