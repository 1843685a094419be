//! Money moved, from a spreadsheet: payments applied to invoices and bills
//! by number (amounts given or what is open), purchases paid on the spot
//! (QuickBooks' Expense, Check, CreditCardCharge; RefundReceipt), Xero's
//! bank transactions, transfers and deposits; each bad row an ERROR naming
//! it, a payment imported twice refused, and a revert that restores every
//! balance exactly.

use ferrobooks_testkit::{TestApp, backend_test};
use serde_json::json;

use crate::kit::*;

/// Imports `csv` with `mapping`; the finished import.
async fn import(app: &TestApp, mapping: &str, csv: &str) -> serde_json::Value {
    let r = upload(app, mapping, "money.csv", csv.as_bytes(), &[])
        .await
        .expect(202);
    finished(app, &r.str("/id")).await
}

/// The sample's three invoices, imported: 1001 for 1,850.00, 1002 for
/// 2,000.00, 1003 for 899.99.
async fn sample_invoices(app: &TestApp) {
    sample_books(app).await;
    let m = sample_mapping(app).await;
    let done = import(app, &m, SAMPLE).await;
    assert_eq!(done["status"], "FINISHED", "{done}");
}

async fn invoice(app: &TestApp, number: &str) -> serde_json::Value {
    let r = app
        .get(&format!("/api/v1/invoices?search={number}"))
        .await
        .expect(200);
    r.json["data"][0].clone()
}

backend_test! {
    async fn payments_settle_invoices_by_number_and_revert(app: TestApp) {
        sample_invoices(&app).await;
        let m = mapping(&app, "Payment", json!([
            {"sourceFieldTitle": "Ref No", "targetFieldId": "1901"},
            {"sourceFieldTitle": "Customer", "targetFieldId": "1902"},
            {"sourceFieldTitle": "Date", "targetFieldId": "1903"},
            {"sourceFieldTitle": "Total", "targetFieldId": "1904"},
            {"sourceFieldTitle": "Deposit To", "targetFieldId": "1905"},
            {"sourceFieldTitle": "Method", "targetFieldId": "1906"},
            {"sourceFieldTitle": "Invoice #", "targetFieldId": "1907"},
            {"sourceFieldTitle": "Applied", "targetFieldId": "1908"}
        ])).await;
        let ar_before = balance(&app, "1100").await;
        assert_eq!(ar_before, "4749.99/0.00");
        // P-1: part of 1001 and all of 1003, named amounts. P-2: a total
        // whose rows take what is open (1002 in full, the rest credit).
        // P-3: an invoice that does not exist. P-4: more than is open.
        // P-5: a customer's payment with no invoice and no total.
        let csv = "Ref No,Customer,Date,Total,Deposit To,Method,Invoice #,Applied\n\
P-1,Acme Corp,2026-03-20,,1200,Check,1001,850.00\n\
P-1,Acme Corp,2026-03-20,,1200,Check,,\n\
P-2,Beta Inc,2026-03-21,2100.00,Bank Current Account,,1002,\n\
P-3,Gamma LLC,2026-03-22,10.00,1200,,9999,\n\
P-4,Gamma LLC,2026-03-22,,1200,,1003,900.00\n\
P-5,Gamma LLC,2026-03-22,,1200,,,\n\
P-6,Gamma LLC,2026-03-23,899.99,1200,,1003,\n";
        let done = import(&app, &m, csv).await;
        assert_eq!(done["summary"], json!({"total": 6, "succeeded": 3, "failed": 3, "warnings": 0}), "{done}");
        let id = done["id"].as_str().unwrap().to_owned();
        let errors = results(&app, &id, Some("ERROR")).await;
        let texts: Vec<(i64, String)> = errors.iter().map(|e| (e["orderNumber"].as_i64().unwrap(), e["text"].as_str().unwrap().to_owned())).collect();
        assert_eq!(texts[0], (5, "Invoice #9999 not found".to_owned()), "{texts:?}");
        assert_eq!(texts[1].0, 6, "{texts:?}");
        assert!(texts[1].1.contains("899.99"), "more than is open is refused, naming what is: {texts:?}");
        assert_eq!(texts[2].0, 7, "{texts:?}");
        assert!(texts[2].1.contains("TotalAmt"), "{texts:?}");
        let info = results(&app, &id, Some("INFO")).await;
        assert!(info[0]["text"].as_str().unwrap().starts_with("Payment #"), "{info:?}");
        assert!(info[0]["objectInfo"].as_str().unwrap().ends_with("from Acme Corp, 850.00 USD (850.00 applied)"), "{info:?}");
        // In the books: each invoice settled as the rows said.
        assert_eq!(invoice(&app, "1001").await["balance"], json!(1000.00));
        assert_eq!(invoice(&app, "1002").await["status"], "paid");
        assert_eq!(invoice(&app, "1003").await["status"], "paid");
        let p2 = app.get(&format!("/api/v1/payments/{}", info[1]["objectProviderId"].as_str().unwrap())).await.expect(200);
        assert_eq!(p2.json["reference"], "P-2");
        assert_eq!(p2.json["unapplied"], json!(100.00));
        assert_eq!(balance(&app, "1200").await, "3849.99/0.00");
        // The same file again: every payment it made is refused by its
        // reference (the failed ones fail again).
        let again = import(&app, &m, csv).await;
        assert_eq!(again["summary"]["succeeded"], 0, "{again}");
        let dup = results(&app, again["id"].as_str().unwrap(), Some("ERROR")).await;
        assert!(dup[0]["text"].as_str().unwrap().starts_with("Payment P-1 of Acme Corp already exists (pay_"), "{dup:?}");
        // Revert: payments deleted, invoices open again, every balance back.
        app.post(&format!("{}/imports/{id}/revert", company(&app)), json!({})).await.expect(202);
        let reverted = finished(&app, &id).await;
        assert_eq!(reverted["status"], "REVERTED", "{reverted}");
        assert_eq!(balance(&app, "1100").await, ar_before);
        assert_eq!(balance(&app, "1200").await, "0/0");
        assert_eq!(invoice(&app, "1003").await["status"], "approved");
    }
}

