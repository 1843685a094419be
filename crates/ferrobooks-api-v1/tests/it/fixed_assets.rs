//! Fixed assets: a straight-line and a written-down-value asset over 24
//! months then one sold at a gain, assets from a bill line, the Indian
//! income-tax block, two nodes running the same depreciation, and bad
//! input refused with nothing written.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{events, lines, posting};

backend_test! {
    async fn straight_line_and_wdv_over_24_months_then_sold_at_a_gain(app: TestApp) {
        let bank = app.account("1200").await;
        let sl = app
            .post("/api/v1/fixed_assets", json!({"name": "Delivery van", "acquisition_date": "2024-12-10",
                "cost": "24000.00", "useful_life_months": 24, "paid_from_account_id": bank}))
            .await
            .expect(201);
        assert_eq!(posting(&app, &sl.str("/journal_entry_id")).await, lines(&["Dr 0020 24000.00", "Cr 1200 24000.00"]));
        let wdv = app
            .post("/api/v1/fixed_assets", json!({"name": "Press", "acquisition_date": "2024-12-01",
                "cost": "10000.00", "residual_value": "500.00", "useful_life_months": 24, "method": "written_down_value"}))
            .await
            .expect(201);
        // r = 1 - 0.05^(1/2) = 77.64%; nothing posted for an asset already in the books.
        assert_eq!(wdv.raw("/rate_percent"), "77.64");
        assert!(wdv.json["journal_entry_id"].is_null());
        let s = app.get(&format!("/api/v1/fixed_assets/{}/schedule", wdv.str("/id"))).await.expect(200);
        assert_eq!(s.json["months"].as_array().unwrap().len(), 24);
        assert_eq!((s.raw("/months/0/depreciation"), s.str("/months/0/status")), ("647.00".into(), "projected".into()));
        assert_eq!(s.raw("/months/23/net_book_value"), "500.00");
        // One run through November 2026: 24 months of each.
        let r = app.post("/api/v1/fixed_assets/depreciation_runs", json!({"through": "2026-11-30"})).await.expect(200);
        assert_eq!((r.raw("/assets"), r.raw("/entries")), ("2".into(), "48".into()));
        let sl = app.get(&format!("/api/v1/fixed_assets/{}", sl.str("/id"))).await.expect(200);
        assert_eq!((sl.str("/status"), sl.raw("/net_book_value"), sl.str("/depreciated_through")),
            ("fully_depreciated".into(), "0.00".into(), "2026-11-30".into()));
        let wdv = app.get(&format!("/api/v1/fixed_assets/{}", wdv.str("/id"))).await.expect(200);
        assert_eq!((wdv.str("/status"), wdv.raw("/net_book_value"), wdv.raw("/accumulated_depreciation")),
            ("fully_depreciated".into(), "500.00".into(), "9500.00".into()));
        let s = app.get(&format!("/api/v1/fixed_assets/{}/schedule", sl.str("/id"))).await.expect(200);
        let months = s.json["months"].as_array().unwrap();
        assert_eq!(months.len(), 24);
        assert!(months.iter().all(|m| m["status"] == "posted"));
        assert_eq!(s.str("/months/0/date"), "2024-12-31");
        assert_eq!(posting(&app, &s.str("/months/0/journal_entry_id")).await, lines(&["Dr 8000 1000.00", "Cr 0021 1000.00"]));
        // Again: nothing twice.
        let before = (app.count("journal_entries").await, app.count("asset_depreciations").await);
        let r = app.post("/api/v1/fixed_assets/depreciation_runs", json!({"through": "2026-11-30"})).await.expect(200);
        assert_eq!((r.raw("/assets"), r.raw("/entries")), ("0".into(), "0".into()));
        assert_eq!((app.count("journal_entries").await, app.count("asset_depreciations").await), before);
        // Below the residual: refused.
        let e = app.post(&format!("/api/v1/fixed_assets/{}/depreciate", sl.str("/id")), json!({})).await.expect(409);
        assert!(e.text.contains("fully_depreciated"), "{}", e.text);
        // The press sold for 2,000.00: 1,500.00 over its 500.00 book value.
        let d = app
            .post(&format!("/api/v1/fixed_assets/{}/dispose", wdv.str("/id")), json!({"date": "2026-12-01", "proceeds": "2000.00"}))
            .await
            .expect(200);
        assert_eq!((d.str("/status"), d.raw("/disposal_gain")), ("disposed".into(), "1500.00".into()));
        assert_eq!(
            posting(&app, &d.str("/disposal_entry_id")).await,
            lines(&["Dr 1200 2000.00", "Dr 0021 9500.00", "Cr 0020 10000.00", "Cr 4900 1500.00"])
        );
        let before = app.count("journal_entries").await;
        let e = app.post(&format!("/api/v1/fixed_assets/{}/dispose", wdv.str("/id")), json!({"date": "2026-12-02"})).await.expect(409);
        assert!(e.text.contains("disposed"), "{}", e.text);
        assert_eq!(app.count("journal_entries").await, before);
        // Renamed: asset.updated.
        let u = app.send(reqwest::Method::PATCH, &format!("/api/v1/fixed_assets/{}", sl.str("/id")), Some(json!({"name": "Old van"})), None).await.expect(200);
        assert_eq!(u.str("/name"), "Old van");
        let ev = events(&app, "asset.").await;
        assert_eq!(ev.iter().filter(|e| *e == "asset.depreciated").count(), 48);
        assert_eq!(ev.iter().filter(|e| *e == "asset.created").count(), 2);
        assert_eq!(ev.iter().filter(|e| *e == "asset.updated").count(), 2);
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-12-31").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), tb.raw("/total_credit"));
        assert_eq!(app.get("/api/v1/fixed_assets?status=disposed").await.expect(200).json["data"].as_array().unwrap().len(), 1);
    }
}

