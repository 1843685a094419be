//! Strict input: unknown or mistyped query parameters, filter values
//! outside their enum, bodies of the wrong shape, NUL characters, dates
//! outside the books' range, loose decimals, LIKE wildcards and `Accept`
//! headers the route cannot answer. Each is a 400 (or 406) naming what is
//! wrong, alike on both backends, and nothing is written.

use serde_json::json;

use ferrobooks_testkit::backend_test;

/// A POST with a raw body, for JSON the `json!` macro cannot write (a
/// number literal like `1.5e2`).
async fn post_raw(
    app: &ferrobooks_testkit::TestApp,
    path: &str,
    body: &str,
) -> ferrobooks_testkit::Resp {
    let r = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(&app.key)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    ferrobooks_testkit::into_resp(r).await
}

backend_test! {
    async fn query_parameters_are_checked(app: TestApp) {
        for (query, param) in [
            ("/api/v1/invoices?status=bogus", "status"),
            ("/api/v1/estimates?status=paid", "status"),
            ("/api/v1/journal_entries?status=open", "status"),
            ("/api/v1/accounts?type=cash", "type"),
            ("/api/v1/taxes?kind=gts", "kind"),
            ("/api/v1/customers?limt=5", "limt"),
            ("/api/v1/customers?limit=ten", "limit"),
            ("/api/v1/customers?limit=0", "limit"),
            ("/api/v1/customers?limit=101", "limit"),
            ("/api/v1/invoices?date_from=2026-13-01", "date_from"),
            ("/api/v1/reports/trial_balance?asof=2026-11-30", "asof"),
            ("/api/v1/general_ledger?date_to=yesterday", "date_to"),
        ] {
            let r = app.get(query).await.expect(400);
            assert!(
                r.json["code"] == "invalid_query" || r.json["code"] == "validation_failed",
                "{query}: {}",
                r.text
            );
            assert!(r.json["details"][param].is_string(), "{query}: {}", r.text);
        }
        // The valid forms still work.
        app.get("/api/v1/invoices?status=overdue&limit=5").await.expect(200);
        app.get("/api/v1/credit_notes?status=open").await.expect(200);
        app.get("/api/v1/accounts?type=asset&active=true").await.expect(200);
    }
}

backend_test! {
    async fn bodies_of_the_wrong_shape_name_the_field(app: TestApp) {
        let r = app.post("/api/v1/customers", json!({"name": "A", "payment_terms": "thirty"})).await.expect(400);
        assert_eq!(r.json["code"], "invalid_json");
        assert_eq!(
            r.json["details"]["payment_terms"],
            "must be a whole number, not the text \"thirty\"",
            "{}",
            r.text
        );
        let r = app.post("/api/v1/customers", json!({"name": "A", "colour": "red"})).await.expect(400);
        assert_eq!(r.json["code"], "validation_failed");
        assert!(r.json["details"]["colour"].as_str().unwrap().contains("payment_terms"), "{}", r.text);
        let r = app.post("/api/v1/customers", json!({"name": "A", "billing_address": {"line1": "x", "zip": "1"}})).await.expect(400);
        assert!(r.json["details"]["billing_address.zip"].is_string(), "{}", r.text);
        // A JSON number with a zero fraction is a whole number.
        let r = app.post("/api/v1/customers", json!({"name": "Whole", "payment_terms": 30.0})).await.expect(201);
        assert_eq!(r.json["payment_terms"], 30);
        app.post("/api/v1/customers", json!({"name": "A", "payment_terms": 30.5})).await.expect(400);
        let c = app.post("/api/v1/customers", json!({"name": "Acme"})).await.expect(201).str("/id");
        let r = app
            .post("/api/v1/invoices", json!({"customer_id": c, "lines": [{"quantity": 1, "unit_price": "5"}, {"quantity": true}]}))
            .await
            .expect(400);
        assert!(r.json["details"]["lines[1].quantity"].is_string(), "{}", r.text);
        let r = app.post("/api/v1/journal_entries", json!({"memo": "no date"})).await.expect(400);
        assert_eq!(r.json["details"]["date"], "is required", "{}", r.text);
        assert_eq!(app.count("documents").await, 0);
        assert_eq!(app.count("journal_entries").await, 0);
        assert_eq!(app.count("customers").await, 2);
    }
}

