//! `reports`: are the reports as fast on a big ledger as on a small one?
//! For each size (10^4, 10^5, 10^6 transactions by default;
//! `FERROBOOKS_BENCH_SIZES=10000,100000` to change), a fresh ledger: the
//! same few hundred invoices and payments over HTTP (so the aging has open
//! items to read), then the transactions, two-line journal entries spread
//! over the year, written straight to the store's posting queue (its group
//! commit), not over HTTP. Each report is then asked over HTTP 15 times;
//! its median and p99 are printed per size, and the ratio of the largest
//! size to the smallest (target: within 2x; the trial balance under 10 ms
//! at 10^6).
//!
//! On the largest ledger the books are exported as a ledger journal
//! (`ferrobooks export`'s code) and `ledger -f FILE bal` and `hledger -f
//! FILE bal` are timed on it (with their peak memory), against our trial
//! balance of the same books.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ferrobooks_domain::journal::EntryLine;
use ferrobooks_store::journal::{EntryRow, NewEntry, status};
use hyper::Method;
use serde_json::json;

use crate::Options;
use crate::client::http_client;
use crate::load::{account_by_code, call, current_account, first_expense_account, par_map, pct};
use crate::scenarios::{App, start_app_as};

/// The reports timed, by name and path.
const REPORTS: &[(&str, &str)] = &[
    (
        "trial_balance",
        "/api/v1/reports/trial_balance?as_of=2026-12-31",
    ),
    (
        "profit_and_loss",
        "/api/v1/reports/profit_and_loss?date_from=2026-01-01&date_to=2026-12-31",
    ),
    (
        "balance_sheet",
        "/api/v1/reports/balance_sheet?as_of=2026-12-31",
    ),
    (
        "profit_and_loss cash",
        "/api/v1/reports/profit_and_loss?date_from=2026-01-01&date_to=2026-12-31&basis=cash",
    ),
    (
        "balance_sheet mid-year cash",
        "/api/v1/reports/balance_sheet?as_of=2026-06-30&basis=cash",
    ),
    ("ar_aging", "/api/v1/reports/ar_aging?as_of=2026-12-31"),
    (
        "ar_aging mid-year",
        "/api/v1/reports/ar_aging?as_of=2026-06-30",
    ),
    ("gstr3b (month)", "/api/v1/tax_returns/gstr3b?period=202611"),
    ("gstr1 (month)", "/api/v1/tax_returns/gstr1?period=202611"),
];

/// Asks per report and size.
const ASKS: usize = 15;
/// Invoices (and about half as many payments) in every ledger.
const INVOICES: usize = 300;
/// Bills in every ledger.
const BILLS: usize = 100;

fn sizes() -> Vec<usize> {
    std::env::var("FERROBOOKS_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000])
}

fn day(i: usize) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
    (start + chrono::Days::new((i % 365) as u64)).to_string()
}

/// The organization: Indian, registered for GST in Maharashtra.
fn organization() -> serde_json::Value {
    json!({"name": "Bench Co", "base_currency": "INR", "country": "IN",
        "state": "MH", "tax_id": "27AAPFU0939F1ZV"})
}

