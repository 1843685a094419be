//! Loans borrowed or lent: the drawdown, the EMI schedule, payments split
//! into interest and principal, prepayments that work the schedule out
//! again, and paying off (../shared/DOMAIN.md section 6; the arithmetic is
//! [`ferrobooks_domain::loan`]).
//!
//! Borrowed: drawdown Dr bank / Cr loan (a liability); a payment Dr loan
//! (principal) + Dr interest expense / Cr bank. Lent: the mirror, with the
//! loan an asset and the interest income. Loans are kept in the base
//! currency.

use chrono::NaiveDate;
use ferrobooks_domain::loan::{self, Frequency, LoanAction, LoanStatus, Terms};
use ferrobooks_domain::{Currency, EntryLine, Minor};
use ferrobooks_store::accounts::AccountRow;
use ferrobooks_store::loans::{self as store, LoanPaymentRow, LoanRow};
use ferrobooks_store::{new_id, now};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText, Number};
use crate::documents::posting::{chosen_account, line, paid_from_account, post_lines};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

/// A loan.
#[derive(Debug, Clone, Serialize)]
pub struct LoanView {
    pub id: String,
    /// borrowed or lent.
    pub kind: String,
    pub name: String,
    pub counterparty: Option<String>,
    pub currency: String,
    pub principal: Amount,
    /// Percent a year.
    pub annual_rate: Number,
    pub term_months: i64,
    pub frequency: String,
    pub start_date: String,
    /// The instalment now in force.
    pub emi: Amount,
    /// Principal still owed.
    pub outstanding: Amount,
    pub interest_paid: Amount,
    pub instalments: i64,
    pub instalments_paid: i64,
    /// When the next instalment falls due (none once paid off or void).
    pub next_due_date: Option<String>,
    /// active, paid_off or void.
    pub status: String,
    pub bank_account_id: String,
    pub loan_account_id: String,
    pub interest_account_id: String,
    /// The drawdown's entry.
    pub journal_entry_id: Option<String>,
    pub memo: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A new loan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLoan {
    /// borrowed (default) or lent.
    pub kind: Option<String>,
    pub name: String,
    pub counterparty: Option<String>,
    pub principal: DecimalText,
    pub annual_rate: DecimalText,
    pub term_months: i64,
    /// monthly (default), quarterly, half_yearly or yearly.
    pub frequency: Option<String>,
    /// The drawdown's date; default today.
    pub start_date: Option<String>,
    /// Where the money arrives (borrowed) or leaves from (lent); default
    /// the current account.
    pub bank_account_id: Option<String>,
    /// Default: the chart's Loans (2300) when borrowed; required when lent.
    pub loan_account_id: Option<String>,
    /// Default: Bank Charges and Interest (7900) when borrowed, Other
    /// Income (4900) when lent.
    pub interest_account_id: Option<String>,
    pub memo: Option<String>,
}

/// A payment made on a loan, as it split.
#[derive(Debug, Clone, Serialize)]
pub struct LoanPaymentView {
    pub id: String,
    pub loan_id: String,
    /// The instalment it paid.
    pub number: i64,
    pub date: String,
    pub amount: Amount,
    pub interest: Amount,
    pub principal: Amount,
    /// Principal outstanding after it.
    pub outstanding: Amount,
    pub bank_account_id: String,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
}

/// A payment on a loan.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLoanPayment {
    /// Default today; not before the last payment or the drawdown.
    pub date: Option<String>,
    /// Default: the next scheduled instalment. Any other amount pays the
    /// period's interest first and the rest off the principal.
    pub amount: Option<DecimalText>,
    /// Default: the loan's bank account.
    pub bank_account_id: Option<String>,
}

/// One instalment of a loan's schedule.
#[derive(Debug, Clone, Serialize)]
pub struct InstalmentView {
    pub number: i64,
    /// When it falls due (paid rows: when it was due).
    pub due_date: String,
    pub opening: Amount,
    pub payment: Amount,
    pub interest: Amount,
    pub principal: Amount,
    pub closing: Amount,
    /// paid or due.
    pub status: String,
    /// The payment that paid it, and its date.
    pub payment_id: Option<String>,
    pub paid_on: Option<String>,
}

