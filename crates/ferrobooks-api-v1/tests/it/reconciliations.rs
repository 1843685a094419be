//! Reconciling a bank account to its statements.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{approved_invoice, customer};

use super::foreign_currency::bank_in;

backend_test! {
    async fn a_month_reconciled_locks_its_lines_until_undone(app: TestApp) {
        let bank = app.account("1200").await;
        let cash = app.account("1230").await;
        let equity = app.account("3000").await;
        let c = customer(&app, json!({"name": "Acme"})).await;
        let inv = approved_invoice(&app, json!({"customer_id": c, "date": "2026-03-01", "lines": [{"unit_price": "500.00"}]})).await;
        // Opening money, a payment banked, a transfer out, and a line after the statement.
        app.post("/api/v1/journal_entries", json!({"date": "2026-03-01", "post": true, "lines": [
            {"account_id": bank, "debit": "1000.00"}, {"account_id": equity, "credit": "1000.00"}]})).await.expect(201);
        let pay = app
            .post("/api/v1/payments", json!({"customer_id": c, "date": "2026-03-10", "amount": "500.00", "deposit_account_id": bank,
                                              "applications": [{"invoice_id": inv.str("/id"), "amount": "500.00"}]}))
            .await
            .expect(201);
        let t = app
            .post("/api/v1/transfers", json!({"date": "2026-03-20", "from_account_id": bank, "to_account_id": cash, "amount": "200.00"}))
            .await
            .expect(201);
        app.post("/api/v1/transfers", json!({"date": "2026-04-02", "from_account_id": bank, "to_account_id": cash, "amount": "50.00"}))
            .await
            .expect(201);
        // The statement closes at 1,300.00 on 31 March.
        let r = app
            .post(&format!("/api/v1/bank_accounts/{bank}/reconciliations"), json!({"statement_date": "2026-03-31", "closing_balance": "1300.00"}))
            .await
            .expect(201);
        let rid = r.str("/id");
        assert_eq!((r.raw("/opening_balance"), r.raw("/difference"), r.str("/status")), ("0.00".into(), "1300.00".into(), "in_progress".into()));
        // One at a time per account.
        app.post(&format!("/api/v1/bank_accounts/{bank}/reconciliations"), json!({"statement_date": "2026-04-30", "closing_balance": "1"}))
            .await
            .expect(409);
        let base = format!("/api/v1/bank_accounts/{bank}/reconciliations/{rid}");
        let lines = app.get(&format!("{base}/lines")).await.expect(200);
        let items = lines.json["data"].as_array().unwrap().clone();
        assert_eq!(items.len(), 3, "the April line is after the statement: {}", lines.text);
        let ids: Vec<String> = items.iter().map(|l| l["line_id"].as_str().unwrap().to_owned()).collect();
        // Two of three cleared: 1,500.00 against 1,300.00.
        let v = app.post(&format!("{base}/lines"), json!({"clear": [ids[0], ids[1]]})).await.expect(200);
        assert_eq!((v.raw("/cleared_balance"), v.raw("/difference"), v.json["cleared_count"].as_i64()), ("1500.00".into(), "-200.00".into(), Some(2)));
        let e = app.post(&format!("{base}/finish"), json!({})).await.expect(409);
        assert!(e.text.contains("-200.00"), "{}", e.text);
        // A line of another account, or a made-up one, is named.
        let other = app.get(&format!("/api/v1/journal_entries/{}", t.str("/journal_entry_id"))).await.expect(200);
        let cash_line = format!("{}:{}", other.str("/id"), other.json["lines"].as_array().unwrap().iter().position(|l| l["account_id"] == cash.as_str()).unwrap());
        for bad in [cash_line.as_str(), "je_nope:0", "garbage"] {
            let e = app.post(&format!("{base}/lines"), json!({"clear": [bad]})).await.expect(400);
            assert!(e.json["details"]["clear[0]"].is_string(), "{bad}: {}", e.text);
        }
        let v = app.post(&format!("{base}/lines"), json!({"clear": [ids[2]]})).await.expect(200);
        assert_eq!(v.raw("/difference"), "0.00");
        let done = app.post(&format!("{base}/finish"), json!({})).await.expect(200);
        assert_eq!(done.str("/status"), "finished");
        // Its lines are locked: the payment cannot be deleted, nor the transfer voided.
        let e = app.delete(&format!("/api/v1/payments/{}", pay.str("/id"))).await.expect(409);
        assert!(e.text.contains(&rid), "{}", e.text);
        app.post(&format!("/api/v1/transfers/{}/void", t.str("/id")), json!({})).await.expect(409);
        app.post(&format!("{base}/lines"), json!({"unclear": [ids[0]]})).await.expect(409);
        // The next statement starts from 1,300.00, after 31 March.
        app.post(&format!("/api/v1/bank_accounts/{bank}/reconciliations"), json!({"statement_date": "2026-03-15", "closing_balance": "1"}))
            .await
            .expect(400);
        let next = app
            .post(&format!("/api/v1/bank_accounts/{bank}/reconciliations"), json!({"statement_date": "2026-04-30", "closing_balance": "1250.00"}))
            .await
            .expect(201);
        assert_eq!(next.raw("/opening_balance"), "1300.00");
        let next_base = format!("/api/v1/bank_accounts/{bank}/reconciliations/{}", next.str("/id"));
        assert_eq!(app.get(&format!("{next_base}/lines")).await.expect(200).json["data"].as_array().unwrap().len(), 1);
        let v = app.post(&format!("{next_base}/lines"), json!({"clear_all": true})).await.expect(200);
        assert_eq!(v.raw("/difference"), "0.00");
        // Only the newest can be undone; undoing it then the March one frees the payment.
        app.delete(&base).await.expect(409);
        app.delete(&next_base).await.expect(204);
        app.delete(&base).await.expect(204);
        app.get(&base).await.expect(404);
        app.delete(&format!("/api/v1/payments/{}", pay.str("/id"))).await.expect(204);
    }
}

