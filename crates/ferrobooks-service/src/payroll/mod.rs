//! Payroll: employees, the pay items applied to their pay, payroll runs
//! (draft, approved, paid) with a payslip per employee, and payroll
//! liabilities remitted (../shared/DOMAIN.md section 6; the arithmetic is
//! [`ferrobooks_domain::payroll`]). Pay is kept in the base currency.

pub mod employees;
pub mod items;
pub mod remittances;
pub mod runs;