backend_test! {
    async fn nul_is_refused_alike(app: TestApp) {
        let r = app.post("/api/v1/customers", json!({"name": "a\u{0}b"})).await.expect(400);
        assert_eq!(r.json["code"], "validation_failed");
        let r = app.post("/api/v1/customers", json!({"name": "A", "email": "x@y.z", "phone": "1\u{0}"})).await.expect(400);
        assert_eq!(r.json["code"], "validation_failed");
        assert_eq!(app.count("customers").await, 0);
        for path in ["/api/v1/customers?search=a%00b", "/api/v1/customers/cus_a%00b", "/api/v1/journal_entries?search=%00"] {
            let r = app.get(path).await.expect(400);
            assert_eq!(r.json["code"], "invalid_query", "{path}");
        }
        // An escaped backslash before u0000 is only text.
        let r = app.post("/api/v1/customers", json!({"name": "C:\\u0000"})).await.expect(201);
        assert_eq!(r.json["name"], "C:\\u0000");
    }
}

backend_test! {
    async fn like_wildcards_are_literal(app: TestApp) {
        for name in ["Acme", "50% Off Ltd", "Under_score"] {
            app.post("/api/v1/customers", json!({"name": name})).await.expect(201);
        }
        let names = |r: ferrobooks_testkit::Resp| -> Vec<String> {
            r.json["data"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(names(app.get("/api/v1/customers?search=%25").await.expect(200)), ["50% Off Ltd"]);
        assert_eq!(names(app.get("/api/v1/customers?search=_").await.expect(200)), ["Under_score"]);
        assert_eq!(names(app.get("/api/v1/customers?search=%5C").await.expect(200)), Vec::<String>::new());
        assert_eq!(names(app.get("/api/v1/customers?search=acme").await.expect(200)), ["Acme"]);
        assert!(app.get("/api/v1/accounts?search=%25").await.expect(200).json["data"].as_array().unwrap().is_empty());
    }
}

backend_test! {
    async fn dates_stay_in_the_books_range(app: TestApp) {
        let c = app.post("/api/v1/customers", json!({"name": "Acme", "payment_terms": 30})).await.expect(201).str("/id");
        let line = json!([{"description": "x", "quantity": 1, "unit_price": "10.00"}]);
        for date in ["9999-12-31", "0000-01-01", "1899-12-31", "2200-01-01", "+2026-01-01"] {
            let r = app.post("/api/v1/invoices", json!({"customer_id": c, "date": date, "lines": line})).await.expect(400);
            assert!(r.json["details"]["date"].is_string(), "{date}: {}", r.text);
        }
        // The due date computed from the terms is checked too.
        let r = app.post("/api/v1/invoices", json!({"customer_id": c, "date": "2199-12-20", "lines": line})).await.expect(400);
        assert!(r.json["details"]["due_date"].as_str().unwrap().contains("2199-12-31"), "{}", r.text);
        let ok = app.post("/api/v1/invoices", json!({"customer_id": c, "date": "2199-12-01", "lines": line})).await.expect(201);
        assert_eq!(ok.json["due_date"], "2199-12-31");
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        let r = app
            .post("/api/v1/journal_entries", json!({"date": "1899-12-31", "lines": [
                {"account_id": bank, "debit": "1"}, {"account_id": sales, "credit": "1"}]}))
            .await
            .expect(400);
        assert!(r.json["details"]["date"].is_string(), "{}", r.text);
        app.get("/api/v1/reports/trial_balance?as_of=9999-12-31").await.expect(400);
        app.get("/api/v1/customers?updated_since=0000-01-01T00:00:00Z").await.expect(400);
        assert_eq!(app.count("journal_entries").await, 0);
    }
}

backend_test! {
    async fn settings_are_checked_against_their_standards(app: TestApp) {
        for (body, field) in [
            (json!({"timezone": "Mars/Phobos"}), "timezone"),
            (json!({"country": "ZZ"}), "country"),
            (json!({"state": "Atlantis"}), "state"),
        ] {
            let r = app.put("/api/v1/organization", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        let r = app.put("/api/v1/organization", json!({"timezone": "America/Chicago", "state": "US-IL"})).await.expect(200);
        assert_eq!(r.json["timezone"], "America/Chicago");
        assert_eq!(r.json["state"], "IL");
        let r = app.post("/api/v1/customers", json!({"name": "A", "currency": "XYZ"})).await.expect(400);
        assert!(r.json["details"]["currency"].is_string(), "{}", r.text);
        for scopes in [json!(["root:*"]), json!(["bogus:read"]), json!(["invoices:delete"])] {
            let r = app.post("/api/v1/keys/generate", json!({"name": "k", "scopes": scopes})).await.expect(400);
            assert!(r.json["details"]["scopes[0]"].is_string(), "{scopes}: {}", r.text);
        }
        app.post("/api/v1/keys/generate", json!({"name": "k", "scopes": ["invoices:*", "*:read"]})).await.expect(201);
    }
}

backend_test! {
    async fn decimals_have_one_grammar(app: TestApp) {
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        for bad in ["\" 5\"", "\"5 \"", "\".5\"", "\"5.\"", "\"1e3\"", "1.5e2", "\"+5\"", "\"1,000\"", "\"5_0\""] {
            let body = format!(
                r#"{{"date": "2026-11-01", "lines": [{{"account_id": "{bank}", "debit": {bad}}}, {{"account_id": "{sales}", "credit": {bad}}}]}}"#
            );
            let r = post_raw(&app, "/api/v1/journal_entries", &body).await.expect(400);
            assert!(r.json["details"].is_object(), "{bad}: {}", r.text);
        }
        assert_eq!(app.count("journal_entries").await, 0);
        let body = format!(
            r#"{{"date": "2026-11-01", "lines": [{{"account_id": "{bank}", "debit": 5.50}}, {{"account_id": "{sales}", "credit": "5.5"}}]}}"#
        );
        post_raw(&app, "/api/v1/journal_entries", &body).await.expect(201);
    }
}

backend_test! {
    async fn accept_is_negotiated(app: TestApp) {
        let get = |path: &'static str, accept: &'static str| app.get_accepting(path, accept);
        let r = get("/api/v1/customers", "text/csv").await.expect(406);
        assert_eq!(r.json["code"], "not_acceptable");
        get("/api/v1/customers", "text/html, application/json;q=0").await.expect(406);
        get("/api/v1/customers", "*/*").await.expect(200);
        get("/api/v1/customers", "application/*").await.expect(200);
        get("/api/v1/customers", "application/json").await.expect(200);
        get("/api/v1/general_ledger", "text/html").await.expect(406);
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        app.post("/api/v1/journal_entries", json!({"date": "2026-11-01", "memo": "=cmd()", "post": true, "lines": [
            {"account_id": bank, "debit": "15.00"}, {"account_id": sales, "credit": "15.00"}]})).await.expect(201);
        let r = get("/api/v1/general_ledger?date_from=2026-11-01&date_to=2026-11-30", "text/csv").await.expect(200);
        assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        let mut lines = r.text.lines();
        assert_eq!(lines.next().unwrap(), "account_code,account_name,date,number,memo,reference,description,debit,credit,balance");
        assert!(r.text.contains("1200,"), "{}", r.text);
        assert!(r.text.contains(",JE-000001,'=cmd(),"), "formula guarded: {}", r.text);
        assert!(r.text.contains(",Closing balance,,,15.00,0.00,15.00"), "{}", r.text);
        let r = get("/api/v1/general_ledger?date_from=2026-11-01&date_to=2026-11-30", "application/json, text/csv").await.expect(200);
        assert!(r.json["accounts"].is_array(), "JSON when named first");
        let r = get("/api/v1/reports/trial_balance?as_of=2026-11-30", "text/csv").await.expect(200);
        assert!(r.text.starts_with("code,name,type,debit,credit"));
    }
}
