//! Comparison columns of a statement (`compare=month|quarter|year`,
//! `periods=N`), translated field by field, and their table for CSV and
//! XLSX: one amount column per period.

use ferrobooks_service::comparison as svc;
use serde::Serialize;

use crate::routes::report_formats::{Cell, Table};
use crate::views::money::Amount;

/// The period (or, for a balance sheet, the day) of one column.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Column {
    /// None for a balance sheet.
    #[schema(format = Date)]
    pub date_from: Option<String>,
    #[schema(format = Date)]
    pub date_to: String,
}

/// An account (or a computed line, with no account) across the columns.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompareLine {
    pub account_id: Option<String>,
    pub code: String,
    pub name: String,
    /// The account's parent, or for a subtotal the parent it totals.
    pub parent_id: Option<String>,
    /// How many parents above it (0 at the top).
    pub depth: u32,
    /// A parent's subtotal (the parent and the accounts under it).
    pub subtotal: bool,
    /// One per column, in the columns' order (0.00 where it did not move).
    pub amounts: Vec<Amount>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompareSection {
    pub key: String,
    pub title: String,
    pub lines: Vec<CompareLine>,
    /// The section's total per column.
    pub totals: Vec<Amount>,
}

/// A statement's own total (net profit, total assets) per column.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompareTotal {
    pub name: String,
    pub amounts: Vec<Amount>,
}

/// The statement side by side over `periods` periods, oldest column
/// first; the last column is the statement itself.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    pub columns: Vec<Column>,
    pub sections: Vec<CompareSection>,
    pub totals: Vec<CompareTotal>,
}

fn amounts(a: Vec<ferrobooks_service::amount::Amount>) -> Vec<Amount> {
    a.into_iter().map(Into::into).collect()
}

impl From<svc::Comparison> for Comparison {
    fn from(v: svc::Comparison) -> Self {
        let svc::Comparison {
            columns,
            sections,
            totals,
        } = v;
        Comparison {
            columns: columns
                .into_iter()
                .map(|svc::Column { date_from, date_to }| Column { date_from, date_to })
                .collect(),
            sections: sections
                .into_iter()
                .map(
                    |svc::CompareSection {
                         key,
                         title,
                         lines,
                         totals,
                     }| CompareSection {
                        key,
                        title,
                        lines: lines
                            .into_iter()
                            .map(
                                |svc::CompareLine {
                                     account_id,
                                     code,
                                     name,
                                     parent_id,
                                     depth,
                                     subtotal,
                                     amounts: a,
                                 }| CompareLine {
                                    account_id,
                                    code,
                                    name,
                                    parent_id,
                                    depth,
                                    subtotal,
                                    amounts: amounts(a),
                                },
                            )
                            .collect(),
                        totals: amounts(totals),
                    },
                )
                .collect(),
            totals: totals
                .into_iter()
                .map(|svc::CompareTotal { name, amounts: a }| CompareTotal {
                    name,
                    amounts: amounts(a),
                })
                .collect(),
        }
    }
}

/// `section,code,name` and one column per period (named by its last day),
/// each section's totals, then the statement's own totals.
pub(crate) fn comparison_table(title: &'static str, c: &Comparison) -> Table {
    fn cells(a: &[Amount]) -> impl Iterator<Item = Cell> + '_ {
        a.iter().map(|a| Cell::Amount(a.as_str().to_owned()))
    }
    let mut rows = Vec::new();
    for s in &c.sections {
        for l in &s.lines {
            let mut row = vec![Cell::text(&s.key), Cell::text(&l.code), Cell::text(&l.name)];
            row.extend(cells(&l.amounts));
            rows.push(row);
        }
        let mut row = vec![
            Cell::text(&s.key),
            Cell::text(""),
            Cell::text(format!("Total {}", s.title)),
        ];
        row.extend(cells(&s.totals));
        rows.push(row);
    }
    for t in &c.totals {
        let mut row = vec![Cell::text(""), Cell::text(""), Cell::text(&t.name)];
        row.extend(cells(&t.amounts));
        rows.push(row);
    }
    let mut columns: Vec<String> = ["section", "code", "name"].map(String::from).to_vec();
    columns.extend(c.columns.iter().map(|c| c.date_to.clone()));
    Table {
        title,
        columns,
        rows,
    }
}
