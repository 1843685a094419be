//! Vendors: the contacts the organization buys from, with payable
//! balances, GSTIN and source of supply in India, TIN and the 1099 flag
//! in the US.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::events;

backend_test! {
    async fn vendor_lifecycle_and_payable_balance(app: TestApp) {
        let v = app
            .post("/api/v1/vendors", json!({
                "name": "Paper Supply Co", "email": "billing@paper.test", "tax_id": "12-3456789",
                "track_1099": true, "payment_terms": 15,
                "contact_persons": [{"name": "Pat", "is_primary": true}]
            }))
            .await
            .expect(201);
        let id = v.str("/id");
        assert!(id.starts_with("ven_"), "{id}");
        assert_eq!(v.json["track_1099"], true);
        assert_eq!(v.str("/tax_id"), "12-3456789");
        assert_eq!(v.raw("/balance"), "0.00");
        assert!(v.json["source_of_supply"].is_null());
        assert!(v.json.get("place_of_supply").is_none(), "{}", v.text);
        // A vendor is not a customer, and the other way round.
        app.get(&format!("/api/v1/customers/{id}")).await.expect(404);
        let list = app.get("/api/v1/vendors?search=paper").await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
        assert_eq!(app.get("/api/v1/customers").await.expect(200).json["data"].as_array().unwrap().len(), 0);
        let u = app.send(reqwest::Method::PATCH, &format!("/api/v1/vendors/{id}"), Some(json!({"track_1099": false})), None).await.expect(200);
        assert_eq!(u.json["track_1099"], false);
        assert_eq!(u.json["payment_terms"], 15);
        // A bill-like posting on payables names the vendor: it is owed.
        let ap = app.account("2100").await;
        let supplies = app.account("5000").await;
        app.post("/api/v1/journal_entries", json!({"date": "2026-02-01", "post": true, "lines": [
            {"account_id": supplies, "debit": "80.00"},
            {"account_id": ap, "credit": "80.00", "contact_id": id}
        ]})).await.expect(201);
        let g = app.get(&format!("/api/v1/vendors/{id}")).await.expect(200);
        assert_eq!(g.raw("/balance"), "80.00");
        let r = app.delete(&format!("/api/v1/vendors/{id}")).await.expect(409);
        assert_eq!(r.json["code"], "conflict");
        app.put(&format!("/api/v1/vendors/{id}"), json!({"currency": "EUR"})).await.expect(409);
        let d = app.post("/api/v1/vendors", json!({"name": "Gone Soon"})).await.expect(201).str("/id");
        app.delete(&format!("/api/v1/vendors/{d}")).await.expect(204);
        app.get(&format!("/api/v1/vendors/{d}")).await.expect(404);
        assert_eq!(
            events(&app, "vendor.").await,
            ["vendor.created", "vendor.updated", "vendor.created", "vendor.deleted"]
        );
        // Webhook data is the vendor as the API shows it.
        let mut conn = app.services.store.pool().acquire().await.unwrap();
        let created = ferrobooks_store::outbox::list(&mut conn, &app.org_id).await.unwrap();
        let (_, payload) = created.iter().find(|(k, _)| k == "vendor.created").unwrap();
        let data: serde_json::Value = serde_json::from_str(payload).unwrap();
        assert_eq!(data["track_1099"], true, "{payload}");
        assert!(data.as_object().unwrap().contains_key("source_of_supply"), "{payload}");
        assert!(!data.as_object().unwrap().contains_key("place_of_supply"), "{payload}");
    }
}

backend_test! {
    async fn bad_vendors_are_refused_and_nothing_is_written(app: TestApp) {
        for (body, field) in [
            (json!({"email": "x@y.test"}), "name"),
            (json!({"name": "A", "tax_id": "123"}), "tax_id"),
            (json!({"name": "A", "tax_id": "12-345678X"}), "tax_id"),
            (json!({"name": "A", "tax_id": "1-23456789"}), "tax_id"),
            (json!({"name": "A", "payment_terms": 400}), "payment_terms"),
            (json!({"name": "A", "sez": true}), "sez"),
            (json!({"name": "A", "place_of_supply": "CA"}), "place_of_supply"),
            (json!({"name": "A", "currency": "XXX1"}), "currency"),
        ] {
            let r = app.post("/api/v1/vendors", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        // A customer has no 1099 flag.
        let r = app.post("/api/v1/customers", json!({"name": "A", "track_1099": true})).await.expect(400);
        assert!(r.json["details"]["track_1099"].is_string(), "{}", r.text);
        assert_eq!(app.count("vendors").await, 0);
        assert_eq!(app.count("customers").await, 0);
    }
}

backend_test! {
    #[country("IN", "INR")]
    async fn indian_vendors_supply_from_their_gstin_state(app: TestApp) {
        let v = app.post("/api/v1/vendors", json!({"name": "Mumbai Traders", "tax_id": "27AAPFU0939F1ZV"})).await.expect(201);
        assert_eq!(v.str("/source_of_supply"), "27");
        let v = app.post("/api/v1/vendors", json!({"name": "Karnataka Mills", "source_of_supply": "KA"})).await.expect(201);
        assert_eq!(v.str("/source_of_supply"), "29");
        let r = app.post("/api/v1/vendors", json!({"name": "Bad", "tax_id": "27AAPFU0939F1ZX"})).await.expect(400);
        assert!(r.json["details"]["tax_id"].is_string(), "{}", r.text);
        let r = app.post("/api/v1/vendors", json!({"name": "Bad", "source_of_supply": "ZZ"})).await.expect(400);
        assert!(r.json["details"]["source_of_supply"].is_string(), "{}", r.text);
        // 1099 reporting is American.
        let r = app.post("/api/v1/vendors", json!({"name": "Bad", "track_1099": true})).await.expect(400);
        assert!(r.json["details"]["track_1099"].is_string(), "{}", r.text);
        assert_eq!(app.count("vendors").await, 2);
    }
}
