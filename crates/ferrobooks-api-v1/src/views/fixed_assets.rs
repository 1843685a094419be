//! The native API's fixed-asset shapes, translated field by field from and
//! to the use cases' own types.

use crate::views::money::{Amount, DecimalText, Number};
use ferrobooks_service::fixed_assets as svc;
use ferrobooks_service::fixed_assets::depreciation as dep;
use ferrobooks_service::fixed_assets::disposal as disp;
use serde::{Deserialize, Serialize};

/// A fixed asset and where its depreciation stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssetView {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// The income-tax block (plant, furniture, computers...) or any label.
    pub category: Option<String>,
    /// The base currency: assets are kept in it.
    pub currency: String,
    #[schema(format = Date)]
    pub acquisition_date: String,
    pub cost: Amount,
    pub residual_value: Amount,
    /// 0 for the income-tax block, which has none.
    pub useful_life_months: i64,
    /// straight_line, declining_balance, written_down_value or
    /// income_tax_block.
    pub method: String,
    /// Declining balance: k (2 is double declining).
    pub declining_factor: Option<Number>,
    /// The rate the method applies, percent a year (written-down value:
    /// 1 - (residual / cost)^(1 / years), to 0.01%).
    pub rate_percent: Option<Number>,
    pub asset_account_id: String,
    pub accumulated_account_id: String,
    pub expense_account_id: String,
    pub bill_id: Option<String>,
    pub bill_line: Option<i64>,
    /// The purchase's entry, when it was paid directly.
    pub journal_entry_id: Option<String>,
    pub accumulated_depreciation: Amount,
    pub net_book_value: Amount,
    /// The last month-end depreciated.
    #[schema(format = Date)]
    pub depreciated_through: Option<String>,
    /// active, fully_depreciated or disposed.
    pub status: String,
    #[schema(format = Date)]
    pub disposal_date: Option<String>,
    pub disposal_proceeds: Option<Amount>,
    /// Proceeds less the net book value at disposal (negative: a loss).
    pub disposal_gain: Option<Amount>,
    pub disposal_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::AssetView> for AssetView {
    fn from(v: svc::AssetView) -> Self {
        let svc::AssetView {
            id,
            name,
            description,
            category,
            currency,
            acquisition_date,
            cost,
            residual_value,
            useful_life_months,
            method,
            declining_factor,
            rate_percent,
            asset_account_id,
            accumulated_account_id,
            expense_account_id,
            bill_id,
            bill_line,
            journal_entry_id,
            accumulated_depreciation,
            net_book_value,
            depreciated_through,
            status,
            disposal_date,
            disposal_proceeds,
            disposal_gain,
            disposal_entry_id,
            created_at,
            updated_at,
        } = v;
        AssetView {
            id,
            name,
            description,
            category,
            currency,
            acquisition_date,
            cost: cost.into(),
            residual_value: residual_value.into(),
            useful_life_months,
            method,
            declining_factor: declining_factor.map(Into::into),
            rate_percent: rate_percent.map(Into::into),
            asset_account_id,
            accumulated_account_id,
            expense_account_id,
            bill_id,
            bill_line,
            journal_entry_id,
            accumulated_depreciation: accumulated_depreciation.into(),
            net_book_value: net_book_value.into(),
            depreciated_through,
            status,
            disposal_date,
            disposal_proceeds: disposal_proceeds.map(Into::into),
            disposal_gain: disposal_gain.map(Into::into),
            disposal_entry_id,
            created_at,
            updated_at,
        }
    }
}

/// A new fixed asset: bought on an approved bill's line, paid directly
/// (`paid_from_account_id`), or already in the books (neither).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Delivery van", "acquisition_date": "2025-01-10", "cost": "24000.00",
    "residual_value": "0", "useful_life_months": 24, "method": "straight_line",
    "paid_from_account_id": "acc_01kbx2h1bank000000000000000"}))]
