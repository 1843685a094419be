//! Payroll runs: a pay period over chosen employees, each one's payslip
//! worked out from their pay and the pay items. A draft posts nothing;
//! approving posts Dr gross wages (and each earning's account), Cr each
//! withholding liability, Cr net wages payable, and Dr employer expense /
//! Cr its liability; paying posts Dr net wages payable / Cr bank, in one
//! batch or one payment per employee.

use std::collections::{BTreeMap, HashSet};

use ferrobooks_domain::EntryLine;
use ferrobooks_domain::payroll::{
    self as pay, ItemKind, Pay, PayFrequency, PayType, RunAction, RunStatus,
};
use ferrobooks_store::payroll::{self as store, PayItemRow, RunLineRow, RunRow};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use super::employees::mask;
use super::items::item;
use crate::amount::{Amount, DecimalText};
use crate::documents::posting::{line, paid_from_account, post_lines, system_account};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, parse_date};

/// One employee on a new run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunEmployee {
    pub employee_id: String,
    /// Hours worked: required for hourly employees, refused for salaried.
    pub hours: Option<DecimalText>,
}

/// A new payroll run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRun {
    pub period_start: String,
    pub period_end: String,
    /// Default: the period's end.
    pub pay_date: Option<String>,
    pub employees: Vec<RunEmployee>,
    /// Default: every active pay item.
    pub pay_item_ids: Option<Vec<String>>,
}

/// Paying an approved run.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayRun {
    /// Default: the run's pay date.
    pub date: Option<String>,
    /// A bank or cash account; default the current account.
    pub bank_account_id: Option<String>,
    /// batch (default): one payment of the whole net pay; per_employee:
    /// one payment each.
    pub mode: Option<String>,
}

/// One employee's totals on a run.
#[derive(Debug, Clone, Serialize)]
pub struct RunLineView {
    pub employee_id: String,
    pub hours: Option<String>,
    pub base: Amount,
    pub gross: Amount,
    pub deductions: Amount,
    pub employer_contributions: Amount,
    pub net: Amount,
}