backend_test! {
    async fn a_foreign_account_reconciles_in_its_own_currency(app: TestApp) {
        let eur = bank_in(&app, "1250", "EUR").await;
        let equity = app.account("3000").await;
        app.post("/api/v1/journal_entries", json!({"date": "2026-03-01", "post": true, "lines": [
            {"account_id": eur, "debit": "1085.00", "currency_amount": "1000.00"}, {"account_id": equity, "credit": "1085.00"}]})).await.expect(201);
        let r = app
            .post(&format!("/api/v1/bank_accounts/{eur}/reconciliations"), json!({"statement_date": "2026-03-31", "closing_balance": "1000.00"}))
            .await
            .expect(201);
        let base = format!("/api/v1/bank_accounts/{eur}/reconciliations/{}", r.str("/id"));
        let lines = app.get(&format!("{base}/lines")).await.expect(200);
        assert_eq!(lines.raw("/data/0/amount"), "1000.00");
        let v = app.post(&format!("{base}/lines"), json!({"clear_all": true})).await.expect(200);
        assert_eq!(v.raw("/difference"), "0.00");
        app.post(&format!("{base}/finish"), json!({})).await.expect(200);
        // Not a bank account, or a bad balance.
        let sales = app.account("4000").await;
        app.post(&format!("/api/v1/bank_accounts/{sales}/reconciliations"), json!({"statement_date": "2026-03-31", "closing_balance": "1"}))
            .await
            .expect(404);
        let e = app
            .post(&format!("/api/v1/bank_accounts/{eur}/reconciliations"), json!({"statement_date": "2026-04-30", "closing_balance": "1.001"}))
            .await
            .expect(400);
        assert!(e.json["details"]["closing_balance"].is_string(), "{}", e.text);
    }
}
