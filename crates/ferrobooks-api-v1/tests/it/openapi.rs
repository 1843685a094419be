//! The OpenAPI document: a snapshot shows every change to it, and every
//! documented operation exists and declares the scope the server checks.

use ferrobooks_testkit::{Backend, spawn_app};

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
        "the OpenAPI document changed: run `UPDATE_SNAPSHOTS=1 cargo test -p ferrobooks-api-v1 \
         --test it openapi` and review the diff of tests/snapshots/openapi.json"
    );
}

async fn document(app: &ferrobooks_testkit::TestApp) -> serde_json::Value {
    app.send(reqwest::Method::GET, "/api/v1/openapi.json", None, Some(""))
        .await
        .expect(200)
        .json
}

#[tokio::test]
async fn every_operation_exists_and_declares_its_scope() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let doc = document(&app).await;
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

/// What code generators need: unique operation ids, every served method
/// documented (a method the document does not list on a path is 405),
/// typed query parameters, and the Idempotency-Key of every POST.
#[tokio::test]
async fn the_document_drives_code_generators() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let doc = document(&app).await;
    // Every reference resolves (a generator drops an operation whose
    // parameter names a schema the document does not hold).
    fn refs<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                    out.push(r);
                }
                m.values().for_each(|x| refs(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let pointer = r.trim_start_matches('#');
        assert!(doc.pointer(pointer).is_some(), "{r} resolves to nothing");
    }
    let mut ids = std::collections::HashSet::new();
    let mut resources = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let item = item.as_object().unwrap();
        for (method, op) in item {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(
                ids.insert(id.to_owned()),
                "operationId {id} repeats ({method} {path})"
            );
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "limit" {
                    assert_eq!(p["schema"]["type"], "integer", "{method} {path}: limit");
                    assert_eq!(p["schema"]["maximum"], 100, "{method} {path}: limit");
                }
                if p["name"] == "status" || p["name"] == "kind" || p["name"] == "type" {
                    assert!(
                        p["schema"]["enum"].is_array(),
                        "{method} {path}: {} has no enum",
                        p["name"]
                    );
                }
                if p["name"].as_str().is_some_and(|n| n.starts_with("date")) {
                    assert_eq!(
                        p["schema"]["format"], "date",
                        "{method} {path}: {}",
                        p["name"]
                    );
                }
            }
            if method == "post" && path.starts_with("/api/v1/") && op["security"].is_array() {
                assert!(
                    op["parameters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|p| p["name"] == "Idempotency-Key"),
                    "POST {path} does not declare Idempotency-Key"
                );
                for status in ["409", "422"] {
                    assert!(
                        op["responses"][status].is_object(),
                        "POST {path} lacks {status}"
                    );
                }
            }
            if op["requestBody"].is_object() && op["security"].is_array() {
                for status in ["413", "415"] {
                    assert!(
                        op["responses"][status].is_object(),
                        "{method} {path} lacks {status}"
                    );
                }
            }
            if let Some(scope) = op["security"][0]["bearer"][0].as_str() {
                resources.insert(scope.split(':').next().unwrap().to_owned());
            }
        }
        // Served but undocumented methods: every other method is 405.
        let concrete = path.replace("{id}", "x_does_not_exist");
        for m in ["get", "post", "put", "patch", "delete"] {
            if item.contains_key(m) {
                continue;
            }
            let method = reqwest::Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let r = app.send(method, &concrete, None, None).await;
            assert_eq!(
                r.status, 405,
                "{m} {path} is served but not documented: {}",
                r.text
            );
        }
    }
    // The scopes keys may be given are exactly the resources routes check,
    // on every surface (the importer's document has its own).
    let importer = app.get("/api/v1/importer/openapi.json").await.expect(200);
    for item in importer.json["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if let Some(scope) = op["security"][0]["bearer"][0].as_str() {
                resources.insert(scope.split(':').next().unwrap().to_owned());
            }
        }
    }
    let known: std::collections::BTreeSet<String> = ferrobooks_service::auth::SCOPE_RESOURCES
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(
        resources, known,
        "SCOPE_RESOURCES and the routes' scopes differ"
    );
}

/// utoipa names a schema after its type and lets a second type of the
/// same name replace the first without a word: every `ToSchema` type of
/// the crate has a name of its own.
#[test]
fn schema_names_are_unique() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.clone()];
    let mut names: std::collections::HashMap<String, String> = Default::default();
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let mut schema = false;
        for line in text.lines() {
            let l = line.trim();
            if l.starts_with("#[derive(") && l.contains("ToSchema") {
                schema = true;
            } else if schema
                && (l.starts_with("pub struct ")
                    || l.starts_with("pub enum ")
                    || l.starts_with("pub(crate) struct "))
            {
                let name = l
                    .split_whitespace()
                    .nth(2)
                    .unwrap()
                    .trim_end_matches(['{', '(', '<', ';'])
                    .to_owned();
                let here = p.display().to_string();
                if let Some(other) = names.insert(name.clone(), here.clone()) {
                    panic!("schema {name} is defined in {other} and in {here}");
                }
                schema = false;
            }
        }
    }
    assert!(names.len() > 50, "{}", names.len());
}
