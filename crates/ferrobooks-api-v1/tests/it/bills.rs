//! Bills: worked examples whose exact journal lines are asserted, for
//! India (intra-state input CGST+SGST, inter-state IGST, blocked credit,
//! reverse charge), the UK (input VAT and the domestic reverse charge) and
//! the US (sales tax as cost); the bill's life; bad input that writes
//! nothing.

use serde_json::{Value, json};

use ferrobooks_testkit::TestApp;
use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{events, lines, posting, tax_named};

/// A new expense account: the cost lines post to it.
async fn expense_account(app: &TestApp, code: &str) -> String {
    app.post(
        "/api/v1/accounts",
        json!({"code": code, "name": format!("Expense {code}"), "type": "expense"}),
    )
    .await
    .expect(201)
    .str("/id")
}

async fn vendor(app: &TestApp, body: Value) -> String {
    app.post("/api/v1/vendors", body)
        .await
        .expect(201)
        .str("/id")
}

/// Creates and approves a bill; its answer.
async fn approved_bill(app: &TestApp, body: Value) -> ferrobooks_testkit::Resp {
    let id = app.post("/api/v1/bills", body).await.expect(201).str("/id");
    app.post(&format!("/api/v1/bills/{id}/approve"), json!({}))
        .await
        .expect(200)
}

backend_test! {
    #[country("IN", "INR")]
    async fn indian_bills_claim_block_and_reverse_charge(app: TestApp) {
        app.put("/api/v1/organization", json!({"state": "MH"})).await.expect(200);
        let gst18 = tax_named(&app, "GST 18%").await;
        let rent = expense_account(&app, "6100").await;
        let mumbai = vendor(&app, json!({"name": "Mumbai Traders", "tax_id": "27AAPFU0939F1ZV"})).await;
        let bengaluru = vendor(&app, json!({"name": "Bengaluru Mills", "source_of_supply": "KA"})).await;
        let line = |extra: Value| {
            let mut l = json!({"description": "Office rent", "unit_price": "10000", "account_id": rent, "tax_id": gst18});
            l.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            json!([l])
        };
        // Intra-state, eligible: input CGST and SGST.
        let b = approved_bill(&app, json!({"vendor_id": mumbai, "vendor_reference": "MT-1", "date": "2026-06-01", "lines": line(json!({}))})).await;
        assert_eq!(b.str("/source_of_supply"), "27");
        assert_eq!(b.raw("/total"), "11800.00");
        assert_eq!(b.str("/lines/0/taxes/0/treatment"), "claimed");
        assert_eq!(posting(&app, &b.str("/journal_entry_id")).await, lines(&["Dr 6100 10000.00", "Dr 1300 900.00", "Dr 1301 900.00", "Cr 2100* 11800.00"]));
        // Inter-state: input IGST.
        let b = approved_bill(&app, json!({"vendor_id": bengaluru, "date": "2026-06-01", "lines": line(json!({}))})).await;
        assert_eq!(posting(&app, &b.str("/journal_entry_id")).await, lines(&["Dr 6100 10000.00", "Dr 1302 1800.00", "Cr 2100* 11800.00"]));
        // Blocked credit (section 17(5)): the tax is cost.
        let b = approved_bill(&app, json!({"vendor_id": mumbai, "date": "2026-06-01", "lines": line(json!({"itc_eligibility": "ineligible_17_5"}))})).await;
        assert_eq!(b.str("/lines/0/itc_eligibility"), "ineligible_17_5");
        assert_eq!(posting(&app, &b.str("/journal_entry_id")).await, lines(&["Dr 6100 11800.00", "Cr 2100* 11800.00"]));
        // Reverse charge: the vendor is owed the net; GST RCM payable the tax.
        let b = approved_bill(&app, json!({"vendor_id": bengaluru, "date": "2026-06-01", "lines": line(json!({"reverse_charge": true}))})).await;
        assert_eq!(b.raw("/total"), "10000.00");
        assert_eq!(b.raw("/tax_total"), "0.00");
        assert_eq!(b.json["lines"][0]["reverse_charge"], true);
        assert_eq!(posting(&app, &b.str("/journal_entry_id")).await, lines(&["Dr 6100 10000.00", "Dr 1302 1800.00", "Cr 2100* 10000.00", "Cr 2209 1800.00"]));
        // What the organization owes each vendor.
        let v = app.get(&format!("/api/v1/vendors/{mumbai}")).await.expect(200);
        assert_eq!(v.raw("/balance"), "23600.00");
        let v = app.get(&format!("/api/v1/vendors/{bengaluru}")).await.expect(200);
        assert_eq!(v.raw("/balance"), "21800.00");
        // The vendor's number is unique per vendor, and nothing is written.
        let before = app.count("documents").await;
        let r = app.post("/api/v1/bills", json!({"vendor_id": mumbai, "vendor_reference": "MT-1", "lines": line(json!({}))})).await.expect(409);
        assert!(r.json["details"]["vendor_reference"].is_string(), "{}", r.text);
        assert_eq!(app.count("documents").await, before);
        // Another vendor may use the same number.
        app.post("/api/v1/bills", json!({"vendor_id": bengaluru, "vendor_reference": "MT-1", "lines": line(json!({}))})).await.expect(201);
        let r = app.post("/api/v1/bills", json!({"vendor_id": mumbai, "lines": line(json!({"itc_eligibility": "sometimes"}))})).await.expect(400);
        assert!(r.json["details"]["lines[0].itc_eligibility"].is_string(), "{}", r.text);
        let r = app.post("/api/v1/bills", json!({"vendor_id": mumbai, "source_of_supply": "ZZ", "lines": line(json!({}))})).await.expect(400);
        assert!(r.json["details"]["source_of_supply"].is_string(), "{}", r.text);
    }
}

