use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::{Backend, spawn_app_with};

backend_test! {
    async fn customer_lifecycle_and_balance(app: TestApp) {
        let c = app
            .post("/api/v1/customers", json!({
                "name": "Acme Ltd", "email": "ap@acme.test", "phone": "+1 555 0100",
                "billing_address": {"line1": "1 Main St", "city": "Springfield", "country": "US"},
                "contact_persons": [{"name": "Wile E.", "email": "wile@acme.test", "is_primary": true}]
            }))
            .await
            .expect(201);
        let id = c.str("/id");
        assert_eq!(c.str("/currency"), "USD");
        assert_eq!(c.json["payment_terms"], 30);
        assert_eq!(c.raw("/balance"), "0.00");
        assert_eq!(c.str("/billing_address/city"), "Springfield");
        assert_eq!(c.json["contact_persons"][0]["is_primary"], true);
        let list = app.get("/api/v1/customers?search=acme").await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
        let u = app.send(reqwest::Method::PATCH, &format!("/api/v1/customers/{id}"), Some(json!({"payment_terms": 45})), None).await.expect(200);
        assert_eq!(u.json["payment_terms"], 45);
        assert_eq!(u.str("/name"), "Acme Ltd");
        // An invoice-like posting on receivables names the customer.
        let ar = app.account("1100").await;
        let sales = app.account("4000").await;
        app.post("/api/v1/journal_entries", json!({"date": "2026-02-01", "post": true, "lines": [
            {"account_id": ar, "debit": "50.00", "contact_id": id},
            {"account_id": sales, "credit": "50.00"}
        ]})).await.expect(201);
        let g = app.get(&format!("/api/v1/customers/{id}")).await.expect(200);
        assert_eq!(g.raw("/balance"), "50.00");
        app.delete(&format!("/api/v1/customers/{id}")).await.expect(409);
        app.put(&format!("/api/v1/customers/{id}"), json!({"currency": "EUR"})).await.expect(409);
        // One without transactions deletes, then is 404.
        let d = app.post("/api/v1/customers", json!({"name": "Gone Soon"})).await.expect(201).str("/id");
        app.delete(&format!("/api/v1/customers/{d}")).await.expect(204);
        app.get(&format!("/api/v1/customers/{d}")).await.expect(404);
        let mut conn = app.services.store.pool().acquire().await.unwrap();
        let kinds: Vec<String> = ferrobooks_store::outbox::list(&mut conn, &app.org_id)
            .await
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| k.starts_with("customer."))
            .collect();
        assert_eq!(kinds, ["customer.created", "customer.updated", "customer.created", "customer.deleted"]);
    }
}

backend_test! {
    async fn bad_customers_are_refused(app: TestApp) {
        for (body, field) in [
            (json!({"email": "x@y.test"}), "name"),
            (json!({"name": " "}), "name"),
            (json!({"name": "A", "email": "not-an-email"}), "email"),
            (json!({"name": "A", "payment_terms": 400}), "payment_terms"),
            (json!({"name": "A", "currency": "EURO"}), "currency"),
            (json!({"name": "A", "contact_persons": [{"name": "x", "is_primary": true}, {"name": "y", "is_primary": true}]}), "contact_persons"),
            (json!({"name": "A", "contact_persons": [{"name": "x", "email": "bad"}]}), "contact_persons[0].email"),
        ] {
            let r = app.post("/api/v1/customers", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        for body in [
            json!({"name": "A", "balance": 5}),
            json!({"name": "A", "id": "cus_x"}),
            json!({"name": "A", "billing_address": {"street": "x"}}),
        ] {
            let r = app.post("/api/v1/customers", body.clone()).await.expect(400);
            assert_eq!(r.json["code"], "validation_failed", "{body}");
            assert!(r.json["details"].is_object(), "{body}: {}", r.text);
        }
        assert_eq!(app.count("customers").await, 0);
    }
}

#[tokio::test]
async fn indian_customers_carry_a_checked_gstin() {
    let app = spawn_app_with(Backend::Sqlite, "IN", "INR").await.unwrap();
    let r = app
        .post(
            "/api/v1/customers",
            json!({"name": "Mumbai Co", "tax_id": "27AAPFU0939F1ZV"}),
        )
        .await
        .expect(201);
    assert_eq!(r.str("/place_of_supply"), "27");
    assert_eq!(r.str("/currency"), "INR");
    let r = app
        .post(
            "/api/v1/customers",
            json!({"name": "Bad", "tax_id": "27AAPFU0939F1ZW"}),
        )
        .await
        .expect(400);
    assert!(
        r.json["details"]["tax_id"]
            .as_str()
            .unwrap()
            .contains("check character")
    );
    let r = app
        .post(
            "/api/v1/customers",
            json!({"name": "Bad", "place_of_supply": "XX"}),
        )
        .await
        .expect(400);
    assert!(r.json["details"]["place_of_supply"].is_string());
    let r = app
        .post(
            "/api/v1/customers",
            json!({"name": "Bengaluru Co", "place_of_supply": "KA"}),
        )
        .await
        .expect(201);
    assert_eq!(r.str("/place_of_supply"), "29");
    assert_eq!(app.count("customers").await, 2);
}
