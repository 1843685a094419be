//! The reference's own walk: account, companies, fields, a mapping, the
//! sample CSV imported (three invoices, 1001 with two lines), results,
//! and a revert that leaves the books as they were.

use ferrobooks_testkit::backend_test;
use serde_json::json;

use crate::kit::*;

backend_test! {
    async fn the_sample_csv_end_to_end(app: TestApp) {
        let acct = app.get("/api/v1/account").await.expect(200);
        assert_eq!(acct.json["companiesAmount"], 1, "{}", acct.text);
        assert_eq!(acct.json["subscription"]["active"], true);
        assert_eq!(acct.json["successfulImports"], 0);

        let companies = app.get("/api/v1/companies").await.expect(200);
        let c = &companies.json[0];
        assert_eq!(c["id"], app.org_id.as_str());
        assert_eq!(c["provider"], "ferrobooks");
        assert_eq!(c["status"], "ACTIVE");
        assert_eq!(c["settings"]["sendDocNumberToProvider"], true);
        assert_eq!(c["settings"]["dateFormat"], "yyyy-MM-dd");

        let fields = app.get(&format!("{}/entities/Invoice/fields", company(&app))).await.expect(200);
        let required: Vec<&str> = fields.json.as_array().unwrap().iter()
            .filter(|f| f["isRequired"] == true)
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        assert_eq!(required, ["231", "176", "232", "237"]);
        let dn = &fields.json[0];
        assert_eq!((dn["title"].as_str(), dn["isForGrouping"].as_bool(), dn["maxSize"].as_i64()), (Some("DocNumber"), Some(true), Some(21)));

        sample_books(&app).await;
        let mapping = sample_mapping(&app).await;
        let m = app.get(&format!("{}/mappings/{mapping}", company(&app))).await.expect(200);
        assert_eq!(m.json["fields"][5]["sourceFieldTitle"], serde_json::Value::Null);
        assert_eq!(m.json["fields"][5]["fixedValue"], "Imported via API");

        let path = format!("{}/imports", company(&app));
        let parts = || vec![
            ("file", Some("invoices.csv"), SAMPLE.as_bytes().to_vec()),
            ("mappingId", None, mapping.as_bytes().to_vec()),
        ];
        let first = app.post_multipart_with_key(&path, "imp-key-1", parts()).await.expect(202);
        assert_eq!(first.json["status"], "SCHEDULED");
        assert_eq!(first.json["mappingId"], mapping.as_str());
        assert_eq!(first.json["company"]["id"], app.org_id.as_str());
        // A retry with the same key and file answers the same import.
        let again = app.post_multipart_with_key(&path, "imp-key-1", parts()).await.expect(202);
        assert_eq!(again.text, first.text);
        let id = first.str("/id");

        let done = finished(&app, &id).await;
        assert_eq!(done["status"], "FINISHED", "{done}");
        assert_eq!(done["summary"], json!({"total": 3, "succeeded": 3, "failed": 0, "warnings": 0}));
        assert_eq!(done["progress"], json!({"rowsDone": 4, "rowsTotal": 4}));

        let rows = results(&app, &id, None).await;
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[0]["orderNumber"], 2);
        assert_eq!(rows[0]["type"], "INFO");
        assert_eq!(rows[0]["text"], "Invoice #1001 created successfully");
        assert_eq!(rows[2]["orderNumber"], 5);
        let inv = rows[0]["objectProviderId"].as_str().unwrap();
        let invoice = app.get(&format!("/api/v1/invoices/{inv}")).await.expect(200);
        assert_eq!(invoice.raw("/total"), "1850.00");
        assert_eq!(invoice.json["number"], "1001");
        assert_eq!(invoice.json["status"], "approved");
        assert_eq!(invoice.json["reference"], "Imported via API");
        assert_eq!(invoice.json["lines"].as_array().unwrap().len(), 2);
        assert_eq!(invoice.json["date"], "2026-03-01");
        let gamma = app.get(&format!("/api/v1/invoices/{}", rows[2]["objectProviderId"].as_str().unwrap())).await.expect(200);
        assert_eq!(gamma.raw("/total"), "899.99");
        let receivable = balance(&app, "1100").await;
        assert_eq!(receivable, "4749.99/0.00");
        assert!(app.get("/api/v1/account").await.json["successfulImports"] == 1);

        // Errors only: none.
        assert!(results(&app, &id, Some("ERROR")).await.is_empty());

        // Revert: every invoice voided on its own date, the books as before.
        let r = app.post(&format!("{path}/{id}/revert"), json!({})).await.expect(202);
        assert_eq!(r.json["status"], "REVERTING");
        let done = finished(&app, &id).await;
        assert_eq!(done["status"], "REVERTED", "{done}");
        assert_eq!(balance(&app, "1100").await, "0/0");
        let invoice = app.get(&format!("/api/v1/invoices/{inv}")).await.expect(200);
        assert_eq!(invoice.json["status"], "void");
        assert!(results(&app, &id, None).await.iter().all(|r| r["isReverted"] == true));
        // Reverted once: not again.
        let again = app.post(&format!("{path}/{id}/revert"), json!({})).await.expect(409);
        assert_eq!(again.json["error"]["code"], "CONFLICT");
    }
}