/// The invoices, with GST on most (a quarter of the customers registered,
/// half of them in another state), payments on half, and bills with GST
/// under every input tax credit eligibility.
async fn documents(app: &App) -> anyhow::Result<()> {
    let http = http_client();
    let (taxes, _) = call(
        &http,
        app,
        Method::GET,
        "/api/v1/taxes?limit=100",
        None,
        200,
    )
    .await?;
    let tax = taxes["data"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == "GST 18%"))
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no GST 18% tax"))?;
    let mut customers = Vec::new();
    for n in 0..20 {
        let mut body = json!({"name": format!("Customer {n}"),
            "place_of_supply": if n % 2 == 0 { "MH" } else { "KA" }});
        if n % 4 == 0 {
            body["tax_id"] = json!(if n % 8 == 0 {
                "27AAACP1234A1Z5"
            } else {
                "29AAACB5678B1ZP"
            });
        }
        let (c, _) = call(
            &http,
            app,
            Method::POST,
            "/api/v1/customers",
            Some(body),
            201,
        )
        .await?;
        customers.push(c["id"].as_str().unwrap_or_default().to_owned());
    }
    let (vendor, _) = call(
        &http,
        app,
        Method::POST,
        "/api/v1/vendors",
        Some(json!({"name": "Mills", "source_of_supply": "KA"})),
        201,
    )
    .await?;
    let expense = first_expense_account(app).await?;
    for i in 0..BILLS {
        let eligibility = [
            "eligible",
            "ineligible_17_5",
            "temporary_reversal",
            "eligible",
        ][i % 4];
        call(
            &http,
            app,
            Method::POST,
            "/api/v1/bills",
            Some(
                json!({"vendor_id": vendor["id"], "date": day(i * 11), "approve": true,
                "lines": [{"unit_price": format!("{}.00", 500 + i), "account_id": expense,
                           "tax_id": tax["id"], "itc_eligibility": eligibility,
                           "reverse_charge": i % 10 == 0}]}),
            ),
            201,
        )
        .await?;
    }
    for i in 0..INVOICES {
        let date = day(i * 7);
        let (inv, _) = call(
            &http,
            app,
            Method::POST,
            "/api/v1/invoices",
            Some(
                json!({"customer_id": customers[i % customers.len()], "date": date, "approve": true,
                "lines": [{"unit_price": format!("{}.{:02}", 100 + i, i % 100),
                           "tax_id": if i % 4 == 0 { None } else { tax["id"].as_str() }}]}),
            ),
            201,
        )
        .await?;
        if i % 2 == 0 {
            call(
                &http,
                app,
                Method::POST,
                "/api/v1/payments",
                Some(json!({"customer_id": inv["customer_id"], "date": date, "amount": inv["total"].to_string(),
                    "applications": [{"invoice_id": inv["id"], "amount": inv["total"].to_string()}]})),
                201,
            )
            .await?;
        }
    }
    Ok(())
}

/// `n` two-line entries through the posting queue, over the year.
async fn transactions(app: &App, n: usize) -> anyhow::Result<Duration> {
    let bank = current_account(app).await?;
    let sales = account_by_code(app, "4000").await?;
    let expense = first_expense_account(app).await?;
    let (queue, org) = (app.services.queue.clone(), app.org_id.clone());
    let accounts = Arc::new((bank, sales, expense));
    let t = Instant::now();
    let done = par_map(n, 512, move |i| {
        let (queue, org, a) = (queue.clone(), org.clone(), accounts.clone());
        async move {
            let at = ferrobooks_store::now();
            let amount = 1_000 + (i as i64 * 37) % 90_000;
            let line = |account: &String, debit: i64, credit: i64| EntryLine {
                account_id: account.clone(),
                debit,
                credit,
                description: None,
                contact_id: None,
                foreign: None,
            };
            let lines = if i % 3 == 0 {
                vec![line(&a.2, amount, 0), line(&a.0, 0, amount)]
            } else {
                vec![line(&a.0, amount, 0), line(&a.1, 0, amount)]
            };
            let row = EntryRow {
                id: ferrobooks_store::new_id("je"),
                organization_id: org,
                number: None,
                date: day(i),
                memo: Some("bench".into()),
                reference: None,
                status: status::POSTED.into(),
                currency: "INR".into(),
                total: amount,
                reversal_of: None,
                reversed_by: None,
                created_at: at.clone(),
                updated_at: at.clone(),
                posted_at: Some(at),
                voided_at: None,
                source: None,
            };
            queue
                .submit(NewEntry {
                    row,
                    lines,
                    events: Vec::new(),
                    idempotent: None,
                })
                .await
                .is_ok()
        }
    })
    .await;
    let failed = done.iter().filter(|ok| !**ok).count();
    anyhow::ensure!(failed == 0, "{failed} of {n} entries did not post");
    Ok(t.elapsed())
}

/// (p50, p99) in microseconds of each report.
async fn time_reports(app: &App) -> anyhow::Result<Vec<(u64, u64)>> {
    let http = http_client();
    let mut out = Vec::new();
    for (_, path) in REPORTS {
        for _ in 0..2 {
            call(&http, app, Method::GET, path, None, 200).await?;
        }
        let mut took = Vec::with_capacity(ASKS);
        for _ in 0..ASKS {
            let (_, t) = call(&http, app, Method::GET, path, None, 200).await?;
            took.push(u64::try_from(t.as_micros()).unwrap_or(u64::MAX));
        }
        took.sort_unstable();
        out.push((pct(&took, 0.5), pct(&took, 0.99)));
    }
    Ok(out)
}

