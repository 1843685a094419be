//! Statement lines categorized with a tax or a contact become documents
//! paid on the spot (a bank payment, a sales receipt, a card charge), the
//! tax taken out of the amount the bank shows; uncategorizing voids the
//! document; a rule does the same on import.

use serde_json::json;

use ferrobooks_testkit::factories::{customer, events, lines, posting, tax_named};
use ferrobooks_testkit::{TestApp, backend_test};

async fn line(app: &TestApp, account: &str, amount: &str, description: &str) -> String {
    app.post(
        "/api/v1/bank_transactions",
        json!({"bank_account_id": account, "date": "2026-03-10", "amount": amount, "description": description}),
    )
    .await
    .expect(201)
    .str("/id")
}

/// The entry a categorized line's document posted.
async fn entry_of(app: &TestApp, path: &str) -> (String, String) {
    let list = app
        .get(&format!("/api/v1/{path}?limit=10"))
        .await
        .expect(200);
    // Lists are in id order: the newest last.
    let doc = list.json["data"].as_array().unwrap().last().unwrap();
    (
        doc["id"].as_str().unwrap().to_owned(),
        doc["journal_entry_id"].as_str().unwrap().to_owned(),
    )
}

backend_test! {
    #[country("GB", "GBP")]
    async fn taxed_lines_become_documents_paid_on_the_spot(app: TestApp) {
        let bank = app.account("1200").await;
        let card = app.account("2150").await;
        let sales = app.account("4000").await;
        let vat = tax_named(&app, "VAT Standard 20%").await;
        let meals = app.post("/api/v1/accounts", json!({"code": "6400", "name": "Meals", "type": "expense"})).await.expect(201).str("/id");
        let costa = app.post("/api/v1/vendors", json!({"name": "Costa Coffee"})).await.expect(201).str("/id");
        let acme = customer(&app, json!({"name": "Acme Ltd"})).await;
        // 8.97 holds 1.50 of VAT: no net plus 20% of it makes 8.97, so the tax comes out of the gross.
        let coffee = line(&app, &bank, "-8.97", "CARD 4411 COSTA").await;
        let r = app
            .post(&format!("/api/v1/bank_transactions/{coffee}/categorize"), json!({"contact_id": costa, "lines": [{"account_id": meals, "tax_id": vat}]}))
            .await
            .expect(200);
        assert_eq!(r.str("/status"), "categorized");
        let (payment, entry) = entry_of(&app, "bank_payments").await;
        assert_eq!(posting(&app, &entry).await, lines(&["Cr 1200 8.97", "Dr 2201 1.50", "Dr 6400 7.47"]));
        let doc = app.get(&format!("/api/v1/bank_payments/{payment}")).await.expect(200);
        assert_eq!((doc.str("/vendor_id"), doc.raw("/total"), doc.raw("/tax_total")), (costa.clone(), "8.97".into(), "1.50".into()));
        // Money in with a tax is a sales receipt of the customer named.
        let sale = line(&app, &bank, "120.00", "ACME LTD INV 77").await;
        app.post(&format!("/api/v1/bank_transactions/{sale}/categorize"), json!({"contact_id": acme, "lines": [{"account_id": sales, "tax_id": vat}]}))
            .await
            .expect(200);
        let (_, entry) = entry_of(&app, "sales_receipts").await;
        assert_eq!(posting(&app, &entry).await, lines(&["Cr 2200 20.00", "Cr 4000 100.00", "Dr 1200 120.00"]));
        // On the card: a charge.
        let lunch = line(&app, &card, "-36.00", "PRET A MANGER").await;
        app.post(&format!("/api/v1/bank_transactions/{lunch}/categorize"), json!({"lines": [{"account_id": meals, "tax_id": vat}]})).await.expect(200);
        let (_, entry) = entry_of(&app, "credit_card_charges").await;
        assert_eq!(posting(&app, &entry).await, lines(&["Cr 2150 36.00", "Dr 2201 6.00", "Dr 6400 30.00"]));
        // Bad input, nothing written.
        let other = line(&app, &bank, "60.00", "UNKNOWN CREDIT").await;
        let split = line(&app, &bank, "-50.00", "SUPPLIES AND MEALS").await;
        let before = (app.count("documents").await, app.count("journal_entries").await, app.count("bank_matches").await);
        for (id, body, field) in [
            (&other, json!({"lines": [{"account_id": sales, "tax_id": vat}]}), "contact_id"),
            (&other, json!({"contact_id": costa, "lines": [{"account_id": sales, "tax_id": vat}]}), "contact_id"),
            (&coffee, json!({"lines": [{"account_id": meals, "tax_id": vat}]}), ""),
            (&split, json!({"lines": [{"account_id": meals, "amount": "30.00", "tax_id": vat}, {"account_id": meals, "amount": "25.00"}]}), "lines"),
            (&split, json!({"lines": [{"account_id": meals, "tax_id": "tax_nope"}]}), "lines[0].tax_id"),
            (&split, json!({"lines": [{"account_id": sales, "tax_id": vat}]}), "lines[0].account_id"),
            (&split, json!({"contact_id": "ven_nope", "lines": [{"account_id": meals}]}), "contact_id"),
        ] {
            let r = app.post(&format!("/api/v1/bank_transactions/{id}/categorize"), body.clone()).await;
            if field.is_empty() {
                assert_eq!(r.status, 409, "{body}: an already categorized line: {}", r.text);
            } else {
                assert_eq!(r.status, 400, "{body}: {}", r.text);
                assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
            }
        }
        assert_eq!((app.count("documents").await, app.count("journal_entries").await, app.count("bank_matches").await), before);
        // A split with a tax on one line only (one account: the engine posts it once).
        app.post(&format!("/api/v1/bank_transactions/{split}/categorize"), json!({"lines": [{"account_id": meals, "amount": "30.00", "tax_id": vat}, {"account_id": meals, "amount": "20.00"}]}))
            .await
            .expect(200);
        let (_, entry) = entry_of(&app, "bank_payments").await;
        assert_eq!(posting(&app, &entry).await, lines(&["Cr 1200 50.00", "Dr 2201 5.00", "Dr 6400 45.00"]));
        // Uncategorizing voids the document, and the line is open again.
        let u = app.post(&format!("/api/v1/bank_transactions/{coffee}/uncategorize"), json!({})).await.expect(200);
        assert_eq!(u.str("/status"), "unreviewed");
        assert_eq!(app.get(&format!("/api/v1/bank_payments/{payment}")).await.expect(200).str("/status"), "void");
        assert_eq!(events(&app, "bank_payment.").await, ["bank_payment.created", "bank_payment.created", "bank_payment.voided"]);
        // Voiding the document itself opens the line too.
        let (receipt, _) = entry_of(&app, "sales_receipts").await;
        app.post(&format!("/api/v1/sales_receipts/{receipt}/void"), json!({})).await.expect(200);
        assert_eq!(app.get(&format!("/api/v1/bank_transactions/{sale}")).await.expect(200).str("/status"), "unreviewed");
        let a = app.get(&format!("/api/v1/accounts/{bank}")).await.expect(200);
        assert_eq!(a.raw("/balance"), "-50.00", "only the split stays categorized");
    }
}

