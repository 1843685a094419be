//! Bad input, each with its clear error and nothing half-written: the
//! reference's error envelope and codes.

use ferrobooks_testkit::{Backend, backend_test, spawn_app_without_jobs};
use serde_json::json;

use crate::kit::*;

backend_test! {
    async fn bad_rows_are_error_results_and_the_rest_imports(app: TestApp) {
        sample_books(&app).await;
        let mapping = sample_mapping(&app).await;
        let file = "Invoice #,Customer,Date,Item,Amount\n\
2001,Acme Corp,2026-03-01,Consulting,100.00\n\
2002,Unknown Corp,2026-03-01,Consulting,100.00\n\
2003,Acme Corp,31/02/2026,Consulting,100.00\n\
2004,Acme Corp,2026-03-01,Consulting,12.3.4\n\
2005,Acme Corp,2026-03-01,Nothing Such,5.00\n\
2006,Acme Corp,2026-03-01,Consulting,1.005\n\
2001,Beta Inc,2026-03-01,Travel,1.00\n\
2007,Beta Inc,2026-03-02,Travel,7.25\n";
        let r = upload(&app, &mapping, "bad.csv", file.as_bytes(), &[]).await.expect(202);
        let done = finished(&app, &r.str("/id")).await;
        assert_eq!(done["status"], "FINISHED_WITH_WARNINGS", "{done}");
        assert_eq!(done["summary"], json!({"total": 7, "succeeded": 1, "failed": 6, "warnings": 0}));
        let errors = results(&app, &r.str("/id"), Some("ERROR")).await;
        let texts: Vec<(i64, &str)> = errors.iter().map(|e| (e["orderNumber"].as_i64().unwrap(), e["text"].as_str().unwrap())).collect();
        assert_eq!(texts[0], (8, "CustomerRef.name 'Beta Inc' differs from 'Acme Corp' on row 2 of the same document"), "{texts:?}");
        assert_eq!(texts[1], (3, "Customer 'Unknown Corp' not found"));
        assert_eq!(texts[2], (4, "TxnDate '31/02/2026' is not a date (yyyy-MM-dd)"));
        assert_eq!(texts[3], (5, "Line.Amount '12.3.4' is not a number"));
        assert_eq!(texts[4], (6, "Item 'Nothing Such' not found"));
        assert!(texts[5].1.contains("1.005"), "{texts:?}");
        // Only the good one is in the books.
        assert_eq!(app.count("documents").await, 1);
        assert_eq!(balance(&app, "1100").await, "7.25/0.00");
    }
}

