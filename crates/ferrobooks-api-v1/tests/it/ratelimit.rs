use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::{into_resp, redis_url, second_node};

/// Sends `n` GETs with `key` to `base` and returns the last response.
async fn burn(
    app: &ferrobooks_testkit::TestApp,
    base: &str,
    key: &str,
    n: usize,
) -> ferrobooks_testkit::Resp {
    let mut last = None;
    for _ in 0..n {
        let r = app
            .client
            .get(format!("{base}/api/v1/organization"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        last = Some(into_resp(r).await);
    }
    last.unwrap()
}

fn header(r: &ferrobooks_testkit::Resp, name: &str) -> String {
    r.headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .to_str()
        .unwrap()
        .to_owned()
}

backend_test! {
    async fn starter_keys_get_100_requests_per_window(app: TestApp) {
        let key = app.services.create_key(&app.tenant_id, Some(&app.org_id), "s", Some("starter"), None).await.unwrap().raw;
        let first = burn(&app, &app.base, &key, 1).await.expect(200);
        assert_eq!(header(&first, "x-ratelimit-limit"), "100");
        assert_eq!(header(&first, "x-ratelimit-remaining"), "99");
        assert_eq!(header(&first, "x-ratelimit-tier"), "starter");
        let reset: u64 = header(&first, "x-ratelimit-reset").parse().unwrap();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        assert!(reset > now && reset <= now + 900, "reset {reset} now {now}");
        let hundredth = burn(&app, &app.base, &key, 99).await.expect(200);
        assert_eq!(header(&hundredth, "x-ratelimit-remaining"), "0");
        let refused = burn(&app, &app.base, &key, 1).await.expect(429);
        assert_eq!(refused.json["code"], "rate_limited");
        let retry: u64 = header(&refused, "retry-after").parse().unwrap();
        assert!((1..=900).contains(&retry));
        assert_eq!(header(&refused, "x-ratelimit-remaining"), "0");
        // Another key has its own budget.
        let other = app.services.create_key(&app.tenant_id, Some(&app.org_id), "o", Some("starter"), None).await.unwrap().raw;
        burn(&app, &app.base, &other, 1).await.expect(200);
        // A second node on the same database sees the same budget, except on
        // SQLite, where one process owns the database and counts in memory.
        if app.db_url.starts_with("postgres") {
            let (base2, stop, _) = second_node(&app.db_url, Default::default()).await;
            burn(&app, &base2, &key, 1).await.expect(429);
            let r = burn(&app, &base2, &other, 1).await.expect(200);
            assert_eq!(header(&r, "x-ratelimit-remaining"), "98");
            let _ = stop.send(());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(redis_tests), ignore = "FERROBOOKS_TEST_REDIS_URL is not set")]
async fn redis_counters_are_shared_between_nodes() {
    let Some(redis) = redis_url() else {
        panic!("FERROBOOKS_TEST_REDIS_URL is not set");
    };
    let app = ferrobooks_testkit::spawn_app(ferrobooks_testkit::Backend::Sqlite)
        .await
        .unwrap();
    let key = app
        .services
        .create_key(
            &app.tenant_id,
            Some(&app.org_id),
            "r",
            Some("starter"),
            None,
        )
        .await
        .unwrap()
        .raw;
    let options = || ferrobooks_service::ServiceOptions {
        rate_limits: ferrobooks_service::ratelimit::Plans::parse("starter=3/1h").unwrap(),
        redis_url: Some(redis.clone()),
        ..Default::default()
    };
    let (a, stop_a, _) = second_node(&app.db_url, options()).await;
    let (b, stop_b, _) = second_node(&app.db_url, options()).await;
    burn(&app, &a, &key, 2).await.expect(200);
    let r = burn(&app, &b, &key, 1).await.expect(200);
    assert_eq!(header(&r, "x-ratelimit-remaining"), "0");
    burn(&app, &a, &key, 1).await.expect(429);
    let _ = (stop_a.send(()), stop_b.send(()));
}
