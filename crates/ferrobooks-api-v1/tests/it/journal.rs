use serde_json::json;

use ferrobooks_testkit::backend_test;

/// A balanced two-line entry between bank (1200) and sales (4000).
pub async fn entry(
    app: &ferrobooks_testkit::TestApp,
    date: &str,
    amount: &str,
    post: bool,
) -> ferrobooks_testkit::Resp {
    let bank = app.account("1200").await;
    let sales = app.account("4000").await;
    app.post(
        "/api/v1/journal_entries",
        json!({
            "date": date, "memo": "Cash sale", "post": post,
            "lines": [
                {"account_id": bank, "debit": amount},
                {"account_id": sales, "credit": amount}
            ]
        }),
    )
    .await
}

backend_test! {
    async fn posted_entry_is_numbered_and_exact(app: TestApp) {
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        let tax = app.account("2230").await;
        let r = app
            .post(
                "/api/v1/journal_entries",
                json!({
                    "date": "2026-03-01", "memo": "Sale", "reference": "R-1", "post": true,
                    "lines": [
                        {"account_id": bank, "debit": 108.25, "description": "cash"},
                        {"account_id": sales, "credit": "100.00"},
                        {"account_id": tax, "credit": 8.25}
                    ]
                }),
            )
            .await
            .expect(201);
        assert_eq!(r.str("/status"), "posted");
        assert_eq!(r.str("/number"), "JE-000001");
        assert_eq!(r.raw("/total"), "108.25");
        assert_eq!(r.raw("/lines/0/debit"), "108.25");
        assert_eq!(r.raw("/lines/1/credit"), "100.00");
        assert_eq!(r.raw("/lines/1/debit"), "0.00");
        let id = r.str("/id");
        let g = app.get(&format!("/api/v1/journal_entries/{id}")).await.expect(200);
        assert_eq!(g.text, r.text);
        let second = super::entry(&app, "2026-03-02", "1.00", true).await.expect(201);
        assert_eq!(second.str("/number"), "JE-000002");
        // Events went to the outbox in the same transaction.
        assert_eq!(app.count("outbox_events").await, 4);
    }
}

backend_test! {
    async fn draft_posts_nothing_until_posted(app: TestApp) {
        let d = super::entry(&app, "2026-03-01", "50.00", false).await.expect(201);
        assert_eq!(d.str("/status"), "draft");
        assert!(d.json["number"].is_null());
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-12-31").await.expect(200);
        assert_eq!(tb.json["rows"].as_array().unwrap().len(), 0);
        let id = d.str("/id");
        // Drafts can be edited.
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        let u = app
            .put(
                &format!("/api/v1/journal_entries/{id}"),
                json!({"date": "2026-03-05", "lines": [
                    {"account_id": bank, "debit": "75.50"},
                    {"account_id": sales, "credit": "75.50"}
                ]}),
            )
            .await
            .expect(200);
        assert_eq!(u.raw("/total"), "75.50");
        let p = app.post(&format!("/api/v1/journal_entries/{id}/post"), json!({})).await.expect(200);
        assert_eq!(p.str("/status"), "posted");
        assert_eq!(p.str("/number"), "JE-000001");
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-12-31").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), "75.50");
        // Posting twice, editing or deleting a posted entry: 409.
        app.post(&format!("/api/v1/journal_entries/{id}/post"), json!({})).await.expect(409);
        app.put(
            &format!("/api/v1/journal_entries/{id}"),
            json!({"date": "2026-03-05", "lines": [
                {"account_id": bank, "debit": "1"}, {"account_id": sales, "credit": "1"}
            ]}),
        )
        .await
        .expect(409);
        app.delete(&format!("/api/v1/journal_entries/{id}")).await.expect(409);
    }
}

backend_test! {
    async fn drafts_delete_and_then_404(app: TestApp) {
        let d = super::entry(&app, "2026-03-01", "5.00", false).await.expect(201);
        let id = d.str("/id");
        app.delete(&format!("/api/v1/journal_entries/{id}")).await.expect(204);
        app.get(&format!("/api/v1/journal_entries/{id}")).await.expect(404);
        app.delete(&format!("/api/v1/journal_entries/{id}")).await.expect(404);
        app.post(&format!("/api/v1/journal_entries/{id}/post"), json!({})).await.expect(404);
    }
}

