//! Budgets: copied from last year's actuals with a percentage, one active
//! per year, compared with this year's actuals by month, quarter and year;
//! bad input refused with nothing written.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::events;

async fn post_entry(
    app: &ferrobooks_testkit::TestApp,
    date: &str,
    debit: &str,
    credit: &str,
    amount: &str,
) {
    app.post(
        "/api/v1/journal_entries",
        json!({"date": date, "post": true, "lines": [
        {"account_id": app.account(debit).await, "debit": amount},
        {"account_id": app.account(credit).await, "credit": amount}]}),
    )
    .await
    .expect(201);
}

backend_test! {
    async fn copied_from_last_year_and_compared_with_this_year(app: TestApp) {
        post_entry(&app, "2025-01-15", "1200", "4000", "1000.00").await;
        post_entry(&app, "2025-02-10", "5000", "1200", "300.00").await;
        let b = app
            .post("/api/v1/budgets", json!({"name": "Plan 2026", "fiscal_year": 2026, "copy_actuals_from": 2025, "adjust_percent": "10"}))
            .await
            .expect(201);
        let id = b.str("/id");
        assert_eq!((b.str("/status"), b.str("/period_start"), b.str("/period_end")), ("draft".into(), "2026-01-01".into(), "2026-12-31".into()));
        let lines = b.json["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 2);
        let sales = app.account("4000").await;
        let i = lines.iter().position(|l| l["account_id"] == sales.as_str()).unwrap();
        assert_eq!((b.raw(&format!("/lines/{i}/amounts/0")), b.raw(&format!("/lines/{i}/total"))), ("1100.00".into(), "1100.00".into()));
        app.post(&format!("/api/v1/budgets/{id}/activate"), json!({})).await.expect(200);
        // A second budget for 2026 cannot be active too.
        let other = app
            .post("/api/v1/budgets", json!({"name": "Stretch", "fiscal_year": 2026, "lines": [
                {"account_id": sales, "amounts": ["2000", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]}]}))
            .await
            .expect(201)
            .str("/id");
        let e = app.post(&format!("/api/v1/budgets/{other}/activate"), json!({})).await.expect(409);
        assert!(e.text.contains("already active") && e.text.contains(&id), "{}", e.text);
        app.delete(&format!("/api/v1/budgets/{id}")).await.expect(409);
        // This year's actuals: January's sales 1,200.00, February's cost 300.00.
        post_entry(&app, "2026-01-20", "1200", "4000", "1200.00").await;
        post_entry(&app, "2026-02-11", "5000", "1200", "300.00").await;
        let r = app.get("/api/v1/reports/budget_vs_actual?fiscal_year=2026").await.expect(200);
        assert_eq!((r.str("/budget_id"), r.json["columns"].as_array().unwrap().len()), (id.clone(), 12));
        assert_eq!((r.str("/rows/0/code"), r.str("/rows/1/code")), ("4000".into(), "5000".into()));
        assert_eq!((r.raw("/rows/0/cells/0/budget"), r.raw("/rows/0/cells/0/actual"), r.raw("/rows/0/cells/0/variance"), r.raw("/rows/0/cells/0/variance_percent")),
            ("1100.00".into(), "1200.00".into(), "100.00".into(), "9.09".into()));
        assert_eq!((r.raw("/rows/1/cells/1/budget"), r.raw("/rows/1/cells/1/actual"), r.raw("/rows/1/cells/1/variance")),
            ("330.00".into(), "300.00".into(), "-30.00".into()));
        assert!(r.json["rows"][0]["cells"][5]["variance_percent"].is_null());
        let q = app.get("/api/v1/reports/budget_vs_actual?fiscal_year=2026&period=quarter").await.expect(200);
        assert_eq!(q.json["columns"].as_array().unwrap().len(), 4);
        assert_eq!((q.str("/columns/0/from"), q.str("/columns/0/to")), ("2026-01-01".into(), "2026-03-31".into()));
        assert_eq!(q.raw("/rows/1/cells/0/actual"), "300.00");
        let y = app.get(&format!("/api/v1/reports/budget_vs_actual?budget_id={other}&period=year")).await.expect(200);
        assert_eq!((y.raw("/rows/0/total/budget"), y.raw("/rows/0/total/actual")), ("2000.00".into(), "1200.00".into()));
        app.get("/api/v1/reports/budget_vs_actual?fiscal_year=2026&period=week").await.expect(400);
        app.get("/api/v1/reports/budget_vs_actual").await.expect(400);
        app.get("/api/v1/reports/budget_vs_actual?fiscal_year=2031").await.expect(400);
        // Renamed, archived, then deleted.
        app.send(reqwest::Method::PATCH, &format!("/api/v1/budgets/{id}"), Some(json!({"name": "Plan 2026 (v2)"})), None).await.expect(200);
        app.post(&format!("/api/v1/budgets/{id}/archive"), json!({})).await.expect(200);
        app.send(reqwest::Method::PATCH, &format!("/api/v1/budgets/{id}"), Some(json!({"name": "late"})), None).await.expect(409);
        app.post(&format!("/api/v1/budgets/{other}/activate"), json!({})).await.expect(200);
        app.delete(&format!("/api/v1/budgets/{id}")).await.expect(204);
        assert_eq!(
            events(&app, "budget.").await,
            vec!["budget.created", "budget.activated", "budget.created", "budget.updated", "budget.updated", "budget.activated", "budget.deleted"]
        );
    }
}

backend_test! {
    async fn bad_budgets_are_refused_with_nothing_written(app: TestApp) {
        let sales = app.account("4000").await;
        let twelve = json!(["1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"]);
        let before = app.count("budgets").await;
        for (body, field) in [
            (json!({"fiscal_year": 2026}), "name"),
            (json!({"name": "B"}), "fiscal_year"),
            (json!({"name": "B", "fiscal_year": 1800}), "fiscal_year"),
            (json!({"name": "B", "fiscal_year": 2026, "lines": [{"account_id": sales, "amounts": ["1"]}]}), "lines[0].amounts"),
            (json!({"name": "B", "fiscal_year": 2026, "lines": [{"account_id": app.account("1200").await, "amounts": twelve}]}), "lines[0].account_id"),
            (json!({"name": "B", "fiscal_year": 2026, "lines": [{"account_id": sales, "amounts": twelve}, {"account_id": sales, "amounts": twelve}]}), "lines[1].account_id"),
            (json!({"name": "B", "fiscal_year": 2026, "lines": [{"account_id": "acc_missing", "amounts": twelve}]}), "lines[0].account_id"),
            (json!({"name": "B", "fiscal_year": 2026, "lines": [], "copy_actuals_from": 2025}), "copy_actuals_from"),
            (json!({"name": "B", "fiscal_year": 2026, "adjust_percent": "5"}), "adjust_percent"),
            (json!({"name": "B", "fiscal_year": 2026, "copy_actuals_from": 2025, "adjust_percent": "-101"}), "adjust_percent"),
            (json!({"name": "B", "fiscal_year": 2026, "branch": "toolongcode"}), "branch"),
        ] {
            let r = app.post("/api/v1/budgets", body.clone()).await.expect(400);
            assert!(r.text.contains(field), "{body}: {}", r.text);
        }
        assert_eq!(app.count("budgets").await, before);
        app.get("/api/v1/budgets?status=old").await.expect(400);
        app.get("/api/v1/budgets/bud_missing").await.expect(404);
    }
}