backend_test! {
    async fn an_asset_bought_on_a_bill_line(app: TestApp) {
        let vendor = app.post("/api/v1/vendors", json!({"name": "Tools Ltd"})).await.expect(201).str("/id");
        let plant = app.account("0020").await;
        let bill = app
            .post("/api/v1/bills", json!({"vendor_id": vendor, "date": "2026-03-05", "lines": [
                {"description": "Lathe", "unit_price": "6000.00", "account_id": plant},
                {"description": "Oil", "unit_price": "50.00", "account_id": app.account("5000").await}]}))
            .await
            .expect(201)
            .str("/id");
        // A draft bill's line is no acquisition.
        let e = app.post("/api/v1/fixed_assets", json!({"name": "Lathe", "bill_id": bill, "bill_line": 0, "useful_life_months": 60})).await.expect(400);
        assert!(e.text.contains("approved"), "{}", e.text);
        app.post(&format!("/api/v1/bills/{bill}/approve"), json!({})).await.expect(200);
        let a = app
            .post("/api/v1/fixed_assets", json!({"name": "Lathe", "bill_id": bill, "bill_line": 0, "useful_life_months": 60,
                "method": "declining_balance"}))
            .await
            .expect(201);
        assert_eq!((a.raw("/cost"), a.str("/acquisition_date"), a.str("/asset_account_id")), ("6000.00".into(), "2026-03-05".into(), plant));
        assert_eq!((a.raw("/declining_factor"), a.raw("/rate_percent")), ("2".into(), "40".into()));
        // One asset per line; a line on an expense account is no asset; a line that is not there.
        let before = app.count("fixed_assets").await;
        for (line, needle) in [(0, "already"), (1, "not a fixed-asset account"), (7, "no line 7")] {
            let e = app.post("/api/v1/fixed_assets", json!({"name": "X", "bill_id": bill, "bill_line": line, "useful_life_months": 12})).await.expect(400);
            assert!(e.text.contains(needle), "{line}: {}", e.text);
        }
        assert_eq!(app.count("fixed_assets").await, before);
        // On demand, one asset: March to May 2026, 40% a year of 6,000.00 = 200.00 a month.
        let d = app.post(&format!("/api/v1/fixed_assets/{}/depreciate", a.str("/id")), json!({"through": "2026-05-31"})).await.expect(200);
        let posted = d.json["posted"].as_array().unwrap();
        assert_eq!(posted.len(), 3);
        assert_eq!((d.raw("/posted/0/amount"), d.str("/posted/2/date")), ("200.00".into(), "2026-05-31".into()));
        // Sold at a loss in July: June is depreciated first.
        let s = app
            .post(&format!("/api/v1/fixed_assets/{}/dispose", a.str("/id")), json!({"date": "2026-07-15", "proceeds": "5000.00"}))
            .await
            .expect(200);
        assert_eq!((s.raw("/accumulated_depreciation"), s.raw("/disposal_gain")), ("800.00".into(), "-200.00".into()));
        assert_eq!(
            posting(&app, &s.str("/disposal_entry_id")).await,
            lines(&["Dr 1200 5000.00", "Dr 0021 800.00", "Dr 4900 200.00", "Cr 0020 6000.00"])
        );
    }
}

