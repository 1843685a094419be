//! Accounts kept in another currency than the base: lines carry both
//! amounts, balances are kept in both, and money documents move through
//! such accounts in their own currency.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{approved_invoice, customer, lines, posting};

/// A bank account kept in `currency`; its id.
pub async fn bank_in(app: &ferrobooks_testkit::TestApp, code: &str, currency: &str) -> String {
    app.post(
        "/api/v1/accounts",
        json!({"code": code, "name": format!("{currency} account"), "type": "asset",
               "subtype": "bank", "currency": currency}),
    )
    .await
    .expect(201)
    .str("/id")
}

backend_test! {
    async fn journal_lines_keep_the_accounts_own_currency(app: TestApp) {
        let eur = bank_in(&app, "1250", "EUR").await;
        let equity = app.account("3000").await;
        // 1,000.00 EUR banked at 1.085: 1,085.00 USD.
        let r = app
            .post(
                "/api/v1/journal_entries",
                json!({"date": "2026-03-01", "memo": "Funding", "post": true, "lines": [
                    {"account_id": eur, "debit": "1085.00", "currency_amount": "1000.00"},
                    {"account_id": equity, "credit": "1085.00"}
                ]}),
            )
            .await
            .expect(201);
        assert_eq!(r.str("/lines/0/currency"), "EUR");
        assert_eq!(r.raw("/lines/0/currency_amount"), "1000.00");
        assert!(r.json["lines"][1]["currency"].is_null());
        assert_eq!(
            posting(&app, &r.str("/id")).await,
            lines(&["Dr 1250 1085.00 (EUR 1000.00)", "Cr 3000 1085.00"])
        );
        // Spent 200.00 EUR at 1.10 (220.00 USD), base-only revaluation of +5.00.
        let fees = app.account("7900").await;
        app.post(
            "/api/v1/journal_entries",
            json!({"date": "2026-03-02", "post": true, "lines": [
                {"account_id": fees, "debit": "220.00"},
                {"account_id": eur, "credit": "220.00", "currency_amount": 200}
            ]}),
        )
        .await
        .expect(201);
        let fx = app.account("7907").await;
        let reval = app
            .post(
                "/api/v1/journal_entries",
                json!({"date": "2026-03-31", "post": true, "lines": [
                    {"account_id": eur, "debit": "5.00", "currency_amount": "0"},
                    {"account_id": fx, "credit": "5.00"}
                ]}),
            )
            .await
            .expect(201);
        let a = app.get(&format!("/api/v1/accounts/{eur}")).await.expect(200);
        assert_eq!(
            (a.str("/currency"), a.raw("/balance"), a.raw("/base_balance")),
            ("EUR".into(), "800.00".into(), "870.00".into())
        );
        // The trial balance stays in base and balances.
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-12-31").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), tb.raw("/total_credit"));
        // A void restores both balances exactly.
        app.post(&format!("/api/v1/journal_entries/{}/void", reval.str("/id")), json!({"date": "2026-04-01"}))
            .await
            .expect(200);
        let a = app.get(&format!("/api/v1/accounts/{eur}")).await.expect(200);
        assert_eq!((a.raw("/balance"), a.raw("/base_balance")), ("800.00".into(), "865.00".into()));
        // A drafted foreign line keeps its amount through edit and posting.
        let d = app
            .post(
                "/api/v1/journal_entries",
                json!({"date": "2026-04-02", "lines": [
                    {"account_id": eur, "debit": "11.00", "currency_amount": "10.00"},
                    {"account_id": equity, "credit": "11.00"}
                ]}),
            )
            .await
            .expect(201);
        let p = app
            .post(&format!("/api/v1/journal_entries/{}/post", d.str("/id")), json!({}))
            .await
            .expect(200);
        assert_eq!(p.raw("/lines/0/currency_amount"), "10.00");
        let a = app.get(&format!("/api/v1/accounts/{eur}")).await.expect(200);
        assert_eq!((a.raw("/balance"), a.raw("/base_balance")), ("810.00".into(), "876.00".into()));
    }
}

