//! The event feed: sequence order, cursors that never miss an event under
//! concurrent writes, filters, bad input, and redelivery from a number.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::webhooks::receiver;
use ferrobooks_testkit::TestApp;

/// Reads the feed from `after` until `want` events of the given query
/// arrived (or fails after 10 s); the events, in order.
async fn read_until(
    app: &TestApp,
    query: &str,
    mut after: String,
    want: usize,
) -> (Vec<Value>, String) {
    let mut got = Vec::new();
    for _ in 0..200 {
        let r = app
            .get(&format!("/api/v1/events?after={after}&limit=100{query}"))
            .await
            .expect(200);
        got.extend(r.json["data"].as_array().unwrap().iter().cloned());
        after = r.str("/next_cursor");
        if got.len() >= want && r.json["has_more"] == false {
            return (got, after);
        }
        if r.json["has_more"] == false {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    panic!("the feed gave {} events, not {want}", got.len());
}

ferrobooks_testkit::backend_test! {
    async fn the_feed_lists_events_in_sequence_and_filters_them(app: TestApp) {
        for name in ["Ada", "Brook", "Cole"] {
            app.post("/api/v1/customers", json!({"name": name})).await.expect(201);
        }
        let c = app.get("/api/v1/customers?limit=1").await.expect(200).str("/data/0/id");
        app.put(&format!("/api/v1/customers/{c}"), json!({"email": "ada@example.com"})).await.expect(200);
        let (all, cursor) = read_until(&app, "&types=customer.created,customer.updated", "0".into(), 4).await;
        let kinds: Vec<&str> = all.iter().map(|e| e["event"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["customer.created", "customer.created", "customer.created", "customer.updated"]);
        let seqs: Vec<i64> = all.iter().map(|e| e["sequence"].as_i64().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
        assert_eq!(all[0]["data"]["name"], "Ada");
        assert!(all[0]["id"].as_str().unwrap().starts_with("evt_"));
        assert_eq!(cursor, seqs[3].to_string());
        // One type only; a page of one; after the last: empty, cursor kept.
        let r = app.get("/api/v1/events?types=customer.updated").await.expect(200);
        assert_eq!(r.json["data"].as_array().unwrap().len(), 1);
        let r = app.get(&format!("/api/v1/events?types=customer.created&limit=1&after={}", seqs[0])).await.expect(200);
        assert_eq!((r.json["data"][0]["data"]["name"].as_str(), r.json["has_more"].as_bool()), (Some("Brook"), Some(true)));
        let r = app.get(&format!("/api/v1/events?after={cursor}&types=customer.created")).await.expect(200);
        assert_eq!((r.json["data"].as_array().unwrap().len(), r.str("/next_cursor")), (0, cursor.clone()));
        // Bad input, each named.
        for (q, code) in [
            ("after=-1", "invalid_query"),
            ("after=abc", "invalid_query"),
            ("after=18446744073709551615", "validation_failed"),
            ("after=1000000000000000001", "validation_failed"),
            ("limit=0", "invalid_query"),
            ("limit=101", "invalid_query"),
            ("types=customer.exploded", "validation_failed"),
            ("since=1", "invalid_query"),
        ] {
            let r = app.get(&format!("/api/v1/events?{q}")).await.expect(400);
            assert_eq!(r.str("/code"), code, "{q}: {}", r.text);
        }
    }
}

ferrobooks_testkit::backend_test! {
    async fn a_polling_reader_misses_nothing_under_concurrent_writes(app: TestApp) {
        // Four writers make 25 customers each while a reader follows the
        // feed from its cursor: it sees all 100, each once, in order.
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (base, key, client) = (app.base.clone(), app.key.clone(), app.client.clone());
                tokio::spawn(async move {
                    for i in 0..25 {
                        let r = client.post(format!("{base}/api/v1/customers")).bearer_auth(&key)
                            .json(&json!({"name": format!("W{w}-{i}")})).send().await.unwrap();
                        assert_eq!(r.status(), 201);
                    }
                })
            })
            .collect();
        let mut seen = Vec::new();
        let mut after = "0".to_owned();
        let mut last = 0;
        while seen.len() < 100 {
            let (got, next) = read_until(&app, "&types=customer.created", after.clone(), 1).await;
            for e in got {
                let n = e["sequence"].as_i64().unwrap();
                assert!(n > last, "sequence went from {last} to {n}");
                last = n;
                seen.push(e["data"]["name"].as_str().unwrap().to_owned());
            }
            after = next;
        }
        for w in writers {
            w.await.unwrap();
        }
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!((seen.len(), unique.len()), (100, 100));
    }
}

ferrobooks_testkit::backend_test! {
    async fn an_endpoint_gets_events_again_from_a_sequence_number(app: TestApp) {
        for name in ["Early", "Bird"] {
            app.post("/api/v1/customers", json!({"name": name})).await.expect(201);
        }
        let (events, _) = read_until(&app, "&types=customer.created", "0".into(), 2).await;
        // Registered after the events: nothing comes until it asks.
        let rx = receiver(vec![]).await;
        let wh = app.post("/api/v1/webhooks", json!({"url": rx.url, "events": ["customer.created"]})).await.expect(201).str("/id");
        let second = events[1]["sequence"].as_i64().unwrap();
        // `2.0` is the integer 2 to JSON Schema: taken as such.
        let raw = app.client.post(format!("{}/api/v1/webhooks/{wh}/redeliver", app.base)).bearer_auth(&app.key)
            .header("content-type", "application/json").body(format!("{{\"from_sequence\": {second}.0}}")).send().await.unwrap();
        assert_eq!(raw.status(), 202);
        rx.wait_for(1).await;
        let r = app.post(&format!("/api/v1/webhooks/{wh}/redeliver"), json!({"from_sequence": second})).await.expect(202);
        assert_eq!((r.str("/webhook_id"), r.json["from_sequence"].as_i64()), (wh.clone(), Some(second)));
        let hits = rx.wait_for(2).await;
        let body: Value = serde_json::from_str(&hits[1].1).unwrap();
        assert_eq!((body["event"].as_str(), body["data"]["name"].as_str()), (Some("customer.created"), Some("Bird")));
        assert_eq!(body["id"], events[1]["id"], "the event id, so receivers deduplicate");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(rx.wait_for(2).await.len(), 2, "only the events from that number on, once per ask");
        // Bad input.
        for (body, field) in [(json!({"from_sequence": 0}), "from_sequence"), (json!({"from_sequence": 1_000_000_000_000_000_001_i64}), "from_sequence"), (json!({"from_sequence": 2.5}), "from_sequence"), (json!({"from_sequence": null}), "from_sequence"), (json!({}), "from_sequence"), (json!({"from_sequence": 1, "to": 2}), "to")] {
            let r = app.post(&format!("/api/v1/webhooks/{wh}/redeliver"), body).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{}", r.text);
        }
        app.post("/api/v1/webhooks/wh_missing/redeliver", json!({"from_sequence": 1})).await.expect(404);
    }
}