pub struct NewAsset {
    pub name: String,
    pub description: Option<String>,
    /// Income-tax block (plant, furniture, computers, buildings,
    /// intangibles) or any label.
    pub category: Option<String>,
    /// Default: the bill's date, else today. Depreciation counts whole
    /// months from this date's month.
    #[schema(format = Date)]
    pub acquisition_date: Option<String>,
    /// Default: the bill line's net amount in base; otherwise required.
    pub cost: Option<DecimalText>,
    /// Default 0; at most the cost. The method never goes below it.
    pub residual_value: Option<DecimalText>,
    /// 1 to 1200; required except for income_tax_block.
    #[serde(
        default,
        deserialize_with = "ferrobooks_service::amount::opt_whole_number"
    )]
    #[schema(minimum = 1, maximum = 1200)]
    pub useful_life_months: Option<i64>,
    /// straight_line (default), declining_balance, written_down_value
    /// (needs a residual above 0) or income_tax_block.
    pub method: Option<String>,
    /// Declining balance's k, default 2.
    pub declining_factor: Option<DecimalText>,
    /// Income-tax block's rate, percent; default the category's (plant 15,
    /// furniture 10, computers 40, buildings 10, intangibles 25).
    pub block_rate: Option<DecimalText>,
    /// Default: the bill line's account, else Plant and Machinery (0020).
    pub asset_account_id: Option<String>,
    /// Default: Plant and Machinery Accumulated Depreciation (0021).
    pub accumulated_account_id: Option<String>,
    /// Default: Depreciation (8000).
    pub expense_account_id: Option<String>,
    /// The approved bill it was bought on, with `bill_line` (from 0); a
    /// line makes one asset.
    pub bill_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "ferrobooks_service::amount::opt_whole_number"
    )]
    #[schema(minimum = 0)]
    pub bill_line: Option<i64>,
    /// Bought directly from this bank, cash or card account: posts Dr
    /// asset / Cr it on the acquisition date.
    pub paid_from_account_id: Option<String>,
}

impl From<NewAsset> for svc::NewAsset {
    fn from(v: NewAsset) -> Self {
        let NewAsset {
            name,
            description,
            category,
            acquisition_date,
            cost,
            residual_value,
            useful_life_months,
            method,
            declining_factor,
            block_rate,
            asset_account_id,
            accumulated_account_id,
            expense_account_id,
            bill_id,
            bill_line,
            paid_from_account_id,
        } = v;
        svc::NewAsset {
            name,
            description,
            category,
            acquisition_date,
            cost: cost.map(Into::into),
            residual_value: residual_value.map(Into::into),
            useful_life_months,
            method,
            declining_factor: declining_factor.map(Into::into),
            block_rate: block_rate.map(Into::into),
            asset_account_id,
            accumulated_account_id,
            expense_account_id,
            bill_id,
            bill_line,
            paid_from_account_id,
        }
    }
}

/// What may change on a registered asset.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Delivery van (blue)"}))]
pub struct AssetUpdate {
    pub name: Option<String>,
    pub description: Option<String>,
}

impl From<AssetUpdate> for svc::AssetUpdate {
    fn from(v: AssetUpdate) -> Self {
        let AssetUpdate { name, description } = v;
        svc::AssetUpdate { name, description }
    }
}

/// One month of an asset's schedule.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScheduleMonth {
    /// The month's last day.
    #[schema(format = Date)]
    pub date: String,
    pub depreciation: Amount,
    pub accumulated: Amount,
    pub net_book_value: Amount,
    /// posted or projected.
    pub status: String,
    pub journal_entry_id: Option<String>,
}

impl From<svc::ScheduleMonth> for ScheduleMonth {
    fn from(v: svc::ScheduleMonth) -> Self {
        let svc::ScheduleMonth {
            date,
            depreciation,
            accumulated,
            net_book_value,
            status,
            journal_entry_id,
        } = v;
        ScheduleMonth {
            date,
            depreciation: depreciation.into(),
            accumulated: accumulated.into(),
            net_book_value: net_book_value.into(),
            status,
            journal_entry_id,
        }
    }
}

/// An asset's schedule: the months posted, then those projected.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssetScheduleView {
    pub asset_id: String,
    pub method: String,
    pub rate_percent: Option<Number>,
    pub months: Vec<ScheduleMonth>,
}

