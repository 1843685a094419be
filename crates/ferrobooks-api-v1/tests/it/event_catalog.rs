//! Every event of seed 000's list is emitted by something: one story
//! touches every resource the list names, then the list is walked and
//! each event missing from the organization's outbox (or, for `test`,
//! from the deliveries) is named.

use serde_json::{Value, json};

use ferrobooks_service::webhooks::SEED_000;
use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{approved_invoice, events};

async fn id(app: &ferrobooks_testkit::TestApp, path: &str, body: Value) -> String {
    app.post(path, body).await.expect(201).str("/id")
}

async fn patch(app: &ferrobooks_testkit::TestApp, path: &str, body: Value) {
    app.send(reqwest::Method::PATCH, path, Some(body), None)
        .await
        .expect(200);
}

backend_test! {
    async fn every_event_of_seed_000_is_emitted(app: TestApp) {
        let bank = app.account("1200").await;
        let costs = app.account("5000").await;
        // Contacts, products, accounts: created, updated, deleted.
        for res in ["customers", "vendors"] {
            let keep = id(&app, &format!("/api/v1/{res}"), json!({"name": format!("Kept {res}")})).await;
            patch(&app, &format!("/api/v1/{res}/{keep}"), json!({"name": format!("Renamed {res}")})).await;
            let gone = id(&app, &format!("/api/v1/{res}"), json!({"name": format!("Gone {res}")})).await;
            app.delete(&format!("/api/v1/{res}/{gone}")).await.expect(204);
        }
        let customer = app.get("/api/v1/customers").await.expect(200).str("/data/0/id");
        let vendor = app.get("/api/v1/vendors").await.expect(200).str("/data/0/id");
        let widget = id(&app, "/api/v1/products", json!({"name": "Widget", "price": "10", "track_inventory": true, "quantity_on_hand": 10, "reorder_level": 5})).await;
        patch(&app, &format!("/api/v1/products/{widget}"), json!({"price": "12"})).await;
        let gone = id(&app, "/api/v1/products", json!({"name": "Gone"})).await;
        app.delete(&format!("/api/v1/products/{gone}")).await.expect(204);
        let acc = id(&app, "/api/v1/accounts", json!({"code": "6100", "name": "Travel", "type": "expense"})).await;
        patch(&app, &format!("/api/v1/accounts/{acc}"), json!({"name": "Travel and subsistence"})).await;
        app.delete(&format!("/api/v1/accounts/{acc}")).await.expect(204);
        id(&app, "/api/v1/journal_entries", json!({"date": "2026-01-02", "post": true, "lines": [
            {"account_id": bank, "debit": "5000"}, {"account_id": app.account("3000").await, "credit": "5000"}]})).await;
        // Invoices: a draft edited and one deleted; one sold past the
        // reorder level, sent and paid; one left overdue.
        let draft = id(&app, "/api/v1/invoices", json!({"customer_id": customer, "lines": [{"unit_price": "1"}]})).await;
        patch(&app, &format!("/api/v1/invoices/{draft}"), json!({"reference": "edited"})).await;
        app.delete(&format!("/api/v1/invoices/{draft}")).await.expect(204);
        let sold = approved_invoice(&app, json!({"customer_id": customer, "date": "2026-01-10", "lines": [{"product_id": widget, "quantity": 6}]})).await;
        app.post(&format!("/api/v1/invoices/{}/send", sold.str("/id")), json!({})).await.expect(200);
        let pay = id(&app, "/api/v1/payments", json!({"customer_id": customer, "date": "2026-01-12", "amount": sold.raw("/total"),
            "applications": [{"invoice_id": sold.str("/id"), "amount": sold.raw("/total")}]})).await;
        let extra = id(&app, "/api/v1/payments", json!({"customer_id": customer, "date": "2026-01-12", "amount": "1"})).await;
        assert_ne!(pay, extra);
        app.delete(&format!("/api/v1/payments/{extra}")).await.expect(204);
        approved_invoice(&app, json!({"customer_id": customer, "date": "2026-01-01", "due_date": "2026-01-15", "lines": [{"unit_price": "3"}]})).await;
        // Bills: edited, deleted, one paid, one overdue.
        let bill = id(&app, "/api/v1/bills", json!({"vendor_id": vendor, "date": "2026-01-05", "lines": [{"unit_price": "40", "account_id": costs}]})).await;
        patch(&app, &format!("/api/v1/bills/{bill}"), json!({"reference": "edited"})).await;
        let gone = id(&app, "/api/v1/bills", json!({"vendor_id": vendor, "lines": [{"unit_price": "1", "account_id": costs}]})).await;
        app.delete(&format!("/api/v1/bills/{gone}")).await.expect(204);
        app.post(&format!("/api/v1/bills/{bill}/approve"), json!({})).await.expect(200);
        id(&app, "/api/v1/bill_payments", json!({"vendor_id": vendor, "date": "2026-01-20", "amount": "40",
            "applications": [{"bill_id": bill, "amount": "40"}]})).await;
        let late = id(&app, "/api/v1/bills", json!({"vendor_id": vendor, "date": "2026-01-01", "due_date": "2026-01-10", "lines": [{"unit_price": "7", "account_id": costs}]})).await;
        app.post(&format!("/api/v1/bills/{late}/approve"), json!({})).await.expect(200);
        app.services.run_due_dates("2026-02-01").await.unwrap();
        // Expenses: edited, rejected, deleted; one approved and paid.
        let ex = id(&app, "/api/v1/expenses", json!({"date": "2026-01-08", "account_id": costs, "amount": "20"})).await;
        patch(&app, &format!("/api/v1/expenses/{ex}"), json!({"reference": "receipt 1"})).await;
        app.post(&format!("/api/v1/expenses/{ex}/approve"), json!({})).await.expect(200);
        app.post(&format!("/api/v1/expenses/{ex}/pay"), json!({"date": "2026-01-09"})).await.expect(200);
        let no = id(&app, "/api/v1/expenses", json!({"date": "2026-01-08", "account_id": costs, "amount": "5"})).await;
        app.post(&format!("/api/v1/expenses/{no}/reject"), json!({})).await.expect(200);
        app.delete(&format!("/api/v1/expenses/{no}")).await.expect(204);
        // A statement line: imported, edited, deleted.
        let line = id(&app, "/api/v1/bank_transactions", json!({"bank_account_id": bank, "date": "2026-01-03", "amount": "-2.00", "description": "Fee"})).await;
        patch(&app, &format!("/api/v1/bank_transactions/{line}"), json!({"description": "Bank fee"})).await;
        app.delete(&format!("/api/v1/bank_transactions/{line}")).await.expect(204);
        // Assets, budgets, loans, payroll, subscriptions.
        let asset = id(&app, "/api/v1/fixed_assets", json!({"name": "Desk", "cost": "1200", "useful_life_months": 12, "acquisition_date": "2026-01-01"})).await;
        patch(&app, &format!("/api/v1/fixed_assets/{asset}"), json!({"description": "Oak"})).await;
        app.post(&format!("/api/v1/fixed_assets/{asset}/depreciate"), json!({"through": "2026-01-31"})).await.expect(200);
        let budget = id(&app, "/api/v1/budgets", json!({"name": "B", "fiscal_year": 2026})).await;
        patch(&app, &format!("/api/v1/budgets/{budget}"), json!({"name": "Budget 2026"})).await;
        app.post(&format!("/api/v1/budgets/{budget}/activate"), json!({})).await.expect(200);
        let gone = id(&app, "/api/v1/budgets", json!({"name": "Draft", "fiscal_year": 2027})).await;
        app.delete(&format!("/api/v1/budgets/{gone}")).await.expect(204);
        let loan = id(&app, "/api/v1/loans", json!({"name": "Bridge", "principal": "100", "annual_rate": "12", "term_months": 1, "start_date": "2026-01-01"})).await;
        app.post(&format!("/api/v1/loans/{loan}/payments"), json!({"date": "2026-02-01"})).await.expect(201);
        let emp = id(&app, "/api/v1/employees", json!({"name": "Asha", "pay_rate": "12000", "hire_date": "2025-01-01"})).await;
        let run = id(&app, "/api/v1/payroll_runs", json!({"period_start": "2026-01-01", "period_end": "2026-01-31", "employees": [{"employee_id": emp}]})).await;
        app.post(&format!("/api/v1/payroll_runs/{run}/approve"), json!({})).await.expect(200);
        app.post(&format!("/api/v1/payroll_runs/{run}/pay"), json!({})).await.expect(200);
        id(&app, "/api/v1/subscriptions", json!({"customer_id": customer, "interval": "monthly", "start_date": "2026-01-01", "count": 1,
            "lines": [{"description": "Once", "unit_price": "9"}]})).await;
        let sub = id(&app, "/api/v1/subscriptions", json!({"customer_id": customer, "interval": "yearly", "start_date": "2030-01-01",
            "lines": [{"description": "Later", "unit_price": "9"}]})).await;
        app.post(&format!("/api/v1/subscriptions/{sub}/cancel"), json!({})).await.expect(200);
        // A webhook's test event.
        let hook = id(&app, "/api/v1/webhooks", json!({"url": "http://127.0.0.1:9/hook", "events": ["*"]})).await;
        app.post(&format!("/api/v1/webhooks/{hook}/test"), json!({})).await.expect(202);
        // The walk.
        let emitted = events(&app, "").await;
        let (tests,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhook_deliveries WHERE organization_id = $1 AND event_type = 'test'")
            .bind(&app.org_id)
            .fetch_one(app.services.store.pool())
            .await
            .unwrap();
        let missing: Vec<&str> = SEED_000
            .iter()
            .copied()
            .filter(|e| if *e == "test" { tests == 0 } else { !emitted.iter().any(|x| x == e) })
            .collect();
        assert!(missing.is_empty(), "nothing emitted {missing:?}");
    }
}
