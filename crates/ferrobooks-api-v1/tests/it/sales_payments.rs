//! Payments, credit notes and foreign currency: allocations, unapplied
//! credit, deletes that reopen invoices, realized FX gain/loss.

use serde_json::json;

use ferrobooks_testkit::factories::{approved_invoice, customer, events, lines, posting};

ferrobooks_testkit::backend_test! {
    async fn payments_settle_invoices(app: TestApp) {
        let c = customer(&app, json!({"name": "Acme"})).await;
        let other = customer(&app, json!({"name": "Other"})).await;
        let bank = app.account("1200").await;
        let inv1 = approved_invoice(&app, json!({"customer_id": c, "date": "2026-02-01", "lines": [{"unit_price": "1000.00"}]})).await.str("/id");
        let inv2 = approved_invoice(&app, json!({"customer_id": c, "date": "2026-02-02", "lines": [{"unit_price": "500.00"}]})).await.str("/id");
        let theirs = approved_invoice(&app, json!({"customer_id": other, "lines": [{"unit_price": "10"}]})).await.str("/id");
        // Partial payment into the bank.
        let p1 = app
            .post("/api/v1/payments", json!({"customer_id": c, "date": "2026-02-10", "amount": "400.00", "deposit_account_id": bank,
                "applications": [{"invoice_id": inv1, "amount": "400.00"}]}))
            .await
            .expect(201);
        assert_eq!(p1.str("/number"), "PAY-00001");
        assert_eq!(posting(&app, &p1.str("/journal_entry_id")).await, lines(&["Dr 1200 400.00", "Cr 1100* 400.00"]));
        let i = app.get(&format!("/api/v1/invoices/{inv1}")).await.expect(200);
        assert_eq!(i.str("/status"), "partially_paid");
        assert_eq!(i.raw("/balance"), "600.00");
        // Over two invoices, with 100 left as credit (undeposited funds).
        let p2 = app
            .post("/api/v1/payments", json!({"customer_id": c, "date": "2026-02-11", "amount": "1200.00",
                "applications": [{"invoice_id": inv1, "amount": "600.00"}, {"invoice_id": inv2, "amount": "500.00"}]}))
            .await
            .expect(201);
        assert_eq!(p2.raw("/unapplied"), "100.00");
        assert_eq!(
            posting(&app, &p2.str("/journal_entry_id")).await,
            lines(&["Dr 1240 1200.00", "Cr 1100* 600.00", "Cr 1100* 500.00", "Cr 1100* 100.00"])
        );
        for id in [&inv1, &inv2] {
            let i = app.get(&format!("/api/v1/invoices/{id}")).await.expect(200);
            assert_eq!(i.str("/status"), "paid");
            assert_eq!(i.raw("/balance"), "0.00");
        }
        assert_eq!(events(&app, "invoice.paid").await.len(), 2);
        // The customer's balance: nothing owed, 100 in credit.
        let cus = app.get(&format!("/api/v1/customers/{c}")).await.expect(200);
        assert_eq!(cus.raw("/balance"), "-100.00");
        // A paid invoice cannot be voided.
        app.post(&format!("/api/v1/invoices/{inv1}/void"), json!({})).await.expect(409);
        // Bad payments write nothing.
        let before = (app.count("payments").await, app.count("journal_entries").await, app.count("allocations").await);
        let inv3 = approved_invoice(&app, json!({"customer_id": c, "lines": [{"unit_price": "50.00"}]})).await.str("/id");
        let before = (before.0, before.1 + 1, before.2);
        for (body, field) in [
            (json!({"customer_id": c, "amount": "0"}), "amount"),
            (json!({"customer_id": c, "amount": "-5"}), "amount"),
            (json!({"customer_id": "cus_nope", "amount": "5"}), "customer_id"),
            (json!({"customer_id": c, "amount": "60", "applications": [{"invoice_id": inv3, "amount": "60"}]}), "applications[0].amount"),
            (json!({"customer_id": c, "amount": "10", "applications": [{"invoice_id": inv3, "amount": "20"}]}), "applications"),
            (json!({"customer_id": c, "amount": "10", "applications": [{"invoice_id": theirs, "amount": "10"}]}), "applications[0].invoice_id"),
            (json!({"customer_id": c, "amount": "10", "applications": [{"invoice_id": "inv_nope", "amount": "10"}]}), "applications[0].invoice_id"),
            (json!({"customer_id": c, "amount": "10", "applications": [{"invoice_id": inv3, "amount": "5"}, {"invoice_id": inv3, "amount": "5"}]}), "applications[1].invoice_id"),
            (json!({"customer_id": c, "amount": "10", "currency": "EUR"}), "exchange_rate"),
            (json!({"customer_id": c, "amount": "10", "deposit_account_id": app.account("4000").await}), "deposit_account_id"),
        ] {
            let r = app.post("/api/v1/payments", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
        }
        assert_eq!((app.count("payments").await, app.count("journal_entries").await, app.count("allocations").await), before);
        // The unapplied credit settles invoice 3 later (an allocation only).
        let entries = app.count("journal_entries").await;
        let applied = app
            .post(&format!("/api/v1/payments/{}/apply", p2.str("/id")), json!({"applications": [{"invoice_id": inv3, "amount": "50.00"}]}))
            .await
            .expect(200);
        assert_eq!(applied.raw("/unapplied"), "50.00");
        assert_eq!(app.count("journal_entries").await, entries, "same currency: nothing posts");
        let r = app
            .post(&format!("/api/v1/payments/{}/apply", p2.str("/id")), json!({"applications": [{"invoice_id": inv3, "amount": "1"}]}))
            .await
            .expect(400);
        assert!(r.text.contains("still owed"), "{}", r.text);
        // Deleting payment 2 reverses it and reopens its invoices.
        app.delete(&format!("/api/v1/payments/{}", p2.str("/id"))).await.expect(204);
        app.get(&format!("/api/v1/payments/{}", p2.str("/id"))).await.expect(404);
        let je = app.get(&format!("/api/v1/journal_entries/{}", p2.str("/journal_entry_id"))).await.expect(200);
        assert_eq!(je.str("/status"), "void");
        let i = app.get(&format!("/api/v1/invoices/{inv1}")).await.expect(200);
        assert_eq!((i.str("/status"), i.raw("/balance")), ("partially_paid".into(), "600.00".into()));
        let i = app.get(&format!("/api/v1/invoices/{inv2}")).await.expect(200);
        assert_eq!((i.str("/status"), i.raw("/balance")), ("approved".into(), "500.00".into()));
        let i = app.get(&format!("/api/v1/invoices/{inv3}")).await.expect(200);
        assert_eq!(i.raw("/balance"), "50.00");
        let cus = app.get(&format!("/api/v1/customers/{c}")).await.expect(200);
        assert_eq!(cus.raw("/balance"), "1150.00");
        assert_eq!(events(&app, "payment.").await, ["payment.created", "payment.created", "payment.deleted"]);
    }
}

ferrobooks_testkit::backend_test! {
    async fn credit_notes_apply_and_refund(app: TestApp) {
        let c = customer(&app, json!({"name": "Acme"})).await;
        let other = customer(&app, json!({"name": "Other"})).await;
        let tax = app
            .post("/api/v1/taxes", json!({"name": "ST", "kind": "sales_tax", "components": [{"name": "State", "rate": "10"}]}))
            .await
            .expect(201)
            .str("/id");
        let inv = approved_invoice(&app, json!({"customer_id": c, "lines": [{"unit_price": "200.00", "tax_id": tax}]})).await;
        let inv_id = inv.str("/id");
        assert_eq!(inv.raw("/total"), "220.00");
        let cn = app
            .post("/api/v1/credit_notes", json!({"customer_id": c, "invoice_id": inv_id, "lines": [{"unit_price": "100.00", "tax_id": tax}]}))
            .await
            .expect(201)
            .str("/id");
        let a = app.post(&format!("/api/v1/credit_notes/{cn}/approve"), json!({})).await.expect(200);
        assert_eq!(a.str("/number"), "CN-00001");
        assert_eq!(a.str("/status"), "open");
        assert_eq!(
            posting(&app, &a.str("/journal_entry_id")).await,
            lines(&["Dr 4000 100.00", "Dr 2230 10.00", "Cr 1100* 110.00"])
        );
        // Another customer's invoice is refused; so is more than the credit.
        let theirs = approved_invoice(&app, json!({"customer_id": other, "lines": [{"unit_price": "500"}]})).await.str("/id");
        let r = app.post(&format!("/api/v1/credit_notes/{cn}/apply"), json!({"applications": [{"invoice_id": theirs, "amount": "10"}]})).await.expect(400);
        assert!(r.text.contains("another customer"), "{}", r.text);
        app.post(&format!("/api/v1/credit_notes/{cn}/apply"), json!({"applications": [{"invoice_id": inv_id, "amount": "111"}]})).await.expect(400);
        let entries = app.count("journal_entries").await;
        let applied = app.post(&format!("/api/v1/credit_notes/{cn}/apply"), json!({"applications": [{"invoice_id": inv_id, "amount": "60.00"}]})).await.expect(200);
        assert_eq!(applied.raw("/balance"), "50.00");
        assert_eq!(app.count("journal_entries").await, entries, "applying posts nothing");
        let i = app.get(&format!("/api/v1/invoices/{inv_id}")).await.expect(200);
        assert_eq!((i.raw("/amount_credited"), i.raw("/balance"), i.str("/status")), ("60.00".into(), "160.00".into(), "partially_paid".into()));
        // An applied credit note cannot be voided.
        app.post(&format!("/api/v1/credit_notes/{cn}/void"), json!({})).await.expect(409);
        // Its application can be taken back, and made again.
        let allocs = app.get(&format!("/api/v1/credit_notes/{cn}/allocations")).await.expect(200);
        let alloc = allocs.json[0]["id"].as_str().unwrap().to_owned();
        let on_invoice = app.get(&format!("/api/v1/invoices/{inv_id}/allocations")).await.expect(200);
        assert_eq!(on_invoice.json[0]["source_id"], cn.as_str());
        let left = app.delete(&format!("/api/v1/credit_notes/{cn}/allocations/{alloc}")).await.expect(200);
        assert_eq!(left.json.as_array().unwrap().len(), 0);
        let i = app.get(&format!("/api/v1/invoices/{inv_id}")).await.expect(200);
        assert_eq!((i.raw("/balance"), i.str("/status")), ("220.00".into(), "approved".into()));
        assert_eq!(app.get(&format!("/api/v1/credit_notes/{cn}")).await.expect(200).raw("/balance"), "110.00");
        app.delete(&format!("/api/v1/credit_notes/{cn}/allocations/{alloc}")).await.expect(404);
        app.post(&format!("/api/v1/credit_notes/{cn}/apply"), json!({"applications": [{"invoice_id": inv_id, "amount": "60.00"}]})).await.expect(200);
        // The rest is refunded in cash.
        app.post(&format!("/api/v1/credit_notes/{cn}/refund"), json!({"amount": "50.01"})).await.expect(400);
        let r = app.post(&format!("/api/v1/credit_notes/{cn}/refund"), json!({"amount": "50.00"})).await.expect(200);
        assert_eq!(r.str("/status"), "closed");
        assert_eq!(r.raw("/balance"), "0.00");
        let cus = app.get(&format!("/api/v1/customers/{c}")).await.expect(200);
        assert_eq!(cus.raw("/balance"), "160.00", "220 - 110 credit + 50 refunded");
        app.post(&format!("/api/v1/credit_notes/{cn}/refund"), json!({"amount": "1"})).await.expect(409);
    }
}

ferrobooks_testkit::backend_test! {
    #[country("US", "USD")]
    async fn foreign_currency(app: TestApp) {
        let c = customer(&app, json!({"name": "Euro GmbH", "currency": "EUR"})).await;
        // 100 EUR at 1.10: 110 USD receivable.
        let inv = approved_invoice(
            &app,
            json!({"customer_id": c, "exchange_rate": "1.10", "lines": [{"unit_price": "100.00"}]}),
        )
        .await;
        assert_eq!(inv.str("/currency"), "EUR");
        assert_eq!(inv.raw("/base_total"), "110.00");
        assert_eq!(
            posting(&app, &inv.str("/journal_entry_id")).await,
            lines(&["Dr 1100* 110.00", "Cr 4000 110.00"])
        );
        // Editing a foreign draft keeps its rate unless a new one is given.
        let d = app
            .post(
                "/api/v1/invoices",
                json!({"customer_id": c, "exchange_rate": "1.3", "lines": [{"unit_price": "10.00"}]}),
            )
            .await
            .expect(201)
            .str("/id");
        let e = app
            .put(
                &format!("/api/v1/invoices/{d}"),
                json!({"currency": "EUR", "notes": "x"}),
            )
            .await
            .expect(200);
        assert_eq!(
            (e.raw("/exchange_rate"), e.raw("/base_total")),
            ("1.3".into(), "13.00".into())
        );
        app.delete(&format!("/api/v1/invoices/{d}"))
            .await
            .expect(204);
        // Paid at 1.20: 120 USD banked, the 10 is a realized gain.
        let p = app
            .post(
                "/api/v1/payments",
                json!({"customer_id": c, "amount": "100.00", "exchange_rate": "1.2",
                "applications": [{"invoice_id": inv.str("/id"), "amount": "100.00"}]}),
            )
            .await
            .expect(201);
        assert_eq!(p.str("/currency"), "EUR");
        assert_eq!(p.raw("/base_amount"), "120.00");
        assert_eq!(
            posting(&app, &p.str("/journal_entry_id")).await,
            lines(&[
                "Dr 1240 120.00",
                "Cr 1100* 120.00",
                "Dr 1100* 10.00",
                "Cr 7906 10.00"
            ])
        );
        let cus = app.get(&format!("/api/v1/customers/{c}")).await.expect(200);
        assert_eq!(
            cus.raw("/balance"),
            "0.00",
            "the receivable is settled exactly"
        );
        // A second invoice at 1.30 paid at 1.25 in two parts: a loss.
        let inv = approved_invoice(
            &app,
            json!({"customer_id": c, "exchange_rate": "1.3", "lines": [{"unit_price": "33.33"}]}),
        )
        .await;
        assert_eq!(inv.raw("/base_total"), "43.33");
        let id = inv.str("/id");
        app.post(
            "/api/v1/payments",
            json!({"customer_id": c, "amount": "10.00", "exchange_rate": "1.25",
            "applications": [{"invoice_id": id, "amount": "10.00"}]}),
        )
        .await
        .expect(201);
        app.post(
            "/api/v1/payments",
            json!({"customer_id": c, "amount": "23.33", "exchange_rate": "1.25",
            "applications": [{"invoice_id": id, "amount": "23.33"}]}),
        )
        .await
        .expect(201);
        let cus = app.get(&format!("/api/v1/customers/{c}")).await.expect(200);
        assert_eq!(cus.raw("/balance"), "0.00");
        let tb = app.get("/api/v1/reports/trial_balance").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), tb.raw("/total_credit"));
        // Taking the first payment's application back: the invoice owes 100
        // EUR again (110 USD), the payment is 100 EUR of credit (120 USD), and
        // the gain it realized is taken back.
        let first = app.get("/api/v1/payments?limit=1").await.expect(200);
        let (pid, alloc) = (
            first.str("/data/0/id"),
            first.str("/data/0/applications/0/id"),
        );
        let inv_id = first.str("/data/0/applications/0/invoice_id");
        app.delete(&format!("/api/v1/payments/{pid}/allocations/{alloc}"))
            .await
            .expect(200);
        assert_eq!(
            app.get(&format!("/api/v1/invoices/{inv_id}"))
                .await
                .expect(200)
                .raw("/balance"),
            "100.00"
        );
        assert_eq!(
            app.get(&format!("/api/v1/payments/{pid}"))
                .await
                .expect(200)
                .raw("/unapplied"),
            "100.00"
        );
        let cus = app.get(&format!("/api/v1/customers/{c}")).await.expect(200);
        assert_eq!(cus.raw("/balance"), "-10.00", "110 owed less 120 of credit");
        let fx = app
            .get(&format!("/api/v1/accounts/{}", app.account("7906").await))
            .await
            .expect(200);
        assert_eq!(
            fx.raw("/balance"),
            "1.67",
            "the 10.00 gain is gone; the 1.67 loss stays"
        );
        // A foreign credit note refunded at another rate: FX on the refund.
        let cn = app
            .post("/api/v1/credit_notes", json!({"customer_id": c, "exchange_rate": "1.10", "approve": true, "lines": [{"unit_price": "50.00"}]}))
            .await
            .expect(201);
        assert_eq!(cn.raw("/base_total"), "55.00");
        let cn_id = cn.str("/id");
        let r = app
            .post(
                &format!("/api/v1/credit_notes/{cn_id}/refund"),
                json!({"amount": "50.00"}),
            )
            .await
            .expect(400);
        assert!(r.json["details"]["exchange_rate"].is_string());
        app.post(
            &format!("/api/v1/credit_notes/{cn_id}/refund"),
            json!({"amount": "50.00", "exchange_rate": "1.0"}),
        )
        .await
        .expect(200);
        let fx = app
            .get(&format!("/api/v1/accounts/{}", app.account("7906").await))
            .await
            .expect(200);
        assert_eq!(
            fx.raw("/balance"),
            "-3.33",
            "paid out 50 USD for 55 of credit: a 5.00 gain"
        );
        let tb = app.get("/api/v1/reports/trial_balance").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), tb.raw("/total_credit"));
        // A payment in another currency than the invoice is refused.
        let usd_inv = approved_invoice(
            &app,
            json!({"customer_id": c, "currency": "USD", "lines": [{"unit_price": "5"}]}),
        )
        .await
        .str("/id");
        let r = app
            .post("/api/v1/payments", json!({"customer_id": c, "amount": "5", "exchange_rate": "1.1", "applications": [{"invoice_id": usd_inv, "amount": "5"}]}))
            .await
            .expect(400);
        assert!(r.text.contains("is in USD"), "{}", r.text);
        // Deleting the payment whose application was taken back reverses its
        // entry and the taking-back once each: the invoice is owed again in
        // full and the FX account keeps only what other documents realized.
        assert_eq!(
            app.get(&format!("/api/v1/customers/{c}"))
                .await
                .expect(200)
                .raw("/balance"),
            "-5.00"
        );
        app.delete(&format!("/api/v1/payments/{pid}"))
            .await
            .expect(204);
        assert_eq!(
            app.get(&format!("/api/v1/customers/{c}"))
                .await
                .expect(200)
                .raw("/balance"),
            "115.00"
        );
        let fx = app
            .get(&format!("/api/v1/accounts/{}", app.account("7906").await))
            .await
            .expect(200);
        assert_eq!(fx.raw("/balance"), "-3.33");
    }
}
