//! Estimates, receipts, the due-date job and concurrent approvals.

use serde_json::json;

use ferrobooks_testkit::factories::{approved_invoice, customer, events, lines, posting};

ferrobooks_testkit::backend_test! {
    async fn estimates_convert_to_invoices(app: TestApp) {
        let c = customer(&app, json!({"name": "Acme"})).await;
        let e = app
            .post("/api/v1/estimates", json!({"customer_id": c, "date": "2026-03-01", "expiry_date": "2026-03-31",
                "lines": [{"description": "Build", "quantity": 3, "unit_price": "100.00"}]}))
            .await
            .expect(201);
        let id = e.str("/id");
        assert_eq!((e.str("/status"), e.str("/due_date")), ("draft".into(), "2026-03-31".into()));
        assert!(e.json["journal_entry_id"].is_null());
        let r = app.post("/api/v1/estimates", json!({"customer_id": c, "due_date": "2026-03-31", "lines": [{"unit_price": 1}]})).await.expect(400);
        assert!(r.json["details"]["due_date"].is_string());
        let s = app.post(&format!("/api/v1/estimates/{id}/send"), json!({})).await.expect(200);
        assert_eq!((s.str("/status"), s.str("/number")), ("sent".into(), "EST-00001".into()));
        let inv = app.post(&format!("/api/v1/estimates/{id}/convert"), json!({})).await.expect(201);
        assert_eq!(inv.str("/doc_type"), "invoice");
        assert_eq!(inv.str("/status"), "draft");
        assert_eq!(inv.str("/source_id"), id);
        assert_eq!(inv.raw("/total"), "300.00");
        assert!(inv.json["number"].is_null());
        let est = app.get(&format!("/api/v1/estimates/{id}")).await.expect(200);
        assert_eq!(est.str("/status"), "accepted");
        assert_eq!(est.str("/converted_to_id"), inv.str("/id"));
        app.post(&format!("/api/v1/estimates/{id}/convert"), json!({})).await.expect(409);
        app.post(&format!("/api/v1/estimates/{id}/decline"), json!({})).await.expect(409);
        // The invoice it became approves like any other; estimates posted nothing.
        let a = app.post(&format!("/api/v1/invoices/{}/approve", inv.str("/id")), json!({})).await.expect(200);
        assert_eq!(a.str("/number"), "INV-00001");
        assert_eq!(app.count("journal_entries").await, 1);
        // Declined; and one that expires by the job.
        let d = app.post("/api/v1/estimates", json!({"customer_id": c, "lines": [{"unit_price": 1}]})).await.expect(201).str("/id");
        let r = app.post(&format!("/api/v1/estimates/{d}/decline"), json!({})).await.expect(200);
        assert_eq!(r.str("/status"), "declined");
        app.post(&format!("/api/v1/estimates/{d}/convert"), json!({})).await.expect(409);
        let x = app.post("/api/v1/estimates", json!({"customer_id": c, "date": "2026-01-01", "expiry_date": "2026-01-15", "lines": [{"unit_price": 1}]})).await.expect(201).str("/id");
        let report = app.services.run_due_dates("2026-01-16").await.unwrap();
        assert_eq!(report.expired, 1);
        assert_eq!(app.get(&format!("/api/v1/estimates/{x}")).await.expect(200).str("/status"), "expired");
        app.post(&format!("/api/v1/estimates/{x}/accept"), json!({})).await.expect(409);
        assert_eq!(
            events(&app, "estimate.").await,
            ["estimate.created", "estimate.sent", "estimate.converted", "estimate.created", "estimate.declined", "estimate.created", "estimate.expired"]
        );
    }
}