backend_test! {
    async fn uploads_that_cannot_be_read_are_refused_at_once(app: TestApp) {
        sample_books(&app).await;
        let mapping = sample_mapping(&app).await;
        let semi = "Invoice #;Customer;Date;Item;Amount\n1;Acme Corp;2026-03-01;Consulting;1\n";
        let r = upload(&app, &mapping, "semi.csv", semi.as_bytes(), &[]).await.expect(400);
        assert_eq!(r.json["error"]["code"], "BAD_REQUEST");
        assert!(r.json["error"]["message"].as_str().unwrap().contains("semicolons"), "{}", r.text);
        let missing = "Invoice #,Customer,Date,Item\n1,Acme Corp,2026-03-01,Consulting\n";
        let r = upload(&app, &mapping, "m.csv", missing.as_bytes(), &[]).await.expect(422);
        assert_eq!(r.json["error"]["code"], "VALIDATION_ERROR");
        assert!(r.json["error"]["message"].as_str().unwrap().contains("no column 'Amount'"), "{}", r.text);
        let r = upload(&app, &mapping, "e.csv", b"", &[]).await.expect(400);
        assert!(r.json["error"]["message"].as_str().unwrap().contains("empty"), "{}", r.text);
        let r = upload(&app, "map_nope", "x.csv", SAMPLE.as_bytes(), &[]).await.expect(404);
        assert_eq!(r.json["error"]["code"], "NOT_FOUND");
        let r = upload(&app, &mapping, "x.csv", SAMPLE.as_bytes(), &[("dryRun", "maybe")]).await.expect(400);
        assert_eq!(r.json["error"]["code"], "BAD_REQUEST");
        // More than 100,000 rows.
        let mut big = String::from("Invoice #,Customer,Date,Item,Amount\n");
        for i in 0..100_001 {
            big.push_str(&format!("{i},Acme Corp,2026-03-01,Consulting,1\n"));
        }
        let r = upload(&app, &mapping, "big.csv", big.as_bytes(), &[]).await.expect(413);
        assert_eq!(r.json["error"]["code"], "PAYLOAD_TOO_LARGE");
        assert_eq!(app.count("imports").await, 0);

        // An unknown company, entity, import.
        let r = app.get("/api/v1/companies/org_nope/entities").await.expect(404);
        assert_eq!(r.json["error"]["message"], "Company not found: org_nope");
        let r = app.get(&format!("{}/entities/TimeActivity/fields", company(&app))).await.expect(404);
        assert_eq!(r.json["error"]["code"], "NOT_FOUND");
        app.get(&format!("{}/imports/imp_nope", company(&app))).await.expect(404);
        // Refused before any route: still in this surface's shape.
        let r = app.get(&format!("{}/mappings?page=%00", company(&app))).await.expect(400);
        assert_eq!(r.json["error"]["code"], "BAD_REQUEST", "{}", r.text);
        let r = app.get(&format!("{}/nothing_here", company(&app))).await.expect(404);
        assert_eq!(r.json["error"]["code"], "NOT_FOUND", "{}", r.text);
        let r = app.send(reqwest::Method::DELETE, "/api/v1/companies", None, None).await.expect(405);
        assert_eq!(r.json["error"]["code"], "METHOD_NOT_ALLOWED", "{}", r.text);
        // The native API keeps its own.
        let r = app.get("/api/v1/nothing_here").await.expect(404);
        assert_eq!(r.json["code"], "route_not_found", "{}", r.text);
        // No key.
        let r = app.send(reqwest::Method::GET, "/api/v1/companies", None, Some("")).await.expect(401);
        assert_eq!(r.json["error"]["code"], "UNAUTHORIZED");
    }
}

backend_test! {
    async fn a_mapping_names_every_problem(app: TestApp) {
        let r = app.post(&format!("{}/mappings", company(&app)), json!({
            "title": "Broken",
            "entityName": "Invoice",
            "fields": [
                {"sourceFieldTitle": "Invoice #", "targetFieldId": "231"},
                {"sourceFieldTitle": "X", "targetFieldId": "99999"},
                {"sourceFieldTitle": null, "targetFieldId": "179"}
            ]
        })).await.expect(422);
        assert_eq!(r.json["error"]["code"], "VALIDATION_ERROR");
        let msg = r.json["error"]["message"].as_str().unwrap();
        for part in ["99999 is not a field of Invoice", "CustomerRef.name (176) is not mapped", "Line.ItemRef.name (232) is not mapped", "Line.Amount (237) is not mapped", "TxnDate (179) needs a column"] {
            assert!(msg.contains(part), "{part} in {msg}");
        }
        let r = app.post(&format!("{}/mappings", company(&app)), json!({"title": "T", "entityName": "Nope", "fields": []})).await.expect(422);
        assert!(r.text.contains("Nope is not an entity"), "{}", r.text);
        assert_eq!(app.count("import_mappings").await, 0);

        let id = sample_mapping(&app).await;
        let list = app.get(&format!("{}/mappings?page=1&perPage=10", company(&app))).await.expect(200);
        assert_eq!(list.json["pagination"], json!({"page": 1, "perPage": 10, "total": 1, "totalPages": 1}));
        let r = app.put(&format!("{}/mappings/{id}", company(&app)), json!({"title": "Renamed"})).await.expect(200);
        assert_eq!(r.json["title"], "Renamed");
        app.get(&format!("{}/mappings?perPage=101", company(&app))).await.expect(400);
        app.delete(&format!("{}/mappings/{id}", company(&app))).await.expect(204);
        app.get(&format!("{}/mappings/{id}", company(&app))).await.expect(404);
    }
}

