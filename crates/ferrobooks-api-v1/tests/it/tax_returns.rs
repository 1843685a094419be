use serde_json::{Value, json};

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{approved_invoice, customer, tax_named};

/// HMRC's schema of a VAT return submission (tests/data/hmrc, with its
/// licence notice).
fn hmrc_schema() -> jsonschema::Validator {
    let text = include_str!("../data/hmrc/VatReturnDeclaration.json");
    jsonschema::draft4::new(&serde_json::from_str::<Value>(text).unwrap()).unwrap()
}

backend_test! {
    #[country("GB", "GBP")]
    async fn a_uk_quarter_box_by_box_filed_and_reopened(app: TestApp) {
        let std = tax_named(&app, "VAT Standard 20%").await;
        let zero = tax_named(&app, "VAT Zero 0%").await;
        let exempt = tax_named(&app, "VAT Exempt").await;
        let stock = app.account("5000").await;
        let c = customer(&app, json!({"name": "Acme Ltd"})).await;
        let v = app.post("/api/v1/vendors", json!({"name": "Build Co"})).await.expect(201).str("/id");
        let sale = |date: &str, price: &str, tax: Option<&str>| json!({"customer_id": c, "date": date, "lines": [{"unit_price": price, "tax_id": tax}]});
        let inv1 = approved_invoice(&app, sale("2026-01-10", "1000.00", Some(&std))).await.str("/id");
        approved_invoice(&app, sale("2026-02-05", "500.50", Some(&zero))).await;
        approved_invoice(&app, sale("2026-02-20", "300.00", Some(&exempt))).await;
        approved_invoice(&app, sale("2026-03-10", "999.99", None)).await; // outside the scope
        approved_invoice(&app, sale("2026-04-02", "10000.00", Some(&std))).await; // the next quarter
        let void = approved_invoice(&app, sale("2026-03-15", "50.00", Some(&std))).await.str("/id");
        app.post(&format!("/api/v1/invoices/{void}/void"), json!({"date": "2026-03-16"})).await.expect(200);
        app.post("/api/v1/credit_notes", json!({"customer_id": c, "date": "2026-03-01", "approve": true, "lines": [{"unit_price": "100.00", "tax_id": std}]})).await.expect(201);
        let bill = |date: &str, price: &str, rc: bool| json!({"vendor_id": v, "date": date, "approve": true,
            "lines": [{"unit_price": price, "account_id": stock, "tax_id": std, "reverse_charge": rc}]});
        app.post("/api/v1/bills", bill("2026-01-15", "400.99", false)).await.expect(201);
        app.post("/api/v1/bills", bill("2026-02-10", "250.00", true)).await.expect(201);

        let q = "/api/v1/tax_returns/vat_return?date_from=2026-01-01&date_to=2026-03-31&period_key=26A1&detail=true";
        let r = app.get(q).await.expect(200);
        let boxes: Vec<String> = ["vatDueSales", "vatDueAcquisitions", "totalVatDue", "vatReclaimedCurrPeriod", "netVatDue",
            "totalValueSalesExVAT", "totalValuePurchasesExVAT", "totalValueGoodsSuppliedExVAT", "totalAcquisitionsExVAT"]
            .iter()
            .map(|b| r.raw(&format!("/submission/{b}")))
            .collect();
        // Box 1: 200.00 - 20.00 + 50.00 reverse charge; box 4: 80.20 + 50.00;
        // box 6: 1,000 + 500.50 + 300 - 100 (whole pounds); box 7: 400.99 + 250.
        assert_eq!(boxes, ["230.00", "0.00", "230.00", "130.20", "99.80", "1700.00", "650.00", "0.00", "0.00"]);
        assert_eq!(r.json["submission"]["periodKey"], "26A1");
        assert_eq!(r.json["submission"]["finalised"], false);
        // Boxes 1 and 4 tie out to the VAT accounts.
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-03-31").await.expect(200);
        let row = |code: &str| tb.json["rows"].as_array().unwrap().iter().position(|r| r["code"] == code).unwrap();
        assert_eq!(tb.raw(&format!("/rows/{}/credit", row("2200"))), "230.00");
        assert_eq!(tb.raw(&format!("/rows/{}/debit", row("2201"))), "130.20");
        // The documents behind the boxes: the invoice feeds 1 and 6.
        let docs = r.json["documents"].as_array().unwrap();
        assert_eq!(docs.len(), 6, "{}", r.text);
        let first = docs.iter().find(|d| d["id"] == inv1.as_str()).unwrap();
        assert_eq!(first["feeds"], json!(["box1", "box6"]));
        assert!(docs.iter().all(|d| d["id"] != void.as_str()));
        // HMRC's own schema accepts the submission.
        let schema = hmrc_schema();
        let errors: Vec<String> = schema.iter_errors(&r.json["submission"]).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");

        // Filing closes the quarter.
        let filed = app.post("/api/v1/tax_returns/vat_return", json!({"date_from": "2026-01-01", "date_to": "2026-03-31", "period_key": "26A1"})).await.expect(201);
        let id = filed.str("/id");
        assert_eq!(filed.json["body"]["submission"]["finalised"], true);
        assert!(schema.is_valid(&filed.json["body"]["submission"]));
        let draft = app.post("/api/v1/invoices", sale("2026-02-01", "10.00", Some(&std))).await.expect(201).str("/id");
        let refused = app.post(&format!("/api/v1/invoices/{draft}/approve"), json!({})).await.expect(409);
        assert_eq!(refused.str("/code"), "period_closed");
        assert!(refused.str("/error").contains("VAT return filed for 2026-01-01 to 2026-03-31"), "{}", refused.text);
        app.post(&format!("/api/v1/invoices/{inv1}/void"), json!({})).await.expect(409);
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        let je = |date: &str| json!({"date": date, "post": true, "lines": [{"account_id": bank, "debit": "1"}, {"account_id": sales, "credit": "1"}]});
        app.post("/api/v1/journal_entries", je("2026-03-31")).await.expect(409);
        app.post("/api/v1/journal_entries", je("2026-04-01")).await.expect(201);
        // Filed once per period; reopened with a reason.
        app.post("/api/v1/tax_returns/vat_return", json!({"date_from": "2026-03-01", "date_to": "2026-05-31"})).await.expect(409);
        app.post(&format!("/api/v1/tax_returns/{id}/reopen"), json!({"reason": "  "})).await.expect(400);
        let reopened = app.post(&format!("/api/v1/tax_returns/{id}/reopen"), json!({"reason": "late supplier invoice"})).await.expect(200);
        assert_eq!((reopened.str("/status"), reopened.str("/reopen_reason")), ("reopened".into(), "late supplier invoice".into()));
        app.post(&format!("/api/v1/tax_returns/{id}/reopen"), json!({"reason": "again"})).await.expect(409);
        app.post(&format!("/api/v1/invoices/{draft}/approve"), json!({})).await.expect(200);
        let list = app.get("/api/v1/tax_returns").await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
        assert_eq!(app.get(&format!("/api/v1/tax_returns/{id}")).await.expect(200).str("/status"), "reopened");
        app.get("/api/v1/tax_returns/txr_missing").await.expect(404);
        // Bad input.
        for bad in [
            "/api/v1/tax_returns/vat_return?date_from=2026-04-01&date_to=2026-03-31",
            "/api/v1/tax_returns/vat_return?date_from=2026-01-01",
            "/api/v1/tax_returns/vat_return?date_from=2026-01-01&date_to=2026-02-30",
            "/api/v1/tax_returns/vat_return?date_from=2026-01-01&date_to=2026-03-31&period_key=26A",
            "/api/v1/tax_returns/vat_return?date_from=2026-01-01&date_to=2026-03-31&period_key=26a1",
        ] {
            app.get(bad).await.expect(400);
        }
        app.get("/api/v1/tax_returns/sales_tax_liability?date_from=2026-01-01&date_to=2026-03-31").await.expect(409);
        app.post("/api/v1/tax_returns/vat_return", json!({"date_from": "2026-01-01"})).await.expect(400);
    }
}

