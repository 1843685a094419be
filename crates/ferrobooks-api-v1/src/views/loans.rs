//! The native API's loan shapes, translated field by field from and to the
//! use cases' own types.

use crate::views::money::{Amount, DecimalText, Number};
use ferrobooks_service::loans as svc;
use serde::{Deserialize, Serialize};

/// A loan borrowed or lent, with where it stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoanView {
    pub id: String,
    /// borrowed or lent.
    pub kind: String,
    pub name: String,
    pub counterparty: Option<String>,
    /// The base currency: loans are kept in it.
    pub currency: String,
    pub principal: Amount,
    /// Percent a year.
    pub annual_rate: Number,
    pub term_months: i64,
    /// monthly, quarterly, half_yearly or yearly.
    pub frequency: String,
    #[schema(format = Date)]
    pub start_date: String,
    /// The instalment now in force (worked out again after a payment other
    /// than the scheduled one).
    pub emi: Amount,
    /// Principal still owed.
    pub outstanding: Amount,
    pub interest_paid: Amount,
    pub instalments: i64,
    pub instalments_paid: i64,
    /// When the next instalment falls due; null once paid off or void.
    #[schema(format = Date)]
    pub next_due_date: Option<String>,
    /// active, paid_off or void.
    pub status: String,
    pub bank_account_id: String,
    pub loan_account_id: String,
    pub interest_account_id: String,
    /// The drawdown's journal entry.
    pub journal_entry_id: Option<String>,
    pub memo: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::LoanView> for LoanView {
    fn from(v: svc::LoanView) -> Self {
        let svc::LoanView {
            id,
            kind,
            name,
            counterparty,
            currency,
            principal,
            annual_rate,
            term_months,
            frequency,
            start_date,
            emi,
            outstanding,
            interest_paid,
            instalments,
            instalments_paid,
            next_due_date,
            status,
            bank_account_id,
            loan_account_id,
            interest_account_id,
            journal_entry_id,
            memo,
            created_at,
            updated_at,
        } = v;
        LoanView {
            id,
            kind,
            name,
            counterparty,
            currency,
            principal: principal.into(),
            annual_rate: annual_rate.into(),
            term_months,
            frequency,
            start_date,
            emi: emi.into(),
            outstanding: outstanding.into(),
            interest_paid: interest_paid.into(),
            instalments,
            instalments_paid,
            next_due_date,
            status,
            bank_account_id,
            loan_account_id,
            interest_account_id,
            journal_entry_id,
            memo,
            created_at,
            updated_at,
        }
    }
}

/// A new loan; its drawdown posts on `start_date`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "borrowed", "name": "Term loan", "counterparty": "First Bank",
    "principal": "100000.00", "annual_rate": "12", "term_months": 12, "frequency": "monthly",
    "start_date": "2026-01-15"}))]
pub struct NewLoan {
    /// borrowed (default) or lent.
    pub kind: Option<String>,
    pub name: String,
    pub counterparty: Option<String>,
    /// In the base currency; greater than zero.
    pub principal: DecimalText,
    /// Percent a year, 0 to 100, at most 4 decimals.
    pub annual_rate: DecimalText,
    /// 1 to 600, a whole number of instalments.
    #[serde(deserialize_with = "ferrobooks_service::amount::whole_number")]
    #[schema(minimum = 1, maximum = 600)]
    pub term_months: i64,
    /// monthly (default), quarterly, half_yearly or yearly.
    pub frequency: Option<String>,
    /// The drawdown's date; default today. The first instalment falls due
    /// one period later.
    #[schema(format = Date)]
    pub start_date: Option<String>,
    /// Where the money arrives (borrowed) or leaves from (lent): a bank,
    /// cash or card account; default the current account (1200).
    pub bank_account_id: Option<String>,
    /// A liability when borrowed (default Loans, 2300); an asset when lent
    /// (required).
    pub loan_account_id: Option<String>,
    /// An expense when borrowed (default 7900), an income when lent
    /// (default 4900).
    pub interest_account_id: Option<String>,
    pub memo: Option<String>,
}