backend_test! {
    async fn items_then_invoices_that_sell_them(app: TestApp) {
        let path = format!("{}/imports/auto", company(&app));
        let items = "Item Name,Type,Price,SKU\nConsulting,Service,150.00,C-1\nWidget,Inventory,9.99,W-1\nOdd,Gadget,1.00,O-1\nconsulting,Service,1.00,C-2\n";
        let r = app.post_multipart(&path, vec![
            ("file", Some("items.csv"), items.as_bytes().to_vec()),
            ("entityName", None, b"Item".to_vec()),
            ("dryRun", None, b"false".to_vec()),
        ]).await.expect(202);
        let id = r.json["import"]["id"].as_str().unwrap().to_owned();
        let done = finished(&app, &id).await;
        assert_eq!(done["summary"], json!({"total": 4, "succeeded": 2, "failed": 2, "warnings": 0}), "{done}");
        let errors: Vec<String> = results(&app, &id, Some("ERROR")).await.iter().map(|e| e["text"].as_str().unwrap().to_owned()).collect();
        assert_eq!(errors[0], "Type 'gadget' is not an item type (Service, Inventory or NonInventory)");
        assert!(errors[1].starts_with("Item 'consulting' already exists"), "{errors:?}");
        let list = app.get("/api/v1/products?limit=10").await.expect(200);
        let widget = list.json["data"].as_array().unwrap().iter().find(|p| p["name"] == "Widget").unwrap().clone();
        assert_eq!((widget["type"].as_str(), widget["sku"].as_str()), (Some("goods"), Some("W-1")));
        assert_eq!(list.raw("/data/0/price"), "150.00");

        // Invoices sell them at the file's prices.
        app.post("/api/v1/customers", json!({"name": "Acme Corp"})).await.expect(201);
        let mapping = sample_mapping(&app).await;
        let file = "Invoice #,Customer,Date,Item,Amount\n9001,Acme Corp,2027-01-02,Consulting,300.00\n9001,Acme Corp,2027-01-02,Widget,9.99\n";
        let r = upload(&app, &mapping, "i.csv", file.as_bytes(), &[]).await.expect(202);
        let done = finished(&app, &r.str("/id")).await;
        assert_eq!(done["status"], "FINISHED", "{done}");
        assert_eq!(balance(&app, "1100").await, "0/0", "dated next year: not in today's trial balance");

        // Reverting the items import deletes what it made... but the
        // items are sold now: they are deleted from the catalog, the
        // invoices keep their lines.
        app.post(&format!("{}/imports/{id}/revert", company(&app)), json!({})).await.expect(202);
        let done = finished(&app, &id).await;
        assert_eq!(done["status"], "REVERTED", "{done}");
        let list = app.get("/api/v1/products?limit=10").await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 0, "{}", list.text);
    }
}