backend_test! {
    async fn us_sales_tax_per_agency_and_rate(app: TestApp) {
        let austin = app.post("/api/v1/taxes", json!({"name": "Austin 8.25%", "kind": "sales_tax", "components": [{"name": "Texas", "rate": "6.25"}, {"name": "Austin", "rate": "2"}]})).await.expect(201).str("/id");
        let dallas = app.post("/api/v1/taxes", json!({"name": "Dallas 8.25%", "kind": "sales_tax", "components": [{"name": "Texas", "rate": "6.25"}, {"name": "Dallas", "rate": "2"}]})).await.expect(201).str("/id");
        let c = customer(&app, json!({"name": "Acme"})).await;
        let sale = |date: &str, price: &str, tax: Option<&str>| json!({"customer_id": c, "date": date, "lines": [{"unit_price": price, "tax_id": tax}]});
        approved_invoice(&app, sale("2026-01-10", "1000.00", Some(&austin))).await;
        approved_invoice(&app, sale("2026-01-20", "200.00", Some(&dallas))).await;
        approved_invoice(&app, sale("2026-01-25", "75.00", None)).await;
        app.post("/api/v1/credit_notes", json!({"customer_id": c, "date": "2026-01-30", "approve": true, "lines": [{"unit_price": "100.00", "tax_id": austin}]})).await.expect(201);
        approved_invoice(&app, sale("2026-02-01", "999.00", Some(&austin))).await;
        let r = app.get("/api/v1/tax_returns/sales_tax_liability?from=2026-01-01&to=2026-01-31&detail=true").await.expect(200);
        let agencies: Vec<(String, String, String, String)> = r.json["agencies"].as_array().unwrap().iter().enumerate()
            .map(|(i, a)| (a["agency"].as_str().unwrap().to_owned(), a["rate"].as_str().unwrap().to_owned(),
                           r.raw(&format!("/agencies/{i}/taxable_sales")), r.raw(&format!("/agencies/{i}/tax_collected"))))
            .collect();
        assert_eq!(agencies, [
            ("Austin".to_owned(), "2".to_owned(), "900.00".to_owned(), "18.00".to_owned()),
            ("Dallas".into(), "2".into(), "200.00".into(), "4.00".into()),
            ("Texas".into(), "6.25".into(), "1100.00".into(), "68.75".into()),
        ]);
        assert_eq!((r.raw("/exempt_sales"), r.raw("/total_sales"), r.raw("/total_tax")), ("75.00".into(), "1175.00".into(), "90.75".into()));
        assert_eq!(r.json["documents"].as_array().unwrap().len(), 4);
        // The tax collected ties out to the sales tax payable account.
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-01-31").await.expect(200);
        let credits: i64 = tb.json["rows"].as_array().unwrap().iter().enumerate()
            .filter(|(_, row)| row["name"].as_str().unwrap().contains("Tax"))
            .map(|(i, _)| crate::flows::cents(&tb.raw(&format!("/rows/{i}/credit"))))
            .sum();
        assert_eq!(credits, 9075, "{}", tb.text);
        let filed = app.post("/api/v1/tax_returns/sales_tax_liability", json!({"date_from": "2026-01-01", "date_to": "2026-01-31"})).await.expect(201);
        assert_eq!(filed.str("/kind"), "sales_tax_liability");
        app.post("/api/v1/tax_returns/sales_tax_liability", json!({"date_from": "2026-02-01", "date_to": "2026-02-28", "period_key": "26A1"})).await.expect(400);
        app.get("/api/v1/tax_returns/vat_return?date_from=2026-01-01&date_to=2026-03-31").await.expect(409);
    }
}
