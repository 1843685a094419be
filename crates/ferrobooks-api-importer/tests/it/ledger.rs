//! The ledger from a spreadsheet. Journal entries: Debit and Credit
//! columns, or an amount with its posting type; accounts by name or code;
//! a line's customer by name; each bad entry an ERROR naming its row; a
//! number imported before refused; a revert that restores every balance.
//! The chart of accounts: QuickBooks' types, parents by name, taken back
//! children first.

use ferrobooks_testkit::backend_test;
use serde_json::json;

use crate::kit::*;

const JOURNALS: &str = "Journal No,Date,Account,Debit,Credit,Description,Name\n\
J-1,2026-01-01,Bank Current Account,\"1,000.00\",,Opening cash,\n\
J-1,2026-01-01,3000,,1000.00,Owner's capital,\n\
J-2,2026-01-15,1100,250.00,,Opening receivable,Acme Corp\n\
J-2,2026-01-15,Share Capital,,250.00,,\n\
J-3,2026-02-01,1230,10.00,,unbalanced,\n\
J-3,2026-02-01,4000,,9.00,,\n\
J-4,2026-02-02,1230,5.00,,,\n\
J-4,2026-02-02,No Such Account,,5.00,,\n\
J-5,2026-02-03,1230,5.00,5.00,both,\n\
J-5,2026-02-03,4000,,5.00,,\n\
J-6,2026-02-04,1100,5.00,,,Nobody Ltd\n\
J-6,2026-02-04,4000,,5.00,,\n";

backend_test! {
    async fn journal_entries_import_post_and_revert(app: TestApp) {
        let entities = app.get(&format!("{}/entities", company(&app))).await.expect(200);
        let names: Vec<&str> = entities.json.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"JournalEntry") && names.contains(&"ManualJournal"), "{names:?}");
        app.post("/api/v1/customers", json!({"name": "Acme Corp"})).await.expect(201);
        let m = mapping(&app, "JournalEntry", json!([
            {"sourceFieldTitle": "Journal No", "targetFieldId": "1201"},
            {"sourceFieldTitle": "Date", "targetFieldId": "1202"},
            {"sourceFieldTitle": "Account", "targetFieldId": "1204"},
            {"sourceFieldTitle": "Debit", "targetFieldId": "1205"},
            {"sourceFieldTitle": "Credit", "targetFieldId": "1206"},
            {"sourceFieldTitle": "Description", "targetFieldId": "1209"},
            {"sourceFieldTitle": "Name", "targetFieldId": "1210"}
        ])).await;
        let r = upload(&app, &m, "journals.csv", JOURNALS.as_bytes(), &[]).await.expect(202);
        let id = r.str("/id");
        let done = finished(&app, &id).await;
        assert_eq!(done["status"], "FINISHED_WITH_WARNINGS", "{done}");
        assert_eq!(done["summary"], json!({"total": 6, "succeeded": 2, "failed": 4, "warnings": 0}));
        let errors = results(&app, &id, Some("ERROR")).await;
        let texts: Vec<(i64, String)> = errors.iter().map(|e| (e["orderNumber"].as_i64().unwrap(), e["text"].as_str().unwrap().to_owned())).collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert_eq!(texts[0].0, 6, "{texts:?}");
        assert!(texts[0].1.contains("10.00") && texts[0].1.contains("9.00"), "{texts:?}");
        assert_eq!(texts[1], (9, "Account 'No Such Account' not found".to_owned()));
        assert_eq!(texts[2], (10, "Line.Debit and Line.Credit are both given: a line is one or the other".to_owned()));
        assert_eq!(texts[3], (12, "Customer or vendor 'Nobody Ltd' not found".to_owned()));
        let info = results(&app, &id, Some("INFO")).await;
        assert_eq!(info[0]["text"], "Journal entry #J-1 posted successfully");
        assert_eq!(info[0]["objectInfo"], "Journal entry #J-1 of 2026-01-01, 1000.00 USD");
        // In the books: posted, numbered by the books, the sheet's number
        // kept as the reference; the customer's line counted in its balance.
        let je = app.get(&format!("/api/v1/journal_entries/{}", info[0]["objectProviderId"].as_str().unwrap())).await.expect(200);
        assert_eq!(je.json["status"], "posted");
        assert_eq!(je.json["reference"], "J-1");
        assert_eq!(balance(&app, "1200").await, "1000.00/0.00");
        assert_eq!(balance(&app, "3000").await, "0.00/1250.00");
        assert_eq!(balance(&app, "1100").await, "250.00/0.00");
        // The same file again: what was posted is refused by its number.
        let again = upload(&app, &m, "journals.csv", JOURNALS.as_bytes(), &[]).await.expect(202);
        let done2 = finished(&app, &again.str("/id")).await;
        assert_eq!(done2["status"], "FAILED", "{done2}");
        let dup = results(&app, &again.str("/id"), Some("ERROR")).await;
        assert!(dup[0]["text"].as_str().unwrap().starts_with("Journal entry #J-1 already exists (je_"), "{dup:?}");
        // Amount and posting type, as QuickBooks exports them.
        let m2 = mapping(&app, "JournalEntry", json!([
            {"sourceFieldTitle": "No", "targetFieldId": "1201"},
            {"sourceFieldTitle": "Date", "targetFieldId": "1202"},
            {"sourceFieldTitle": "Account", "targetFieldId": "1204"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "1207"},
            {"sourceFieldTitle": "Type", "targetFieldId": "1208"}
        ])).await;
        let qb = "No,Date,Account,Amount,Type\nQ-1,2026-03-01,1200,100.00,Debit\nQ-1,2026-03-01,3000,100.00,credit\nQ-2,2026-03-02,1200,1.00,Sideways\nQ-2,2026-03-02,3000,1.00,Credit\n";
        let r2 = upload(&app, &m2, "qb.csv", qb.as_bytes(), &[]).await.expect(202);
        let done3 = finished(&app, &r2.str("/id")).await;
        assert_eq!(done3["summary"], json!({"total": 2, "succeeded": 1, "failed": 1, "warnings": 0}));
        let bad = results(&app, &r2.str("/id"), Some("ERROR")).await;
        assert_eq!(bad[0]["text"], "Line.JournalEntryLineDetail.PostingType 'sideways' is not Debit or Credit");
        assert_eq!(bad[0]["orderNumber"], 4);
        assert_eq!(balance(&app, "1200").await, "1100.00/0.00");
        // Reverting the first import voids its entries on their dates.
        app.post(&format!("{}/imports/{id}/revert", company(&app)), json!({})).await.expect(202);
        let reverted = finished(&app, &id).await;
        assert_eq!(reverted["status"], "REVERTED", "{reverted}");
        assert_eq!(balance(&app, "1200").await, "100.00/0.00");
        assert_eq!(balance(&app, "3000").await, "0.00/100.00");
        assert_eq!(balance(&app, "1100").await, "0/0");
        let je = app.get(&format!("/api/v1/journal_entries/{}", info[0]["objectProviderId"].as_str().unwrap())).await.expect(200);
        assert_eq!(je.json["status"], "void");
    }
}

