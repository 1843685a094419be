use serde_json::json;

use ferrobooks_testkit::backend_test;

backend_test! {
    async fn read_and_change_settings(app: TestApp) {
        let r = app.get("/api/v1/organization").await.expect(200);
        assert_eq!(r.str("/id"), app.org_id.as_str());
        assert_eq!(r.str("/base_currency"), "USD");
        assert_eq!(r.str("/fiscal_year_start"), "01-01");
        let u = app
            .put("/api/v1/organization", json!({"name": "Renamed", "timezone": "America/New_York", "state": "CA"}))
            .await
            .expect(200);
        assert_eq!(u.str("/name"), "Renamed");
        assert_eq!(u.str("/state"), "CA");
        for bad in [
            json!({"base_currency": "DOLLARS"}),
            json!({"fiscal_year_start": "13-01"}),
            json!({"date_format": "YY"}),
            json!({"name": ""}),
            json!({"id": "org_x"}),
            json!({"country": "USA"}),
        ] {
            let r = app.put("/api/v1/organization", bad.clone()).await;
            assert_eq!(r.status, 400, "{bad}: {}", r.text);
        }
        assert_eq!(app.get("/api/v1/organization").await.str("/name"), "Renamed");
        // The base currency is fixed once the journal has entries.
        app.put("/api/v1/organization", json!({"base_currency": "EUR"})).await.expect(200);
        app.put("/api/v1/organization", json!({"base_currency": "USD"})).await.expect(200);
        crate::journal::entry(&app, "2026-01-01", "1.00", false).await.expect(201);
        app.put("/api/v1/organization", json!({"base_currency": "EUR"})).await.expect(409);
        app.put("/api/v1/organization", json!({"base_currency": "usd"})).await.expect(200);
        // An Indian GSTIN is checked, and must agree with the state.
        let india = app.put("/api/v1/organization", json!({"country": "IN", "state": "MH", "tax_id": "27AAPFU0939F1ZV"})).await.expect(200);
        assert_eq!(india.str("/state"), "27");
        app.put("/api/v1/organization", json!({"tax_id": "27AAPFU0939F1ZW"})).await.expect(400);
        app.put("/api/v1/organization", json!({"state": "KA"})).await.expect(400);
    }
}
