//! The `invoices` and `bills` scenarios: each operation creates a
//! three-line draft document taxed with a two-component sales tax and
//! approves it (numbered and posted), over HTTP; a bill is then paid in
//! full by a bill payment (a third request). Throughput is documents per
//! second; latency is of the whole operation. The contact (a customer, or
//! a vendor and an expense account), and the tax, are made once, before
//! timing.

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

/// Which side of the books a run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Invoices,
    Bills,
}

impl Side {
    fn resource(self) -> &'static str {
        match self {
            Side::Invoices => "invoices",
            Side::Bills => "bills",
        }
    }

    /// What one operation does, in the report.
    fn steps(self) -> &'static str {
        match self {
            Side::Invoices => "create + approve",
            Side::Bills => "create + approve + pay",
        }
    }

    fn doc_type(self) -> &'static str {
        match self {
            Side::Invoices => "invoice",
            Side::Bills => "bill",
        }
    }
}

/// Pays bill `id` of `vendor` in full (`total`, as its answer wrote it).
async fn pay(client: &Http, base: &str, key: &str, vendor: &str, id: &str, total: &str) -> bool {
    let body = format!(
        r#"{{"vendor_id":"{vendor}","amount":"{total}","applications":[{{"bill_id":"{id}","amount":"{total}"}}]}}"#
    );
    request(
        client,
        Method::POST,
        &format!("{base}/api/v1/bill_payments"),
        Some(key),
        Some(Bytes::from(body)),
        201,
    )
    .await
}

/// The `total` of a document's answer, as written.
#[derive(Deserialize)]
struct Total {
    total: serde_json::Number,
}

/// The contact, the sales tax and (for bills) the expense account every
/// document uses.
async fn setup(app: &App, client: &Http, side: Side) -> anyhow::Result<(String, String, String)> {
    let (contacts, name) = match side {
        Side::Invoices => ("customers", "Bench Customer"),
        Side::Bills => ("vendors", "Bench Vendor"),
    };
    let customer = create(
        client,
        &format!("{}/api/v1/{contacts}", app.base),
        &app.key,
        Bytes::from(serde_json::json!({"name": name}).to_string()),
    )
    .await
    .ok_or_else(|| anyhow::anyhow!("creating the {contacts} contact failed"))?;
    let account = match side {
        Side::Invoices => String::new(),
        Side::Bills => create(
            client,
            &format!("{}/api/v1/accounts", app.base),
            &app.key,
            Bytes::from(
                serde_json::json!({"code": "6900", "name": "Bench costs", "type": "expense"})
                    .to_string(),
            ),
        )
        .await
        .ok_or_else(|| anyhow::anyhow!("creating the expense account failed"))?,
    };
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
    Ok((customer, tax, account))
}

