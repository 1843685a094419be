use serde_json::{Value, json};

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{approved_invoice, customer, tax_named};
use ferrobooks_testkit::{Resp, TestApp};

/// The trial balance's debit or credit of the account `code`.
async fn tb(app: &TestApp, code: &str, side: &str) -> String {
    let tb = app
        .get("/api/v1/reports/trial_balance?as_of=2026-05-31")
        .await
        .expect(200);
    let rows = tb.json["rows"].as_array().unwrap();
    let i = rows.iter().position(|r| r["code"] == code).unwrap();
    tb.raw(&format!("/rows/{i}/{side}"))
}

fn at(r: &Resp, pointer: &str) -> String {
    r.raw(pointer)
}

/// An Indian month: B2B intra- and inter-state, B2C large and small, an
/// export under LUT in dollars, a nil-rated line, a line without an HSN
/// code, a credit note, a voided invoice; bills eligible, under reverse
/// charge, blocked by section 17(5) and temporarily reversed.
async fn a_month(app: &TestApp) -> (String, String) {
    app.put(
        "/api/v1/organization",
        json!({"state": "MH", "tax_id": "27AAPFU0939F1ZV"}),
    )
    .await
    .expect(200);
    let gst18 = tax_named(app, "GST 18%").await;
    let gst0 = tax_named(app, "GST 0%").await;
    let product = |name: &str, kind: &str, hsn: &str, price: &str, tax: &str| json!({"name": name, "type": kind, "hsn_sac": hsn, "price": price, "tax_id": tax});
    let mut ids = Vec::new();
    for p in [
        product("Laptop", "goods", "8471", "50000", &gst18),
        product("Consulting", "service", "998311", "10000", &gst18),
        product("Rice", "goods", "1006", "500", &gst0),
    ] {
        ids.push(app.post("/api/v1/products", p).await.expect(201).str("/id"));
    }
    let (laptop, consult, rice) = (&ids[0], &ids[1], &ids[2]);
    let pune = customer(
        app,
        json!({"name": "Pune Traders", "tax_id": "27AAACP1234A1Z5"}),
    )
    .await;
    let blr = customer(
        app,
        json!({"name": "Bengaluru Systems", "tax_id": "29AAACB5678B1ZP", "place_of_supply": "KA"}),
    )
    .await;
    let walkin = customer(app, json!({"name": "Walk-in"})).await;
    let guj = customer(
        app,
        json!({"name": "Surat Retail", "place_of_supply": "GJ"}),
    )
    .await;
    let kar = customer(
        app,
        json!({"name": "Mysuru Retail", "place_of_supply": "KA"}),
    )
    .await;
    let us = customer(
        app,
        json!({"name": "Boston Labs", "place_of_supply": "96", "currency": "USD"}),
    )
    .await;
    let sale =
        |c: &str, lines: Value| json!({"customer_id": c, "date": "2026-05-10", "lines": lines});
    let inv1 = approved_invoice(app, sale(&pune, json!([{"product_id": laptop}])))
        .await
        .str("/id");
    approved_invoice(
        app,
        sale(&blr, json!([{"product_id": consult, "quantity": 2}])),
    )
    .await;
    approved_invoice(
        app,
        sale(&kar, json!([{"product_id": laptop, "quantity": 3}])),
    )
    .await;
    approved_invoice(
        app,
        sale(
            &walkin,
            json!([
                {"product_id": consult},
                {"product_id": rice, "quantity": 4},
                {"description": "Delivery", "unit_price": "500", "tax_id": gst18},
            ]),
        ),
    )
    .await;
    approved_invoice(app, sale(&guj, json!([{"product_id": consult}]))).await;
    let mut export = sale(
        &us,
        json!([{"product_id": consult, "unit_price": "1000", "tax_id": gst0}]),
    );
    export["exchange_rate"] = json!("83.5");
    approved_invoice(app, export).await;
    let void = approved_invoice(app, sale(&pune, json!([{"product_id": laptop}])))
        .await
        .str("/id");
    app.post(
        &format!("/api/v1/invoices/{void}/void"),
        json!({"date": "2026-05-11"}),
    )
    .await
    .expect(200);
    app.post(
        "/api/v1/credit_notes",
        json!({"customer_id": pune, "date": "2026-05-20", "approve": true, "lines": [{"product_id": consult}]}),
    )
    .await
    .expect(201);
    // The next month: in neither return.
    approved_invoice(
        app,
        json!({"customer_id": pune, "date": "2026-06-01", "lines": [{"product_id": laptop}]}),
    )
    .await;

    let stock = app.account("5000").await;
    let vendor = |body: Value| async move {
        app.post("/api/v1/vendors", body)
            .await
            .expect(201)
            .str("/id")
    };
    let mill = vendor(
        json!({"name": "Bengaluru Mills", "source_of_supply": "KA", "tax_id": "29AAACB5678B1ZP"}),
    )
    .await;
    let lawyer = vendor(json!({"name": "Advocate Rao"})).await;
    let caterer = vendor(json!({"name": "Caterers"})).await;
    let bill = |v: &str, price: &str, extra: Value| {
        let mut l = json!({"unit_price": price, "account_id": stock, "tax_id": gst18});
        l.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"vendor_id": v, "date": "2026-05-15", "approve": true, "lines": [l]})
    };
    for b in [
        bill(&mill, "50000", json!({})),
        bill(&lawyer, "5000", json!({"reverse_charge": true})),
        bill(
            &caterer,
            "2000",
            json!({"itc_eligibility": "ineligible_17_5"}),
        ),
        bill(
            &caterer,
            "1000",
            json!({"itc_eligibility": "temporary_reversal"}),
        ),
    ] {
        app.post("/api/v1/bills", b).await.expect(201);
    }
    (inv1, pune)
}

