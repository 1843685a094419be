//! Invoices: worked examples whose exact journal lines are asserted, for
//! India (GST intra- and inter-state, round-off), the UK (VAT standard,
//! zero, exempt) and the US (a two-agency sales tax); the invoice life.

use serde_json::json;

use ferrobooks_testkit::factories::{
    approved_invoice, customer, events, lines, posting, tax_named,
};

ferrobooks_testkit::backend_test! {
    #[country("IN", "INR")]
    async fn india_gst(app: TestApp) {
        app.put("/api/v1/organization", json!({"state": "MH"}))
            .await
            .expect(200);
        let gst18 = tax_named(&app, "GST 18%").await;
        let mumbai = customer(
            &app,
            json!({"name": "Mumbai Co", "tax_id": "27AAPFU0939F1ZV"}),
        )
        .await;
        let bengaluru = customer(
            &app,
            json!({"name": "Bengaluru Co", "place_of_supply": "KA"}),
        )
        .await;
        let prod = app
            .post(
                "/api/v1/products",
                json!({"name": "Chair", "price": "5000", "hsn_sac": "9401", "tax_id": gst18}),
            )
            .await
            .expect(201)
            .str("/id");
        // Intra-state: CGST + SGST on the discounted amount.
        let inv = approved_invoice(
            &app,
            json!({
                "customer_id": mumbai, "date": "2026-05-10",
                "lines": [{"product_id": prod, "quantity": 2, "discount": "500"}]
            }),
        )
        .await;
        assert_eq!(inv.str("/number"), "INV/26-27/00001");
        assert_eq!(inv.str("/status"), "approved");
        assert_eq!(inv.str("/place_of_supply"), "27");
        assert_eq!(inv.raw("/subtotal"), "10000.00");
        assert_eq!(inv.raw("/discount_total"), "500.00");
        assert_eq!(inv.raw("/lines/0/amount"), "9500.00");
        assert_eq!(inv.str("/lines/0/taxes/0/name"), "cgst");
        assert_eq!(inv.raw("/lines/0/taxes/0/amount"), "855.00");
        assert_eq!(inv.raw("/tax_total"), "1710.00");
        assert_eq!(inv.raw("/total"), "11210.00");
        assert_eq!(inv.raw("/balance"), "11210.00");
        assert_eq!(
            posting(&app, &inv.str("/journal_entry_id")).await,
            lines(&[
                "Dr 1100* 11210.00",
                "Cr 4000 9500.00",
                "Cr 2205 855.00",
                "Cr 2206 855.00"
            ])
        );
        // Inter-state: IGST; and a grand total rounded to whole rupees.
        let inv = approved_invoice(&app, json!({
            "customer_id": bengaluru, "date": "2026-05-11", "round_total": true,
            "lines": [{"description": "Repairs", "quantity": "1", "unit_price": "999.50", "tax_id": gst18}]
        }))
        .await;
        assert_eq!(inv.str("/number"), "INV/26-27/00002");
        assert_eq!(inv.str("/lines/0/taxes/0/name"), "igst");
        assert_eq!(inv.raw("/tax_total"), "179.91");
        assert_eq!(inv.raw("/rounding"), "-0.41");
        assert_eq!(inv.raw("/total"), "1179.00");
        assert_eq!(
            posting(&app, &inv.str("/journal_entry_id")).await,
            lines(&[
                "Dr 1100* 1179.00",
                "Dr 9998 0.41",
                "Cr 4000 999.50",
                "Cr 2207 179.91"
            ])
        );
        // A Special Economic Zone customer in the same state: IGST.
        let sez = customer(
            &app,
            json!({"name": "SEZ Unit", "place_of_supply": "MH", "sez": true}),
        )
        .await;
        let inv = approved_invoice(
            &app,
            json!({"customer_id": sez, "date": "2026-05-12", "lines": [{"product_id": prod}]}),
        )
        .await;
        assert_eq!(inv.str("/lines/0/taxes/0/name"), "igst");
        assert_eq!(inv.raw("/tax_total"), "900.00");
        // A number never exceeds the GST limit: a long template is refused.
        let r = app
            .put(
                "/api/v1/number_series/invoice",
                json!({"template": "INVOICE/{FY}/{N:6}"}),
            )
            .await
            .expect(400);
        assert!(r.text.contains("16"), "{}", r.text);
        app.put(
            "/api/v1/number_series/invoice",
            json!({"template": "{BR}/{FY}/{N:4}"}),
        )
        .await
        .expect(200);
        let inv = approved_invoice(
            &app,
            json!({
                "customer_id": mumbai, "date": "2027-04-02", "branch": "MUM",
                "lines": [{"product_id": prod}]
            }),
        )
        .await;
        assert_eq!(
            inv.str("/number"),
            "MUM/27-28/0001",
            "new fiscal year and branch count from 1"
        );
        // Bad input: an invalid place of supply.
        let r = app
            .post("/api/v1/invoices", json!({"customer_id": mumbai, "place_of_supply": "99", "lines": [{"product_id": prod}]}))
            .await
            .expect(400);
        assert!(
            r.json["details"]["place_of_supply"].is_string(),
            "{}",
            r.text
        );
    }
}