backend_test! {
    #[country("GB", "GBP")]
    async fn uk_bills_claim_vat_and_account_for_the_domestic_reverse_charge(app: TestApp) {
        let std = tax_named(&app, "VAT Standard 20%").await;
        let materials = expense_account(&app, "5100").await;
        let v = vendor(&app, json!({"name": "Builders Ltd"})).await;
        let b = approved_bill(&app, json!({"vendor_id": v, "lines": [{"unit_price": "1000", "account_id": materials, "tax_id": std}]})).await;
        assert_eq!(posting(&app, &b.str("/journal_entry_id")).await, lines(&["Dr 5100 1000.00", "Dr 2201 200.00", "Cr 2100* 1200.00"]));
        let b = approved_bill(&app, json!({"vendor_id": v, "lines": [{"unit_price": "1000", "account_id": materials, "tax_id": std, "reverse_charge": true}]})).await;
        assert_eq!(b.raw("/total"), "1000.00");
        assert_eq!(posting(&app, &b.str("/journal_entry_id")).await, lines(&["Dr 5100 1000.00", "Dr 2201 200.00", "Cr 2100* 1000.00", "Cr 2200 200.00"]));
        // Input tax credit eligibility is Indian.
        let r = app.post("/api/v1/bills", json!({"vendor_id": v, "lines": [{"unit_price": "1", "account_id": materials, "itc_eligibility": "eligible"}]})).await.expect(400);
        assert!(r.json["details"]["lines[0].itc_eligibility"].is_string(), "{}", r.text);
    }
}