/// A loan's schedule: what was paid, then what is still to pay at the EMI
/// now in force.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleView {
    pub loan_id: String,
    pub currency: String,
    pub emi: Amount,
    pub total_interest: Amount,
    pub total_payments: Amount,
    pub instalments: Vec<InstalmentView>,
}

/// Options of a void: the reversal's date, today when absent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoidLoan {
    pub date: Option<String>,
}

fn frequency(r: &LoanRow) -> ServiceResult<Frequency> {
    Frequency::parse("frequency", &r.frequency)
        .map_err(|_| ServiceError::internal("stored loan frequency is corrupt"))
}

fn rate(r: &LoanRow) -> ServiceResult<Decimal> {
    r.annual_rate
        .parse()
        .map_err(|_| ServiceError::internal("stored loan rate is corrupt"))
}

fn status(r: &LoanRow) -> ServiceResult<LoanStatus> {
    LoanStatus::from_name(&r.status)
        .ok_or_else(|| ServiceError::internal("stored loan status is corrupt"))
}

fn start(r: &LoanRow) -> ServiceResult<NaiveDate> {
    parse_date("start_date", &r.start_date)
}

fn instalments(r: &LoanRow) -> ServiceResult<i64> {
    Ok(r.term_months / i64::from(frequency(r)?.months()))
}

/// Instalments still to pay: at least one while principal is owed (a
/// short payment on the last one leaves one more).
fn remaining(r: &LoanRow) -> ServiceResult<u32> {
    let left = (instalments(r)? - r.instalments_paid).max(1);
    Ok(u32::try_from(left).unwrap_or(1))
}

