//! The native API's payroll shapes (employees, pay items, runs, payslips,
//! remittances), translated field by field from and to the use cases'
//! own types.

use crate::views::money::{Amount, DecimalText, Number};
use ferrobooks_service::payroll::{employees as emp, items, remittances as rem, runs};
use serde::{Deserialize, Serialize};

/// An employee. Tax id and bank account number are masked in every read.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmployeeView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub employee_number: String,
    #[schema(format = Date)]
    pub hire_date: String,
    #[schema(format = Date)]
    pub termination_date: Option<String>,
    /// salary or hourly.
    pub pay_type: String,
    /// A year's salary, or an hour's rate.
    pub pay_rate: Amount,
    pub currency: String,
    /// weekly, biweekly, semimonthly or monthly.
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

impl From<emp::EmployeeView> for EmployeeView {
    fn from(v: emp::EmployeeView) -> Self {
        let emp::EmployeeView {
            id,
            name,
            email,
            employee_number,
            hire_date,
            termination_date,
            pay_type,
            pay_rate,
            currency,
            pay_frequency,
            department,
            tax_id,
            bank_account_number,
            bank_routing_code,
            status,
            created_at,
            updated_at,
        } = v;
        EmployeeView {
            id,
            name,
            email,
            employee_number,
            hire_date,
            termination_date,
            pay_type,
            pay_rate: pay_rate.into(),
            currency,
            pay_frequency,
            department,
            tax_id,
            bank_account_number,
            bank_routing_code,
            status,
            created_at,
            updated_at,
        }
    }
}

/// A new employee.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Asha Rao", "email": "asha@example.com", "hire_date": "2025-04-01",
    "pay_type": "salary", "pay_rate": "60000.00", "pay_frequency": "monthly", "department": "Sales",
    "bank_account_number": "12345678901234"}))]
pub struct NewEmployee {
    pub name: String,
    pub email: Option<String>,
    /// Default: the next `EMP-0001`-style number; unique.
    pub employee_number: Option<String>,
    /// Default today.
    #[schema(format = Date)]
    pub hire_date: Option<String>,
    /// Terminates the employee; not before the hire date.
    #[schema(format = Date)]
    pub termination_date: Option<String>,
    /// salary (default) or hourly.
    pub pay_type: Option<String>,
    /// A year's salary, or an hour's rate; greater than zero.
    pub pay_rate: DecimalText,
    /// monthly (default), semimonthly, biweekly or weekly.
    pub pay_frequency: Option<String>,
    pub department: Option<String>,
    /// Stored as given; shown masked.
    pub tax_id: Option<String>,
    /// Stored as given; shown masked.
    pub bank_account_number: Option<String>,
    pub bank_routing_code: Option<String>,
}

impl From<NewEmployee> for emp::EmployeeInput {
    fn from(v: NewEmployee) -> Self {
        let NewEmployee {
            name,
            email,
            employee_number,
            hire_date,
            termination_date,
            pay_type,
            pay_rate,
            pay_frequency,
            department,
            tax_id,
            bank_account_number,
            bank_routing_code,
        } = v;
        EmployeeInput {
            name: Some(name),
            email,
            employee_number,
            hire_date,
            termination_date,
            pay_type,
            pay_rate: Some(pay_rate),
            pay_frequency,
            department,
            tax_id,
            bank_account_number,
            bank_routing_code,
        }
        .into()
    }
}

/// What changes on an employee; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"department": "Operations", "pay_rate": "64000.00"}))]
pub struct EmployeeInput {
    pub name: Option<String>,
    pub email: Option<String>,
    /// Default: the next `EMP-0001`-style number; unique.
    pub employee_number: Option<String>,
    /// Default today.
    #[schema(format = Date)]
    pub hire_date: Option<String>,
    /// Terminates the employee; not before the hire date.
    #[schema(format = Date)]
    pub termination_date: Option<String>,
    /// salary (default) or hourly.
    pub pay_type: Option<String>,
    /// A year's salary, or an hour's rate; greater than zero.
    pub pay_rate: Option<DecimalText>,
    /// monthly (default), semimonthly, biweekly or weekly.
    pub pay_frequency: Option<String>,
    pub department: Option<String>,
    /// Stored as given; shown masked.
    pub tax_id: Option<String>,
    /// Stored as given; shown masked.
    pub bank_account_number: Option<String>,
    pub bank_routing_code: Option<String>,
}

impl From<EmployeeInput> for emp::EmployeeInput {
    fn from(v: EmployeeInput) -> Self {
        let EmployeeInput {
            name,
            email,
            employee_number,
            hire_date,
            termination_date,
            pay_type,
            pay_rate,
            pay_frequency,
            department,
            tax_id,
            bank_account_number,
            bank_routing_code,
        } = v;
        emp::EmployeeInput {
            name,
            email,
            employee_number,
            hire_date,
            termination_date,
            pay_type,
            pay_rate: pay_rate.map(Into::into),
            pay_frequency,
            department,
            tax_id,
            bank_account_number,
            bank_routing_code,
        }
    }
}