/// Runs `cmd` under /usr/bin/time: seconds and peak memory in MB.
fn timed_tool(cmd: &str, file: &std::path::Path) -> Option<(f64, f64)> {
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%e %M", cmd, "-f"])
        .arg(file)
        .arg("bal")
        .stdout(std::process::Stdio::null())
        .output()
        .ok()?;
    if out.status.code() == Some(127) {
        return None;
    }
    if !out.status.success() {
        eprintln!(
            "  {cmd} failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        );
        return None;
    }
    let text = String::from_utf8_lossy(&out.stderr);
    let last = text.lines().last()?;
    let mut it = last.split_whitespace();
    let secs: f64 = it.next()?.parse().ok()?;
    let kb: f64 = it.next()?.parse().ok()?;
    Some((secs, kb / 1024.0))
}

pub(crate) async fn reports(o: &Options) -> anyhow::Result<()> {
    let sizes = sizes();
    println!(
        "reports: ledgers of {sizes:?} transactions plus {INVOICES} invoices; {ASKS} asks per report, p50 / p99 in ms"
    );
    let mut table: Vec<(usize, Vec<(u64, u64)>)> = Vec::new();
    let largest = sizes.iter().copied().max().unwrap_or(0);
    for &n in &sizes {
        let app = start_app_as(o, true, organization(), "2207").await?;
        documents(&app).await?;
        let load = transactions(&app, n).await?;
        println!(
            "  {n:>9} transactions loaded in {:.1} s ({:.0}/s)",
            load.as_secs_f64(),
            n as f64 / load.as_secs_f64()
        );
        if o.backend == "postgres" {
            // What autovacuum does soon after a bulk load; without it the
            // planner takes the fresh tables for nearly empty.
            sqlx::query("ANALYZE")
                .execute(app.services.store.pool())
                .await?;
        }
        let times = time_reports(&app).await?;
        if n == largest {
            peers(&app, times[0].0).await?;
        }
        table.push((n, times));
        app.stop().await;
    }
    println!();
    print!("{:<28}", "report");
    for (n, _) in &table {
        print!("{:>18}", format!("{n} txns"));
    }
    println!("{:>12}", "max/min");
    for (i, (name, _)) in REPORTS.iter().enumerate() {
        print!("{name:<28}");
        let mut p50s = Vec::new();
        for (_, t) in &table {
            let (p50, p99) = t[i];
            p50s.push(p50);
            print!(
                "{:>18}",
                format!("{:.2} / {:.2}", p50 as f64 / 1e3, p99 as f64 / 1e3)
            );
        }
        let (lo, hi) = (
            p50s.first().copied().unwrap_or(1).max(1),
            p50s.last().copied().unwrap_or(1),
        );
        println!("{:>12}", format!("{:.2}x", hi as f64 / lo as f64));
    }
    println!(
        "(targets: each report within 2x from the smallest ledger to the largest; trial balance under 10 ms at 10^6)"
    );
    Ok(())
}

/// The same books exported and balanced by ledger-cli and hledger.
async fn peers(app: &App, our_tb_us: u64) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("books.journal");
    let org = ferrobooks_store::tenancy::get_organization(app.services.store.pool(), &app.org_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("org vanished"))?;
    let t = Instant::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
    let n = ferrobooks_service::export::export_journal(
        &app.services.store,
        &org,
        ferrobooks_domain::plaintext::Dialect::Ledger,
        None,
        None,
        &mut out,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    drop(out);
    let size = std::fs::metadata(&file)?.len();
    println!(
        "  export: {n} transactions, {:.0} MB, in {:.1} s",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let ours = our_tb_us as f64 / 1e6;
    for tool in ["ledger", "hledger"] {
        match timed_tool(tool, &file) {
            Some((secs, mb)) => println!(
                "  {tool:<8} -f FILE bal: {secs:.1} s, {mb:.0} MB peak; our trial balance {:.2} ms: {:.0}x faster",
                ours * 1e3,
                secs / ours.max(1e-9)
            ),
            None => println!("  {tool}: not run (is it installed?)"),
        }
    }
    Ok(())
}
