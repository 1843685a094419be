//! XLSX uploads: a named sheet, date cells and number cells read as such.

use ferrobooks_testkit::backend_test;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::json;

use crate::kit::*;

/// A workbook whose first sheet is notes and whose second, "Invoices",
/// holds the reference's sample with real date and number cells.
fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet().set_name("Notes").unwrap();
    notes
        .write_string(0, 0, "Exported from the old system")
        .unwrap();
    let sheet = wb.add_worksheet().set_name("Invoices").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in ["Invoice #", "Customer", "Date", "Item", "Amount"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string(0, u16::try_from(c).unwrap(), *h)
            .unwrap();
    }
    /// Number, customer, (year, month, day), item, amount.
    type Row<'a> = (f64, &'a str, (u16, u8, u8), &'a str, f64);
    let rows: [Row; 4] = [
        (1001.0, "Acme Corp", (2026, 3, 1), "Consulting", 1500.0),
        (1001.0, "Acme Corp", (2026, 3, 1), "Travel", 350.0),
        (1002.0, "Beta Inc", (2026, 3, 5), "Consulting", 2000.0),
        (
            1003.0,
            "Gamma LLC",
            (2026, 3, 10),
            "Software License",
            899.99,
        ),
    ];
    for (r, (n, cust, (y, m, d), item, amount)) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap();
        sheet.write_number(r, 0, *n).unwrap();
        sheet.write_string(r, 1, *cust).unwrap();
        sheet
            .write_datetime_with_format(r, 2, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date)
            .unwrap();
        sheet.write_string(r, 3, *item).unwrap();
        sheet.write_number(r, 4, *amount).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

backend_test! {
    async fn a_named_sheet_with_date_and_number_cells(app: TestApp) {
        sample_books(&app).await;
        let mapping = sample_mapping(&app).await;
        let book = workbook();
        // The first sheet is not the data: its columns are missing.
        let r = upload(&app, &mapping, "books.xlsx", &book, &[]).await.expect(422);
        assert!(r.text.contains("no column 'Invoice #'"), "{}", r.text);
        let r = upload(&app, &mapping, "books.xlsx", &book, &[("sheetName", "Nope")]).await.expect(400);
        assert!(r.text.contains("no sheet 'Nope' (it has: Notes, Invoices)"), "{}", r.text);
        let r = upload(&app, &mapping, "books.xlsx", &book, &[("sheetName", "Invoices")]).await.expect(202);
        assert_eq!(r.json["sheetName"], "Invoices");
        let done = finished(&app, &r.str("/id")).await;
        assert_eq!(done["summary"], json!({"total": 3, "succeeded": 3, "failed": 0, "warnings": 0}), "{done}");
        let rows = results(&app, &r.str("/id"), None).await;
        // A number cell 1001 is the document number "1001".
        assert_eq!(rows[0]["text"], "Invoice #1001 created successfully");
        let inv = app.get(&format!("/api/v1/invoices/{}", rows[0]["objectProviderId"].as_str().unwrap())).await.expect(200);
        assert_eq!(inv.json["date"], "2026-03-01");
        assert_eq!(inv.raw("/total"), "1850.00");
        let gamma = app.get(&format!("/api/v1/invoices/{}", rows[2]["objectProviderId"].as_str().unwrap())).await.expect(200);
        assert_eq!(gamma.raw("/total"), "899.99");
        assert_eq!(gamma.json["date"], "2026-03-10");
        // CSV has no sheets.
        let r = upload(&app, &mapping, "x.csv", SAMPLE.as_bytes(), &[("sheetName", "Invoices")]).await.expect(400);
        assert!(r.text.contains("only an XLSX file has sheets"), "{}", r.text);
    }
}
