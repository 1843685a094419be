use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{approved_invoice, customer};

/// A row's columns: current .. over_90, unapplied credits, other, total.
fn columns(r: &ferrobooks_testkit::Resp, at: &str) -> Vec<String> {
    [
        "current",
        "days_1_30",
        "days_31_60",
        "days_61_90",
        "over_90",
        "unapplied_credits",
        "other",
        "total",
    ]
    .iter()
    .map(|c| r.raw(&format!("{at}/{c}")))
    .collect()
}

backend_test! {
    async fn receivables_age_as_they_stood_on_the_day(app: TestApp) {
        let bank = app.account("1200").await;
        let ar = app.account("1100").await;
        let sales = app.account("4000").await;
        let a = customer(&app, json!({"name": "Acme"})).await;
        let b = customer(&app, json!({"name": "Brook"})).await;
        let line = |p: &str| json!([{"unit_price": p}]);
        let inv1 = approved_invoice(&app, json!({"customer_id": a, "date": "2026-01-01", "due_date": "2026-01-31", "lines": line("1000.00")})).await.str("/id");
        let inv2 = approved_invoice(&app, json!({"customer_id": a, "date": "2026-03-01", "due_date": "2026-03-31", "lines": line("500.00")})).await.str("/id");
        let inv3 = approved_invoice(&app, json!({"customer_id": b, "date": "2025-11-01", "due_date": "2025-11-01", "lines": line("250.00")})).await.str("/id");
        // 600 paid, 400 of it on the first invoice, 200 left as credit.
        app.post("/api/v1/payments", json!({"customer_id": a, "date": "2026-02-15", "amount": "600.00", "deposit_account_id": bank,
            "applications": [{"invoice_id": inv1, "amount": "400.00"}]})).await.expect(201);
        let cn = app.post("/api/v1/credit_notes", json!({"customer_id": a, "date": "2026-03-10", "approve": true, "lines": line("100.00")})).await.expect(201).str("/id");
        // A journal entry naming the customer on the receivable.
        app.post("/api/v1/journal_entries", json!({"date": "2026-03-05", "post": true, "lines": [
            {"account_id": ar, "debit": "50.00", "contact_id": a}, {"account_id": sales, "credit": "50.00"}]})).await.expect(201);
        // After 31 March: the credit note applied, another payment, the
        // third invoice voided.
        app.post(&format!("/api/v1/credit_notes/{cn}/apply"), json!({"date": "2026-04-10", "applications": [{"invoice_id": inv2, "amount": "100.00"}]})).await.expect(200);
        app.post("/api/v1/payments", json!({"customer_id": a, "date": "2026-04-20", "amount": "300.00", "deposit_account_id": bank,
            "applications": [{"invoice_id": inv1, "amount": "300.00"}]})).await.expect(201);
        app.post(&format!("/api/v1/invoices/{inv3}/void"), json!({"date": "2026-04-02"})).await.expect(200);

        let march = app.get("/api/v1/reports/ar_aging?as_of=2026-03-31&detail=true").await.expect(200);
        assert_eq!(march.str("/rows/0/contact_name"), "Acme");
        assert_eq!(columns(&march, "/rows/0"), ["500.00", "0.00", "600.00", "0.00", "0.00", "-300.00", "50.00", "850.00"]);
        assert_eq!(march.str("/rows/1/contact_name"), "Brook");
        assert_eq!(columns(&march, "/rows/1"), ["0.00", "0.00", "0.00", "0.00", "250.00", "0.00", "0.00", "250.00"]);
        assert_eq!(march.raw("/totals/total"), "1100.00");
        assert_eq!(march.raw("/control_balance"), "1100.00");
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-03-31").await.expect(200);
        let ar_row = tb.json["rows"].as_array().unwrap().iter().position(|r| r["code"] == "1100").unwrap();
        assert_eq!(tb.raw(&format!("/rows/{ar_row}/debit")), "1100.00");
        // Every item, with its days and column.
        let items: Vec<(String, String, String)> = march.json["documents"].as_array().unwrap().iter().enumerate()
            .map(|(i, d)| (d["type"].as_str().unwrap().to_owned(), d["bucket"].as_str().unwrap().to_owned(), march.raw(&format!("/documents/{i}/balance"))))
            .collect();
        assert_eq!(items, [
            ("invoice".to_owned(), "days_31_60".to_owned(), "600.00".to_owned()),
            ("payment".into(), "unapplied_credits".into(), "-200.00".into()),
            ("invoice".into(), "current".into(), "500.00".into()),
            ("credit_note".into(), "unapplied_credits".into(), "-100.00".into()),
            ("invoice".into(), "over_90".into(), "250.00".into()),
        ]);
        assert_eq!(march.json["documents"][0]["days_past_due"], 59);

        let april = app.get("/api/v1/reports/ar_aging?as_of=2026-04-30").await.expect(200);
        assert_eq!(april.json["rows"].as_array().unwrap().len(), 1, "the void invoice is gone: {}", april.text);
        assert_eq!(columns(&april, "/rows/0"), ["0.00", "400.00", "0.00", "300.00", "0.00", "-200.00", "50.00", "550.00"]);
        assert!(april.json["documents"].is_null());
        // Today is the same as the end of April: nothing happened since.
        let today = app.get("/api/v1/reports/ar_aging").await.expect(200);
        assert_eq!(today.raw("/totals/total"), "550.00");
        assert_eq!(today.raw("/control_balance"), "550.00");
        // One customer; CSV with a line per customer and the totals.
        let only = app.get(&format!("/api/v1/reports/ar_aging?as_of=2026-03-31&customer_id={b}")).await.expect(200);
        assert_eq!(only.json["rows"].as_array().unwrap().len(), 1);
        assert_eq!((only.raw("/totals/total"), only.raw("/control_balance")), ("250.00".into(), "250.00".into()));
        let csv = app.get_accepting("/api/v1/reports/ar_aging?as_of=2026-03-31", "text/csv").await.expect(200).text;
        assert_eq!(csv, "contact,current,days_1_30,days_31_60,days_61_90,over_90,unapplied_credits,other,total\n\
            Acme,500.00,0.00,600.00,0.00,0.00,-300.00,50.00,850.00\n\
            Brook,0.00,0.00,0.00,0.00,250.00,0.00,0.00,250.00\n\
            Total,500.00,0.00,600.00,0.00,250.00,-300.00,50.00,1100.00\n");
        // Bad input.
        app.get("/api/v1/reports/ar_aging?as_of=2026-02-30").await.expect(400);
        app.get("/api/v1/reports/ar_aging?customer_id=cus_missing").await.expect(400);
        app.get("/api/v1/reports/ar_aging?detail=maybe").await.expect(400);
        app.get("/api/v1/reports/ar_aging?vendor_id=x").await.expect(400);
        app.get(&format!("/api/v1/reports/ap_aging?vendor_id={a}")).await.expect(400);
    }
}

