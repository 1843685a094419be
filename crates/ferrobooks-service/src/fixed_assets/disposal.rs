//! Selling, scrapping or writing off an asset: Dr bank (proceeds + tax) +
//! Dr accumulated depreciation / Cr the asset's cost + Cr output tax, the
//! difference to gain or loss on disposal (../shared/DOMAIN.md section 6).
//!
//! The months that ended before the disposal's month are depreciated
//! first; the disposal's month is not.

use chrono::Datelike;
use serde::Deserialize;

use ferrobooks_domain::asset::{self, AssetAction};
use ferrobooks_store::fixed_assets as store;
use ferrobooks_store::now;

use super::depreciation::depreciate_in;
use super::{AssetView, status, view};
use crate::amount::DecimalText;
use crate::documents::posting::{chosen_account, line, paid_from_account, post_lines};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, parse_date};

/// A disposal.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disposal {
    /// Default today; not before the acquisition.
    pub date: Option<String>,
    /// What the buyer pays, before tax; default 0 (scrapped or written off).
    pub proceeds: Option<DecimalText>,
    /// Where the proceeds arrive; default the current account.
    pub bank_account_id: Option<String>,
    /// Tax charged on the sale, and the tax account it is owed on (both
    /// or neither).
    pub tax_amount: Option<DecimalText>,
    pub tax_account_id: Option<String>,
    /// Default: Other Income (4900), credited with a gain and debited with
    /// a loss.
    pub gain_loss_account_id: Option<String>,
}

impl Services {
    /// Disposes of an asset.
    pub async fn dispose_asset(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: Disposal,
    ) -> ServiceResult<AssetView> {
        let base = ctx.currency()?;
        let date = match &input.date {
            Some(d) => parse_date("date", d)?,
            None => crate::today(),
        };
        let proceeds = match &input.proceeds {
            Some(p) => p.minor(base, "proceeds")?,
            None => 0,
        };
        if proceeds < 0 {
            return Err(ServiceError::invalid("proceeds", "must not be negative"));
        }
        let tax = match &input.tax_amount {
            Some(t) => t.minor(base, "tax_amount")?,
            None => 0,
        };
        if tax < 0 {
            return Err(ServiceError::invalid("tax_amount", "must not be negative"));
        }
        if (tax > 0) != input.tax_account_id.is_some() {
            return Err(ServiceError::invalid(
                "tax_account_id",
                "tax_amount and tax_account_id go together",
            ));
        }
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let row = store::get_asset(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("fixed asset"))?;
        let next = status(&row)?
            .after(AssetAction::Dispose)
            .map_err(|e| ServiceError::wrong_status(row.status.clone(), e.to_string()))?;
        if date.to_string() < row.acquisition_date {
            return Err(ServiceError::invalid(
                "date",
                format!(
                    "must not be before the acquisition, {}",
                    row.acquisition_date
                ),
            ));
        }
        // The months ended before the disposal's month.
        let month_before = date.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(date);
        depreciate_in(conn, ctx, id, month_before, false).await?;
        let mut row = store::get_asset(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("fixed asset"))?;
        let acquired = parse_date("acquisition_date", &row.acquisition_date)?;
        if row.months_depreciated > i64::from(asset::months_ended(acquired, month_before)) {
            return Err(ServiceError::invalid(
                "date",
                format!(
                    "depreciation is posted through {}: a disposal falls after the months depreciated",
                    asset::month_end(
                        acquired,
                        u32::try_from(row.months_depreciated - 1).unwrap_or(0)
                    )
                ),
            ));
        }
        let gain_loss = chosen_account(
            conn,
            ctx,
            input.gain_loss_account_id.as_deref(),
            Some("other_income"),
            "gain_loss_account_id",
            |a| matches!(a.account_type.as_str(), "income" | "expense"),
            "income or expense",
        )
        .await?;
        let tax_account = match &input.tax_account_id {
            Some(t) => Some(
                chosen_account(
                    conn,
                    ctx,
                    Some(t),
                    None,
                    "tax_account_id",
                    |a| a.account_type == "liability",
                    "liability (tax)",
                )
                .await?,
            ),
            None => None,
        };
        let label = format!("Disposal of {}", row.name);
        let nbv = row.cost - row.accumulated;
        let gain = proceeds - nbv;
        let mut lines = vec![
            line(
                &row.accumulated_account_id,
                row.accumulated,
                true,
                None,
                Some(&label),
            ),
            line(&row.asset_account_id, row.cost, false, None, Some(&label)),
            line(
                &gain_loss.id,
                gain.abs(),
                gain < 0,
                None,
                Some("Gain or loss on disposal"),
            ),
        ];
        if proceeds + tax > 0 {
            let bank = paid_from_account(
                conn,
                ctx,
                input.bank_account_id.as_deref(),
                base,
                "bank_account_id",
            )
            .await?;
            lines.push(line(&bank.id, proceeds + tax, true, None, Some(&label)));
        }
        if let Some(t) = &tax_account {
            lines.push(line(&t.id, tax, false, None, Some("Tax on the sale")));
        }
        let entry = post_lines(
            conn,
            ctx,
            &format!("fixed_asset {}", row.id),
            &date.to_string(),
            label.clone(),
            None,
            lines,
        )
        .await?;
        row.status = next.as_str().into();
        row.disposal_date = Some(date.to_string());
        row.disposal_proceeds = Some(proceeds);
        row.disposal_entry_id = entry;
        row.updated_at = now();
        store::save_asset(conn, &row).await?;
        let v = view(row, ctx)?;
        self.emit(conn, ctx, "asset.updated", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }
}
