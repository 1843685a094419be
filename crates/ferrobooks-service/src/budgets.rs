//! Budgets: a fiscal year's months per income and expense account, for
//! the whole organization or one branch; one active budget per year and
//! branch; copied from a year's actuals with a percentage; and the budget
//! versus actual report by month, quarter or year.

use std::collections::HashMap;

use chrono::NaiveDate;
use ferrobooks_domain::budget::{self, BudgetAction, BudgetStatus, Period};
use ferrobooks_domain::{Currency, Minor};
use ferrobooks_store::budgets::{self as store, BudgetLineRow, BudgetRow};
use ferrobooks_store::{Conn, new_id, now};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText, Number};
use crate::documents::lifecycle::branch as branch_code;
use crate::filters::Filter;
use crate::page::{Page, paginate};
use crate::{AuthContext, Code, Outcome, ServiceError, ServiceResult, Services, opt_text};

/// One account's months, as given.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetLineInput {
    pub account_id: String,
    /// Twelve amounts, the fiscal year's months in order.
    pub amounts: Vec<DecimalText>,
}

/// A new budget, or (every field optional) what changes on one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetInput {
    pub name: Option<String>,
    /// The calendar year the fiscal year starts in.
    pub fiscal_year: Option<i64>,
    /// A branch code; default the whole organization.
    pub branch: Option<String>,
    /// Replace every line.
    pub lines: Option<Vec<BudgetLineInput>>,
    /// Instead of lines: that fiscal year's actuals per income and expense
    /// account...
    pub copy_actuals_from: Option<i64>,
    /// ...adjusted by this percent (10 is 10% more; default 0).
    pub adjust_percent: Option<DecimalText>,
}

/// One account's months.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetLineView {
    pub account_id: String,
    pub amounts: Vec<Amount>,
    pub total: Amount,
}

/// A budget.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetView {
    pub id: String,
    pub name: String,
    pub fiscal_year: i64,
    pub period_start: String,
    pub period_end: String,
    pub branch: Option<String>,
    /// draft, active or archived.
    pub status: String,
    pub currency: String,
    pub lines: Vec<BudgetLineView>,
    pub created_at: String,
    pub updated_at: String,
}

/// What the report compares.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BudgetVsActualQuery {
    pub fiscal_year: Option<i64>,
    /// month (default), quarter or year.
    pub period: Option<String>,
    pub branch: Option<String>,
    /// Default: the active budget of the year and branch.
    pub budget_id: Option<String>,
}

/// One column of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub from: String,
    pub to: String,
}

/// One account's budget and actual in one column.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub budget: Amount,
    pub actual: Amount,
    /// actual - budget.
    pub variance: Amount,
    /// The variance as a percent of the budget; null when it is zero.
    pub variance_percent: Option<Number>,
}

/// One account's row.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    pub account_id: String,
    pub code: String,
    pub name: String,
    /// income or expense.
    pub account_type: String,
    pub cells: Vec<Cell>,
    pub total: Cell,
}

/// Budget versus actual.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetVsActual {
    pub budget_id: String,
    pub fiscal_year: i64,
    pub period: String,
    pub branch: Option<String>,
    pub currency: String,
    pub columns: Vec<Column>,
    pub rows: Vec<ReportRow>,
}

fn fy_start(ctx: &AuthContext, year: i32) -> ServiceResult<NaiveDate> {
    let (m, d) = ferrobooks_domain::org::parse_fiscal_year_start(&ctx.org.fiscal_year_start)
        .unwrap_or((1, 1));
    NaiveDate::from_ymd_opt(year, m, d)
        .ok_or_else(|| ServiceError::invalid("fiscal_year", "is not a year the books take"))
}

fn check_year(field: &str, y: i64) -> ServiceResult<i32> {
    match i32::try_from(y) {
        Ok(y) if (1900..=2200).contains(&y) => Ok(y),
        _ => Err(ServiceError::invalid(
            field,
            "must be a year from 1900 to 2200",
        )),
    }
}

