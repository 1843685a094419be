//! Re-importing documents when the company updates existing ones: a
//! posted invoice nothing has paid is revised in place (same id and
//! number, its entry reversed on its date and the corrected one posted);
//! one with a payment is refused, saying why; a revert leaves the updates.

use ferrobooks_testkit::backend_test;
use serde_json::json;

use crate::kit::*;

backend_test! {
    async fn updating_existing_invoices_revises_them_in_place(app: TestApp) {
        sample_books(&app).await;
        let m = sample_mapping(&app).await;
        let first = upload(&app, &m, "a.csv", SAMPLE.as_bytes(), &[]).await.expect(202);
        let first = finished(&app, &first.str("/id")).await;
        assert_eq!(first["status"], "FINISHED", "{first}");
        let rows = results(&app, first["id"].as_str().unwrap(), Some("INFO")).await;
        let inv1001 = rows[0]["objectProviderId"].as_str().unwrap().to_owned();
        let inv1002 = rows[1]["objectProviderId"].as_str().unwrap().to_owned();
        let beta = app.get(&format!("/api/v1/invoices/{inv1002}")).await.expect(200).str("/customer_id");
        app.post("/api/v1/payments", json!({"customer_id": beta, "amount": "500.00", "date": "2026-03-06",
            "applications": [{"invoice_id": inv1002, "amount": "500.00"}]})).await.expect(201);
        assert_eq!(balance(&app, "1100").await, "4249.99/0.00");
        // Without the setting, a number that exists is an ERROR.
        let corrected = "Invoice #,Customer,Date,Item,Amount\n\
1001,Acme Corp,2026-03-02,Consulting,1500.00\n\
1002,Beta Inc,2026-03-05,Consulting,1900.00\n\
1004,Gamma LLC,2026-03-12,Travel,100.00\n";
        let refused = upload(&app, &m, "b.csv", corrected.as_bytes(), &[]).await.expect(202);
        let refused = finished(&app, &refused.str("/id")).await;
        assert_eq!(refused["summary"], json!({"total": 3, "succeeded": 1, "failed": 2, "warnings": 0}), "{refused}");
        let revert = refused["id"].as_str().unwrap().to_owned();
        app.post(&format!("{}/imports/{revert}/revert", company(&app)), json!({})).await.expect(202);
        assert_eq!(finished(&app, &revert).await["status"], "REVERTED");
        app.send(reqwest::Method::PATCH, &format!("{}/settings", company(&app)),
            Some(json!({"updateExisting": true})), None).await.expect(200);
        let r = upload(&app, &m, "c.csv", corrected.as_bytes(), &[]).await.expect(202);
        let id = r.str("/id");
        let done = finished(&app, &id).await;
        assert_eq!(done["summary"], json!({"total": 3, "succeeded": 1, "failed": 2, "warnings": 0}), "{done}");
        let errors = results(&app, &id, Some("ERROR")).await;
        // 1002 has a payment; 1004 was voided by the revert above, and a
        // void invoice is never revised.
        assert_eq!(errors[0]["orderNumber"], 3);
        assert!(errors[0]["text"].as_str().unwrap().contains("cannot be revised: payments or credits are applied to it"), "{errors:?}");
        assert!(errors[1]["text"].as_str().unwrap().contains("is void"), "{errors:?}");
        let info = results(&app, &id, Some("INFO")).await;
        assert_eq!(info[0]["text"], "Invoice #1001 updated successfully");
        assert_eq!(info[0]["isUpdated"], true);
        assert_eq!(info[0]["objectProviderId"], inv1001.as_str());
        let inv = app.get(&format!("/api/v1/invoices/{inv1001}")).await.expect(200);
        assert_eq!(inv.json["number"], "1001");
        assert_eq!(inv.json["status"], "approved");
        assert_eq!(inv.json["date"], "2026-03-02");
        assert_eq!(inv.json["total"], json!(1500.00));
        assert_eq!(inv.json["lines"].as_array().unwrap().len(), 1);
        // The receivable moved by the difference; on the invoice's first
        // date it is as if it had never been there.
        assert_eq!(balance(&app, "1100").await, "3899.99/0.00");
        let tb = app.get("/api/v1/reports/trial_balance?as_of=2026-03-01").await.expect(200);
        let ar = tb.json["rows"].as_array().unwrap().iter().find(|r| r["code"] == "1100").cloned();
        assert!(ar.is_none(), "nothing receivable on 2026-03-01: {ar:?}");
        // Reverting the update import takes back nothing it updated.
        app.post(&format!("{}/imports/{id}/revert", company(&app)), json!({})).await.expect(202);
        assert_eq!(finished(&app, &id).await["status"], "REVERTED");
        assert_eq!(balance(&app, "1100").await, "3899.99/0.00");
    }
}
