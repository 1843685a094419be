//! `depreciation_run`: 10,000 straight-line assets depreciated for one
//! month as one run of the job (one entry per asset, 250 assets per
//! transaction), timed in the process; its entries/s set against the
//! journal-entry ceiling over HTTP measured in the same process.

use std::time::Instant;

use chrono::NaiveDate;
use ferrobooks_store::fixed_assets::{AssetRow, save_asset};
use ferrobooks_store::{new_id, now};

use crate::Options;
use crate::client::Stats;
use crate::scenarios::start_app;

/// Assets in the register.
pub(crate) const ASSETS: usize = 10_000;

async fn account(app: &crate::scenarios::App, key: &str) -> anyhow::Result<String> {
    ferrobooks_store::taxes::account_by_key(app.services.store.pool(), &app.org_id, key)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no {key} account"))
}

/// One run: a fresh store with the register written straight to it, then
/// January 2026 depreciated; every asset checked to have one month.
pub(crate) async fn depreciation_run(o: &Options) -> anyhow::Result<Stats> {
    let app = start_app(o, false).await?;
    let (asset, acc, exp) = (
        account(&app, "plant_machinery").await?,
        account(&app, "plant_machinery_depreciation").await?,
        account(&app, "depreciation").await?,
    );
    let mut wtx = app.services.store.begin_write().await?;
    for i in 0..ASSETS {
        let at = now();
        save_asset(
            &mut wtx.tx,
            &AssetRow {
                id: new_id("fa"),
                organization_id: app.org_id.clone(),
                name: format!("Machine {i}"),
                description: None,
                category: None,
                acquisition_date: "2026-01-15".into(),
                cost: 1_200_000 + i as i64,
                residual_value: 0,
                useful_life_months: 60,
                method: "straight_line".into(),
                factor: "0".into(),
                asset_account_id: asset.clone(),
                accumulated_account_id: acc.clone(),
                expense_account_id: exp.clone(),
                bill_id: None,
                bill_line: None,
                journal_entry_id: None,
                months_depreciated: 0,
                accumulated: 0,
                status: "active".into(),
                disposal_date: None,
                disposal_proceeds: None,
                disposal_entry_id: None,
                created_at: at.clone(),
                updated_at: at,
            },
        )
        .await?;
    }
    wtx.commit().await?;
    let through = NaiveDate::from_ymd_opt(2026, 1, 31).expect("a date");
    let t = Instant::now();
    let report = app
        .services
        .run_depreciation(Some(&app.org_id), through)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let took = t.elapsed();
    if report.entries != ASSETS as u64 || !report.failed.is_empty() {
        anyhow::bail!(
            "depreciation posted {} entries, {} failed",
            report.entries,
            report.failed.len()
        );
    }
    let (rows,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM asset_depreciations WHERE organization_id = $1")
            .bind(&app.org_id)
            .fetch_one(app.services.store.pool())
            .await?;
    if rows != ASSETS as i64 {
        anyhow::bail!("{rows} months recorded for {ASSETS} assets");
    }
    app.stop().await;
    Ok(Stats {
        per_sec: ASSETS as f64 / took.as_secs_f64(),
        p50_us: took.as_micros() as u64,
        p99_us: took.as_micros() as u64,
        count: ASSETS,
        errors: 0,
    })
}