ferrobooks_testkit::backend_test! {
    #[country("GB", "GBP")]
    async fn uk_vat(app: TestApp) {
        let std = tax_named(&app, "VAT Standard 20%").await;
        let zero = tax_named(&app, "VAT Zero 0%").await;
        let exempt = tax_named(&app, "VAT Exempt").await;
        let c = customer(&app, json!({"name": "London Ltd"})).await;
        let inv = approved_invoice(
            &app,
            json!({
                "customer_id": c, "date": "2026-06-01",
                "lines": [
                    {"description": "Consulting", "unit_price": "100.00", "tax_id": std},
                    {"description": "Books", "quantity": 2, "unit_price": "25.00", "tax_id": zero},
                    {"description": "Insurance", "unit_price": "30.00", "tax_id": exempt}
                ]
            }),
        )
        .await;
        assert_eq!(inv.str("/number"), "INV-00001");
        assert_eq!(
            inv.raw("/lines/1/taxes/0/amount"),
            "0.00",
            "zero-rated: VAT at 0%"
        );
        assert_eq!(
            inv.json["lines"][2]["taxes"].as_array().unwrap().len(),
            0,
            "exempt: no VAT"
        );
        assert_eq!(inv.raw("/total"), "200.00");
        assert_eq!(
            posting(&app, &inv.str("/journal_entry_id")).await,
            lines(&["Dr 1100* 200.00", "Cr 4000 180.00", "Cr 2200 20.00"])
        );
    }
}

ferrobooks_testkit::backend_test! {
    #[country("US", "USD")]
    async fn us_sales_tax(app: TestApp) {
        let county = app
            .post("/api/v1/accounts", json!({"code": "2231", "name": "Alameda County tax", "type": "liability", "subtype": "tax"}))
            .await
            .expect(201)
            .str("/id");
        let tax = app
            .post("/api/v1/taxes", json!({"name": "Oakland", "kind": "sales_tax", "components": [
                {"name": "CA State", "rate": "6"}, {"name": "Alameda County", "rate": "0.25", "account_id": county}
            ]}))
            .await
            .expect(201)
            .str("/id");
        let c = customer(&app, json!({"name": "Oakland Inc", "payment_terms": 30})).await;
        let inv = approved_invoice(
            &app,
            json!({
                "customer_id": c, "date": "2026-03-01",
                "lines": [{"description": "Desk", "quantity": 3, "unit_price": "333.33", "tax_id": tax}]
            }),
        )
        .await;
        assert_eq!(inv.str("/due_date"), "2026-03-31", "date + payment terms");
        assert_eq!(inv.raw("/lines/0/amount"), "999.99");
        assert_eq!(inv.raw("/lines/0/taxes/0/amount"), "60.00");
        assert_eq!(inv.raw("/lines/0/taxes/1/amount"), "2.50");
        assert_eq!(inv.raw("/total"), "1062.49");
        assert_eq!(
            posting(&app, &inv.str("/journal_entry_id")).await,
            lines(&[
                "Dr 1100* 1062.49",
                "Cr 4000 999.99",
                "Cr 2230 60.00",
                "Cr 2231 2.50"
            ])
        );
        // SEZ is an Indian notion.
        let r = app
            .post("/api/v1/customers", json!({"name": "Zone", "sez": true}))
            .await
            .expect(400);
        assert!(r.json["details"]["sez"].is_string());
        // A product's default tax applies unless the line says "" (untaxed).
        let desk = app
            .post(
                "/api/v1/products",
                json!({"name": "Desk", "price": "100.00", "tax_id": tax}),
            )
            .await
            .expect(201)
            .str("/id");
        let d = app
            .post("/api/v1/invoices", json!({"customer_id": c, "lines": [{"product_id": desk}, {"product_id": desk, "tax_id": ""}]}))
            .await
            .expect(201);
        assert_eq!(d.json["lines"][0]["taxes"].as_array().unwrap().len(), 2);
        assert!(d.json["lines"][1]["tax_id"].is_null());
        assert_eq!(d.raw("/total"), "206.25");
        // An estimate's untaxed product line stays untaxed on its invoice.
        let est = app
            .post(
                "/api/v1/estimates",
                json!({"customer_id": c, "lines": [{"product_id": desk, "tax_id": ""}]}),
            )
            .await
            .expect(201)
            .str("/id");
        let conv = app
            .post(&format!("/api/v1/estimates/{est}/convert"), json!({}))
            .await
            .expect(201);
        assert_eq!(conv.raw("/total"), "100.00");
        // A free invoice (fully discounted) is paid as soon as it is approved.
        let free = approved_invoice(&app, json!({"customer_id": c, "lines": [{"product_id": desk, "tax_id": "", "discount": "100.00"}]})).await;
        assert_eq!(
            (free.str("/status"), free.raw("/total")),
            ("paid".into(), "0.00".into())
        );
        assert!(free.json["journal_entry_id"].is_null(), "nothing to post");
    }
}

