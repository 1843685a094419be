//! Employees, pay items, payroll runs with their payslip lines, and
//! payroll liabilities remitted.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::sql::{self, Insert};
use crate::{OrgId, StoreError, rows};

/// An employee.
#[derive(Debug, Clone, FromRow)]
pub struct EmployeeRow {
    pub id: String,
    pub organization_id: OrgId,
    pub name: String,
    pub email: Option<String>,
    pub employee_number: String,
    pub hire_date: String,
    pub termination_date: Option<String>,
    /// salary or hourly.
    pub pay_type: String,
    /// A year's salary or an hour's rate, minor units of the base currency.
    pub pay_rate: i64,
    pub pay_frequency: String,
    pub department: Option<String>,
    pub tax_id: Option<String>,
    pub bank_account_number: Option<String>,
    pub bank_routing_code: Option<String>,
    /// active or terminated.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

const EMPLOYEE_COLS: &str = "id, organization_id, name, email, employee_number, hire_date, \
    termination_date, pay_type, pay_rate, pay_frequency, department, tax_id, \
    bank_account_number, bank_routing_code, status, created_at, updated_at";

/// Inserts or replaces an employee.
pub async fn save_employee(conn: &mut AnyConnection, r: &EmployeeRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO employees ({EMPLOYEE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, \
         employee_number = excluded.employee_number, hire_date = excluded.hire_date, \
         termination_date = excluded.termination_date, pay_type = excluded.pay_type, \
         pay_rate = excluded.pay_rate, pay_frequency = excluded.pay_frequency, \
         department = excluded.department, tax_id = excluded.tax_id, \
         bank_account_number = excluded.bank_account_number, \
         bank_routing_code = excluded.bank_routing_code, status = excluded.status, \
         updated_at = excluded.updated_at"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.name)
    .bind(&r.email)
    .bind(&r.employee_number)
    .bind(&r.hire_date)
    .bind(&r.termination_date)
    .bind(&r.pay_type)
    .bind(r.pay_rate)
    .bind(&r.pay_frequency)
    .bind(&r.department)
    .bind(&r.tax_id)
    .bind(&r.bank_account_number)
    .bind(&r.bank_routing_code)
    .bind(&r.status)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_employee(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    lock: bool,
) -> Result<Option<EmployeeRow>, StoreError> {
    rows::by_id(conn, "employees", EMPLOYEE_COLS, org, id, lock).await
}

pub async fn list_employees<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    status: Option<&str>,
    after: &str,
    limit: i64,
) -> Result<Vec<EmployeeRow>, StoreError> {
    rows::page_by_status(e, "employees", EMPLOYEE_COLS, org, status, after, limit).await
}

/// The employee with `number`, other than `except`.
pub async fn employee_number_taken(
    conn: &mut AnyConnection,
    org: &OrgId,
    number: &str,
    except: &str,
) -> Result<bool, StoreError> {
    let n: Option<String> = sqlx::query_scalar(
        "SELECT id FROM employees WHERE organization_id = $1 AND employee_number = $2 AND id <> $3",
    )
    .bind(org)
    .bind(number)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(n.is_some())
}

/// The employees `ids` names (those that exist), in one query per 500.
pub async fn employees_by_ids(
    conn: &mut AnyConnection,
    org: &OrgId,
    ids: &[&str],
) -> Result<Vec<EmployeeRow>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let list = (0..chunk.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let q = format!(
            "SELECT {EMPLOYEE_COLS} FROM employees WHERE organization_id = $1 AND id IN ({list})"
        );
        let mut query = sqlx::query_as::<_, EmployeeRow>(&q).bind(org);
        for id in chunk {
            query = query.bind(*id);
        }
        out.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// Whether a payroll run pays the employee.
pub async fn employee_in_runs(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
) -> Result<bool, StoreError> {
    let n: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM payroll_run_lines WHERE organization_id = $1 AND employee_id = $2 LIMIT 1",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(n.is_some())
}

pub async fn delete_employee(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM employees WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A pay item.
#[derive(Debug, Clone, FromRow)]
pub struct PayItemRow {
    pub id: String,
    pub organization_id: OrgId,
    pub name: String,
    /// earning, deduction or employer_contribution.
    pub kind: String,
    /// percent or fixed.
    pub calculation: String,
    /// Percent, or minor units when fixed, as decimal text.
    pub value: String,
    pub account_id: String,
    pub expense_account_id: Option<String>,
    pub active: i64,
    pub created_at: String,
    pub updated_at: String,
}

const ITEM_COLS: &str = "id, organization_id, name, kind, calculation, value, account_id, \
    expense_account_id, active, created_at, updated_at";

/// Inserts or replaces a pay item.
pub async fn save_pay_item(conn: &mut AnyConnection, r: &PayItemRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO pay_items ({ITEM_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, calculation = excluded.calculation, \
         value = excluded.value, account_id = excluded.account_id, \
         expense_account_id = excluded.expense_account_id, active = excluded.active, \
         updated_at = excluded.updated_at"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.name)
    .bind(&r.kind)
    .bind(&r.calculation)
    .bind(&r.value)
    .bind(&r.account_id)
    .bind(&r.expense_account_id)
    .bind(r.active)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_pay_item(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    lock: bool,
) -> Result<Option<PayItemRow>, StoreError> {
    rows::by_id(conn, "pay_items", ITEM_COLS, org, id, lock).await
}

/// Every pay item of the organization, by id.
pub async fn pay_items<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
) -> Result<Vec<PayItemRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ITEM_COLS} FROM pay_items WHERE organization_id = $1 ORDER BY id"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// Whether another pay item has the name.
pub async fn pay_item_name_taken(
    conn: &mut AnyConnection,
    org: &OrgId,
    name: &str,
    except: &str,
) -> Result<bool, StoreError> {
    let n: Option<String> = sqlx::query_scalar(
        "SELECT id FROM pay_items WHERE organization_id = $1 AND LOWER(name) = LOWER($2) AND id <> $3",
    )
    .bind(org)
    .bind(name)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(n.is_some())
}

/// A payroll run.
#[derive(Debug, Clone, FromRow)]
pub struct RunRow {
    pub id: String,
    pub organization_id: OrgId,
    pub period_start: String,
    pub period_end: String,
    pub pay_date: String,
    /// draft, approved or paid.
    pub status: String,
    pub gross: i64,
    pub deductions: i64,
    pub employer: i64,
    pub net: i64,
    /// The pay items applied (their rows as they were), a JSON array.
    pub items: String,
    pub journal_entry_id: Option<String>,
    /// A JSON array of entry ids.
    pub payment_entry_ids: String,
    pub paid_on: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const RUN_COLS: &str = "id, organization_id, period_start, period_end, pay_date, status, gross, \
    deductions, employer, net, items, journal_entry_id, payment_entry_ids, paid_on, created_at, \
    updated_at";

/// Inserts a run, or writes its status and entries.
pub async fn save_run(conn: &mut AnyConnection, r: &RunRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO payroll_runs ({RUN_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16) \
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, \
         journal_entry_id = excluded.journal_entry_id, \
         payment_entry_ids = excluded.payment_entry_ids, paid_on = excluded.paid_on, \
         updated_at = excluded.updated_at"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.period_start)
    .bind(&r.period_end)
    .bind(&r.pay_date)
    .bind(&r.status)
    .bind(r.gross)
    .bind(r.deductions)
    .bind(r.employer)
    .bind(r.net)
    .bind(&r.items)
    .bind(&r.journal_entry_id)
    .bind(&r.payment_entry_ids)
    .bind(&r.paid_on)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_run(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    lock: bool,
) -> Result<Option<RunRow>, StoreError> {
    rows::by_id(conn, "payroll_runs", RUN_COLS, org, id, lock).await
}

pub async fn list_runs<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    status: Option<&str>,
    after: &str,
    limit: i64,
) -> Result<Vec<RunRow>, StoreError> {
    rows::page_by_status(e, "payroll_runs", RUN_COLS, org, status, after, limit).await
}

/// A draft run and its lines go.
pub async fn delete_run(conn: &mut AnyConnection, org: &OrgId, id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM payroll_run_lines WHERE organization_id = $1 AND run_id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM payroll_runs WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One employee's pay in a run: the payslip.
#[derive(Debug, Clone, FromRow)]
pub struct RunLineRow {
    pub run_id: String,
    pub employee_id: String,
    pub organization_id: OrgId,
    pub hours: Option<String>,
    pub base: i64,
    pub gross: i64,
    pub deductions: i64,
    pub employer: i64,
    pub net: i64,
    /// Each item's amount, a JSON array.
    pub items: String,
}

const LINE_COLS: [&str; 10] = [
    "run_id",
    "employee_id",
    "organization_id",
    "hours",
    "base",
    "gross",
    "deductions",
    "employer",
    "net",
    "items",
];

/// Writes a run's lines in multi-row statements.
pub async fn insert_run_lines(
    conn: &mut AnyConnection,
    lines: &[RunLineRow],
) -> Result<(), StoreError> {
    let mut ins = Insert::new("payroll_run_lines", &LINE_COLS);
    for l in lines {
        ins.row(vec![
            (&l.run_id).into(),
            (&l.employee_id).into(),
            (&l.organization_id).into(),
            (&l.hours).into(),
            l.base.into(),
            l.gross.into(),
            l.deductions.into(),
            l.employer.into(),
            l.net.into(),
            (&l.items).into(),
        ]);
    }
    sql::run_inserts(conn, vec![ins]).await
}

/// A run's lines, by employee id; one employee's when given.
pub async fn run_lines<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    run_id: &str,
    employee: Option<&str>,
) -> Result<Vec<RunLineRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM payroll_run_lines WHERE organization_id = $1 AND run_id = $2 \
         AND ($3 = '' OR employee_id = $3) ORDER BY employee_id",
        LINE_COLS.join(", ")
    ))
    .bind(org)
    .bind(run_id)
    .bind(employee.unwrap_or(""))
    .fetch_all(e)
    .await?)
}

/// A payroll liability paid over.
#[derive(Debug, Clone, FromRow)]
pub struct RemittanceRow {
    pub id: String,
    pub organization_id: OrgId,
    pub date: String,
    pub account_id: String,
    pub amount: i64,
    pub bank_account_id: String,
    pub reference: Option<String>,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
}

const REMITTANCE_COLS: &str = "id, organization_id, date, account_id, amount, bank_account_id, \
    reference, journal_entry_id, created_at";

pub async fn insert_remittance(
    conn: &mut AnyConnection,
    r: &RemittanceRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO payroll_remittances ({REMITTANCE_COLS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.date)
    .bind(&r.account_id)
    .bind(r.amount)
    .bind(&r.bank_account_id)
    .bind(&r.reference)
    .bind(&r.journal_entry_id)
    .bind(&r.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A page of remittances by id.
pub async fn list_remittances<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    after: &str,
    limit: i64,
) -> Result<Vec<RemittanceRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REMITTANCE_COLS} FROM payroll_remittances WHERE organization_id = $1 \
         AND id > $2 ORDER BY id LIMIT $3"
    ))
    .bind(org)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}
