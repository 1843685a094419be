//! The `invoices` scenario: each operation creates a three-line draft
//! invoice taxed with a two-component sales tax and approves it (numbered
//! and posted), both over HTTP. Throughput is invoices per second; latency
//! is of the pair. A customer and the tax are made once, before timing.

use hyper::Method;
use hyper::body::Bytes;
use serde::Deserialize;

use crate::Options;
use crate::client::{Http, Stats, drive, http_client, request, request_body};
use crate::scenarios::{App, check_books, start_app};

/// The one field read from a created resource.
#[derive(Deserialize)]
struct Created {
    id: String,
}

/// POSTs `body` to `uri`; the new resource's id on 201.
async fn create(client: &Http, uri: &str, key: &str, body: Bytes) -> Option<String> {
    let answer = request_body(client, Method::POST, uri, Some(key), Some(body), 201, None).await?;
    serde_json::from_slice::<Created>(&answer)
        .ok()
        .map(|c| c.id)
}

/// The customer and the sales tax every invoice uses.
async fn setup(app: &App, client: &Http) -> anyhow::Result<(String, String)> {
    let customer = create(
        client,
        &format!("{}/api/v1/customers", app.base),
        &app.key,
        Bytes::from(serde_json::json!({"name": "Bench Customer"}).to_string()),
    )
    .await
    .ok_or_else(|| anyhow::anyhow!("creating the customer failed"))?;
    let tax = create(
        client,
        &format!("{}/api/v1/taxes", app.base),
        &app.key,
        Bytes::from(
            serde_json::json!({
                "name": "Bench tax", "kind": "sales_tax",
                "components": [{"name": "State", "rate": "6"}, {"name": "County", "rate": "1.25"}]
            })
            .to_string(),
        ),
    )
    .await
    .ok_or_else(|| anyhow::anyhow!("creating the sales tax failed"))?;
    Ok((customer, tax))
}

pub(crate) async fn invoices(o: &Options) -> anyhow::Result<Stats> {
    let app = start_app(o, true).await?;
    let client = http_client();
    let (customer, tax) = match setup(&app, &client).await {
        Ok(ids) => ids,
        Err(e) => {
            app.stop().await;
            return Err(e.context("invoices setup (FERROBOOKS_BENCH_DEBUG=1 prints the answer)"));
        }
    };
    let body = Bytes::from(
        serde_json::json!({
            "customer_id": customer, "date": "2026-06-01",
            "lines": [
                {"description": "A", "quantity": 2, "unit_price": "10.00", "tax_id": tax},
                {"description": "B", "quantity": 1, "unit_price": "99.99", "tax_id": tax},
                {"description": "C", "quantity": "3.5", "unit_price": "4.20", "discount": "1.00", "tax_id": tax}
            ]
        })
        .to_string(),
    );
    let base = app.base.clone();
    let key = app.key.clone();
    // What one invoice costs the database: statements run by the two
    // requests, over a few sequential invoices before the timed runs.
    let sample: u32 = 20;
    let before = crate::statements::count();
    for _ in 0..sample {
        let id = create(
            &client,
            &format!("{base}/api/v1/invoices"),
            &key,
            body.clone(),
        )
        .await
        .ok_or_else(|| anyhow::anyhow!("creating a sample invoice failed"))?;
        let approved = request(
            &client,
            Method::POST,
            &format!("{base}/api/v1/invoices/{id}/approve"),
            Some(&key),
            Some(Bytes::from_static(b"{}")),
            200,
        )
        .await;
        anyhow::ensure!(approved, "approving a sample invoice failed");
    }
    #[expect(clippy::cast_precision_loss, reason = "a statement count, not money")]
    let per_invoice = (crate::statements::count() - before) as f64 / f64::from(sample);
    println!(
        "  invoices         {per_invoice:.1} SQL statements per invoice (create + approve, 3 taxed lines)"
    );
    let stats = drive(o.clients, o.duration, move |_, _| {
        let (client, base, key, body) = (client.clone(), base.clone(), key.clone(), body.clone());
        async move {
            let Some(id) = create(&client, &format!("{base}/api/v1/invoices"), &key, body).await
            else {
                return false;
            };
            request(
                &client,
                Method::POST,
                &format!("{base}/api/v1/invoices/{id}/approve"),
                Some(&key),
                Some(Bytes::from_static(b"{}")),
                200,
            )
            .await
        }
    })
    .await;
    let checked = check(&app, &stats, sample as usize).await;
    app.stop().await;
    checked?;
    Ok(stats)
}

/// The books balance and, in a run without errors, every operation (and
/// each of the `sampled` invoices before it) left one approved (numbered)
/// invoice.
async fn check(app: &App, stats: &Stats, sampled: usize) -> anyhow::Result<()> {
    check_books(app).await?;
    if stats.errors == 0 {
        let (approved,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM documents \
             WHERE organization_id = $1 AND doc_type = 'invoice' AND number IS NOT NULL",
        )
        .bind(&app.org_id)
        .fetch_one(app.services.store.pool())
        .await?;
        anyhow::ensure!(
            usize::try_from(approved).ok() == Some(stats.count + sampled),
            "{} invoices approved over HTTP but {approved} numbered in the store",
            stats.count + sampled
        );
    }
    Ok(())
}

/// Prints the invoices median and its ratios to `healthz` and
/// `journal_entries` measured in the same process.
pub(crate) fn report(inv: &Stats, health: &Stats, je: &Stats) {
    println!(
        "invoices                    = {:.0} invoices/s, p50 {} us, p99 {} us (create + approve)",
        inv.per_sec, inv.p50_us, inv.p99_us
    );
    println!(
        "invoices / healthz          = {:.3}",
        inv.per_sec / health.per_sec
    );
    println!(
        "invoices / journal_entries  = {:.3}  (p50 {} us vs {} us)",
        inv.per_sec / je.per_sec,
        inv.p50_us,
        je.p50_us
    );
}
