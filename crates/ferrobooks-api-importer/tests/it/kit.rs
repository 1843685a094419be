//! What the importer tests share: the reference's sample, its mapping,
//! polling an import to its end.

use std::time::Duration;

use ferrobooks_testkit::{Resp, TestApp};
use serde_json::{Value, json};

/// The importer reference's sample CSV.
pub const SAMPLE: &str = "Invoice #,Customer,Date,Item,Amount,Memo\n\
1001,Acme Corp,2026-03-01,Consulting,1500.00,Q1 services\n\
1001,Acme Corp,2026-03-01,Travel,350.00,Client site visit\n\
1002,Beta Inc,2026-03-05,Consulting,2000.00,March retainer\n\
1003,Gamma LLC,2026-03-10,Software License,899.99,Annual renewal\n";

pub fn company(app: &TestApp) -> String {
    format!("/api/v1/companies/{}", app.org_id)
}

/// The sample's customers and items.
pub async fn sample_books(app: &TestApp) {
    for c in ["Acme Corp", "Beta Inc", "Gamma LLC"] {
        app.post("/api/v1/customers", json!({"name": c}))
            .await
            .expect(201);
    }
    for p in ["Consulting", "Travel", "Software License"] {
        app.post("/api/v1/products", json!({"name": p, "type": "service"}))
            .await
            .expect(201);
    }
}

/// The reference's mapping (with its fixed memo).
pub async fn sample_mapping(app: &TestApp) -> String {
    app.post(
        &format!("{}/mappings", company(app)),
        json!({
            "title": "My Invoice Mapping",
            "entityName": "Invoice",
            "fields": [
                {"sourceFieldTitle": "Invoice #", "targetFieldId": "231"},
                {"sourceFieldTitle": "Customer", "targetFieldId": "176"},
                {"sourceFieldTitle": "Date", "targetFieldId": "179"},
                {"sourceFieldTitle": "Item", "targetFieldId": "232"},
                {"sourceFieldTitle": "Amount", "targetFieldId": "237"},
                {"sourceFieldTitle": null, "targetFieldId": "234", "fixedValue": "Imported via API"}
            ]
        }),
    )
    .await
    .expect(201)
    .str("/id")
}

/// Uploads `file` to import with `mapping`.
pub async fn upload(
    app: &TestApp,
    mapping: &str,
    name: &str,
    file: &[u8],
    extra: &[(&str, &str)],
) -> Resp {
    let mut parts = vec![
        ("file", Some(name), file.to_vec()),
        ("mappingId", None, mapping.as_bytes().to_vec()),
    ];
    for (k, v) in extra {
        parts.push((k, None, v.as_bytes().to_vec()));
    }
    app.post_multipart(&format!("{}/imports", company(app)), parts)
        .await
}

const TERMINAL: &[&str] = &[
    "FINISHED",
    "FINISHED_WITH_WARNINGS",
    "FAILED",
    "CANCELED",
    "REVERTED",
];

/// Polls the import until it ends; its last state.
pub async fn finished(app: &TestApp, id: &str) -> Value {
    for _ in 0..600 {
        let r = app
            .get(&format!("{}/imports/{id}", company(app)))
            .await
            .expect(200);
        if TERMINAL.contains(&r.json["status"].as_str().unwrap_or_default()) {
            return r.json;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("import {id} did not end");
}

/// Every result row of an import (of one type).
pub async fn results(app: &TestApp, id: &str, kind: Option<&str>) -> Vec<Value> {
    let q = kind.map(|k| format!("&type={k}")).unwrap_or_default();
    let r = app
        .get(&format!(
            "{}/imports/{id}/results?perPage=100{q}",
            company(app)
        ))
        .await
        .expect(200);
    r.json["data"].as_array().unwrap().clone()
}

/// The balance of the account with `code` from the trial balance, as written.
pub async fn balance(app: &TestApp, code: &str) -> String {
    let r = app.get("/api/v1/reports/trial_balance").await.expect(200);
    let rows = r.json["rows"].as_array().cloned().unwrap_or_default();
    rows.iter()
        .position(|a| a["code"] == code)
        .map(|i| {
            format!(
                "{}/{}",
                r.raw(&format!("/rows/{i}/debit")),
                r.raw(&format!("/rows/{i}/credit"))
            )
        })
        .unwrap_or_else(|| "0/0".into())
}

/// A mapping of `entity` with `fields` (the API's `fields` list); its id.
pub async fn mapping(app: &TestApp, entity: &str, fields: Value) -> String {
    app.post(
        &format!("{}/mappings", company(app)),
        json!({"title": entity, "entityName": entity, "fields": fields}),
    )
    .await
    .expect(201)
    .str("/id")
}
