//! The fixed-asset register: assets bought on a bill line or directly,
//! depreciated month by month ([`depreciation`]), sold or scrapped
//! ([`disposal`]). The arithmetic is [`ferrobooks_domain::asset`]; assets
//! are kept in the base currency.

pub mod depreciation;
pub mod disposal;

use ferrobooks_domain::Currency;
use ferrobooks_domain::asset::{self, AssetStatus, Method, Terms};
use ferrobooks_domain::document::settlement::to_base;
use ferrobooks_store::accounts::AccountRow;
use ferrobooks_store::fixed_assets::{self as store, AssetRow};
use ferrobooks_store::{Conn, new_id, now};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText, Number};
use crate::documents::posting::{chosen_account, line, paid_from_account, post_lines};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

/// How far a schedule looks ahead for the income-tax block, which has no
/// useful life: twenty years.
const BLOCK_HORIZON_MONTHS: u32 = 240;

/// A fixed asset and where its depreciation stands.
#[derive(Debug, Clone, Serialize)]
pub struct AssetView {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub currency: String,
    pub acquisition_date: String,
    pub cost: Amount,
    pub residual_value: Amount,
    pub useful_life_months: i64,
    pub method: String,
    /// Declining balance: k.
    pub declining_factor: Option<Number>,
    /// The rate the method applies, percent a year (written-down value:
    /// worked out from the residual and the life).
    pub rate_percent: Option<Number>,
    pub asset_account_id: String,
    pub accumulated_account_id: String,
    pub expense_account_id: String,
    pub bill_id: Option<String>,
    pub bill_line: Option<i64>,
    pub journal_entry_id: Option<String>,
    pub accumulated_depreciation: Amount,
    pub net_book_value: Amount,
    /// The last month-end depreciated (none before the first run).
    pub depreciated_through: Option<String>,
    /// active, fully_depreciated or disposed.
    pub status: String,
    pub disposal_date: Option<String>,
    pub disposal_proceeds: Option<Amount>,
    /// Proceeds less the net book value at disposal (negative: a loss).
    pub disposal_gain: Option<Amount>,
    pub disposal_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A new fixed asset.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAsset {
    pub name: String,
    pub description: Option<String>,
    /// Income-tax block (plant, furniture, computers, buildings,
    /// intangibles) or any label.
    pub category: Option<String>,
    /// Default: the bill's date, else today.
    pub acquisition_date: Option<String>,
    /// Default: the bill line's net amount in base.
    pub cost: Option<DecimalText>,
    pub residual_value: Option<DecimalText>,
    pub useful_life_months: Option<i64>,
    /// Default straight_line.
    pub method: Option<String>,
    /// Declining balance's k, default 2.
    pub declining_factor: Option<DecimalText>,
    /// Income-tax block's rate, percent; default the category's.
    pub block_rate: Option<DecimalText>,
    /// Default: the bill line's account, else Plant and Machinery (0020).
    pub asset_account_id: Option<String>,
    /// Default: Plant and Machinery Accumulated Depreciation (0021).
    pub accumulated_account_id: Option<String>,
    /// Default: Depreciation (8000).
    pub expense_account_id: Option<String>,
    /// The approved bill it was bought on, and the line (from 0).
    pub bill_id: Option<String>,
    pub bill_line: Option<i64>,
    /// Bought directly: paid from this bank, cash or card account (posts
    /// Dr asset / Cr it). Absent with no bill: the cost is already in the
    /// books and only the register is written.
    pub paid_from_account_id: Option<String>,
}

/// What may change on an asset once registered.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetUpdate {
    pub name: Option<String>,
    pub description: Option<String>,
}

/// One month of an asset's schedule.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleMonth {
    /// The month's last day.
    pub date: String,
    pub depreciation: Amount,
    pub accumulated: Amount,
    pub net_book_value: Amount,
    /// posted or projected.
    pub status: String,
    pub journal_entry_id: Option<String>,
}

/// An asset's schedule: months posted, then those projected.
#[derive(Debug, Clone, Serialize)]
pub struct AssetScheduleView {
    pub asset_id: String,
    pub method: String,
    pub rate_percent: Option<Number>,
    pub months: Vec<ScheduleMonth>,
}

pub(crate) fn terms(r: &AssetRow, ctx: &AuthContext) -> ServiceResult<Terms> {
    let corrupt = || ServiceError::internal("stored fixed asset is corrupt");
    let method = Method::from_name(&r.method).ok_or_else(corrupt)?;
    let factor: Decimal = r.factor.parse().map_err(|_| corrupt())?;
    let (fy, _) = ferrobooks_domain::org::parse_fiscal_year_start(&ctx.org.fiscal_year_start)
        .unwrap_or((1, 1));
    Terms::new(
        r.cost,
        r.residual_value,
        u32::try_from(r.useful_life_months).map_err(|_| corrupt())?,
        method,
        factor,
        parse_date("acquisition_date", &r.acquisition_date)?,
        fy,
    )
    .map_err(|_| corrupt())
}

