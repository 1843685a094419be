//! The reference's limit: 60 requests per minute per account, sliding,
//! with its headers and `Retry-After`; every key of the account counts
//! together, and the native API keeps counting by key tier.

use ferrobooks_service::ratelimit::Plans;
use ferrobooks_testkit::{
    Backend, Resp, TestApp, redis_url, second_node, spawn_app_opts, test_options,
};

use crate::kit::company;

fn header(r: &Resp, name: &str) -> String {
    r.headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} in {}", r.text))
        .to_str()
        .unwrap()
        .to_owned()
}

/// A 429 in the reference's shape that says `why` and when to come back.
fn refused_for(r: &Resp, why: &str, retry: std::ops::RangeInclusive<u64>) {
    assert_eq!(r.json["error"]["code"], "RATE_LIMITED", "{}", r.text);
    let message = r.json["error"]["message"].as_str().unwrap();
    assert!(message.contains(why), "{}", r.text);
    let after: u64 = header(r, "retry-after").parse().unwrap();
    assert!(retry.contains(&after), "{after}");
}

/// The reference's plans, with counters in Redis when `redis` is given.
fn options(redis: Option<String>) -> ferrobooks_service::ServiceOptions {
    ferrobooks_service::ServiceOptions {
        rate_limits: Plans::default(),
        redis_url: redis,
        ..test_options()
    }
}

async fn get(app: &TestApp, base: &str, path: &str, key: &str) -> Resp {
    let r = app
        .client
        .get(format!("{base}{path}"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    ferrobooks_testkit::into_resp(r).await
}

async fn sixty_a_minute_per_account(backend: Backend, redis: Option<String>) {
    let app = spawn_app_opts(backend, "US", "USD", options(redis.clone()))
        .await
        .unwrap();
    // The sliding window weighs the minute before this one: 60 requests
    // sent across a minute's turn may let one more through, so they are
    // sent at the start of one.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    if now % 60 > 45 {
        tokio::time::sleep(std::time::Duration::from_secs(61 - now % 60)).await;
    }
    let path = format!("{}/entities", company(&app));
    let first = get(&app, &app.base, &path, &app.key).await.expect(200);
    assert_eq!(header(&first, "x-ratelimit-limit"), "60");
    assert_eq!(header(&first, "x-ratelimit-remaining"), "59");
    assert_eq!(header(&first, "x-ratelimit-tier"), "importer");
    let reset: u64 = header(&first, "x-ratelimit-reset").parse().unwrap();
    assert!(reset > now && reset <= now + 120, "reset {reset} now {now}");
    for _ in 0..58 {
        get(&app, &app.base, &path, &app.key).await.expect(200);
    }
    // Another key of the account: the 60th request, then refused.
    let other = app
        .services
        .create_key(
            &app.tenant_id,
            Some(&app.org_id),
            "o",
            Some("enterprise"),
            None,
        )
        .await
        .unwrap()
        .raw;
    let last = get(&app, &app.base, &path, &other).await.expect(200);
    assert_eq!(header(&last, "x-ratelimit-remaining"), "0");
    let refused = get(&app, &app.base, "/api/v1/account", &other)
        .await
        .expect(429);
    refused_for(&refused, "60 requests per 60 s", 1..=60);
    // The native API counts by the key's tier, not this plan.
    let native = app.get("/api/v1/organization").await.expect(200);
    assert_eq!(header(&native, "x-ratelimit-tier"), "enterprise");
    // A second node sees the same count, except on SQLite without Redis
    // (one process owns the database and counts in memory).
    if app.db_url.starts_with("postgres") || redis.is_some() {
        let (base2, stop, _) = second_node(&app.db_url, options(redis)).await;
        get(&app, &base2, &path, &app.key).await.expect(429);
        let _ = stop.send(());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_a_minute_per_account_sqlite() {
    sixty_a_minute_per_account(Backend::Sqlite, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set"
)]
async fn sixty_a_minute_per_account_postgres() {
    sixty_a_minute_per_account(Backend::Postgres, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(redis_tests), ignore = "FERROBOOKS_TEST_REDIS_URL is not set")]
async fn sixty_a_minute_per_account_redis() {
    sixty_a_minute_per_account(Backend::Sqlite, redis_url()).await;
}

/// 30 imports an hour per company, counted over the last hour: the 31st
/// is refused with when to come back; a dry run writes nothing and is not
/// counted. (No jobs run: the imports stay queued, which counts the same.)
async fn thirty_imports_an_hour_per_company(backend: Backend) {
    let app = ferrobooks_testkit::spawn_app_without_jobs(backend)
        .await
        .unwrap();
    let mapping = crate::kit::sample_mapping(&app).await;
    let file = crate::kit::SAMPLE.as_bytes();
    for _ in 0..30 {
        crate::kit::upload(&app, &mapping, "x.csv", file, &[])
            .await
            .expect(202);
    }
    let refused = crate::kit::upload(&app, &mapping, "x.csv", file, &[])
        .await
        .expect(429);
    refused_for(&refused, "30 imports per hour per company", 3500..=3600);
    crate::kit::upload(&app, &mapping, "x.csv", file, &[("dryRun", "true")])
        .await
        .expect(202);
    let list = app
        .get(&format!("{}/imports?perPage=100", company(&app)))
        .await
        .expect(200);
    assert_eq!(list.json["pagination"]["total"], 31, "{}", list.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_imports_an_hour_per_company_sqlite() {
    thirty_imports_an_hour_per_company(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set"
)]
async fn thirty_imports_an_hour_per_company_postgres() {
    thirty_imports_an_hour_per_company(Backend::Postgres).await;
}
