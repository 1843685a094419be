//! Every documented route, driven from the OpenAPI document: with a key that
//! lacks its scope (403) and with one that has exactly it (not 403); and
//! with another organization's ids (404, none of its data).

use serde_json::{Value, json};

use ferrobooks_testkit::TestApp;
use ferrobooks_testkit::backend_test;

/// (method, path template, declared scope) of every /api/v1 operation.
async fn operations(app: &TestApp) -> Vec<(String, String, String)> {
    let doc = app
        .send(reqwest::Method::GET, "/api/v1/openapi.json", None, Some(""))
        .await
        .expect(200)
        .json;
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            // The OpenAPI document itself is public.
            let Some(scope) = op["security"][0]["bearer"][0].as_str() else {
                assert_eq!(
                    path, "/api/v1/openapi.json",
                    "{method} {path} declares no scope"
                );
                continue;
            };
            let scope = scope.to_owned();
            ops.push((method.to_uppercase(), path.clone(), scope));
        }
    }
    assert!(ops.len() >= 25, "{}", ops.len());
    ops
}

/// A real scope that does not cover `scope`.
fn other_scope(scope: &str) -> String {
    if scope.starts_with("webhooks:") {
        "accounts:read"
    } else {
        "webhooks:read"
    }
    .to_owned()
}

