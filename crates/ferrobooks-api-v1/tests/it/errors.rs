//! Bad input: a clear JSON error, and nothing written.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::{Backend, TestApp, spawn_app};

/// Nothing reached the journal, the balances or the outbox.
async fn nothing_written(app: &TestApp) {
    assert_eq!(app.count("journal_entries").await, 0);
    assert_eq!(app.count("account_balances").await, 0);
    assert_eq!(app.count("outbox_events").await, 0);
}

fn assert_error_shape(r: &ferrobooks_testkit::Resp, code: &str) {
    assert_eq!(r.json["code"], code, "{}", r.text);
    assert!(
        r.json["error"].as_str().is_some_and(|s| !s.is_empty()),
        "{}",
        r.text
    );
    assert!(r.json["request_id"].as_str().is_some(), "{}", r.text);
    assert_eq!(
        r.headers.get("x-request-id").unwrap().to_str().unwrap(),
        r.json["request_id"].as_str().unwrap()
    );
}

backend_test! {
    async fn unbalanced_entry_names_the_imbalance(app: TestApp) {
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        let r = app
            .post("/api/v1/journal_entries", json!({"date": "2026-01-01", "post": true, "lines": [
                {"account_id": bank, "debit": "100.00"},
                {"account_id": sales, "credit": "99.90"}
            ]}))
            .await
            .expect(400);
        assert_error_shape(&r, "unbalanced_entry");
        let msg = r.str("/error");
        assert!(msg.contains("100.00") && msg.contains("99.90") && msg.contains("0.10"), "{msg}");
        super::nothing_written(&app).await;
    }
}

backend_test! {
    async fn unknown_account_is_400(app: TestApp) {
        let bank = app.account("1200").await;
        let r = app
            .post("/api/v1/journal_entries", json!({"date": "2026-01-01", "post": true, "lines": [
                {"account_id": bank, "debit": "1"},
                {"account_id": "acc_nope", "credit": "1"}
            ]}))
            .await
            .expect(400);
        assert_error_shape(&r, "validation_failed");
        assert!(r.json["details"]["lines[1].account_id"].is_string(), "{}", r.text);
        super::nothing_written(&app).await;
    }
}

backend_test! {
    async fn another_organizations_account_is_not_found(app: TestApp) {
        // A second organization of another tenant, with its own key.
        let other = app
            .services
            .create_organization(Some(&app.tenant_id), serde_json::from_value(json!({
                "name": "Other Co", "base_currency": "USD", "country": "US"
            })).unwrap())
            .await
            .unwrap();
        let other_key = app
            .services
            .create_key(&app.tenant_id, Some(&other.id), "other", None, None)
            .await
            .unwrap()
            .raw;
        let r = app
            .send(reqwest::Method::GET, "/api/v1/accounts?limit=1", None, Some(&other_key))
            .await
            .expect(200);
        let foreign = r.str("/data/0/id");
        // Reading, changing or deleting it through our key: 404, no data.
        let g = app.get(&format!("/api/v1/accounts/{foreign}")).await.expect(404);
        let keys: Vec<&String> = g.json.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["code", "error", "request_id"], "no data of the other organization");
        app.put(&format!("/api/v1/accounts/{foreign}"), json!({"name": "x"})).await.expect(404);
        app.delete(&format!("/api/v1/accounts/{foreign}")).await.expect(404);
        // Posting to it: refused as an unknown account, nothing written.
        let bank = app.account("1200").await;
        let p = app
            .post("/api/v1/journal_entries", json!({"date": "2026-01-01", "post": true, "lines": [
                {"account_id": bank, "debit": "1"},
                {"account_id": foreign, "credit": "1"}
            ]}))
            .await
            .expect(400);
        assert!(p.json["details"]["lines[1].account_id"].is_string());
        super::nothing_written(&app).await;
        // Naming the other organization in the header with our bound key: 403.
        let h = app
            .client
            .get(format!("{}/api/v1/accounts", app.base))
            .bearer_auth(&app.key)
            .header("X-Organization-Id", other.id.as_str())
            .send()
            .await
            .unwrap();
        assert_eq!(h.status().as_u16(), 403);
    }
}

