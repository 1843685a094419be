//! Transfers between bank accounts, in one currency and across two, and
//! unrealized FX revaluations that reverse the next day.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{approved_invoice, customer, lines, posting};

use super::foreign_currency::bank_in;

backend_test! {
    #[country("GB", "GBP")]
    async fn a_euro_account_funded_from_sterling_and_revalued(app: TestApp) {
        let gbp = app.account("1200").await;
        let eur = bank_in(&app, "1250", "EUR").await;
        // 1,000.00 EUR bought for 850.00 GBP.
        let t = app
            .post(
                "/api/v1/transfers",
                json!({"date": "2026-03-01", "from_account_id": gbp, "to_account_id": eur,
                       "amount": "850.00", "to_amount": "1000.00", "memo": "Fund the euro account"}),
            )
            .await
            .expect(201);
        assert_eq!((t.str("/currency"), t.str("/to_currency"), t.raw("/to_amount")), ("GBP".into(), "EUR".into(), "1000.00".into()));
        assert_eq!(
            posting(&app, &t.str("/journal_entry_id")).await,
            lines(&["Dr 1250 850.00 (EUR 1000.00)", "Cr 1200 850.00"])
        );
        // Revalued at 0.87 on 31 March: +20.00, reversed on 1 April.
        let r = app
            .post("/api/v1/fx_revaluations", json!({"date": "2026-03-31", "rates": {"EUR": "0.87"}}))
            .await
            .expect(201);
        assert_eq!(r.raw("/total"), "20.00");
        assert_eq!(r.json["lines"].as_array().unwrap().len(), 1);
        assert_eq!((r.str("/lines/0/item"), r.raw("/lines/0/balance"), r.raw("/lines/0/carried"), r.raw("/lines/0/revalued")),
            ("account".into(), "1000.00".into(), "850.00".into(), "870.00".into()));
        assert_eq!(
            posting(&app, &r.str("/journal_entry_id")).await,
            lines(&["Dr 1250 20.00 (EUR 0.00)", "Cr 7907 20.00"])
        );
        let rev = app.get(&format!("/api/v1/journal_entries/{}", r.str("/reversal_entry_id"))).await.expect(200);
        assert_eq!(rev.str("/date"), "2026-04-01");
        assert_eq!(
            posting(&app, &r.str("/reversal_entry_id")).await,
            lines(&["Cr 1250 20.00 (EUR 0.00)", "Dr 7907 20.00"])
        );
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-03-31").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), tb.raw("/total_credit"));
        let a = app.get(&format!("/api/v1/accounts/{eur}")).await.expect(200);
        assert_eq!((a.raw("/balance"), a.raw("/base_balance")), ("1000.00".into(), "850.00".into()));
        // 400.00 EUR back for 360.00 GBP: they left at their carried 340.00, a 20.00 gain.
        let back = app
            .post(
                "/api/v1/transfers",
                json!({"date": "2026-04-02", "from_account_id": eur, "to_account_id": gbp,
                       "amount": "400.00", "to_amount": "360.00"}),
            )
            .await
            .expect(201);
        assert_eq!(
            posting(&app, &back.str("/journal_entry_id")).await,
            lines(&["Dr 1200 360.00", "Cr 1250 340.00 (EUR 400.00)", "Cr 7906 20.00"])
        );
        // The rest, 600.00 EUR, leaves with all that is carried (510.00): nothing stays in base.
        app.post(
            "/api/v1/transfers",
            json!({"date": "2026-04-03", "from_account_id": eur, "to_account_id": gbp, "amount": "600.00", "to_amount": "500.00"}),
        )
        .await
        .expect(201);
        let a = app.get(&format!("/api/v1/accounts/{eur}")).await.expect(200);
        assert_eq!((a.raw("/balance"), a.raw("/base_balance")), ("0.00".into(), "0.00".into()));
        // Voiding the first transfer back posts its mirror; a second void is 409.
        let v = app.post(&format!("/api/v1/transfers/{}/void", back.str("/id")), json!({"date": "2026-04-05"})).await.expect(200);
        assert_eq!(v.str("/status"), "void");
        app.post(&format!("/api/v1/transfers/{}/void", back.str("/id")), json!({})).await.expect(409);
        let a = app.get(&format!("/api/v1/accounts/{eur}")).await.expect(200);
        assert_eq!((a.raw("/balance"), a.raw("/base_balance")), ("400.00".into(), "340.00".into()));
    }
}