backend_test! {
    async fn foreign_lines_refuse_what_does_not_fit(app: TestApp) {
        let eur = bank_in(&app, "1250", "EUR").await;
        let jpy = bank_in(&app, "1251", "JPY").await;
        let bank = app.account("1200").await;
        let equity = app.account("3000").await;
        let before = (app.count("journal_entries").await, app.count("journal_lines").await);
        for (line, field, says) in [
            // No amount in the account's currency.
            (json!({"account_id": eur, "debit": "10.00"}), "lines[0].account_id", "needs its amount in EUR"),
            // An amount in another currency on a base-currency account.
            (json!({"account_id": bank, "debit": "10.00", "currency_amount": "9.00"}), "lines[0].currency_amount", "only for accounts kept in another currency"),
            // More precision than the account's currency has.
            (json!({"account_id": jpy, "debit": "10.00", "currency_amount": "1500.5"}), "lines[0].currency_amount", ""),
            (json!({"account_id": eur, "debit": "10.00", "currency_amount": "9.001"}), "lines[0].currency_amount", ""),
            // Negative: the side is the line's.
            (json!({"account_id": eur, "debit": "10.00", "currency_amount": "-9.00"}), "lines[0].currency_amount", "negative"),
            (json!({"account_id": eur, "debit": "10.00", "currency_amount": "nine"}), "lines[0].currency_amount", ""),
        ] {
            let r = app
                .post(
                    "/api/v1/journal_entries",
                    json!({"date": "2026-03-01", "post": true, "lines": [line, {"account_id": equity, "credit": "10.00"}]}),
                )
                .await
                .expect(400);
            let detail = r.json["details"][field].as_str().unwrap_or_else(|| panic!("{field}: {}", r.text));
            assert!(detail.contains(says), "{field}: {}", r.text);
        }
        assert_eq!((app.count("journal_entries").await, app.count("journal_lines").await), before);
    }
}

backend_test! {
    async fn money_moves_through_an_account_in_its_currency(app: TestApp) {
        let eur = bank_in(&app, "1250", "EUR").await;
        let gbp = bank_in(&app, "1260", "GBP").await;
        let c = customer(&app, json!({"name": "Euro GmbH", "currency": "EUR"})).await;
        let inv = approved_invoice(
            &app,
            json!({"customer_id": c, "exchange_rate": "1.10", "lines": [{"unit_price": "100.00"}]}),
        )
        .await;
        // A EUR payment cannot land in a GBP account; nothing is written.
        let before = (app.count("payments").await, app.count("journal_entries").await);
        let r = app
            .post(
                "/api/v1/payments",
                json!({"customer_id": c, "amount": "100.00", "exchange_rate": "1.2", "deposit_account_id": gbp,
                       "applications": [{"invoice_id": inv.str("/id"), "amount": "100.00"}]}),
            )
            .await
            .expect(400);
        assert!(r.json["details"]["deposit_account_id"].as_str().unwrap().contains("kept in GBP"), "{}", r.text);
        assert_eq!((app.count("payments").await, app.count("journal_entries").await), before);
        // Into the EUR account at 1.20: the bank keeps 100.00 EUR worth 120.00.
        let p = app
            .post(
                "/api/v1/payments",
                json!({"customer_id": c, "amount": "100.00", "exchange_rate": "1.2", "deposit_account_id": eur,
                       "applications": [{"invoice_id": inv.str("/id"), "amount": "100.00"}]}),
            )
            .await
            .expect(201);
        assert_eq!(
            posting(&app, &p.str("/journal_entry_id")).await,
            lines(&["Dr 1250 120.00 (EUR 100.00)", "Cr 1100* 120.00", "Dr 1100* 10.00", "Cr 7906 10.00"])
        );
        let a = app.get(&format!("/api/v1/accounts/{eur}")).await.expect(200);
        assert_eq!((a.raw("/balance"), a.raw("/base_balance")), ("100.00".into(), "120.00".into()));
        // Deleting the payment takes both amounts back out.
        app.delete(&format!("/api/v1/payments/{}", p.str("/id"))).await.expect(204);
        let a = app.get(&format!("/api/v1/accounts/{eur}")).await.expect(200);
        assert_eq!((a.raw("/balance"), a.raw("/base_balance")), ("0.00".into(), "0.00".into()));
        // A USD payment cannot land in the EUR account either.
        let usd = customer(&app, json!({"name": "Local Inc"})).await;
        let r = app
            .post("/api/v1/payments", json!({"customer_id": usd, "amount": "5.00", "deposit_account_id": eur}))
            .await
            .expect(400);
        assert!(r.json["details"]["deposit_account_id"].as_str().unwrap().contains("kept in EUR"), "{}", r.text);
    }
}
