//! Loans: DOMAIN.md's worked example paid to the end, a prepayment that
//! works the schedule out again, a loan lent, and bad input refused with
//! nothing written.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{events, lines, posting};

backend_test! {
    async fn the_worked_example_paid_to_the_end(app: TestApp) {
        let l = app
            .post("/api/v1/loans", json!({"name": "Term loan", "counterparty": "First Bank",
                "principal": "100000.00", "annual_rate": "12", "term_months": 12, "start_date": "2026-01-15"}))
            .await
            .expect(201);
        let id = l.str("/id");
        assert_eq!((l.raw("/emi"), l.raw("/outstanding"), l.str("/status")), ("8884.88".into(), "100000.00".into(), "active".into()));
        assert_eq!((l.raw("/instalments"), l.str("/next_due_date")), ("12".into(), "2026-02-15".into()));
        assert_eq!(posting(&app, &l.str("/journal_entry_id")).await, lines(&["Dr 1200 100000.00", "Cr 2300 100000.00"]));
        // The schedule: 12 instalments, the first 1,000.00 interest + 7,884.88 principal.
        let s = app.get(&format!("/api/v1/loans/{id}/schedule")).await.expect(200);
        let rows = s.json["instalments"].as_array().unwrap();
        assert_eq!(rows.len(), 12);
        assert_eq!((s.raw("/instalments/0/interest"), s.raw("/instalments/0/principal")), ("1000.00".into(), "7884.88".into()));
        assert_eq!((s.raw("/instalments/11/closing"), s.str("/instalments/11/due_date")), ("0.00".into(), "2027-01-15".into()));
        let last_payment = s.raw("/instalments/11/payment");
        let total_interest = s.raw("/total_interest");
        // The first payment, as scheduled.
        let p = app.post(&format!("/api/v1/loans/{id}/payments"), json!({"date": "2026-02-15"})).await.expect(201);
        assert_eq!((p.raw("/interest"), p.raw("/principal"), p.raw("/outstanding")), ("1000.00".into(), "7884.88".into(), "92115.12".into()));
        assert_eq!(
            posting(&app, &p.str("/journal_entry_id")).await,
            lines(&["Dr 2300 7884.88", "Dr 7900 1000.00", "Cr 1200 8884.88"])
        );
        // The other eleven; the last takes the rounding.
        for m in 2..=12u32 {
            let date = format!("{}-{:02}-15", if m == 12 { 2027 } else { 2026 }, if m == 12 { 1 } else { m + 1 });
            let p = app.post(&format!("/api/v1/loans/{id}/payments"), json!({"date": date})).await.expect(201);
            if m == 12 {
                assert_eq!((p.raw("/amount"), p.raw("/outstanding")), (last_payment.clone(), "0.00".into()));
            } else {
                assert_eq!(p.raw("/amount"), "8884.88");
            }
        }
        let l = app.get(&format!("/api/v1/loans/{id}")).await.expect(200);
        assert_eq!((l.str("/status"), l.raw("/outstanding"), l.raw("/interest_paid")), ("paid_off".into(), "0.00".into(), total_interest));
        assert!(l.json["next_due_date"].is_null());
        let acc = app.get(&format!("/api/v1/accounts/{}", app.account("2300").await)).await.expect(200);
        assert_eq!(acc.raw("/balance"), "0.00");
        assert_eq!(events(&app, "loan.").await.iter().filter(|e| *e == "loan.paid_off").count(), 1);
        assert_eq!(events(&app, "loan.").await.iter().filter(|e| *e == "loan.payment_made").count(), 12);
        // Nothing more to pay: 409, and nothing written.
        let before = app.count("journal_entries").await;
        let r = app.post(&format!("/api/v1/loans/{id}/payments"), json!({})).await.expect(409);
        assert!(r.text.contains("paid_off"), "{}", r.text);
        assert_eq!(app.count("journal_entries").await, before);
        let ps = app.get(&format!("/api/v1/loans/{id}/payments")).await.expect(200);
        assert_eq!(ps.json["data"].as_array().unwrap().len(), 12);
        let s = app.get(&format!("/api/v1/loans/{id}/schedule")).await.expect(200);
        assert!(s.json["instalments"].as_array().unwrap().iter().all(|r| r["status"] == "paid"));
    }
}

backend_test! {
    async fn a_prepayment_spreads_the_rest_over_the_term(app: TestApp) {
        let id = app
            .post("/api/v1/loans", json!({"name": "Van", "principal": "100000.00", "annual_rate": "12",
                "term_months": 12, "start_date": "2026-01-15"}))
            .await
            .expect(201)
            .str("/id");
        // 20,000.00 paid with the first instalment: 1,000.00 interest, 19,000.00 principal.
        let p = app.post(&format!("/api/v1/loans/{id}/payments"), json!({"date": "2026-02-15", "amount": "20000.00"})).await.expect(201);
        assert_eq!((p.raw("/interest"), p.raw("/principal"), p.raw("/outstanding")), ("1000.00".into(), "19000.00".into(), "81000.00".into()));
        let l = app.get(&format!("/api/v1/loans/{id}")).await.expect(200);
        assert!(l.raw("/emi").as_str() < "8884.88", "{}", l.text);
        let s = app.get(&format!("/api/v1/loans/{id}/schedule")).await.expect(200);
        let rows = s.json["instalments"].as_array().unwrap();
        assert_eq!(rows.len(), 12);
        assert_eq!((rows[0]["status"].as_str(), rows[1]["status"].as_str()), (Some("paid"), Some("due")));
        assert_eq!(s.raw("/instalments/1/interest"), "810.00");
        assert_eq!(s.raw("/instalments/11/closing"), "0.00");
        // Bad payments, each refused with nothing written.
        let before = (app.count("journal_entries").await, app.count("loan_payments").await);
        for (body, needle) in [
            (json!({"amount": "81810.01", "date": "2026-03-15"}), "more than is owed"),
            (json!({"amount": "809.99", "date": "2026-03-15"}), "interest"),
            (json!({"amount": "0", "date": "2026-03-15"}), "greater than zero"),
            (json!({"amount": "1.001", "date": "2026-03-15"}), "decimal places"),
            (json!({"date": "2026-02-14"}), "before"),
            (json!({"date": "2026-03-15", "bank_account_id": app.account("4000").await}), "bank"),
        ] {
            let r = app.post(&format!("/api/v1/loans/{id}/payments"), body.clone()).await.expect(400);
            assert!(r.text.contains(needle), "{body}: {}", r.text);
        }
        assert_eq!((app.count("journal_entries").await, app.count("loan_payments").await), before);
        // Paying everything owed at once pays it off.
        let p = app.post(&format!("/api/v1/loans/{id}/payments"), json!({"amount": "81810.00", "date": "2026-03-15"})).await.expect(201);
        assert_eq!((p.raw("/interest"), p.raw("/principal"), p.raw("/outstanding")), ("810.00".into(), "81000.00".into(), "0.00".into()));
        assert_eq!(app.get(&format!("/api/v1/loans/{id}")).await.expect(200).str("/status"), "paid_off");
    }
}

