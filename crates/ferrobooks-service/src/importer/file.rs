//! Reading an uploaded spreadsheet into a header row and data rows of
//! cells: CSV (UTF-8 with or without BOM, commas, RFC 4180 quotes) on the
//! `csv` crate, XLSX (the first sheet or the one named) on `calamine`,
//! whose date cells stay dates and number cells numbers.

use chrono::NaiveDate;

use crate::{ServiceError, ServiceResult};

/// Rows in a file at most (the header aside).
pub const MAX_ROWS: usize = 100_000;
/// Bytes in a file at most.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell, as the shortest decimal text that reads back as it.
    Number(String),
    /// A date cell.
    Date(NaiveDate),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text (a date as ISO).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) | Cell::Number(t) => t.trim().to_owned(),
            Cell::Date(d) => d.to_string(),
        }
    }
}

/// A file's header and rows; a row's number is its line in the file
/// (the header is row 1, so the first data row is 2).
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// The column headed `title` (case and surrounding spaces aside).
    pub fn column(&self, title: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(title.trim()))
    }

    /// The file row number of data row `i`.
    pub fn row_number(i: usize) -> i64 {
        i64::try_from(i).unwrap_or(i64::MAX).saturating_add(2)
    }
}

/// The kind of file, from its first bytes (an XLSX is a ZIP archive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    pub fn of(bytes: &[u8]) -> FileKind {
        if bytes.starts_with(b"PK\x03\x04") {
            FileKind::Xlsx
        } else {
            FileKind::Csv
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Csv => "csv",
            FileKind::Xlsx => "xlsx",
        }
    }
}

fn bad(message: impl Into<String>) -> ServiceError {
    ServiceError::invalid("file", message)
}

/// Reads `bytes` as a CSV or XLSX file (by its content), with a header row.
pub fn read(bytes: &[u8], sheet: Option<&str>) -> ServiceResult<Sheet> {
    if bytes.len() > MAX_BYTES {
        return Err(ServiceError::new(
            crate::Code::PayloadTooLarge,
            format!(
                "the file is {} bytes; at most {MAX_BYTES} (50 MB)",
                bytes.len()
            ),
        ));
    }
    let s = match FileKind::of(bytes) {
        FileKind::Xlsx => read_xlsx(bytes, sheet)?,
        FileKind::Csv => {
            if sheet.is_some() {
                return Err(ServiceError::invalid(
                    "sheetName",
                    "only an XLSX file has sheets; this file is CSV",
                ));
            }
            read_csv(bytes)?
        }
    };
    if s.headers.iter().all(String::is_empty) {
        return Err(bad(
            "the file has no header row: its first row must name the columns",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for h in s.headers.iter().filter(|h| !h.is_empty()) {
        if !seen.insert(h.to_lowercase()) {
            return Err(bad(format!("the header row names the column '{h}' twice")));
        }
    }
    if s.rows.len() > MAX_ROWS {
        return Err(ServiceError::new(
            crate::Code::PayloadTooLarge,
            format!(
                "the file has {} rows; at most {MAX_ROWS} rows per file (split it)",
                s.rows.len()
            ),
        ));
    }
    Ok(s)
}

fn read_csv(bytes: &[u8]) -> ServiceResult<Sheet> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        bad(format!(
            "the file is not UTF-8 text (byte {} is not): save it as CSV UTF-8",
            e.valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(bad("the file is empty: it needs a header row and rows"));
    }
    let first = text.lines().next().unwrap_or_default();
    if !first.contains(',') {
        for (sep, name) in [(';', "semicolons"), ('\t', "tabs")] {
            if first.contains(sep) {
                return Err(bad(format!(
                    "the file's columns are separated by {name}; only commas are read: \
                     save it as comma-separated CSV"
                )));
            }
        }
    }
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = r.records();
    let headers: Vec<String> = match records.next() {
        Some(h) => h
            .map_err(|e| bad(format!("the header row cannot be read: {e}")))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect(),
        None => return Err(bad("the file is empty: it needs a header row and rows")),
    };
    let mut rows = Vec::new();
    for (i, rec) in records.enumerate() {
        let rec =
            rec.map_err(|e| bad(format!("row {} cannot be read: {e}", Sheet::row_number(i))))?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            // A blank line (often the last) is no row.
            continue;
        }
        if rec.len() > headers.len() {
            return Err(bad(format!(
                "row {} has {} cells but the header names {} columns",
                Sheet::row_number(i),
                rec.len(),
                headers.len()
            )));
        }
        if rows.len() == MAX_ROWS {
            return Err(ServiceError::new(
                crate::Code::PayloadTooLarge,
                format!(
                    "the file has more than {MAX_ROWS} rows; at most {MAX_ROWS} per file (split it)"
                ),
            ));
        }
        rows.push(
            rec.iter()
                .map(|c| {
                    if c.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_owned())
                    }
                })
                .collect(),
        );
    }
    Ok(Sheet { headers, rows })
}

fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> ServiceResult<Sheet> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("the file is not a readable XLSX workbook: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                ServiceError::invalid(
                    "sheetName",
                    format!(
                        "the workbook has no sheet '{s}' (it has: {})",
                        names.join(", ")
                    ),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| bad("the workbook has no sheet"))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| bad(format!("sheet '{name}' cannot be read: {e}")))?;
    let mut rows_iter = range.rows();
    let Some(header) = rows_iter.next() else {
        return Err(bad(format!(
            "sheet '{name}' is empty: it needs a header row"
        )));
    };
    let headers: Vec<String> = header
        .iter()
        .map(|c| c.to_string().trim().to_owned())
        .collect();
    let mut rows = Vec::new();
    for (i, r) in rows_iter.enumerate() {
        let cells: Vec<Cell> =
            r.iter()
                .map(|c| match c {
                    Data::Empty => Ok(Cell::Empty),
                    Data::String(s) if s.trim().is_empty() => Ok(Cell::Empty),
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                        Ok(Cell::Text(s.clone()))
                    }
                    Data::Int(n) => Ok(Cell::Number(n.to_string())),
                    // The shortest decimal that reads back as the stored
                    // double: what the cell shows at full precision.
                    Data::Float(f) => Ok(Cell::Number(format!("{f}"))),
                    Data::Bool(b) => Ok(Cell::Text(b.to_string())),
                    Data::DateTime(d) => d
                        .as_datetime()
                        .map(|dt| Cell::Date(dt.date()))
                        .ok_or_else(|| {
                            bad(format!(
                                "row {}: a date cell is out of range",
                                Sheet::row_number(i)
                            ))
                        }),
                    Data::Error(e) => Err(bad(format!(
                        "row {}: a cell holds the spreadsheet error {e}",
                        Sheet::row_number(i)
                    ))),
                })
                .collect::<ServiceResult<_>>()?;
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(ServiceError::new(
                crate::Code::PayloadTooLarge,
                format!(
                    "the sheet has more than {MAX_ROWS} rows; at most {MAX_ROWS} per file (split it)"
                ),
            ));
        }
        rows.push(cells);
    }
    Ok(Sheet { headers, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_quotes_and_a_blank_last_line() {
        let s = read(
            b"\xEF\xBB\xBFInvoice #,Customer,Amount\n1001,\"Acme, Inc.\",1500.00\n\n",
            None,
        )
        .unwrap();
        assert_eq!(s.headers, ["Invoice #", "Customer", "Amount"]);
        assert_eq!(s.rows.len(), 1);
        assert_eq!(s.rows[0][1], Cell::Text("Acme, Inc.".into()));
    }

    #[test]
    fn wrong_delimiters_and_broken_files_say_why() {
        let e = read(b"a;b;c\n1;2;3\n", None).unwrap_err();
        assert!(e.message.contains("semicolons"), "{}", e.message);
        let e = read(b"a\tb\n1\t2\n", None).unwrap_err();
        assert!(e.message.contains("tabs"), "{}", e.message);
        let e = read(b"", None).unwrap_err();
        assert!(e.message.contains("empty"), "{}", e.message);
        let e = read(b"a,b\n1,2,3\n", None).unwrap_err();
        assert!(e.message.contains("row 2 has 3 cells"), "{}", e.message);
        let e = read(b"a,b\n\xff,2\n", None).unwrap_err();
        assert!(e.message.contains("UTF-8"), "{}", e.message);
        let e = read(b"a,A\n1,2\n", None).unwrap_err();
        assert!(e.message.contains("twice"), "{}", e.message);
        let e = read(b"a,b\n1,2\n", Some("Sheet1")).unwrap_err();
        assert_eq!(e.fields[0].0, "sheetName");
    }
}