backend_test! {
    async fn us_bills_put_sales_tax_in_cost_and_live_as_bills_do(app: TestApp) {
        let tax = app.post("/api/v1/taxes", json!({"name": "Austin 8.25%", "kind": "sales_tax", "components": [{"name": "Texas", "rate": "6.25"}, {"name": "Austin", "rate": "2"}]})).await.expect(201).str("/id");
        let supplies = expense_account(&app, "6200").await;
        let v = vendor(&app, json!({"name": "Office Depot", "payment_terms": 10})).await;
        let draft = app.post("/api/v1/bills", json!({"vendor_id": v, "vendor_reference": "OD-77", "date": "2026-03-01", "lines": [
            {"description": "Paper", "quantity": 4, "unit_price": "25.00", "account_id": supplies, "tax_id": tax}
        ]})).await.expect(201);
        let id = draft.str("/id");
        assert_eq!(draft.str("/status"), "draft");
        assert!(draft.json["number"].is_null());
        assert_eq!(draft.str("/due_date"), "2026-03-11");
        assert_eq!(draft.str("/vendor_id"), v);
        assert_eq!(draft.str("/vendor_reference"), "OD-77");
        assert!(draft.json.get("customer_id").is_none(), "{}", draft.text);
        // Drafts are edited and post nothing.
        let u = app.send(reqwest::Method::PATCH, &format!("/api/v1/bills/{id}"), Some(json!({"notes": "Q1 supplies"})), None).await.expect(200);
        assert_eq!(u.str("/notes"), "Q1 supplies");
        assert!(u.json["journal_entry_id"].is_null());
        let a = app.post(&format!("/api/v1/bills/{id}/approve"), json!({})).await.expect(200);
        assert_eq!(a.str("/number"), "BILL-00001");
        assert_eq!(a.str("/status"), "approved");
        assert_eq!(a.raw("/total"), "108.25");
        assert_eq!(a.str("/lines/0/taxes/0/treatment"), "cost");
        assert_eq!(posting(&app, &a.str("/journal_entry_id")).await, lines(&["Dr 6200 108.25", "Cr 2100* 108.25"]));
        let r = app.post(&format!("/api/v1/bills/{id}/approve"), json!({})).await.expect(409);
        assert_eq!(r.json["code"], "conflict");
        app.put(&format!("/api/v1/bills/{id}"), json!({"notes": "late"})).await.expect(409);
        app.delete(&format!("/api/v1/bills/{id}")).await.expect(409);
        // Overdue once, by the due-date job.
        let report = app.services.run_due_dates("2026-03-12").await.unwrap();
        assert_eq!(report.overdue_bills, 1);
        assert_eq!(app.services.run_due_dates("2026-03-13").await.unwrap().overdue_bills, 0);
        assert_eq!(app.get(&format!("/api/v1/bills/{id}")).await.expect(200).str("/status"), "overdue");
        let list = app.get(&format!("/api/v1/bills?status=overdue&vendor_id={v}")).await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
        // Void: the mirror entry; the number stays.
        let vd = app.post(&format!("/api/v1/bills/{id}/void"), json!({"date": "2026-03-20"})).await.expect(200);
        assert_eq!(vd.str("/status"), "void");
        assert_eq!(vd.str("/number"), "BILL-00001");
        let ve = app.get(&format!("/api/v1/vendors/{v}")).await.expect(200);
        assert_eq!(ve.raw("/balance"), "0.00");
        app.post(&format!("/api/v1/bills/{id}/void"), json!({})).await.expect(409);
        assert_eq!(
            events(&app, "bill.").await,
            ["bill.created", "bill.updated", "bill.approved", "bill.overdue", "bill.voided"]
        );
        // A draft deletes.
        let d = app.post("/api/v1/bills", json!({"vendor_id": v, "lines": [{"unit_price": "1", "account_id": supplies}]})).await.expect(201).str("/id");
        app.delete(&format!("/api/v1/bills/{d}")).await.expect(204);
        app.get(&format!("/api/v1/bills/{d}")).await.expect(404);
    }
}

backend_test! {
    async fn bad_bills_are_refused_and_write_nothing(app: TestApp) {
        let supplies = expense_account(&app, "6300").await;
        let v = vendor(&app, json!({"name": "V"})).await;
        let c = app.post("/api/v1/customers", json!({"name": "Not a vendor"})).await.expect(201).str("/id");
        let sales = app.account("4000").await;
        let before = app.count("documents").await;
        for (body, field) in [
            (json!({"lines": [{"unit_price": "1", "account_id": supplies}]}), "vendor_id"),
            (json!({"vendor_id": c, "lines": [{"unit_price": "1", "account_id": supplies}]}), "vendor_id"),
            (json!({"vendor_id": v, "lines": [{"unit_price": "1"}]}), "lines[0].account_id"),
            (json!({"vendor_id": v, "lines": [{"unit_price": "1", "account_id": sales}]}), "lines[0].account_id"),
            (json!({"vendor_id": v, "lines": [{"account_id": supplies}]}), "lines[0].unit_price"),
            (json!({"vendor_id": v, "lines": [{"unit_price": "1", "account_id": supplies, "reverse_charge": true}]}), "lines[0].reverse_charge"),
            (json!({"vendor_id": v, "lines": []}), "lines"),
        ] {
            let r = app.post("/api/v1/bills", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        // A bill names a vendor, not a customer.
        let r = app.post("/api/v1/bills", json!({"customer_id": v, "lines": []})).await.expect(400);
        assert_eq!(r.json["code"], "validation_failed");
        // An invoice line takes no purchase terms.
        let r = app.post("/api/v1/invoices", json!({"customer_id": c, "lines": [{"unit_price": "1", "reverse_charge": true}]})).await.expect(400);
        assert_eq!(r.json["code"], "validation_failed");
        assert_eq!(app.count("documents").await, before);
    }
}