ferrobooks_testkit::backend_test! {
    async fn receipts_post_to_the_bank(app: TestApp) {
        let c = customer(&app, json!({"name": "Walk-in"})).await;
        let tax = app
            .post("/api/v1/taxes", json!({"name": "ST", "kind": "sales_tax", "components": [{"name": "State", "rate": "5"}]}))
            .await
            .expect(201)
            .str("/id");
        let p = app
            .post("/api/v1/products", json!({"name": "Mug", "price": "8.00", "tax_id": tax, "track_inventory": true, "quantity_on_hand": 20}))
            .await
            .expect(201)
            .str("/id");
        let bank = app.account("1200").await;
        let sr = app
            .post("/api/v1/sales_receipts", json!({"customer_id": c, "deposit_account_id": bank, "lines": [{"product_id": p, "quantity": 5}]}))
            .await
            .expect(201);
        assert_eq!((sr.str("/status"), sr.str("/number")), ("completed".into(), "SR-00001".into()));
        assert_eq!(posting(&app, &sr.str("/journal_entry_id")).await, lines(&["Dr 1200 42.00", "Cr 4000 40.00", "Cr 2230 2.00"]));
        assert_eq!(app.get(&format!("/api/v1/products/{p}")).await.expect(200).raw("/quantity_on_hand"), "15");
        let rr = app
            .post("/api/v1/refund_receipts", json!({"customer_id": c, "lines": [{"product_id": p, "quantity": 1}]}))
            .await
            .expect(201);
        assert_eq!(rr.str("/number"), "RR-00001");
        assert_eq!(posting(&app, &rr.str("/journal_entry_id")).await, lines(&["Cr 1240 8.40", "Dr 4000 8.00", "Dr 2230 0.40"]));
        assert_eq!(app.get(&format!("/api/v1/products/{p}")).await.expect(200).raw("/quantity_on_hand"), "16");
        // Receipts are not invoices: no AR, and the customer owes nothing.
        assert_eq!(app.get(&format!("/api/v1/customers/{c}")).await.expect(200).raw("/balance"), "0.00");
        let v = app.post(&format!("/api/v1/sales_receipts/{}/void", sr.str("/id")), json!({})).await.expect(200);
        assert_eq!(v.str("/status"), "void");
        assert_eq!(app.get(&format!("/api/v1/products/{p}")).await.expect(200).raw("/quantity_on_hand"), "21");
        let r = app.post("/api/v1/sales_receipts", json!({"customer_id": c, "deposit_account_id": app.account("4000").await, "lines": [{"product_id": p}]})).await.expect(400);
        assert!(r.json["details"]["deposit_account_id"].is_string());
        assert_eq!(app.count("documents").await, 2);
    }
}

ferrobooks_testkit::backend_test! {
    async fn overdue_is_announced_once(app: TestApp) {
        let c = customer(&app, json!({"name": "Late payer"})).await;
        let late = approved_invoice(&app, json!({"customer_id": c, "date": "2026-01-01", "due_date": "2026-01-31", "lines": [{"unit_price": "10"}]})).await.str("/id");
        let on_time = approved_invoice(&app, json!({"customer_id": c, "date": "2026-01-01", "due_date": "2026-03-01", "lines": [{"unit_price": "10"}]})).await.str("/id");
        let paid = approved_invoice(&app, json!({"customer_id": c, "date": "2026-01-01", "due_date": "2026-01-15", "lines": [{"unit_price": "10"}]})).await.str("/id");
        app.post("/api/v1/payments", json!({"customer_id": c, "amount": "10", "applications": [{"invoice_id": paid, "amount": "10"}]})).await.expect(201);
        let r = app.services.run_due_dates("2026-02-01").await.unwrap();
        assert_eq!(r.overdue, 1);
        assert_eq!(app.get(&format!("/api/v1/invoices/{late}")).await.expect(200).str("/status"), "overdue");
        assert_eq!(app.get(&format!("/api/v1/invoices/{on_time}")).await.expect(200).str("/status"), "approved");
        // Again, from another "node": nothing new.
        let r = app.services.run_due_dates("2026-02-02").await.unwrap();
        assert_eq!(r.overdue, 0);
        assert_eq!(events(&app, "invoice.overdue").await.len(), 1);
        // A partial payment on an overdue invoice.
        app.post("/api/v1/payments", json!({"customer_id": c, "amount": "4", "applications": [{"invoice_id": late, "amount": "4"}]})).await.expect(201);
        assert_eq!(app.get(&format!("/api/v1/invoices/{late}")).await.expect(200).str("/status"), "partially_paid");
    }
}

ferrobooks_testkit::backend_test! {
    async fn concurrent_approvals_take_consecutive_numbers(app: TestApp) {
        let c = customer(&app, json!({"name": "Busy"})).await;
        let mut ids = Vec::new();
        for _ in 0..50 {
            ids.push(app.post("/api/v1/invoices", json!({"customer_id": c, "lines": [{"unit_price": "1"}]})).await.expect(201).str("/id"));
        }
        let mut tasks = Vec::new();
        for id in ids {
            let client = app.client.clone();
            let url = format!("{}/api/v1/invoices/{id}/approve", app.base);
            let key = app.key.clone();
            tasks.push(tokio::spawn(async move {
                let r = client.post(url).bearer_auth(key).json(&json!({})).send().await.unwrap();
                assert_eq!(r.status(), 200);
                let v: serde_json::Value = r.json().await.unwrap();
                v["number"].as_str().unwrap().to_owned()
            }));
        }
        let mut numbers = Vec::new();
        for t in tasks {
            numbers.push(t.await.unwrap());
        }
        numbers.sort();
        let expected: Vec<String> = (1..=50).map(|n| format!("INV-{n:05}")).collect();
        assert_eq!(numbers, expected);
    }
}

