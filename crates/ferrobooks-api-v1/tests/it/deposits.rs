//! Deposits of undeposited funds.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{customer, lines, posting};

backend_test! {
    async fn payments_are_deposited_once(app: TestApp) {
        let bank = app.account("1200").await;
        let uf = app.account("1240").await;
        let sales = app.account("4000").await;
        let c = customer(&app, json!({"name": "Acme"})).await;
        let mut pays = Vec::new();
        for amount in ["100.00", "250.00", "40.00"] {
            // No account named: payments wait in undeposited funds.
            let p = app.post("/api/v1/payments", json!({"customer_id": c, "date": "2026-03-02", "amount": amount})).await.expect(201);
            assert_eq!(p.str("/deposit_account_id"), uf);
            pays.push(p.str("/id"));
        }
        let direct = app.post("/api/v1/payments", json!({"customer_id": c, "amount": "5.00", "deposit_account_id": bank})).await.expect(201).str("/id");
        let d = app
            .post("/api/v1/deposits", json!({"date": "2026-03-03", "account_id": bank, "payment_ids": [pays[0], pays[1]]}))
            .await
            .expect(201);
        assert_eq!((d.raw("/amount"), d.json["payment_ids"].as_array().unwrap().len()), ("350.00".into(), 2));
        assert_eq!(posting(&app, &d.str("/journal_entry_id")).await, lines(&["Dr 1200 350.00", "Cr 1240 350.00"]));
        // Bad input, nothing written.
        let before = (app.count("deposits").await, app.count("journal_entries").await);
        for (body, field) in [
            (json!({"account_id": bank, "payment_ids": []}), "payment_ids"),
            (json!({"account_id": bank, "payment_ids": [direct]}), "payment_ids[0]"),
            (json!({"account_id": bank, "payment_ids": ["pay_nope"]}), "payment_ids[0]"),
            (json!({"account_id": bank, "payment_ids": [pays[2], pays[2]]}), "payment_ids[1]"),
            (json!({"account_id": sales, "payment_ids": [pays[2]]}), "account_id"),
            (json!({"account_id": uf, "payment_ids": [pays[2]]}), "account_id"),
        ] {
            let r = app.post("/api/v1/deposits", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
        }
        // Depositing a payment twice is refused, naming the deposit.
        let r = app.post("/api/v1/deposits", json!({"account_id": bank, "payment_ids": [pays[2], pays[1]]})).await.expect(409);
        assert!(r.json["details"]["payment_ids[1]"].as_str().unwrap().contains(&d.str("/id")), "{}", r.text);
        // A deposited payment cannot be deleted until the deposit is voided.
        app.delete(&format!("/api/v1/payments/{}", pays[0])).await.expect(409);
        assert_eq!((app.count("deposits").await, app.count("journal_entries").await), before);
        let v = app.post(&format!("/api/v1/deposits/{}/void", d.str("/id")), json!({})).await.expect(200);
        assert_eq!(v.str("/status"), "void");
        app.post(&format!("/api/v1/deposits/{}/void", d.str("/id")), json!({})).await.expect(409);
        app.delete(&format!("/api/v1/payments/{}", pays[0])).await.expect(204);
        let again = app.post("/api/v1/deposits", json!({"account_id": bank, "payment_ids": [pays[1], pays[2]]})).await.expect(201);
        assert_eq!(again.raw("/amount"), "290.00");
        let a = app.get(&format!("/api/v1/accounts/{uf}")).await.expect(200);
        assert_eq!(a.raw("/balance"), "0.00");
    }
}
