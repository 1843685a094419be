//! How a report leaves: JSON (its view), CSV or an XLSX workbook, the
//! last two written from one [`Table`] of text and amount cells.
//!
//! `?format=` chooses (`json`, `csv`, `xlsx`); without it `Accept:
//! text/csv` asks for CSV and anything else gets JSON.

use axum::Json;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use ferrobooks_edge::ApiError;
use ferrobooks_service::Code;
use serde::{Deserialize, Serialize};

use crate::routes::reports::csv_field;

/// The media type of an XLSX workbook.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `?format=` of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Format {
    Json,
    Csv,
    Xlsx,
}

/// A cell of a report's table.
pub(crate) enum Cell {
    Text(String),
    /// An amount as the API writes it (`1234.50`): a number cell in a
    /// workbook, shown with the same decimals.
    Amount(String),
}

impl Cell {
    pub(crate) fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
}

/// Column names as a [`Table`] holds them.
pub(crate) fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| (*s).to_owned()).collect()
}

/// A report flattened to rows, for CSV and XLSX.
pub(crate) struct Table {
    /// The worksheet's name.
    pub(crate) title: &'static str,
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<Vec<Cell>>,
}

impl Table {
    fn csv(&self) -> String {
        let mut out = self.columns.join(",");
        out.push('\n');
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => csv_field(t),
                    Cell::Amount(a) => a.clone(),
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }

    fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format as CellFormat, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(self.title)?;
        let bold = CellFormat::new().set_bold();
        for (c, name) in self.columns.iter().enumerate() {
            sheet.write_string_with_format(0, col(c), name.as_str(), &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(t) => {
                        sheet.write_string(r, col(c), t)?;
                    }
                    Cell::Amount(a) => {
                        // A workbook's numbers are binary doubles; an amount
                        // of the books (under 2^53 minor units) converts to
                        // the double nearest its decimal and back to the same
                        // text, which the cell shows at the amount's own
                        // decimals. Nothing is computed with it here.
                        let value: f64 = a.parse().unwrap_or(0.0);
                        let decimals = a.split_once('.').map_or(0, |(_, f)| f.len());
                        let pattern = if decimals == 0 {
                            "#,##0".to_owned()
                        } else {
                            format!("#,##0.{}", "0".repeat(decimals))
                        };
                        sheet.write_number_with_format(
                            r,
                            col(c),
                            value,
                            &CellFormat::new().set_num_format(pattern),
                        )?;
                    }
                }
            }
        }
        sheet.autofit();
        book.save_to_buffer()
    }
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// The report in the format asked: `json` as its view, else the table.
pub(crate) fn respond<T: Serialize>(
    headers: &HeaderMap,
    format: Option<Format>,
    view: T,
    table: impl FnOnce(&T) -> Table,
) -> Result<Response, ApiError> {
    let format = format.unwrap_or(if ferrobooks_edge::negotiate::prefers_csv(headers) {
        Format::Csv
    } else {
        Format::Json
    });
    Ok(match format {
        Format::Json => Json(view).into_response(),
        Format::Csv => (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            table(&view).csv(),
        )
            .into_response(),
        Format::Xlsx => {
            let t = table(&view);
            let bytes = t.xlsx().map_err(|e| {
                ApiError::new(
                    Code::Internal,
                    format!("the workbook cannot be written: {e}"),
                )
            })?;
            let name = format!(
                "attachment; filename=\"{}.xlsx\"",
                t.title.replace(' ', "_")
            );
            (
                [
                    (header::CONTENT_TYPE, XLSX.to_owned()),
                    (header::CONTENT_DISPOSITION, name),
                ],
                bytes,
            )
                .into_response()
        }
    })
}
