//! A month of a bank account worked end to end: a statement imported, its
//! lines matched to payments (three to one deposit), categorized (one
//! split over two accounts), undone and redone, and reconciled to the
//! statement's closing balance.

use serde_json::json;

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{approved_invoice, customer, events, lines, posting};

backend_test! {
    async fn a_month_matched_categorized_and_reconciled(app: TestApp) {
        let bank = app.account("1200").await;
        let cash = app.account("1230").await;
        let fees = app.account("7900").await;
        let costs = app.account("5000").await;
        let capital = app.account("3000").await;
        let acme = customer(&app, json!({"name": "Acme Trading"})).await;
        let mut payments = Vec::new();
        for (amount, day) in [("100.00", "02"), ("200.00", "03"), ("300.00", "04"), ("250.00", "20")] {
            let inv = approved_invoice(&app, json!({"customer_id": acme, "date": "2026-03-01", "lines": [{"unit_price": amount}]})).await;
            let p = app
                .post("/api/v1/payments", json!({"customer_id": acme, "date": format!("2026-03-{day}"), "amount": amount,
                       "deposit_account_id": bank, "applications": [{"invoice_id": inv.str("/id"), "amount": amount}]}))
                .await
                .expect(201);
            payments.push(p.str("/journal_entry_id"));
        }
        // A cash payment: on another account, it explains nothing here.
        let inv = approved_invoice(&app, json!({"customer_id": acme, "date": "2026-03-01", "lines": [{"unit_price": "600.00"}]})).await;
        let in_cash = app
            .post("/api/v1/payments", json!({"customer_id": acme, "date": "2026-03-05", "amount": "600.00", "deposit_account_id": cash,
                   "applications": [{"invoice_id": inv.str("/id"), "amount": "600.00"}]}))
            .await
            .expect(201)
            .str("/journal_entry_id");
        // A rule categorizes bank fees as they come in.
        let rule = app
            .post("/api/v1/bank_rules", json!({"name": "Bank fees", "description_contains": "fee", "direction": "out",
                   "amount_max": "50.00", "action": "categorize", "account_id": fees, "memo": "Bank fee"}))
            .await
            .expect(201)
            .str("/id");
        // The bank's statement for March.
        let csv = "Date,Amount,Details\n05/03/2026,600.00,DEPOSIT 3 CHEQUES\n10/03/2026,-15.00,MONTHLY FEE\n\
                   12/03/2026,-1200.00,RENT AND INSURANCE\n15/03/2026,2000.00,OWNER FUNDS\n21/03/2026,250.00,ACME TRADING PAYMENT\n";
        let mapping = r#"{"date": "Date", "date_format": "%d/%m/%Y", "amount": "Amount", "description": "Details"}"#;
        let imported = app
            .post_multipart(&format!("/api/v1/bank_accounts/{bank}/statements"), vec![
                ("format", None, b"csv".to_vec()), ("mapping", None, mapping.as_bytes().to_vec()),
                ("file", Some("march.csv"), csv.as_bytes().to_vec())])
            .await
            .expect(201);
        assert_eq!(imported.json["new"], 5, "{}", imported.text);
        let list = app.get(&format!("/api/v1/bank_transactions?bank_account_id={bank}&limit=100")).await.expect(200);
        let line = |desc: &str| -> String {
            list.json["data"].as_array().unwrap().iter().find(|l| l["description"] == desc).unwrap()["id"].as_str().unwrap().to_owned()
        };
        let (deposit, fee, rent, funds, single) = (line("DEPOSIT 3 CHEQUES"), line("MONTHLY FEE"), line("RENT AND INSURANCE"), line("OWNER FUNDS"), line("ACME TRADING PAYMENT"));
        // The single payment is the top suggestion, with its customer.
        let s = app.get(&format!("/api/v1/bank_transactions/{single}/suggestions")).await.expect(200);
        assert_eq!(s.json[0]["lines"][0]["entry_id"], payments[3].as_str(), "{}", s.text);
        assert_eq!(s.json[0]["lines"][0]["contact_name"], "Acme Trading");
        assert!(s.json[0]["score"].as_u64().unwrap() > 80, "{}", s.text);
        app.post(&format!("/api/v1/bank_transactions/{single}/match"), json!({"lines": [s.json[0]["lines"][0]["line_id"]]})).await.expect(200);
        // The deposit's suggestion is the group of the three payments before it, scored under any single match.
        let s = app.get(&format!("/api/v1/bank_transactions/{deposit}/suggestions")).await.expect(200);
        let group: Vec<&str> = s.json[0]["lines"].as_array().unwrap().iter().map(|l| l["entry_id"].as_str().unwrap()).collect();
        let mut want: Vec<&str> = payments[..3].iter().map(String::as_str).collect();
        want.sort_unstable();
        let mut got = group.clone();
        got.sort_unstable();
        assert_eq!(got, want, "{}", s.text);
        assert!((40..=80).contains(&s.json[0]["score"].as_u64().unwrap()), "{}", s.text);
        // Three payments make the one deposit; wrong sums and other accounts' lines are refused.
        let line_of = |entry: &str| format!("{entry}:0");
        let before = app.count("bank_matches").await;
        for (body, field) in [
            (json!({"lines": [line_of(&payments[0]), line_of(&payments[1])]}), "lines"),
            (json!({"lines": [line_of(&payments[0]), line_of(&payments[1]), line_of(&in_cash)]}), "lines[2]"),
            (json!({"lines": [line_of(&payments[0]), line_of(&payments[0])]}), "lines[1]"),
            (json!({"lines": [line_of(&payments[3])]}), "lines[0]"),
            (json!({"lines": ["nonsense"]}), "lines[0]"),
        ] {
            let r = app.post(&format!("/api/v1/bank_transactions/{deposit}/match"), body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
        }
        assert_eq!(app.count("bank_matches").await, before);
        let m = app
            .post(&format!("/api/v1/bank_transactions/{deposit}/match"), json!({"lines": [line_of(&payments[0]), line_of(&payments[1]), line_of(&payments[2])]}))
            .await
            .expect(200);
        assert_eq!(m.str("/status"), "matched");
        app.post(&format!("/api/v1/bank_transactions/{deposit}/match"), json!({"lines": [line_of(&payments[0])]})).await.expect(409);
        // The rule categorized the fee on import; the rent splits over two accounts.
        let c = app.get(&format!("/api/v1/bank_transactions/{fee}")).await.expect(200);
        assert_eq!((c.str("/status"), c.str("/rule_id")), ("categorized".into(), rule.clone()));
        let rent_line = app.get(&format!("/api/v1/bank_transactions/{rent}")).await.expect(200);
        assert_eq!(rent_line.str("/status"), "unreviewed", "over the rule's maximum");
        assert!(rent_line.json["rule_id"].is_null());
        let fee_entry = app.get("/api/v1/journal_entries?search=Bank%20fee&limit=5").await.expect(200);
        assert_eq!(posting(&app, fee_entry.json["data"][0]["id"].as_str().unwrap()).await, lines(&["Cr 1200 15.00", "Dr 7900 15.00"]));
        let entries = app.count("journal_entries").await;
        let r = app
            .post(&format!("/api/v1/bank_transactions/{rent}/categorize"), json!({"lines": [{"account_id": costs, "amount": "1000.00"}, {"account_id": fees, "amount": "150.00"}]}))
            .await
            .expect(400);
        assert!(r.json["details"]["lines"].as_str().unwrap().contains("1150.00"), "{}", r.text);
        app.post(&format!("/api/v1/bank_transactions/{rent}/categorize"), json!({"lines": [{"account_id": bank}]})).await.expect(400);
        app.post(&format!("/api/v1/bank_transactions/{rent}/categorize"), json!({"lines": [{"account_id": costs}, {"account_id": fees}]})).await.expect(400);
        assert_eq!(app.count("journal_entries").await, entries);
        app.post(&format!("/api/v1/bank_transactions/{rent}/categorize"), json!({"lines": [{"account_id": costs, "amount": "1000.00"}, {"account_id": fees, "amount": "200.00", "description": "Insurance"}]}))
            .await
            .expect(200);
        app.post(&format!("/api/v1/bank_transactions/{funds}/categorize"), json!({"lines": [{"account_id": capital}], "memo": "Owner funds"})).await.expect(200);
        let rent_entry = app.get("/api/v1/journal_entries?search=RENT&limit=5").await.expect(200).json["data"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(posting(&app, &rent_entry).await, lines(&["Cr 1200 1200.00", "Dr 5000 1000.00", "Dr 7900 200.00"]));
        // Undo and redo give the same books.
        let tb_before = app.get("/api/v1/reports/trial_balance?as_of=2026-03-31").await.expect(200).text;
        let u = app.post(&format!("/api/v1/bank_transactions/{fee}/uncategorize"), json!({})).await.expect(200);
        assert_eq!(u.str("/status"), "unreviewed");
        app.post(&format!("/api/v1/bank_transactions/{deposit}/unmatch"), json!({})).await.expect(200);
        app.post(&format!("/api/v1/bank_transactions/{deposit}/unmatch"), json!({})).await.expect(409);
        app.post(&format!("/api/v1/bank_transactions/{fee}/categorize"), json!({"lines": [{"account_id": fees}]})).await.expect(200);
        app.post(&format!("/api/v1/bank_transactions/{deposit}/match"), json!({"lines": [line_of(&payments[2]), line_of(&payments[0]), line_of(&payments[1])]})).await.expect(200);
        let tb_after = app.get("/api/v1/reports/trial_balance?as_of=2026-03-31").await.expect(200).text;
        assert_eq!(tb_after, tb_before);
        let a = app.get(&format!("/api/v1/bank_accounts/{bank}")).await.expect(200);
        assert_eq!((a.raw("/balance"), a.json["unreviewed_count"].as_i64()), ("1635.00".into(), Some(0)));
        // Reconciled to the statement's closing balance: the ledger says the same.
        let rec = app
            .post(&format!("/api/v1/bank_accounts/{bank}/reconciliations"), json!({"statement_date": "2026-03-31", "closing_balance": "1635.00"}))
            .await
            .expect(201);
        let base = format!("/api/v1/bank_accounts/{bank}/reconciliations/{}", rec.str("/id"));
        app.post(&format!("{base}/lines"), json!({"clear_all": true})).await.expect(200);
        let done = app.post(&format!("{base}/finish"), json!({})).await.expect(200);
        assert_eq!(done.raw("/difference"), "0.00");
        // A reconciled categorization cannot be taken back until the reconciliation is undone.
        app.post(&format!("/api/v1/bank_transactions/{fee}/uncategorize"), json!({})).await.expect(409);
        // Deleting a matched payment after undoing the reconciliation opens its statement line again.
        app.delete(&base).await.expect(204);
        let p = app.get("/api/v1/payments?limit=100").await.expect(200);
        let single_payment = p.json["data"].as_array().unwrap().iter().find(|x| x["journal_entry_id"] == payments[3].as_str()).unwrap()["id"].as_str().unwrap().to_owned();
        let updates = events(&app, "bank_transaction.updated").await.len();
        app.delete(&format!("/api/v1/payments/{single_payment}")).await.expect(204);
        let l = app.get(&format!("/api/v1/bank_transactions/{single}")).await.expect(200);
        assert_eq!(l.str("/status"), "unreviewed");
        assert_eq!(events(&app, "bank_transaction.updated").await.len(), updates + 1, "the line's change is an event");
    }
}
