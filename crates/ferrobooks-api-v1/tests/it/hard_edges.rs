//! The hard edges an outside probe found: sums that could overflow, webhook
//! targets that hide a private IPv4 address inside IPv6, and a retry that
//! met a crashed request's lease.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::{Backend, spawn_app_opts, test_options};

/// Ten trillion dollars, the largest amount one line may carry (10^15
/// minor units).
const BIG: &str = "10000000000000.00";

backend_test! {
    async fn the_books_refuse_a_posting_that_would_overflow(app: TestApp) {
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        // 250 debits and 250 credits of 10^15: 2.5 x 10^17 a posting.
        let mut lines = Vec::new();
        for _ in 0..250 {
            lines.push(json!({"account_id": bank, "debit": BIG}));
            lines.push(json!({"account_id": sales, "credit": BIG}));
        }
        let body = json!({"date": "2026-11-01", "post": true, "lines": lines});
        // 16 postings reach the limit of 4 x 10^18 exactly.
        for i in 0..16 {
            app.post("/api/v1/journal_entries", body.clone()).await.expect(201);
            if i == 0 {
                assert_eq!(app.count("journal_entries").await, 1);
            }
        }
        let r = app.post("/api/v1/journal_entries", body.clone()).await.expect(400);
        assert!(r.json["error"].as_str().unwrap().contains("4000000000000000000"), "{}", r.text);
        assert_eq!(app.count("journal_entries").await, 16, "the refused posting wrote nothing");
        // A small one does not fit either, and a draft (which posts nothing) does.
        let small = json!({"date": "2026-11-01", "post": true, "lines": [
            {"account_id": bank, "debit": "0.01"}, {"account_id": sales, "credit": "0.01"}]});
        app.post("/api/v1/journal_entries", small.clone()).await.expect(400);
        let mut draft = small.clone();
        draft["post"] = json!(false);
        let d = app.post("/api/v1/journal_entries", draft).await.expect(201).str("/id");
        app.post(&format!("/api/v1/journal_entries/{d}/post"), json!({})).await.expect(400);
        // Every report stays exact and positive.
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-11-30").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), "40000000000000000.00");
        assert_eq!(tb.raw("/total_credit"), "40000000000000000.00");
        let acc = app.get(&format!("/api/v1/accounts/{bank}")).await.expect(200);
        assert_eq!(acc.raw("/balance"), "40000000000000000.00");
        let csv = app
            .get_accepting("/api/v1/reports/trial_balance?as_of=2026-11-30", "text/csv")
            .await
            .expect(200)
            .text;
        assert!(csv.contains(",Total,,40000000000000000.00,40000000000000000.00"), "{csv}");
        let gl = app.get("/api/v1/general_ledger?date_from=2026-11-01&date_to=2026-11-30").await.expect(200);
        assert_eq!(gl.raw("/accounts/0/closing_balance"), "40000000000000000.00");
    }
}

#[tokio::test]
async fn webhook_targets_hiding_private_ipv4_in_ipv6_are_refused_sqlite() {
    webhook_targets(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set"
)]
async fn webhook_targets_hiding_private_ipv4_in_ipv6_are_refused_postgres() {
    webhook_targets(Backend::Postgres).await;
}

async fn webhook_targets(backend: Backend) {
    let mut options = test_options();
    options.webhooks.allow_private_targets = false;
    let app = spawn_app_opts(backend, "US", "USD", options).await.unwrap();
    for url in [
        "http://[::127.0.0.1]/hook",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",
        "http://[2002:7f00:1::]/hook",
        "http://[::ffff:0:7f00:1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fec0::1]/hook",
        "http://[100::1]/hook",
        "http://[fe80::1]/hook",
    ] {
        let r = app
            .post("/api/v1/webhooks", json!({"url": url, "events": ["*"]}))
            .await
            .expect(400);
        assert!(r.json["details"]["url"].is_string(), "{url}: {}", r.text);
    }
    assert_eq!(app.count("webhook_endpoints").await, 0);
}

backend_test! {
    async fn a_retry_after_a_crash_is_told_when_to_come_back(app: TestApp) {
        // On SQLite in-flight claims live in the process: a crash takes
        // them along, and a retry simply runs. On PostgreSQL the claim row
        // of a request whose node died stays until its lease runs out.
        if !app.db_url.starts_with("postgres") {
            return;
        }
        use ferrobooks_store::idempotency::{LEASE_SECS, Outcome, claim};
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        let body = json!({"date": "2026-11-01", "post": true, "lines": [
            {"account_id": bank, "debit": "1.00"}, {"account_id": sales, "credit": "1.00"}]});
        let text = serde_json::to_vec(&body).unwrap();
        let mut h = blake3::Hasher::new();
        h.update(b"POST\0/api/v1/journal_entries\0");
        h.update(&text);
        let fingerprint = h.finalize().to_hex().to_string();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        // The crashed request claimed the key LEASE_SECS - 2 seconds ago.
        let started = now - LEASE_SECS + 2;
        let c = claim(&app.services.store, &app.org_id, "crash-key", &fingerprint, "lease-dead", started)
            .await
            .unwrap();
        assert!(matches!(c, Outcome::Acquired(_)), "{c:?}");
        let send = || async {
            let r = app
                .client
                .post(format!("{}/api/v1/journal_entries", app.base))
                .bearer_auth(&app.key)
                .header("content-type", "application/json")
                .header("idempotency-key", "crash-key")
                .body(text.clone())
                .send()
                .await
                .unwrap();
            ferrobooks_testkit::into_resp(r).await
        };
        let r = send().await.expect(409);
        assert_eq!(r.json["code"], "idempotency_key_in_use");
        let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=3).contains(&wait), "Retry-After is the lease time left: {wait}");
        tokio::time::sleep(std::time::Duration::from_secs(wait + 1)).await;
        let first = send().await.expect(201);
        let again = send().await.expect(201);
        assert_eq!(again.text, first.text);
        assert_eq!(again.headers["idempotent-replayed"], "true");
        assert_eq!(app.count("journal_entries").await, 1);
    }
}