backend_test! {
    #[country("GB", "GBP")]
    async fn a_rule_with_a_tax_and_a_vendor_makes_the_document_on_import(app: TestApp) {
        let bank = app.account("1200").await;
        let vat = tax_named(&app, "VAT Standard 20%").await;
        let meals = app.post("/api/v1/accounts", json!({"code": "6400", "name": "Meals", "type": "expense"})).await.expect(201).str("/id");
        let costa = app.post("/api/v1/vendors", json!({"name": "Costa Coffee"})).await.expect(201).str("/id");
        // Bad rules: a tax or vendor that is not there, a tax on a mark rule.
        for (body, field) in [
            (json!({"name": "x", "description_contains": "costa", "action": "categorize", "account_id": meals, "tax_id": "tax_nope"}), "tax_id"),
            (json!({"name": "x", "description_contains": "costa", "action": "categorize", "account_id": meals, "contact_id": "ven_nope"}), "contact_id"),
            (json!({"name": "x", "description_contains": "costa", "action": "mark", "tax_id": vat}), "tax_id"),
        ] {
            let r = app.post("/api/v1/bank_rules", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: expected {field}: {}", r.text);
        }
        let rule = app
            .post("/api/v1/bank_rules", json!({"name": "Coffee", "description_contains": "costa", "action": "categorize",
                   "account_id": meals, "tax_id": vat, "contact_id": costa}))
            .await
            .expect(201);
        assert_eq!((rule.str("/tax_id"), rule.str("/contact_id")), (vat.clone(), costa.clone()));
        let csv = "Date,Amount,Details\n10/03/2026,-4.80,COSTA COFFEE 118\n11/03/2026,3.00,COSTA REFUND\n";
        let mapping = r#"{"date": "Date", "date_format": "%d/%m/%Y", "amount": "Amount", "description": "Details"}"#;
        let imported = app
            .post_multipart(&format!("/api/v1/bank_accounts/{bank}/statements"), vec![
                ("format", None, b"csv".to_vec()), ("mapping", None, mapping.as_bytes().to_vec()),
                ("file", Some("march.csv"), csv.as_bytes().to_vec())])
            .await
            .expect(201);
        assert_eq!(imported.json["new"], 2, "{}", imported.text);
        let list = app.get(&format!("/api/v1/bank_transactions?bank_account_id={bank}&limit=10")).await.expect(200);
        let status = |desc: &str| {
            let l = list.json["data"].as_array().unwrap().iter().find(|l| l["description"] == desc).unwrap();
            (l["status"].as_str().unwrap().to_owned(), l["rule_id"].as_str().unwrap_or("").to_owned())
        };
        assert_eq!(status("COSTA COFFEE 118"), ("categorized".into(), rule.str("/id")));
        // Money in with a vendor does not fit a bank account's rule: left for review, marked.
        assert_eq!(status("COSTA REFUND"), ("unreviewed".into(), rule.str("/id")));
        let (_, entry) = entry_of(&app, "bank_payments").await;
        assert_eq!(posting(&app, &entry).await, lines(&["Cr 1200 4.80", "Dr 2201 0.80", "Dr 6400 4.00"]));
    }
}
