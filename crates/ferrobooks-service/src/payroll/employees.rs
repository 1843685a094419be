//! Employees: who is paid, how and how often. Bank details and tax ids are
//! stored as given and shown masked in every read (and so in every event
//! and idempotent replay): only their last four characters.

use ferrobooks_domain::payroll::{PayFrequency, PayType};
use ferrobooks_store::payroll::{self as store, EmployeeRow};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText};
use crate::contacts::check_email;
use crate::page::{Page, paginate};
use crate::{
    AuthContext, Code, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date,
};

/// An employee, with secrets masked.
#[derive(Debug, Clone, Serialize)]
pub struct EmployeeView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub employee_number: String,
    pub hire_date: String,
    pub termination_date: Option<String>,
    pub pay_type: String,
    /// A year's salary, or an hour's rate.
    pub pay_rate: Amount,
    pub currency: String,
    pub pay_frequency: String,
    pub department: Option<String>,
    /// Masked: `****1234`.
    pub tax_id: Option<String>,
    /// Masked: `****1234`.
    pub bank_account_number: Option<String>,
    pub bank_routing_code: Option<String>,
    /// active or terminated.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A new employee, or (every field optional) what changes on one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmployeeInput {
    pub name: Option<String>,
    pub email: Option<String>,
    /// Default: the next `EMP-0001`-style number.
    pub employee_number: Option<String>,
    /// Default today.
    pub hire_date: Option<String>,
    /// Setting it terminates the employee.
    pub termination_date: Option<String>,
    /// salary (default) or hourly.
    pub pay_type: Option<String>,
    pub pay_rate: Option<DecimalText>,
    /// monthly (default), semimonthly, biweekly or weekly.
    pub pay_frequency: Option<String>,
    pub department: Option<String>,
    pub tax_id: Option<String>,
    pub bank_account_number: Option<String>,
    pub bank_routing_code: Option<String>,
}

/// `****` and the last four characters.
pub fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("****{tail}")
}