ferrobooks_testkit::backend_test! {
    async fn a_failing_request_never_fails_its_neighbours(app: TestApp) {
        // Requests that share a commit (SQLite's group commit): the bad
        // ones are rolled back alone, the good ones commit with numbers in
        // order and nothing of the bad ones is left.
        let c = customer(&app, json!({"name": "Busy"})).await;
        let (documents, entries) = (app.count("documents").await, app.count("journal_entries").await);
        let mut tasks = Vec::new();
        for n in 0..60 {
            let client = app.client.clone();
            let url = format!("{}/api/v1/invoices", app.base);
            let key = app.key.clone();
            // Every third names no customer there is; every fifth has a
            // line too large to post.
            let body = match n {
                n if n % 3 == 0 => json!({"customer_id": "cus_nope", "approve": true, "lines": [{"unit_price": "1"}]}),
                n if n % 5 == 0 => json!({"customer_id": c, "approve": true, "lines": [{"unit_price": "99999999999999.99", "quantity": "9999"}]}),
                _ => json!({"customer_id": c, "approve": true, "lines": [{"unit_price": "2.50"}]}),
            };
            tasks.push(tokio::spawn(async move {
                let r = client.post(url).bearer_auth(key).json(&body).send().await.unwrap();
                let status = r.status().as_u16();
                let v: serde_json::Value = r.json().await.unwrap();
                (n, status, v["number"].as_str().map(str::to_owned))
            }));
        }
        let mut numbers = Vec::new();
        for t in tasks {
            let (n, status, number) = t.await.unwrap();
            if n % 3 == 0 || n % 5 == 0 {
                assert_eq!(status, 400, "request {n}");
            } else {
                assert_eq!(status, 201, "request {n}");
                numbers.push(number.unwrap());
            }
        }
        numbers.sort();
        let expected: Vec<String> = (1..=numbers.len()).map(|n| format!("INV-{n:05}")).collect();
        assert_eq!(numbers, expected, "numbers are consecutive: failed requests gave theirs back");
        assert_eq!(app.count("documents").await, documents + numbers.len() as i64);
        assert_eq!(app.count("journal_entries").await, entries + numbers.len() as i64);
    }
}

async fn post_with_key(
    app: &ferrobooks_testkit::TestApp,
    path: &str,
    key: &str,
    body: serde_json::Value,
) -> ferrobooks_testkit::Resp {
    let r = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(&app.key)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    ferrobooks_testkit::into_resp(r).await
}

ferrobooks_testkit::backend_test! {
    async fn retried_sales_writes_happen_once(app: TestApp) {
        let c = customer(&app, json!({"name": "Retry"})).await;
        let body = json!({"customer_id": c, "lines": [{"unit_price": "100.00"}]});
        let first = post_with_key(&app, "/api/v1/invoices", "inv-1", body.clone()).await.expect(201);
        let again = post_with_key(&app, "/api/v1/invoices", "inv-1", body).await.expect(201);
        assert_eq!(first.str("/id"), again.str("/id"));
        assert_eq!(app.count("documents").await, 1);
        let id = first.str("/id");
        let a1 = post_with_key(&app, &format!("/api/v1/invoices/{id}/approve"), "appr-1", json!({})).await.expect(200);
        let a2 = post_with_key(&app, &format!("/api/v1/invoices/{id}/approve"), "appr-1", json!({})).await.expect(200);
        assert_eq!(a1.str("/number"), a2.str("/number"));
        let pay = json!({"customer_id": c, "amount": "100.00", "applications": [{"invoice_id": id, "amount": "100.00"}]});
        let p1 = post_with_key(&app, "/api/v1/payments", "pay-1", pay.clone()).await.expect(201);
        let p2 = post_with_key(&app, "/api/v1/payments", "pay-1", pay).await.expect(201);
        assert_eq!(p1.str("/id"), p2.str("/id"));
        assert_eq!(app.count("payments").await, 1);
        assert_eq!(app.count("journal_entries").await, 2, "one invoice entry, one payment entry");
        assert_eq!(events(&app, "invoice.paid").await.len(), 1);
    }
}

