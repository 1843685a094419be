//! Bank accounts and statement lines entered by hand.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{lines, posting};

backend_test! {
    async fn bank_accounts_open_with_their_balance(app: TestApp) {
        // The chart's own bank and card accounts are bank accounts already.
        let all = app.get("/api/v1/bank_accounts?limit=100").await.expect(200);
        let codes: Vec<&str> = all.json["data"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"1200") && codes.contains(&"2150"), "{codes:?}");
        // A EUR account opened with 2,500.00 at 1.085.
        let eur = app
            .post(
                "/api/v1/bank_accounts",
                json!({"name": "Euro account", "currency": "EUR", "institution": "First Bank",
                       "account_number": "DE89 3704 0044 0532 0130 00", "opening_balance": "2500.00",
                       "opening_date": "2026-01-01", "opening_exchange_rate": "1.085"}),
            )
            .await
            .expect(201);
        assert_eq!(eur.str("/code"), "1201");
        assert_eq!(eur.str("/type"), "bank");
        assert_eq!(eur.str("/account_number"), "****3000");
        assert_eq!(
            (eur.raw("/balance"), eur.raw("/base_balance"), eur.raw("/opening_balance")),
            ("2500.00".into(), "2712.50".into(), "2500.00".into())
        );
        assert!(!eur.text.contains("DE89") && !eur.text.contains("3704"), "the full number is never kept: {}", eur.text);
        let id = eur.str("/id");
        let entries = app.get("/api/v1/journal_entries?limit=100").await.expect(200);
        let opening = entries.json["data"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(
            posting(&app, &opening).await,
            lines(&["Dr 1201 2712.50 (EUR 2500.00)", "Cr 3100 2712.50"])
        );
        // A card opened owing 300.00: Cr card / Dr Opening Balance Equity.
        let card = app
            .post(
                "/api/v1/bank_accounts",
                json!({"name": "Company Visa", "type": "credit_card", "opening_balance": "300.00", "opening_date": "2026-01-01"}),
            )
            .await
            .expect(201);
        assert_eq!((card.str("/code"), card.raw("/balance")), ("2151".into(), "300.00".into()));
        // A foreign account without an opening balance needs no rate.
        let gbp = app.post("/api/v1/bank_accounts", json!({"name": "Sterling", "currency": "GBP"})).await.expect(201);
        assert_eq!((gbp.str("/currency"), gbp.raw("/balance")), ("GBP".into(), "0.00".into()));
        // The ledger account is the bank account: the account API shows it.
        let acc = app.get(&format!("/api/v1/accounts/{id}")).await.expect(200);
        assert_eq!((acc.str("/subtype"), acc.str("/currency")), ("bank".into(), "EUR".into()));
        // Renamed and its details changed.
        let u = app
            .put(&format!("/api/v1/bank_accounts/{id}"), json!({"name": "Euro current", "institution": "Second Bank"}))
            .await
            .expect(200);
        assert_eq!((u.str("/name"), u.str("/institution")), ("Euro current".into(), "Second Bank".into()));
        assert_eq!(u.raw("/balance"), "2500.00");
        // Not a bank account: 404.
        app.get(&format!("/api/v1/bank_accounts/{}", app.account("4000").await)).await.expect(404);
    }
}