ferrobooks_testkit::backend_test! {
    async fn invoice_life(app: TestApp) {
        let c = ferrobooks_testkit::factories::customer(&app, json!({"name": "Acme"})).await;
        let p = app
            .post("/api/v1/products", json!({"name": "Widget", "price": "10", "track_inventory": true, "quantity_on_hand": 10, "reorder_level": 5}))
            .await
            .expect(201)
            .str("/id");
        let d = app
            .post("/api/v1/invoices", json!({"customer_id": c, "date": "2026-01-10", "lines": [{"product_id": p, "quantity": 2}]}))
            .await
            .expect(201);
        let id = d.str("/id");
        assert_eq!(d.str("/status"), "draft");
        assert!(d.json["number"].is_null() && d.json["journal_entry_id"].is_null(), "drafts post nothing");
        // Edit the draft: new quantity; other fields stay.
        let u = app
            .put(&format!("/api/v1/invoices/{id}"), json!({"lines": [{"product_id": p, "quantity": 6}], "reference": "PO-7"}))
            .await
            .expect(200);
        assert_eq!(u.raw("/total"), "60.00");
        assert_eq!(u.str("/date"), "2026-01-10");
        let a = app.post(&format!("/api/v1/invoices/{id}/approve"), json!({})).await.expect(200);
        assert_eq!(a.str("/number"), "INV-00001");
        let prod = app.get(&format!("/api/v1/products/{p}")).await.expect(200);
        assert_eq!(prod.raw("/quantity_on_hand"), "4", "stock went out");
        // Approved: no edits, no deletes, no second approval.
        app.put(&format!("/api/v1/invoices/{id}"), json!({"reference": "x"})).await.expect(409);
        app.delete(&format!("/api/v1/invoices/{id}")).await.expect(409);
        app.post(&format!("/api/v1/invoices/{id}/approve"), json!({})).await.expect(409);
        // Its entry moves with the invoice, not through the journal API.
        let r = app.post(&format!("/api/v1/journal_entries/{}/void", a.str("/journal_entry_id")), json!({})).await.expect(409);
        assert!(r.text.contains("void or delete that instead"), "{}", r.text);
        let s = app.post(&format!("/api/v1/invoices/{id}/send"), json!({})).await.expect(200);
        assert_eq!(s.str("/status"), "sent");
        // Void: the mirror posts, stock comes back, the number stays.
        let v = app.post(&format!("/api/v1/invoices/{id}/void"), json!({"date": "2026-01-20"})).await.expect(200);
        assert_eq!(v.str("/status"), "void");
        assert_eq!(v.str("/number"), "INV-00001");
        let je = app.get(&format!("/api/v1/journal_entries/{}", v.str("/journal_entry_id"))).await.expect(200);
        assert_eq!(je.str("/status"), "void");
        let prod = app.get(&format!("/api/v1/products/{p}")).await.expect(200);
        assert_eq!(prod.raw("/quantity_on_hand"), "10");
        app.post(&format!("/api/v1/invoices/{id}/void"), json!({})).await.expect(409);
        // A deleted draft answers 404; the next number is not reused.
        let d2 = app.post("/api/v1/invoices", json!({"customer_id": c, "lines": [{"product_id": p}]})).await.expect(201).str("/id");
        app.delete(&format!("/api/v1/invoices/{d2}")).await.expect(204);
        app.get(&format!("/api/v1/invoices/{d2}")).await.expect(404);
        let next = ferrobooks_testkit::factories::approved_invoice(&app, json!({"customer_id": c, "lines": [{"product_id": p}]})).await;
        assert_eq!(next.str("/number"), "INV-00002");
        // A branch under a template without {BR} shares the series.
        let br = ferrobooks_testkit::factories::approved_invoice(&app, json!({"customer_id": c, "branch": "NYC", "lines": [{"unit_price": "1"}]})).await;
        assert_eq!(br.str("/number"), "INV-00003");
        let list = app.get(&format!("/api/v1/invoices?customer_id={c}&status=void")).await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
        // A customer with documents is not deleted.
        app.delete(&format!("/api/v1/customers/{c}")).await.expect(409);
        assert_eq!(
            events(&app, "invoice.").await,
            ["invoice.created", "invoice.updated", "invoice.approved", "invoice.sent", "invoice.voided",
             "invoice.created", "invoice.deleted", "invoice.created", "invoice.approved",
             "invoice.created", "invoice.approved"]
        );
        assert!(events(&app, "product.low_stock").await.len() == 1, "stock fell from 10 to 4, past 5");
    }
}

