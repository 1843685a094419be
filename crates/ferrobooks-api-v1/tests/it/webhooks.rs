//! Webhooks against a real HTTP receiver on this machine.

use std::time::Duration;

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::{Backend, TestApp, raw_at, second_node, spawn_app_opts, test_options};

pub(crate) use ferrobooks_testkit::receiver::receiver;

async fn register(app: &TestApp, url: &str, events: serde_json::Value) -> (String, String) {
    let r = app
        .post(
            "/api/v1/webhooks",
            json!({"url": url, "events": events, "description": "test"}),
        )
        .await
        .expect(201);
    (r.str("/id"), r.str("/secret"))
}

fn verify(secret: &str, headers: &HeaderMap, body: &str) {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    m.update(body.as_bytes());
    let expected = format!("sha256={}", hex_string(&m.finalize().into_bytes()));
    assert_eq!(headers["x-syncbooks-signature"], expected.as_str());
    assert_eq!(headers["x-ferrobooks-payload-version"], "1");
    let id = headers["webhook-id"].to_str().unwrap();
    let ts = headers["webhook-timestamp"].to_str().unwrap();
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut m = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    m.update(format!("{id}.{ts}.{body}").as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(m.finalize().into_bytes()));
    assert_eq!(headers["webhook-signature"], expected.as_str());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let ts: u64 = ts.parse().unwrap();
    assert!(ts.abs_diff(now) < 60);
}

fn hex_string(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

backend_test! {
    async fn deliveries_are_signed_both_ways(app: TestApp) {
        let rx = super::receiver(vec![]).await;
        let (id, secret) = super::register(&app, &rx.url, json!(["journal_entry.posted"])).await;
        assert!(secret.starts_with("whsec_"));
        crate::journal::entry(&app, "2026-07-01", "100.00", true).await.expect(201);
        let hits = rx.wait_for(1).await;
        let (headers, body) = &hits[0];
        super::verify(&secret, headers, body);
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["event"], "journal_entry.posted");
        assert_eq!(v["data"]["number"], "JE-000001");
        assert_eq!(raw_at(body, "/data/total"), "100.00", "amounts stay exact");
        assert_eq!(headers["webhook-id"].to_str().unwrap(), v["id"].as_str().unwrap());
        assert!(v["timestamp"].as_str().unwrap().ends_with('Z'));
        // Only the subscribed event came; the log shows the success.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(rx.hits.lock().unwrap().len(), 1);
        let log = app.get(&format!("/api/v1/webhooks/{id}/deliveries")).await.expect(200);
        assert_eq!(log.json["data"][0]["status"], "succeeded");
        assert_eq!(log.json["data"][0]["last_status_code"], 200);
        // The secret is never shown again.
        let list = app.get("/api/v1/webhooks").await.expect(200);
        assert!(!list.text.contains(&secret));
        // The test event.
        app.post(&format!("/api/v1/webhooks/{id}/test"), json!({})).await.expect(202);
        let hits = rx.wait_for(2).await;
        assert!(hits[1].1.contains("\"event\":\"test\""));
        super::verify(&secret, &hits[1].0, &hits[1].1);
        // Deleted: 404, and nothing more is sent.
        app.delete(&format!("/api/v1/webhooks/{id}")).await.expect(204);
        app.get(&format!("/api/v1/webhooks/{id}")).await.expect(404);
        crate::journal::entry(&app, "2026-07-02", "1.00", true).await.expect(201);
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(rx.hits.lock().unwrap().len(), 2);
    }
}