backend_test! {
    async fn bill_payments_pay_bills_from_the_bank(app: TestApp) {
        let bills = mapping(&app, "Bill", json!([
            {"sourceFieldTitle": "Bill #", "targetFieldId": "301"},
            {"sourceFieldTitle": "Vendor", "targetFieldId": "302"},
            {"sourceFieldTitle": "Date", "targetFieldId": "303"},
            {"sourceFieldTitle": "Account", "targetFieldId": "315"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "309"}
        ])).await;
        app.post("/api/v1/vendors", json!({"name": "Paper Co"})).await.expect(201);
        let done = import(&app, &bills, "Bill #,Vendor,Date,Account,Amount\nB-1,Paper Co,2026-01-10,7900,300.00\n").await;
        assert_eq!(done["status"], "FINISHED", "{done}");
        let m = mapping(&app, "BillPayment", json!([
            {"sourceFieldTitle": "Check #", "targetFieldId": "2001"},
            {"sourceFieldTitle": "Vendor", "targetFieldId": "2002"},
            {"sourceFieldTitle": "Date", "targetFieldId": "2003"},
            {"sourceFieldTitle": "Bank", "targetFieldId": "2005"},
            {"sourceFieldTitle": "Bill #", "targetFieldId": "2007"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "2008"}
        ])).await;
        let done = import(&app, &m, "Check #,Vendor,Date,Bank,Bill #,Amount\n101,Paper Co,2026-02-01,1200,B-1,120.00\n102,Paper Co,2026-02-02,4000,B-1,10.00\n").await;
        assert_eq!(done["summary"], json!({"total": 2, "succeeded": 1, "failed": 1, "warnings": 0}), "{done}");
        let errors = results(&app, done["id"].as_str().unwrap(), Some("ERROR")).await;
        assert_eq!(errors[0]["orderNumber"], 3);
        assert!(errors[0]["text"].as_str().unwrap().contains("account_id"), "a sales account pays nothing: {errors:?}");
        assert_eq!(balance(&app, "2100").await, "0.00/180.00");
        assert_eq!(balance(&app, "1200").await, "0.00/120.00");
        let info = results(&app, done["id"].as_str().unwrap(), Some("INFO")).await;
        assert_eq!(info[0]["objectInfo"].as_str().unwrap().split(", ").last().unwrap(), "120.00 USD (120.00 applied)");
    }
}

