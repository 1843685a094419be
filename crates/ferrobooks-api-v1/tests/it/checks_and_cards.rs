//! Money paid on the spot from the purchase side: checks out of a bank
//! account in their own number series, and credit-card charges and
//! credits; each posts as made, is voided by its mirror, and refuses an
//! account of the wrong kind with nothing written.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{events, lines, posting, tax_named};

backend_test! {
    #[country("GB", "GBP")]
    async fn checks_and_card_charges_post_as_made_and_void_by_their_mirror(app: TestApp) {
        let bank = app.account("1200").await;
        let card = app.account("2150").await;
        let sales = app.account("4000").await;
        let vat = tax_named(&app, "VAT Standard 20%").await;
        let materials = app.post("/api/v1/accounts", json!({"code": "5100", "name": "Materials", "type": "expense"})).await.expect(201).str("/id");
        let v = app.post("/api/v1/vendors", json!({"name": "Builders Ltd"})).await.expect(201).str("/id");
        // A check to a vendor, with VAT claimed: numbered 1 in the checks' own series.
        let c1 = app
            .post("/api/v1/checks", json!({"vendor_id": v, "date": "2026-03-02", "bank_account_id": bank,
                   "lines": [{"description": "Sand", "unit_price": "100.00", "account_id": materials, "tax_id": vat}]}))
            .await
            .expect(201);
        assert_eq!((c1.str("/status"), c1.str("/number"), c1.str("/vendor_id")), ("completed".into(), "1".into(), v.clone()));
        assert_eq!(c1.raw("/total"), "120.00");
        assert_eq!(posting(&app, &c1.str("/journal_entry_id")).await, lines(&["Cr 1200 120.00", "Dr 2201 20.00", "Dr 5100 100.00"]));
        // A check to nobody in particular, from the current account by default: number 2.
        let c2 = app.post("/api/v1/checks", json!({"date": "2026-03-03", "lines": [{"unit_price": "50.00", "account_id": materials}]})).await.expect(201);
        assert_eq!((c2.str("/number"), c2.str("/deposit_account_id")), ("2".into(), bank.clone()));
        assert!(c2.json["vendor_id"].is_null(), "{}", c2.text);
        // A coffee on the card, and a refund to it: the card's own series, the mirror posting.
        let ch = app.post("/api/v1/credit_card_charges", json!({"date": "2026-03-04", "lines": [{"unit_price": "30.00", "account_id": materials, "tax_id": vat}]})).await.expect(201);
        assert_eq!((ch.str("/number"), ch.str("/deposit_account_id")), ("CC-00001".into(), card.clone()));
        assert_eq!(posting(&app, &ch.str("/journal_entry_id")).await, lines(&["Cr 2150 36.00", "Dr 2201 6.00", "Dr 5100 30.00"]));
        let cr = app
            .post("/api/v1/credit_card_credits", json!({"vendor_id": v, "date": "2026-03-05", "card_account_id": card,
                   "lines": [{"unit_price": "10.00", "account_id": materials, "tax_id": vat}]}))
            .await
            .expect(201);
        assert_eq!(cr.str("/number"), "CCR-00001");
        assert_eq!(posting(&app, &cr.str("/journal_entry_id")).await, lines(&["Cr 2201 2.00", "Cr 5100 10.00", "Dr 2150 12.00"]));
        let balance = |id: String| {
            let app = &app;
            async move { app.get(&format!("/api/v1/accounts/{id}")).await.expect(200).raw("/balance") }
        };
        assert_eq!(balance(card.clone()).await, "24.00", "the card owes 36.00 less the 12.00 refunded");
        // Bad input: an account of the wrong kind, another kind's field, no lines, a vendor that does not exist.
        let before = (app.count("documents").await, app.count("journal_entries").await);
        let line = json!([{"unit_price": "1.00", "account_id": materials}]);
        for (path, body, field) in [
            ("checks", json!({"bank_account_id": card, "lines": line}), "bank_account_id"),
            ("checks", json!({"bank_account_id": sales, "lines": line}), "bank_account_id"),
            ("checks", json!({"card_account_id": card, "lines": line}), "card_account_id"),
            ("checks", json!({"bank_account_id": bank, "card_account_id": card, "lines": line}), "card_account_id"),
            ("credit_card_charges", json!({"bank_account_id": bank, "card_account_id": card, "lines": line}), "bank_account_id"),
            ("checks", json!({"lines": []}), "lines"),
            ("checks", json!({"vendor_id": "ven_nope", "lines": line}), "vendor_id"),
            ("credit_card_charges", json!({"card_account_id": bank, "lines": line}), "card_account_id"),
            ("credit_card_charges", json!({"bank_account_id": bank, "lines": line}), "bank_account_id"),
            ("credit_card_credits", json!({"card_account_id": materials, "lines": line}), "card_account_id"),
            ("bills", json!({"vendor_id": v, "bank_account_id": bank, "lines": line}), "bank_account_id"),
        ] {
            let r = app.post(&format!("/api/v1/{path}"), body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{path} {body}: expected {field}: {}", r.text);
        }
        assert_eq!((app.count("documents").await, app.count("journal_entries").await), before);
        // Voided by the mirror; the number stays taken, the next check is 3.
        let vd = app.post(&format!("/api/v1/checks/{}/void", c1.str("/id")), json!({})).await.expect(200);
        assert_eq!(vd.str("/status"), "void");
        app.post(&format!("/api/v1/checks/{}/void", c1.str("/id")), json!({})).await.expect(409);
        assert_eq!(balance(bank.clone()).await, "-50.00");
        let c3 = app.post("/api/v1/checks", json!({"lines": [{"unit_price": "5.00", "account_id": materials}]})).await.expect(201);
        assert_eq!(c3.str("/number"), "3");
        app.post(&format!("/api/v1/credit_card_charges/{}/void", ch.str("/id")), json!({})).await.expect(200);
        assert_eq!(balance(card.clone()).await, "-12.00", "the refund alone is left");
        // Each kind reads back by its own path only.
        app.get(&format!("/api/v1/checks/{}", ch.str("/id"))).await.expect(404);
        let list = app.get("/api/v1/checks?limit=10").await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 3, "{}", list.text);
        assert_eq!(events(&app, "check.").await, ["check.created", "check.created", "check.voided", "check.created"]);
        let series = app.get("/api/v1/number_series").await.expect(200);
        assert!(series.text.contains("\"check\""), "{}", series.text);
    }
}