/// A credential with exactly `scope` for a route: an API key, or for the
/// routes of a user's own tokens (which keys may not use) a token of an
/// owner.
async fn credential(app: &TestApp, path: &str, scope: String) -> String {
    if !path.starts_with("/api/v1/personal_access_tokens") {
        return app
            .services
            .create_key(
                &app.tenant_id,
                Some(&app.org_id),
                "matrix",
                None,
                Some(vec![scope]),
            )
            .await
            .unwrap()
            .raw;
    }
    let email = "matrix-owner@example.com";
    let user = match ferrobooks_store::users::find_user_by_email(app.services.store.pool(), email)
        .await
        .unwrap()
    {
        Some(u) => u,
        None => {
            app.services
                .create_user(
                    &app.tenant_id,
                    ferrobooks_domain::access::Role::Owner,
                    None,
                    ferrobooks_service::users::UserInput {
                        email: Some(email.into()),
                        role: Some("owner".into()),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            ferrobooks_store::users::find_user_by_email(app.services.store.pool(), email)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let org = ferrobooks_store::tenancy::get_organization(app.services.store.pool(), &app.org_id)
        .await
        .unwrap()
        .unwrap();
    let ctx = ferrobooks_service::tokens::user_context(&user, org, vec![]).unwrap();
    app.services
        .mint_token(
            &ctx,
            ferrobooks_service::tokens::NewTokenRequest {
                name: "matrix".into(),
                scopes: Some(vec![scope]),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .token
}

fn method(m: &str) -> reqwest::Method {
    reqwest::Method::from_bytes(m.as_bytes()).unwrap()
}

fn body_for(m: &str) -> Option<Value> {
    (m != "GET" && m != "DELETE").then(|| json!({}))
}

backend_test! {
    async fn every_route_checks_its_scope(app: TestApp) {
        for (m, path, scope) in super::operations(&app).await {
            let mut concrete = path.replace("{id}", "x_missing");
            if path.ends_with("/calculate") {
                concrete.push_str("?amount=1");
            }
            let wrong = super::credential(&app, &path, super::other_scope(&scope)).await;
            let r = app.send(super::method(&m), &concrete, super::body_for(&m), Some(&wrong)).await;
            assert_eq!(r.status, 403, "{m} {path} without {scope}: {}", r.text);
            assert_eq!(r.json["code"], "insufficient_scope");
            let right = super::credential(&app, &path, scope.clone()).await;
            let r = app.send(super::method(&m), &concrete, super::body_for(&m), Some(&right)).await;
            assert!(r.status != 403 && r.status != 401, "{m} {path} with {scope}: {}", r.text);
        }
    }
}

backend_test! {
    async fn another_organizations_ids_reach_nothing(app: TestApp) {
        // Organization B, same account, with one of everything.
        let b = app
            .services
            .create_organization(Some(&app.tenant_id), serde_json::from_value(json!({
                "name": "Org B Secret Name", "base_currency": "USD", "country": "US"
            })).unwrap())
            .await
            .unwrap();
        let b_key = app.services.create_key(&app.tenant_id, Some(&b.id), "b", Some("enterprise"), None).await.unwrap();
        let kb = Some(b_key.raw.as_str());
        let acc = app.send(reqwest::Method::POST, "/api/v1/accounts", Some(json!({"code": "7777", "name": "B only", "type": "expense"})), kb).await.expect(201).str("/id");
        let bank = app.send(reqwest::Method::GET, "/api/v1/accounts?search=1200", None, kb).await.expect(200).str("/data/0/id");
        let je = app
            .send(reqwest::Method::POST, "/api/v1/journal_entries", Some(json!({"date": "2026-01-01", "post": true, "lines": [
                {"account_id": acc, "debit": "5"}, {"account_id": bank, "credit": "5"}
            ]})), kb)
            .await
            .expect(201)
            .str("/id");
        let wh = app
            .send(reqwest::Method::POST, "/api/v1/webhooks", Some(json!({"url": "http://127.0.0.1:9/b", "events": ["*"]})), kb)
            .await
            .expect(201)
            .str("/id");
        let a_bank = app.account("1200").await;
        let a_sales = app.account("4000").await;
        let cus = app
            .send(reqwest::Method::POST, "/api/v1/customers", Some(json!({"name": "B customer"})), kb)
            .await
            .expect(201)
            .str("/id");
        let ven = app
            .send(reqwest::Method::POST, "/api/v1/vendors", Some(json!({"name": "B vendor"})), kb)
            .await
            .expect(201)
            .str("/id");
        let tax = app
            .send(reqwest::Method::POST, "/api/v1/taxes", Some(json!({"name": "B tax", "kind": "sales_tax", "components": [{"name": "B agency", "rate": 1}]})), kb)
            .await
            .expect(201)
            .str("/id");
        let prod = app
            .send(reqwest::Method::POST, "/api/v1/products", Some(json!({"name": "B product"})), kb)
            .await
            .expect(201)
            .str("/id");
        let post_b = |path: &'static str, body: Value| {
            let app = &app;
            async move { app.send(reqwest::Method::POST, path, Some(body), kb).await.expect(201).str("/id") }
        };
        let line = json!([{"unit_price": "10"}]);
        let inv = post_b("/api/v1/invoices", json!({"customer_id": cus, "lines": line})).await;
        app.send(reqwest::Method::POST, &format!("/api/v1/invoices/{inv}/approve"), Some(json!({})), kb).await.expect(200);
        let est = post_b("/api/v1/estimates", json!({"customer_id": cus, "lines": line})).await;
        let cn = post_b("/api/v1/credit_notes", json!({"customer_id": cus, "lines": line})).await;
        app.send(reqwest::Method::POST, &format!("/api/v1/credit_notes/{cn}/approve"), Some(json!({})), kb).await.expect(200);
        let sr = post_b("/api/v1/sales_receipts", json!({"customer_id": cus, "lines": line})).await;
        let rr = post_b("/api/v1/refund_receipts", json!({"customer_id": cus, "lines": line})).await;
        let pay = post_b("/api/v1/payments", json!({"customer_id": cus, "amount": "5"})).await;
        let exp_b = app.send(reqwest::Method::POST, "/api/v1/accounts", Some(json!({"code": "6999", "name": "B costs", "type": "expense"})), kb).await.expect(201).str("/id");
        let bill = post_b("/api/v1/bills", json!({"vendor_id": ven, "lines": [{"unit_price": "10", "account_id": exp_b}]})).await;
        let bpay = post_b("/api/v1/bill_payments", json!({"vendor_id": ven, "amount": "5"})).await;
        let vc = post_b("/api/v1/vendor_credits", json!({"vendor_id": ven, "lines": [{"unit_price": "3", "account_id": exp_b}]})).await;
        app.send(reqwest::Method::POST, &format!("/api/v1/vendor_credits/{vc}/approve"), Some(json!({})), kb).await.expect(200);
        let po = post_b("/api/v1/purchase_orders", json!({"vendor_id": ven, "lines": [{"unit_price": "4", "quantity": "2", "account_id": exp_b}]})).await;
        app.send(reqwest::Method::POST, &format!("/api/v1/purchase_orders/{po}/issue"), Some(json!({})), kb).await.expect(200);
        let exp = post_b("/api/v1/expenses", json!({"account_id": exp_b, "amount": "6"})).await;
        let btx = post_b("/api/v1/bank_transactions", json!({"bank_account_id": bank, "date": "2026-01-03", "amount": "-2.00", "description": "B fee"})).await;
        let b_cash = app.send(reqwest::Method::GET, "/api/v1/accounts?search=1230", None, kb).await.expect(200).str("/data/0/id");
        let xfer = post_b("/api/v1/transfers", json!({"date": "2026-01-03", "from_account_id": bank, "to_account_id": b_cash, "amount": "1.00"})).await;
        let fxr = post_b("/api/v1/fx_revaluations", json!({"date": "2026-01-31", "rates": {}})).await;
        let brule = post_b("/api/v1/bank_rules", json!({"name": "B rule", "description_contains": "b", "action": "mark"})).await;
        let b_pay = post_b("/api/v1/payments", json!({"customer_id": cus, "amount": "3"})).await;
        let dep = post_b("/api/v1/deposits", json!({"account_id": bank, "payment_ids": [b_pay]})).await;
        let chk = post_b("/api/v1/checks", json!({"lines": [{"unit_price": "2", "account_id": exp_b}]})).await;
        let ccc = post_b("/api/v1/credit_card_charges", json!({"lines": [{"unit_price": "2", "account_id": exp_b}]})).await;
        let ccr = post_b("/api/v1/credit_card_credits", json!({"lines": [{"unit_price": "1", "account_id": exp_b}]})).await;
        let bpm = post_b("/api/v1/bank_payments", json!({"lines": [{"unit_price": "2", "account_id": exp_b}]})).await;
        let txr = post_b("/api/v1/tax_returns/sales_tax_liability", json!({"date_from": "2025-01-01", "date_to": "2025-01-31"})).await;
        let loan = post_b("/api/v1/loans", json!({"name": "B loan", "principal": "10", "annual_rate": "5", "term_months": 12, "start_date": "2026-01-01"})).await;
        let fa = post_b("/api/v1/fixed_assets", json!({"name": "B asset", "cost": "100", "useful_life_months": 12, "acquisition_date": "2026-01-01"})).await;
        let emp = post_b("/api/v1/employees", json!({"name": "B employee", "pay_rate": "1200", "hire_date": "2025-01-01"})).await;
        let pit = post_b("/api/v1/pay_items", json!({"name": "B item", "kind": "deduction", "percent": "1"})).await;
        let prun = post_b("/api/v1/payroll_runs", json!({"period_start": "2026-01-01", "period_end": "2026-01-31", "employees": [{"employee_id": emp}]})).await;
        let sub = post_b("/api/v1/subscriptions", json!({"customer_id": cus, "interval": "monthly", "start_date": "2027-01-01", "lines": [{"description": "B plan", "unit_price": "1"}]})).await;
        let bud = post_b("/api/v1/budgets", json!({"name": "B budget", "fiscal_year": 2026})).await;
        let b_user = app
            .send(reqwest::Method::POST, "/api/v1/users", Some(json!({"email": "b-only@example.com", "role": "accountant"})), kb)
            .await
            .expect(201)
            .str("/id");
        let b_pat = {
            let u = ferrobooks_store::users::find_user_by_email(app.services.store.pool(), "b-only@example.com").await.unwrap().unwrap();
            let org = ferrobooks_store::tenancy::get_organization(app.services.store.pool(), &b.id).await.unwrap().unwrap();
            let ctx = ferrobooks_service::tokens::user_context(&u, org, vec![b.id.clone()]).unwrap();
            app.services
                .mint_token(&ctx, ferrobooks_service::tokens::NewTokenRequest { name: "b".into(), ..Default::default() })
                .await
                .unwrap()
                .view
                .id
        };
        let b_app = app
            .send(reqwest::Method::POST, "/api/v1/oauth_apps", Some(json!({"name": "B app", "redirect_uris": ["https://b.example/cb"]})), kb)
            .await
            .expect(201)
            .str("/client_id");
        let ids = [("oauth_apps", b_app.clone()), ("users", b_user.clone()), ("personal_access_tokens", b_pat.clone()), ("budgets", bud.clone()), ("subscriptions", sub.clone()), ("employees", emp.clone()), ("pay_items", pit.clone()), ("payroll_runs", prun.clone()), ("fixed_assets", fa.clone()), ("loans", loan.clone()), ("tax_returns", txr.clone()), ("bank_payments", bpm.clone()), ("checks", chk.clone()), ("credit_card_charges", ccc.clone()), ("credit_card_credits", ccr.clone()), ("deposits", dep.clone()), ("bank_rules", brule.clone()), ("bank_accounts", bank.clone()), ("bank_transactions", btx.clone()), ("transfers", xfer.clone()), ("fx_revaluations", fxr.clone()), ("expenses", exp.clone()), ("bill_payments", bpay.clone()), ("vendor_credits", vc.clone()), ("purchase_orders", po.clone()), ("invoices", inv.clone()), ("estimates", est.clone()), ("credit_notes", cn.clone()), ("sales_receipts", sr.clone()), ("refund_receipts", rr.clone()), ("payments", pay.clone()), ("bills", bill.clone()), ("products", prod.clone()), ("taxes", tax.clone()), ("customers", cus.clone()), ("vendors", ven.clone()), ("accounts", acc.clone()), ("journal_entries", je.clone()), ("keys", b_key.row.id.clone()), ("webhooks", wh.clone())];
        let foreign = |text: &str| {
            text.contains("Org B Secret Name") || ids.iter().any(|(_, id)| text.contains(id.as_str()))
        };
        for (m, path, _) in super::operations(&app).await {
            let Some((_, id)) = ids.iter().find(|(res, _)| path.starts_with(&format!("/api/v1/{res}/{{id}}"))) else {
                // Every route naming an id is tried with one of B's.
                assert!(!path.contains("{id}"), "{m} {path}: no id of organization B to try");
                // Routes without an id: lists and creations must not show B.
                if m == "GET" && !path.contains('{') {
                    let r = app.send(super::method(&m), &path, None, None).await;
                    assert!(!foreign(&r.text), "{m} {path} shows organization B: {}", r.text);
                }
                continue;
            };
            let mut concrete = path.replace("{id}", id);
            if path.ends_with("/calculate") {
                concrete.push_str("?amount=1");
            }
            // A valid body, so the answer is about the id, not the body.
            let body = match (m.as_str(), path.as_str()) {
                ("PUT", "/api/v1/journal_entries/{id}") => Some(json!({"date": "2026-01-02", "lines": [
                    {"account_id": a_bank, "debit": "1"}, {"account_id": a_sales, "credit": "1"}
                ]})),
                ("PUT" | "PATCH", p) if ["/api/v1/invoices/", "/api/v1/estimates/", "/api/v1/credit_notes/", "/api/v1/bills/", "/api/v1/vendor_credits/", "/api/v1/purchase_orders/", "/api/v1/expenses/"].iter().any(|x| p.starts_with(x)) => {
                    Some(json!({"reference": "Changed by A"}))
                }
                ("PUT" | "PATCH", p) if p.starts_with("/api/v1/bank_transactions/") => Some(json!({"description": "Changed by A"})),
                ("PUT" | "PATCH", p) if p.starts_with("/api/v1/bank_rules/") => Some(json!({"name": "Renamed by A", "direction": "in", "action": "mark"})),
                ("PUT" | "PATCH", _) => Some(json!({"name": "Renamed by A"})),
                ("POST", p) if p.ends_with("/apply") && (p.starts_with("/api/v1/bill_payments/") || p.starts_with("/api/v1/vendor_credits/")) => {
                    Some(json!({"applications": [{"bill_id": "bill_x", "amount": "1"}]}))
                }
                ("POST", p) if p.ends_with("/apply") => Some(json!({"applications": [{"invoice_id": "inv_x", "amount": "1"}]})),
                ("POST", p) if p.ends_with("/refund") => Some(json!({"amount": "1"})),
                ("POST", p) if p.ends_with("/reopen") => Some(json!({"reason": "by A"})),
                ("POST", p) if p.ends_with("/redeliver") => Some(json!({"from_sequence": 1})),
                ("POST", p) if p.ends_with("/match") => Some(json!({"lines": ["je_x:0"]})),
                ("POST", p) if p.ends_with("/categorize") => Some(json!({"lines": [{"account_id": a_sales}]})),
                ("POST", p) if p.ends_with("/reconciliations") => Some(json!({"statement_date": "2026-01-31", "closing_balance": "1"})),
                _ => super::body_for(&m),
            };
            let r = app.send(super::method(&m), &concrete, body, None).await;
            assert!(r.status == 404 || r.status == 403, "{m} {concrete}: {} {}", r.status, r.text);
            assert!(!foreign(&r.text), "{m} {concrete} leaks organization B: {}", r.text);
        }
        // B's things are untouched.
        let k = app.send(reqwest::Method::GET, &format!("/api/v1/accounts/{acc}"), None, kb).await.expect(200);
        assert_eq!(k.json["active"], true);
        assert_eq!(k.json["name"], "B only");
        let e = app.send(reqwest::Method::GET, &format!("/api/v1/journal_entries/{je}"), None, kb).await.expect(200);
        assert_eq!(e.json["status"], "posted");
        app.send(reqwest::Method::GET, &format!("/api/v1/webhooks/{wh}"), None, kb).await.expect(200);
        let p = app.send(reqwest::Method::GET, &format!("/api/v1/products/{prod}"), None, kb).await.expect(200);
        assert_eq!(p.json["name"], "B product");
        let t = app.send(reqwest::Method::GET, &format!("/api/v1/taxes/{tax}"), None, kb).await.expect(200);
        assert_eq!(t.json["name"], "B tax");
        let c = app.send(reqwest::Method::GET, &format!("/api/v1/customers/{cus}"), None, kb).await.expect(200);
        assert_eq!(c.json["name"], "B customer");
        let x = app.send(reqwest::Method::GET, &format!("/api/v1/transfers/{xfer}"), None, kb).await.expect(200);
        assert_eq!(x.str("/status"), "posted");
        let l = app.send(reqwest::Method::GET, &format!("/api/v1/bank_transactions/{btx}"), None, kb).await.expect(200);
        assert_eq!((l.str("/description"), l.str("/status")), ("B fee".into(), "unreviewed".into()));
        let v = app.send(reqwest::Method::GET, &format!("/api/v1/vendors/{ven}"), None, kb).await.expect(200);
        assert_eq!(v.json["name"], "B vendor");
    }
}
