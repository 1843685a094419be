//! `import`: a 100,000-row invoice CSV (50,000 invoices of two lines, 100
//! customers, 10 items) uploaded to the importer over HTTP and run to
//! FINISHED: rows/s end to end (upload to the last batch's commit), the
//! process's peak RSS during it, and every invoice checked posted. For
//! reference, in the same run, `hledger import` of the same CSV with a
//! rules file, and `ledger convert` (which persists nothing), when they
//! are installed.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Method;

use crate::Options;
use crate::client::{http_client, request_body};
use crate::scenarios::start_app;

const INVOICES: usize = 50_000;
const CUSTOMERS: usize = 100;
const ITEMS: usize = 10;

/// Dated next year, so that no invoice is overdue and the due-date job
/// has nothing to do while the run ends.
fn csv() -> String {
    let mut s = String::with_capacity(INVOICES * 2 * 48);
    s.push_str("Invoice #,Customer,Date,Item,Amount\n");
    for i in 0..INVOICES {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        for l in 0..2 {
            let cents = 1_000 + (i * 7_919 + l * 13) % 90_000;
            s.push_str(&format!(
                "B{i:06},Customer {:03},2027-{month:02}-{day:02},Item {},{}.{:02}\n",
                i % CUSTOMERS,
                (i + l) % ITEMS,
                cents / 100,
                cents % 100
            ));
        }
    }
    s
}

/// The process's peak resident set since [`reset_peak`], in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Starts the peak over from the current resident set (Linux).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn post_json(
    client: &crate::client::Http,
    uri: &str,
    key: &str,
    body: serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let b = request_body(
        client,
        Method::POST,
        uri,
        Some(key),
        Some(Bytes::from(body.to_string())),
        201,
        None,
    )
    .await
    .ok_or_else(|| anyhow::anyhow!("POST {uri} failed (FERROBOOKS_BENCH_DEBUG=1 says why)"))?;
    Ok(serde_json::from_slice(&b)?)
}

/// One run; prints its figures and answers rows/s.
pub(crate) async fn import(o: &Options) -> anyhow::Result<f64> {
    let app = start_app(o, true).await?;
    let client = http_client();
    for c in 0..CUSTOMERS {
        post_json(
            &client,
            &format!("{}/api/v1/customers", app.base),
            &app.key,
            serde_json::json!({"name": format!("Customer {c:03}")}),
        )
        .await?;
    }
    for i in 0..ITEMS {
        post_json(
            &client,
            &format!("{}/api/v1/products", app.base),
            &app.key,
            serde_json::json!({"name": format!("Item {i}"), "type": "service"}),
        )
        .await?;
    }
    let company = format!("{}/api/v1/companies/{}", app.base, app.org_id);
    let mapping = post_json(
        &client,
        &format!("{company}/mappings"),
        &app.key,
        serde_json::json!({"title": "bench", "entityName": "Invoice", "fields": [
            {"sourceFieldTitle": "Invoice #", "targetFieldId": "231"},
            {"sourceFieldTitle": "Customer", "targetFieldId": "176"},
            {"sourceFieldTitle": "Date", "targetFieldId": "179"},
            {"sourceFieldTitle": "Item", "targetFieldId": "232"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "237"}
        ]}),
    )
    .await?;
    let mapping = mapping["id"].as_str().unwrap_or_default().to_owned();
    let file = csv();
    let boundary = "ferrobooks-bench-import";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"mappingId\"\r\n\r\n{mapping}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"invoices.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    let dir = tempfile::tempdir()?;
    let csv_path = dir.path().join("invoices.csv");
    std::fs::write(&csv_path, &file)?;
    drop(file);
    reset_peak();
    let t = Instant::now();
    let req = hyper::Request::post(format!("{company}/imports"))
        .header("authorization", format!("Bearer {}", app.key))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Full::new(Bytes::from(body)))?;
    let res = client.request(req).await?;
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await?.to_bytes();
    anyhow::ensure!(
        status == 202,
        "upload answered {status}: {}",
        String::from_utf8_lossy(&bytes)
    );
    let accepted = t.elapsed();
    let id = serde_json::from_slice::<serde_json::Value>(&bytes)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let done = loop {
        let b = request_body(
            &client,
            Method::GET,
            &format!("{company}/imports/{id}"),
            Some(&app.key),
            None,
            200,
            None,
        )
        .await
        .ok_or_else(|| anyhow::anyhow!("polling the import failed"))?;
        let v: serde_json::Value = serde_json::from_slice(&b)?;
        if !matches!(v["status"].as_str(), Some("SCHEDULED" | "IN_PROGRESS")) {
            break v;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let took = t.elapsed();
    let peak = peak_rss_mib().unwrap_or(f64::NAN);
    anyhow::ensure!(
        done["status"] == "FINISHED" && done["summary"]["succeeded"] == INVOICES as u64,
        "import ended {done}"
    );
    let (posted,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM documents WHERE organization_id = $1 AND doc_type = 'invoice' AND status = 'approved'",
    )
    .bind(&app.org_id)
    .fetch_one(app.services.store.pool())
    .await?;
    anyhow::ensure!(
        posted == INVOICES as i64,
        "{posted} invoices posted, not {INVOICES}"
    );
    let rows = (INVOICES * 2) as f64;
    println!(
        "  import run: {} rows ({INVOICES} invoices) in {:.2} s = {:.0} rows/s (202 after {} ms), peak RSS {:.0} MiB",
        INVOICES * 2,
        took.as_secs_f64(),
        rows / took.as_secs_f64(),
        accepted.as_millis(),
        peak
    );
    app.stop().await;
    peers(&csv_path);
    Ok(rows / took.as_secs_f64())
}

/// `hledger import` and `ledger convert` of the same CSV, when installed.
fn peers(csv: &std::path::Path) {
    let Some(dir) = csv.parent() else { return };
    let rules = "skip 1\nfields code, description, date, item, amount\ndate-format %Y-%m-%d\n\
                 account1 assets:receivable\naccount2 income:%item\n";
    let _ = std::fs::write(csv.with_extension("csv.rules"), rules);
    let journal = dir.join("books.journal");
    let _ = std::fs::write(&journal, "");
    let t = Instant::now();
    match std::process::Command::new("hledger")
        .arg("-f")
        .arg(&journal)
        .arg("import")
        .arg(csv)
        .output()
    {
        Ok(out) if out.status.success() => println!(
            "  hledger import of the same CSV: {:.2} s",
            t.elapsed().as_secs_f64()
        ),
        Ok(out) => println!(
            "  hledger import failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("")
        ),
        Err(_) => println!("  hledger is not installed: no reference"),
    }
    let t = Instant::now();
    match std::process::Command::new("ledger")
        .args([
            "convert",
            "--input-date-format",
            "%Y-%m-%d",
            "--account",
            "assets:receivable",
            "-f",
            "/dev/null",
        ])
        .arg(csv)
        .output()
    {
        Ok(out) if out.status.success() => println!(
            "  ledger convert of the same CSV (persists nothing): {:.2} s",
            t.elapsed().as_secs_f64()
        ),
        Ok(out) => println!(
            "  ledger convert failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("")
        ),
        Err(_) => println!("  ledger is not installed: no reference"),
    }
}