pub(crate) fn view(r: EmployeeRow, ctx: &AuthContext) -> ServiceResult<EmployeeView> {
    let cur = ctx.currency()?;
    Ok(EmployeeView {
        id: r.id,
        name: r.name,
        email: r.email,
        employee_number: r.employee_number,
        hire_date: r.hire_date,
        termination_date: r.termination_date,
        pay_type: r.pay_type,
        pay_rate: Amount::new(r.pay_rate, cur),
        currency: cur.code().to_owned(),
        pay_frequency: r.pay_frequency,
        department: r.department,
        tax_id: r.tax_id.as_deref().map(mask),
        bank_account_number: r.bank_account_number.as_deref().map(mask),
        bank_routing_code: r.bank_routing_code,
        status: r.status,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

fn secret(field: &str, v: Option<String>) -> ServiceResult<Option<String>> {
    let v = opt_text(field, v, 34)?;
    if let Some(s) = &v
        && (s.chars().count() < 4
            || !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' '))
    {
        return Err(ServiceError::invalid(
            field,
            "must be 4 to 34 letters, digits, spaces or dashes",
        ));
    }
    Ok(v)
}

/// Applies `input` to `r` (a new row or one being changed), checking each
/// field given.
fn apply(r: &mut EmployeeRow, input: EmployeeInput, ctx: &AuthContext) -> ServiceResult<()> {
    let cur = ctx.currency()?;
    if let Some(n) = input.name {
        r.name = opt_text("name", Some(n), 200)?
            .ok_or_else(|| ServiceError::invalid("name", "must not be blank"))?;
    }
    if input.email.is_some() {
        r.email = check_email("email", input.email)?;
    }
    if let Some(n) = input.employee_number {
        r.employee_number = opt_text("employee_number", Some(n), 50)?
            .ok_or_else(|| ServiceError::invalid("employee_number", "must not be blank"))?;
    }
    if let Some(d) = input.hire_date {
        r.hire_date = parse_date("hire_date", &d)?.to_string();
    }
    if let Some(d) = input.termination_date {
        r.termination_date = Some(parse_date("termination_date", &d)?.to_string());
        r.status = "terminated".into();
    }
    if let Some(t) = &r.termination_date
        && *t < r.hire_date
    {
        return Err(ServiceError::invalid(
            "termination_date",
            format!("must not be before the hire date, {}", r.hire_date),
        ));
    }
    if let Some(t) = input.pay_type {
        r.pay_type = PayType::parse("pay_type", &t)?.as_str().into();
    }
    if let Some(rate) = input.pay_rate {
        r.pay_rate = rate.minor(cur, "pay_rate")?;
        if r.pay_rate <= 0 {
            return Err(ServiceError::invalid(
                "pay_rate",
                "must be greater than zero",
            ));
        }
    }
    if let Some(f) = input.pay_frequency {
        r.pay_frequency = PayFrequency::parse("pay_frequency", &f)?.as_str().into();
    }
    if input.department.is_some() {
        r.department = opt_text("department", input.department, 100)?;
    }
    if input.tax_id.is_some() {
        r.tax_id = secret("tax_id", input.tax_id)?;
    }
    if input.bank_account_number.is_some() {
        r.bank_account_number = secret("bank_account_number", input.bank_account_number)?;
    }
    if input.bank_routing_code.is_some() {
        r.bank_routing_code = opt_text("bank_routing_code", input.bank_routing_code, 34)?;
    }
    Ok(())
}

impl Services {
    pub async fn create_employee(
        &self,
        ctx: &AuthContext,
        input: EmployeeInput,
    ) -> ServiceResult<EmployeeView> {
        if input.name.is_none() {
            return Err(ServiceError::invalid("name", "is required"));
        }
        if input.pay_rate.is_none() {
            return Err(ServiceError::invalid("pay_rate", "is required"));
        }
        let at = now();
        let mut row = EmployeeRow {
            id: new_id("emp"),
            organization_id: ctx.org_id().to_owned(),
            name: String::new(),
            email: None,
            employee_number: String::new(),
            hire_date: crate::today().to_string(),
            termination_date: None,
            pay_type: PayType::Salary.as_str().into(),
            pay_rate: 0,
            pay_frequency: PayFrequency::Monthly.as_str().into(),
            department: None,
            tax_id: None,
            bank_account_number: None,
            bank_routing_code: None,
            status: "active".into(),
            created_at: at.clone(),
            updated_at: at,
        };
        apply(&mut row, input, ctx)?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        if row.employee_number.is_empty() {
            // The next free EMP-nnnn.
            let mut n = 1 + store::list_employees(&mut *conn, ctx.org_id(), None, "", i64::MAX)
                .await?
                .len();
            loop {
                let candidate = format!("EMP-{n:04}");
                if !store::employee_number_taken(conn, ctx.org_id(), &candidate, "").await? {
                    row.employee_number = candidate;
                    break;
                }
                n += 1;
            }
        } else if store::employee_number_taken(conn, ctx.org_id(), &row.employee_number, "").await?
        {
            return Err(ServiceError::invalid_with(
                Code::ValidationFailed,
                "employee_number",
                format!("{} is another employee's number", row.employee_number),
            ));
        }
        store::save_employee(conn, &row).await?;
        let v = view(row, ctx)?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_employee(&self, ctx: &AuthContext, id: &str) -> ServiceResult<EmployeeView> {
        let mut conn = self.store.read_conn().await?;
        let row = store::get_employee(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("employee"))?;
        view(row, ctx)
    }

    pub async fn list_employees(
        &self,
        ctx: &AuthContext,
        status: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<EmployeeView>> {
        if let Some(s) = status
            && s != "active"
            && s != "terminated"
        {
            return Err(ServiceError::invalid_with(
                Code::InvalidQuery,
                "status",
                format!("'{s}' is not an employee status: use active or terminated"),
            ));
        }
        let mut conn = self.store.read_conn().await?;
        let rows = store::list_employees(
            &mut *conn,
            ctx.org_id(),
            status,
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        paginate(rows, limit, |r| &r.id).try_map(|r| view(r, ctx))
    }

    pub async fn update_employee(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: EmployeeInput,
    ) -> ServiceResult<EmployeeView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut row = store::get_employee(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("employee"))?;
        apply(&mut row, input, ctx)?;
        if store::employee_number_taken(conn, ctx.org_id(), &row.employee_number, id).await? {
            return Err(ServiceError::invalid(
                "employee_number",
                format!("{} is another employee's number", row.employee_number),
            ));
        }
        row.updated_at = now();
        store::save_employee(conn, &row).await?;
        let v = view(row, ctx)?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Deletes an employee no payroll run has paid and no expense names
    /// (terminate the others).
    pub async fn delete_employee(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        store::get_employee(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("employee"))?;
        if store::employee_in_runs(conn, ctx.org_id(), id).await? {
            return Err(ServiceError::new(
                Code::HasTransactions,
                format!("employee {id} is on a payroll run: set a termination_date instead"),
            ));
        }
        if ferrobooks_store::documents::employee_has_documents(&mut *conn, ctx.org_id(), id).await?
        {
            return Err(ServiceError::new(
                Code::HasTransactions,
                format!("employee {id} has expenses to reimburse: set a termination_date instead"),
            ));
        }
        store::delete_employee(conn, ctx.org_id(), id).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &serde_json::Value::Null)
            .await?;
        wtx.commit().await?;
        Ok(())
    }
}
