//! Paying and crediting bills, and ordering: bill payments across bills
//! (partial, an advance left as vendor credit, a foreign bill paid at
//! another rate), vendor credits applied and refunded, purchase orders
//! billed whole and line by line; the bad input of each writes nothing.

use serde_json::{Value, json};

use ferrobooks_testkit::TestApp;
use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{events, lines, posting};

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

async fn approved_bill(app: &TestApp, vendor: &str, account: &str, price: &str) -> String {
    app.post(
        "/api/v1/bills",
        json!({"vendor_id": vendor, "approve": true, "lines": [{"unit_price": price, "account_id": account}]}),
    )
    .await
    .expect(201)
    .str("/id")
}

/// Rows of the tables a purchase flow writes, to show nothing was written.
async fn written(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in [
        "payments",
        "allocations",
        "journal_entries",
        "documents",
        "document_lines",
    ] {
        out.push(app.count(t).await);
    }
    out
}

backend_test! {
    async fn bill_payments_settle_bills_and_keep_advances(app: TestApp) {
        let cost = expense_account(&app, "6100").await;
        let v = vendor(&app, json!({"name": "Paper Co"})).await;
        let other = vendor(&app, json!({"name": "Other Co"})).await;
        let a = approved_bill(&app, &v, &cost, "100.00").await;
        let b = approved_bill(&app, &v, &cost, "50.00").await;
        let foreign_bill = approved_bill(&app, &other, &cost, "10.00").await;
        let card = app.account("2150").await;
        // Paying more than a bill owes, another vendor's bill, a draft, or
        // more than the payment: 400, nothing written.
        let before = written(&app).await;
        let draft = app
            .post("/api/v1/bills", json!({"vendor_id": v, "lines": [{"unit_price": "5", "account_id": cost}]}))
            .await
            .expect(201)
            .str("/id");
        let before_draft = written(&app).await;
        assert_ne!(before, before_draft);
        for (body, field) in [
            (json!({"vendor_id": v, "amount": "150", "applications": [{"bill_id": a, "amount": "100.01"}]}), "applications[0].amount"),
            (json!({"vendor_id": v, "amount": "10", "applications": [{"bill_id": foreign_bill, "amount": "10"}]}), "applications[0].bill_id"),
            (json!({"vendor_id": v, "amount": "10", "applications": [{"bill_id": draft, "amount": "5"}]}), "applications[0].bill_id"),
            (json!({"vendor_id": v, "amount": "10", "applications": [{"bill_id": a, "amount": "20"}]}), "applications"),
            (json!({"vendor_id": v, "amount": "10", "applications": [{"bill_id": "bill_nope", "amount": "1"}]}), "applications[0].bill_id"),
            (json!({"vendor_id": v, "amount": "0"}), "amount"),
            (json!({"vendor_id": "ven_nope", "amount": "1"}), "vendor_id"),
            (json!({"vendor_id": v, "amount": "1", "account_id": cost}), "account_id"),
        ] {
            let r = app.post("/api/v1/bill_payments", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        let r = app
            .post("/api/v1/bill_payments", json!({"vendor_id": v, "amount": "150", "applications": [{"bill_id": a, "amount": "100.01"}]}))
            .await;
        assert!(r.text.contains("more than the 100.00 still owed"), "{}", r.text);
        assert_eq!(written(&app).await, before_draft);
        // 130 from the card: all of A, 20 of B, 10 left as an advance.
        let p = app
            .post("/api/v1/bill_payments", json!({"vendor_id": v, "amount": "130", "account_id": card, "reference": "CHQ 7",
                "applications": [{"bill_id": a, "amount": "100"}, {"bill_id": b, "amount": "20"}]}))
            .await
            .expect(201);
        assert_eq!((p.str("/side"), p.str("/vendor_id"), p.str("/account_id")), ("purchase".into(), v.clone(), card.clone()));
        assert_eq!((p.raw("/applied"), p.raw("/unapplied")), ("120.00".into(), "10.00".into()));
        assert_eq!(p.str("/number"), "BPAY-00001");
        assert_eq!(p.str("/applications/1/bill_id"), b);
        assert_eq!(
            posting(&app, &p.str("/journal_entry_id")).await,
            lines(&["Cr 2150 130.00", "Dr 2100* 100.00", "Dr 2100* 20.00", "Dr 2100* 10.00"])
        );
        let bill = |id: String| {
            let app = &app;
            async move { app.get(&format!("/api/v1/bills/{id}")).await.expect(200) }
        };
        let ra = bill(a.clone()).await;
        assert_eq!((ra.str("/status"), ra.raw("/balance"), ra.raw("/amount_paid")), ("paid".into(), "0.00".into(), "100.00".into()));
        let rb = bill(b.clone()).await;
        assert_eq!((rb.str("/status"), rb.raw("/balance")), ("partially_paid".into(), "30.00".into()));
        // The vendor is owed 30 less the 10 advance.
        let vr = app.get(&format!("/api/v1/vendors/{v}")).await.expect(200);
        assert_eq!(vr.raw("/balance"), "20.00");
        // A bill payment is not a customer payment, nor the reverse.
        let pid = p.str("/id");
        app.get(&format!("/api/v1/payments/{pid}")).await.expect(404);
        assert!(!app.get("/api/v1/payments").await.expect(200).text.contains(&pid));
        assert!(app.get(&format!("/api/v1/bill_payments?vendor_id={v}")).await.expect(200).text.contains(&pid));
        // The advance goes to B later; B is paid.
        let p2 = app
            .post(&format!("/api/v1/bill_payments/{pid}/apply"), json!({"applications": [{"bill_id": b, "amount": "10"}]}))
            .await
            .expect(200);
        assert_eq!(p2.raw("/unapplied"), "0.00");
        assert_eq!(bill(b.clone()).await.raw("/balance"), "20.00");
        let allocs = app.get(&format!("/api/v1/bills/{b}/allocations")).await.expect(200);
        assert_eq!(allocs.json.as_array().unwrap().len(), 2);
        // A paid bill is not voided while payments stand.
        app.post(&format!("/api/v1/bills/{a}/void"), json!({})).await.expect(409);
        // Deleting the payment reverses it and reopens both bills.
        app.delete(&format!("/api/v1/bill_payments/{pid}")).await.expect(204);
        assert_eq!(bill(a.clone()).await.str("/status"), "approved");
        assert_eq!(bill(b.clone()).await.raw("/balance"), "50.00");
        let vr = app.get(&format!("/api/v1/vendors/{v}")).await.expect(200);
        assert_eq!(vr.raw("/balance"), "150.00");
        let ev = events(&app, "payment.").await;
        assert_eq!(ev, ["payment.created", "payment.deleted"]);
        assert!(events(&app, "bill.paid").await.len() == 1);
    }

}

backend_test! {
    async fn a_foreign_bill_paid_at_another_rate_realizes_fx(app: TestApp) {
        let cost = expense_account(&app, "6100").await;
        let v = vendor(&app, json!({"name": "Euro Papier", "currency": "EUR"})).await;
        // 100 EUR at 1.10: 110 USD payable.
        let bill = app
            .post("/api/v1/bills", json!({"vendor_id": v, "exchange_rate": "1.10", "approve": true,
                "lines": [{"unit_price": "100.00", "account_id": cost}]}))
            .await
            .expect(201);
        assert_eq!(posting(&app, &bill.str("/journal_entry_id")).await, lines(&["Dr 6100 110.00", "Cr 2100* 110.00"]));
        // A foreign payment needs its rate.
        let id = bill.str("/id");
        app.post("/api/v1/bill_payments", json!({"vendor_id": v, "amount": "100"})).await.expect(400);
        // Paid at 1.20: 120 USD out of the bank; the 10 is a realized loss
        // (bill rate - payment rate < 0).
        let p = app
            .post("/api/v1/bill_payments", json!({"vendor_id": v, "amount": "100", "exchange_rate": "1.20",
                "applications": [{"bill_id": id, "amount": "100"}]}))
            .await
            .expect(201);
        assert_eq!(p.raw("/base_amount"), "120.00");
        assert_eq!(
            posting(&app, &p.str("/journal_entry_id")).await,
            lines(&["Cr 1200 120.00", "Dr 2100* 120.00", "Cr 2100* 10.00", "Dr 7906 10.00"])
        );
        // Nothing is left in payables for the vendor.
        let vr = app.get(&format!("/api/v1/vendors/{v}")).await.expect(200);
        assert_eq!(vr.raw("/balance"), "0.00");
        // Paid at a lower rate, the difference is a gain.
        let b2 = app
            .post("/api/v1/bills", json!({"vendor_id": v, "exchange_rate": "1.10", "approve": true,
                "lines": [{"unit_price": "50.00", "account_id": cost}]}))
            .await
            .expect(201)
            .str("/id");
        let p2 = app
            .post("/api/v1/bill_payments", json!({"vendor_id": v, "amount": "50", "exchange_rate": "1.00",
                "applications": [{"bill_id": b2, "amount": "50"}]}))
            .await
            .expect(201);
        assert_eq!(
            posting(&app, &p2.str("/journal_entry_id")).await,
            lines(&["Cr 1200 50.00", "Dr 2100* 50.00", "Dr 2100* 5.00", "Cr 7906 5.00"])
        );
    }

}

backend_test! {
    async fn vendor_credits_mirror_bills_and_are_applied_or_refunded(app: TestApp) {
        let cost = expense_account(&app, "6100").await;
        let v = vendor(&app, json!({"name": "Paper Co"})).await;
        let other = vendor(&app, json!({"name": "Other Co"})).await;
        let a = approved_bill(&app, &v, &cost, "100.00").await;
        let theirs = approved_bill(&app, &other, &cost, "100.00").await;
        // A credit naming another vendor's bill is refused.
        let before = written(&app).await;
        let r = app
            .post("/api/v1/vendor_credits", json!({"vendor_id": v, "bill_id": theirs, "lines": [{"unit_price": "40", "account_id": cost}]}))
            .await
            .expect(400);
        assert!(r.json["details"]["bill_id"].is_string(), "{}", r.text);
        // A bill does not name a bill it credits.
        let r = app
            .post("/api/v1/bills", json!({"vendor_id": v, "bill_id": a, "lines": [{"unit_price": "40", "account_id": cost}]}))
            .await
            .expect(400);
        assert!(r.json["details"]["bill_id"].is_string(), "{}", r.text);
        assert_eq!(written(&app).await, before);
        let vc = app
            .post("/api/v1/vendor_credits", json!({"vendor_id": v, "bill_id": a, "vendor_reference": "CR-1", "approve": true,
                "lines": [{"unit_price": "40", "account_id": cost}]}))
            .await
            .expect(201);
        assert_eq!((vc.str("/status"), vc.str("/number"), vc.str("/source_id")), ("open".into(), "VC-00001".into(), a.clone()));
        assert_eq!(posting(&app, &vc.str("/journal_entry_id")).await, lines(&["Dr 2100* 40.00", "Cr 6100 40.00"]));
        let id = vc.str("/id");
        // 25 to the bill; applying more than is left, or to another
        // vendor's bill, is refused.
        app.post(&format!("/api/v1/vendor_credits/{id}/apply"), json!({"applications": [{"bill_id": theirs, "amount": "5"}]}))
            .await
            .expect(400);
        app.post(&format!("/api/v1/vendor_credits/{id}/apply"), json!({"applications": [{"bill_id": a, "amount": "41"}]}))
            .await
            .expect(400);
        let entries = app.count("journal_entries").await;
        let c = app
            .post(&format!("/api/v1/vendor_credits/{id}/apply"), json!({"applications": [{"bill_id": a, "amount": "25"}]}))
            .await
            .expect(200);
        assert_eq!((c.raw("/amount_credited"), c.raw("/balance")), ("25.00".into(), "15.00".into()));
        assert_eq!(app.count("journal_entries").await, entries, "an allocation in one currency posts nothing");
        let bill = app.get(&format!("/api/v1/bills/{a}")).await.expect(200);
        assert_eq!((bill.raw("/amount_credited"), bill.raw("/balance"), bill.str("/status")), ("25.00".into(), "75.00".into(), "partially_paid".into()));
        // The vendor refunds the other 15 into the bank: Dr bank / Cr AP.
        app.post(&format!("/api/v1/vendor_credits/{id}/refund"), json!({"amount": "15.01"})).await.expect(400);
        let c = app.post(&format!("/api/v1/vendor_credits/{id}/refund"), json!({"amount": "15"})).await.expect(200);
        assert_eq!((c.str("/status"), c.raw("/balance")), ("closed".into(), "0.00".into()));
        let refund = app.get("/api/v1/journal_entries?limit=100").await.expect(200);
        let last = refund.json["data"].as_array().unwrap().iter().find(|e| e["memo"].as_str().unwrap_or("").starts_with("Refund of vendor credit")).expect("the refund posted")["id"].as_str().unwrap().to_owned();
        assert_eq!(posting(&app, &last).await, lines(&["Dr 1200 15.00", "Cr 2100* 15.00"]));
        // Used credit is not voided; the vendor owes nothing and is owed 75.
        app.post(&format!("/api/v1/vendor_credits/{id}/void"), json!({})).await.expect(409);
        let vr = app.get(&format!("/api/v1/vendors/{v}")).await.expect(200);
        assert_eq!(vr.raw("/balance"), "75.00");
        // Taking the application back reopens the bill and the credit.
        let allocs = app.get(&format!("/api/v1/vendor_credits/{id}/allocations")).await.expect(200);
        let alloc = allocs.str("/0/id");
        assert_eq!(allocs.str("/0/bill_id"), a);
        app.delete(&format!("/api/v1/vendor_credits/{id}/allocations/{alloc}")).await.expect(200);
        let bill = app.get(&format!("/api/v1/bills/{a}")).await.expect(200);
        assert_eq!(bill.raw("/balance"), "100.00");
        assert_eq!(events(&app, "vendor_credit.").await, ["vendor_credit.created", "vendor_credit.approved", "vendor_credit.updated", "vendor_credit.updated", "vendor_credit.updated"]);
    }

}

backend_test! {
    async fn purchase_orders_are_billed_whole_or_by_line(app: TestApp) {
        let cost = expense_account(&app, "6100").await;
        let v = vendor(&app, json!({"name": "Paper Co"})).await;
        let po = app
            .post("/api/v1/purchase_orders", json!({"vendor_id": v, "date": "2026-03-01", "lines": [
                {"description": "Paper", "quantity": "10", "unit_price": "5.00", "discount": "10.00", "account_id": cost},
                {"description": "Toner", "quantity": "2", "unit_price": "30.00", "account_id": cost}
            ]}))
            .await
            .expect(201);
        let id = po.str("/id");
        assert_eq!((po.str("/status"), po.json["journal_entry_id"].is_null()), ("draft".into(), true));
        assert_eq!(po.raw("/lines/0/billed_quantity"), "0");
        // A draft is not billed, nor approved.
        app.post(&format!("/api/v1/purchase_orders/{id}/convert"), json!({})).await.expect(409);
        app.post("/api/v1/purchase_orders", json!({"vendor_id": v, "approve": true, "lines": [{"unit_price": "1", "account_id": cost}]})).await.expect(400);
        let entries = app.count("journal_entries").await;
        let issued = app.post(&format!("/api/v1/purchase_orders/{id}/issue"), json!({})).await.expect(200);
        assert_eq!((issued.str("/status"), issued.str("/number")), ("issued".into(), "PO-00001".into()));
        assert_eq!(app.count("journal_entries").await, entries, "orders post nothing");
        // Billing more than ordered, or a line the order lacks: 422,
        // nothing written.
        let before = written(&app).await;
        for (body, field) in [
            (json!({"lines": [{"line": 1, "quantity": "10.5"}]}), "lines[0].quantity"),
            (json!({"lines": [{"line": 3}]}), "lines[0].line"),
            (json!({"lines": [{"line": 0}]}), "lines[0].line"),
            (json!({"lines": [{"line": 1, "quantity": "0"}]}), "lines[0].quantity"),
            (json!({"lines": [{"line": 1}, {"line": 1}]}), "lines[1].line"),
            (json!({"lines": []}), "lines"),
        ] {
            let r = app.post(&format!("/api/v1/purchase_orders/{id}/convert"), body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        let r = app.post(&format!("/api/v1/purchase_orders/{id}/convert"), json!({"lines": [{"line": 1, "quantity": "11"}]})).await.expect(400);
        assert!(r.text.contains("more than the 10 left to bill on line 1"), "{}", r.text);
        assert_eq!(written(&app).await, before);
        // 4 of the paper: a draft bill at the order's price, with 4/10 of
        // the discount.
        let bill = app
            .post(&format!("/api/v1/purchase_orders/{id}/convert"), json!({"vendor_reference": "INV-1", "lines": [{"line": 1, "quantity": "4"}]}))
            .await
            .expect(201);
        assert_eq!((bill.str("/doc_type"), bill.str("/status"), bill.str("/source_id")), ("bill".into(), "draft".into(), id.clone()));
        assert_eq!((bill.raw("/lines/0/quantity"), bill.raw("/lines/0/discount"), bill.raw("/total")), ("4".into(), "4.00".into(), "16.00".into()));
        assert_eq!(bill.str("/reference"), "PO-00001");
        let first = bill.str("/id");
        let po = app.get(&format!("/api/v1/purchase_orders/{id}")).await.expect(200);
        assert_eq!((po.str("/status"), po.raw("/lines/0/billed_quantity"), po.str("/converted_to_id")), ("partially_billed".into(), "4".into(), first.clone()));
        // The bill's lines stay the order's; other fields may change.
        app.put(&format!("/api/v1/bills/{first}"), json!({"lines": [{"unit_price": "1", "account_id": cost}]})).await.expect(400);
        app.put(&format!("/api/v1/bills/{first}"), json!({"notes": "Checked"})).await.expect(200);
        // Deleting the draft gives the 4 back.
        app.delete(&format!("/api/v1/bills/{first}")).await.expect(204);
        let po = app.get(&format!("/api/v1/purchase_orders/{id}")).await.expect(200);
        assert_eq!((po.str("/status"), po.raw("/lines/0/billed_quantity")), ("issued".into(), "0".into()));
        // The whole order at once; then nothing is left to bill.
        let bill = app.post(&format!("/api/v1/purchase_orders/{id}/convert"), json!({})).await.expect(201);
        assert_eq!(bill.raw("/total"), "100.00");
        let po = app.get(&format!("/api/v1/purchase_orders/{id}")).await.expect(200);
        assert_eq!((po.str("/status"), po.raw("/lines/1/billed_quantity")), ("billed".into(), "2".into()));
        app.post(&format!("/api/v1/purchase_orders/{id}/convert"), json!({})).await.expect(409);
        app.post(&format!("/api/v1/purchase_orders/{id}/cancel"), json!({})).await.expect(409);
        // Approving and voiding the bill opens the order again.
        let bid = bill.str("/id");
        app.post(&format!("/api/v1/bills/{bid}/approve"), json!({})).await.expect(200);
        app.post(&format!("/api/v1/bills/{bid}/void"), json!({})).await.expect(200);
        let po = app.get(&format!("/api/v1/purchase_orders/{id}")).await.expect(200);
        assert_eq!(po.str("/status"), "issued");
        // A cancelled order is not converted.
        app.post(&format!("/api/v1/purchase_orders/{id}/cancel"), json!({})).await.expect(200);
        let before = written(&app).await;
        let r = app.post(&format!("/api/v1/purchase_orders/{id}/convert"), json!({})).await.expect(409);
        assert!(r.text.contains("cancelled"), "{}", r.text);
        assert_eq!(written(&app).await, before);
        assert_eq!(
            events(&app, "purchase_order.").await,
            ["purchase_order.created", "purchase_order.issued", "purchase_order.updated", "purchase_order.updated",
             "purchase_order.updated", "purchase_order.billed", "purchase_order.updated", "purchase_order.cancelled"]
        );
    }
}

backend_test! {
    #[country("GB", "GBP")]
    async fn expenses_are_approved_once_then_paid(app: TestApp) {
        let std = ferrobooks_testkit::factories::tax_named(&app, "VAT Standard 20%").await;
        let travel = expense_account(&app, "7400").await;
        let card = app.account("2150").await;
        // Bad input, nothing written.
        let before = written(&app).await;
        for (body, field) in [
            (json!({"account_id": travel}), "amount"),
            (json!({"amount": "10"}), "account_id"),
            (json!({"account_id": travel, "amount": "-1"}), "amount"),
            (json!({"account_id": travel, "amount": "10", "vendor_id": "ven_nope"}), "vendor_id"),
            (json!({"account_id": card, "amount": "10"}), "account_id"),
            (json!({"account_id": travel, "amount": "10", "itc_eligibility": "eligible"}), "itc_eligibility"),
        ] {
            let r = app.post("/api/v1/expenses", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        assert_eq!(written(&app).await, before);
        // A taxi with VAT, no vendor: submitted and numbered, nothing posted.
        let e = app
            .post("/api/v1/expenses", json!({"account_id": travel, "amount": "50.00", "tax_id": std, "description": "Taxi", "reference": "receipt 8812"}))
            .await
            .expect(201);
        let id = e.str("/id");
        assert_eq!((e.str("/status"), e.str("/number"), e.json["vendor_id"].is_null()), ("submitted".into(), "EXP-00001".into(), true));
        assert_eq!((e.raw("/total"), e.str("/doc_type")), ("60.00".into(), "expense".into()));
        assert!(e.json["journal_entry_id"].is_null());
        // Paying before approval is refused.
        app.post(&format!("/api/v1/expenses/{id}/pay"), json!({})).await.expect(409);
        let a = app.post(&format!("/api/v1/expenses/{id}/approve"), json!({})).await.expect(200);
        assert_eq!((a.str("/status"), a.str("/number")), ("approved".into(), "EXP-00001".into()));
        assert_eq!(posting(&app, &a.str("/journal_entry_id")).await, lines(&["Dr 7400 50.00", "Dr 2201 10.00", "Cr 2109 60.00"]));
        // Approving twice is 409 and names the status.
        let r = app.post(&format!("/api/v1/expenses/{id}/approve"), json!({})).await.expect(409);
        assert!(r.text.contains("approved"), "{}", r.text);
        app.post(&format!("/api/v1/expenses/{id}/reject"), json!({})).await.expect(409);
        app.put(&format!("/api/v1/expenses/{id}"), json!({"notes": "late"})).await.expect(409);
        // Paid from the card.
        let p = app.post(&format!("/api/v1/expenses/{id}/pay"), json!({"account_id": card})).await.expect(200);
        assert_eq!((p.str("/status"), p.str("/deposit_account_id"), p.raw("/balance")), ("paid".into(), card.clone(), "0.00".into()));
        let tb = app.get("/api/v1/reports/trial_balance").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), tb.raw("/total_credit"), "{}", tb.text);
        assert!(!tb.text.contains("\"2109\""), "accruals are cleared: {}", tb.text);
        // Voiding reverses both entries: nothing left in accruals or the card.
        let entries = app.count("journal_entries").await;
        app.post(&format!("/api/v1/expenses/{id}/void"), json!({})).await.expect(200);
        assert_eq!(app.count("journal_entries").await, entries + 2);
        for code in ["2109", "2150", "7400"] {
            let acc = app.account(code).await;
            let r = app.get(&format!("/api/v1/accounts/{acc}")).await.expect(200);
            assert_eq!(r.raw("/balance"), "0.00", "{code}: {}", r.text);
        }
        // Rejected, corrected, submitted again, approved; a vendor's.
        let v = vendor(&app, json!({"name": "Cab Co"})).await;
        let e = app.post("/api/v1/expenses", json!({"vendor_id": v, "account_id": travel, "amount": "20"})).await.expect(201);
        let id = e.str("/id");
        assert_eq!(e.str("/vendor_id"), v);
        let r = app.post(&format!("/api/v1/expenses/{id}/reject"), json!({})).await.expect(200);
        assert_eq!(r.str("/status"), "rejected");
        app.post(&format!("/api/v1/expenses/{id}/approve"), json!({})).await.expect(409);
        let c = app.put(&format!("/api/v1/expenses/{id}"), json!({"account_id": travel, "amount": "18"})).await.expect(200);
        assert_eq!((c.str("/status"), c.raw("/total")), ("submitted".into(), "18.00".into()));
        app.post(&format!("/api/v1/expenses/{id}/approve"), json!({})).await.expect(200);
        // Expenses approved at once, and deleted while submitted.
        let quick = app.post("/api/v1/expenses", json!({"account_id": travel, "amount": "5", "approve": true})).await.expect(201);
        assert_eq!(quick.str("/status"), "approved");
        let gone = app.post("/api/v1/expenses", json!({"account_id": travel, "amount": "5"})).await.expect(201).str("/id");
        app.delete(&format!("/api/v1/expenses/{gone}")).await.expect(204);
        assert_eq!(
            events(&app, "expense.").await,
            ["expense.created", "expense.approved", "expense.paid", "expense.voided", "expense.created",
             "expense.rejected", "expense.updated", "expense.approved", "expense.created", "expense.approved",
             "expense.created", "expense.deleted"]
        );
    }
}

backend_test! {
    async fn goods_bought_at_cost_are_sold_at_average_cost(app: TestApp) {
        let v = vendor(&app, json!({"name": "Widget Works"})).await;
        let c = ferrobooks_testkit::factories::customer(&app, json!({"name": "Shop"})).await;
        let cost = expense_account(&app, "6100").await;
        let p = app
            .post("/api/v1/products", json!({"name": "Widget", "price": "25.00", "track_inventory": true}))
            .await
            .expect(201)
            .str("/id");
        let stock = |expect_qty: &'static str, expect_value: &'static str| {
            let app = &app;
            let p = p.clone();
            async move {
                let r = app.get(&format!("/api/v1/products/{p}")).await.expect(200);
                assert_eq!((r.raw("/quantity_on_hand"), r.raw("/stock_value")), (expect_qty.to_owned(), expect_value.to_owned()), "{}", r.text);
                let acc = app.account("1001").await;
                let a = app.get(&format!("/api/v1/accounts/{acc}")).await.expect(200);
                assert_eq!(a.raw("/balance"), expect_value, "the stock account is the stock's value");
            }
        };
        // Tracked goods are bought into stock, not expensed.
        let r = app
            .post("/api/v1/bills", json!({"vendor_id": v, "lines": [{"product_id": p, "quantity": "1", "unit_price": "1", "account_id": cost}]}))
            .await
            .expect(400);
        assert!(r.json["details"]["lines[0].account_id"].is_string(), "{}", r.text);
        // 10 at 10.00, then 5 at 13.00: 15 worth 165.00 (average 11.00).
        let bill = |q: &str, price: &str| {
            let app = &app;
            let body = json!({"vendor_id": v, "approve": true, "lines": [{"product_id": p, "quantity": q, "unit_price": price}]});
            async move { app.post("/api/v1/bills", body).await.expect(201) }
        };
        let b1 = bill("10", "10.00").await;
        assert_eq!(posting(&app, &b1.str("/journal_entry_id")).await, lines(&["Dr 1001 100.00", "Cr 2100* 100.00"]));
        bill("5", "13.00").await;
        stock("15", "165.00").await;
        // 3 sold: 33.00 of cost of sales, in the invoice's entry.
        let inv = ferrobooks_testkit::factories::approved_invoice(&app, json!({"customer_id": c, "lines": [{"product_id": p, "quantity": "3"}]})).await;
        assert_eq!(
            posting(&app, &inv.str("/journal_entry_id")).await,
            lines(&["Dr 1100* 75.00", "Cr 4000 75.00", "Dr 5000 33.00", "Cr 1001 33.00"])
        );
        stock("12", "132.00").await;
        // A customer returns one: back at the average.
        let cn = app
            .post("/api/v1/credit_notes", json!({"customer_id": c, "approve": true, "lines": [{"product_id": p, "quantity": "1"}]}))
            .await
            .expect(201);
        assert_eq!(
            posting(&app, &cn.str("/journal_entry_id")).await,
            lines(&["Cr 1100* 25.00", "Dr 4000 25.00", "Dr 1001 11.00", "Cr 5000 11.00"])
        );
        stock("13", "143.00").await;
        // Two go back to the vendor at what the vendor credits.
        let vc = app
            .post("/api/v1/vendor_credits", json!({"vendor_id": v, "approve": true, "lines": [{"product_id": p, "quantity": "2", "unit_price": "13.00"}]}))
            .await
            .expect(201);
        assert_eq!(posting(&app, &vc.str("/journal_entry_id")).await, lines(&["Dr 2100* 26.00", "Cr 1001 26.00"]));
        stock("11", "117.00").await;
        // Voiding the sale brings its 3 back at the 33.00 they left at.
        let inv_id = inv.str("/id");
        app.post(&format!("/api/v1/invoices/{inv_id}/void"), json!({})).await.expect(200);
        stock("14", "150.00").await;
        // The last of the stock takes all of its value: nothing is left.
        let last = ferrobooks_testkit::factories::approved_invoice(&app, json!({"customer_id": c, "lines": [{"product_id": p, "quantity": "14"}]})).await;
        assert!(posting(&app, &last.str("/journal_entry_id")).await.contains(&"Dr 5000 150.00".to_owned()));
        stock("0", "0.00").await;
        // Services and untracked goods move no stock and cost nothing.
        let svc = app.post("/api/v1/products", json!({"name": "Fitting", "type": "service", "price": "40"})).await.expect(201).str("/id");
        let i = ferrobooks_testkit::factories::approved_invoice(&app, json!({"customer_id": c, "lines": [{"product_id": svc}]})).await;
        assert_eq!(posting(&app, &i.str("/journal_entry_id")).await, lines(&["Dr 1100* 40.00", "Cr 4000 40.00"]));
    }
}

/// POSTs each body to `path` at once; the status and answer of each.
async fn all_at_once(app: &TestApp, path: &str, bodies: Vec<Value>) -> Vec<(u16, Value)> {
    let mut tasks = Vec::new();
    for body in bodies {
        let (client, key) = (app.client.clone(), app.key.clone());
        let url = format!("{}{path}", app.base);
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .bearer_auth(key)
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

backend_test! {
    async fn one_vendor_bill_number_sent_twenty_times_at_once_makes_one_bill(app: TestApp) {
        // Whether or not the drafts share a commit (SQLite's group
        // commit): the check, or the unique index behind it, lets one in.
        let cost = expense_account(&app, "6100").await;
        let v = vendor(&app, json!({"name": "Paper Co"})).await;
        let before = written(&app).await;
        let body = json!({"vendor_id": v, "vendor_reference": "DUP-1", "lines": [{"unit_price": "10", "account_id": cost}]});
        let answers = all_at_once(&app, "/api/v1/bills", vec![body; 20]).await;
        let made = answers.iter().filter(|(s, _)| *s == 201).count();
        assert_eq!(made, 1, "{answers:?}");
        for (status, v) in answers.iter().filter(|(s, _)| *s != 201) {
            assert_eq!((*status, v["code"].as_str()), (409, Some("conflict")), "{v}");
        }
        let after = written(&app).await;
        assert_eq!(after[3], before[3] + 1, "one document");
        assert_eq!(after[4], before[4] + 1, "with its one line");
    }
}

backend_test! {
    async fn ten_payments_of_one_bill_at_once_pay_it_once(app: TestApp) {
        // Each pays the whole balance: one is taken, the others find the
        // bill paid. (Units sharing a commit take turns on a bill; the
        // store's units test shows it deterministically.)
        let cost = expense_account(&app, "6100").await;
        let v = vendor(&app, json!({"name": "Paper Co"})).await;
        let bill = approved_bill(&app, &v, &cost, "100.00").await;
        let body = json!({"vendor_id": v, "amount": "100.00", "applications": [{"bill_id": bill, "amount": "100.00"}]});
        let answers = all_at_once(&app, "/api/v1/bill_payments", vec![body; 10]).await;
        let paid = answers.iter().filter(|(s, _)| *s == 201).count();
        assert_eq!(paid, 1, "{answers:?}");
        for (status, v) in answers.iter().filter(|(s, _)| *s != 201) {
            assert!(*status == 400 || *status == 409, "{status} {v}");
        }
        let b = app.get(&format!("/api/v1/bills/{bill}")).await.expect(200);
        assert_eq!(b.str("/status"), "paid");
        assert_eq!((crate::flows::c_of(&b.json, "amount_paid"), crate::flows::c_of(&b.json, "balance")), (10_000, 0), "{}", b.text);
        assert_eq!(crate::flows::all(&app, "/api/v1/bill_payments").await.len(), 1, "one payment was made");
    }
}
