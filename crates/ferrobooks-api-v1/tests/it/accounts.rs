use serde_json::json;

use ferrobooks_testkit::backend_test;

backend_test! {
    async fn chart_is_seeded_per_country(app: TestApp) {
        let r = app.get("/api/v1/accounts?limit=100").await.expect(200);
        let codes: Vec<&str> = r.json["data"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"1100") && codes.contains(&"2230") && !codes.contains(&"2205"));
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted, "the seeded chart lists in code order");
        let org = app
            .services
            .create_organization(Some(&app.tenant_id), serde_json::from_value(json!({
                "name": "India Co", "base_currency": "INR", "country": "IN", "tax_id": "27AAPFU0939F1ZV"
            })).unwrap())
            .await
            .unwrap();
        assert_eq!(org.state.as_deref(), Some("27"));
        assert_eq!(org.fiscal_year_start, "04-01");
        let key = app.services.create_key(&app.tenant_id, Some(&org.id), "in", None, None).await.unwrap().raw;
        let r = app.send(reqwest::Method::GET, "/api/v1/accounts?limit=100", None, Some(&key)).await.expect(200);
        assert!(r.text.contains("\"output_igst\"") && r.text.contains("\"INR\""));
    }
}

backend_test! {
    async fn account_lifecycle(app: TestApp) {
        let r = app
            .post("/api/v1/accounts", json!({"code": "1250", "name": "  Savings  ", "type": "asset", "subtype": "bank"}))
            .await
            .expect(201);
        let id = r.str("/id");
        assert_eq!(r.str("/name"), "Savings");
        assert_eq!(r.str("/currency"), "USD");
        assert_eq!(r.raw("/balance"), "0.00");
        assert!(r.json["active"].as_bool().unwrap());
        // A foreign-currency account takes no base-currency entries.
        let eur = app
            .post("/api/v1/accounts", json!({"code": "1260", "name": "EUR bank", "type": "asset", "subtype": "bank", "currency": "eur"}))
            .await
            .expect(201);
        assert_eq!(eur.str("/currency"), "EUR");
        let sales0 = app.account("4000").await;
        let r = app.post("/api/v1/journal_entries", json!({"date": "2026-01-02", "lines": [
            {"account_id": eur.str("/id"), "debit": "1"}, {"account_id": sales0, "credit": "1"}
        ]})).await.expect(400);
        assert!(r.json["details"]["lines[0].account_id"].as_str().unwrap().contains("EUR"), "{}", r.text);
        // Same code again: 400 naming the code.
        let d = app
            .post("/api/v1/accounts", json!({"code": "1250", "name": "Again", "type": "asset"}))
            .await
            .expect(400);
        assert_eq!(d.json["code"], "duplicate_code");
        // Bad type, subtype, code.
        app.post("/api/v1/accounts", json!({"code": "1", "name": "x", "type": "cash"})).await.expect(400);
        app.post("/api/v1/accounts", json!({"code": "2", "name": "x", "type": "income", "subtype": "bank"})).await.expect(400);
        app.post("/api/v1/accounts", json!({"code": "a b", "name": "x", "type": "income"})).await.expect(400);
        app.post("/api/v1/accounts", json!({"code": "3", "name": " ", "type": "income"})).await.expect(400);
        app.post("/api/v1/accounts", json!({"code": "4", "name": "x", "type": "income", "balance": 5})).await.expect(400);
        // Update.
        let u = app.put(&format!("/api/v1/accounts/{id}"), json!({"name": "Savings 2", "description": "HSBC"})).await.expect(200);
        assert_eq!(u.str("/name"), "Savings 2");
        assert_eq!(u.str("/code"), "1250");
        // Balance follows postings, on the normal side.
        let sales = app.account("4000").await;
        app.post("/api/v1/journal_entries", json!({"date": "2026-01-02", "post": true, "lines": [
            {"account_id": id, "debit": "40.10"}, {"account_id": sales, "credit": "40.10"}
        ]})).await.expect(201);
        let g = app.get(&format!("/api/v1/accounts/{id}")).await.expect(200);
        assert_eq!(g.raw("/balance"), "40.10");
        let s = app.get(&format!("/api/v1/accounts/{sales}")).await.expect(200);
        assert_eq!(s.raw("/balance"), "40.10");
        // With postings: no delete, no type change; archive works.
        app.delete(&format!("/api/v1/accounts/{id}")).await.expect(409);
        app.put(&format!("/api/v1/accounts/{id}"), json!({"type": "expense"})).await.expect(409);
        let a = app.post(&format!("/api/v1/accounts/{id}/archive"), json!({})).await.expect(200);
        assert!(!a.json["active"].as_bool().unwrap());
        let archived = app.get("/api/v1/accounts?active=false").await.expect(200);
        assert_eq!(archived.json["data"].as_array().unwrap().len(), 1);
        // System accounts cannot be deleted.
        let ar = app.account("1100").await;
        app.delete(&format!("/api/v1/accounts/{ar}")).await.expect(409);
        // A fresh account without postings deletes, then is 404.
        let f = app.post("/api/v1/accounts", json!({"code": "6001", "name": "Temp", "type": "expense"})).await.expect(201);
        let fid = f.str("/id");
        app.delete(&format!("/api/v1/accounts/{fid}")).await.expect(204);
        app.get(&format!("/api/v1/accounts/{fid}")).await.expect(404);
        // Its code is free again.
        app.post("/api/v1/accounts", json!({"code": "6001", "name": "Temp again", "type": "expense"})).await.expect(201);
    }
}