/// A pay item.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PayItemView {
    pub id: String,
    pub name: String,
    /// earning, deduction or employer_contribution.
    pub kind: String,
    /// percent or fixed.
    pub calculation: String,
    /// Percent of base pay (earnings) or of gross (the others).
    pub percent: Option<Number>,
    /// A fixed amount per employee per run.
    pub amount: Option<Amount>,
    /// Earnings: the expense account; the others: the liability.
    pub account_id: String,
    /// Employer contributions: the expense account.
    pub expense_account_id: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<items::PayItemView> for PayItemView {
    fn from(v: items::PayItemView) -> Self {
        let items::PayItemView {
            id,
            name,
            kind,
            calculation,
            percent,
            amount,
            account_id,
            expense_account_id,
            active,
            created_at,
            updated_at,
        } = v;
        PayItemView {
            id,
            name,
            kind,
            calculation,
            percent: percent.map(Into::into),
            amount: amount.map(Into::into),
            account_id,
            expense_account_id,
            active,
            created_at,
            updated_at,
        }
    }
}

/// A new pay item: one of `percent` and `amount`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Pension (employee)", "kind": "deduction", "percent": "5"}))]
pub struct NewPayItem {
    pub name: String,
    /// earning, deduction or employer_contribution.
    pub kind: String,
    /// 0 to 100.
    pub percent: Option<DecimalText>,
    pub amount: Option<DecimalText>,
    /// Earnings: an expense account (default Gross Wages 7000); deductions
    /// and employer contributions: a liability (default 2210 and 2211).
    pub account_id: Option<String>,
    /// Employer contributions: an expense account (default 7006).
    pub expense_account_id: Option<String>,
    pub active: Option<bool>,
}

impl From<NewPayItem> for items::PayItemInput {
    fn from(v: NewPayItem) -> Self {
        let NewPayItem {
            name,
            kind,
            percent,
            amount,
            account_id,
            expense_account_id,
            active,
        } = v;
        items::PayItemInput {
            name: Some(name),
            kind: Some(kind),
            percent: percent.map(Into::into),
            amount: amount.map(Into::into),
            account_id,
            expense_account_id,
            active,
        }
    }
}

/// What changes on a pay item; absent fields stay and the kind never
/// changes. Runs already made keep the item as it was.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"percent": "5.5"}))]
pub struct PayItemInput {
    pub name: Option<String>,
    /// 0 to 100.
    pub percent: Option<DecimalText>,
    pub amount: Option<DecimalText>,
    /// Earnings: an expense account (default Gross Wages 7000); deductions
    /// and employer contributions: a liability (default 2210 and 2211).
    pub account_id: Option<String>,
    /// Employer contributions: an expense account (default 7006).
    pub expense_account_id: Option<String>,
    pub active: Option<bool>,
}

impl From<PayItemInput> for items::PayItemInput {
    fn from(v: PayItemInput) -> Self {
        let PayItemInput {
            name,
            percent,
            amount,
            account_id,
            expense_account_id,
            active,
        } = v;
        items::PayItemInput {
            name,
            kind: None,
            percent: percent.map(Into::into),
            amount: amount.map(Into::into),
            account_id,
            expense_account_id,
            active,
        }
    }
}

/// One employee on a new run.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunEmployee {
    pub employee_id: String,
    /// Required for hourly employees; refused for salaried ones.
    pub hours: Option<DecimalText>,
}

/// A new payroll run.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"period_start": "2026-11-01", "period_end": "2026-11-30", "pay_date": "2026-11-30",
    "employees": [{"employee_id": "emp_01kbx2h1asha00000000000000"}, {"employee_id": "emp_01kbx2h1ben000000000000000", "hours": "160.5"}]}))]
pub struct NewRun {
    #[schema(format = Date)]
    pub period_start: String,
    #[schema(format = Date)]
    pub period_end: String,
    /// Default: the period's end.
    #[schema(format = Date)]
    pub pay_date: Option<String>,
    /// At least one, each once.
    pub employees: Vec<RunEmployee>,
    /// Default: every active pay item.
    pub pay_item_ids: Option<Vec<String>>,
}

impl From<NewRun> for runs::NewRun {
    fn from(v: NewRun) -> Self {
        let NewRun {
            period_start,
            period_end,
            pay_date,
            employees,
            pay_item_ids,
        } = v;
        runs::NewRun {
            period_start,
            period_end,
            pay_date,
            employees: employees
                .into_iter()
                .map(|e| runs::RunEmployee {
                    employee_id: e.employee_id,
                    hours: e.hours.map(Into::into),
                })
                .collect(),
            pay_item_ids,
        }
    }
}

/// Paying an approved run.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-11-30", "mode": "per_employee"}))]
pub struct PayRun {
    /// Default: the run's pay date; not before it.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// Default: the current account.
    pub bank_account_id: Option<String>,
    /// batch (default) or per_employee.
    pub mode: Option<String>,
}

impl From<PayRun> for runs::PayRun {
    fn from(v: PayRun) -> Self {
        let PayRun {
            date,
            bank_account_id,
            mode,
        } = v;
        runs::PayRun {
            date,
            bank_account_id,
            mode,
        }
    }
}

