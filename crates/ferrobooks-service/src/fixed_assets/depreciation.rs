//! Monthly depreciation: Dr depreciation expense / Cr accumulated
//! depreciation, one entry per asset per month, dated the month's last
//! day, never below the residual value.
//!
//! A run takes every active asset to the last month that has ended by its
//! date. The months an asset has had are kept on it (under its row lock)
//! and each month is a row keyed by (asset, month), so a second run, on
//! this node or another, posts nothing twice; a run after downtime posts
//! every month missed. The scheduled job runs hourly through today.

use chrono::NaiveDate;
use futures::FutureExt;
use serde::{Deserialize, Serialize};

use ferrobooks_domain::asset::{self, AssetAction, AssetStatus};
use ferrobooks_store::fixed_assets::{self as store, DepreciationRow};
use std::sync::Arc;

use ferrobooks_store::{Conn, OrgId, now};

use super::{AssetView, status, terms, view};
use crate::amount::Amount;
use crate::documents::posting::{line, post_lines};
use crate::jobs::sweep::{Each, PageFn, sweep};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, parse_date};

/// A run's date: months that ended on or before it are depreciated.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepreciateThrough {
    /// Default today; not in the future.
    pub through: Option<String>,
}

/// One month posted for one asset.
#[derive(Debug, Clone, Serialize)]
pub struct DepreciationView {
    pub asset_id: String,
    pub date: String,
    pub amount: Amount,
    pub accumulated: Amount,
    pub journal_entry_id: Option<String>,
}

/// What an asset's depreciation posted.
#[derive(Debug, Clone, Serialize)]
pub struct AssetDepreciated {
    pub asset: AssetView,
    pub posted: Vec<DepreciationView>,
}

/// What a run over many assets did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunReport {
    pub through: String,
    /// Assets looked at (active ones).
    pub assets: u64,
    /// Month entries posted.
    pub entries: u64,
    /// Assets that could not be depreciated, with why (a closed period,
    /// an archived account); the run went on with the others.
    pub failed: Vec<RunFailure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunFailure {
    pub asset_id: String,
    pub message: String,
}

fn through(input: &DepreciateThrough) -> ServiceResult<NaiveDate> {
    let today = crate::today();
    match &input.through {
        None => Ok(today),
        Some(d) => {
            let d = parse_date("through", d)?;
            if d > today {
                return Err(ServiceError::invalid(
                    "through",
                    format!(
                        "must not be after today ({today}): months not yet ended are not depreciated"
                    ),
                ));
            }
            Ok(d)
        }
    }
}

/// Depreciates asset `id` through `date` in the caller's transaction.
/// `strict`: an asset that is not active is an error (asked for by hand);
/// otherwise it is passed over (a run).
pub(crate) async fn depreciate_in(
    conn: &mut Conn,
    ctx: &AuthContext,
    id: &str,
    date: NaiveDate,
    strict: bool,
) -> ServiceResult<(AssetView, Vec<DepreciationView>)> {
    let cur = ctx.currency()?;
    let mut row = store::get_asset(conn, ctx.org_id(), id, true)
        .await?
        .ok_or(ServiceError::not_found("fixed asset"))?;
    let st = status(&row)?;
    if st != AssetStatus::Active {
        if strict {
            let e = st
                .after(AssetAction::Depreciate { room: 0 })
                .expect_err("only an active asset depreciates");
            return Err(ServiceError::wrong_status(
                row.status.clone(),
                e.to_string(),
            ));
        }
        return Ok((view(row, ctx)?, vec![]));
    }
    let t = terms(&row, ctx)?;
    let months = asset::months_ended(t.acquired, date);
    let done = row.months_depreciated;
    let mut posted = Vec::new();
    if i64::from(months) <= done {
        return Ok((view(row, ctx)?, posted));
    }
    let label = format!("Depreciation: {}", row.name);
    for m in t.schedule(months) {
        if i64::from(m.index) < done {
            continue;
        }
        let day = m.end.to_string();
        let entry = post_lines(
            conn,
            ctx,
            &format!("fixed_asset {}", row.id),
            &day,
            label.clone(),
            None,
            vec![
                line(&row.expense_account_id, m.charge, true, None, Some(&label)),
                line(
                    &row.accumulated_account_id,
                    m.charge,
                    false,
                    None,
                    Some(&label),
                ),
            ],
        )
        .await?;
        let d = DepreciationRow {
            asset_id: row.id.clone(),
            month_index: i64::from(m.index),
            organization_id: ctx.org_id().to_owned(),
            date: day,
            amount: m.charge,
            accumulated: m.accumulated,
            journal_entry_id: entry,
            created_at: now(),
        };
        store::insert_depreciation(conn, &d).await?;
        let v = DepreciationView {
            asset_id: d.asset_id,
            date: d.date,
            amount: Amount::new(d.amount, cur),
            accumulated: Amount::new(d.accumulated, cur),
            journal_entry_id: d.journal_entry_id,
        };
        crate::accounts::emit(conn, ctx, "asset.depreciated", &v).await?;
        posted.push(v);
        row.accumulated = m.accumulated;
    }
    row.months_depreciated = i64::from(months);
    let room = row.cost - row.accumulated - row.residual_value;
    row.status = st
        .after(AssetAction::Depreciate { room })
        .map_err(|e| ServiceError::wrong_status(row.status.clone(), e.to_string()))?
        .as_str()
        .into();
    row.updated_at = now();
    store::save_asset(conn, &row).await?;
    Ok((view(row, ctx)?, posted))
}