backend_test! {
    #[country("IN", "INR")]
    async fn an_indian_month_section_by_section(app: TestApp) {
        // No GSTIN yet: no return.
        let r = app.get("/api/v1/tax_returns/gstr1?period=202605").await.expect(409);
        assert!(r.str("/error").contains("GSTIN"), "{}", r.text);
        let (inv1, _) = a_month(&app).await;

        let r = app.get("/api/v1/tax_returns/gstr1?period=202605&detail=true").await.expect(200);
        let s = |p: &str| at(&r, &format!("/submission{p}"));
        assert_eq!(r.json["submission"]["gstin"], "27AAPFU0939F1ZV");
        assert_eq!(r.json["submission"]["fp"], "052026");
        // b2b: the Pune invoice (intra-state) and the Bengaluru one (IGST).
        let b2b = r.json["submission"]["b2b"].as_array().unwrap();
        assert_eq!(b2b.len(), 2, "{}", r.text);
        assert_eq!(b2b[0]["ctin"], "27AAACP1234A1Z5");
        assert_eq!(b2b[0]["inv"].as_array().unwrap().len(), 1, "the void one is not reported");
        assert_eq!(b2b[0]["inv"][0]["idt"], "10-05-2026");
        assert_eq!(b2b[0]["inv"][0]["pos"], "27");
        assert_eq!(b2b[0]["inv"][0]["inv_typ"], "R");
        assert_eq!(b2b[0]["inv"][0]["rchrg"], "N");
        assert_eq!(s("/b2b/0/inv/0/val"), "59000.00");
        assert_eq!(s("/b2b/0/inv/0/itms/0/itm_det/camt"), "4500.00");
        assert_eq!(s("/b2b/0/inv/0/itms/0/itm_det/samt"), "4500.00");
        assert!(r.json["submission"]["b2b"][0]["inv"][0]["itms"][0]["itm_det"].get("iamt").is_none());
        assert_eq!(s("/b2b/1/inv/0/itms/0/itm_det/iamt"), "3600.00");
        assert_eq!(s("/b2b/1/inv/0/itms/0/itm_det/rt"), "18");
        // b2cl: 1,77,000 to the unregistered in Karnataka.
        assert_eq!(r.json["submission"]["b2cl"][0]["pos"], "29");
        assert_eq!(s("/b2cl/0/inv/0/val"), "177000.00");
        assert_eq!(s("/b2cl/0/inv/0/itms/0/itm_det/iamt"), "27000.00");
        // b2cs: intra-state walk-in (with the delivery line), Gujarat small.
        let b2cs = r.json["submission"]["b2cs"].as_array().unwrap();
        assert_eq!(b2cs.len(), 2, "{}", r.text);
        assert_eq!((b2cs[0]["sply_ty"].as_str(), b2cs[0]["pos"].as_str()), (Some("INTER"), Some("24")));
        assert_eq!(s("/b2cs/0/iamt"), "1800.00");
        assert_eq!((b2cs[1]["sply_ty"].as_str(), b2cs[1]["typ"].as_str()), (Some("INTRA"), Some("OE")));
        assert_eq!(s("/b2cs/1/txval"), "10500.00");
        assert_eq!(s("/b2cs/1/camt"), "945.00");
        // cdnr: the credit note to Pune.
        assert_eq!(r.json["submission"]["cdnr"][0]["nt"][0]["ntty"], "C");
        assert_eq!(r.json["submission"]["cdnr"][0]["nt"][0]["nt_dt"], "20-05-2026");
        assert_eq!(s("/cdnr/0/nt/0/val"), "11800.00");
        // exp: $1,000 at 83.5 under LUT.
        assert_eq!(r.json["submission"]["exp"][0]["exp_typ"], "WOPAY");
        assert_eq!(s("/exp/0/inv/0/val"), "83500.00");
        assert_eq!(s("/exp/0/inv/0/itms/0/itm_det/txval"), "83500.00");
        // nil: the rice, intra-state to the unregistered.
        assert_eq!(r.json["submission"]["nil"]["inv"][0]["sply_ty"], "INTRAB2C");
        assert_eq!(s("/nil/inv/0/nil_amt"), "2000.00");
        // hsn, split B2B / B2C: consulting to registered buyers nets the
        // credit note; the delivery line has no code (and a warning).
        let b2b_hsn = r.json["submission"]["hsn"]["hsn_b2b"].as_array().unwrap();
        let consult = b2b_hsn.iter().find(|h| h["hsn_sc"] == "998311").unwrap();
        assert_eq!(consult["uqc"], "NA");
        let i = b2b_hsn.iter().position(|h| h["hsn_sc"] == "998311").unwrap();
        assert_eq!(s(&format!("/hsn/hsn_b2b/{i}/qty")), "1");
        assert_eq!(s(&format!("/hsn/hsn_b2b/{i}/txval")), "10000.00");
        let b2c_hsn = r.json["submission"]["hsn"]["hsn_b2c"].as_array().unwrap();
        assert_eq!(b2c_hsn.len(), 5, "{}", r.text);
        let i = b2c_hsn.iter().position(|h| h["hsn_sc"] == "8471").unwrap();
        assert_eq!(b2c_hsn[i]["uqc"], "NOS");
        assert_eq!(s(&format!("/hsn/hsn_b2c/{i}/qty")), "3");
        assert_eq!(r.json["warnings"].as_array().unwrap().len(), 1, "{}", r.text);
        assert!(r.json["warnings"][0].as_str().unwrap().contains("line 3"));
        // doc_issue: seven invoice numbers, one cancelled; one credit note.
        let docs = &r.json["submission"]["doc_issue"]["doc_det"];
        assert_eq!(docs[0]["doc_num"], 1);
        assert_eq!(docs[0]["docs"][0]["totnum"], 7);
        assert_eq!(docs[0]["docs"][0]["cancel"], 1);
        assert_eq!(docs[0]["docs"][0]["net_issue"], 6);
        assert_eq!(docs[0]["docs"][0]["from"], "INV/26-27/00001");
        assert_eq!(docs[1]["doc_num"], 5);
        // Drill-down: the first invoice feeds b2b and hsn.
        let d = r.json["documents"].as_array().unwrap();
        let first = d.iter().find(|x| x["id"] == inv1.as_str()).unwrap();
        assert_eq!(first["feeds"], json!(["b2b", "hsn"]));

        let r = app.get("/api/v1/tax_returns/gstr3b?period=202605&detail=true").await.expect(200);
        let s = |p: &str| at(&r, &format!("/submission{p}"));
        assert_eq!(r.json["submission"]["ret_period"], "052026");
        // 3.1(a): all taxable sales at home, the credit note less.
        assert_eq!(s("/sup_details/osup_det/txval"), "230500.00");
        assert_eq!(s("/sup_details/osup_det/iamt"), "32400.00");
        assert_eq!(s("/sup_details/osup_det/camt"), "4545.00");
        assert_eq!(s("/sup_details/osup_zero/txval"), "83500.00");
        assert_eq!(s("/sup_details/osup_nil_exmp/txval"), "2000.00");
        assert_eq!(s("/sup_details/osup_nongst/txval"), "0.00");
        // 3.1(d): the lawyer's bill under reverse charge.
        assert_eq!(s("/sup_details/isup_rev/txval"), "5000.00");
        assert_eq!(s("/sup_details/isup_rev/samt"), "450.00");
        // 3.2: inter-state to the unregistered, by place of supply.
        assert_eq!(r.json["submission"]["inter_sup"]["unreg_details"][0]["pos"], "24");
        assert_eq!(s("/inter_sup/unreg_details/1/iamt"), "27000.00");
        // 4(A): ISRC (reverse charge) and OTH (the mill's IGST, the
        // temporary reversal); 4(B)(2) reverses it; 4(D)(1) the caterer.
        let avl = &r.json["submission"]["itc_elg"]["itc_avl"];
        assert_eq!(avl[2]["ty"], "ISRC");
        assert_eq!(s("/itc_elg/itc_avl/2/camt"), "450.00");
        assert_eq!(avl[4]["ty"], "OTH");
        assert_eq!(s("/itc_elg/itc_avl/4/iamt"), "9000.00");
        assert_eq!(s("/itc_elg/itc_avl/4/camt"), "90.00");
        assert_eq!(s("/itc_elg/itc_rev/1/camt"), "90.00");
        assert_eq!(s("/itc_elg/itc_net/iamt"), "9000.00");
        assert_eq!(s("/itc_elg/itc_net/camt"), "450.00");
        assert_eq!(s("/itc_elg/itc_inelg/0/camt"), "180.00");
        // 6.1: IGST credit against IGST, CGST and SGST credit against
        // their own; the rest in cash, and the reverse charge in cash.
        assert_eq!(r.json["payment"][0]["tax"], "igst");
        assert_eq!(at(&r, "/payment/0/paid_through_itc/igst"), "9000.00");
        assert_eq!(at(&r, "/payment/0/paid_in_cash"), "23400.00");
        assert_eq!(at(&r, "/payment/1/paid_through_itc/cgst"), "450.00");
        assert_eq!(at(&r, "/payment/1/paid_in_cash"), "4095.00");
        assert_eq!(at(&r, "/payment/2/reverse_charge_in_cash"), "450.00");
        // The figures tie out to the tax accounts.
        assert_eq!(tb(&app, "2205", "credit").await, "4545.00");
        assert_eq!(tb(&app, "2207", "credit").await, "32400.00");
        assert_eq!(tb(&app, "2209", "credit").await, "900.00");
        assert_eq!(tb(&app, "1300", "debit").await, "540.00");
        assert_eq!(tb(&app, "1302", "debit").await, "9000.00");
        let d = r.json["documents"].as_array().unwrap();
        assert!(d.iter().any(|x| x["feeds"] == json!(["4(D)(1)"])), "{}", r.text);
    }
}

