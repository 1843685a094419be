use ferrobooks_testkit::{Backend, spawn_app};

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    app.get("/api/v1/accounts?limit=1").await.expect(200);
    app.get("/api/v1/accounts/acc_missing").await.expect(404);
    app.get("/api/v1/accounts/acc_other").await.expect(404);
    app.send(reqwest::Method::GET, "/api/v1/accounts", None, Some("bad"))
        .await
        .expect(401);
    let m = app
        .send(reqwest::Method::GET, "/metrics", None, Some(""))
        .await
        .expect(200);
    assert!(
        m.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = m.text;
    assert!(
        text.contains(r#"ferrobooks_http_requests_total{route="/api/v1/accounts/{id}",method="GET",status="404"} 2"#),
        "{text}"
    );
    assert!(text.contains(
        r#"ferrobooks_http_requests_total{route="/api/v1/accounts",method="GET",status="200"} 1"#
    ));
    assert!(text.contains(
        r#"ferrobooks_http_requests_total{route="/api/v1/accounts",method="GET",status="401"} 1"#
    ));
    assert!(text.contains(
        r#"ferrobooks_http_request_duration_seconds_count{route="/api/v1/accounts/{id}"} 2"#
    ));
    assert!(!text.contains("acc_missing"), "ids never become labels");
}
