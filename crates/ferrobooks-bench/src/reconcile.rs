//! `reconcile`: 100,000 posted lines on the current account (two-line
//! journal entries over a quarter, money in against sales and out against
//! an expense, written through the service layer in-process, so through
//! the store's group commit), then over HTTP: start a reconciliation at the
//! quarter's closing balance, clear every line at once, finish. Throughput
//! is lines cleared per second of the three calls; p50 is `clear_all`'s
//! time and p99 the three calls' total, in microseconds.
//!
//! One run: loading dominates its cost.

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use ferrobooks_service::amount::DecimalText;
use ferrobooks_service::journal::{LineInput, NewJournalEntry};
use hyper::Method;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::Options;
use crate::client::{Stats, http_client};
use crate::load::{
    account_by_code, call, call_raw, current_account, first_expense_account, par_map,
    system_context,
};
use crate::scenarios::{App, check_books, start_app};

/// Lines on the bank account.
const LINES: usize = 100_000;
/// In-process writers while loading (the group commit takes up to 512).
const LOADERS: usize = 512;
/// Days of the quarter.
const DAYS: u64 = 90;

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn line(account: &str, debit: Option<&str>, credit: Option<&str>) -> LineInput {
    LineInput {
        account_id: account.to_owned(),
        debit: debit.map(|d| DecimalText(d.to_owned())),
        credit: credit.map(|c| DecimalText(c.to_owned())),
        description: None,
        contact_id: None,
        currency_amount: None,
    }
}

pub(crate) async fn reconcile(o: &Options) -> anyhow::Result<Stats> {
    let app = start_app(o, true).await?;
    let result = run(&app).await;
    if result.is_ok() {
        check_books(&app).await?;
    }
    app.stop().await;
    result
}

async fn run(app: &App) -> anyhow::Result<Stats> {
    let tag = "  reconcile       ";
    let bank = current_account(app).await?;
    let sales = account_by_code(app, "4000").await?;
    let expense = first_expense_account(app).await?;
    let ctx = system_context(app).await?;
    let mut rng = StdRng::seed_from_u64(7);
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let plan: Vec<(String, i64)> = (0..LINES)
        .map(|_| {
            let date = start + chrono::Days::new(rng.gen_range(0..DAYS));
            let cents = rng
                .gen_range(1_000f64.ln()..1_000_000f64.ln())
                .exp()
                .round() as i64;
            let signed = if rng.gen_bool(0.6) { cents } else { -cents };
            (date.to_string(), signed)
        })
        .collect();
    let closing: i64 = plan.iter().map(|(_, c)| c).sum();
    let last = start + chrono::Days::new(DAYS - 1);

    let t_load = Instant::now();
    let results = {
        let plan = Arc::new(plan);
        let (s, c) = (app.services.clone(), ctx.clone());
        let accounts = Arc::new((bank.clone(), sales, expense));
        par_map(LINES, LOADERS, move |i| {
            let (s, c, plan, accounts) = (s.clone(), c.clone(), plan.clone(), accounts.clone());
            async move {
                let (date, signed) = &plan[i];
                let (bank, sales, expense) = &*accounts;
                let amount = money(signed.abs());
                let lines = if *signed > 0 {
                    vec![
                        line(bank, Some(&amount), None),
                        line(sales, None, Some(&amount)),
                    ]
                } else {
                    vec![
                        line(expense, Some(&amount), None),
                        line(bank, None, Some(&amount)),
                    ]
                };
                s.create_journal_entry(
                    &c,
                    NewJournalEntry {
                        date: date.clone(),
                        memo: Some(format!("Reconcile bench {i}")),
                        reference: None,
                        currency: None,
                        post: true,
                        lines,
                    },
                )
                .await
                .map(|_| ())
            }
        })
        .await
    };
    let load = t_load.elapsed();
    let failed = results.iter().filter(|r| r.is_err()).count();
    if let Some(Err(e)) = results.iter().find(|r| r.is_err()) {
        anyhow::bail!("{failed} of {LINES} entries failed, e.g. {e}");
    }
    let (in_store,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(debit - credit), 0) AS BIGINT) FROM journal_lines \
         WHERE organization_id = $1 AND account_id = $2",
    )
    .bind(&app.org_id)
    .bind(&bank)
    .fetch_one(app.services.store.pool())
    .await?;
    anyhow::ensure!(
        in_store == closing,
        "the store holds {in_store} on the account, the bench posted {closing}"
    );
    println!(
        "{tag} load (service layer in-process, {LOADERS} at a time): {LINES} entries in {:.1} s = {:.0}/s; \
         closing balance {} on {last}",
        load.as_secs_f64(),
        LINES as f64 / load.as_secs_f64(),
        money_signed(closing)
    );
    // What the job runner still has to deliver (events of the load) runs
    // beside the timed calls, as it would on a server; its depth is shown.
    let depth = app.services.outbox_depth().await.unwrap_or(-1);

    let client = http_client();
    let base = format!("/api/v1/bank_accounts/{bank}/reconciliations");
    let t = Instant::now();
    let (started, t_start) = call(
        &client,
        app,
        Method::POST,
        &base,
        Some(serde_json::json!({
            "statement_date": last.to_string(),
            "closing_balance": money_signed(closing),
        })),
        201,
    )
    .await?;
    let rid = started["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no reconciliation id in {started}"))?
        .to_owned();
    let (cleared_raw, t_clear) = call_raw(
        &client,
        app,
        Method::POST,
        &format!("{base}/{rid}/lines"),
        Some(serde_json::json!({ "clear_all": true })),
        200,
    )
    .await?;
    let cleared: serde_json::Value = serde_json::from_slice(&cleared_raw)?;
    let difference = serde_json::from_slice::<Difference>(&cleared_raw)?.difference;
    let (finished, t_finish) = call(
        &client,
        app,
        Method::POST,
        &format!("{base}/{rid}/finish"),
        None,
        200,
    )
    .await?;
    let total = t.elapsed();
    anyhow::ensure!(
        cleared["cleared_count"].as_i64() == Some(LINES as i64),
        "clear_all cleared {} lines, not {LINES}",
        cleared["cleared_count"]
    );
    anyhow::ensure!(
        finished["status"].as_str() == Some("finished"),
        "finish answered {finished}"
    );
    println!(
        "{tag} over HTTP (outbox depth {depth} at the start): start {} ms, clear_all {} ms \
         ({} lines, difference {}), finish {} ms; total {} ms (target < 10 s)",
        t_start.as_millis(),
        t_clear.as_millis(),
        cleared["cleared_count"],
        difference.get(),
        t_finish.as_millis(),
        total.as_millis()
    );
    Ok(Stats {
        per_sec: LINES as f64 / total.as_secs_f64(),
        p50_us: t_clear.as_micros() as u64,
        p99_us: total.as_micros() as u64,
        count: 3,
        errors: 0,
    })
}

/// The difference `clear_all` answers, as written.
#[derive(serde::Deserialize)]
struct Difference {
    difference: Box<serde_json::value::RawValue>,
}

fn money_signed(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}", money(cents.abs()))
}