backend_test! {
    async fn a_loan_lent_posts_the_mirror(app: TestApp) {
        let asset = app
            .post("/api/v1/accounts", json!({"code": "1500", "name": "Loans to directors", "type": "asset", "subtype": "current"}))
            .await
            .expect(201)
            .str("/id");
        let l = app
            .post("/api/v1/loans", json!({"kind": "lent", "name": "Director loan", "principal": "1200.00",
                "annual_rate": "0", "term_months": 12, "frequency": "quarterly", "start_date": "2026-01-01",
                "loan_account_id": asset}))
            .await
            .expect(201);
        assert_eq!((l.raw("/emi"), l.raw("/instalments")), ("300.00".into(), "4".into()));
        assert_eq!(posting(&app, &l.str("/journal_entry_id")).await, lines(&["Dr 1500 1200.00", "Cr 1200 1200.00"]));
        let p = app.post(&format!("/api/v1/loans/{}/payments", l.str("/id")), json!({"date": "2026-04-01"})).await.expect(201);
        // No interest: the zero line is left out.
        assert_eq!(posting(&app, &p.str("/journal_entry_id")).await, lines(&["Dr 1200 300.00", "Cr 1500 300.00"]));
        // A loan nothing was paid on can be voided: the drawdown is reversed.
        let v = app
            .post("/api/v1/loans", json!({"name": "Mistake", "principal": "500.00", "annual_rate": "5", "term_months": 6, "start_date": "2026-01-01"}))
            .await
            .expect(201);
        let vid = v.str("/id");
        let done = app.post(&format!("/api/v1/loans/{vid}/void"), json!({"date": "2026-01-02"})).await.expect(200);
        assert_eq!(done.str("/status"), "void");
        app.post(&format!("/api/v1/loans/{vid}/void"), json!({})).await.expect(409);
        app.post(&format!("/api/v1/loans/{vid}/payments"), json!({})).await.expect(409);
        // One with payments cannot.
        let r = app.post(&format!("/api/v1/loans/{}/void", l.str("/id")), json!({})).await.expect(409);
        assert!(r.text.contains("1 payment"), "{}", r.text);
        let active = app.get("/api/v1/loans?status=active").await.expect(200);
        assert_eq!(active.json["data"].as_array().unwrap().len(), 1);
        app.get("/api/v1/loans?status=gone").await.expect(400);
        app.get("/api/v1/loans/loan_missing").await.expect(404);
    }
}

backend_test! {
    async fn bad_loans_are_refused_with_nothing_written(app: TestApp) {
        let expense = app.account("7900").await;
        let base = json!({"name": "L", "principal": "1000.00", "annual_rate": "10", "term_months": 12});
        let with = |k: &str, v: serde_json::Value| {
            let mut b = base.clone();
            b[k] = v;
            b
        };
        let before = (app.count("loans").await, app.count("journal_entries").await);
        for (body, field) in [
            (with("principal", json!("0")), "principal"),
            (with("principal", json!("-5")), "principal"),
            (with("annual_rate", json!("150")), "annual_rate"),
            (with("annual_rate", json!("1.23456")), "annual_rate"),
            (with("term_months", json!(0)), "term_months"),
            (with("term_months", json!(601)), "term_months"),
            (with("frequency", json!("fortnightly")), "frequency"),
            (with("frequency", json!("quarterly")).as_object().map(|o| { let mut o = o.clone(); o.insert("term_months".into(), json!(10)); serde_json::Value::Object(o) }).unwrap(), "term_months"),
            (with("kind", json!("gifted")), "kind"),
            (with("kind", json!("lent")), "loan_account_id"),
            (with("loan_account_id", json!(expense)), "loan_account_id"),
            (with("interest_account_id", json!(app.account("2300").await)), "interest_account_id"),
            (with("bank_account_id", json!(expense)), "bank_account_id"),
            (with("name", json!("  ")), "name"),
            (with("start_date", json!("2026-02-30")), "start_date"),
        ] {
            let r = app.post("/api/v1/loans", body.clone()).await.expect(400);
            assert!(r.text.contains(field), "{body}: {}", r.text);
        }
        app.post("/api/v1/loans", with("surprise", json!(1))).await.expect(400);
        assert_eq!((app.count("loans").await, app.count("journal_entries").await), before);
    }
}
