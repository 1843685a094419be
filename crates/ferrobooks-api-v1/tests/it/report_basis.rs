//! Statements on the cash basis and narrowed by account, contact and
//! branch: a worked UK quarter, asserted line by line, that ends with
//! everything paid, where the two bases agree.

use serde_json::json;

use ferrobooks_testkit::factories::{approved_invoice, customer, tax_named};
use ferrobooks_testkit::{Resp, backend_test};

/// The amount of the account `code` on a statement, "0.00" when absent.
fn amount(r: &Resp, code: &str) -> String {
    for (i, s) in r.json["sections"].as_array().unwrap().iter().enumerate() {
        for (j, l) in s["lines"].as_array().unwrap().iter().enumerate() {
            if l["code"] == code && l["subtotal"] == false {
                return r.raw(&format!("/sections/{i}/lines/{j}/amount"));
            }
        }
    }
    "0.00".into()
}

/// The profit and loss of a range, on a basis, with more query.
async fn pl(app: &ferrobooks_testkit::TestApp, from: &str, to: &str, more: &str) -> Resp {
    app.get(&format!(
        "/api/v1/reports/profit_and_loss?date_from={from}&date_to={to}{more}"
    ))
    .await
    .expect(200)
}

fn balances(r: &Resp) {
    assert_eq!(
        r.raw("/total_assets"),
        r.raw("/total_liabilities_and_equity"),
        "{}",
        r.text
    );
}