impl From<NewLoan> for svc::NewLoan {
    fn from(v: NewLoan) -> Self {
        let NewLoan {
            kind,
            name,
            counterparty,
            principal,
            annual_rate,
            term_months,
            frequency,
            start_date,
            bank_account_id,
            loan_account_id,
            interest_account_id,
            memo,
        } = v;
        svc::NewLoan {
            kind,
            name,
            counterparty,
            principal: principal.into(),
            annual_rate: annual_rate.into(),
            term_months,
            frequency,
            start_date,
            bank_account_id,
            loan_account_id,
            interest_account_id,
            memo,
        }
    }
}

/// A payment made on a loan, as it split.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoanPaymentView {
    pub id: String,
    pub loan_id: String,
    /// The instalment it paid (1 for the first).
    pub number: i64,
    #[schema(format = Date)]
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

impl From<svc::LoanPaymentView> for LoanPaymentView {
    fn from(v: svc::LoanPaymentView) -> Self {
        let svc::LoanPaymentView {
            id,
            loan_id,
            number,
            date,
            amount,
            interest,
            principal,
            outstanding,
            bank_account_id,
            journal_entry_id,
            created_at,
        } = v;
        LoanPaymentView {
            id,
            loan_id,
            number,
            date,
            amount: amount.into(),
            interest: interest.into(),
            principal: principal.into(),
            outstanding: outstanding.into(),
            bank_account_id,
            journal_entry_id,
            created_at,
        }
    }
}

/// A payment on a loan. Without `amount` it pays the next scheduled
/// instalment.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-02-15"}))]
pub struct NewLoanPayment {
    /// Default today; not before the loan's last payment or drawdown.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// Default: the next scheduled instalment. Another amount pays the
    /// period's interest first and the rest off the principal; it must
    /// cover the interest and not pass what is owed.
    pub amount: Option<DecimalText>,
    /// Default: the loan's bank account.
    pub bank_account_id: Option<String>,
}

impl From<NewLoanPayment> for svc::NewLoanPayment {
    fn from(v: NewLoanPayment) -> Self {
        let NewLoanPayment {
            date,
            amount,
            bank_account_id,
        } = v;
        svc::NewLoanPayment {
            date,
            amount: amount.map(Into::into),
            bank_account_id,
        }
    }
}

/// One instalment of a loan's schedule.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InstalmentView {
    pub number: i64,
    #[schema(format = Date)]
    pub due_date: String,
    pub opening: Amount,
    pub payment: Amount,
    pub interest: Amount,
    pub principal: Amount,
    pub closing: Amount,
    /// paid or due.
    pub status: String,
    /// The payment that paid it.
    pub payment_id: Option<String>,
    #[schema(format = Date)]
    pub paid_on: Option<String>,
}

impl From<svc::InstalmentView> for InstalmentView {
    fn from(v: svc::InstalmentView) -> Self {
        let svc::InstalmentView {
            number,
            due_date,
            opening,
            payment,
            interest,
            principal,
            closing,
            status,
            payment_id,
            paid_on,
        } = v;
        InstalmentView {
            number,
            due_date,
            opening: opening.into(),
            payment: payment.into(),
            interest: interest.into(),
            principal: principal.into(),
            closing: closing.into(),
            status,
            payment_id,
            paid_on,
        }
    }
}

/// A loan's schedule: the instalments paid, then those still to pay at the
/// EMI in force (the last one takes the rounding).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScheduleView {
    pub loan_id: String,
    pub currency: String,
    pub emi: Amount,
    /// Interest paid and still to pay.
    pub total_interest: Amount,
    pub total_payments: Amount,
    pub instalments: Vec<InstalmentView>,
}

impl From<svc::ScheduleView> for ScheduleView {
    fn from(v: svc::ScheduleView) -> Self {
        let svc::ScheduleView {
            loan_id,
            currency,
            emi,
            total_interest,
            total_payments,
            instalments,
        } = v;
        ScheduleView {
            loan_id,
            currency,
            emi: emi.into(),
            total_interest: total_interest.into(),
            total_payments: total_payments.into(),
            instalments: super::each(instalments),
        }
    }
}

/// Options of a void: the reversal's date, today when absent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-01-20"}))]
pub struct VoidLoan {
    #[schema(format = Date)]
    pub date: Option<String>,
}

impl From<VoidLoan> for svc::VoidLoan {
    fn from(v: VoidLoan) -> Self {
        let VoidLoan { date } = v;
        svc::VoidLoan { date }
    }
}