ferrobooks_testkit::backend_test! {
    async fn bad_invoices_write_nothing(app: TestApp) {
        let c = ferrobooks_testkit::factories::customer(&app, json!({"name": "Acme"})).await;
        let eur = ferrobooks_testkit::factories::customer(&app, json!({"name": "Euro GmbH", "currency": "EUR"})).await;
        let cases = [
            (json!({"lines": [{"unit_price": 1}]}), "customer_id"),
            (json!({"customer_id": "cus_nope", "lines": [{"unit_price": 1}]}), "customer_id"),
            (json!({"customer_id": c}), "lines"),
            (json!({"customer_id": c, "lines": []}), "lines"),
            (json!({"customer_id": c, "lines": [{"unit_price": 1, "quantity": -2}]}), "lines[0].quantity"),
            (json!({"customer_id": c, "lines": [{"unit_price": 1, "quantity": "1.23456"}]}), "lines[0].quantity"),
            (json!({"customer_id": c, "lines": [{"unit_price": "-1"}]}), "lines[0].unit_price"),
            (json!({"customer_id": c, "lines": [{"unit_price": "1.001"}]}), "lines[0].unit_price"),
            (json!({"customer_id": c, "lines": [{"quantity": 1}]}), "lines[0].unit_price"),
            (json!({"customer_id": c, "lines": [{"product_id": "prod_nope"}]}), "lines[0].product_id"),
            (json!({"customer_id": c, "lines": [{"unit_price": 1, "tax_id": "tax_nope"}]}), "lines[0].tax_id"),
            (json!({"customer_id": c, "lines": [{"unit_price": 5, "discount": 6}]}), "lines[0].discount"),
            (json!({"customer_id": c, "lines": [{"unit_price": 5, "account_id": "acc_nope"}]}), "lines[0].account_id"),
            (json!({"customer_id": c, "date": "2026-02-30", "lines": [{"unit_price": 1}]}), "date"),
            (json!({"customer_id": c, "date": "2026-02-10", "due_date": "2026-02-01", "lines": [{"unit_price": 1}]}), "due_date"),
            (json!({"customer_id": eur, "lines": [{"unit_price": 1}]}), "exchange_rate"),
            (json!({"customer_id": c, "currency": "EUR", "exchange_rate": "0", "lines": [{"unit_price": 1}]}), "exchange_rate"),
            (json!({"customer_id": c, "exchange_rate": "1.5", "lines": [{"unit_price": 1}]}), "exchange_rate"),
            (json!({"customer_id": c, "expiry_date": "2026-01-01", "lines": [{"unit_price": 1}]}), "expiry_date"),
            (json!({"customer_id": c, "deposit_account_id": "x", "lines": [{"unit_price": 1}]}), "deposit_account_id"),
        ];
        for (body, field) in cases {
            let r = app.post("/api/v1/invoices", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
        }
        // An expense account is not an income account.
        let exp = app.account("7900").await;
        let r = app.post("/api/v1/invoices", json!({"customer_id": c, "lines": [{"unit_price": 5, "account_id": exp}]})).await.expect(400);
        assert!(r.json["details"]["lines[0].account_id"].is_string());
        // Unknown fields are refused.
        app.post("/api/v1/invoices", json!({"customer_id": c, "lines": [{"unit_price": 5}], "colour": "red"})).await.expect(400);
        assert_eq!(app.count("documents").await, 0);
        assert_eq!(app.count("document_lines").await, 0);
        assert_eq!(app.count("journal_entries").await, 0);
        assert!(events(&app, "invoice.").await.is_empty());
    }
}