backend_test! {
    async fn payables_age_and_roll_back_a_deleted_payment(app: TestApp) {
        let bank = app.account("1200").await;
        let supplies = app.post("/api/v1/accounts", json!({"code": "6100", "name": "Supplies", "type": "expense"})).await.expect(201).str("/id");
        let v = app.post("/api/v1/vendors", json!({"name": "Paper Co"})).await.expect(201).str("/id");
        let bill = app.post("/api/v1/bills", json!({"vendor_id": v, "date": "2026-01-10", "due_date": "2026-02-09", "approve": true,
            "lines": [{"unit_price": "300.00", "account_id": supplies}]})).await.expect(201).str("/id");
        let pay = app.post("/api/v1/bill_payments", json!({"vendor_id": v, "date": "2026-02-01", "amount": "120.00", "account_id": bank,
            "applications": [{"bill_id": bill, "amount": "100.00"}]})).await.expect(201);
        let feb = app.get("/api/v1/reports/ap_aging?as_of=2026-02-28").await.expect(200);
        assert_eq!(columns(&feb, "/rows/0"), ["0.00", "200.00", "0.00", "0.00", "0.00", "-20.00", "0.00", "180.00"]);
        assert_eq!(feb.raw("/control_balance"), "180.00");
        // The payment deleted (today): on 28 February it still stood in the
        // books, but as never applied: the bill whole, the payment unapplied.
        app.delete(&format!("/api/v1/bill_payments/{}", pay.str("/id"))).await.expect(204);
        let again = app.get("/api/v1/reports/ap_aging?as_of=2026-02-28&detail=true").await.expect(200);
        assert_eq!(columns(&again, "/rows/0"), ["0.00", "300.00", "0.00", "0.00", "0.00", "-120.00", "0.00", "180.00"]);
        assert_eq!(again.json["documents"][1]["type"], "bill_payment");
        let now = app.get("/api/v1/reports/ap_aging?detail=true").await.expect(200);
        assert_eq!(now.raw("/totals/total"), "300.00");
        assert_eq!(now.raw("/control_balance"), "300.00");
        assert_eq!(now.json["documents"][0]["type"], "bill");
    }
}

