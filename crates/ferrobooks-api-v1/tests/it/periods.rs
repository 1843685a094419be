//! Closing the books: after a close, nothing dated on or before the lock
//! date posts or is voided, whatever would post it; a reopen needs a
//! reason and is kept in the history.

use serde_json::{Value, json};

use ferrobooks_testkit::factories::{approved_invoice, customer, events};
use ferrobooks_testkit::{TestApp, backend_test};

async fn id_of(app: &TestApp, path: &str, body: Value) -> String {
    app.post(path, body).await.expect(201).str("/id")
}

backend_test! {
    async fn a_closed_period_refuses_every_posting_and_void(app: TestApp) {
        let bank = app.account("1200").await;
        let cash = app.account("1230").await;
        let sales = app.account("4000").await;
        let cost = app.post("/api/v1/accounts", json!({"code": "6100", "name": "Supplies", "type": "expense"})).await.expect(201).str("/id");
        let c = customer(&app, json!({"name": "Acme"})).await;
        let v = id_of(&app, "/api/v1/vendors", json!({"name": "Paper Co"})).await;
        let line = json!([{"unit_price": "100.00"}]);
        let pline = json!([{"unit_price": "40.00", "account_id": cost}]);
        // March's books, before the close.
        let inv = approved_invoice(&app, json!({"customer_id": c, "date": "2026-03-10", "lines": line})).await.str("/id");
        let pay = id_of(&app, "/api/v1/payments", json!({"customer_id": c, "date": "2026-03-12", "amount": "100.00", "deposit_account_id": bank,
            "applications": [{"invoice_id": inv, "amount": "100.00"}]})).await;
        let unpaid = approved_invoice(&app, json!({"customer_id": c, "date": "2026-03-11", "lines": line})).await.str("/id");
        let waiting = id_of(&app, "/api/v1/payments", json!({"customer_id": c, "date": "2026-03-13", "amount": "5.00"})).await;
        let check = id_of(&app, "/api/v1/checks", json!({"date": "2026-03-10", "lines": pline})).await;
        let je = id_of(&app, "/api/v1/journal_entries", json!({"date": "2026-03-10", "post": true, "lines": [
            {"account_id": bank, "debit": "7.00"}, {"account_id": sales, "credit": "7.00"}]})).await;
        let draft_inv = id_of(&app, "/api/v1/invoices", json!({"customer_id": c, "date": "2026-03-15", "lines": line})).await;
        let draft_bill = id_of(&app, "/api/v1/bills", json!({"vendor_id": v, "date": "2026-03-15", "lines": pline})).await;
        let draft_cn = id_of(&app, "/api/v1/credit_notes", json!({"customer_id": c, "date": "2026-03-15", "lines": line})).await;
        let draft_vc = id_of(&app, "/api/v1/vendor_credits", json!({"vendor_id": v, "date": "2026-03-15", "lines": pline})).await;
        let expense = id_of(&app, "/api/v1/expenses", json!({"date": "2026-03-15", "account_id": cost, "amount": "12.00"})).await;
        let btx = id_of(&app, "/api/v1/bank_transactions", json!({"bank_account_id": bank, "date": "2026-03-20", "amount": "-3.00", "description": "FEE"})).await;

        // Bad closes.
        for (body, field) in [
            (json!({"lock_date": "2099-01-31"}), "lock_date"),
            (json!({"lock_date": "31/03/2026"}), "lock_date"),
        ] {
            let r = app.post("/api/v1/periods/close", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        let closed = app.post("/api/v1/periods/close", json!({"lock_date": "2026-03-31"})).await.expect(200);
        assert_eq!(closed.str("/lock_date"), "2026-03-31");
        let r = app.post("/api/v1/periods/close", json!({"lock_date": "2026-02-28"})).await.expect(400);
        assert!(r.json["details"]["lock_date"].as_str().unwrap().contains("reopen"), "{}", r.text);

        // Every way of posting into March, and every void of March, is refused; nothing is written.
        let entries = app.count("journal_entries").await;
        let d = "2026-03-20";
        let attempts: Vec<(String, Value)> = vec![
            ("/api/v1/journal_entries".into(), json!({"date": d, "post": true, "lines": [{"account_id": bank, "debit": "1.00"}, {"account_id": sales, "credit": "1.00"}]})),
            ("/api/v1/invoices".into(), json!({"customer_id": c, "date": d, "approve": true, "lines": line})),
            (format!("/api/v1/invoices/{draft_inv}/approve"), json!({})),
            (format!("/api/v1/bills/{draft_bill}/approve"), json!({})),
            (format!("/api/v1/credit_notes/{draft_cn}/approve"), json!({})),
            (format!("/api/v1/vendor_credits/{draft_vc}/approve"), json!({})),
            (format!("/api/v1/expenses/{expense}/approve"), json!({})),
            ("/api/v1/sales_receipts".into(), json!({"customer_id": c, "date": d, "lines": line})),
            ("/api/v1/refund_receipts".into(), json!({"customer_id": c, "date": d, "lines": line})),
            ("/api/v1/checks".into(), json!({"date": d, "lines": pline})),
            ("/api/v1/bank_payments".into(), json!({"date": d, "lines": pline})),
            ("/api/v1/credit_card_charges".into(), json!({"date": d, "lines": pline})),
            ("/api/v1/credit_card_credits".into(), json!({"date": d, "lines": pline})),
            ("/api/v1/payments".into(), json!({"customer_id": c, "date": d, "amount": "1.00", "deposit_account_id": bank})),
            ("/api/v1/bill_payments".into(), json!({"vendor_id": v, "date": d, "amount": "1.00"})),
            ("/api/v1/transfers".into(), json!({"date": d, "from_account_id": bank, "to_account_id": cash, "amount": "1.00"})),
            ("/api/v1/deposits".into(), json!({"date": d, "account_id": bank, "payment_ids": [waiting]})),
            (format!("/api/v1/bank_transactions/{btx}/categorize"), json!({"lines": [{"account_id": cost}]})),
            (format!("/api/v1/invoices/{unpaid}/void"), json!({"date": "2026-04-02"})),
            (format!("/api/v1/checks/{check}/void"), json!({})),
            (format!("/api/v1/journal_entries/{je}/void"), json!({})),
        ];
        for (path, body) in attempts {
            let r = app.post(&path, body.clone()).await;
            assert_eq!(r.status, 409, "{path} {body}: {}", r.text);
            assert_eq!(r.json["code"], "period_closed", "{path}: {}", r.text);
            assert!(r.text.contains("2026-03-31"), "{path} names the lock date: {}", r.text);
        }
        let r = app.delete(&format!("/api/v1/payments/{pay}")).await;
        assert_eq!((r.status, r.json["code"].as_str()), (409, Some("period_closed")), "{}", r.text);
        assert_eq!(app.count("journal_entries").await, entries, "nothing was written");
        assert_eq!(app.get(&format!("/api/v1/invoices/{draft_inv}")).await.expect(200).str("/status"), "draft");
        // A draft dated in the closed period can still be edited; April posts.
        app.put(&format!("/api/v1/invoices/{draft_inv}"), json!({"notes": "Held for April"})).await.expect(200);
        app.post("/api/v1/journal_entries", json!({"date": "2026-04-01", "post": true, "lines": [
            {"account_id": bank, "debit": "1.00"}, {"account_id": sales, "credit": "1.00"}]})).await.expect(201);

        // Reopening needs a reason and an earlier date.
        for (body, field) in [
            (json!({"lock_date": "2026-02-28", "reason": "  "}), "reason"),
            (json!({"lock_date": "2026-04-30", "reason": "late bill"}), "lock_date"),
        ] {
            let r = app.post("/api/v1/periods/reopen", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        let reopened = app.post("/api/v1/periods/reopen", json!({"lock_date": "2026-02-28", "reason": "A March invoice was approved late"})).await.expect(200);
        assert_eq!(reopened.str("/lock_date"), "2026-02-28");
        app.post(&format!("/api/v1/invoices/{draft_inv}/approve"), json!({})).await.expect(200);
        let p = app.get("/api/v1/periods").await.expect(200);
        let h = p.json["history"].as_array().unwrap();
        assert_eq!(h.len(), 2, "{}", p.text);
        assert_eq!((h[0]["action"].as_str(), h[0]["reason"].as_str(), h[0]["previous_lock_date"].as_str()),
            (Some("reopen"), Some("A March invoice was approved late"), Some("2026-03-31")));
        assert_eq!(h[0]["key_id"], h[1]["key_id"]);
        assert!(h[0]["key_id"].is_string(), "{}", p.text);
        // Opened whole; a second reopen has nothing to open.
        let open = app.post("/api/v1/periods/reopen", json!({"reason": "Audit adjustments"})).await.expect(200);
        assert!(open.json["lock_date"].is_null(), "{}", open.text);
        let r = app.post("/api/v1/periods/reopen", json!({"reason": "again"})).await.expect(409);
        assert_eq!(r.json["code"], "conflict", "{}", r.text);
        assert_eq!(events(&app, "period.").await, ["period.closed", "period.reopened", "period.reopened"]);
    }
}

backend_test! {
    async fn an_import_into_closed_books_only_marks_what_a_rule_would_post(app: TestApp) {
        let bank = app.account("1200").await;
        let fees = app.account("7900").await;
        let rule = id_of(&app, "/api/v1/bank_rules", json!({"name": "Fees", "description_contains": "fee", "action": "categorize", "account_id": fees})).await;
        app.post("/api/v1/periods/close", json!({"lock_date": "2026-03-31"})).await.expect(200);
        let csv = "Date,Amount,Details\n30/03/2026,-5.00,MONTHLY FEE MARCH\n02/04/2026,-5.00,MONTHLY FEE APRIL\n";
        let mapping = r#"{"date": "Date", "date_format": "%d/%m/%Y", "amount": "Amount", "description": "Details"}"#;
        let imported = app
            .post_multipart(&format!("/api/v1/bank_accounts/{bank}/statements"), vec![
                ("format", None, b"csv".to_vec()), ("mapping", None, mapping.as_bytes().to_vec()),
                ("file", Some("fees.csv"), csv.as_bytes().to_vec())])
            .await
            .expect(201);
        assert_eq!(imported.json["new"], 2, "{}", imported.text);
        let list = app.get(&format!("/api/v1/bank_transactions?bank_account_id={bank}&limit=10")).await.expect(200);
        let lines: Vec<(String, String)> = list.json["data"].as_array().unwrap().iter()
            .map(|l| (l["description"].as_str().unwrap().to_owned(), l["status"].as_str().unwrap().to_owned()))
            .collect();
        assert!(lines.contains(&("MONTHLY FEE MARCH".into(), "unreviewed".into())), "{lines:?}");
        assert!(lines.contains(&("MONTHLY FEE APRIL".into(), "categorized".into())), "{lines:?}");
        assert!(list.json["data"].as_array().unwrap().iter().all(|l| l["rule_id"] == rule.as_str()), "{}", list.text);
    }
}