backend_test! {
    async fn purchases_paid_on_the_spot_and_bank_transactions(app: TestApp) {
        let names: Vec<String> = app.get(&format!("{}/entities", company(&app))).await.expect(200)
            .json.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap().to_owned()).collect();
        for e in ["Expense", "Check", "CreditCardCharge", "RefundReceipt", "Payment", "BillPayment", "Transfer", "Deposit", "BankTransaction"] {
            assert!(names.iter().any(|n| n == e), "{e} in {names:?}");
        }
        app.post("/api/v1/vendors", json!({"name": "Cafe"})).await.expect(201);
        // An expense with no payee, from petty cash; a check; a card charge.
        let expense = mapping(&app, "Expense", json!([
            {"sourceFieldTitle": "Ref", "targetFieldId": "1501"},
            {"sourceFieldTitle": "Payee", "targetFieldId": "1502"},
            {"sourceFieldTitle": "Date", "targetFieldId": "1503"},
            {"sourceFieldTitle": "Category", "targetFieldId": "1515"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "1509"},
            {"sourceFieldTitle": "Paid From", "targetFieldId": "1518"}
        ])).await;
        let done = import(&app, &expense, "Ref,Payee,Date,Category,Amount,Paid From\nE-1,,2026-04-01,7900,12.50,Petty Cash\nE-2,Cafe,2026-04-02,7900,7.50,1200\nE-3,Nobody,2026-04-02,7900,1.00,1200\n").await;
        assert_eq!(done["summary"], json!({"total": 3, "succeeded": 2, "failed": 1, "warnings": 0}), "{done}");
        let errors = results(&app, done["id"].as_str().unwrap(), Some("ERROR")).await;
        assert_eq!(errors[0]["text"], "Vendor 'Nobody' not found");
        assert_eq!(balance(&app, "1230").await, "0.00/12.50");
        let check = mapping(&app, "Check", json!([
            {"sourceFieldTitle": "Check No", "targetFieldId": "1601"},
            {"sourceFieldTitle": "Payee", "targetFieldId": "1602"},
            {"sourceFieldTitle": "Account", "targetFieldId": "1615"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "1609"},
            {"sourceFieldTitle": "Bank", "targetFieldId": "1618"}
        ])).await;
        let done = import(&app, &check, "Check No,Payee,Account,Amount,Bank\n5001,Cafe,7900,40.00,1200\n").await;
        assert_eq!(done["status"], "FINISHED", "{done}");
        let info = results(&app, done["id"].as_str().unwrap(), Some("INFO")).await;
        assert_eq!(info[0]["text"], "Check #5001 created successfully");
        let card = mapping(&app, "CreditCardCharge", json!([
            {"sourceFieldTitle": "Payee", "targetFieldId": "1702"},
            {"sourceFieldTitle": "Account", "targetFieldId": "1715"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "1709"},
            {"sourceFieldTitle": "Card", "targetFieldId": "1718"}
        ])).await;
        let done = import(&app, &card, "Payee,Account,Amount,Card\nCafe,7900,3.00,2150\n").await;
        assert_eq!(done["status"], "FINISHED", "{done}");
        assert_eq!(balance(&app, "2150").await, "0.00/3.00");
        assert_eq!(balance(&app, "1200").await, "0.00/47.50");
        assert_eq!(balance(&app, "7900").await, "63.00/0.00");
        // Xero's bank transactions: spend and receive, rows grouped by
        // their reference; a type Ferrobooks does not import is an ERROR.
        app.post("/api/v1/customers", json!({"name": "Walk-in"})).await.expect(201);
        let bt = mapping(&app, "BankTransaction", json!([
            {"sourceFieldTitle": "Type", "targetFieldId": "1819"},
            {"sourceFieldTitle": "Reference", "targetFieldId": "1801"},
            {"sourceFieldTitle": "Contact", "targetFieldId": "1802"},
            {"sourceFieldTitle": "Date", "targetFieldId": "1803"},
            {"sourceFieldTitle": "Account", "targetFieldId": "1815"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "1809"},
            {"sourceFieldTitle": "Bank", "targetFieldId": "1818"}
        ])).await;
        let csv = "Type,Reference,Contact,Date,Account,Amount,Bank\n\
RECEIVE,R-1,Walk-in,2026-04-03,4900,100.00,1200\n\
RECEIVE,R-1,Walk-in,2026-04-03,4000,50.00,1200\n\
SPEND,,Cafe,2026-04-04,7900,20.00,1200\n\
RECEIVE-OVERPAYMENT,,Walk-in,2026-04-04,4000,1.00,1200\n";
        let done = import(&app, &bt, csv).await;
        assert_eq!(done["summary"], json!({"total": 3, "succeeded": 2, "failed": 1, "warnings": 0}), "{done}");
        let id = done["id"].as_str().unwrap().to_owned();
        let errors = results(&app, &id, Some("ERROR")).await;
        assert_eq!(errors[0]["orderNumber"], 5);
        assert!(errors[0]["text"].as_str().unwrap().starts_with("Type 'RECEIVE-OVERPAYMENT' is not SPEND or RECEIVE"), "{errors:?}");
        let info = results(&app, &id, Some("INFO")).await;
        assert_eq!(info[0]["objectProviderId"].as_str().unwrap().split('_').next(), Some("sr"), "{info:?}");
        let receipt = app.get(&format!("/api/v1/sales_receipts/{}", info[0]["objectProviderId"].as_str().unwrap())).await.expect(200);
        assert_eq!(receipt.json["reference"], "R-1");
        assert_eq!(receipt.json["total"], json!(150.00));
        assert_eq!(balance(&app, "1200").await, "82.50/0.00");
        // Reverting the bank transactions voids both on their dates.
        app.post(&format!("{}/imports/{id}/revert", company(&app)), json!({})).await.expect(202);
        assert_eq!(finished(&app, &id).await["status"], "REVERTED");
        assert_eq!(balance(&app, "1200").await, "0.00/47.50");
        assert_eq!(balance(&app, "4900").await, "0/0");
    }
}