/// A payroll run.
#[derive(Debug, Clone, Serialize)]
pub struct RunView {
    pub id: String,
    pub period_start: String,
    pub period_end: String,
    pub pay_date: String,
    /// draft, approved or paid.
    pub status: String,
    pub currency: String,
    pub gross: Amount,
    pub deductions: Amount,
    pub employer_contributions: Amount,
    pub net: Amount,
    pub pay_item_ids: Vec<String>,
    pub lines: Vec<RunLineView>,
    pub journal_entry_id: Option<String>,
    pub payment_entry_ids: Vec<String>,
    pub paid_on: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One pay item's amount on a payslip.
#[derive(Debug, Clone, Serialize)]
pub struct PayslipItem {
    pub pay_item_id: String,
    pub name: String,
    pub amount: Amount,
}

/// One employee's payslip for a run.
#[derive(Debug, Clone, Serialize)]
pub struct PayslipView {
    pub run_id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub employee_number: String,
    pub period_start: String,
    pub period_end: String,
    pub pay_date: String,
    pub currency: String,
    pub hours: Option<String>,
    pub base: Amount,
    pub earnings: Vec<PayslipItem>,
    pub gross: Amount,
    pub deductions: Vec<PayslipItem>,
    pub total_deductions: Amount,
    pub net: Amount,
    pub employer_contributions: Vec<PayslipItem>,
    /// Masked.
    pub bank_account_number: Option<String>,
    pub status: String,
}

/// A pay item as the run applied it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Applied {
    id: String,
    name: String,
    kind: String,
    calculation: String,
    value: String,
    account_id: String,
    expense_account_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct LineItem {
    item_id: String,
    amount: i64,
}

fn applied(r: &RunRow) -> ServiceResult<Vec<Applied>> {
    serde_json::from_str(&r.items).map_err(ServiceError::internal)
}

fn entry_ids(r: &RunRow) -> ServiceResult<Vec<String>> {
    serde_json::from_str(&r.payment_entry_ids).map_err(ServiceError::internal)
}

fn view(r: RunRow, lines: Vec<RunLineRow>, ctx: &AuthContext) -> ServiceResult<RunView> {
    let cur = ctx.currency()?;
    let m = |v: i64| Amount::new(v, cur);
    Ok(RunView {
        pay_item_ids: applied(&r)?.into_iter().map(|a| a.id).collect(),
        payment_entry_ids: entry_ids(&r)?,
        lines: lines
            .into_iter()
            .map(|l| RunLineView {
                employee_id: l.employee_id,
                hours: l.hours,
                base: m(l.base),
                gross: m(l.gross),
                deductions: m(l.deductions),
                employer_contributions: m(l.employer),
                net: m(l.net),
            })
            .collect(),
        id: r.id,
        period_start: r.period_start,
        period_end: r.period_end,
        pay_date: r.pay_date,
        status: r.status,
        currency: cur.code().to_owned(),
        gross: m(r.gross),
        deductions: m(r.deductions),
        employer_contributions: m(r.employer),
        net: m(r.net),
        journal_entry_id: r.journal_entry_id,
        paid_on: r.paid_on,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

fn run_status(r: &RunRow) -> ServiceResult<RunStatus> {
    RunStatus::from_name(&r.status)
        .ok_or_else(|| ServiceError::internal("stored run status is corrupt"))
}

fn refuse(r: &RunRow, action: RunAction) -> ServiceResult<Option<RunStatus>> {
    run_status(r)?
        .after(action)
        .map_err(|e| ServiceError::wrong_status(r.status.clone(), e.to_string()))
}

/// The pay items a run applies: those named, else every active one.
fn chosen_items(all: Vec<PayItemRow>, ids: Option<&[String]>) -> ServiceResult<Vec<PayItemRow>> {
    let Some(ids) = ids else {
        return Ok(all.into_iter().filter(|i| i.active == 1).collect());
    };
    let mut out = Vec::with_capacity(ids.len());
    for (n, id) in ids.iter().enumerate() {
        let Some(i) = all.iter().find(|i| &i.id == id) else {
            return Err(ServiceError::invalid(
                format!("pay_item_ids[{n}]"),
                format!("no pay item {id}"),
            ));
        };
        if out.iter().any(|o: &PayItemRow| &o.id == id) {
            return Err(ServiceError::invalid(
                format!("pay_item_ids[{n}]"),
                format!("{id} is named twice"),
            ));
        }
        out.push(i.clone());
    }
    Ok(out)
}

impl Services {
    /// Works out every employee's pay and keeps the run as a draft.
    pub async fn create_payroll_run(
        &self,
        ctx: &AuthContext,
        input: NewRun,
    ) -> ServiceResult<RunView> {
        let from = parse_date("period_start", &input.period_start)?;
        let to = parse_date("period_end", &input.period_end)?;
        if to < from || (to - from).num_days() > 366 {
            return Err(ServiceError::invalid(
                "period_end",
                "must be on or after period_start, within a year of it",
            ));
        }
        let pay_date = match &input.pay_date {
            Some(d) => parse_date("pay_date", d)?,
            None => to,
        };
        if input.employees.is_empty() {
            return Err(ServiceError::invalid(
                "employees",
                "a payroll run pays at least one employee",
            ));
        }
        let mut seen = HashSet::new();
        for (n, e) in input.employees.iter().enumerate() {
            if !seen.insert(e.employee_id.as_str()) {
                return Err(ServiceError::invalid(
                    format!("employees[{n}].employee_id"),
                    format!("{} is on the run twice", e.employee_id),
                ));
            }
        }
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let items = chosen_items(
            store::pay_items(&mut *conn, ctx.org_id()).await?,
            input.pay_item_ids.as_deref(),
        )?;
        let domain_items = items.iter().map(item).collect::<ServiceResult<Vec<_>>>()?;
        let ids: Vec<&str> = input
            .employees
            .iter()
            .map(|e| e.employee_id.as_str())
            .collect();
        let found = store::employees_by_ids(conn, ctx.org_id(), &ids).await?;
        let id = new_id("prun");
        let mut lines = Vec::with_capacity(input.employees.len());
        for (n, e) in input.employees.iter().enumerate() {
            let field = |f: &str| format!("employees[{n}].{f}");
            let emp = found
                .iter()
                .find(|x| x.id == e.employee_id)
                .ok_or_else(|| {
                    ServiceError::invalid(
                        field("employee_id"),
                        format!("no employee {}", e.employee_id),
                    )
                })?;
            let corrupt = || ServiceError::internal("stored employee is corrupt");
            let p = Pay {
                pay_type: PayType::from_name(&emp.pay_type).ok_or_else(corrupt)?,
                rate: emp.pay_rate,
                frequency: PayFrequency::from_name(&emp.pay_frequency).ok_or_else(corrupt)?,
                hired: parse_date("hire_date", &emp.hire_date)?,
                terminated: emp
                    .termination_date
                    .as_deref()
                    .map(|t| parse_date("termination_date", t))
                    .transpose()?,
            };
            if p.hired > to || p.terminated.is_some_and(|t| t < from) {
                return Err(ServiceError::invalid(
                    field("employee_id"),
                    format!("{} was not employed between {from} and {to}", emp.name),
                ));
            }
            let hours = e
                .hours
                .as_ref()
                .map(|h| ferrobooks_domain::money::parse_decimal(&h.0, "hours"))
                .transpose()
                .map_err(|e| ServiceError::from(e).renamed("hours", &field("hours")))?;
            let base = pay::base_pay(&p, from, to, hours)
                .map_err(|e| ServiceError::from(e).renamed("hours", &field("hours")))?;
            let slip = pay::slip(base, &domain_items).map_err(|e| {
                ServiceError::from(e).renamed("pay_item_ids", &field("employee_id"))
            })?;
            let items: Vec<LineItem> = slip
                .items
                .iter()
                .map(|i| LineItem {
                    item_id: i.item_id.clone(),
                    amount: i.amount,
                })
                .collect();
            lines.push(RunLineRow {
                run_id: id.clone(),
                employee_id: emp.id.clone(),
                organization_id: ctx.org_id().to_owned(),
                hours: hours.map(|h| h.normalize().to_string()),
                base: slip.base,
                gross: slip.gross,
                deductions: slip.deductions,
                employer: slip.employer,
                net: slip.net,
                items: serde_json::to_string(&items).map_err(ServiceError::internal)?,
            });
        }
        let snapshot: Vec<Applied> = items
            .into_iter()
            .map(|i| Applied {
                id: i.id,
                name: i.name,
                kind: i.kind,
                calculation: i.calculation,
                value: i.value,
                account_id: i.account_id,
                expense_account_id: i.expense_account_id,
            })
            .collect();
        let at = now();
        let sum = |f: fn(&RunLineRow) -> i64| lines.iter().map(f).sum::<i64>();
        let row = RunRow {
            id,
            organization_id: ctx.org_id().to_owned(),
            period_start: from.to_string(),
            period_end: to.to_string(),
            pay_date: pay_date.to_string(),
            status: RunStatus::Draft.as_str().into(),
            gross: sum(|l| l.gross),
            deductions: sum(|l| l.deductions),
            employer: sum(|l| l.employer),
            net: sum(|l| l.net),
            items: serde_json::to_string(&snapshot).map_err(ServiceError::internal)?,
            journal_entry_id: None,
            payment_entry_ids: "[]".into(),
            paid_on: None,
            created_at: at.clone(),
            updated_at: at,
        };
        store::save_run(conn, &row).await?;
        store::insert_run_lines(conn, &lines).await?;
        let v = view(row, lines, ctx)?;
        self.emit(conn, ctx, "payroll.run_created", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_payroll_run(&self, ctx: &AuthContext, id: &str) -> ServiceResult<RunView> {
        let mut conn = self.store.read_conn().await?;
        let row = store::get_run(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("payroll run"))?;
        let lines = store::run_lines(&mut *conn, ctx.org_id(), id, None).await?;
        view(row, lines, ctx)
    }

    pub async fn list_payroll_runs(
        &self,
        ctx: &AuthContext,
        status: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<RunView>> {
        if let Some(s) = status {
            RunStatus::parse("status", s).map_err(ServiceError::bad_query)?;
        }
        let mut conn = self.store.read_conn().await?;
        let rows = store::list_runs(
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
            let lines = store::run_lines(&mut *conn, ctx.org_id(), &r.id, None).await?;
            items.push(view(r, lines, ctx)?);
        }
        Ok(Page {
            items,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Approves a draft run: posts its one entry on the pay date.
    pub async fn approve_payroll_run(&self, ctx: &AuthContext, id: &str) -> ServiceResult<RunView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut row = store::get_run(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("payroll run"))?;
        let next = refuse(&row, RunAction::Approve)?.expect("approved is a status");
        let lines = store::run_lines(&mut *conn, ctx.org_id(), id, None).await?;
        let items = applied(&row)?;
        // (account, debit) -> amount, so each account has one line a side.
        let mut totals: BTreeMap<(String, bool), i64> = BTreeMap::new();
        let mut add = |account: &str, debit: bool, amount: i64| {
            *totals.entry((account.to_owned(), debit)).or_default() += amount;
        };
        let wages = system_account(conn, ctx, "gross_wages").await?;
        let net_payable = system_account(conn, ctx, "net_wages_payable").await?;
        for l in &lines {
            add(&wages, true, l.base);
            add(&net_payable, false, l.net);
            let amounts: Vec<LineItem> =
                serde_json::from_str(&l.items).map_err(ServiceError::internal)?;
            for a in amounts {
                let Some(i) = items.iter().find(|i| i.id == a.item_id) else {
                    return Err(ServiceError::internal(
                        "a payslip names a pay item the run lacks",
                    ));
                };
                match ItemKind::from_name(&i.kind) {
                    Some(ItemKind::Earning) => add(&i.account_id, true, a.amount),
                    Some(ItemKind::Deduction) => add(&i.account_id, false, a.amount),
                    Some(ItemKind::EmployerContribution) => {
                        add(&i.account_id, false, a.amount);
                        let e = i.expense_account_id.as_deref().ok_or_else(|| {
                            ServiceError::internal(
                                "an employer contribution has no expense account",
                            )
                        })?;
                        add(e, true, a.amount);
                    }
                    None => return Err(ServiceError::internal("stored pay item kind is corrupt")),
                }
            }
        }
        let label = format!("Payroll {} to {}", row.period_start, row.period_end);
        let entry_lines: Vec<EntryLine> = totals
            .into_iter()
            .map(|((account, debit), amount)| line(&account, amount, debit, None, Some(&label)))
            .collect();
        let entry = post_lines(
            conn,
            ctx,
            &format!("payroll_run {id}"),
            &row.pay_date.clone(),
            label.clone(),
            None,
            entry_lines,
        )
        .await?;
        row.status = next.as_str().into();
        row.journal_entry_id = entry;
        row.updated_at = now();
        store::save_run(conn, &row).await?;
        let v = view(row, lines, ctx)?;
        self.emit(conn, ctx, "payroll.run_approved", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Pays an approved run's net pay from a bank account.
    pub async fn pay_payroll_run(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: PayRun,
    ) -> ServiceResult<RunView> {
        let base = ctx.currency()?;
        let per_employee = match input.mode.as_deref().unwrap_or("batch") {
            "batch" => false,
            "per_employee" => true,
            other => {
                return Err(ServiceError::invalid(
                    "mode",
                    format!("'{other}' is not a payment mode: use batch or per_employee"),
                ));
            }
        };
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut row = store::get_run(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("payroll run"))?;
        let next = refuse(&row, RunAction::Pay)?.expect("paid is a status");
        let date = match &input.date {
            Some(d) => parse_date("date", d)?.to_string(),
            None => row.pay_date.clone(),
        };
        if date < row.pay_date {
            return Err(ServiceError::invalid(
                "date",
                format!("must not be before the run's pay date, {}", row.pay_date),
            ));
        }
        let bank = paid_from_account(
            conn,
            ctx,
            input.bank_account_id.as_deref(),
            base,
            "bank_account_id",
        )
        .await?;
        let net_payable = system_account(conn, ctx, "net_wages_payable").await?;
        let lines = store::run_lines(&mut *conn, ctx.org_id(), id, None).await?;
        let payments: Vec<(String, i64)> = if per_employee {
            lines
                .iter()
                .filter(|l| l.net > 0)
                .map(|l| (format!("Net pay {}", l.employee_id), l.net))
                .collect()
        } else {
            vec![(format!("Net pay, payroll {id}"), row.net)]
        };
        let mut entries = Vec::new();
        for (label, amount) in payments {
            if let Some(e) = post_lines(
                conn,
                ctx,
                &format!("payroll_run {id}"),
                &date,
                label.clone(),
                None,
                vec![
                    line(&net_payable, amount, true, None, Some(&label)),
                    line(&bank.id, amount, false, None, Some(&label)),
                ],
            )
            .await?
            {
                entries.push(e);
            }
        }
        row.status = next.as_str().into();
        row.payment_entry_ids = serde_json::to_string(&entries).map_err(ServiceError::internal)?;
        row.paid_on = Some(date);
        row.updated_at = now();
        store::save_run(conn, &row).await?;
        let v = view(row, lines, ctx)?;
        self.emit(conn, ctx, "payroll.run_paid", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Deletes a draft run.
    pub async fn delete_payroll_run(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let row = store::get_run(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("payroll run"))?;
        refuse(&row, RunAction::Delete)?;
        store::delete_run(conn, ctx.org_id(), id).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &serde_json::Value::Null)
            .await?;
        wtx.commit().await?;
        Ok(())
    }

    /// One employee's payslip on a run.
    pub async fn payslip(
        &self,
        ctx: &AuthContext,
        run_id: &str,
        employee_id: &str,
    ) -> ServiceResult<PayslipView> {
        let cur = ctx.currency()?;
        let m = |v: i64| Amount::new(v, cur);
        let mut conn = self.store.read_conn().await?;
        let run = store::get_run(&mut conn, ctx.org_id(), run_id, false)
            .await?
            .ok_or(ServiceError::not_found("payroll run"))?;
        let line = store::run_lines(&mut *conn, ctx.org_id(), run_id, Some(employee_id))
            .await?
            .into_iter()
            .next()
            .ok_or(ServiceError::not_found("payslip"))?;
        let emp = store::get_employee(&mut conn, ctx.org_id(), employee_id, false)
            .await?
            .ok_or(ServiceError::not_found("employee"))?;
        let items = applied(&run)?;
        let amounts: Vec<LineItem> =
            serde_json::from_str(&line.items).map_err(ServiceError::internal)?;
        let of = |kind: ItemKind| -> Vec<PayslipItem> {
            amounts
                .iter()
                .filter_map(|a| {
                    let i = items.iter().find(|i| i.id == a.item_id)?;
                    (i.kind == kind.as_str()).then(|| PayslipItem {
                        pay_item_id: i.id.clone(),
                        name: i.name.clone(),
                        amount: m(a.amount),
                    })
                })
                .collect()
        };
        Ok(PayslipView {
            earnings: of(ItemKind::Earning),
            deductions: of(ItemKind::Deduction),
            employer_contributions: of(ItemKind::EmployerContribution),
            run_id: run.id,
            employee_id: emp.id,
            employee_name: emp.name,
            employee_number: emp.employee_number,
            period_start: run.period_start,
            period_end: run.period_end,
            pay_date: run.pay_date,
            currency: cur.code().to_owned(),
            hours: line.hours,
            base: m(line.base),
            gross: m(line.gross),
            total_deductions: m(line.deductions),
            net: m(line.net),
            bank_account_number: emp.bank_account_number.as_deref().map(mask),
            status: run.status,
        })
    }
}
