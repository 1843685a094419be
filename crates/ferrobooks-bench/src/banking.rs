//! `statement_import`: a 10,000-line CSV statement uploaded over HTTP
//! into one bank account (lines/s of a first import, all new), then the
//! same file again (all duplicates: the cost of recognizing them).

use std::time::Instant;

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};

use crate::Options;
use crate::client::{Stats, http_client};
use crate::scenarios::start_app;

/// Lines in the benchmark's statement.
const LINES: usize = 10_000;

/// A CSV statement of `LINES` lines over one month: varied amounts in and
/// out, a handful of payees, no bank ids (so duplicates are known by
/// date, amount, description and occurrence, the dearer way).
fn statement() -> String {
    let payees = [
        "ACME SUPPLIES",
        "CITY POWER",
        "PAYROLL RUN",
        "CARD 4411 STATIONERS",
        "CLIENT ALPHA",
    ];
    let mut csv = String::from("Date,Amount,Details\n");
    for i in 0..LINES {
        let day = 1 + i % 28;
        let cents = (i * 7_919 % 500_000) as i64 + 1;
        let sign = if i % 3 == 0 { "" } else { "-" };
        csv.push_str(&format!(
            "{day:02}/03/2026,{sign}{}.{:02},{} {}\n",
            cents / 100,
            cents % 100,
            payees[i % payees.len()],
            i / 7
        ));
    }
    csv
}

/// The mapping of the `statement_import` CSV.
const MAPPING: &str =
    r#"{"date": "Date", "date_format": "%d/%m/%Y", "amount": "Amount", "description": "Details"}"#;

/// A statement upload's multipart body (`format=csv`, the column
/// `mapping`, the file) and its content type.
pub(crate) fn multipart(csv: &str, mapping: &str) -> (String, Bytes) {
    let boundary = "ferrobooks-bench-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\ncsv\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"mapping\"\r\n\r\n{mapping}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"march.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    (
        format!("multipart/form-data; boundary={boundary}"),
        Bytes::from(body),
    )
}

/// Uploads the statement; the answer's `new` and `duplicates`, and the time.
pub(crate) async fn upload(
    client: &crate::client::Http,
    uri: &str,
    key: &str,
    content_type: &str,
    body: Bytes,
) -> anyhow::Result<(i64, i64, std::time::Duration)> {
    let req = hyper::Request::post(uri)
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", content_type)
        .body(Full::new(body))?;
    let t = Instant::now();
    let res = client.request(req).await?;
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await?.to_bytes();
    let took = t.elapsed();
    if status != 201 {
        anyhow::bail!(
            "import answered {status}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    let v: serde_json::Value = serde_json::from_slice(&bytes)?;
    Ok((
        v["new"].as_i64().unwrap_or(-1),
        v["duplicates"].as_i64().unwrap_or(-1),
        took,
    ))
}

/// One run: a fresh store, the first import (all lines new, checked), the
/// second (all duplicates, checked). Throughput is the first's lines/s;
/// p50 is the first upload's time and p99 the second's, in microseconds.
pub(crate) async fn statement_import(o: &Options) -> anyhow::Result<Stats> {
    let app = start_app(o, true).await?;
    let client = http_client();
    let bank = ferrobooks_store::taxes::account_by_key(
        app.services.store.pool(),
        &app.org_id,
        "bank_current",
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("no current account"))?;
    let uri = format!("{}/api/v1/bank_accounts/{bank}/statements", app.base);
    let (content_type, body) = multipart(&statement(), MAPPING);
    let (new, dup, first) = upload(&client, &uri, &app.key, &content_type, body.clone()).await?;
    if (new, dup) != (LINES as i64, 0) {
        anyhow::bail!("first import: {new} new, {dup} duplicates; expected {LINES} new");
    }
    let (new, dup, second) = upload(&client, &uri, &app.key, &content_type, body).await?;
    if (new, dup) != (0, LINES as i64) {
        anyhow::bail!("second import: {new} new, {dup} duplicates; expected {LINES} duplicates");
    }
    app.stop().await;
    Ok(Stats {
        per_sec: LINES as f64 / first.as_secs_f64(),
        p50_us: first.as_micros() as u64,
        p99_us: second.as_micros() as u64,
        count: 2,
        errors: 0,
    })
}