backend_test! {
    async fn account_events_reach_the_outbox(app: TestApp) {
        let r = app.post("/api/v1/accounts", json!({"code": "6100", "name": "Rent", "type": "expense"})).await.expect(201);
        let id = r.str("/id");
        app.put(&format!("/api/v1/accounts/{id}"), json!({"name": "Office rent"})).await.expect(200);
        app.delete(&format!("/api/v1/accounts/{id}")).await.expect(204);
        let mut conn = app.services.store.pool().acquire().await.unwrap();
        let events = ferrobooks_store::outbox::list(&mut conn, &app.org_id).await.unwrap();
        let kinds: Vec<&str> = events.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kinds, ["account.created", "account.updated", "account.deleted"]);
        assert!(events[1].1.contains("Office rent"));
        // A refused change emits nothing.
        app.post("/api/v1/accounts", json!({"code": "6100", "name": "", "type": "expense"})).await.expect(400);
        assert_eq!(app.count("outbox_events").await, 3);
    }
}

ferrobooks_testkit::backend_test! {
    async fn parent_accounts_nest_with_subtotals(app: TestApp) {
        let new = |code: &str, name: &str, t: &str, parent: Option<&str>| json!({"code": code, "name": name, "type": t, "parent_id": parent});
        let office = app.post("/api/v1/accounts", new("6000", "Office", "expense", None)).await.expect(201).str("/id");
        let supplies = app.post("/api/v1/accounts", new("6100", "Supplies", "expense", Some(&office))).await.expect(201);
        assert_eq!(supplies.str("/parent_id"), office);
        let supplies = supplies.str("/id");
        let paper = app.post("/api/v1/accounts", new("6110", "Paper", "expense", Some(&supplies))).await.expect(201).str("/id");
        let rent = app.post("/api/v1/accounts", new("6200", "Rent", "expense", None)).await.expect(201).str("/id");
        let bank = app.account("1200").await;
        for (account, amount) in [(&supplies, "100.00"), (&paper, "25.50"), (&rent, "1000.00")] {
            app.post("/api/v1/journal_entries", json!({"date": "2026-03-01", "post": true, "lines": [
                {"account_id": account, "debit": amount}, {"account_id": bank, "credit": amount}]})).await.expect(201);
        }
        let p = app.get("/api/v1/reports/profit_and_loss?date_from=2026-01-01&date_to=2026-12-31").await.expect(200);
        let lines: Vec<(String, u64, bool, String)> = p.json["sections"][2]["lines"].as_array().unwrap().iter().enumerate()
            .map(|(i, l)| (l["name"].as_str().unwrap().to_owned(), l["depth"].as_u64().unwrap(), l["subtotal"].as_bool().unwrap(), p.raw(&format!("/sections/2/lines/{i}/amount"))))
            .collect();
        let row = |n: &str, d: u64, s: bool, a: &str| (n.to_owned(), d, s, a.to_owned());
        assert_eq!(lines, [
            row("Office", 0, false, "0.00"),
            row("Supplies", 1, false, "100.00"),
            row("Paper", 2, false, "25.50"),
            row("Total Supplies", 1, true, "125.50"),
            row("Total Office", 0, true, "125.50"),
            row("Rent", 0, false, "1000.00"),
        ]);
        assert_eq!(p.raw("/sections/2/total"), "1125.50", "subtotals are not counted twice");
        // Side by side, the tree keeps its order.
        let c = app.get("/api/v1/reports/profit_and_loss?date_from=2026-01-01&date_to=2026-12-31&compare=year").await.expect(200);
        assert_eq!(c.json["comparison"]["sections"][2]["lines"][3]["name"], "Total Supplies");
        assert_eq!(c.raw("/comparison/sections/2/lines/3/amounts/1"), "125.50");

        // What cannot be: another type, itself, a loop, too deep, gone.
        let equity = app.account("3000").await;
        for (body, why) in [
            (json!({"parent_id": equity}), "same type"),
            (json!({"parent_id": office}), "itself"),
            (json!({"parent_id": paper}), "itself"),
            (json!({"parent_id": "acc_nope"}), "no account"),
        ] {
            let r = app.put(&format!("/api/v1/accounts/{office}"), body.clone()).await.expect(400);
            assert!(r.json["details"]["parent_id"].as_str().unwrap().contains(why), "{body}: {}", r.text);
        }
        let mut parent = paper.clone();
        for i in 0..3 {
            parent = app.post("/api/v1/accounts", new(&format!("61{}0", i + 2), "Deeper", "expense", Some(&parent))).await.expect(201).str("/id");
        }
        let r = app.post("/api/v1/accounts", new("6190", "Too deep", "expense", Some(&parent))).await.expect(400);
        assert!(r.json["details"]["parent_id"].is_string(), "{}", r.text);
        let r = app.delete(&format!("/api/v1/accounts/{office}")).await.expect(409);
        assert!(r.str("/error").contains("move them first"), "{}", r.text);
        let r = app.put(&format!("/api/v1/accounts/{rent}"), json!({"type": "asset"})).await.expect(409);
        assert!(r.str("/error").contains("journal lines"), "{}", r.text);
        let empty = app.post("/api/v1/accounts", new("6300", "Empty", "expense", Some(&office))).await.expect(201).str("/id");
        let r = app.put(&format!("/api/v1/accounts/{empty}"), json!({"type": "asset"})).await.expect(400);
        assert!(r.json["details"]["type"].is_string(), "{}", r.text);
        // null takes an account out from under its parent.
        let moved = app.put(&format!("/api/v1/accounts/{supplies}"), json!({"parent_id": null})).await.expect(200);
        assert!(moved.json["parent_id"].is_null());
        let p = app.get("/api/v1/reports/profit_and_loss?date_from=2026-01-01&date_to=2026-12-31").await.expect(200);
        assert_eq!(p.raw("/sections/2/total"), "1125.50");
        // And the type change that was refused persists when allowed.
        let t = app.put(&format!("/api/v1/accounts/{empty}"), json!({"parent_id": null, "type": "asset"})).await.expect(200);
        assert_eq!(t.str("/type"), "asset");
        assert_eq!(app.get(&format!("/api/v1/accounts/{empty}")).await.expect(200).str("/type"), "asset");
    }
}
