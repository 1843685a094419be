//! Loans and the payments made on them.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::{OrgId, StoreError, rows};

/// A loan borrowed or lent.
#[derive(Debug, Clone, FromRow)]
pub struct LoanRow {
    pub id: String,
    pub organization_id: OrgId,
    /// borrowed or lent.
    pub kind: String,
    pub name: String,
    pub counterparty: Option<String>,
    /// Minor units of the base currency.
    pub principal: i64,
    /// Percent a year, as decimal text.
    pub annual_rate: String,
    pub term_months: i64,
    pub frequency: String,
    pub start_date: String,
    /// The instalment now in force (worked out again after a prepayment).
    pub emi: i64,
    pub outstanding: i64,
    pub instalments_paid: i64,
    pub interest_paid: i64,
    pub bank_account_id: String,
    pub loan_account_id: String,
    pub interest_account_id: String,
    /// active, paid_off or void.
    pub status: String,
    /// The drawdown's entry.
    pub journal_entry_id: Option<String>,
    pub memo: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const LOAN_COLS: &str = "id, organization_id, kind, name, counterparty, principal, annual_rate, \
    term_months, frequency, start_date, emi, outstanding, instalments_paid, interest_paid, \
    bank_account_id, loan_account_id, interest_account_id, status, journal_entry_id, memo, \
    created_at, updated_at";

/// Inserts a loan, or writes what changes on an existing one (its EMI,
/// balance, counts and status).
pub async fn save_loan(conn: &mut AnyConnection, r: &LoanRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO loans ({LOAN_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) \
         ON CONFLICT (id) DO UPDATE SET emi = excluded.emi, outstanding = excluded.outstanding, \
         instalments_paid = excluded.instalments_paid, interest_paid = excluded.interest_paid, \
         status = excluded.status, updated_at = excluded.updated_at"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.kind)
    .bind(&r.name)
    .bind(&r.counterparty)
    .bind(r.principal)
    .bind(&r.annual_rate)
    .bind(r.term_months)
    .bind(&r.frequency)
    .bind(&r.start_date)
    .bind(r.emi)
    .bind(r.outstanding)
    .bind(r.instalments_paid)
    .bind(r.interest_paid)
    .bind(&r.bank_account_id)
    .bind(&r.loan_account_id)
    .bind(&r.interest_account_id)
    .bind(&r.status)
    .bind(&r.journal_entry_id)
    .bind(&r.memo)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The loan `id` (held for update on PostgreSQL when `lock`).
pub async fn get_loan(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    lock: bool,
) -> Result<Option<LoanRow>, StoreError> {
    rows::by_id(conn, "loans", LOAN_COLS, org, id, lock).await
}

/// A page of loans by id after `after`, of one status when given.
pub async fn list_loans<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    status: Option<&str>,
    after: &str,
    limit: i64,
) -> Result<Vec<LoanRow>, StoreError> {
    rows::page_by_status(e, "loans", LOAN_COLS, org, status, after, limit).await
}

/// A payment on a loan, as it split.
#[derive(Debug, Clone, FromRow)]
pub struct LoanPaymentRow {
    pub id: String,
    pub organization_id: OrgId,
    pub loan_id: String,
    /// The instalment it paid (1 for the first).
    pub number: i64,
    pub date: String,
    pub amount: i64,
    pub interest: i64,
    pub principal: i64,
    /// Principal outstanding after it.
    pub outstanding: i64,
    pub bank_account_id: String,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
}

const PAYMENT_COLS: &str = "id, organization_id, loan_id, number, date, amount, interest, \
    principal, outstanding, bank_account_id, journal_entry_id, created_at";

pub async fn insert_loan_payment(
    conn: &mut AnyConnection,
    r: &LoanPaymentRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO loan_payments ({PAYMENT_COLS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.loan_id)
    .bind(r.number)
    .bind(&r.date)
    .bind(r.amount)
    .bind(r.interest)
    .bind(r.principal)
    .bind(r.outstanding)
    .bind(&r.bank_account_id)
    .bind(&r.journal_entry_id)
    .bind(&r.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The payments on a loan, in the order they were made.
pub async fn loan_payments<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    loan_id: &str,
) -> Result<Vec<LoanPaymentRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {PAYMENT_COLS} FROM loan_payments WHERE organization_id = $1 AND loan_id = $2 \
         ORDER BY number"
    ))
    .bind(org)
    .bind(loan_id)
    .fetch_all(e)
    .await?)
}