backend_test! {
    #[country("IN", "INR")]
    async fn the_income_tax_block_halves_the_first_year(app: TestApp) {
        // Plant (15%) bought on 10 January in an April-March year: 81 days of use, 7.5%.
        let a = app
            .post("/api/v1/fixed_assets", json!({"name": "Generator", "category": "plant", "method": "income_tax_block",
                "acquisition_date": "2026-01-10", "cost": "100000.00"}))
            .await
            .expect(201);
        assert_eq!(a.raw("/rate_percent"), "15");
        let d = app.post(&format!("/api/v1/fixed_assets/{}/depreciate", a.str("/id")), json!({"through": "2026-03-31"})).await.expect(200);
        assert_eq!(d.json["posted"].as_array().unwrap().len(), 1);
        assert_eq!((d.raw("/posted/0/amount"), d.str("/posted/0/date")), ("7500.00".into(), "2026-03-31".into()));
        let s = app.get(&format!("/api/v1/fixed_assets/{}/schedule", a.str("/id"))).await.expect(200);
        assert_eq!((s.str("/months/1/date"), s.raw("/months/1/depreciation")), ("2027-03-31".into(), "13875.00".into()));
        let e = app.post("/api/v1/fixed_assets", json!({"name": "Thing", "category": "boats", "method": "income_tax_block", "cost": "10"})).await.expect(400);
        assert!(e.text.contains("block_rate"), "{}", e.text);
    }
}