backend_test! {
    async fn retries_until_the_receiver_recovers(app: TestApp) {
        let rx = super::receiver(vec![500, 503]).await;
        let (id, secret) = super::register(&app, &rx.url, json!(["*"])).await;
        app.post("/api/v1/accounts", json!({"code": "6400", "name": "Fees", "type": "expense"})).await.expect(201);
        let hits = rx.wait_for(3).await;
        // The same event, three times, each signed.
        let ids: Vec<_> = hits.iter().map(|(h, _)| h["webhook-id"].to_str().unwrap().to_owned()).collect();
        assert!(ids.iter().all(|i| *i == ids[0]));
        for (h, b) in &hits {
            super::verify(&secret, h, b);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let log = app.get(&format!("/api/v1/webhooks/{id}/deliveries")).await.expect(200);
        assert_eq!(log.json["data"][0]["status"], "succeeded", "{}", log.text);
        assert_eq!(log.json["data"][0]["attempts"], 3);
    }
}

backend_test! {
    async fn gone_disables_the_endpoint(app: TestApp) {
        let rx = super::receiver(vec![410]).await;
        let (id, _) = super::register(&app, &rx.url, json!(["account.created"])).await;
        app.post("/api/v1/accounts", json!({"code": "6401", "name": "A", "type": "expense"})).await.expect(201);
        rx.wait_for(1).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let w = app.get(&format!("/api/v1/webhooks/{id}")).await.expect(200);
        assert_eq!(w.json["active"], false);
        assert!(w.json["disabled_reason"].as_str().unwrap().contains("410"));
        app.post("/api/v1/accounts", json!({"code": "6402", "name": "B", "type": "expense"})).await.expect(201);
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(rx.hits.lock().unwrap().len(), 1, "a disabled endpoint gets nothing");
    }
}

backend_test! {
    async fn refused_changes_emit_nothing(app: TestApp) {
        let rx = super::receiver(vec![]).await;
        super::register(&app, &rx.url, json!(["*"])).await;
        // Refused: duplicate code, unbalanced entry. Neither emits an event.
        app.post("/api/v1/accounts", json!({"code": "1200", "name": "Dup", "type": "asset"})).await.expect(400);
        let bank = app.account("1200").await;
        app.post("/api/v1/journal_entries", json!({"date": "2026-01-01", "post": true, "lines": [
            {"account_id": bank, "debit": "1"}, {"account_id": bank, "credit": "2"}
        ]})).await.expect(400);
        app.post("/api/v1/accounts", json!({"code": "6403", "name": "Ok", "type": "expense"})).await.expect(201);
        let hits = rx.wait_for(1).await;
        tokio::time::sleep(Duration::from_millis(600)).await;
        let hits_now = rx.hits.lock().unwrap().len();
        assert_eq!(hits_now, 1, "only the committed change was delivered");
        assert!(hits[0].1.contains("\"event\":\"account.created\""));
    }
}

backend_test! {
    async fn a_restarted_node_delivers_what_was_committed(app: TestApp) {
        // A node without a delivery worker commits a change and is gone
        // before delivering it, as if it crashed after the commit.
        let rx = super::receiver(vec![]).await;
        super::register(&app, &rx.url, json!(["account.created"])).await;
        let mut options = test_options();
        options.webhooks.worker = false;
        let (_, stop, crashed) = second_node(&app.db_url, options).await;
        let ctx = crashed.authenticate(&app.key, None).await.unwrap();
        crashed
            .create_account(&ctx, serde_json::from_value(json!({"code": "6404", "name": "Late", "type": "expense"})).unwrap())
            .await
            .unwrap();
        let _ = stop.send(());
        drop(crashed);
        // The event is a durable row: the next worker to sweep (here the
        // first node's, never told about it) delivers it.
        let hits = rx.wait_for(1).await;
        assert!(hits[0].1.contains("\"code\":\"6404\""));
    }
}

#[tokio::test]
async fn private_targets_are_refused_by_default() {
    let mut options = test_options();
    options.webhooks = ferrobooks_service::webhooks::WebhookConfig::default();
    let app = spawn_app_opts(Backend::Sqlite, "US", "USD", options)
        .await
        .unwrap();
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest",
        "http://10.0.0.1/x",
        "http://[::1]/x",
    ] {
        let r = app
            .post("/api/v1/webhooks", json!({"url": url, "events": ["*"]}))
            .await
            .expect(400);
        assert!(r.json["details"]["url"].is_string(), "{url}: {}", r.text);
    }
    for (body, field) in [
        (json!({"url": "ftp://example.com/", "events": ["*"]}), "url"),
        (
            json!({"url": "https://8.8.8.8/hook", "events": []}),
            "events",
        ),
        (
            json!({"url": "https://8.8.8.8/hook", "events": ["invoice.exploded"]}),
            "events[0]",
        ),
    ] {
        let r = app.post("/api/v1/webhooks", body).await.expect(400);
        assert!(r.json["details"][field].is_string(), "{}", r.text);
    }
    let r = app
        .post(
            "/api/v1/webhooks",
            json!({"url": "https://8.8.8.8/hook", "events": ["invoice.paid"], "secret": "x"}),
        )
        .await;
    assert_eq!(r.status, 400, "server-owned fields are refused");
    assert_eq!(app.count("webhook_endpoints").await, 0);
}

backend_test! {
    async fn old_events_and_deliveries_are_pruned(app: TestApp) {
        let rx = super::receiver(vec![]).await;
        let (id, _) = super::register(&app, &rx.url, json!(["account.created"])).await;
        app.post("/api/v1/accounts", json!({"code": "6500", "name": "P", "type": "expense"})).await.expect(201);
        rx.wait_for(1).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let before = app.count("outbox_events").await;
        assert!(before >= 1);
        // Nothing is old yet.
        assert_eq!(ferrobooks_store::webhooks::prune(&app.services.store, "2000-01-01T00:00:00Z").await.unwrap(), 0);
        // Everything settled before "the future" goes; pending work stays.
        let n = ferrobooks_store::webhooks::prune(&app.services.store, "2999-01-01T00:00:00Z").await.unwrap();
        assert!(n >= 2, "{n}");
        assert_eq!(app.count("outbox_events").await, 0);
        let log = app.get(&format!("/api/v1/webhooks/{id}/deliveries")).await.expect(200);
        assert_eq!(log.json["data"].as_array().unwrap().len(), 0);
    }
}

backend_test! {
    async fn invoice_events_reach_a_receiver(app: TestApp) {
        let rx = receiver(vec![]).await;
        let (_, secret) = register(&app, &rx.url, json!(["invoice.paid", "payment.created"])).await;
        let c = app.post("/api/v1/customers", json!({"name": "Hooked"})).await.expect(201).str("/id");
        let inv = app
            .post("/api/v1/invoices", json!({"customer_id": c, "approve": true, "lines": [{"unit_price": "19.99"}]}))
            .await
            .expect(201)
            .str("/id");
        app.post("/api/v1/payments", json!({"customer_id": c, "amount": "19.99", "applications": [{"invoice_id": inv, "amount": "19.99"}]}))
            .await
            .expect(201);
        let hits = rx.wait_for(2).await;
        let mut kinds = Vec::new();
        for (headers, body) in &hits {
            verify(&secret, headers, body);
            let v: serde_json::Value = serde_json::from_str(body).unwrap();
            kinds.push(v["event"].as_str().unwrap_or_default().to_owned());
            if v["event"] == "invoice.paid" {
                assert_eq!(raw_at(body, "/data/balance"), "0.00", "{body}");
                assert_eq!(v["data"]["status"], "paid");
            }
        }
        kinds.sort();
        assert_eq!(kinds, ["invoice.paid", "payment.created"], "only the subscribed events: {hits:?}");
    }
}
