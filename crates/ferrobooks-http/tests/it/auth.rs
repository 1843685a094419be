use serde_json::json;

use crate::backend_test;

backend_test! {
    async fn scopes_limit_what_a_key_does(app: TestApp) {
        let key = app
            .services
            .create_key(&app.tenant_id, Some(&app.org_id), "ro", None, Some(vec!["accounts:read".into(), "journal_entries:*".into()]))
            .await
            .unwrap()
            .raw;
        let k = Some(key.as_str());
        app.send(reqwest::Method::GET, "/api/v1/accounts", None, k).await.expect(200);
        let r = app
            .send(reqwest::Method::POST, "/api/v1/accounts", Some(json!({"code": "9", "name": "x", "type": "expense"})), k)
            .await
            .expect(403);
        assert_eq!(r.json["code"], "insufficient_scope");
        assert!(r.str("/error").contains("accounts:write"));
        app.send(reqwest::Method::GET, "/api/v1/journal_entries", None, k).await.expect(200);
        let r = app.send(reqwest::Method::GET, "/api/v1/reports/trial_balance", None, k).await.expect(403);
        assert!(r.str("/error").contains("reports:read"));
        app.send(reqwest::Method::GET, "/api/v1/organization", None, k).await.expect(403);
        let r = app.get("/api/v1/accounts?search=9").await.expect(200);
        assert!(r.json["data"].as_array().unwrap().iter().all(|a| a["code"] != "9"), "nothing written");
    }
}

backend_test! {
    async fn revoked_keys_stop_at_once(app: TestApp) {
        let nk = app.services.create_key(&app.tenant_id, Some(&app.org_id), "tmp", None, None).await.unwrap();
        app.send(reqwest::Method::GET, "/api/v1/accounts", None, Some(&nk.raw)).await.expect(200);
        app.services.revoke_key(&app.tenant_id, &nk.row.id).await.unwrap();
        assert!(app.services.revoke_key(&app.tenant_id, &nk.row.id).await.is_err(), "revoked once");
        let r = app.send(reqwest::Method::GET, "/api/v1/accounts", None, Some(&nk.raw)).await.expect(401);
        assert!(r.str("/error").contains("revoked"));
        // Stored as a hash, never the raw key.
        let stored = ferrobooks_store::tenancy::key_by_prefix(app.services.store.pool(), &nk.row.prefix).await.unwrap().unwrap();
        assert!(!stored.key_hash.contains(&nk.raw[8..]));
        assert_eq!(stored.key_hash.len(), 64);
    }
}

backend_test! {
    async fn account_wide_keys_name_their_organization(app: TestApp) {
        let wide = app.services.create_key(&app.tenant_id, None, "wide", Some("professional"), None).await.unwrap().raw;
        let r = app.send(reqwest::Method::GET, "/api/v1/organization", None, Some(&wide)).await.expect(400);
        assert!(r.text.contains("X-Organization-Id"));
        let ok = app
            .client
            .get(format!("{}/api/v1/organization", app.base))
            .bearer_auth(&wide)
            .header("X-Organization-Id", &app.org_id)
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status().as_u16(), 200);
        // An organization of another tenant: 403, and none of its data.
        let other_tenant = format!("tnt_other_{}", rand::random::<u32>());
        sqlx::query("INSERT INTO tenants (id, name, created_at) VALUES ($1, 'x', 'now')")
            .bind(&other_tenant)
            .execute(app.services.store.pool())
            .await
            .unwrap();
        let foreign = app
            .services
            .create_organization(Some(&other_tenant), serde_json::from_value(json!({"name": "F", "base_currency": "EUR", "country": "DE"})).unwrap())
            .await
            .unwrap();
        let r = app
            .client
            .get(format!("{}/api/v1/organization", app.base))
            .bearer_auth(&wide)
            .header("X-Organization-Id", &foreign.id)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        let body = r.text().await.unwrap();
        assert!(body.contains("Key does not belong to this organization") && !body.contains("\"F\""));
    }
}
