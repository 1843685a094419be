//! Bank rules: checked on the way in, applied on import in priority order.

use serde_json::json;

use ferrobooks_testkit::backend_test;

use super::foreign_currency::bank_in;

async fn import(
    app: &ferrobooks_testkit::TestApp,
    account: &str,
    csv: &str,
) -> ferrobooks_testkit::Resp {
    let mapping = r#"{"date": "Date", "date_format": "%Y-%m-%d", "amount": "Amount", "description": "Details", "payee": "Payee"}"#;
    app.post_multipart(
        &format!("/api/v1/bank_accounts/{account}/statements"),
        vec![
            ("format", None, b"csv".to_vec()),
            ("mapping", None, mapping.as_bytes().to_vec()),
            ("file", Some("s.csv"), csv.as_bytes().to_vec()),
        ],
    )
    .await
}

backend_test! {
    async fn rules_apply_in_priority_order_on_import(app: TestApp) {
        let bank = app.account("1200").await;
        let fees = app.account("7900").await;
        let sales = app.account("4000").await;
        let eur = bank_in(&app, "1250", "EUR").await;
        let rule = |body: serde_json::Value| {
            let app = &app;
            async move { app.post("/api/v1/bank_rules", body).await.expect(201).str("/id") }
        };
        // Lower priority first: the narrow rule wins over the broad one.
        let broad = rule(json!({"name": "Anything out", "direction": "out", "action": "mark", "priority": 200})).await;
        let narrow = rule(json!({"name": "Card fees", "description_contains": "FEE", "direction": "out", "action": "categorize", "account_id": fees, "priority": 10})).await;
        let acme = rule(json!({"name": "Acme receipts", "payee_contains": "acme", "direction": "in", "amount_min": "100", "action": "categorize", "account_id": sales})).await;
        rule(json!({"name": "Off", "description_contains": "fee", "action": "mark", "priority": 1, "active": false})).await;
        rule(json!({"name": "Euro only", "description_contains": "fee", "action": "mark", "priority": 5, "bank_account_id": eur})).await;
        let r = import(&app, &bank, "Date,Amount,Details,Payee\n2026-03-01,-4.50,Card fee,\n2026-03-02,-80.00,Stationery,Paper Co\n\
                                       2026-03-03,250.00,Invoice 7,ACME Ltd\n2026-03-04,50.00,Invoice 8,ACME Ltd\n").await.expect(201);
        assert_eq!(r.json["new"], 4, "{}", r.text);
        let list = app.get(&format!("/api/v1/bank_transactions?bank_account_id={bank}")).await.expect(200);
        let got: Vec<(String, String, Option<String>)> = list.json["data"].as_array().unwrap().iter()
            .map(|l| (l["description"].as_str().unwrap().to_owned(), l["status"].as_str().unwrap().to_owned(), l["rule_id"].as_str().map(str::to_owned)))
            .collect();
        assert_eq!(got, vec![
            ("Card fee".into(), "categorized".into(), Some(narrow)),
            ("Stationery".into(), "unreviewed".into(), Some(broad)),
            ("Invoice 7".into(), "categorized".into(), Some(acme)),
            ("Invoice 8".into(), "unreviewed".into(), None),
        ]);
        // Lines of a foreign account are marked, not categorized.
        let fx = rule(json!({"name": "Euro fees", "description_contains": "charge", "action": "categorize", "account_id": fees, "bank_account_id": eur})).await;
        import(&app, &eur, "Date,Amount,Details,Payee\n2026-03-01,-2.00,Charge,\n").await.expect(201);
        let l = app.get(&format!("/api/v1/bank_transactions?bank_account_id={eur}")).await.expect(200);
        assert_eq!((l.json["data"][0]["status"].as_str(), l.json["data"][0]["rule_id"].as_str()), (Some("unreviewed"), Some(fx.as_str())));
    }
}

backend_test! {
    async fn rules_refuse_what_cannot_apply(app: TestApp) {
        let fees = app.account("7900").await;
        let eur_costs = app.post("/api/v1/accounts", json!({"code": "6950", "name": "Euro costs", "type": "expense", "currency": "EUR"})).await.expect(201).str("/id");
        let sales = app.account("4000").await;
        for (body, field) in [
            (json!({"name": "x", "action": "mark"}), "description_contains"),
            (json!({"name": "x", "direction": "sideways", "action": "mark"}), "direction"),
            (json!({"name": "x", "direction": "in", "action": "categorize"}), "account_id"),
            (json!({"name": "x", "direction": "in", "action": "mark", "account_id": fees}), "account_id"),
            (json!({"name": "x", "direction": "in", "action": "delete"}), "action"),
            (json!({"name": "x", "amount_min": "10", "amount_max": "5", "action": "mark"}), "amount_max"),
            (json!({"name": "x", "amount_min": "-1", "action": "mark"}), "amount_min"),
            (json!({"name": "x", "direction": "in", "action": "categorize", "account_id": eur_costs}), "account_id"),
            (json!({"name": "x", "direction": "in", "action": "mark", "bank_account_id": sales}), "bank_account_id"),
            (json!({"name": " ", "direction": "in", "action": "mark"}), "name"),
            (json!({"name": "x", "direction": "in", "action": "mark", "priority": -1}), "priority"),
            (json!({"name": "x", "direction": "in", "action": "mark", "priority": 2.5}), "priority"),
        ] {
            let r = app.post("/api/v1/bank_rules", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
        }
        assert_eq!(app.count("bank_rules").await, 0);
        let id = app.post("/api/v1/bank_rules", json!({"name": "Fees", "description_contains": "fee", "action": "mark", "priority": 5.0})).await.expect(201).str("/id");
        let u = app.put(&format!("/api/v1/bank_rules/{id}"), json!({"name": "Fees", "description_contains": "fee", "action": "categorize", "account_id": fees})).await.expect(200);
        assert_eq!(u.str("/action"), "categorize");
        app.delete(&format!("/api/v1/bank_rules/{id}")).await.expect(204);
        app.get(&format!("/api/v1/bank_rules/{id}")).await.expect(404);
    }
}