backend_test! {
    async fn a_reconciled_check_is_voided_only_once_the_reconciliation_is_undone(app: TestApp) {
        let bank = app.account("1200").await;
        let rent = app.account("5000").await;
        let c = app
            .post("/api/v1/checks", json!({"date": "2026-03-02", "lines": [{"description": "Rent, March", "unit_price": "800.00", "account_id": rent}]}))
            .await
            .expect(201);
        assert_eq!(posting(&app, &c.str("/journal_entry_id")).await, lines(&["Cr 1200 800.00", "Dr 5000 800.00"]));
        let r = app
            .post(&format!("/api/v1/bank_accounts/{bank}/reconciliations"), json!({"statement_date": "2026-03-31", "closing_balance": "-800.00"}))
            .await
            .expect(201);
        let base = format!("/api/v1/bank_accounts/{bank}/reconciliations/{}", r.str("/id"));
        app.post(&format!("{base}/lines"), json!({"clear_all": true})).await.expect(200);
        app.post(&format!("{base}/finish"), json!({})).await.expect(200);
        let e = app.post(&format!("/api/v1/checks/{}/void", c.str("/id")), json!({})).await.expect(409);
        assert!(e.text.contains(&r.str("/id")), "names the reconciliation: {}", e.text);
        assert_eq!(app.get(&format!("/api/v1/checks/{}", c.str("/id"))).await.expect(200).str("/status"), "completed");
        app.delete(&format!("/api/v1/bank_accounts/{bank}/reconciliations/{}", r.str("/id"))).await.expect(204);
        app.post(&format!("/api/v1/checks/{}/void", c.str("/id")), json!({})).await.expect(200);
    }
}
