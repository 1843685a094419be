//! Bad debts: an invoice's open amount written off (Dr bad debts / Cr AR),
//! with UK bad-debt relief in box 4 from six months past due, undone, and
//! the bad input that writes nothing.

use serde_json::json;

use ferrobooks_testkit::factories::{approved_invoice, customer, tax_named};
use ferrobooks_testkit::{Resp, TestApp, backend_test};

/// The net debit of the account `code` on the trial balance of `day`.
async fn debit_of(app: &TestApp, code: &str, day: &str) -> String {
    let tb = app
        .get(&format!("/api/v1/reports/trial_balance?as_of={day}"))
        .await
        .expect(200);
    match tb.json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["code"] == code)
    {
        Some(i) if tb.json["rows"][i]["credit"] == 0.0 => tb.raw(&format!("/rows/{i}/debit")),
        Some(i) => format!("-{}", tb.raw(&format!("/rows/{i}/credit"))),
        None => "0.00".into(),
    }
}

fn box4(r: &Resp) -> String {
    r.raw("/submission/vatReclaimedCurrPeriod")
}

backend_test! {
    #[country("GB", "GBP")]
    async fn bad_debts_are_written_off_with_relief_after_six_months(app: TestApp) {
        let bank = app.account("1200").await;
        let vat = tax_named(&app, "VAT Standard 20%").await;
        let c = customer(&app, json!({"name": "Gone Ltd"})).await;
        let line = json!([{"unit_price": "1000.00", "tax_id": vat}]);
        let old = approved_invoice(&app, json!({"customer_id": c, "date": "2026-01-10", "due_date": "2026-02-09", "lines": line})).await.str("/id");
        app.post("/api/v1/payments", json!({"customer_id": c, "date": "2026-03-01", "amount": "600.00", "deposit_account_id": bank,
            "applications": [{"invoice_id": old, "amount": "600.00"}]})).await.expect(201);
        let recent = approved_invoice(&app, json!({"customer_id": c, "date": "2026-06-01", "due_date": "2026-07-01", "lines": line})).await.str("/id");

        // Bad input writes nothing.
        let path = |id: &str| format!("/api/v1/invoices/{id}/write_off");
        app.post(&path(&old), json!({"date": "2026-01-09"})).await.expect(400);
        app.post(&path(&old), json!({"date": "2026-02-30"})).await.expect(400);
        app.post(&path(&old), json!({"reason": "x".repeat(501)})).await.expect(400);
        app.post(&path(&old), json!({"amount": "1.00"})).await.expect(400);
        app.post(&path("inv_missing"), json!({})).await.expect(404);
        app.delete(&path(&old)).await.expect(404);
        let draft = app.post("/api/v1/invoices", json!({"customer_id": c, "lines": line})).await.expect(201).str("/id");
        app.post(&path(&draft), json!({})).await.expect(409);
        assert_eq!(debit_of(&app, "8100", "2026-12-31").await, "0.00");

        // Seven months past due: the VAT on the unpaid 600 (100) is relief.
        let w = app.post(&path(&old), json!({"date": "2026-09-15", "reason": "Customer in liquidation"})).await.expect(200);
        assert_eq!((w.str("/status"), w.raw("/balance")), ("paid".into(), "0.00".into()));
        let allocs = app.get(&format!("/api/v1/invoices/{old}/allocations")).await.expect(200);
        assert!(allocs.json.as_array().unwrap().iter().any(|a| a["source_type"] == "write_off"), "{}", allocs.text);
        assert_eq!(debit_of(&app, "8100", "2026-09-30").await, "500.00");
        assert_eq!(debit_of(&app, "2201", "2026-09-30").await, "100.00");
        app.post(&path(&old), json!({})).await.expect(409);
        // Under six months past due: no relief, the gross is the bad debt.
        app.post(&path(&recent), json!({"date": "2026-09-20"})).await.expect(200);
        assert_eq!(debit_of(&app, "8100", "2026-09-30").await, "1700.00");
        assert_eq!(debit_of(&app, "2201", "2026-09-30").await, "100.00");
        // Receivable and aging clear.
        assert_eq!(debit_of(&app, "1100", "2026-09-30").await, "0.00");
        let aging = app.get("/api/v1/reports/ar_aging?as_of=2026-09-30").await.expect(200);
        assert_eq!(aging.raw("/totals/total"), "0.00", "{}", aging.text);
        let before = app.get("/api/v1/reports/ar_aging?as_of=2026-09-16").await.expect(200);
        assert_eq!((before.raw("/totals/total"), before.raw("/control_balance")), ("1200.00".into(), "1200.00".into()));
        // Relief in box 4 of the quarter.
        let q3 = app.get("/api/v1/tax_returns/vat_return?date_from=2026-07-01&date_to=2026-09-30").await.expect(200);
        assert_eq!((box4(&q3), q3.raw("/bad_debt_relief")), ("100.00".into(), "100.00".into()));
        assert_eq!(q3.raw("/submission/netVatDue"), "100.00");
        // On the cash basis the written-off income is recognized and lost
        // at once (500 + 1,000); what is lost beyond it is the VAT of the
        // recent invoice, still owed to HMRC without relief.
        let pl = app.get("/api/v1/reports/profit_and_loss?date_from=2026-07-01&date_to=2026-09-30&basis=cash").await.expect(200);
        assert_eq!((pl.raw("/sections/0/total"), pl.raw("/net_profit")), ("1500.00".into(), "-200.00".into()), "{}", pl.text);

        // Undone (today): the invoice reopens and the relief is paid back.
        let u = app.delete(&path(&old)).await.expect(200);
        assert_eq!(u.raw("/balance"), "600.00");
        assert_ne!(u.str("/status"), "paid");
        app.delete(&path(&old)).await.expect(404);
        let today = ferrobooks_service::today().to_string();
        assert_eq!(debit_of(&app, "2201", &today).await, "0.00");
        assert_eq!(debit_of(&app, "8100", &today).await, "1200.00");
        assert_eq!(debit_of(&app, "1100", &today).await, "600.00");
        let later = app.get(&format!("/api/v1/tax_returns/vat_return?date_from={today}&date_to={today}")).await.expect(200);
        assert_eq!(later.raw("/bad_debt_relief"), "-100.00");
        // The quarter keeps its relief.
        let q3 = app.get("/api/v1/tax_returns/vat_return?date_from=2026-07-01&date_to=2026-09-30").await.expect(200);
        assert_eq!(box4(&q3), "100.00");
        // It can be written off again, or paid.
        app.post("/api/v1/payments", json!({"customer_id": c, "amount": "600.00", "deposit_account_id": bank,
            "applications": [{"invoice_id": old, "amount": "600.00"}]})).await.expect(201);
    }
}

backend_test! {
    async fn an_american_write_off_has_no_relief(app: TestApp) {
        let c = customer(&app, json!({"name": "Gone Inc"})).await;
        let inv = approved_invoice(&app, json!({"customer_id": c, "date": "2025-01-10", "due_date": "2025-02-09", "lines": [{"unit_price": "80.00"}]})).await.str("/id");
        app.post(&format!("/api/v1/invoices/{inv}/write_off"), json!({})).await.expect(200);
        assert_eq!(debit_of(&app, "8100", &ferrobooks_service::today().to_string()).await, "80.00");
        // A voided invoice has nothing to write off.
        let other = approved_invoice(&app, json!({"customer_id": c, "lines": [{"unit_price": "5.00"}]})).await.str("/id");
        app.post(&format!("/api/v1/invoices/{other}/void"), json!({})).await.expect(200);
        app.post(&format!("/api/v1/invoices/{other}/write_off"), json!({})).await.expect(409);
    }
}