fn view(r: LoanRow, cur: Currency) -> ServiceResult<LoanView> {
    let freq = frequency(&r)?;
    let next_due_date = (r.status == LoanStatus::Active.as_str()).then(|| {
        let n = u32::try_from(r.instalments_paid + 1).unwrap_or(u32::MAX);
        loan::due_date(start(&r).unwrap_or_default(), freq, n).to_string()
    });
    Ok(LoanView {
        instalments: instalments(&r)?,
        annual_rate: Number::new(rate(&r)?),
        next_due_date,
        id: r.id,
        kind: r.kind,
        name: r.name,
        counterparty: r.counterparty,
        currency: cur.code().to_owned(),
        principal: Amount::new(r.principal, cur),
        term_months: r.term_months,
        frequency: r.frequency,
        start_date: r.start_date,
        emi: Amount::new(r.emi, cur),
        outstanding: Amount::new(r.outstanding, cur),
        interest_paid: Amount::new(r.interest_paid, cur),
        instalments_paid: r.instalments_paid,
        status: r.status,
        bank_account_id: r.bank_account_id,
        loan_account_id: r.loan_account_id,
        interest_account_id: r.interest_account_id,
        journal_entry_id: r.journal_entry_id,
        memo: r.memo,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

fn payment_view(p: LoanPaymentRow, cur: Currency) -> LoanPaymentView {
    LoanPaymentView {
        id: p.id,
        loan_id: p.loan_id,
        number: p.number,
        date: p.date,
        amount: Amount::new(p.amount, cur),
        interest: Amount::new(p.interest, cur),
        principal: Amount::new(p.principal, cur),
        outstanding: Amount::new(p.outstanding, cur),
        bank_account_id: p.bank_account_id,
        journal_entry_id: p.journal_entry_id,
        created_at: p.created_at,
    }
}

/// The loan's two accounts by its kind: the loan itself (a liability when
/// borrowed, an asset when lent) and its interest (expense or income).
async fn loan_accounts(
    conn: &mut ferrobooks_store::Conn,
    ctx: &AuthContext,
    lent: bool,
    input: &NewLoan,
) -> ServiceResult<(AccountRow, AccountRow)> {
    let loan_account = if lent {
        chosen_account(
            conn,
            ctx,
            input.loan_account_id.as_deref(),
            None,
            "loan_account_id",
            |a| {
                a.account_type == "asset"
                    && !matches!(
                        a.subtype.as_str(),
                        "bank" | "cash" | "receivable" | "credit_card"
                    )
            },
            "asset (not bank, cash or receivable)",
        )
        .await?
    } else {
        chosen_account(
            conn,
            ctx,
            input.loan_account_id.as_deref(),
            Some("loans"),
            "loan_account_id",
            |a| {
                a.account_type == "liability"
                    && !matches!(a.subtype.as_str(), "payable" | "credit_card" | "tax")
            },
            "liability (not payable, tax or credit card)",
        )
        .await?
    };
    let (key, kind) = if lent {
        ("other_income", "income")
    } else {
        ("bank_charges", "expense")
    };
    let interest = chosen_account(
        conn,
        ctx,
        input.interest_account_id.as_deref(),
        Some(key),
        "interest_account_id",
        |a| a.account_type == kind,
        kind,
    )
    .await?;
    Ok((loan_account, interest))
}

impl Services {
    /// Records a loan and posts its drawdown.
    pub async fn create_loan(&self, ctx: &AuthContext, input: NewLoan) -> ServiceResult<LoanView> {
        let cur = ctx.currency()?;
        let lent = match input.kind.as_deref().unwrap_or("borrowed") {
            "borrowed" => false,
            "lent" => true,
            other => {
                return Err(ServiceError::invalid(
                    "kind",
                    format!("'{other}' is not a kind of loan: use borrowed or lent"),
                ));
            }
        };
        let name = opt_text("name", Some(input.name.clone()), 200)?
            .ok_or_else(|| ServiceError::invalid("name", "must not be blank"))?;
        let counterparty = opt_text("counterparty", input.counterparty.clone(), 200)?;
        let memo = opt_text("memo", input.memo.clone(), 1000)?;
        let principal = input.principal.minor(cur, "principal")?;
        let annual_rate =
            ferrobooks_domain::money::parse_decimal(&input.annual_rate.0, "annual_rate")?;
        let freq = Frequency::parse("frequency", input.frequency.as_deref().unwrap_or("monthly"))?;
        let terms = Terms::new(
            principal,
            annual_rate,
            u32::try_from(input.term_months).unwrap_or(0),
            freq,
        )?;
        let start_date = match &input.start_date {
            Some(d) => parse_date("start_date", d)?,
            None => crate::today(),
        };
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut wtx.tx;
        let bank = paid_from_account(
            conn,
            ctx,
            input.bank_account_id.as_deref(),
            cur,
            "bank_account_id",
        )
        .await?;
        let (loan_account, interest) = loan_accounts(conn, ctx, lent, &input).await?;
        let id = new_id("loan");
        let label = format!("Loan drawdown: {name}");
        // Borrowed: money arrives (Dr bank / Cr loan); lent: it leaves.
        let lines = vec![
            line(&bank.id, principal, !lent, None, Some(&label)),
            line(&loan_account.id, principal, lent, None, Some(&label)),
        ];
        let entry = post_lines(
            conn,
            ctx,
            &format!("loan {id}"),
            &start_date.to_string(),
            memo.clone().unwrap_or_else(|| label.clone()),
            Some(name.clone()),
            lines,
        )
        .await?;
        let at = now();
        let row = LoanRow {
            id,
            organization_id: ctx.org_id().to_owned(),
            kind: if lent { "lent" } else { "borrowed" }.into(),
            name,
            counterparty,
            principal,
            annual_rate: annual_rate.normalize().to_string(),
            term_months: i64::from(terms.term_months),
            frequency: freq.as_str().into(),
            start_date: start_date.to_string(),
            emi: terms.emi(),
            outstanding: principal,
            instalments_paid: 0,
            interest_paid: 0,
            bank_account_id: bank.id,
            loan_account_id: loan_account.id,
            interest_account_id: interest.id,
            status: LoanStatus::Active.as_str().into(),
            journal_entry_id: entry,
            memo,
            created_at: at.clone(),
            updated_at: at,
        };
        store::save_loan(conn, &row).await?;
        let v = view(row, cur)?;
        self.emit(conn, ctx, "loan.created", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_loan(&self, ctx: &AuthContext, id: &str) -> ServiceResult<LoanView> {
        let mut conn = self.store.read_conn().await?;
        let row = store::get_loan(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("loan"))?;
        view(row, ctx.currency()?)
    }

    pub async fn list_loans(
        &self,
        ctx: &AuthContext,
        status: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<LoanView>> {
        if let Some(s) = status {
            LoanStatus::parse("status", s).map_err(ServiceError::bad_query)?;
        }
        let cur = ctx.currency()?;
        let mut conn = self.store.read_conn().await?;
        let rows = store::list_loans(
            &mut *conn,
            ctx.org_id(),
            status,
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        paginate(rows, limit, |r| &r.id).try_map(|r| view(r, cur))
    }

    /// The schedule: paid instalments as they were paid, then those still
    /// to pay on the outstanding principal at the EMI in force.
    pub async fn loan_schedule(&self, ctx: &AuthContext, id: &str) -> ServiceResult<ScheduleView> {
        let cur = ctx.currency()?;
        let mut conn = self.store.read_conn().await?;
        let row = store::get_loan(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("loan"))?;
        let payments = store::loan_payments(&mut *conn, ctx.org_id(), id).await?;
        let (freq, start) = (frequency(&row)?, start(&row)?);
        let mut out = Vec::new();
        for p in payments {
            let n = u32::try_from(p.number).unwrap_or(u32::MAX);
            out.push(InstalmentView {
                number: p.number,
                due_date: loan::due_date(start, freq, n).to_string(),
                opening: Amount::new(p.outstanding + p.principal, cur),
                payment: Amount::new(p.amount, cur),
                interest: Amount::new(p.interest, cur),
                principal: Amount::new(p.principal, cur),
                closing: Amount::new(p.outstanding, cur),
                status: "paid".into(),
                payment_id: Some(p.id),
                paid_on: Some(p.date),
            });
        }
        let (mut interest_total, mut paid_total) = (0 as Minor, 0 as Minor);
        if row.status == LoanStatus::Active.as_str() {
            let first = u32::try_from(row.instalments_paid + 1).unwrap_or(u32::MAX);
            let periodic = loan::periodic_rate(rate(&row)?, freq);
            for i in loan::schedule(
                row.outstanding,
                periodic,
                row.emi,
                remaining(&row)?,
                first,
                start,
                freq,
            ) {
                interest_total += i.interest;
                paid_total += i.payment;
                out.push(InstalmentView {
                    number: i64::from(i.number),
                    due_date: i.due.to_string(),
                    opening: Amount::new(i.opening, cur),
                    payment: Amount::new(i.payment, cur),
                    interest: Amount::new(i.interest, cur),
                    principal: Amount::new(i.principal, cur),
                    closing: Amount::new(i.closing, cur),
                    status: "due".into(),
                    payment_id: None,
                    paid_on: None,
                });
            }
        }
        interest_total += row.interest_paid;
        paid_total += row.interest_paid + (row.principal - row.outstanding);
        Ok(ScheduleView {
            loan_id: row.id,
            currency: cur.code().to_owned(),
            emi: Amount::new(row.emi, cur),
            total_interest: Amount::new(interest_total, cur),
            total_payments: Amount::new(paid_total, cur),
            instalments: out,
        })
    }

    pub async fn list_loan_payments(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<Vec<LoanPaymentView>> {
        let cur = ctx.currency()?;
        let mut conn = self.store.read_conn().await?;
        store::get_loan(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("loan"))?;
        Ok(store::loan_payments(&mut *conn, ctx.org_id(), id)
            .await?
            .into_iter()
            .map(|p| payment_view(p, cur))
            .collect())
    }

    /// Pays the next instalment (or a free amount, interest first) and
    /// posts it; the principal reaching zero pays the loan off.
    pub async fn pay_loan(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: NewLoanPayment,
    ) -> ServiceResult<LoanPaymentView> {
        let cur = ctx.currency()?;
        let date = match &input.date {
            Some(d) => parse_date("date", d)?,
            None => crate::today(),
        }
        .to_string();
        let amount = input
            .amount
            .as_ref()
            .map(|a| a.minor(cur, "amount"))
            .transpose()?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut wtx.tx;
        let mut row = store::get_loan(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("loan"))?;
        let st = status(&row)?;
        let freq = frequency(&row)?;
        let periodic = loan::periodic_rate(rate(&row)?, freq);
        let split = loan::split(row.outstanding, periodic, row.emi, remaining(&row)?, amount)?;
        let left = row.outstanding - split.principal;
        let next = st
            .after(LoanAction::Pay { left })
            .map_err(|e| ServiceError::wrong_status(row.status.clone(), format!("{e}")))?;
        let payments = store::loan_payments(&mut **conn, ctx.org_id(), id).await?;
        let last = payments
            .last()
            .map(|p| p.date.clone())
            .unwrap_or_else(|| row.start_date.clone());
        if date < last {
            return Err(ServiceError::invalid(
                "date",
                format!("must not be before {last}, the loan's last movement"),
            ));
        }
        let bank = paid_from_account(
            conn,
            ctx,
            Some(
                input
                    .bank_account_id
                    .as_deref()
                    .unwrap_or(&row.bank_account_id),
            ),
            cur,
            "bank_account_id",
        )
        .await?;
        let lent = row.kind == "lent";
        let number = row.instalments_paid + 1;
        let label = format!("{}: instalment {number}", row.name);
        let total = split.interest + split.principal;
        // Borrowed: Dr loan + Dr interest / Cr bank; lent: the mirror.
        let lines: Vec<EntryLine> = vec![
            line(
                &row.loan_account_id,
                split.principal,
                !lent,
                None,
                Some(&label),
            ),
            line(
                &row.interest_account_id,
                split.interest,
                !lent,
                None,
                Some("Interest"),
            ),
            line(&bank.id, total, lent, None, Some(&label)),
        ];
        let pid = new_id("lpay");
        let entry = post_lines(
            conn,
            ctx,
            &format!("loan_payment {pid}"),
            &date,
            label.clone(),
            Some(row.name.clone()),
            lines,
        )
        .await?;
        let payment = LoanPaymentRow {
            id: pid,
            organization_id: ctx.org_id().to_owned(),
            loan_id: row.id.clone(),
            number,
            date,
            amount: total,
            interest: split.interest,
            principal: split.principal,
            outstanding: left,
            bank_account_id: bank.id,
            journal_entry_id: entry,
            created_at: now(),
        };
        store::insert_loan_payment(conn, &payment).await?;
        let was_remaining = remaining(&row)?;
        row.instalments_paid = number;
        row.outstanding = left;
        row.interest_paid += split.interest;
        row.status = next.as_str().into();
        if split.reschedules && left > 0 {
            // What is left is spread again over the instalments left.
            row.emi = loan::emi(left, periodic, was_remaining.saturating_sub(1).max(1));
        }
        row.updated_at = now();
        store::save_loan(conn, &row).await?;
        let v = payment_view(payment, cur);
        self.emit(conn, ctx, "loan.payment_made", &v).await?;
        if next == LoanStatus::PaidOff {
            let lv = view(row, cur)?;
            self.emit(conn, ctx, "loan.paid_off", &lv).await?;
        }
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Voids a loan nothing was paid on: reverses its drawdown.
    pub async fn void_loan(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: VoidLoan,
    ) -> ServiceResult<LoanView> {
        let cur = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut wtx.tx;
        let mut row = store::get_loan(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("loan"))?;
        let next = status(&row)?
            .after(LoanAction::Void)
            .map_err(|e| ServiceError::wrong_status(row.status.clone(), format!("{e}")))?;
        if row.instalments_paid > 0 {
            return Err(ServiceError::new(
                crate::Code::HasTransactions,
                format!(
                    "loan {id} has {} payment(s); a loan with payments cannot be voided",
                    row.instalments_paid
                ),
            ));
        }
        if let Some(je) = &row.journal_entry_id {
            crate::journal::reverse_entry(conn, ctx, je, input.date.as_deref(), false).await?;
        }
        row.status = next.as_str().into();
        row.updated_at = now();
        store::save_loan(conn, &row).await?;
        let v = view(row, cur)?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }
}