backend_test! {
    #[country("IN", "INR")]
    async fn filing_a_gst_month_closes_it(app: TestApp) {
        let (inv1, pune) = a_month(&app).await;
        for bad in ["2026-05", "202613", "", "20260"] {
            let r = app.get(&format!("/api/v1/tax_returns/gstr3b?period={bad}")).await.expect(400);
            assert!(r.json["details"]["period"].is_string(), "{}", r.text);
            app.post("/api/v1/tax_returns/gstr1", json!({"period": bad})).await.expect(400);
        }
        let filed = app.post("/api/v1/tax_returns/gstr3b", json!({"period": "202605"})).await.expect(201);
        assert_eq!(filed.str("/kind"), "gstr3b");
        assert_eq!(filed.str("/period_key"), "202605");
        assert_eq!((filed.str("/date_from"), filed.str("/date_to")), ("2026-05-01".into(), "2026-05-31".into()));
        assert_eq!(filed.raw("/body/submission/itc_elg/itc_net/iamt"), "9000.00");
        let r = app.post("/api/v1/tax_returns/gstr3b", json!({"period": "202605"})).await.expect(409);
        assert!(r.str("/error").contains("GSTR-3B"), "{}", r.text);
        // The month takes no postings.
        let r = app.post(&format!("/api/v1/invoices/{inv1}/void"), json!({})).await.expect(409);
        assert_eq!(r.str("/code"), "period_closed");
        let draft = app.post("/api/v1/invoices", json!({"customer_id": pune, "date": "2026-05-31", "lines": [{"unit_price": "10"}]})).await.expect(201).str("/id");
        app.post(&format!("/api/v1/invoices/{draft}/approve"), json!({})).await.expect(409);
        // GSTR-1 files on its own; reopening the 3B lets the month post.
        app.post("/api/v1/tax_returns/gstr1", json!({"period": "202605"})).await.expect(201);
        let id = filed.str("/id");
        app.post(&format!("/api/v1/tax_returns/{id}/reopen"), json!({"reason": "late invoice"})).await.expect(200);
        app.post(&format!("/api/v1/invoices/{draft}/approve"), json!({})).await.expect(409);
        let all = app.get("/api/v1/tax_returns").await.expect(200);
        let g1 = all.json["data"].as_array().unwrap().iter().find(|x| x["kind"] == "gstr1").unwrap()["id"].as_str().unwrap().to_owned();
        app.post(&format!("/api/v1/tax_returns/{g1}/reopen"), json!({"reason": "late invoice"})).await.expect(200);
        app.post(&format!("/api/v1/invoices/{draft}/approve"), json!({})).await.expect(200);
    }
}