fn months_of(l: &BudgetLineRow) -> ServiceResult<[Minor; 12]> {
    serde_json::from_str(&l.amounts).map_err(ServiceError::internal)
}

fn cell(cur: Currency, budget: Minor, actual: Minor) -> Cell {
    Cell {
        budget: Amount::new(budget, cur),
        actual: Amount::new(actual, cur),
        variance: Amount::new(actual - budget, cur),
        variance_percent: budget::variance_percent(budget, actual).map(Number::new),
    }
}

fn view(r: BudgetRow, lines: Vec<BudgetLineRow>, ctx: &AuthContext) -> ServiceResult<BudgetView> {
    let cur = ctx.currency()?;
    let start = fy_start(ctx, i32::try_from(r.fiscal_year).unwrap_or(2000))?;
    let lines = lines
        .iter()
        .map(|l| {
            let m = months_of(l)?;
            Ok(BudgetLineView {
                account_id: l.account_id.clone(),
                amounts: m.iter().map(|a| Amount::new(*a, cur)).collect(),
                total: Amount::new(m.iter().sum(), cur),
            })
        })
        .collect::<ServiceResult<_>>()?;
    Ok(BudgetView {
        id: r.id,
        name: r.name,
        fiscal_year: r.fiscal_year,
        period_start: start.to_string(),
        period_end: budget::fiscal_month(start, 11).1.to_string(),
        branch: Some(r.branch).filter(|b| !b.is_empty()),
        status: r.status,
        currency: cur.code().to_owned(),
        lines,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

fn wrong(r: &BudgetRow, action: BudgetAction) -> ServiceResult<Option<BudgetStatus>> {
    BudgetStatus::from_name(&r.status)
        .ok_or_else(|| ServiceError::internal("stored budget status is corrupt"))?
        .after(action)
        .map_err(|e| ServiceError::wrong_status(r.status.clone(), e.to_string()))
}

impl Services {
    /// Each income and expense account's posted movement in each of the
    /// fiscal year's months (income as credit - debit, expense as debit -
    /// credit), of one branch when given.
    async fn monthly_actuals(
        &self,
        ctx: &AuthContext,
        start: NaiveDate,
        branch: Option<&str>,
    ) -> ServiceResult<(
        HashMap<String, [Minor; 12]>,
        HashMap<String, (String, String, String)>,
    )> {
        let filter = Filter::of_branch(branch.map(str::to_owned));
        let mut out: HashMap<String, [Minor; 12]> = HashMap::new();
        let mut names = HashMap::new();
        for i in 0..12u32 {
            let (from, to) = budget::fiscal_month(start, i);
            for t in self.totals_on(ctx, Some(from), to, &filter).await? {
                let amount = match t.account_type.as_str() {
                    "income" => t.credit - t.debit,
                    "expense" => t.debit - t.credit,
                    _ => continue,
                };
                out.entry(t.account_id.clone()).or_insert([0; 12])[i as usize] += amount;
                names.insert(t.account_id, (t.code, t.name, t.account_type));
            }
        }
        Ok((out, names))
    }

    /// The lines `input` gives: checked accounts and twelve amounts each,
    /// or a year's actuals adjusted.
    async fn budget_lines(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        budget_id: &str,
        branch: Option<&str>,
        input: &BudgetInput,
    ) -> ServiceResult<Option<Vec<BudgetLineRow>>> {
        let cur = ctx.currency()?;
        let line = |account_id: String, m: [Minor; 12]| -> ServiceResult<BudgetLineRow> {
            Ok(BudgetLineRow {
                budget_id: budget_id.to_owned(),
                account_id,
                organization_id: ctx.org_id().to_owned(),
                amounts: serde_json::to_string(&m).map_err(ServiceError::internal)?,
            })
        };
        match (&input.lines, input.copy_actuals_from) {
            (Some(_), Some(_)) => Err(ServiceError::invalid(
                "copy_actuals_from",
                "give lines or copy_actuals_from, not both",
            )),
            (None, None) => {
                if input.adjust_percent.is_some() {
                    return Err(ServiceError::invalid(
                        "adjust_percent",
                        "adjusts copy_actuals_from",
                    ));
                }
                Ok(None)
            }
            (None, Some(year)) => {
                let year = check_year("copy_actuals_from", year)?;
                let pct = match &input.adjust_percent {
                    Some(p) => ferrobooks_domain::money::parse_decimal(&p.0, "adjust_percent")?,
                    None => Decimal::ZERO,
                };
                if pct < Decimal::from(-100) || pct > Decimal::from(1000) {
                    return Err(ServiceError::invalid(
                        "adjust_percent",
                        "must be from -100 to 1000",
                    ));
                }
                let (actuals, _) = self
                    .monthly_actuals(ctx, fy_start(ctx, year)?, branch)
                    .await?;
                let mut ids: Vec<_> = actuals
                    .into_iter()
                    .filter(|(_, m)| m.iter().any(|a| *a != 0))
                    .collect();
                ids.sort_by(|a, b| a.0.cmp(&b.0));
                ids.into_iter()
                    .map(|(id, m)| line(id, budget::adjusted(&m, pct)))
                    .collect::<ServiceResult<_>>()
                    .map(Some)
            }
            (Some(lines), None) => {
                let ids: Vec<&str> = lines.iter().map(|l| l.account_id.as_str()).collect();
                let found =
                    ferrobooks_store::accounts::accounts_by_ids(&mut *conn, ctx.org_id(), &ids)
                        .await?;
                let mut out: Vec<BudgetLineRow> = Vec::with_capacity(lines.len());
                for (n, l) in lines.iter().enumerate() {
                    let field = |f: &str| format!("lines[{n}].{f}");
                    let Some(a) = found.iter().find(|a| a.id == l.account_id) else {
                        return Err(ServiceError::invalid(
                            field("account_id"),
                            format!("no account {}", l.account_id),
                        ));
                    };
                    if !matches!(a.account_type.as_str(), "income" | "expense") {
                        return Err(ServiceError::invalid(
                            field("account_id"),
                            format!(
                                "{} is a {} account: a budget is of income and expense accounts",
                                a.code, a.account_type
                            ),
                        ));
                    }
                    if out.iter().any(|o| o.account_id == l.account_id) {
                        return Err(ServiceError::invalid(
                            field("account_id"),
                            format!("{} has a line already", a.code),
                        ));
                    }
                    if l.amounts.len() != 12 {
                        return Err(ServiceError::invalid(
                            field("amounts"),
                            format!(
                                "has {} amounts: give the fiscal year's twelve months",
                                l.amounts.len()
                            ),
                        ));
                    }
                    let mut m = [0; 12];
                    for (i, v) in l.amounts.iter().enumerate() {
                        m[i] = v.minor(cur, &format!("lines[{n}].amounts[{i}]"))?;
                    }
                    out.push(line(l.account_id.clone(), m)?);
                }
                Ok(Some(out))
            }
        }
    }

    pub async fn create_budget(
        &self,
        ctx: &AuthContext,
        input: BudgetInput,
    ) -> ServiceResult<BudgetView> {
        let name = opt_text("name", input.name.clone(), 200)?
            .ok_or_else(|| ServiceError::invalid("name", "must not be blank"))?;
        let year = check_year(
            "fiscal_year",
            input
                .fiscal_year
                .ok_or_else(|| ServiceError::invalid("fiscal_year", "is required"))?,
        )?;
        fy_start(ctx, year)?;
        let branch = branch_code(input.branch.as_deref())?;
        let at = now();
        let row = BudgetRow {
            id: new_id("bud"),
            organization_id: ctx.org_id().to_owned(),
            name,
            fiscal_year: i64::from(year),
            branch: branch.clone().unwrap_or_default(),
            status: BudgetStatus::Draft.as_str().into(),
            created_at: at.clone(),
            updated_at: at,
        };
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let lines = self
            .budget_lines(conn, ctx, &row.id, branch.as_deref(), &input)
            .await?
            .unwrap_or_default();
        store::save_budget(conn, &row).await?;
        store::replace_lines(conn, ctx.org_id(), &row.id, &lines).await?;
        let v = view(row, lines, ctx)?;
        self.emit(conn, ctx, "budget.created", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_budget(&self, ctx: &AuthContext, id: &str) -> ServiceResult<BudgetView> {
        let mut conn = self.store.read_conn().await?;
        let row = store::get_budget(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("budget"))?;
        let lines = store::budget_lines(&mut *conn, ctx.org_id(), id).await?;
        view(row, lines, ctx)
    }

    pub async fn list_budgets(
        &self,
        ctx: &AuthContext,
        status: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<BudgetView>> {
        if let Some(s) = status {
            BudgetStatus::parse("status", s).map_err(ServiceError::bad_query)?;
        }
        let mut conn = self.store.read_conn().await?;
        let rows = store::list_budgets(
            &mut *conn,
            ctx.org_id(),
            status,
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.id);
        let mut items = Vec::with_capacity(page.items.len());
        for r in page.items {
            let lines = store::budget_lines(&mut *conn, ctx.org_id(), &r.id).await?;
            items.push(view(r, lines, ctx)?);
        }
        Ok(Page {
            items,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Renames a budget or replaces its lines (draft or active).
    pub async fn update_budget(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: BudgetInput,
    ) -> ServiceResult<BudgetView> {
        if input.fiscal_year.is_some() || input.branch.is_some() {
            return Err(ServiceError::invalid(
                if input.fiscal_year.is_some() {
                    "fiscal_year"
                } else {
                    "branch"
                },
                "does not change: make another budget",
            ));
        }
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut row = store::get_budget(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("budget"))?;
        wrong(&row, BudgetAction::Edit)?;
        if let Some(n) = input.name.clone() {
            row.name = opt_text("name", Some(n), 200)?
                .ok_or_else(|| ServiceError::invalid("name", "must not be blank"))?;
        }
        let branch = Some(row.branch.clone()).filter(|b| !b.is_empty());
        if let Some(lines) = self
            .budget_lines(conn, ctx, id, branch.as_deref(), &input)
            .await?
        {
            store::replace_lines(conn, ctx.org_id(), id, &lines).await?;
        }
        row.updated_at = now();
        store::save_budget(conn, &row).await?;
        let lines = store::budget_lines(&mut *conn, ctx.org_id(), id).await?;
        let v = view(row, lines, ctx)?;
        self.emit(conn, ctx, "budget.updated", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Activates or archives a budget.
    pub async fn change_budget(
        &self,
        ctx: &AuthContext,
        id: &str,
        action: BudgetAction,
    ) -> ServiceResult<BudgetView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut row = store::get_budget(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("budget"))?;
        let next = wrong(&row, action)?.expect("activate and archive keep the budget");
        if next == BudgetStatus::Active
            && let Some(other) =
                store::active_budget(&mut *conn, ctx.org_id(), row.fiscal_year, &row.branch).await?
        {
            return Err(ServiceError::new(
                Code::InvalidState,
                format!(
                    "budget {} ({}) is already active for fiscal year {}{}: archive it first",
                    other.id,
                    other.name,
                    row.fiscal_year,
                    if row.branch.is_empty() {
                        String::new()
                    } else {
                        format!(" and branch {}", row.branch)
                    }
                ),
            ));
        }
        row.status = next.as_str().into();
        row.updated_at = now();
        store::save_budget(conn, &row).await?;
        let lines = store::budget_lines(&mut *conn, ctx.org_id(), id).await?;
        let v = view(row, lines, ctx)?;
        let event = if next == BudgetStatus::Active {
            "budget.activated"
        } else {
            "budget.updated"
        };
        self.emit(conn, ctx, event, &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Deletes a draft or archived budget.
    pub async fn delete_budget(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let row = store::get_budget(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("budget"))?;
        wrong(&row, BudgetAction::Delete)?;
        let v = view(row, vec![], ctx)?;
        store::delete_budget(conn, ctx.org_id(), id).await?;
        self.emit(conn, ctx, "budget.deleted", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &serde_json::Value::Null)
            .await?;
        wtx.commit().await?;
        Ok(())
    }

    /// Budget versus actual for a fiscal year, by month, quarter or year.
    pub async fn budget_vs_actual(
        &self,
        ctx: &AuthContext,
        q: BudgetVsActualQuery,
    ) -> ServiceResult<BudgetVsActual> {
        let cur = ctx.currency()?;
        // Rules of the query (no such budget, none active): it is well
        // formed, so these are `validation_failed`, not `invalid_query`.
        let bad = |field: &str, msg: String| ServiceError::invalid(field, msg);
        let period = Period::parse("period", q.period.as_deref().unwrap_or("month"))
            .map_err(ServiceError::bad_query)?;
        let branch = branch_code(q.branch.as_deref())?;
        let mut conn = self.store.read_conn().await?;
        let row = match (&q.budget_id, q.fiscal_year) {
            (Some(id), _) => store::get_budget(&mut conn, ctx.org_id(), id, false)
                .await?
                .ok_or_else(|| bad("budget_id", format!("no budget {id}")))?,
            (None, Some(y)) => {
                let y = check_year("fiscal_year", y).map_err(|e| bad("fiscal_year", e.message))?;
                store::active_budget(
                    &mut *conn,
                    ctx.org_id(),
                    i64::from(y),
                    branch.as_deref().unwrap_or(""),
                )
                .await?
                .ok_or_else(|| {
                    bad(
                        "fiscal_year",
                        format!("no budget is active for fiscal year {y}: name one with budget_id"),
                    )
                })?
            }
            (None, None) => return Err(bad("fiscal_year", "give fiscal_year or budget_id".into())),
        };
        let lines = store::budget_lines(&mut *conn, ctx.org_id(), &row.id).await?;
        drop(conn);
        let start = fy_start(ctx, i32::try_from(row.fiscal_year).unwrap_or(2000))?;
        let scope = branch
            .clone()
            .or_else(|| Some(row.branch.clone()).filter(|b| !b.is_empty()));
        let (actuals, mut names) = self.monthly_actuals(ctx, start, scope.as_deref()).await?;
        let mut budgets: HashMap<String, [Minor; 12]> = HashMap::new();
        for l in &lines {
            budgets.insert(l.account_id.clone(), months_of(l)?);
        }
        // Accounts budgeted with no movement still need their names.
        let missing: Vec<&str> = budgets
            .keys()
            .filter(|k| !names.contains_key(*k))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            let mut conn = self.store.read_conn().await?;
            for a in ferrobooks_store::accounts::accounts_by_ids(&mut *conn, ctx.org_id(), &missing)
                .await?
            {
                names.insert(a.id, (a.code, a.name, a.account_type));
            }
        }
        let mut ids: Vec<&String> = budgets.keys().chain(actuals.keys()).collect();
        ids.sort_by_key(|id| names.get(*id).map(|n| n.0.clone()).unwrap_or_default());
        ids.dedup();
        let columns = (0..12 / period.months())
            .map(|c| {
                let first = budget::fiscal_month(start, (c * period.months()) as u32).0;
                let last = budget::fiscal_month(start, ((c + 1) * period.months() - 1) as u32).1;
                Column {
                    from: first.to_string(),
                    to: last.to_string(),
                }
            })
            .collect();
        let rows = ids
            .into_iter()
            .map(|id| {
                let b = budgets.get(id).copied().unwrap_or([0; 12]);
                let a = actuals.get(id).copied().unwrap_or([0; 12]);
                let (code, name, account_type) = names.get(id).cloned().unwrap_or_default();
                ReportRow {
                    account_id: id.clone(),
                    code,
                    name,
                    account_type,
                    cells: budget::by_period(&b, period)
                        .into_iter()
                        .zip(budget::by_period(&a, period))
                        .map(|(b, a)| cell(cur, b, a))
                        .collect(),
                    total: cell(cur, b.iter().sum(), a.iter().sum()),
                }
            })
            .collect();
        Ok(BudgetVsActual {
            budget_id: row.id,
            fiscal_year: row.fiscal_year,
            period: period.as_str().into(),
            branch: scope,
            currency: cur.code().to_owned(),
            columns,
            rows,
        })
    }
}
