//! Subscriptions: three monthly invoices across two months of downtime
//! (each once), two nodes issuing the same periods, pause / resume /
//! cancel, periods already due issued at once, and bad input refused with
//! nothing written.

use chrono::NaiveDate;
use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{customer, events};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

backend_test! {
    async fn three_monthly_invoices_across_downtime_once_each(app: TestApp) {
        let c = customer(&app, json!({"name": "Acme"})).await;
        let s = app
            .post("/api/v1/subscriptions", json!({"customer_id": c, "name": "Support", "interval": "monthly",
                "start_date": "2027-01-10", "count": 3, "auto_send": true,
                "lines": [{"description": "Monthly support", "unit_price": "250.00"}]}))
            .await
            .expect(201);
        let id = s.str("/id");
        assert_eq!((s.str("/status"), s.raw("/invoices_issued"), s.str("/next_invoice_date")), ("active".into(), "0".into(), "2027-01-10".into()));
        assert_eq!(app.services.run_subscriptions(None, d("2027-01-15")).await.unwrap(), 1);
        // Two months with no node running, then one run: both missed periods, once.
        assert_eq!(app.services.run_subscriptions(None, d("2027-03-20")).await.unwrap(), 2);
        assert_eq!(app.services.run_subscriptions(None, d("2027-06-01")).await.unwrap(), 0);
        let s = app.get(&format!("/api/v1/subscriptions/{id}")).await.expect(200);
        assert_eq!((s.str("/status"), s.raw("/invoices_issued")), ("expired".into(), "3".into()));
        assert!(s.json["next_invoice_date"].is_null());
        let ids: Vec<String> = s.json["invoice_ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        let mut dates = Vec::new();
        for i in &ids {
            let inv = app.get(&format!("/api/v1/invoices/{i}")).await.expect(200);
            assert_eq!((inv.str("/status"), inv.raw("/total"), inv.str("/reference")), ("sent".into(), "250.00".into(), "Support".into()));
            dates.push(inv.str("/date"));
        }
        assert_eq!(dates, vec!["2027-01-10", "2027-02-10", "2027-03-10"]);
        assert_eq!(app.count("subscription_invoices").await, 3);
        let ev = events(&app, "").await;
        assert_eq!(ev.iter().filter(|e| *e == "invoice.sent").count(), 3);
        assert_eq!(ev.iter().filter(|e| *e == "invoice.approved").count(), 3);
        assert_eq!(ev.iter().filter(|e| *e == "subscription.activated").count(), 1);
        assert_eq!(ev.iter().filter(|e| *e == "subscription.expired").count(), 1);
    }
}

backend_test! {
    async fn pause_resume_and_cancel(app: TestApp) {
        let c = customer(&app, json!({"name": "Beta"})).await;
        let id = app
            .post("/api/v1/subscriptions", json!({"customer_id": c, "interval": "monthly", "start_date": "2027-01-01",
                "auto_approve": false, "lines": [{"description": "Hosting", "unit_price": "40"}]}))
            .await
            .expect(201)
            .str("/id");
        assert_eq!(app.services.run_subscriptions(None, d("2027-01-05")).await.unwrap(), 1);
        let p = app.post(&format!("/api/v1/subscriptions/{id}/pause"), json!({})).await.expect(200);
        assert_eq!(p.str("/status"), "paused");
        app.post(&format!("/api/v1/subscriptions/{id}/pause"), json!({})).await.expect(409);
        assert_eq!(app.services.run_subscriptions(None, d("2027-03-15")).await.unwrap(), 0);
        // Resumed from 15 February: February's period fell in the pause.
        let r = app.post(&format!("/api/v1/subscriptions/{id}/resume"), json!({"date": "2027-02-15"})).await.expect(200);
        assert_eq!((r.str("/status"), r.str("/next_invoice_date")), ("active".into(), "2027-03-01".into()));
        assert_eq!(app.services.run_subscriptions(None, d("2027-03-15")).await.unwrap(), 1);
        let s = app.get(&format!("/api/v1/subscriptions/{id}")).await.expect(200);
        let first = s.str("/invoice_ids/0");
        // Not approved: drafts.
        assert_eq!(app.get(&format!("/api/v1/invoices/{first}")).await.expect(200).str("/status"), "draft");
        let x = app.post(&format!("/api/v1/subscriptions/{id}/cancel"), json!({})).await.expect(200);
        assert_eq!(x.str("/status"), "cancelled");
        assert_eq!(app.services.run_subscriptions(None, d("2027-12-31")).await.unwrap(), 0);
        app.post(&format!("/api/v1/subscriptions/{id}/cancel"), json!({})).await.expect(409);
        app.post(&format!("/api/v1/subscriptions/{id}/resume"), json!({})).await.expect(409);
        assert_eq!(events(&app, "subscription.").await, vec!["subscription.activated", "subscription.activated", "subscription.cancelled"]);
        assert_eq!(app.get("/api/v1/subscriptions?status=cancelled").await.expect(200).json["data"].as_array().unwrap().len(), 1);
        app.get("/api/v1/subscriptions?status=gone").await.expect(400);
    }
}

backend_test! {
    async fn periods_already_due_are_issued_at_once_and_bad_input_is_refused(app: TestApp) {
        let c = customer(&app, json!({"name": "Gamma"})).await;
        let s = app
            .post("/api/v1/subscriptions", json!({"customer_id": c, "interval": "weekly", "start_date": "2026-01-01", "count": 2,
                "lines": [{"description": "Lessons", "quantity": "2", "unit_price": "30"}]}))
            .await
            .expect(201);
        assert_eq!((s.str("/status"), s.raw("/invoices_issued")), ("expired".into(), "2".into()));
        assert_eq!(s.raw("/lines/0/quantity"), "2");
        let before = (app.count("subscriptions").await, app.count("documents").await, app.count("journal_entries").await);
        let base = json!({"customer_id": c, "interval": "monthly", "start_date": "2026-01-01", "lines": [{"description": "X", "unit_price": "1"}]});
        let with = |k: &str, v: serde_json::Value| {
            let mut b = base.clone();
            b[k] = v;
            b
        };
        for (body, field) in [
            (with("interval", json!("fortnightly")), "interval"),
            (with("lines", json!([])), "lines"),
            (with("customer_id", json!("cus_missing")), "customer_id"),
            (with("lines", json!([{"product_id": "prod_missing"}])), "product_id"),
            (with("lines", json!([{"description": "X", "unit_price": "1.001"}])), "unit_price"),
            (with("count", json!(0)), "count"),
            (with("end_date", json!("2025-12-31")), "end_date"),
            (with("auto_approve", json!(false)).as_object().map(|o| { let mut o = o.clone(); o.insert("auto_send".into(), json!(true)); serde_json::Value::Object(o) }).unwrap(), "auto_send"),
            (with("start_date", json!("2026-02-30")), "start_date"),
        ] {
            let r = app.post("/api/v1/subscriptions", body.clone()).await.expect(400);
            assert!(r.text.contains(field), "{body}: {}", r.text);
        }
        assert_eq!((app.count("subscriptions").await, app.count("documents").await, app.count("journal_entries").await), before);
        app.get("/api/v1/subscriptions/sub_missing").await.expect(404);
    }
}

/// Two nodes on one database issue the same periods at once: each once.
async fn two_nodes_issue_once(app: ferrobooks_testkit::TestApp, second_node: bool) {
    let c = customer(&app, json!({"name": "Delta"})).await;
    for _ in 0..20 {
        app.post(
            "/api/v1/subscriptions",
            json!({"customer_id": c, "interval": "monthly", "start_date": "2027-01-01", "count": 2,
            "lines": [{"description": "Plan", "unit_price": "10"}]}),
        )
        .await
        .expect(201);
    }
    let other = ferrobooks_testkit::job_node(&app, second_node).await;
    let (a, b) = tokio::join!(
        app.services.run_subscriptions(None, d("2027-02-15")),
        other.run_subscriptions(None, d("2027-02-15"))
    );
    assert_eq!(a.unwrap() + b.unwrap(), 40);
    assert_eq!(app.count("subscription_invoices").await, 40);
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM documents WHERE organization_id = $1 AND doc_type = 'invoice'",
    )
    .bind(&app.org_id)
    .fetch_one(app.services.store.pool())
    .await
    .unwrap();
    assert_eq!(n, 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_issue_once_sqlite() {
    two_nodes_issue_once(
        ferrobooks_testkit::spawn_app(ferrobooks_testkit::Backend::Sqlite)
            .await
            .unwrap(),
        false,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set"
)]
async fn two_nodes_issue_once_postgres() {
    two_nodes_issue_once(
        ferrobooks_testkit::spawn_app(ferrobooks_testkit::Backend::Postgres)
            .await
            .unwrap(),
        true,
    )
    .await;
}