backend_test! {
    async fn gst_returns_are_indian(app: TestApp) {
        let r = app.get("/api/v1/tax_returns/gstr1?period=202605").await.expect(409);
        assert!(r.str("/error").contains("IN"), "{}", r.text);
        app.get("/api/v1/tax_returns/gstr3b?period=202605").await.expect(409);
        app.post("/api/v1/tax_returns/gstr3b", json!({"period": "202605"})).await.expect(409);
        // An exempt GST rate is 0; an exempt sales tax is nothing.
        let r = app.post("/api/v1/taxes", json!({"name": "X", "kind": "sales_tax", "exempt": true, "components": [{"name": "A", "rate": "1"}]})).await.expect(400);
        assert!(r.json["details"]["exempt"].is_string(), "{}", r.text);
    }
}

backend_test! {
    #[country("IN", "INR")]
    async fn exempt_and_non_gst_lines_in_their_own_columns(app: TestApp) {
        app.put("/api/v1/organization", json!({"state": "MH", "tax_id": "27AAPFU0939F1ZV"})).await.expect(200);
        let r = app.post("/api/v1/taxes", json!({"name": "GST Exempt", "kind": "gst", "rate": "5", "exempt": true})).await.expect(400);
        assert!(r.json["details"]["rate"].is_string(), "{}", r.text);
        let exempt = app.post("/api/v1/taxes", json!({"name": "GST Exempt", "kind": "gst", "rate": "0", "exempt": true})).await.expect(201).str("/id");
        let c = customer(&app, json!({"name": "Kolhapur Dairy", "tax_id": "27AAACP1234A1Z5"})).await;
        approved_invoice(&app, json!({"customer_id": c, "date": "2026-05-02", "lines": [
            {"description": "Milk", "unit_price": "1000", "tax_id": exempt},
            {"description": "Scrap", "unit_price": "300"},
        ]})).await;
        let r = app.get("/api/v1/tax_returns/gstr1?period=202605").await.expect(200);
        assert_eq!(r.json["submission"]["nil"]["inv"][0]["sply_ty"], "INTRAB2B");
        assert_eq!(r.raw("/submission/nil/inv/0/expt_amt"), "1000.00");
        assert_eq!(r.raw("/submission/nil/inv/0/ngsup_amt"), "300.00");
        assert!(r.json["submission"].get("b2b").is_none(), "{}", r.text);
        let r = app.get("/api/v1/tax_returns/gstr3b?period=202605").await.expect(200);
        assert_eq!(r.raw("/submission/sup_details/osup_nil_exmp/txval"), "1000.00");
        assert_eq!(r.raw("/submission/sup_details/osup_nongst/txval"), "300.00");
    }
}