pub(crate) fn status(r: &AssetRow) -> ServiceResult<AssetStatus> {
    AssetStatus::from_name(&r.status)
        .ok_or_else(|| ServiceError::internal("stored asset status is corrupt"))
}

fn percent(rate: Option<Decimal>) -> Option<Number> {
    rate.map(|r| Number::new(r * Decimal::from(100)))
}

pub(crate) fn view(r: AssetRow, ctx: &AuthContext) -> ServiceResult<AssetView> {
    let cur = ctx.currency()?;
    let t = terms(&r, ctx)?;
    let depreciated_through = (r.months_depreciated > 0).then(|| {
        let last = u32::try_from(r.months_depreciated - 1).unwrap_or(0);
        asset::month_end(t.acquired, last).to_string()
    });
    let nbv = r.cost - r.accumulated;
    Ok(AssetView {
        declining_factor: (t.method == Method::DecliningBalance).then(|| Number::new(t.factor)),
        rate_percent: percent(t.annual_rate()),
        disposal_gain: r.disposal_proceeds.map(|p| Amount::new(p - nbv, cur)),
        disposal_proceeds: r.disposal_proceeds.map(|p| Amount::new(p, cur)),
        accumulated_depreciation: Amount::new(r.accumulated, cur),
        net_book_value: Amount::new(nbv, cur),
        currency: cur.code().to_owned(),
        cost: Amount::new(r.cost, cur),
        residual_value: Amount::new(r.residual_value, cur),
        depreciated_through,
        id: r.id,
        name: r.name,
        description: r.description,
        category: r.category,
        acquisition_date: r.acquisition_date,
        useful_life_months: r.useful_life_months,
        method: r.method,
        asset_account_id: r.asset_account_id,
        accumulated_account_id: r.accumulated_account_id,
        expense_account_id: r.expense_account_id,
        bill_id: r.bill_id,
        bill_line: r.bill_line,
        journal_entry_id: r.journal_entry_id,
        status: r.status,
        disposal_date: r.disposal_date,
        disposal_entry_id: r.disposal_entry_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

fn capital_asset(a: &AccountRow) -> bool {
    a.account_type == "asset"
        && !matches!(
            a.subtype.as_str(),
            "bank" | "cash" | "receivable" | "credit_card" | "accumulated_depreciation" | "tax"
        )
}

/// The bill line an asset is bought on: its date, its net amount in base
/// and its account.
async fn bill_line(
    conn: &mut Conn,
    ctx: &AuthContext,
    bill_id: &str,
    line_no: i64,
    base: Currency,
) -> ServiceResult<(String, i64, String)> {
    use ferrobooks_store::documents as docs;
    let bill = docs::get_doc(&mut *conn, ctx.org_id(), "bill", bill_id)
        .await?
        .ok_or_else(|| ServiceError::invalid("bill_id", format!("no bill {bill_id}")))?;
    if bill.journal_entry_id.is_none() || bill.status == "void" {
        return Err(ServiceError::invalid(
            "bill_id",
            format!(
                "bill {bill_id} is {}: only an approved bill's line is an acquisition",
                bill.status
            ),
        ));
    }
    let lines = docs::lines_of(&mut *conn, ctx.org_id(), &[bill_id]).await?;
    let line = lines
        .into_iter()
        .find(|l| l.line_no == line_no)
        .ok_or_else(|| {
            ServiceError::invalid("bill_line", format!("bill {bill_id} has no line {line_no}"))
        })?;
    if let Some(other) =
        store::asset_of_bill_line(&mut *conn, ctx.org_id(), bill_id, line_no).await?
    {
        return Err(ServiceError::invalid(
            "bill_line",
            format!("line {line_no} of bill {bill_id} is already asset {other}"),
        ));
    }
    let cur = Currency::parse(&bill.currency).map_err(ServiceError::from)?;
    let rate: Decimal = bill
        .exchange_rate
        .parse()
        .map_err(|_| ServiceError::internal("stored exchange rate is corrupt"))?;
    let cost = to_base(line.net, cur, rate, base)?;
    Ok((bill.date, cost, line.account_id))
}

impl Services {
    /// Registers an asset (posting its purchase when it is paid here).
    pub async fn create_asset(
        &self,
        ctx: &AuthContext,
        input: NewAsset,
    ) -> ServiceResult<AssetView> {
        let base = ctx.currency()?;
        let name = opt_text("name", Some(input.name.clone()), 200)?
            .ok_or_else(|| ServiceError::invalid("name", "must not be blank"))?;
        let description = opt_text("description", input.description.clone(), 1000)?;
        let category = opt_text("category", input.category.clone(), 100)?;
        let method = Method::parse("method", input.method.as_deref().unwrap_or("straight_line"))?;
        if input.bill_line.is_some() != input.bill_id.is_some() {
            return Err(ServiceError::invalid(
                if input.bill_id.is_some() {
                    "bill_line"
                } else {
                    "bill_id"
                },
                "bill_id and bill_line go together",
            ));
        }
        if input.bill_id.is_some() && input.paid_from_account_id.is_some() {
            return Err(ServiceError::invalid(
                "paid_from_account_id",
                "an asset bought on a bill was paid through the bill",
            ));
        }
        let factor = match method {
            Method::DecliningBalance => match &input.declining_factor {
                Some(f) => ferrobooks_domain::money::parse_decimal(&f.0, "declining_factor")?,
                None => Decimal::from(2),
            },
            Method::IncomeTaxBlock => match (&input.block_rate, category.as_deref()) {
                (Some(r), _) => ferrobooks_domain::money::parse_decimal(&r.0, "block_rate")?,
                (None, Some(c)) => asset::block_rate(c).ok_or_else(|| {
                    ServiceError::invalid(
                        "block_rate",
                        format!("is required: '{c}' is not a block with a known rate (plant, furniture, computers, buildings, intangibles)"),
                    )
                })?,
                (None, None) => {
                    return Err(ServiceError::invalid(
                        "block_rate",
                        "is required without a category naming the block",
                    ));
                }
            },
            _ => Decimal::ZERO,
        };
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let from_bill = match (&input.bill_id, input.bill_line) {
            (Some(b), Some(l)) => Some(bill_line(conn, ctx, b, l, base).await?),
            _ => None,
        };
        let acquired = match (&input.acquisition_date, &from_bill) {
            (Some(d), _) => parse_date("acquisition_date", d)?,
            (None, Some((d, _, _))) => parse_date("acquisition_date", d)?,
            (None, None) => crate::today(),
        };
        let cost = match (&input.cost, &from_bill) {
            (Some(c), _) => c.minor(base, "cost")?,
            (None, Some((_, c, _))) => *c,
            (None, None) => {
                return Err(ServiceError::invalid("cost", "is required without bill_id"));
            }
        };
        let residual = match &input.residual_value {
            Some(r) => r.minor(base, "residual_value")?,
            None => 0,
        };
        let life = match (input.useful_life_months, method) {
            (Some(l), _) => u32::try_from(l).unwrap_or(0),
            (None, Method::IncomeTaxBlock) => 0,
            (None, _) => {
                return Err(ServiceError::invalid(
                    "useful_life_months",
                    format!("is required for {}", method.as_str()),
                ));
            }
        };
        let (fy, _) = ferrobooks_domain::org::parse_fiscal_year_start(&ctx.org.fiscal_year_start)
            .unwrap_or((1, 1));
        let t = Terms::new(cost, residual, life, method, factor, acquired, fy)?;
        let asset_default = from_bill.as_ref().map(|(_, _, a)| a.as_str());
        let asset_account = chosen_account(
            conn,
            ctx,
            input.asset_account_id.as_deref().or(asset_default),
            Some("plant_machinery"),
            "asset_account_id",
            capital_asset,
            "fixed-asset",
        )
        .await
        .map_err(|e| match (&from_bill, &input.asset_account_id) {
            (Some(_), None) => ServiceError::invalid(
                "bill_line",
                "the bill line posts to an account that is not a fixed-asset account",
            ),
            _ => e,
        })?;
        let accumulated = chosen_account(
            conn,
            ctx,
            input.accumulated_account_id.as_deref(),
            Some("plant_machinery_depreciation"),
            "accumulated_account_id",
            |a| {
                a.account_type == "asset"
                    && !matches!(a.subtype.as_str(), "bank" | "cash" | "receivable")
            },
            "asset (accumulated depreciation)",
        )
        .await?;
        if accumulated.id == asset_account.id {
            return Err(ServiceError::invalid(
                "accumulated_account_id",
                "must be another account than the asset's",
            ));
        }
        let expense = chosen_account(
            conn,
            ctx,
            input.expense_account_id.as_deref(),
            Some("depreciation"),
            "expense_account_id",
            |a| a.account_type == "expense",
            "expense",
        )
        .await?;
        let id = new_id("fa");
        let entry = match &input.paid_from_account_id {
            Some(p) => {
                let bank =
                    paid_from_account(conn, ctx, Some(p), base, "paid_from_account_id").await?;
                let label = format!("Fixed asset bought: {name}");
                post_lines(
                    conn,
                    ctx,
                    &format!("fixed_asset {id}"),
                    &acquired.to_string(),
                    label.clone(),
                    None,
                    vec![
                        line(&asset_account.id, cost, true, None, Some(&label)),
                        line(&bank.id, cost, false, None, Some(&label)),
                    ],
                )
                .await?
            }
            None => None,
        };
        let at = now();
        let row = AssetRow {
            id,
            organization_id: ctx.org_id().to_owned(),
            name,
            description,
            category,
            acquisition_date: acquired.to_string(),
            cost,
            residual_value: residual,
            useful_life_months: i64::from(t.life_months),
            method: method.as_str().into(),
            factor: factor.normalize().to_string(),
            asset_account_id: asset_account.id,
            accumulated_account_id: accumulated.id,
            expense_account_id: expense.id,
            bill_id: input.bill_id.clone(),
            bill_line: input.bill_line,
            journal_entry_id: entry,
            months_depreciated: 0,
            accumulated: 0,
            status: AssetStatus::Active.as_str().into(),
            disposal_date: None,
            disposal_proceeds: None,
            disposal_entry_id: None,
            created_at: at.clone(),
            updated_at: at,
        };
        store::save_asset(conn, &row).await?;
        let v = view(row, ctx)?;
        self.emit(conn, ctx, "asset.created", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_asset(&self, ctx: &AuthContext, id: &str) -> ServiceResult<AssetView> {
        let mut conn = self.store.read_conn().await?;
        let row = store::get_asset(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("fixed asset"))?;
        view(row, ctx)
    }

    pub async fn list_assets(
        &self,
        ctx: &AuthContext,
        status: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<AssetView>> {
        if let Some(s) = status {
            AssetStatus::parse("status", s).map_err(ServiceError::bad_query)?;
        }
        let mut conn = self.store.read_conn().await?;
        let rows = store::list_assets(
            &mut *conn,
            ctx.org_id(),
            status,
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        paginate(rows, limit, |r| &r.id).try_map(|r| view(r, ctx))
    }

    /// Renames an asset or changes its description.
    pub async fn update_asset(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: AssetUpdate,
    ) -> ServiceResult<AssetView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut row = store::get_asset(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("fixed asset"))?;
        if let Some(n) = input.name {
            row.name = opt_text("name", Some(n), 200)?
                .ok_or_else(|| ServiceError::invalid("name", "must not be blank"))?;
        }
        if input.description.is_some() {
            row.description = opt_text("description", input.description, 1000)?;
        }
        row.updated_at = now();
        store::save_asset(conn, &row).await?;
        let v = view(row, ctx)?;
        self.emit(conn, ctx, "asset.updated", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// The months posted, then those projected to the end of the asset's
    /// depreciation (the income-tax block: twenty years).
    pub async fn asset_schedule(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<AssetScheduleView> {
        let cur = ctx.currency()?;
        let mut conn = self.store.read_conn().await?;
        let row = store::get_asset(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("fixed asset"))?;
        let t = terms(&row, ctx)?;
        let nbv = |acc: i64| Amount::new(row.cost - acc, cur);
        let mut months: Vec<ScheduleMonth> = store::depreciations(&mut *conn, ctx.org_id(), id)
            .await?
            .into_iter()
            .map(|d| ScheduleMonth {
                date: d.date,
                depreciation: Amount::new(d.amount, cur),
                accumulated: Amount::new(d.accumulated, cur),
                net_book_value: nbv(d.accumulated),
                status: "posted".into(),
                journal_entry_id: d.journal_entry_id,
            })
            .collect();
        if row.status == AssetStatus::Active.as_str() {
            let horizon = if t.method == Method::IncomeTaxBlock {
                BLOCK_HORIZON_MONTHS.max(u32::try_from(row.months_depreciated).unwrap_or(0) + 12)
            } else {
                t.life_months
            };
            for m in t.schedule(horizon) {
                if i64::from(m.index) < row.months_depreciated {
                    continue;
                }
                months.push(ScheduleMonth {
                    date: m.end.to_string(),
                    depreciation: Amount::new(m.charge, cur),
                    accumulated: Amount::new(m.accumulated, cur),
                    net_book_value: nbv(m.accumulated),
                    status: "projected".into(),
                    journal_entry_id: None,
                });
            }
        }
        Ok(AssetScheduleView {
            asset_id: row.id,
            method: row.method,
            rate_percent: percent(t.annual_rate()),
            months,
        })
    }
}
