use serde_json::json;

use ferrobooks_testkit::backend_test;

backend_test! {
    async fn trial_balance_as_of_and_csv(app: TestApp) {
        crate::journal::entry(&app, "2026-01-15", "100.00", true).await.expect(201);
        crate::journal::entry(&app, "2026-02-15", "20.50", true).await.expect(201);
        let jan = app.get("/api/v1/reports/trial_balance?as_of=2026-01-31").await.expect(200);
        assert_eq!(jan.raw("/total_debit"), "100.00");
        assert_eq!(jan.raw("/total_credit"), "100.00");
        let feb = app.get("/api/v1/reports/trial_balance?as_of=2026-02-15").await.expect(200);
        assert_eq!(feb.raw("/total_debit"), "120.50");
        assert_eq!(feb.str("/rows/0/code"), "1200");
        assert_eq!(feb.raw("/rows/0/debit"), "120.50");
        assert_eq!(feb.raw("/rows/1/credit"), "120.50");
        let csv = app
            .client
            .get(format!("{}/api/v1/reports/trial_balance?as_of=2026-02-28", app.base))
            .bearer_auth(&app.key)
            .header("accept", "text/csv")
            .send()
            .await
            .unwrap();
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let body = csv.text().await.unwrap();
        assert_eq!(
            body,
            "code,name,type,debit,credit\n1200,Bank Current Account,asset,120.50,0.00\n4000,Sales,income,0.00,120.50\n,Total,,120.50,120.50\n"
        );
        app.get("/api/v1/reports/trial_balance?as_of=yesterday").await.expect(400);
    }
}

backend_test! {
    async fn general_ledger_runs_balances(app: TestApp) {
        let bank = app.account("1200").await;
        crate::journal::entry(&app, "2025-12-31", "10.00", true).await.expect(201);
        crate::journal::entry(&app, "2026-01-10", "5.25", true).await.expect(201);
        let r = crate::journal::entry(&app, "2026-01-20", "2.00", true).await.expect(201);
        app.post(&format!("/api/v1/journal_entries/{}/void", r.str("/id")), json!({"date": "2026-01-21"})).await.expect(200);
        let gl = app
            .get(&format!("/api/v1/general_ledger?account_id={bank}&date_from=2026-01-01&date_to=2026-01-31"))
            .await
            .expect(200);
        assert_eq!(gl.json["accounts"].as_array().unwrap().len(), 1);
        assert_eq!(gl.raw("/accounts/0/opening_balance"), "10.00");
        assert_eq!(gl.raw("/accounts/0/lines/0/running_balance"), "15.25");
        assert_eq!(gl.raw("/accounts/0/lines/1/running_balance"), "17.25");
        assert_eq!(gl.raw("/accounts/0/lines/2/running_balance"), "15.25");
        assert_eq!(gl.raw("/accounts/0/closing_balance"), "15.25");
        assert_eq!(gl.raw("/accounts/0/total_debit"), "7.25");
        assert_eq!(gl.raw("/accounts/0/total_credit"), "2.00");
        // Income reads positive on its credit side.
        let all = app.get("/api/v1/general_ledger?date_from=2026-01-01&date_to=2026-01-31").await.expect(200);
        assert_eq!(all.json["accounts"].as_array().unwrap().len(), 2);
        assert_eq!(all.raw("/accounts/1/closing_balance"), "15.25");
        app.get("/api/v1/general_ledger?date_from=2026-02-01&date_to=2026-01-01").await.expect(400);
        // An account nothing touched still answers, with zeros.
        let idle = app.account("7900").await;
        let g = app.get(&format!("/api/v1/general_ledger?account_id={idle}")).await.expect(200);
        assert_eq!(g.str("/accounts/0/account_id"), idle);
        assert_eq!(g.raw("/accounts/0/closing_balance"), "0.00");
        app.get("/api/v1/general_ledger?account_id=acc_missing").await.expect(404);
    }
}

backend_test! {
    async fn csv_neutralises_formulas(app: TestApp) {
        let a = app
            .post("/api/v1/accounts", json!({"code": "6200", "name": "=HYPERLINK(\"x\")", "type": "expense"}))
            .await
            .expect(201);
        let bank = app.account("1200").await;
        app.post("/api/v1/journal_entries", json!({"date": "2026-01-02", "post": true, "lines": [
            {"account_id": a.str("/id"), "debit": "1"}, {"account_id": bank, "credit": "1"}
        ]})).await.expect(201);
        let csv = app
            .get_accepting("/api/v1/reports/trial_balance?as_of=2026-01-31", "text/csv")
            .await
            .expect(200)
            .text;
        assert!(csv.contains("6200,\"'=HYPERLINK(\"\"x\"\")\",expense,1.00,0.00"), "{csv}");
    }
}
