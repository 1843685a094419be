use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::{Backend, spawn_app_with};

backend_test! {
    async fn product_lifecycle(app: TestApp) {
        let sales = app.account("4000").await;
        let tax = app
            .post("/api/v1/taxes", json!({"name": "CA", "kind": "sales_tax", "components": [{"name": "CA State", "rate": "7.25"}]}))
            .await
            .expect(201)
            .str("/id");
        let p = app
            .post("/api/v1/products", json!({
                "name": "Widget", "sku": "W-1", "price": "19.99", "tax_id": tax,
                "track_inventory": true, "quantity_on_hand": "12.5", "reorder_level": 3
            }))
            .await
            .expect(201);
        let id = p.str("/id");
        assert_eq!(p.str("/type"), "goods");
        assert_eq!(p.raw("/price"), "19.99");
        assert_eq!(p.raw("/quantity_on_hand"), "12.5");
        assert_eq!(p.raw("/reorder_level"), "3");
        assert_eq!(p.str("/income_account_id"), sales, "defaults to Sales");
        let s = app.post("/api/v1/products", json!({"name": "Consulting", "type": "service", "price": 150})).await.expect(201);
        assert_eq!(s.raw("/price"), "150.00");
        let found = app.get("/api/v1/products?search=w-1").await.expect(200);
        assert_eq!(found.json["data"].as_array().unwrap().len(), 1);
        let u = app.send(reqwest::Method::PATCH, &format!("/api/v1/products/{id}"), Some(json!({"price": "21.00", "reorder_level": "5"})), None).await.expect(200);
        assert_eq!(u.raw("/price"), "21.00");
        assert_eq!(u.str("/sku"), "W-1");
        // Stock moves with documents, not edits.
        let r = app.put(&format!("/api/v1/products/{id}"), json!({"quantity_on_hand": 100})).await.expect(400);
        assert!(r.json["details"]["quantity_on_hand"].is_string());
        // A taken SKU.
        let r = app.post("/api/v1/products", json!({"name": "Other", "sku": "W-1"})).await.expect(400);
        assert!(r.json["details"]["sku"].is_string());
        app.delete(&format!("/api/v1/products/{id}")).await.expect(204);
        app.get(&format!("/api/v1/products/{id}")).await.expect(404);
        // Its SKU is free again.
        app.post("/api/v1/products", json!({"name": "Widget 2", "sku": "W-1"})).await.expect(201);
        let mut conn = app.services.store.pool().acquire().await.unwrap();
        let kinds: Vec<String> = ferrobooks_store::outbox::list(&mut conn, &app.org_id)
            .await
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| k.starts_with("product."))
            .collect();
        assert_eq!(kinds, ["product.created", "product.created", "product.updated", "product.deleted", "product.created"]);
    }
}

backend_test! {
    async fn bad_products_are_refused(app: TestApp) {
        let bank = app.account("1200").await;
        for (body, field) in [
            (json!({"price": 1}), "name"),
            (json!({"name": "A", "price": "-1"}), "price"),
            (json!({"name": "A", "price": "1.001"}), "price"),
            (json!({"name": "A", "type": "gadget"}), "type"),
            (json!({"name": "A", "tax_id": "tax_missing"}), "tax_id"),
            (json!({"name": "A", "income_account_id": bank}), "income_account_id"),
            (json!({"name": "A", "income_account_id": "acc_missing"}), "income_account_id"),
            (json!({"name": "A", "type": "service", "track_inventory": true}), "track_inventory"),
            (json!({"name": "A", "quantity_on_hand": 5}), "track_inventory"),
            (json!({"name": "A", "track_inventory": true, "quantity_on_hand": -5}), "quantity_on_hand"),
            (json!({"name": "A", "track_inventory": true, "reorder_level": "0.00001"}), "reorder_level"),
        ] {
            let r = app.post("/api/v1/products", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        app.post("/api/v1/products", json!({"name": "A", "quantity": 1})).await.expect(400);
        assert_eq!(app.count("products").await, 0);
    }
}

#[tokio::test]
async fn indian_products_carry_hsn_or_sac() {
    let app = spawn_app_with(Backend::Sqlite, "IN", "INR").await.unwrap();
    app.post(
        "/api/v1/products",
        json!({"name": "Laptop", "hsn_sac": "8471"}),
    )
    .await
    .expect(201);
    app.post(
        "/api/v1/products",
        json!({"name": "Audit", "type": "service", "hsn_sac": "998221"}),
    )
    .await
    .expect(201);
    for (body, why) in [
        (json!({"name": "X", "hsn_sac": "84A1"}), "letters"),
        (json!({"name": "X", "hsn_sac": "84711"}), "five digits"),
        (
            json!({"name": "X", "type": "service", "hsn_sac": "8471"}),
            "HSN on a service",
        ),
        (json!({"name": "X", "hsn_sac": "998221"}), "SAC on goods"),
    ] {
        let r = app.post("/api/v1/products", body).await.expect(400);
        assert!(
            r.json["details"]["hsn_sac"].is_string(),
            "{why}: {}",
            r.text
        );
    }
    assert_eq!(app.count("products").await, 2);
}
