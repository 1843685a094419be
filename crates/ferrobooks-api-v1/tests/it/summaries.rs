use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{approved_invoice, customer};

/// (name, documents, net, tax, total) of each row, then the totals.
fn rows(r: &ferrobooks_testkit::Resp) -> Vec<(String, i64, String, String, String)> {
    let mut out: Vec<_> = r.json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, row)| {
            (
                row["name"].as_str().unwrap().to_owned(),
                row["documents"].as_i64().unwrap(),
                r.raw(&format!("/rows/{i}/net")),
                r.raw(&format!("/rows/{i}/tax")),
                r.raw(&format!("/rows/{i}/total")),
            )
        })
        .collect();
    out.push((
        "Total".into(),
        r.json["totals"]["documents"].as_i64().unwrap(),
        r.raw("/totals/net"),
        r.raw("/totals/tax"),
        r.raw("/totals/total"),
    ));
    out
}

backend_test! {
    async fn sales_and_purchases_summed_by_customer_product_vendor_and_category(app: TestApp) {
        let tax = app.post("/api/v1/taxes", json!({"name": "ST 10%", "kind": "sales_tax", "components": [{"name": "State", "rate": "10"}]})).await.expect(201).str("/id");
        let widget = app.post("/api/v1/products", json!({"name": "Widget", "price": "10.00"})).await.expect(201).str("/id");
        let a = customer(&app, json!({"name": "Acme"})).await;
        let b = customer(&app, json!({"name": "Brook"})).await;
        approved_invoice(&app, json!({"customer_id": a, "date": "2026-02-01", "lines": [
            {"product_id": widget, "quantity": "3", "tax_id": tax}, {"description": "Labour", "unit_price": "50.00"}]})).await;
        approved_invoice(&app, json!({"customer_id": b, "date": "2026-02-03", "lines": [{"product_id": widget, "quantity": "2"}]})).await;
        app.post("/api/v1/credit_notes", json!({"customer_id": a, "date": "2026-02-10", "approve": true,
            "lines": [{"product_id": widget, "quantity": "1", "tax_id": tax}]})).await.expect(201);
        let void = approved_invoice(&app, json!({"customer_id": b, "date": "2026-02-11", "lines": [{"unit_price": "999.00"}]})).await.str("/id");
        app.post(&format!("/api/v1/invoices/{void}/void"), json!({})).await.expect(200);
        approved_invoice(&app, json!({"customer_id": b, "date": "2026-03-01", "lines": [{"unit_price": "77.00"}]})).await; // after the range
        let range = "date_from=2026-02-01&date_to=2026-02-28";

        let by_customer = app.get(&format!("/api/v1/reports/sales_by_customer?{range}")).await.expect(200);
        assert_eq!(rows(&by_customer), [
            ("Acme".to_owned(), 2, "70.00".to_owned(), "2.00".to_owned(), "72.00".to_owned()),
            ("Brook".into(), 1, "20.00".into(), "0.00".into(), "20.00".into()),
            ("Total".into(), 3, "90.00".into(), "2.00".into(), "92.00".into()),
        ]);
        let by_product = app.get(&format!("/api/v1/reports/sales_by_product?{range}")).await.expect(200);
        assert_eq!(rows(&by_product)[0], ("Widget".to_owned(), 3, "40.00".to_owned(), "2.00".to_owned(), "42.00".to_owned()));
        assert_eq!(by_product.json["rows"][0]["quantity"], json!(4));
        assert_eq!(by_product.str("/rows/1/name"), "No product");
        assert!(by_customer.json["rows"][0]["quantity"].is_null());

        let supplies = app.post("/api/v1/accounts", json!({"code": "6100", "name": "Supplies", "type": "expense"})).await.expect(201).str("/id");
        let rent = app.post("/api/v1/accounts", json!({"code": "6200", "name": "Rent", "type": "expense"})).await.expect(201).str("/id");
        let v = app.post("/api/v1/vendors", json!({"name": "Paper Co"})).await.expect(201).str("/id");
        app.post("/api/v1/bills", json!({"vendor_id": v, "date": "2026-02-05", "approve": true, "lines": [
            {"unit_price": "30.00", "account_id": supplies}, {"unit_price": "500.00", "account_id": rent}]})).await.expect(201);
        app.post("/api/v1/vendor_credits", json!({"vendor_id": v, "date": "2026-02-06", "approve": true, "lines": [{"unit_price": "5.00", "account_id": supplies}]})).await.expect(201);
        let by_vendor = app.get(&format!("/api/v1/reports/expenses_by_vendor?{range}")).await.expect(200);
        assert_eq!(rows(&by_vendor)[0], ("Paper Co".to_owned(), 2, "525.00".to_owned(), "0.00".to_owned(), "525.00".to_owned()));
        let by_category = app.get(&format!("/api/v1/reports/expenses_by_category?{range}")).await.expect(200);
        assert_eq!(rows(&by_category), [
            ("6100 Supplies".to_owned(), 2, "25.00".to_owned(), "0.00".to_owned(), "25.00".to_owned()),
            ("6200 Rent".into(), 1, "500.00".into(), "0.00".into(), "500.00".into()),
            ("Total".into(), 2, "525.00".into(), "0.00".into(), "525.00".into()),
        ]);
        // The tax summary: output tax per tax and account.
        let ts = app.get(&format!("/api/v1/reports/tax_summary?{range}")).await.expect(200);
        assert_eq!(ts.str("/rows/0/tax"), "State");
        assert_eq!((ts.raw("/rows/0/output_tax"), ts.raw("/rows/0/input_tax")), ("2.00".into(), "0.00".into()));
        assert_eq!(ts.raw("/net_tax"), "2.00");
        // CSV, and bad ranges.
        let csv = app.get_accepting(&format!("/api/v1/reports/sales_by_customer?{range}"), "text/csv").await.expect(200).text;
        assert_eq!(csv.lines().next(), Some("id,name,documents,quantity,net,tax,total"));
        assert!(csv.ends_with(",Total,3,,90.00,2.00,92.00\n"), "{csv}");
        app.get("/api/v1/reports/sales_by_customer?date_from=2026-03-01&date_to=2026-02-01").await.expect(400);
        app.get("/api/v1/reports/tax_summary?date_to=2026-02-30").await.expect(400);
        app.get("/api/v1/reports/expenses_by_vendor?vendor=x").await.expect(400);
    }
}