ferrobooks_testkit::backend_test! {
    async fn concurrent_payments_never_overpay(app: TestApp) {
        let c = customer(&app, json!({"name": "Twice"})).await;
        let id = approved_invoice(&app, json!({"customer_id": c, "lines": [{"unit_price": "70.00"}]})).await.str("/id");
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let client = app.client.clone();
            let url = format!("{}/api/v1/payments", app.base);
            let key = app.key.clone();
            let body = json!({"customer_id": c, "amount": "70.00", "applications": [{"invoice_id": id, "amount": "70.00"}]});
            tasks.push(tokio::spawn(async move {
                let r = client.post(url).bearer_auth(key).json(&body).send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap_or_default())
            }));
        }
        let mut answers = Vec::new();
        for t in tasks {
            answers.push(t.await.unwrap());
        }
        answers.sort();
        let statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
        assert_eq!(statuses, [201, 400, 400, 400, 400, 400, 400, 400, 400, 400], "{answers:#?}");
        for (_, body) in &answers[1..] {
            assert!(body.contains("still owed"), "{body}");
        }
        let inv = app.get(&format!("/api/v1/invoices/{id}")).await.expect(200);
        assert_eq!((inv.str("/status"), inv.raw("/balance")), ("paid".into(), "0.00".into()));
        assert_eq!(app.count("payments").await, 1);
    }
}

ferrobooks_testkit::backend_test! {
    async fn invoices_can_be_approved_as_they_are_made(app: TestApp) {
        let c = customer(&app, json!({"name": "Direct"})).await;
        let inv = app
            .post("/api/v1/invoices", json!({"customer_id": c, "approve": true, "lines": [{"unit_price": "12.00"}]}))
            .await
            .expect(201);
        assert_eq!((inv.str("/status"), inv.str("/number")), ("approved".into(), "INV-00001".into()));
        assert_eq!(posting(&app, &inv.str("/journal_entry_id")).await, lines(&["Dr 1100* 12.00", "Cr 4000 12.00"]));
        let r = app.post("/api/v1/estimates", json!({"customer_id": c, "approve": true, "lines": [{"unit_price": 1}]})).await.expect(400);
        assert!(r.json["details"]["approve"].is_string());
        let d = app.post("/api/v1/invoices", json!({"customer_id": c, "lines": [{"unit_price": 1}]})).await.expect(201).str("/id");
        app.put(&format!("/api/v1/invoices/{d}"), json!({"approve": true})).await.expect(400);
        assert_eq!(events(&app, "invoice.").await, ["invoice.created", "invoice.approved", "invoice.created"]);
    }
}

ferrobooks_testkit::backend_test! {
    async fn a_number_is_never_given_twice(app: TestApp) {
        let c = customer(&app, json!({"name": "Series"})).await;
        let line = json!([{"unit_price": "1"}]);
        let set = |t: &'static str| {
            let app = &app;
            async move { app.put("/api/v1/number_series/invoice", json!({"template": t})).await.expect(200) }
        };
        set("{N}").await;
        assert_eq!(approved_invoice(&app, json!({"customer_id": c, "lines": line})).await.str("/number"), "1");
        set("1{N}").await;
        assert_eq!(approved_invoice(&app, json!({"customer_id": c, "lines": line})).await.str("/number"), "12");
        set("{N}").await;
        for n in 3..=11 {
            assert_eq!(approved_invoice(&app, json!({"customer_id": c, "lines": line})).await.str("/number"), n.to_string());
        }
        // Counter 12 prints "12", which the other template gave: skipped.
        assert_eq!(approved_invoice(&app, json!({"customer_id": c, "lines": line})).await.str("/number"), "13");
        // Payments too.
        app.put("/api/v1/number_series/payment", json!({"template": "P{N}"})).await.expect(200);
        let pay = json!({"customer_id": c, "amount": "1"});
        assert_eq!(app.post("/api/v1/payments", pay.clone()).await.expect(201).str("/number"), "P1");
        app.put("/api/v1/number_series/payment", json!({"template": "P2{N}"})).await.expect(200);
        assert_eq!(app.post("/api/v1/payments", pay.clone()).await.expect(201).str("/number"), "P22");
        app.put("/api/v1/number_series/payment", json!({"template": "P{N}"})).await.expect(200);
        let numbers: Vec<String> = {
            let mut v = Vec::new();
            for _ in 0..20 {
                v.push(app.post("/api/v1/payments", pay.clone()).await.expect(201).str("/number"));
            }
            v
        };
        assert!(!numbers.contains(&"P22".to_owned()), "{numbers:?}");
        assert!(numbers.contains(&"P23".to_owned()), "{numbers:?}");
    }
}