impl Services {
    /// Depreciates one asset through a date (default today).
    pub async fn depreciate_asset(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: DepreciateThrough,
    ) -> ServiceResult<AssetDepreciated> {
        let date = through(&input)?;
        let mut wtx = self.store.begin_write().await?;
        let (asset, posted) = depreciate_in(&mut wtx.tx, ctx, id, date, true).await?;
        let v = AssetDepreciated { asset, posted };
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Depreciates every active asset of the caller's organization through
    /// a date (default today).
    pub async fn run_org_depreciation(
        &self,
        ctx: &AuthContext,
        input: DepreciateThrough,
    ) -> ServiceResult<RunReport> {
        let date = through(&input)?;
        let report = self.run_depreciation(Some(ctx.org_id()), date).await?;
        if ctx.request.idempotency.is_some() {
            let mut wtx = self.store.begin_write().await?;
            self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &report)
                .await?;
            wtx.commit().await?;
        }
        Ok(report)
    }

    /// Depreciates the active assets of one organization, or of all,
    /// through `date`: 250 assets per transaction, each under a savepoint
    /// of its own, so one that fails (a closed period) is reported and the
    /// others go on.
    pub async fn run_depreciation(
        &self,
        org: Option<&OrgId>,
        date: NaiveDate,
    ) -> ServiceResult<RunReport> {
        let each: Each<usize> = Arc::new(move |conn, ctx, id| {
            async move {
                depreciate_in(conn, ctx, id, date, false)
                    .await
                    .map(|(_, p)| p.len())
            }
            .boxed()
        });
        let page: PageFn =
            |st, org, after, limit| store::active_assets(st.pool(), org, after, limit).boxed();
        let mut report = RunReport {
            through: date.to_string(),
            ..RunReport::default()
        };
        for (id, outcome) in sweep(self, org, page, each).await? {
            report.assets += 1;
            match outcome {
                Ok(n) => report.entries += n as u64,
                Err(e) => {
                    tracing::warn!(asset = %id, error = %e, "depreciation skipped an asset");
                    report.failed.push(RunFailure {
                        asset_id: id,
                        message: e.message,
                    });
                }
            }
        }
        Ok(report)
    }
}

/// The scheduled job: every organization's assets through today.
pub(crate) async fn run_job(s: &Services) -> ServiceResult<()> {
    let r = s.run_depreciation(None, crate::today()).await?;
    if r.entries > 0 || !r.failed.is_empty() {
        tracing::info!(
            entries = r.entries,
            failed = r.failed.len(),
            "depreciation job"
        );
    }
    Ok(())
}
