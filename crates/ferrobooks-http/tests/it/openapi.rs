//! The OpenAPI document: a snapshot shows every change to it, and every
//! documented operation exists and declares the scope the server checks.

use crate::harness::{Backend, spawn_app};

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");

#[tokio::test]
async fn document_matches_the_snapshot() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let r = app
        .send(reqwest::Method::GET, "/api/v1/openapi.json", None, Some(""))
        .await
        .expect(200);
    assert_eq!(r.json["openapi"], "3.1.0");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(SNAPSHOT, &r.text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
    assert!(
        expected == r.text,
        "the OpenAPI document changed: run `UPDATE_SNAPSHOTS=1 cargo test -p ferrobooks-http \
         --test it openapi` and review the diff of tests/snapshots/openapi.json"
    );
}

#[tokio::test]
async fn every_operation_exists_and_declares_its_scope() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let doc = app
        .send(reqwest::Method::GET, "/api/v1/openapi.json", None, Some(""))
        .await
        .expect(200)
        .json;
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 15, "{}", paths.len());
    let mut operations = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let concrete = path.replace("{id}", "x_does_not_exist");
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = app.send(m.clone(), &concrete, None, None).await;
            assert!(
                r.json["code"] != "route_not_found" && r.json["code"] != "method_not_allowed",
                "{method} {path} is documented but not served: {}",
                r.text
            );
            if let Some(rest) = path.strip_prefix("/api/v1/") {
                if path == "/api/v1/openapi.json" {
                    continue;
                }
                let resource = rest.split('/').next().unwrap();
                let action = if method == "get" { "read" } else { "write" };
                let scopes = &op["security"][0]["bearer"];
                assert_eq!(
                    scopes,
                    &serde_json::json!([format!("{resource}:{action}")]),
                    "{method} {path} declares the wrong scope"
                );
                assert!(
                    op["responses"]["401"].is_object(),
                    "{method} {path} lacks its 401"
                );
            }
        }
    }
    assert!(operations >= 24, "{operations}");
    // The interactive reference is served from the binary.
    let docs = app
        .send(reqwest::Method::GET, "/docs", None, Some(""))
        .await
        .expect(200);
    assert!(docs.text.contains("/api/v1/openapi.json") && !docs.text.contains("https://"));
    app.send(
        reqwest::Method::GET,
        "/docs/swagger-ui-bundle.js",
        None,
        Some(""),
    )
    .await
    .expect(200);
}