backend_test! {
    async fn a_later_refund_is_added_back(app: TestApp) {
        let bank = app.account("1200").await;
        let c = customer(&app, json!({"name": "Cove"})).await;
        let cn = app.post("/api/v1/credit_notes", json!({"customer_id": c, "date": "2026-01-05", "approve": true, "lines": [{"unit_price": "80.00"}]})).await.expect(201).str("/id");
        app.post(&format!("/api/v1/credit_notes/{cn}/refund"), json!({"date": "2026-02-10", "amount": "30.00", "account_id": bank})).await.expect(200);
        for (day, open) in [("2026-01-04", None), ("2026-01-31", Some("-80.00")), ("2026-02-28", Some("-50.00"))] {
            let r = app.get(&format!("/api/v1/reports/ar_aging?as_of={day}")).await.expect(200);
            match open {
                None => assert!(r.json["rows"].as_array().unwrap().is_empty(), "{day}: {}", r.text),
                Some(v) => {
                    assert_eq!(r.raw("/rows/0/unapplied_credits"), v, "{day}");
                    assert_eq!(r.raw("/rows/0/other"), "0.00", "{day}");
                    assert_eq!(r.raw("/control_balance"), v, "{day}");
                }
            }
        }
    }
}

backend_test! {
    async fn foreign_items_show_their_own_currency_too(app: TestApp) {
        let eur = crate::foreign_currency::bank_in(&app, "1250", "EUR").await;
        let c = customer(&app, json!({"name": "Euro GmbH", "currency": "EUR"})).await;
        let inv = approved_invoice(&app, json!({"customer_id": c, "date": "2026-01-10", "exchange_rate": "1.10",
            "lines": [{"unit_price": "100.00"}]})).await.str("/id");
        // 40 EUR paid at 1.20: the invoice is settled at its own rate (44.00),
        // the difference is realized FX.
        app.post("/api/v1/payments", json!({"customer_id": c, "date": "2026-02-01", "amount": "40.00", "exchange_rate": "1.2",
            "deposit_account_id": eur, "applications": [{"invoice_id": inv, "amount": "40.00"}]})).await.expect(201);
        let r = app.get("/api/v1/reports/ar_aging?as_of=2026-02-28&detail=true").await.expect(200);
        let d = &r.json["documents"][0];
        assert_eq!((d["currency"].as_str(), d["type"].as_str()), (Some("EUR"), Some("invoice")), "{}", r.text);
        assert_eq!(
            (r.raw("/documents/0/document_total"), r.raw("/documents/0/document_balance"), r.raw("/documents/0/balance")),
            ("100.00".into(), "60.00".into(), "66.00".into())
        );
        let csv = app.get_accepting("/api/v1/reports/ar_aging?as_of=2026-02-28&detail=true", "text/csv").await.expect(200).text;
        assert!(csv.starts_with("contact,type,number,date,due_date,days_past_due,bucket,currency,document_total,document_balance,balance\n"), "{csv}");
        assert!(csv.contains(",EUR,100.00,60.00,66.00\n"), "{csv}");
    }
}