backend_test! {
    async fn a_dry_run_writes_nothing_and_a_reused_key_is_a_duplicate(app: TestApp) {
        sample_books(&app).await;
        let mapping = sample_mapping(&app).await;
        let r = upload(&app, &mapping, "x.csv", SAMPLE.as_bytes(), &[("dryRun", "true")]).await.expect(202);
        assert_eq!(r.json["dryRun"], true);
        let done = finished(&app, &r.str("/id")).await;
        assert_eq!(done["status"], "FINISHED", "{done}");
        assert_eq!(done["summary"]["succeeded"], 3);
        let rows = results(&app, &r.str("/id"), None).await;
        assert_eq!(rows[0]["text"], "Invoice #1001 would be created");
        assert_eq!(rows[0]["objectProviderId"], serde_json::Value::Null);
        assert_eq!(app.count("documents").await, 0);
        assert_eq!(app.count("journal_entries").await, 0);
        let r = app.post(&format!("{}/imports/{}/revert", company(&app), r.str("/id")), json!({})).await.expect(409);
        assert_eq!(r.json["error"]["code"], "CONFLICT");

        let path = format!("{}/imports", company(&app));
        let first = app.post_multipart_with_key(&path, "k-dup", vec![
            ("file", Some("a.csv"), SAMPLE.as_bytes().to_vec()),
            ("mappingId", None, mapping.as_bytes().to_vec()),
            ("dryRun", None, b"true".to_vec()),
        ]).await.expect(202);
        let other = app.post_multipart_with_key(&path, "k-dup", vec![
            ("file", Some("a.csv"), SAMPLE.replace("899.99", "900.00").into_bytes()),
            ("mappingId", None, mapping.as_bytes().to_vec()),
            ("dryRun", None, b"true".to_vec()),
        ]).await.expect(409);
        assert_eq!(other.json["error"]["code"], "DUPLICATE_REQUEST", "{}", other.text);
        finished(&app, &first.str("/id")).await;
    }
}

backend_test! {
    async fn auto_mapping_proposes_and_imports(app: TestApp) {
        sample_books(&app).await;
        let path = format!("{}/imports/auto", company(&app));
        let r = app.post_multipart(&path, vec![
            ("file", Some("invoices.csv"), SAMPLE.as_bytes().to_vec()),
            ("entityName", None, b"Invoice".to_vec()),
        ]).await.expect(200);
        assert_eq!(r.json["fileHeaders"], json!(["Invoice #", "Customer", "Date", "Item", "Amount", "Memo"]));
        let proposed: Vec<(String, String, String)> = r.json["proposedFields"].as_array().unwrap().iter()
            .map(|p| (p["sourceFieldTitle"].as_str().unwrap().into(), p["targetFieldId"].as_str().unwrap().into(), p["confidence"].as_str().unwrap().into()))
            .collect();
        assert_eq!(proposed[0], ("Invoice #".into(), "231".into(), "high".into()));
        assert_eq!(proposed[2], ("Date".into(), "179".into(), "medium".into()));
        assert_eq!(r.json["missingRequired"], json!([]));
        assert_eq!(app.count("import_mappings").await, 0);
        let r = app.post_multipart(&path, vec![
            ("file", Some("invoices.csv"), SAMPLE.as_bytes().to_vec()),
            ("entityName", None, b"Invoice".to_vec()),
            ("dryRun", None, b"false".to_vec()),
        ]).await.expect(202);
        let done = finished(&app, r.json["import"]["id"].as_str().unwrap()).await;
        assert_eq!(done["summary"]["succeeded"], 3, "{done}");
        // A file without a required column cannot import by itself.
        let r = app.post_multipart(&path, vec![
            ("file", Some("x.csv"), b"Invoice #,Customer\n1,Acme Corp\n".to_vec()),
            ("entityName", None, b"Invoice".to_vec()),
            ("dryRun", None, b"false".to_vec()),
        ]).await.expect(422);
        assert!(r.text.contains("Line.ItemRef.name"), "{}", r.text);
    }
}