backend_test! {
    async fn malformed_json_is_400_in_the_error_shape(app: TestApp) {
        let r = app
            .client
            .post(format!("{}/api/v1/journal_entries", app.base))
            .bearer_auth(&app.key)
            .header("content-type", "application/json")
            .body("{\"date\": \"2026-01-01\", \"lines\": [")
            .send()
            .await
            .unwrap();
        let r = ferrobooks_testkit::into_resp(r).await.expect(400);
        assert_error_shape(&r, "invalid_json");
        // Wrong content type: 415, same shape.
        let r = app
            .client
            .post(format!("{}/api/v1/journal_entries", app.base))
            .bearer_auth(&app.key)
            .header("content-type", "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap();
        let r = ferrobooks_testkit::into_resp(r).await.expect(415);
        assert_error_shape(&r, "unsupported_media_type");
        // Unknown and server-owned fields: 400.
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        for extra in [json!({"status": "posted"}), json!({"id": "je_1"}), json!({"colour": "red"})] {
            let mut body = json!({"date": "2026-01-01", "lines": [
                {"account_id": bank, "debit": "1"}, {"account_id": sales, "credit": "1"}
            ]});
            let (k, v) = extra.as_object().unwrap().iter().next().unwrap();
            body[k] = v.clone();
            let r = app.post("/api/v1/journal_entries", body).await.expect(400);
            assert_error_shape(&r, "validation_failed");
            assert!(r.str("/error").contains(k.as_str()), "{}", r.text);
            assert!(r.json["details"][k.as_str()].is_string(), "{}", r.text);
        }
        // A body over the limit: 413.
        let big = "x".repeat(2 * 1024 * 1024);
        let r = app.post("/api/v1/journal_entries", json!({"memo": big})).await.expect(413);
        assert_error_shape(&r, "payload_too_large");
        super::nothing_written(&app).await;
    }
}

backend_test! {
    async fn too_many_decimals_is_400(app: TestApp) {
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        for (d, c) in [("10.001", "10.001"), ("1e-3", "1e-3")] {
            let r = app
                .post("/api/v1/journal_entries", json!({"date": "2026-01-01", "post": true, "lines": [
                    {"account_id": bank, "debit": d}, {"account_id": sales, "credit": c}
                ]}))
                .await
                .expect(400);
            assert_error_shape(&r, "validation_failed");
            assert!(r.json["details"]["lines[0].debit"].is_string(), "{}", r.text);
        }
        // As a JSON number literal too.
        let body = format!(
            r#"{{"date":"2026-01-01","lines":[{{"account_id":"{bank}","debit":10.001}},{{"account_id":"{sales}","credit":10.001}}]}}"#
        );
        let r = app
            .client
            .post(format!("{}/api/v1/journal_entries", app.base))
            .bearer_auth(&app.key)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        ferrobooks_testkit::into_resp(r).await.expect(400);
        // Negative amounts, both sides on one line, and a bad date.
        for lines in [
            json!([{"account_id": bank, "debit": "-5"}, {"account_id": sales, "credit": "-5"}]),
            json!([{"account_id": bank, "debit": "5", "credit": "5"}, {"account_id": sales, "credit": "0"}]),
            json!([{"account_id": bank, "debit": "abc"}, {"account_id": sales, "credit": "1"}]),
            json!([{"account_id": bank, "debit": true}, {"account_id": sales, "credit": "1"}]),
            json!([{"account_id": bank, "debit": "5"}]),
        ] {
            let r = app
                .post("/api/v1/journal_entries", json!({"date": "2026-01-01", "lines": lines}))
                .await;
            assert_eq!(r.status, 400, "{lines}: {}", r.text);
        }
        let r = app
            .post("/api/v1/journal_entries", json!({"date": "2026-02-30", "lines": [
                {"account_id": bank, "debit": "5"}, {"account_id": sales, "credit": "5"}
            ]}))
            .await
            .expect(400);
        assert!(r.json["details"]["date"].is_string());
        let r = app
            .post("/api/v1/journal_entries", json!({"date": "2026-02-03", "currency": "EUR", "lines": [
                {"account_id": bank, "debit": "5"}, {"account_id": sales, "credit": "5"}
            ]}))
            .await
            .expect(400);
        assert!(r.json["details"]["currency"].is_string());
        super::nothing_written(&app).await;
    }
}

backend_test! {
    async fn missing_or_invalid_key_is_401(app: TestApp) {
        for key in ["", "sk_live_nope", &format!("sk_live_{}", "0".repeat(64)), &format!("{}x", &app.key[..app.key.len() - 1])] {
            let r = app.send(reqwest::Method::GET, "/api/v1/accounts", None, Some(key)).await;
            assert_eq!(r.status, 401, "key {key:?}: {}", r.text);
            assert_error_shape(&r, "unauthorized");
        }
        let r = app
            .client
            .get(format!("{}/api/v1/accounts", app.base))
            .header("authorization", format!("Basic {}", app.key))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401);
        // Health checks need no key.
        app.send(reqwest::Method::GET, "/healthz", None, Some("")).await.expect(200);
        app.send(reqwest::Method::GET, "/readyz", None, Some("")).await.expect(200);
    }
}

backend_test! {
    async fn posting_to_an_archived_account_is_400(app: TestApp) {
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        // A draft made before archiving cannot be posted after it either.
        let draft = crate::journal::entry(&app, "2026-01-01", "3.00", false).await.expect(201);
        app.post(&format!("/api/v1/accounts/{sales}/archive"), json!({})).await.expect(200);
        let r = app
            .post("/api/v1/journal_entries", json!({"date": "2026-01-01", "post": true, "lines": [
                {"account_id": bank, "debit": "1"}, {"account_id": sales, "credit": "1"}
            ]}))
            .await
            .expect(400);
        assert!(r.json["details"]["lines[1].account_id"].as_str().unwrap().contains("archived"));
        let p = app
            .post(&format!("/api/v1/journal_entries/{}/post", draft.str("/id")), json!({}))
            .await
            .expect(400);
        assert!(p.text.contains("archived"));
        assert_eq!(app.count("account_balances").await, 0);
        app.post(&format!("/api/v1/accounts/{sales}/unarchive"), json!({})).await.expect(200);
        app.post(&format!("/api/v1/journal_entries/{}/post", draft.str("/id")), json!({}))
            .await
            .expect(200);
    }
}

backend_test! {
    async fn unknown_routes_and_methods(app: TestApp) {
        let r = app.get("/api/v1/nothing_here").await;
        assert!(r.status == 404 || r.status == 403, "{}", r.text);
        let r = app.get("/nowhere").await.expect(404);
        assert_error_shape(&r, "route_not_found");
        let r = app.send(reqwest::Method::PATCH, "/api/v1/journal_entries", Some(json!({})), None).await.expect(405);
        assert_error_shape(&r, "method_not_allowed");
        let r = app.get("/api/v1/accounts?limit=500").await.expect(400);
        assert_error_shape(&r, "invalid_query");
        let r = app.get("/api/v1/accounts?cursor=bogus").await.expect(400);
        assert_error_shape(&r, "invalid_cursor");
    }
}

#[tokio::test]
async fn request_ids_are_echoed_when_sane() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let r = app
        .client
        .get(format!("{}/healthz", app.base))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123");
}