backend_test! {
    async fn bank_accounts_refuse_bad_input(app: TestApp) {
        let before = (app.count("accounts").await, app.count("journal_entries").await, app.count("bank_accounts").await);
        for (body, field) in [
            (json!({"name": "X", "type": "savings"}), "type"),
            (json!({"name": "X", "currency": "XYZ"}), "currency"),
            (json!({"name": "X", "opening_balance": "10.00"}), "opening_date"),
            (json!({"name": "X", "currency": "EUR", "opening_balance": "10.00", "opening_date": "2026-01-01"}), "opening_exchange_rate"),
            (json!({"name": "X", "opening_balance": "10.001", "opening_date": "2026-01-01"}), "opening_balance"),
            (json!({"name": "X", "account_number": "12"}), "account_number"),
            (json!({"name": "X", "opening_balance": "1", "opening_date": "2026-02-30"}), "opening_date"),
            (json!({"name": ""}), "name"),
        ] {
            let r = app.post("/api/v1/bank_accounts", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
        }
        // A code already taken is named.
        let r = app.post("/api/v1/bank_accounts", json!({"name": "X", "code": "1200"})).await.expect(400);
        assert_eq!(r.str("/code"), "duplicate_code");
        assert!(r.json["details"]["code"].as_str().unwrap().contains("1200"), "{}", r.text);
        assert_eq!(
            (app.count("accounts").await, app.count("journal_entries").await, app.count("bank_accounts").await),
            before
        );
    }
}

backend_test! {
    async fn statement_lines_by_hand_and_their_review_states(app: TestApp) {
        let bank = app.account("1200").await;
        let line = app
            .post(
                "/api/v1/bank_transactions",
                json!({"bank_account_id": bank, "date": "2026-03-04", "amount": "-42.50",
                       "description": "CARD 4411 STATIONERS", "payee": "Stationers Ltd"}),
            )
            .await
            .expect(201);
        assert_eq!((line.str("/status"), line.raw("/amount"), line.str("/source")), ("unreviewed".into(), "-42.50".into(), "manual".into()));
        let id = line.str("/id");
        // A line posts nothing.
        assert_eq!(app.count("journal_entries").await, 0);
        let a = app.get(&format!("/api/v1/bank_accounts/{bank}")).await.expect(200);
        assert_eq!(a.json["unreviewed_count"], 1);
        let u = app.put(&format!("/api/v1/bank_transactions/{id}"), json!({"amount": "-45.00"})).await.expect(200);
        assert_eq!(u.raw("/amount"), "-45.00");
        // Excluded: no longer to review, and not changeable until restored.
        let x = app.post(&format!("/api/v1/bank_transactions/{id}/exclude"), json!({})).await.expect(200);
        assert_eq!(x.str("/status"), "excluded");
        app.post(&format!("/api/v1/bank_transactions/{id}/exclude"), json!({})).await.expect(409);
        let r = app.put(&format!("/api/v1/bank_transactions/{id}"), json!({"amount": "1"})).await.expect(409);
        assert_eq!(r.str("/code"), "conflict");
        let a = app.get(&format!("/api/v1/bank_accounts/{bank}")).await.expect(200);
        assert_eq!(a.json["unreviewed_count"], 0);
        let list = app.get(&format!("/api/v1/bank_transactions?bank_account_id={bank}&status=excluded")).await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
        app.post(&format!("/api/v1/bank_transactions/{id}/restore"), json!({})).await.expect(200);
        app.post(&format!("/api/v1/bank_transactions/{id}/restore"), json!({})).await.expect(409);
        app.delete(&format!("/api/v1/bank_transactions/{id}")).await.expect(204);
        app.get(&format!("/api/v1/bank_transactions/{id}")).await.expect(404);
        assert_eq!(app.count("journal_entries").await, 0);
    }
}

backend_test! {
    async fn statement_lines_refuse_bad_input(app: TestApp) {
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        let before = (app.count("bank_transactions").await, app.count("outbox_events").await);
        for (body, field) in [
            (json!({"bank_account_id": sales, "date": "2026-03-04", "amount": "1.00"}), "bank_account_id"),
            (json!({"bank_account_id": "acc_nope", "date": "2026-03-04", "amount": "1.00"}), "bank_account_id"),
            (json!({"bank_account_id": bank, "date": "2026-03-04", "amount": "0"}), "amount"),
            (json!({"bank_account_id": bank, "date": "2026-03-04", "amount": "1.005"}), "amount"),
            (json!({"bank_account_id": bank, "date": "04/03/2026", "amount": "1.00"}), "date"),
        ] {
            let r = app.post("/api/v1/bank_transactions", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
        }
        let r = app.get("/api/v1/bank_transactions?status=pending").await.expect(400);
        assert!(r.json["details"]["status"].is_string(), "{}", r.text);
        assert_eq!((app.count("bank_transactions").await, app.count("outbox_events").await), before);
    }
}
