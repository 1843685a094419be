use serde_json::json;

use ferrobooks_testkit::backend_test;

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
            .header("X-Organization-Id", app.org_id.as_str())
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
            .header("X-Organization-Id", foreign.id.as_str())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        let body = r.text().await.unwrap();
        assert!(body.contains("Key does not belong to this organization") && !body.contains("\"F\""));
    }
}

backend_test! {
    async fn keys_over_the_api(app: TestApp) {
        let r = app
            .post("/api/v1/keys/generate", json!({"name": "Production Key", "tier": "professional", "scopes": ["accounts:read", "journal_entries:write"]}))
            .await
            .expect(201);
        let key = r.str("/key");
        assert!(key.starts_with("sk_live_") && key.len() == 72);
        assert_eq!(r.str("/prefix"), &key[8..20]);
        assert_eq!(r.str("/tier"), "professional");
        assert_eq!(r.str("/organization_id"), app.org_id.as_str());
        let id = r.str("/id");
        // The new key works, within its scopes.
        app.send(reqwest::Method::GET, "/api/v1/accounts", None, Some(&key)).await.expect(200);
        app.send(reqwest::Method::GET, "/api/v1/reports/trial_balance", None, Some(&key)).await.expect(403);
        // Listed and read, never with the raw key.
        let list = app.get("/api/v1/keys").await.expect(200);
        assert!(!list.text.contains(&key) && !list.text.contains("key_hash"));
        assert_eq!(list.json["data"].as_array().unwrap().len(), 2);
        let one = app.get(&format!("/api/v1/keys/{id}")).await.expect(200);
        assert!(one.json.get("key").is_none());
        assert_eq!(one.json["scopes"], json!(["accounts:read", "journal_entries:write"]));
        // A key cannot grant more than it has, nor a higher tier, nor go account-wide.
        let small = Some(key.as_str());
        let r = app.send(reqwest::Method::POST, "/api/v1/keys/generate", Some(json!({"name": "x"})), small).await;
        assert_eq!(r.status, 403, "{}", r.text); // lacks keys:write
        let limited = app
            .post("/api/v1/keys/generate", json!({"name": "kw", "tier": "starter", "scopes": ["keys:*", "accounts:read"]}))
            .await
            .expect(201)
            .str("/key");
        let lk = Some(limited.as_str());
        for (body, why) in [
            (json!({"name": "a", "scopes": ["*"]}), "wider scopes"),
            (json!({"name": "b", "scopes": ["accounts:write"]}), "a scope it lacks"),
            (json!({"name": "c", "scopes": ["accounts:read"], "tier": "enterprise"}), "a higher tier"),
            (json!({"name": "d", "scopes": ["accounts:read"], "account_wide": true}), "account-wide"),
        ] {
            let r = app.send(reqwest::Method::POST, "/api/v1/keys/generate", Some(body), lk).await;
            assert_eq!(r.status, 403, "{why}: {}", r.text);
        }
        app.send(reqwest::Method::POST, "/api/v1/keys/generate", Some(json!({"name": "ok", "scopes": ["accounts:read"]})), lk)
            .await
            .expect(201);
        // Bad input.
        app.post("/api/v1/keys/generate", json!({"name": ""})).await.expect(400);
        app.post("/api/v1/keys/generate", json!({"name": "t", "tier": "platinum"})).await.expect(400);
        app.post("/api/v1/keys/generate", json!({"name": "t", "scopes": ["invoices"]})).await.expect(400);
        app.post("/api/v1/keys/generate", json!({"name": "t", "key": "sk_live_x"})).await.expect(400);
        // Revocation takes effect on the next request.
        app.delete(&format!("/api/v1/keys/{id}")).await.expect(204);
        app.send(reqwest::Method::GET, "/api/v1/accounts", None, Some(&key)).await.expect(401);
        app.delete(&format!("/api/v1/keys/{id}")).await.expect(404);
        // Revoked is gone, like every deleted resource (the command line's
        // `keys list` still shows it, with its state).
        app.get(&format!("/api/v1/keys/{id}")).await.expect(404);
        let listed = app.get("/api/v1/keys?limit=100").await.expect(200);
        assert!(listed.json["data"].as_array().unwrap().iter().all(|k| k["id"] != id.as_str()), "{}", listed.text);
        app.get("/api/v1/keys/key_nope").await.expect(404);
    }
}

backend_test! {
    async fn a_key_revoked_on_one_node_is_refused_on_another_within_a_second(app: TestApp) {
        // A second node on the same database, its key cache warm.
        let (other, stop, _) = ferrobooks_testkit::second_node(&app.db_url, ferrobooks_testkit::test_options()).await;
        let get = |base: String, key: String| {
            let client = app.client.clone();
            async move {
                client
                    .get(format!("{base}/api/v1/organization"))
                    .bearer_auth(key)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        let made = app.post("/api/v1/keys/generate", serde_json::json!({"name": "shared"})).await.expect(201);
        let (id, key) = (made.str("/id"), made.str("/key"));
        for _ in 0..3 {
            assert_eq!(get(other.clone(), key.clone()).await, 200);
            assert_eq!(get(app.base.clone(), key.clone()).await, 200);
        }
        app.delete(&format!("/api/v1/keys/{id}")).await.expect(204);
        let revoked = std::time::Instant::now();
        // Refused at once where it was revoked, and within a second elsewhere.
        assert_eq!(get(app.base.clone(), key.clone()).await, 401);
        loop {
            let status = get(other.clone(), key.clone()).await;
            if status == 401 {
                break;
            }
            assert_eq!(status, 200);
            assert!(revoked.elapsed() < std::time::Duration::from_secs(1), "still accepted after {:?}", revoked.elapsed());
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let _ = stop.send(());
    }
}
