//! The native API's shapes of the receivables and payables aging,
//! translated field by field from the use case's own types.

use crate::routes::report_formats::{Cell, Table, names};
use crate::views::money::Amount;
use ferrobooks_service::aging as svc;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Aging {
    #[schema(format = Date)]
    pub as_of: String,
    pub currency: String,
    /// The receivable or payable control account it ties out to.
    pub account_id: String,
    /// One row per contact with anything open (or any balance) on the day.
    pub rows: Vec<AgingRow>,
    pub totals: AgingRow,
    /// The control account's balance on the day (the contact's part of it
    /// when one is asked for); always equal to `totals.total`.
    pub control_balance: Amount,
    /// Every open item on the day, with `detail=true`.
    pub documents: Option<Vec<AgingItem>>,
}

/// A contact's open amounts by days past due, in the base currency:
/// positive what a customer owes, or what is owed to a vendor.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgingRow {
    /// None on the totals row and on the row of lines naming no contact.
    pub contact_id: Option<String>,
    pub contact_name: String,
    /// Not yet due, or due on the day.
    pub current: Amount,
    pub days_1_30: Amount,
    pub days_31_60: Amount,
    pub days_61_90: Amount,
    pub over_90: Amount,
    /// Payments and credits not yet applied (negative).
    pub unapplied_credits: Amount,
    /// What the control account holds for the contact beyond its open
    /// items: journal entries naming it, revaluations.
    pub other: Amount,
    pub total: Amount,
}

/// One open invoice, bill, credit or payment on the day.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgingItem {
    pub contact_id: String,
    pub contact_name: String,
    /// invoice, credit_note, payment; bill, vendor_credit, bill_payment.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub number: Option<String>,
    #[schema(format = Date)]
    pub date: String,
    #[schema(format = Date)]
    pub due_date: Option<String>,
    /// Days past due on the report's day (negative before it is due); none
    /// for a credit.
    pub days_past_due: Option<i64>,
    /// The column it is in: current, days_1_30, days_31_60, days_61_90,
    /// over_90 or unapplied_credits.
    pub bucket: String,
    pub currency: String,
    /// The document's (or payment's) total in its own currency.
    pub document_total: Amount,
    /// Open on the day in its own currency (negative for a credit), at
    /// its own rate.
    pub document_balance: Amount,
    /// Open on the day in the base currency (negative for a credit).
    pub balance: Amount,
}

impl From<svc::Aging> for Aging {
    fn from(v: svc::Aging) -> Self {
        let svc::Aging {
            as_of,
            currency,
            account_id,
            rows,
            totals,
            control_balance,
            documents,
        } = v;
        Aging {
            as_of,
            currency,
            account_id,
            rows: rows.into_iter().map(Into::into).collect(),
            totals: totals.into(),
            control_balance: control_balance.into(),
            documents: documents.map(|d| d.into_iter().map(Into::into).collect()),
        }
    }
}

impl From<svc::AgingRow> for AgingRow {
    fn from(v: svc::AgingRow) -> Self {
        let svc::AgingRow {
            contact_id,
            contact_name,
            current,
            days_1_30,
            days_31_60,
            days_61_90,
            over_90,
            unapplied_credits,
            other,
            total,
        } = v;
        AgingRow {
            contact_id,
            contact_name,
            current: current.into(),
            days_1_30: days_1_30.into(),
            days_31_60: days_31_60.into(),
            days_61_90: days_61_90.into(),
            over_90: over_90.into(),
            unapplied_credits: unapplied_credits.into(),
            other: other.into(),
            total: total.into(),
        }
    }
}

impl From<svc::AgingItem> for AgingItem {
    fn from(v: svc::AgingItem) -> Self {
        let svc::AgingItem {
            contact_id,
            contact_name,
            kind,
            id,
            number,
            date,
            due_date,
            days_past_due,
            bucket,
            currency,
            document_total,
            document_balance,
            balance,
        } = v;
        AgingItem {
            contact_id,
            contact_name,
            kind,
            id,
            number,
            date,
            due_date,
            days_past_due,
            bucket,
            currency,
            document_total: document_total.into(),
            document_balance: document_balance.into(),
            balance: balance.into(),
        }
    }
}

impl Aging {
    /// The CSV and XLSX form: a line per contact and the totals or, with
    /// `detail`, a line per open item.
    pub(crate) fn table(&self, title: &'static str) -> Table {
        let amount = |a: &Amount| Cell::Amount(a.as_str().to_owned());
        if let Some(items) = &self.documents {
            return Table {
                title,
                columns: names(&[
                    "contact",
                    "type",
                    "number",
                    "date",
                    "due_date",
                    "days_past_due",
                    "bucket",
                    "currency",
                    "document_total",
                    "document_balance",
                    "balance",
                ]),
                rows: items
                    .iter()
                    .map(|i| {
                        vec![
                            Cell::text(&i.contact_name),
                            Cell::text(&i.kind),
                            Cell::text(i.number.clone().unwrap_or_default()),
                            Cell::text(&i.date),
                            Cell::text(i.due_date.clone().unwrap_or_default()),
                            Cell::text(i.days_past_due.map(|d| d.to_string()).unwrap_or_default()),
                            Cell::text(&i.bucket),
                            Cell::text(&i.currency),
                            amount(&i.document_total),
                            amount(&i.document_balance),
                            amount(&i.balance),
                        ]
                    })
                    .collect(),
            };
        }
        let row = |r: &AgingRow| {
            vec![
                Cell::text(&r.contact_name),
                amount(&r.current),
                amount(&r.days_1_30),
                amount(&r.days_31_60),
                amount(&r.days_61_90),
                amount(&r.over_90),
                amount(&r.unapplied_credits),
                amount(&r.other),
                amount(&r.total),
            ]
        };
        let mut rows: Vec<Vec<Cell>> = self.rows.iter().map(row).collect();
        rows.push(row(&self.totals));
        Table {
            title,
            columns: names(&[
                "contact",
                "current",
                "days_1_30",
                "days_31_60",
                "days_61_90",
                "over_90",
                "unapplied_credits",
                "other",
                "total",
            ]),
            rows,
        }
    }
}