backend_test! {
    #[country("GB", "GBP")]
    async fn cash_basis_counts_income_and_tax_when_paid(app: TestApp) {
        let bank = app.account("1200").await;
        let sales = app.account("4000").await;
        let vat = tax_named(&app, "VAT Standard 20%").await;
        let supplies = app.post("/api/v1/accounts", json!({"code": "6100", "name": "Supplies", "type": "expense"})).await.expect(201).str("/id");
        let acme = customer(&app, json!({"name": "Acme"})).await;
        let brook = customer(&app, json!({"name": "Brook"})).await;
        let paper = app.post("/api/v1/vendors", json!({"name": "Paper Co"})).await.expect(201).str("/id");
        let line = |p: &str| json!([{"unit_price": p, "tax_id": vat}]);

        // Cash already: a journal entry straight to the bank.
        app.post("/api/v1/journal_entries", json!({"date": "2026-01-05", "post": true, "lines": [
            {"account_id": bank, "debit": "50.00"}, {"account_id": sales, "credit": "50.00"}]})).await.expect(201);
        // 1000 + 200 VAT, paid half in February and half in March.
        let i1 = approved_invoice(&app, json!({"customer_id": acme, "date": "2026-01-10", "lines": line("1000.00")})).await.str("/id");
        for date in ["2026-02-10", "2026-03-10"] {
            app.post("/api/v1/payments", json!({"customer_id": acme, "date": date, "amount": "600.00", "deposit_account_id": bank,
                "applications": [{"invoice_id": i1, "amount": "600.00"}]})).await.expect(201);
        }
        // A bill of 500 + 100, paid in February.
        let bill = app.post("/api/v1/bills", json!({"vendor_id": paper, "date": "2026-01-20", "approve": true,
            "lines": [{"unit_price": "500.00", "account_id": supplies, "tax_id": vat}]})).await.expect(201).str("/id");
        app.post("/api/v1/bill_payments", json!({"vendor_id": paper, "date": "2026-02-20", "amount": "600.00", "account_id": bank,
            "applications": [{"bill_id": bill, "amount": "600.00"}]})).await.expect(201);
        // Brook's invoice, in the NORTH branch, unpaid through March.
        let i2 = approved_invoice(&app, json!({"customer_id": brook, "date": "2026-02-01", "branch": "NORTH", "lines": line("300.00")})).await.str("/id");
        // A credit note to Acme, not applied until April.
        let cn = app.post("/api/v1/credit_notes", json!({"customer_id": acme, "date": "2026-02-15", "approve": true, "lines": line("100.00")})).await.expect(201).str("/id");
        // Brook pays 10 ahead, unapplied.
        app.post("/api/v1/payments", json!({"customer_id": brook, "date": "2026-03-01", "amount": "10.00", "deposit_account_id": bank})).await.expect(201);

        // January: accrual counts the invoice and the bill, cash only the
        // journal entry.
        let jan = pl(&app, "2026-01-01", "2026-01-31", "").await;
        assert_eq!((amount(&jan, "4000"), amount(&jan, "6100")), ("1050.00".into(), "500.00".into()));
        let jan = pl(&app, "2026-01-01", "2026-01-31", "&basis=cash").await;
        assert_eq!((amount(&jan, "4000"), amount(&jan, "6100")), ("50.00".into(), "0.00".into()));
        assert_eq!(jan.raw("/net_profit"), "50.00");
        // February: half of the invoice, the whole bill; Brook's invoice
        // and the credit note are unpaid.
        let feb = pl(&app, "2026-02-01", "2026-02-28", "&basis=cash").await;
        assert_eq!((amount(&feb, "4000"), amount(&feb, "6100")), ("500.00".into(), "500.00".into()));
        let q1 = pl(&app, "2026-01-01", "2026-03-31", "&basis=cash").await;
        assert_eq!((amount(&q1, "4000"), amount(&q1, "6100")), ("1050.00".into(), "500.00".into()));
        let q1_accrual = pl(&app, "2026-01-01", "2026-03-31", "&basis=accrual").await;
        assert_eq!(amount(&q1_accrual, "4000"), "1250.00");

        // The balance sheet at the end of February: no receivable or
        // payable from documents, VAT only on what was paid.
        let bs = app.get("/api/v1/reports/balance_sheet?as_of=2026-02-28&basis=cash").await.expect(200);
        balances(&bs);
        assert_eq!(amount(&bs, "1100"), "0.00");
        assert_eq!(amount(&bs, "2100"), "0.00");
        assert_eq!(amount(&bs, "1200"), "50.00");
        assert_eq!(amount(&bs, "2200"), "100.00");
        assert_eq!(amount(&bs, "2201"), "-100.00", "{}", bs.text);
        let accrual = app.get("/api/v1/reports/balance_sheet?as_of=2026-02-28").await.expect(200);
        assert_eq!((amount(&accrual, "1100"), amount(&accrual, "2200")), ("840.00".into(), "240.00".into()));
        // In March the unapplied payment is the customer's credit.
        let mar = app.get("/api/v1/reports/balance_sheet?as_of=2026-03-31&basis=cash&compare=month&periods=3").await.expect(200);
        balances(&mar);
        assert_eq!(amount(&mar, "1100"), "-10.00");
        assert_eq!(mar.json["comparison"]["columns"].as_array().unwrap().len(), 3);
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-03-31&basis=cash").await.expect(200);
        assert_eq!(tb.raw("/total_debit"), tb.raw("/total_credit"));

        // Filters: one contact, some accounts, one branch.
        let only_acme = pl(&app, "2026-01-01", "2026-03-31", &format!("&contact_id={acme}")).await;
        assert_eq!((amount(&only_acme, "4000"), only_acme.raw("/net_profit")), ("900.00".into(), "900.00".into()));
        let acme_cash = pl(&app, "2026-01-01", "2026-02-28", &format!("&contact_id={acme}&basis=cash")).await;
        assert_eq!(amount(&acme_cash, "4000"), "500.00");
        let north = pl(&app, "2026-01-01", "2026-03-31", "&branch=north").await;
        assert_eq!((amount(&north, "4000"), north.raw("/net_profit")), ("300.00".into(), "300.00".into()));
        let income_only = pl(&app, "2026-01-01", "2026-03-31", &format!("&account_id={sales}")).await;
        assert_eq!((income_only.raw("/net_profit"), amount(&income_only, "6100")), ("1250.00".into(), "0.00".into()));
        let vendor_bs = app.get(&format!("/api/v1/reports/balance_sheet?as_of=2026-01-31&contact_id={paper}")).await.expect(200);
        balances(&vendor_bs);
        assert_eq!(amount(&vendor_bs, "2100"), "600.00");
        let tb_bank = app.get(&format!("/api/v1/reports/trial_balance?as_of=2026-03-31&account_id={bank}")).await.expect(200);
        assert_eq!(tb_bank.json["rows"].as_array().unwrap().len(), 1);
        assert_eq!(tb_bank.raw("/total_debit"), "660.00");

        // Bad input.
        for q in ["basis=cashflow", "account_id=acc_missing", &format!("account_id={sales},"), "contact_id=cus_missing", "branch=NO%20SUCH", "branch=ABCDEFGHIJ"] {
            let r = app.get(&format!("/api/v1/reports/profit_and_loss?{q}")).await;
            assert_eq!(r.status, 400, "{q}: {}", r.text);
        }
        let too_many = vec![sales.as_str(); 101].join(",");
        app.get(&format!("/api/v1/reports/trial_balance?account_id={too_many}")).await.expect(400);
        app.get("/api/v1/reports/balance_sheet?basis=cash&contact_id=nope").await.expect(400);
        app.get("/api/v1/reports/trial_balance?basis=xyz").await.expect(400);

        // Everything settled in April: Acme's credit note refunded, Brook's
        // invoice paid. The two bases then agree.
        app.post(&format!("/api/v1/credit_notes/{cn}/refund"), json!({"date": "2026-04-05", "amount": "120.00", "account_id": bank})).await.expect(200);
        app.post("/api/v1/payments", json!({"customer_id": brook, "date": "2026-04-10", "amount": "360.00", "deposit_account_id": bank,
            "applications": [{"invoice_id": i2, "amount": "360.00"}]})).await.expect(201);
        let cash = app.get("/api/v1/reports/balance_sheet?as_of=2026-04-30&basis=cash").await.expect(200);
        let acc = app.get("/api/v1/reports/balance_sheet?as_of=2026-04-30").await.expect(200);
        // Every account agrees; equity in total too, though the fiscal year
        // that began on 1 April holds April's cash income (Brook's invoice
        // was accrued in the year before).
        assert_eq!(cash.json["sections"][0], acc.json["sections"][0]);
        assert_eq!(cash.json["sections"][1], acc.json["sections"][1]);
        assert_eq!(cash.json["sections"][2]["total"], acc.json["sections"][2]["total"]);
        let cash = pl(&app, "2026-01-01", "2026-04-30", "&basis=cash").await;
        let acc = pl(&app, "2026-01-01", "2026-04-30", "").await;
        assert_eq!(cash.json["sections"], acc.json["sections"]);
        // But a month still differs: April recognized Brook's invoice and
        // the refunded credit.
        let april = pl(&app, "2026-04-01", "2026-04-30", "&basis=cash").await;
        assert_eq!(amount(&april, "4000"), "200.00");
    }
}