backend_test! {
    async fn revaluation_covers_open_invoices_and_bills(app: TestApp) {
        let c = customer(&app, json!({"name": "Euro GmbH", "currency": "EUR"})).await;
        // 100.00 EUR at 1.10, half paid at 1.20 on 10 March.
        let inv = approved_invoice(
            &app,
            json!({"customer_id": c, "date": "2026-03-01", "exchange_rate": "1.10", "lines": [{"unit_price": "100.00"}]}),
        )
        .await;
        app.post(
            "/api/v1/payments",
            json!({"customer_id": c, "date": "2026-03-10", "amount": "50.00", "exchange_rate": "1.2",
                   "applications": [{"invoice_id": inv.str("/id"), "amount": "50.00"}]}),
        )
        .await
        .expect(201);
        let v = app.post("/api/v1/vendors", json!({"name": "Paris SARL", "currency": "EUR"})).await.expect(201).str("/id");
        let costs = app.account("5000").await;
        let bill = app
            .post("/api/v1/bills", json!({"vendor_id": v, "date": "2026-03-02", "exchange_rate": "1.10",
                                          "lines": [{"unit_price": "200.00", "account_id": costs}]}))
            .await
            .expect(201)
            .str("/id");
        app.post(&format!("/api/v1/bills/{bill}/approve"), json!({})).await.expect(200);
        // A rate is needed for every currency held.
        let before = (app.count("journal_entries").await, app.count("fx_revaluations").await);
        for (body, field) in [
            (json!({"date": "2026-03-31", "rates": {}}), "rates.EUR"),
            (json!({"date": "2026-03-31", "rates": {"EUR": "-1"}}), "rates.EUR"),
            (json!({"date": "2026-03-31", "rates": {"EUR": "1.2", "USD": "1"}}), "rates.USD"),
            (json!({"date": "2026-03-31", "rates": {"EUR": "1.2", "XYZ": "1"}}), "rates.XYZ"),
            (json!({"date": "31/03/2026", "rates": {"EUR": "1.2"}}), "date"),
        ] {
            let r = app.post("/api/v1/fx_revaluations", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
        }
        assert_eq!((app.count("journal_entries").await, app.count("fx_revaluations").await), before);
        // At 1.30 on 31 March: the invoice's open 50.00 EUR carried at 55.00
        // is worth 65.00 (+10.00 Dr AR); the bill's 200.00 carried at 220.00
        // is owed at 260.00 (-40.00, Cr AP): a 30.00 loss.
        let r = app
            .post("/api/v1/fx_revaluations", json!({"date": "2026-03-31", "rates": {"EUR": "1.30"}}))
            .await
            .expect(201);
        assert_eq!(r.raw("/total"), "-30.00");
        assert_eq!(
            posting(&app, &r.str("/journal_entry_id")).await,
            lines(&["Dr 1100* 10.00", "Cr 2100* 40.00", "Dr 7907 30.00"])
        );
        // On 5 March, before the payment: the whole invoice (110.00 -> 130.00).
        let early = app
            .post("/api/v1/fx_revaluations", json!({"date": "2026-03-05", "rates": {"EUR": "1.30"}}))
            .await
            .expect(201);
        let i = early.json["lines"].as_array().unwrap().iter().position(|l| l["item"] == "invoice").unwrap();
        assert_eq!(early.raw(&format!("/lines/{i}/difference")), "20.00");
        // The receivable and payable are back at their original rates the next day.
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-04-01").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), tb.raw("/total_credit"));
        let fx = app.get(&format!("/api/v1/accounts/{}", app.account("7907").await)).await.expect(200);
        assert_eq!(fx.raw("/balance"), "0.00");
    }
}

backend_test! {
    async fn transfers_refuse_bad_input(app: TestApp) {
        let bank = app.account("1200").await;
        let cash = app.account("1230").await;
        let sales = app.account("4000").await;
        let eur = bank_in(&app, "1250", "EUR").await;
        let before = (app.count("transfers").await, app.count("journal_entries").await);
        for (body, field) in [
            (json!({"from_account_id": bank, "to_account_id": bank, "amount": "1"}), "to_account_id"),
            (json!({"from_account_id": bank, "to_account_id": sales, "amount": "1"}), "to_account_id"),
            (json!({"from_account_id": "acc_nope", "to_account_id": bank, "amount": "1"}), "from_account_id"),
            (json!({"from_account_id": bank, "to_account_id": cash, "amount": "0"}), "amount"),
            (json!({"from_account_id": bank, "to_account_id": cash, "amount": "1.001"}), "amount"),
            (json!({"from_account_id": bank, "to_account_id": cash, "amount": "1", "to_amount": "2"}), "to_amount"),
            (json!({"from_account_id": bank, "to_account_id": eur, "amount": "1"}), "to_amount"),
            // Nothing in the euro account to carry 5.00 EUR at, and no rate.
            (json!({"from_account_id": eur, "to_account_id": bank, "amount": "5", "to_amount": "5.40"}), "exchange_rate"),
            (json!({"from_account_id": bank, "to_account_id": cash, "amount": "1", "date": "2026-13-01"}), "date"),
        ] {
            let r = app.post("/api/v1/transfers", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
        }
        assert_eq!((app.count("transfers").await, app.count("journal_entries").await), before);
        // With a rate, an overdrawn euro account sends at that rate.
        let t = app
            .post("/api/v1/transfers", json!({"date": "2026-03-01", "from_account_id": eur, "to_account_id": bank,
                                               "amount": "5", "to_amount": "5.40", "exchange_rate": "1.1"}))
            .await
            .expect(201);
        assert_eq!(
            posting(&app, &t.str("/journal_entry_id")).await,
            lines(&["Dr 1200 5.40", "Cr 1250 5.50 (EUR 5.00)", "Dr 7906 0.10"])
        );
    }
}