backend_test! {
    async fn missing_contacts_and_items_are_created_when_allowed_and_reverted(app: TestApp) {
        let s = app.send(reqwest::Method::PATCH, &format!("{}/settings", company(&app)),
            Some(json!({"createMissingContacts": true, "createMissingItems": true, "dateFormat": "MM/dd/yyyy"})), None).await.expect(200);
        assert_eq!(s.json["settings"]["dateFormat"], "MM/dd/yyyy");
        let mapping = sample_mapping(&app).await;
        let file = "Invoice #,Customer,Date,Item,Amount\n7,New Co,03/15/2026,Widget,10.50\n";
        let r = upload(&app, &mapping, "n.csv", file.as_bytes(), &[]).await.expect(202);
        let id = r.str("/id");
        let done = finished(&app, &id).await;
        assert_eq!(done["status"], "FINISHED_WITH_WARNINGS", "{done}");
        assert_eq!(done["summary"], json!({"total": 1, "succeeded": 1, "failed": 0, "warnings": 1}));
        let warnings = results(&app, &id, Some("WARNING")).await;
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(warnings[0]["text"], "Customer 'New Co' was not found and was created");
        assert_eq!(app.count("customers").await, 1);
        assert_eq!(app.count("products").await, 1);
        app.post(&format!("{}/imports/{id}/revert", company(&app)), json!({})).await.expect(202);
        let done = finished(&app, &id).await;
        assert_eq!(done["status"], "REVERTED", "{done}");
        // The invoice is voided (it stays, void); its customer keeps it, so
        // stays too, said in a WARNING; the item goes.
        assert_eq!(balance(&app, "1100").await, "0/0");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn canceling_a_queued_import_then_again_is_a_conflict() {
    let app = spawn_app_without_jobs(Backend::Sqlite).await.unwrap();
    sample_books(&app).await;
    let mapping = sample_mapping(&app).await;
    let r = upload(&app, &mapping, "x.csv", SAMPLE.as_bytes(), &[])
        .await
        .expect(202);
    let id = r.str("/id");
    let c = app
        .post(&format!("{}/imports/{id}/cancel", company(&app)), json!({}))
        .await
        .expect(200);
    assert_eq!(c.json["status"], "CANCELED");
    let again = app
        .post(&format!("{}/imports/{id}/cancel", company(&app)), json!({}))
        .await
        .expect(409);
    assert_eq!(again.json["error"]["code"], "CONFLICT");
    assert!(
        again.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("CANCELED"),
        "{}",
        again.text
    );
}

backend_test! {
    async fn canceling_a_running_import_stops_it_at_its_next_batch(app: TestApp) {
        sample_books(&app).await;
        let mapping = sample_mapping(&app).await;
        let mut file = String::from("Invoice #,Customer,Date,Item,Amount\n");
        for i in 0..4_000 {
            file.push_str(&format!("C{i},Acme Corp,2027-01-02,Consulting,{}.00\n", 1 + i % 50));
        }
        let r = upload(&app, &mapping, "many.csv", file.as_bytes(), &[]).await.expect(202);
        let id = r.str("/id");
        let path = format!("{}/imports/{id}", company(&app));
        loop {
            let v = app.get(&path).await.expect(200);
            let status = v.json["status"].as_str().unwrap();
            assert!(status == "SCHEDULED" || status == "IN_PROGRESS", "{}", v.text);
            if v.json["progress"]["rowsDone"].as_i64().unwrap() > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let c = app.post(&format!("{path}/cancel"), json!({})).await.expect(200);
        assert_eq!(c.json["status"], "CANCELED");
        // The batch in hand rolls back; nothing more is made.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let v = app.get(&path).await.expect(200);
        assert_eq!(v.json["status"], "CANCELED");
        let made = v.json["summary"]["succeeded"].as_i64().unwrap();
        assert!(made > 0 && made < 4_000, "{}", v.text);
        assert_eq!(app.count("documents").await, made);
        assert_eq!(results(&app, &id, None).await.len() as i64, made.min(100));
        // What it made before the cancel can be taken back.
        app.post(&format!("{path}/revert"), json!({})).await.expect(202);
        let done = finished(&app, &id).await;
        assert_eq!(done["status"], "REVERTED", "{done}");
        assert_eq!(balance(&app, "1100").await, "0/0");
    }
}