impl From<svc::AssetScheduleView> for AssetScheduleView {
    fn from(v: svc::AssetScheduleView) -> Self {
        let svc::AssetScheduleView {
            asset_id,
            method,
            rate_percent,
            months,
        } = v;
        AssetScheduleView {
            asset_id,
            method,
            rate_percent: rate_percent.map(Into::into),
            months: super::each(months),
        }
    }
}

/// Depreciate through a date: the months that ended on or before it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"through": "2026-06-30"}))]
pub struct DepreciateThrough {
    /// Default today; not in the future.
    #[schema(format = Date)]
    pub through: Option<String>,
}

impl From<DepreciateThrough> for dep::DepreciateThrough {
    fn from(v: DepreciateThrough) -> Self {
        let DepreciateThrough { through } = v;
        dep::DepreciateThrough { through }
    }
}

/// One month posted for one asset.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DepreciationView {
    pub asset_id: String,
    #[schema(format = Date)]
    pub date: String,
    pub amount: Amount,
    pub accumulated: Amount,
    pub journal_entry_id: Option<String>,
}

impl From<dep::DepreciationView> for DepreciationView {
    fn from(v: dep::DepreciationView) -> Self {
        let dep::DepreciationView {
            asset_id,
            date,
            amount,
            accumulated,
            journal_entry_id,
        } = v;
        DepreciationView {
            asset_id,
            date,
            amount: amount.into(),
            accumulated: accumulated.into(),
            journal_entry_id,
        }
    }
}

/// What depreciating one asset posted.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssetDepreciated {
    pub asset: AssetView,
    /// The months posted now (none when nothing was due).
    pub posted: Vec<DepreciationView>,
}

impl From<dep::AssetDepreciated> for AssetDepreciated {
    fn from(v: dep::AssetDepreciated) -> Self {
        let dep::AssetDepreciated { asset, posted } = v;
        AssetDepreciated {
            asset: asset.into(),
            posted: super::each(posted),
        }
    }
}

/// What a depreciation run over the organization's assets did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunReport {
    #[schema(format = Date)]
    pub through: String,
    /// Active assets looked at.
    pub assets: u64,
    /// Month entries posted.
    pub entries: u64,
    /// Assets that could not be depreciated (a closed period...), with why.
    pub failed: Vec<RunFailure>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunFailure {
    pub asset_id: String,
    pub message: String,
}

impl From<dep::RunReport> for RunReport {
    fn from(v: dep::RunReport) -> Self {
        let dep::RunReport {
            through,
            assets,
            entries,
            failed,
        } = v;
        RunReport {
            through,
            assets,
            entries,
            failed: failed
                .into_iter()
                .map(|f| RunFailure {
                    asset_id: f.asset_id,
                    message: f.message,
                })
                .collect(),
        }
    }
}

/// A sale, scrapping or write-off.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-01", "proceeds": "15000.00"}))]
pub struct Disposal {
    /// Default today; not before the acquisition nor inside the months
    /// already depreciated.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// Before tax; default 0 (scrapped or written off).
    pub proceeds: Option<DecimalText>,
    /// Where the proceeds arrive; default the current account.
    pub bank_account_id: Option<String>,
    /// Tax charged on the sale, with the liability account it is owed on.
    pub tax_amount: Option<DecimalText>,
    pub tax_account_id: Option<String>,
    /// Default Other Income (4900): credited with a gain, debited with a
    /// loss.
    pub gain_loss_account_id: Option<String>,
}

impl From<Disposal> for disp::Disposal {
    fn from(v: Disposal) -> Self {
        let Disposal {
            date,
            proceeds,
            bank_account_id,
            tax_amount,
            tax_account_id,
            gain_loss_account_id,
        } = v;
        disp::Disposal {
            date,
            proceeds: proceeds.map(Into::into),
            bank_account_id,
            tax_amount: tax_amount.map(Into::into),
            tax_account_id,
            gain_loss_account_id,
        }
    }
}
