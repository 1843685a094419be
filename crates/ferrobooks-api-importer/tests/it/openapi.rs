//! The importer's OpenAPI document: what is served is what is documented.

use ferrobooks_testkit::backend_test;

backend_test! {
    async fn every_documented_operation_is_served_and_nothing_else(app: TestApp) {
        let doc = app.get("/api/v1/importer/openapi.json").await.expect(200);
        let paths = doc.json["paths"].as_object().unwrap();
        let mut ids = std::collections::BTreeSet::new();
        for (path, item) in paths {
            let concrete = path
                .replace("{companyId}", app.org_id.as_str())
                .replace("{mappingId}", "map_nope")
                .replace("{importId}", "imp_nope")
                .replace("{entityName}", "Invoice");
            for m in ["get", "post", "put", "patch", "delete"] {
                let method = reqwest::Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
                let r = app.send(method, &concrete, None, None).await;
                match item.get(m) {
                    Some(op) => {
                        assert!(ids.insert(op["operationId"].as_str().unwrap().to_owned()), "{m} {path}: operationId repeats");
                        assert_eq!(op["security"][0]["bearer"][0].as_str().map(|s| s.starts_with("imports:")), Some(true), "{m} {path}");
                        assert_ne!(r.status, 405, "{m} {path} is documented but not served");
                        if m == "post" {
                            let params = op["parameters"].as_array().unwrap();
                            assert!(params.iter().any(|p| p["name"] == "Idempotency-Key"), "{m} {path}");
                        }
                    }
                    None => {
                        assert_eq!(r.status, 405, "{m} {path} is served but not documented: {}", r.text);
                        assert_eq!(r.json["error"]["code"], "METHOD_NOT_ALLOWED", "{}", r.text);
                    }
                }
            }
        }
        assert_eq!(ids.len(), 18);
    }
}
