//! The native API's shapes of the sales and purchase summaries and the
//! tax summary, translated field by field from the use cases' own types.

use crate::routes::report_formats::{Cell, Table, names};
use crate::views::money::{Amount, Number};
use ferrobooks_service::summaries as svc;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Summary {
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    pub currency: String,
    pub rows: Vec<SummaryRow>,
    pub totals: SummaryRow,
}

/// One customer, product, vendor or expense category, in the base
/// currency; credit notes, refunds and vendor credits count against.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SummaryRow {
    /// The customer, product, vendor or account; none on lines without a
    /// product and on the totals.
    pub id: Option<String>,
    pub name: String,
    /// Documents with a line in the row.
    pub documents: i64,
    /// By product: the quantity sold less returned.
    pub quantity: Option<Number>,
    /// Net of tax.
    pub net: Amount,
    pub tax: Amount,
    pub total: Amount,
}

impl From<svc::SummaryRow> for SummaryRow {
    fn from(v: svc::SummaryRow) -> Self {
        let svc::SummaryRow {
            id,
            name,
            documents,
            quantity,
            net,
            tax,
            total,
        } = v;
        SummaryRow {
            id,
            name,
            documents,
            quantity: quantity.map(Into::into),
            net: net.into(),
            tax: tax.into(),
            total: total.into(),
        }
    }
}

impl From<svc::Summary> for Summary {
    fn from(v: svc::Summary) -> Self {
        let svc::Summary {
            date_from,
            date_to,
            currency,
            rows,
            totals,
        } = v;
        Summary {
            date_from,
            date_to,
            currency,
            rows: crate::views::each(rows),
            totals: totals.into(),
        }
    }
}

impl Summary {
    /// A line per row and the totals.
    pub(crate) fn table(&self, title: &'static str) -> Table {
        let row = |r: &SummaryRow| {
            vec![
                Cell::text(r.id.clone().unwrap_or_default()),
                Cell::text(&r.name),
                Cell::text(r.documents.to_string()),
                Cell::text(
                    r.quantity
                        .as_ref()
                        .map(|q| q.as_str().to_owned())
                        .unwrap_or_default(),
                ),
                Cell::Amount(r.net.as_str().to_owned()),
                Cell::Amount(r.tax.as_str().to_owned()),
                Cell::Amount(r.total.as_str().to_owned()),
            ]
        };
        let mut rows: Vec<Vec<Cell>> = self.rows.iter().map(row).collect();
        rows.push(row(&self.totals));
        Table {
            title,
            columns: names(&["id", "name", "documents", "quantity", "net", "tax", "total"]),
            rows,
        }
    }
}

/// Output and input tax of one tax on one account.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaxSummaryRow {
    /// The tax component: cgst, sgst, igst, cess, vat, or the sales tax
    /// agency.
    pub tax: String,
    pub account_id: String,
    pub account_name: String,
    /// Charged on sales, and owed under reverse charge.
    pub output_tax: Amount,
    /// Claimed on purchases.
    pub input_tax: Amount,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaxSummary {
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    pub currency: String,
    pub rows: Vec<TaxSummaryRow>,
    pub total_output_tax: Amount,
    pub total_input_tax: Amount,
    /// Output less input.
    pub net_tax: Amount,
}

impl From<svc::TaxSummary> for TaxSummary {
    fn from(v: svc::TaxSummary) -> Self {
        let svc::TaxSummary {
            date_from,
            date_to,
            currency,
            rows,
            total_output_tax,
            total_input_tax,
            net_tax,
        } = v;
        TaxSummary {
            date_from,
            date_to,
            currency,
            rows: rows
                .into_iter()
                .map(
                    |svc::TaxSummaryRow {
                         tax,
                         account_id,
                         account_name,
                         output_tax,
                         input_tax,
                     }| TaxSummaryRow {
                        tax,
                        account_id,
                        account_name,
                        output_tax: output_tax.into(),
                        input_tax: input_tax.into(),
                    },
                )
                .collect(),
            total_output_tax: total_output_tax.into(),
            total_input_tax: total_input_tax.into(),
            net_tax: net_tax.into(),
        }
    }
}

impl TaxSummary {
    pub(crate) fn table(&self) -> Table {
        let mut rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.tax),
                    Cell::text(&r.account_name),
                    Cell::Amount(r.output_tax.as_str().to_owned()),
                    Cell::Amount(r.input_tax.as_str().to_owned()),
                ]
            })
            .collect();
        rows.push(vec![
            Cell::text("Total"),
            Cell::text(""),
            Cell::Amount(self.total_output_tax.as_str().to_owned()),
            Cell::Amount(self.total_input_tax.as_str().to_owned()),
        ]);
        Table {
            title: "Tax summary",
            columns: names(&["tax", "account", "output_tax", "input_tax"]),
            rows,
        }
    }
}