pub(crate) async fn documents(o: &Options, side: Side) -> anyhow::Result<Stats> {
    let app = start_app(o, true).await?;
    let client = http_client();
    let (customer, tax, account) = match setup(&app, &client, side).await {
        Ok(ids) => ids,
        Err(e) => {
            app.stop().await;
            return Err(e.context("setup (FERROBOOKS_BENCH_DEBUG=1 prints the answer)"));
        }
    };
    let mut doc = serde_json::json!({
        "date": "2026-06-01",
        "lines": [
            {"description": "A", "quantity": 2, "unit_price": "10.00", "tax_id": tax},
            {"description": "B", "quantity": 1, "unit_price": "99.99", "tax_id": tax},
            {"description": "C", "quantity": "3.5", "unit_price": "4.20", "discount": "1.00", "tax_id": tax}
        ]
    });
    match side {
        Side::Invoices => doc["customer_id"] = serde_json::json!(customer),
        Side::Bills => {
            doc["vendor_id"] = serde_json::json!(customer);
            for l in doc["lines"].as_array_mut().into_iter().flatten() {
                l["account_id"] = serde_json::json!(account);
            }
        }
    }
    let body = Bytes::from(doc.to_string());
    let resource = side.resource();
    let base = app.base.clone();
    let key = app.key.clone();
    // What one document costs the database: statements run by the two
    // requests, over a few sequential documents before the timed runs.
    let sample: u32 = 20;
    let before = crate::statements::count();
    let mut total = String::new();
    for _ in 0..sample {
        let id = create(
            &client,
            &format!("{base}/api/v1/{resource}"),
            &key,
            body.clone(),
        )
        .await
        .ok_or_else(|| anyhow::anyhow!("creating a sample document failed"))?;
        let approved = request_body(
            &client,
            Method::POST,
            &format!("{base}/api/v1/{resource}/{id}/approve"),
            Some(&key),
            Some(Bytes::from_static(b"{}")),
            200,
            None,
        )
        .await
        .ok_or_else(|| anyhow::anyhow!("approving a sample document failed"))?;
        total = serde_json::from_slice::<Total>(&approved)?
            .total
            .to_string();
        if side == Side::Bills {
            anyhow::ensure!(
                pay(&client, &base, &key, &customer, &id, &total).await,
                "paying a sample bill failed"
            );
        }
    }
    #[expect(clippy::cast_precision_loss, reason = "a statement count, not money")]
    let per_doc = (crate::statements::count() - before) as f64 / f64::from(sample);
    println!(
        "  {resource:<16} {per_doc:.1} SQL statements per {} ({}, 3 taxed lines)",
        side.doc_type(),
        side.steps()
    );
    let stats = drive(o.clients, o.duration, move |_, _| {
        let (client, base, key, body) = (client.clone(), base.clone(), key.clone(), body.clone());
        let (vendor, total) = (customer.clone(), total.clone());
        async move {
            let Some(id) = create(&client, &format!("{base}/api/v1/{resource}"), &key, body).await
            else {
                return false;
            };
            let approved = request(
                &client,
                Method::POST,
                &format!("{base}/api/v1/{resource}/{id}/approve"),
                Some(&key),
                Some(Bytes::from_static(b"{}")),
                200,
            )
            .await;
            match side {
                Side::Invoices => approved,
                Side::Bills => approved && pay(&client, &base, &key, &vendor, &id, &total).await,
            }
        }
    })
    .await;
    let checked = check(&app, &stats, sample as usize, side).await;
    app.stop().await;
    checked?;
    Ok(stats)
}

/// The books balance and, in a run without errors, every operation (and
/// each of the `sampled` documents before it) left one approved (numbered)
/// document, and every bill paid.
async fn check(app: &App, stats: &Stats, sampled: usize, side: Side) -> anyhow::Result<()> {
    check_books(app).await?;
    if stats.errors == 0 {
        let (approved,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM documents \
             WHERE organization_id = $1 AND doc_type = $2 AND number IS NOT NULL",
        )
        .bind(&app.org_id)
        .bind(side.doc_type())
        .fetch_one(app.services.store.pool())
        .await?;
        anyhow::ensure!(
            usize::try_from(approved).ok() == Some(stats.count + sampled),
            "{} documents approved over HTTP but {approved} numbered in the store",
            stats.count + sampled
        );
        if side == Side::Bills {
            let (paid,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM documents \
                 WHERE organization_id = $1 AND doc_type = 'bill' AND status = 'paid'",
            )
            .bind(&app.org_id)
            .fetch_one(app.services.store.pool())
            .await?;
            anyhow::ensure!(
                usize::try_from(paid).ok() == Some(stats.count + sampled),
                "{} bills paid over HTTP but {paid} paid in the store",
                stats.count + sampled
            );
        }
    }
    Ok(())
}

/// Prints a documents median and its ratios to `healthz` and
/// `journal_entries` measured in the same process.
pub(crate) fn report(side: Side, inv: &Stats, health: &Stats, je: &Stats) {
    let name = side.resource();
    println!(
        "{name:<27} = {:.0} {name}/s, p50 {} us, p99 {} us ({})",
        inv.per_sec,
        inv.p50_us,
        inv.p99_us,
        side.steps()
    );
    println!(
        "{:<27} = {:.3}",
        format!("{name} / healthz"),
        inv.per_sec / health.per_sec
    );
    println!(
        "{:<27} = {:.3}  (p50 {} us vs {} us)",
        format!("{name} / journal_entries"),
        inv.per_sec / je.per_sec,
        inv.p50_us,
        je.p50_us
    );
}