backend_test! {
    async fn bad_assets_are_refused_with_nothing_written(app: TestApp) {
        let base = json!({"name": "A", "cost": "1000.00", "useful_life_months": 12, "acquisition_date": "2026-01-01"});
        let with = |k: &str, v: serde_json::Value| {
            let mut b = base.clone();
            b[k] = v;
            b
        };
        let before = (app.count("fixed_assets").await, app.count("journal_entries").await);
        for (body, field) in [
            (with("cost", json!("0")), "cost"),
            (with("residual_value", json!("1000.01")), "residual_value"),
            (with("useful_life_months", json!(0)), "useful_life_months"),
            (with("method", json!("sum_of_digits")), "method"),
            (with("method", json!("written_down_value")), "residual_value"),
            (with("declining_factor", json!("0")).as_object().map(|o| { let mut o = o.clone(); o.insert("method".into(), json!("declining_balance")); serde_json::Value::Object(o) }).unwrap(), "declining_factor"),
            (with("asset_account_id", json!(app.account("1200").await)), "asset_account_id"),
            (with("expense_account_id", json!(app.account("0021").await)), "expense_account_id"),
            (with("paid_from_account_id", json!(app.account("8000").await)), "paid_from_account_id"),
            (with("bill_line", json!(0)), "bill_id"),
            (with("name", json!(" ")), "name"),
            (json!({"name": "No cost", "useful_life_months": 12}), "cost"),
            (json!({"name": "No life", "cost": "10"}), "useful_life_months"),
        ] {
            let r = app.post("/api/v1/fixed_assets", body.clone()).await.expect(400);
            assert!(r.text.contains(field), "{body}: {}", r.text);
        }
        assert_eq!((app.count("fixed_assets").await, app.count("journal_entries").await), before);
        let id = app.post("/api/v1/fixed_assets", base.clone()).await.expect(201).str("/id");
        let before = (app.count("fixed_assets").await, app.count("journal_entries").await);
        app.post(&format!("/api/v1/fixed_assets/{id}/depreciate"), json!({"through": "2999-01-31"})).await.expect(400);
        app.post("/api/v1/fixed_assets/depreciation_runs", json!({"through": "2999-01-31"})).await.expect(400);
        for (body, needle) in [
            (json!({"date": "2025-12-31"}), "before the acquisition"),
            (json!({"date": "2026-05-01", "proceeds": "-1"}), "negative"),
            (json!({"date": "2026-05-01", "tax_amount": "10"}), "tax_account_id"),
            (json!({"date": "2026-05-01", "proceeds": "10", "bank_account_id": app.account("4000").await}), "bank_account_id"),
        ] {
            let r = app.post(&format!("/api/v1/fixed_assets/{id}/dispose"), body.clone()).await.expect(400);
            assert!(r.text.contains(needle), "{body}: {}", r.text);
        }
        assert_eq!((app.count("fixed_assets").await, app.count("journal_entries").await), before);
        // Depreciated through June: a disposal dated in May is refused.
        app.post(&format!("/api/v1/fixed_assets/{id}/depreciate"), json!({"through": "2026-06-30"})).await.expect(200);
        let r = app.post(&format!("/api/v1/fixed_assets/{id}/dispose"), json!({"date": "2026-05-15"})).await.expect(400);
        assert!(r.text.contains("2026-06-30"), "{}", r.text);
        app.get("/api/v1/fixed_assets?status=sold").await.expect(400);
        app.get("/api/v1/fixed_assets/fa_missing").await.expect(404);
    }
}

/// Two nodes on one database run the same depreciation at once: every
/// month of every asset is posted exactly once. (SQLite serves one node:
/// there the two runs share the process.)
async fn two_nodes_depreciate_once(app: ferrobooks_testkit::TestApp, second_node: bool) {
    for i in 0..30 {
        app.post(
            "/api/v1/fixed_assets",
            json!({"name": format!("Desk {i}"), "cost": "1200.00",
            "useful_life_months": 12, "acquisition_date": "2026-01-15"}),
        )
        .await
        .expect(201);
    }
    let other = ferrobooks_testkit::job_node(&app, second_node).await;
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let (a, b) = tokio::join!(
        app.services.run_depreciation(None, date),
        other.run_depreciation(None, date)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.failed.is_empty() && b.failed.is_empty(), "{a:?} {b:?}");
    assert_eq!(a.entries + b.entries, 30 * 6, "{a:?} {b:?}");
    assert_eq!(app.count("asset_depreciations").await, 30 * 6);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM journal_entries WHERE organization_id = $1 AND source LIKE 'fixed_asset %'")
        .bind(&app.org_id)
        .fetch_one(app.services.store.pool())
        .await
        .unwrap();
    assert_eq!(n, 30 * 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_depreciate_once_sqlite() {
    two_nodes_depreciate_once(
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
async fn two_nodes_depreciate_once_postgres() {
    two_nodes_depreciate_once(
        ferrobooks_testkit::spawn_app(ferrobooks_testkit::Backend::Postgres)
            .await
            .unwrap(),
        true,
    )
    .await;
}