backend_test! {
    async fn void_posts_the_reversal(app: TestApp) {
        let r = super::entry(&app, "2026-03-01", "200.00", true).await.expect(201);
        let id = r.str("/id");
        let v = app
            .post(&format!("/api/v1/journal_entries/{id}/void"), json!({"date": "2026-03-10"}))
            .await
            .expect(200);
        assert_eq!(v.str("/status"), "void");
        assert_eq!(v.str("/number"), "JE-000001");
        let rev_id = v.str("/reversed_by");
        let rev = app.get(&format!("/api/v1/journal_entries/{rev_id}")).await.expect(200);
        assert_eq!(rev.str("/reversal_of"), id);
        assert_eq!(rev.str("/number"), "JE-000002");
        assert_eq!(rev.str("/date"), "2026-03-10");
        assert_eq!(rev.raw("/lines/0/credit"), "200.00");
        // Before the void date the entry stands; after it, nothing remains.
        let before = app.get("/api/v1/reports/trial_balance?as_of=2026-03-05").await.expect(200);
        assert_eq!(before.raw("/total_debit"), "200.00");
        let after = app.get("/api/v1/reports/trial_balance?as_of=2026-03-31").await.expect(200);
        assert_eq!(after.json["rows"].as_array().unwrap().len(), 0);
        // Voiding again, or voiding the reversal: 409.
        app.post(&format!("/api/v1/journal_entries/{id}/void"), json!({})).await.expect(409);
        app.post(&format!("/api/v1/journal_entries/{rev_id}/void"), json!({})).await.expect(409);
        // A void with no body is dated today, never before the entry.
        let r2 = super::entry(&app, "2026-01-01", "1.00", true).await.expect(201);
        let id2 = r2.str("/id");
        let resp = app
            .client
            .post(format!("{}/api/v1/journal_entries/{id2}/void", app.base))
            .bearer_auth(&app.key)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        // A reversal dated before its entry is refused.
        let r3 = super::entry(&app, "2026-05-01", "1.00", true).await.expect(201);
        let e = app
            .post(&format!("/api/v1/journal_entries/{}/void", r3.str("/id")), json!({"date": "2026-04-01"}))
            .await
            .expect(400);
        assert_eq!(e.str("/code"), "validation_failed");
    }
}

backend_test! {
    async fn list_paginates_and_filters(app: TestApp) {
        for i in 0..7 {
            super::entry(&app, &format!("2026-04-0{}", i + 1), "1.00", i % 2 == 0).await.expect(201);
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/journal_entries?limit=3&cursor={c}"),
                None => "/api/v1/journal_entries?limit=3".into(),
            };
            let page = app.get(&path).await.expect(200);
            for e in page.json["data"].as_array().unwrap() {
                seen.push(e["date"].as_str().unwrap().to_owned());
            }
            if !page.json["has_more"].as_bool().unwrap() {
                assert!(page.json["next_cursor"].is_null());
                break;
            }
            cursor = Some(page.str("/next_cursor"));
        }
        let expected: Vec<String> = (1..=7).map(|d| format!("2026-04-0{d}")).collect();
        assert_eq!(seen, expected, "oldest first, each once");
        let drafts = app.get("/api/v1/journal_entries?status=draft&limit=100").await.expect(200);
        assert_eq!(drafts.json["data"].as_array().unwrap().len(), 3);
        let ranged = app
            .get("/api/v1/journal_entries?date_from=2026-04-02&date_to=2026-04-04")
            .await
            .expect(200);
        assert_eq!(ranged.json["data"].as_array().unwrap().len(), 3);
        app.get("/api/v1/journal_entries?status=bogus").await.expect(400);
        app.get("/api/v1/journal_entries?date_from=04/02/2026").await.expect(400);
        app.get("/api/v1/journal_entries?updated_since=yesterday").await.expect(400);
        let all = app.get("/api/v1/journal_entries?updated_since=2000-01-01T00:00:00Z&limit=100").await.expect(200);
        assert_eq!(all.json["data"].as_array().unwrap().len(), 7);
        let none = app.get("/api/v1/journal_entries?updated_since=2199-12-31T00:00:00%2B05:30").await.expect(200);
        assert_eq!(none.json["data"].as_array().unwrap().len(), 0);
    }
}

backend_test! {
    async fn concurrent_posts_get_distinct_consecutive_numbers(app: TestApp) {
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        let mut tasks = Vec::new();
        for i in 0..50 {
            let (client, base, key) = (app.client.clone(), app.base.clone(), app.key.clone());
            let body = json!({"date": "2026-06-01", "post": true, "lines": [
                {"account_id": bank, "debit": format!("{}.01", i + 1)},
                {"account_id": sales, "credit": format!("{}.01", i + 1)}
            ]});
            tasks.push(tokio::spawn(async move {
                let r = client
                    .post(format!("{base}/api/v1/journal_entries"))
                    .bearer_auth(key)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status().as_u16(), 201);
                let v: serde_json::Value = r.json().await.unwrap();
                v["number"].as_str().unwrap().to_owned()
            }));
        }
        let mut numbers = Vec::new();
        for t in tasks {
            numbers.push(t.await.unwrap());
        }
        numbers.sort();
        let expected: Vec<String> = (1..=50).map(|n| format!("JE-{n:06}")).collect();
        assert_eq!(numbers, expected);
        // 1+2+...+50 = 1275 plus 50 x 0.01
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-06-30").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), "1275.50");
        assert_eq!(tb.raw("/total_credit"), "1275.50");
    }
}

backend_test! {
    async fn contacts_on_lines_must_be_customers(app: TestApp) {
        let ar = app.account("1100").await;
        let sales = app.account("4000").await;
        let body = |contact: &str| json!({"date": "2026-04-01", "post": true, "lines": [
            {"account_id": ar, "debit": "5.00", "contact_id": contact},
            {"account_id": sales, "credit": "5.00"}
        ]});
        let r = app.post("/api/v1/journal_entries", body("cus_nobody")).await.expect(400);
        assert!(r.json["details"]["lines[0].contact_id"].is_string(), "{}", r.text);
        assert_eq!(app.count("journal_entries").await, 0);
        let c = app.post("/api/v1/customers", json!({"name": "Known"})).await.expect(201).str("/id");
        app.post("/api/v1/journal_entries", body(&c)).await.expect(201);
        let cus = app.get(&format!("/api/v1/customers/{c}")).await.expect(200);
        assert_eq!(cus.raw("/balance"), "5.00");
    }
}