const ACCOUNTS: &str = "Account Name,Code,Type,Detail Type,Parent,Description\n\
Operating Account,1250,Bank,,,Main bank\n\
Office Costs,6100,Expense,,,\n\
Stationery,6110,Expense,,Office Costs,Pens and paper\n\
Bad Type,6200,Sideways,,,\n\
Sales,4001,Income,,,\n\
Second Bank,1200,Bank,,,\n\
Orphan,6120,Expense,,No Parent,\n\
Wrong Sub,6130,Expense,bank,,\n";

backend_test! {
    async fn a_chart_of_accounts_imports_with_its_parents_and_reverts(app: TestApp) {
        let m = mapping(&app, "Account", json!([
                {"sourceFieldTitle": "Account Name", "targetFieldId": "1301"},
                {"sourceFieldTitle": "Code", "targetFieldId": "1302"},
                {"sourceFieldTitle": "Type", "targetFieldId": "1303"},
                {"sourceFieldTitle": "Detail Type", "targetFieldId": "1304"},
                {"sourceFieldTitle": "Parent", "targetFieldId": "1307"},
                {"sourceFieldTitle": "Description", "targetFieldId": "1305"}
            ])).await;
        let r = upload(&app, &m, "chart.csv", ACCOUNTS.as_bytes(), &[]).await.expect(202);
        let id = r.str("/id");
        let done = finished(&app, &id).await;
        assert_eq!(done["summary"], json!({"total": 8, "succeeded": 3, "failed": 5, "warnings": 0}), "{done}");
        let errors = results(&app, &id, Some("ERROR")).await;
        let texts: Vec<(i64, String)> = errors.iter().map(|e| (e["orderNumber"].as_i64().unwrap(), e["text"].as_str().unwrap().to_owned())).collect();
        assert_eq!(texts[0].0, 5);
        assert!(texts[0].1.starts_with("AccountType 'Sideways' is not an account type"), "{texts:?}");
        assert!(texts[1].1.starts_with("Account 'Sales' already exists (acc_"), "{texts:?}");
        assert!(texts[2].1.starts_with("Account '1200' already exists (acc_"), "{texts:?}");
        assert_eq!(texts[3], (8, "Account 'No Parent' not found".to_owned()));
        assert_eq!(texts[4].0, 9);
        assert!(texts[4].1.contains("'bank' is not a subtype of expense"), "{texts:?}");
        let found = app.get("/api/v1/accounts?search=Stationery").await.expect(200);
        let stationery = &found.json["data"][0];
        assert_eq!(stationery["code"], "6110");
        assert_eq!(stationery["description"], "Pens and paper");
        let parent = app.get(&format!("/api/v1/accounts/{}", stationery["parent_id"].as_str().unwrap())).await.expect(200);
        assert_eq!(parent.json["name"], "Office Costs");
        let bank = app.get("/api/v1/accounts?search=Operating").await.expect(200);
        assert_eq!(bank.json["data"][0]["subtype"], "bank");
        // Taken back: children before their parents.
        app.post(&format!("{}/imports/{id}/revert", company(&app)), json!({})).await.expect(202);
        let reverted = finished(&app, &id).await;
        assert_eq!(reverted["status"], "REVERTED", "{reverted}");
        assert!(reverted.get("error").is_none_or(|e| e.is_null()), "{reverted}");
        let gone = app.get("/api/v1/accounts?search=Office").await.expect(200);
        assert_eq!(gone.json["data"], json!([]));
    }
}