backend_test! {
    async fn refund_receipts_transfers_and_deposits(app: TestApp) {
        app.post("/api/v1/customers", json!({"name": "Acme Corp"})).await.expect(201);
        let deposit = mapping(&app, "Deposit", json!([
            {"sourceFieldTitle": "No", "targetFieldId": "2201"},
            {"sourceFieldTitle": "Bank", "targetFieldId": "2202"},
            {"sourceFieldTitle": "Date", "targetFieldId": "2203"},
            {"sourceFieldTitle": "Account", "targetFieldId": "2205"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "2206"},
            {"sourceFieldTitle": "From", "targetFieldId": "2208"}
        ])).await;
        let csv = "No,Bank,Date,Account,Amount,From\n\
D-1,1200,2026-05-01,Share Capital,1000.00,\n\
D-1,1200,2026-05-01,4900,25.00,Acme Corp\n\
D-2,1200,2026-05-02,4900,-5.00,\n\
D-3,No Bank,2026-05-02,4900,5.00,\n";
        let done = import(&app, &deposit, csv).await;
        assert_eq!(done["summary"], json!({"total": 3, "succeeded": 1, "failed": 2, "warnings": 0}), "{done}");
        let id = done["id"].as_str().unwrap().to_owned();
        let errors = results(&app, &id, Some("ERROR")).await;
        assert_eq!((errors[0]["orderNumber"].as_i64(), errors[0]["text"].as_str()), (Some(4), Some("Line.Amount '-5.00' must be more than zero")));
        assert_eq!((errors[1]["orderNumber"].as_i64(), errors[1]["text"].as_str()), (Some(5), Some("Account 'No Bank' not found")));
        let info = results(&app, &id, Some("INFO")).await;
        assert_eq!(info[0]["text"], "Deposit #D-1 posted successfully");
        assert_eq!(balance(&app, "1200").await, "1025.00/0.00");
        let again = import(&app, &deposit, "No,Bank,Date,Account,Amount,From\nD-1,1200,2026-05-01,4900,1.00,\n").await;
        let dup = results(&app, again["id"].as_str().unwrap(), Some("ERROR")).await;
        assert!(dup[0]["text"].as_str().unwrap().starts_with("Deposit #D-1 already exists (je_"), "{dup:?}");
        // Transfers: to the deposit account and to petty cash; the same
        // account twice is refused by the transfer's own rule.
        let transfer = mapping(&app, "Transfer", json!([
            {"sourceFieldTitle": "From", "targetFieldId": "2101"},
            {"sourceFieldTitle": "To", "targetFieldId": "2102"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "2103"},
            {"sourceFieldTitle": "Date", "targetFieldId": "2104"}
        ])).await;
        let done = import(&app, &transfer, "From,To,Amount,Date\n1200,1210,400.00,2026-05-03\nBank Current Account,Petty Cash,50.00,2026-05-04\n1200,1200,1.00,2026-05-04\n").await;
        assert_eq!(done["summary"], json!({"total": 3, "succeeded": 2, "failed": 1, "warnings": 0}), "{done}");
        let tid = done["id"].as_str().unwrap().to_owned();
        let errors = results(&app, &tid, Some("ERROR")).await;
        assert!(errors[0]["text"].as_str().unwrap().contains("to_account_id"), "{errors:?}");
        assert_eq!(balance(&app, "1210").await, "400.00/0.00");
        assert_eq!(balance(&app, "1200").await, "575.00/0.00");
        // A refund paid out of the bank to a customer.
        let refund = mapping(&app, "RefundReceipt", json!([
            {"sourceFieldTitle": "No", "targetFieldId": "1401"},
            {"sourceFieldTitle": "Customer", "targetFieldId": "1402"},
            {"sourceFieldTitle": "Account", "targetFieldId": "1415"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "1409"},
            {"sourceFieldTitle": "Refund From", "targetFieldId": "1418"}
        ])).await;
        let done = import(&app, &refund, "No,Customer,Account,Amount,Refund From\nRR-1,Acme Corp,4900,25.00,1200\n").await;
        assert_eq!(done["status"], "FINISHED", "{done}");
        assert_eq!(balance(&app, "1200").await, "550.00/0.00");
        // Reverting the transfers and the deposit puts every balance back.
        for i in [&tid, &id] {
            app.post(&format!("{}/imports/{i}/revert", company(&app)), json!({})).await.expect(202);
            assert_eq!(finished(&app, i).await["status"], "REVERTED");
        }
        assert_eq!(balance(&app, "1210").await, "0/0");
        assert_eq!(balance(&app, "1200").await, "0.00/25.00");
    }
}