/// One employee's totals on a run.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunView {
    pub id: String,
    #[schema(format = Date)]
    pub period_start: String,
    #[schema(format = Date)]
    pub period_end: String,
    #[schema(format = Date)]
    pub pay_date: String,
    /// draft, approved or paid.
    pub status: String,
    pub currency: String,
    pub gross: Amount,
    pub deductions: Amount,
    pub employer_contributions: Amount,
    pub net: Amount,
    /// The pay items the run applied (as they were when it was made).
    pub pay_item_ids: Vec<String>,
    pub lines: Vec<RunLineView>,
    /// The approval's entry.
    pub journal_entry_id: Option<String>,
    pub payment_entry_ids: Vec<String>,
    #[schema(format = Date)]
    pub paid_on: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<runs::RunView> for RunView {
    fn from(v: runs::RunView) -> Self {
        let runs::RunView {
            id,
            period_start,
            period_end,
            pay_date,
            status,
            currency,
            gross,
            deductions,
            employer_contributions,
            net,
            pay_item_ids,
            lines,
            journal_entry_id,
            payment_entry_ids,
            paid_on,
            created_at,
            updated_at,
        } = v;
        RunView {
            id,
            period_start,
            period_end,
            pay_date,
            status,
            currency,
            gross: gross.into(),
            deductions: deductions.into(),
            employer_contributions: employer_contributions.into(),
            net: net.into(),
            pay_item_ids,
            lines: lines
                .into_iter()
                .map(|l| RunLineView {
                    employee_id: l.employee_id,
                    hours: l.hours,
                    base: l.base.into(),
                    gross: l.gross.into(),
                    deductions: l.deductions.into(),
                    employer_contributions: l.employer_contributions.into(),
                    net: l.net.into(),
                })
                .collect(),
            journal_entry_id,
            payment_entry_ids,
            paid_on,
            created_at,
            updated_at,
        }
    }
}

/// One pay item's amount on a payslip.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PayslipItem {
    pub pay_item_id: String,
    pub name: String,
    pub amount: Amount,
}

impl From<runs::PayslipItem> for PayslipItem {
    fn from(v: runs::PayslipItem) -> Self {
        let runs::PayslipItem {
            pay_item_id,
            name,
            amount,
        } = v;
        PayslipItem {
            pay_item_id,
            name,
            amount: amount.into(),
        }
    }
}

/// One employee's payslip for a run.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PayslipView {
    pub run_id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub employee_number: String,
    #[schema(format = Date)]
    pub period_start: String,
    #[schema(format = Date)]
    pub period_end: String,
    #[schema(format = Date)]
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
    /// The run's status.
    pub status: String,
}

impl From<runs::PayslipView> for PayslipView {
    fn from(v: runs::PayslipView) -> Self {
        let runs::PayslipView {
            run_id,
            employee_id,
            employee_name,
            employee_number,
            period_start,
            period_end,
            pay_date,
            currency,
            hours,
            base,
            earnings,
            gross,
            deductions,
            total_deductions,
            net,
            employer_contributions,
            bank_account_number,
            status,
        } = v;
        PayslipView {
            run_id,
            employee_id,
            employee_name,
            employee_number,
            period_start,
            period_end,
            pay_date,
            currency,
            hours,
            base: base.into(),
            earnings: super::each(earnings),
            gross: gross.into(),
            deductions: super::each(deductions),
            total_deductions: total_deductions.into(),
            net: net.into(),
            employer_contributions: super::each(employer_contributions),
            bank_account_number,
            status,
        }
    }
}

/// A payroll liability paid over.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"account_id": "acc_01kbx2h1tax0000000000000000", "amount": "1250.00", "date": "2026-12-07", "reference": "challan 8812"}))]
pub struct NewRemittance {
    /// The liability paid over (tax withheld, social security...).
    pub account_id: String,
    /// Greater than zero; at most what is owed on the date.
    pub amount: DecimalText,
    /// Default today.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// Default: the current account.
    pub bank_account_id: Option<String>,
    pub reference: Option<String>,
}

impl From<NewRemittance> for rem::NewRemittance {
    fn from(v: NewRemittance) -> Self {
        let NewRemittance {
            account_id,
            amount,
            date,
            bank_account_id,
            reference,
        } = v;
        rem::NewRemittance {
            account_id,
            amount: amount.into(),
            date,
            bank_account_id,
            reference,
        }
    }
}

/// A remittance.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RemittanceView {
    pub id: String,
    #[schema(format = Date)]
    pub date: String,
    pub account_id: String,
    pub amount: Amount,
    pub currency: String,
    pub bank_account_id: String,
    pub reference: Option<String>,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
}

impl From<rem::RemittanceView> for RemittanceView {
    fn from(v: rem::RemittanceView) -> Self {
        let rem::RemittanceView {
            id,
            date,
            account_id,
            amount,
            currency,
            bank_account_id,
            reference,
            journal_entry_id,
            created_at,
        } = v;
        RemittanceView {
            id,
            date,
            account_id,
            amount: amount.into(),
            currency,
            bank_account_id,
            reference,
            journal_entry_id,
            created_at,
        }
    }
}
