use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::{Resp, TestApp, into_resp};

async fn post_with_key(app: &TestApp, path: &str, key: &str, body: serde_json::Value) -> Resp {
    let r = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(&app.key)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    into_resp(r).await
}

async fn entry_body(app: &TestApp, amount: &str) -> serde_json::Value {
    let bank = app.account("1200").await;
    let sales = app.account("4000").await;
    json!({"date": "2026-05-01", "post": true, "lines": [
        {"account_id": bank, "debit": amount}, {"account_id": sales, "credit": amount}
    ]})
}

fn replayed(r: &Resp) -> bool {
    r.headers
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

backend_test! {
    async fn replays_the_first_response(app: TestApp) {
        let body = super::entry_body(&app, "10.00").await;
        let first = super::post_with_key(&app, "/api/v1/journal_entries", "k-1", body.clone()).await.expect(201);
        assert!(!super::replayed(&first));
        let again = super::post_with_key(&app, "/api/v1/journal_entries", "k-1", body.clone()).await.expect(201);
        assert!(super::replayed(&again));
        assert_eq!(again.text, first.text, "identical body");
        assert_eq!(app.count("journal_entries").await, 1);
        // Same key, different request: 422, nothing written.
        let other = super::entry_body(&app, "11.00").await;
        let r = super::post_with_key(&app, "/api/v1/journal_entries", "k-1", other.clone()).await.expect(422);
        assert_eq!(r.json["code"], "idempotency_key_reused");
        let r = super::post_with_key(&app, "/api/v1/accounts", "k-1", json!({"code": "1", "name": "x", "type": "asset"})).await.expect(422);
        assert_eq!(r.json["code"], "idempotency_key_reused");
        assert_eq!(app.count("journal_entries").await, 1);
        // A new key makes a new entry.
        super::post_with_key(&app, "/api/v1/journal_entries", "k-2", other).await.expect(201);
        assert_eq!(app.count("journal_entries").await, 2);
        // Bad keys.
        let long = "x".repeat(256);
        let r = super::post_with_key(&app, "/api/v1/journal_entries", &long, body.clone()).await.expect(400);
        assert!(r.json["details"]["Idempotency-Key"].is_string());
        assert_eq!(app.count("journal_entries").await, 2);
    }
}

backend_test! {
    async fn errors_are_replayed_and_actions_too(app: TestApp) {
        // A refused request is answered the same way again, and wrote nothing.
        let mut bad = super::entry_body(&app, "10.00").await;
        bad["lines"][1]["credit"] = json!("9.00");
        let first = super::post_with_key(&app, "/api/v1/journal_entries", "bad", bad.clone()).await.expect(400);
        let again = super::post_with_key(&app, "/api/v1/journal_entries", "bad", bad).await.expect(400);
        assert!(super::replayed(&again));
        assert_eq!(first.json["error"], again.json["error"]);
        assert_eq!(app.count("journal_entries").await, 0);
        // Accounts and actions.
        let a = super::post_with_key(&app, "/api/v1/accounts", "acc", json!({"code": "6300", "name": "Travel", "type": "expense"})).await.expect(201);
        let a2 = super::post_with_key(&app, "/api/v1/accounts", "acc", json!({"code": "6300", "name": "Travel", "type": "expense"})).await.expect(201);
        assert_eq!(a.text, a2.text);
        let id = a.str("/id");
        let path = format!("/api/v1/accounts/{id}/archive");
        let r1 = super::post_with_key(&app, &path, "arch", json!({})).await.expect(200);
        let r2 = super::post_with_key(&app, &path, "arch", json!({})).await.expect(200);
        assert!(super::replayed(&r2) && r1.text == r2.text);
        let draft = crate::journal::entry(&app, "2026-05-02", "3.00", true).await.expect(201);
        let void = format!("/api/v1/journal_entries/{}/void", draft.str("/id"));
        let v1 = super::post_with_key(&app, &void, "void", json!({"date": "2026-05-03"})).await.expect(200);
        let v2 = super::post_with_key(&app, &void, "void", json!({"date": "2026-05-03"})).await.expect(200);
        assert!(super::replayed(&v2) && v1.text == v2.text, "a retried void does not 409");
        // Keys are per organization: another organization's same key is its own.
        let other = app
            .services
            .create_organization(Some(&app.tenant_id), serde_json::from_value(json!({"name": "O", "base_currency": "USD", "country": "US"})).unwrap())
            .await
            .unwrap();
        let other_key = app.services.create_key(&app.tenant_id, Some(&other.id), "o", None, None).await.unwrap().raw;
        let r = app
            .client
            .post(format!("{}/api/v1/accounts", app.base))
            .bearer_auth(&other_key)
            .header("Idempotency-Key", "acc")
            .json(&json!({"code": "6300", "name": "Travel", "type": "expense"}))
            .send()
            .await
            .unwrap();
        let r = into_resp(r).await.expect(201);
        assert!(!super::replayed(&r));
        // Generating a key is never replayed: its answer holds a secret.
        let k1 = super::post_with_key(&app, "/api/v1/keys/generate", "gen", json!({"name": "a"})).await.expect(201);
        let k2 = super::post_with_key(&app, "/api/v1/keys/generate", "gen", json!({"name": "a"})).await.expect(201);
        assert_ne!(k1.str("/key"), k2.str("/key"));
        // Nor is registering a webhook: its answer holds the signing secret.
        let hook = json!({"url": "http://127.0.0.1:9/hook", "events": ["*"]});
        let w1 = super::post_with_key(&app, "/api/v1/webhooks", "hook", hook.clone()).await.expect(201);
        let w2 = super::post_with_key(&app, "/api/v1/webhooks", "hook", hook).await.expect(201);
        assert!(!super::replayed(&w2));
        assert_ne!(w1.str("/secret"), w2.str("/secret"));
    }
}

backend_test! {
    async fn concurrent_retries_create_exactly_one(app: TestApp) {
        let body = super::entry_body(&app, "42.00").await;
        let mut tasks = Vec::new();
        for _ in 0..100 {
            let (client, base, key, body) = (app.client.clone(), app.base.clone(), app.key.clone(), body.clone());
            tasks.push(tokio::spawn(async move {
                let r = client
                    .post(format!("{base}/api/v1/journal_entries"))
                    .bearer_auth(key)
                    .header("Idempotency-Key", "same-key")
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                into_resp(r).await
            }));
        }
        let mut created = Vec::new();
        for t in tasks {
            let r = t.await.unwrap();
            match r.status {
                201 => created.push(r.text),
                409 => assert_eq!(r.json["code"], "idempotency_key_in_use"),
                s => panic!("unexpected {s}: {}", r.text),
            }
        }
        assert!(!created.is_empty());
        assert!(created.iter().all(|t| *t == created[0]), "every 201 is the same entry");
        assert_eq!(app.count("journal_entries").await, 1);
        let after = super::post_with_key(&app, "/api/v1/journal_entries", "same-key", body).await.expect(201);
        assert_eq!(after.text, created[0]);
    }
}

backend_test! {
    async fn expired_and_abandoned_keys_run_again(app: TestApp) {
        use ferrobooks_store::idempotency::{Outcome, StoredReply, claim, complete, done, sweep};
        let reply = |body: &str| StoredReply { status: 201, content_type: None, body: body.into() };
        let store = &app.services.store;
        let now = chrono_now();
        let Outcome::Acquired(first) = claim(store, &app.org_id, "k", "fp", "lease-1", now).await.unwrap() else {
            panic!("first claim");
        };
        // While the first runs: in flight; a different request: mismatch.
        let busy = claim(store, &app.org_id, "k", "fp", "lease-2", now + 1).await.unwrap();
        let Outcome::InFlight { retry_after } = busy else { panic!("{busy:?}") };
        assert!((1..=ferrobooks_store::idempotency::LEASE_SECS).contains(&retry_after), "{retry_after}");
        assert_eq!(claim(store, &app.org_id, "k", "other", "lease-2", now + 1).await.unwrap(), Outcome::Mismatch);
        // Its process died. On PostgreSQL the lease runs out and a retry
        // takes over; on SQLite the claim lived in the dead process's memory.
        let later = now + ferrobooks_store::idempotency::LEASE_SECS + 1;
        let second = if app.db_url.starts_with("postgres") {
            claim(store, &app.org_id, "k", "fp", "lease-3", later).await.unwrap()
        } else {
            done(store, &first);
            claim(store, &app.org_id, "k", "fp", "lease-3", later).await.unwrap()
        };
        let Outcome::Acquired(second) = second else { panic!("takeover: {second:?}") };
        // The first request, back from the dead, can no longer complete.
        let mut conn = store.pool().acquire().await.unwrap();
        assert!(!complete(&mut conn, &first, &reply("{}")).await.unwrap() || !app.db_url.starts_with("postgres"));
        drop(conn);
        let mut conn = store.pool().acquire().await.unwrap();
        let ok = complete(&mut conn, &second, &reply("{\"a\":1}")).await.unwrap();
        drop(conn);
        done(store, &second);
        // SQLite has no claim rows, so the first's late write landed first
        // there; either way exactly one response is stored and replayed.
        let replay = claim(store, &app.org_id, "k", "fp", "lease-4", later).await.unwrap();
        assert!(matches!(&replay, Outcome::Replay(r) if r.status == 201), "{replay:?} {ok}");
        // After 24 hours the key is swept and can be used afresh.
        let day = later + ferrobooks_store::idempotency::KEEP_SECS + 1;
        assert_eq!(sweep(store, day).await.unwrap(), 1);
        assert!(matches!(claim(store, &app.org_id, "k", "new", "lease-5", day).await.unwrap(), Outcome::Acquired(_)));
    }
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

backend_test! {
    async fn every_kind_of_post_replays_byte_for_byte(app: TestApp) {
        // The service stores the reply it serialized; the native API sends
        // its own views. They must be the same bytes for every resource.
        let n = std::cell::Cell::new(0);
        let twice = |path: String, body: serde_json::Value| {
            let app = &app;
            n.set(n.get() + 1);
            let key = format!("byte-{}", n.get());
            async move {
                let first = super::post_with_key(app, &path, &key, body.clone()).await;
                assert!(first.status < 300, "{path}: {} {}", first.status, first.text);
                let again = super::post_with_key(app, &path, &key, body).await;
                assert!(super::replayed(&again), "{path} was not replayed");
                assert_eq!(again.status, first.status, "{path}");
                assert_eq!(again.text, first.text, "{path}: the replay differs from the first reply");
                first
            }
        };
        let bank = app.account("1200").await;
        twice("/api/v1/accounts".into(), json!({"code": "6123", "name": "Replay", "type": "expense"})).await;
        twice("/api/v1/journal_entries".into(), super::entry_body(&app, "3.10").await).await;
        let c = twice("/api/v1/customers".into(), json!({"name": "Replay Co", "billing_address": {"city": "Austin"}, "contact_persons": [{"name": "Ann"}]})).await.str("/id");
        twice("/api/v1/vendors".into(), json!({"name": "Replay Supplies", "tax_id": "12-3456789", "track_1099": true})).await;
        let ven = twice("/api/v1/vendors".into(), json!({"name": "Replay Landlord"})).await.str("/id");
        let cost = twice("/api/v1/accounts".into(), json!({"code": "6124", "name": "Replay rent", "type": "expense"})).await.str("/id");
        let bill = twice("/api/v1/bills".into(), json!({"vendor_id": ven, "vendor_reference": "R-1", "lines": [{"unit_price": "12.50", "account_id": cost}]})).await.str("/id");
        twice(format!("/api/v1/bills/{bill}/approve"), json!({})).await;
        twice(format!("/api/v1/bills/{bill}/void"), json!({})).await;
        let cost_line = json!([{"unit_price": "20.00", "account_id": cost}]);
        let owed = twice("/api/v1/bills".into(), json!({"vendor_id": ven, "approve": true, "lines": cost_line})).await.str("/id");
        let bp = twice("/api/v1/bill_payments".into(), json!({"vendor_id": ven, "amount": "8", "applications": [{"bill_id": owed, "amount": "3"}]})).await.str("/id");
        twice(format!("/api/v1/bill_payments/{bp}/apply"), json!({"applications": [{"bill_id": owed, "amount": "2"}]})).await;
        let vc = twice("/api/v1/vendor_credits".into(), json!({"vendor_id": ven, "lines": cost_line})).await.str("/id");
        twice(format!("/api/v1/vendor_credits/{vc}/approve"), json!({})).await;
        twice(format!("/api/v1/vendor_credits/{vc}/apply"), json!({"applications": [{"bill_id": owed, "amount": "1"}]})).await;
        twice(format!("/api/v1/vendor_credits/{vc}/refund"), json!({"amount": "1"})).await;
        let po = twice("/api/v1/purchase_orders".into(), json!({"vendor_id": ven, "lines": [{"quantity": "3", "unit_price": "4", "account_id": cost}]})).await.str("/id");
        twice(format!("/api/v1/purchase_orders/{po}/issue"), json!({})).await;
        twice(format!("/api/v1/purchase_orders/{po}/convert"), json!({"lines": [{"line": 1, "quantity": "1"}]})).await;
        let po2 = twice("/api/v1/purchase_orders".into(), json!({"vendor_id": ven, "lines": [{"unit_price": "4", "account_id": cost}]})).await.str("/id");
        twice(format!("/api/v1/purchase_orders/{po2}/cancel"), json!({})).await;
        let ex = twice("/api/v1/expenses".into(), json!({"account_id": cost, "amount": "9.99"})).await.str("/id");
        twice(format!("/api/v1/expenses/{ex}/approve"), json!({})).await;
        twice(format!("/api/v1/expenses/{ex}/pay"), json!({})).await;
        twice(format!("/api/v1/expenses/{ex}/void"), json!({})).await;
        let ex2 = twice("/api/v1/expenses".into(), json!({"account_id": cost, "amount": "1"})).await.str("/id");
        twice(format!("/api/v1/expenses/{ex2}/reject"), json!({})).await;
        for kind in ["checks", "bank_payments", "credit_card_charges", "credit_card_credits"] {
            let id = twice(format!("/api/v1/{kind}"), json!({"lines": [{"unit_price": "3", "account_id": cost}]})).await.str("/id");
            twice(format!("/api/v1/{kind}/{id}/void"), json!({})).await;
        }
        twice("/api/v1/products".into(), json!({"name": "Replay widget", "price": "2.50"})).await;
        twice("/api/v1/taxes".into(), json!({"name": "Replay tax", "kind": "sales_tax", "components": [{"name": "State", "rate": "6.25"}]})).await;
        let line = json!([{"description": "Work", "quantity": "1.5", "unit_price": "10"}]);
        let inv = twice("/api/v1/invoices".into(), json!({"customer_id": c, "lines": line})).await.str("/id");
        twice(format!("/api/v1/invoices/{inv}/approve"), json!({})).await;
        twice(format!("/api/v1/invoices/{inv}/send"), json!({})).await;
        let est = twice("/api/v1/estimates".into(), json!({"customer_id": c, "lines": line})).await.str("/id");
        twice(format!("/api/v1/estimates/{est}/send"), json!({})).await;
        let cn = twice("/api/v1/credit_notes".into(), json!({"customer_id": c, "lines": line})).await.str("/id");
        twice(format!("/api/v1/credit_notes/{cn}/approve"), json!({})).await;
        twice(format!("/api/v1/credit_notes/{cn}/apply"), json!({"applications": [{"invoice_id": inv, "amount": "1"}]})).await;
        twice(format!("/api/v1/credit_notes/{cn}/refund"), json!({"amount": "1", "account_id": bank})).await;
        twice("/api/v1/sales_receipts".into(), json!({"customer_id": c, "lines": line})).await;
        twice("/api/v1/refund_receipts".into(), json!({"customer_id": c, "lines": line})).await;
        let pay = twice("/api/v1/payments".into(), json!({"customer_id": c, "amount": "5"})).await.str("/id");
        twice(format!("/api/v1/payments/{pay}/apply"), json!({"applications": [{"invoice_id": inv, "amount": "2"}]})).await;
        let other = twice("/api/v1/invoices".into(), json!({"customer_id": c, "lines": line})).await.str("/id");
        twice(format!("/api/v1/invoices/{other}/approve"), json!({})).await;
        twice(format!("/api/v1/invoices/{other}/void"), json!({})).await;
        let conv = twice("/api/v1/estimates".into(), json!({"customer_id": c, "lines": line})).await.str("/id");
        twice(format!("/api/v1/estimates/{conv}/convert"), json!({})).await;
    }
}
