//! Payroll: a run for a salaried and an hourly employee approved, paid and
//! a liability remitted, with exact journal lines; payslips; the country
//! template; masked secrets; and bad input refused with nothing written.

use serde_json::{Value, json};

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::factories::{events, lines, posting};

async fn item(app: &ferrobooks_testkit::TestApp, body: Value) -> String {
    app.post("/api/v1/pay_items", body)
        .await
        .expect(201)
        .str("/id")
}

backend_test! {
    async fn a_run_for_two_employees_approved_paid_and_remitted(app: TestApp) {
        item(&app, json!({"name": "Meal allowance", "kind": "earning", "amount": "100.00"})).await;
        item(&app, json!({"name": "Federal withholding", "kind": "deduction", "percent": "10"})).await;
        item(&app, json!({"name": "Social Security (employee)", "kind": "deduction", "percent": "6.2", "account_id": app.account("2211").await})).await;
        item(&app, json!({"name": "Social Security (employer)", "kind": "employer_contribution", "percent": "6.2"})).await;
        let asha = app
            .post("/api/v1/employees", json!({"name": "Asha Rao", "email": "asha@example.com", "hire_date": "2025-04-01",
                "pay_rate": "60000.00", "bank_account_number": "12345678901234", "tax_id": "123-45-6789"}))
            .await
            .expect(201);
        assert_eq!((asha.str("/employee_number"), asha.str("/bank_account_number"), asha.str("/tax_id")),
            ("EMP-0001".into(), "****1234".into(), "****6789".into()));
        assert!(!asha.text.contains("5678901234"));
        let ben = app
            .post("/api/v1/employees", json!({"name": "Ben Okafor", "pay_type": "hourly", "pay_rate": "25.50", "hire_date": "2026-01-05"}))
            .await
            .expect(201);
        let (a, b) = (asha.str("/id"), ben.str("/id"));
        let run = app
            .post("/api/v1/payroll_runs", json!({"period_start": "2026-11-01", "period_end": "2026-11-30",
                "employees": [{"employee_id": a}, {"employee_id": b, "hours": "160.5"}]}))
            .await
            .expect(201);
        let id = run.str("/id");
        assert_eq!((run.str("/status"), run.raw("/gross"), run.raw("/deductions"), run.raw("/net"), run.raw("/employer_contributions")),
            ("draft".into(), "9292.75".into(), "1505.43".into(), "7787.32".into(), "576.15".into()));
        assert!(run.json["journal_entry_id"].is_null());
        // Ben: 160.5 h x 25.50 = 4,092.75 + 100.00; 10% = 419.28 (419.275 rounded); 6.2% = 259.95.
        let slip = app.get(&format!("/api/v1/payroll_runs/{id}/payslips/{b}")).await.expect(200);
        assert_eq!((slip.raw("/base"), slip.raw("/gross"), slip.raw("/total_deductions"), slip.raw("/net"), slip.str("/hours")),
            ("4092.75".into(), "4192.75".into(), "679.23".into(), "3513.52".into(), "160.5".into()));
        assert_eq!((slip.str("/earnings/0/name"), slip.raw("/earnings/0/amount")), ("Meal allowance".into(), "100.00".into()));
        assert_eq!(slip.json["deductions"].as_array().unwrap().len(), 2);
        assert_eq!(slip.raw("/employer_contributions/0/amount"), "259.95");
        let approved = app.post(&format!("/api/v1/payroll_runs/{id}/approve"), json!({})).await.expect(200);
        assert_eq!(
            posting(&app, &approved.str("/journal_entry_id")).await,
            lines(&["Dr 7000 9292.75", "Dr 7006 576.15", "Cr 2210 929.28", "Cr 2211 1152.30", "Cr 2220 7787.32"])
        );
        // Approving twice: 409 and nothing more posted.
        let before = app.count("journal_entries").await;
        let e = app.post(&format!("/api/v1/payroll_runs/{id}/approve"), json!({})).await.expect(409);
        assert!(e.text.contains("approved"), "{}", e.text);
        assert_eq!(app.count("journal_entries").await, before);
        let paid = app.post(&format!("/api/v1/payroll_runs/{id}/pay"), json!({"date": "2026-11-30"})).await.expect(200);
        assert_eq!(paid.str("/status"), "paid");
        let payments = paid.json["payment_entry_ids"].as_array().unwrap();
        assert_eq!(payments.len(), 1);
        assert_eq!(posting(&app, payments[0].as_str().unwrap()).await, lines(&["Dr 2220 7787.32", "Cr 1200 7787.32"]));
        // The withholding paid over; more than is owed is refused.
        let tax = app.account("2210").await;
        let r = app.post("/api/v1/payroll_remittances", json!({"account_id": tax, "amount": "929.29", "date": "2026-12-05"})).await.expect(400);
        assert!(r.text.contains("more than is owed"), "{}", r.text);
        let r = app.post("/api/v1/payroll_remittances", json!({"account_id": tax, "amount": "929.28", "date": "2026-12-05", "reference": "EFTPS 1"})).await.expect(201);
        assert_eq!(posting(&app, &r.str("/journal_entry_id")).await, lines(&["Dr 2210 929.28", "Cr 1200 929.28"]));
        let acc = app.get(&format!("/api/v1/accounts/{}", app.account("2220").await)).await.expect(200);
        assert_eq!(acc.raw("/balance"), "0.00");
        assert_eq!(events(&app, "payroll.").await, vec!["payroll.run_created", "payroll.run_approved", "payroll.run_paid"]);
        // On a run: the employee cannot be deleted.
        app.delete(&format!("/api/v1/employees/{a}")).await.expect(409);
        let list = app.get("/api/v1/employees").await.expect(200);
        assert!(!list.text.contains("5678901234"));
    }
}

backend_test! {
    async fn per_employee_payments_and_a_half_month(app: TestApp) {
        let e1 = app.post("/api/v1/employees", json!({"name": "A", "pay_rate": "36000.00", "hire_date": "2026-11-16"})).await.expect(201).str("/id");
        let e2 = app.post("/api/v1/employees", json!({"name": "B", "pay_rate": "24000.00", "hire_date": "2020-01-01", "employee_number": "B-7"})).await.expect(201).str("/id");
        let run = app
            .post("/api/v1/payroll_runs", json!({"period_start": "2026-11-01", "period_end": "2026-11-30", "pay_date": "2026-12-01",
                "employees": [{"employee_id": e1}, {"employee_id": e2}]}))
            .await
            .expect(201);
        // A: hired on the 16th, 15 of 30 days of 3,000.00.
        let l: Vec<_> = (0..2).map(|i| (run.str(&format!("/lines/{i}/employee_id")), run.raw(&format!("/lines/{i}/net")))).collect();
        assert!(l.contains(&(e1.clone(), "1500.00".into())), "{l:?}");
        assert!(l.contains(&(e2.clone(), "2000.00".into())), "{l:?}");
        let id = run.str("/id");
        app.post(&format!("/api/v1/payroll_runs/{id}/pay"), json!({})).await.expect(409);
        app.post(&format!("/api/v1/payroll_runs/{id}/approve"), json!({})).await.expect(200);
        let before = app.count("journal_entries").await;
        for (body, needle) in [(json!({"mode": "weekly"}), "mode"), (json!({"date": "2026-11-30"}), "pay date"), (json!({"bank_account_id": app.account("4000").await}), "bank")] {
            let r = app.post(&format!("/api/v1/payroll_runs/{id}/pay"), body.clone()).await.expect(400);
            assert!(r.text.contains(needle), "{body}: {}", r.text);
        }
        assert_eq!(app.count("journal_entries").await, before);
        let paid = app.post(&format!("/api/v1/payroll_runs/{id}/pay"), json!({"mode": "per_employee"})).await.expect(200);
        assert_eq!(paid.json["payment_entry_ids"].as_array().unwrap().len(), 2);
        assert_eq!(paid.str("/paid_on"), "2026-12-01");
        app.delete(&format!("/api/v1/payroll_runs/{id}")).await.expect(409);
        let drafts = app.get("/api/v1/payroll_runs?status=draft").await.expect(200);
        assert_eq!(drafts.json["data"].as_array().unwrap().len(), 0);
        app.get("/api/v1/payroll_runs?status=late").await.expect(400);
    }
}

backend_test! {
    #[country("IN", "INR")]
    async fn the_country_template_is_added_once(app: TestApp) {
        let r = app.post("/api/v1/pay_items/template", json!({})).await.expect(201);
        let names: Vec<_> = r.json["data"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap().to_owned()).collect();
        assert_eq!(names.len(), 6, "{names:?}");
        let pt = r.json["data"].as_array().unwrap().iter().position(|i| i["name"] == "Professional tax").unwrap();
        assert_eq!((r.str(&format!("/data/{pt}/calculation")), r.raw(&format!("/data/{pt}/amount"))), ("fixed".into(), "200.00".into()));
        let again = app.post("/api/v1/pay_items/template", json!({})).await.expect(201);
        assert_eq!(again.json["data"].as_array().unwrap().len(), 0);
        assert_eq!(app.get("/api/v1/pay_items").await.expect(200).json["data"].as_array().unwrap().len(), 6);
        // Turned off, an item is not applied by default.
        let tds = r.json["data"].as_array().unwrap().iter().find(|i| i["name"] == "TDS on salary").unwrap()["id"].as_str().unwrap().to_owned();
        let u = app.send(reqwest::Method::PATCH, &format!("/api/v1/pay_items/{tds}"), Some(json!({"active": false, "percent": "5"})), None).await.expect(200);
        assert_eq!((u.json["active"].as_bool(), u.raw("/percent")), (Some(false), "5".into()));
    }
}

backend_test! {
    async fn bad_payroll_input_is_refused_with_nothing_written(app: TestApp) {
        let salaried = app.post("/api/v1/employees", json!({"name": "S", "pay_rate": "12000.00", "hire_date": "2020-01-01"})).await.expect(201).str("/id");
        let hourly = app.post("/api/v1/employees", json!({"name": "H", "pay_type": "hourly", "pay_rate": "10.00", "hire_date": "2020-01-01"})).await.expect(201).str("/id");
        let gone = app.post("/api/v1/employees", json!({"name": "G", "pay_rate": "12000.00", "hire_date": "2020-01-01", "termination_date": "2026-06-30"})).await.expect(201);
        assert_eq!(gone.str("/status"), "terminated");
        let gone = gone.str("/id");
        // Employees refused.
        for (body, field) in [
            (json!({"pay_rate": "1"}), "name"),
            (json!({"name": "X"}), "pay_rate"),
            (json!({"name": "X", "pay_rate": "0"}), "pay_rate"),
            (json!({"name": "X", "pay_rate": "1", "pay_type": "daily"}), "pay_type"),
            (json!({"name": "X", "pay_rate": "1", "pay_frequency": "yearly"}), "pay_frequency"),
            (json!({"name": "X", "pay_rate": "1", "email": "nope"}), "email"),
            (json!({"name": "X", "pay_rate": "1", "hire_date": "2026-05-01", "termination_date": "2026-04-01"}), "termination_date"),
            (json!({"name": "X", "pay_rate": "1", "bank_account_number": "12"}), "bank_account_number"),
            (json!({"name": "X", "pay_rate": "1", "employee_number": "EMP-0001"}), "employee_number"),
        ] {
            let r = app.post("/api/v1/employees", body.clone()).await.expect(400);
            assert!(r.text.contains(field), "{body}: {}", r.text);
        }
        // Pay items refused: a deduction owed on an expense account, both percent and amount, no value.
        for (body, field) in [
            (json!({"name": "Bad", "kind": "deduction", "percent": "5", "account_id": app.account("7000").await}), "account_id"),
            (json!({"name": "Bad", "kind": "earning", "percent": "5", "account_id": app.account("2210").await}), "account_id"),
            (json!({"name": "Bad", "kind": "deduction", "percent": "5", "amount": "5"}), "amount"),
            (json!({"name": "Bad", "kind": "deduction"}), "percent"),
            (json!({"name": "Bad", "kind": "deduction", "percent": "101"}), "percent"),
            (json!({"name": "Bad", "kind": "bonus", "percent": "1"}), "kind"),
        ] {
            let r = app.post("/api/v1/pay_items", body.clone()).await.expect(400);
            assert!(r.text.contains(field), "{body}: {}", r.text);
        }
        let greedy = item(&app, json!({"name": "Greedy", "kind": "deduction", "amount": "5000.00", "active": false})).await;
        let period = |employees: Value| json!({"period_start": "2026-11-01", "period_end": "2026-11-30", "employees": employees});
        let before = (app.count("payroll_runs").await, app.count("payroll_run_lines").await, app.count("journal_entries").await);
        for (body, field) in [
            (period(json!([])), "employees"),
            (period(json!([{"employee_id": "emp_missing"}])), "employees[0].employee_id"),
            (period(json!([{"employee_id": salaried}, {"employee_id": salaried}])), "employees[1].employee_id"),
            (period(json!([{"employee_id": hourly}])), "employees[0].hours"),
            (period(json!([{"employee_id": salaried, "hours": "10"}])), "employees[0].hours"),
            (period(json!([{"employee_id": hourly, "hours": "-1"}])), "employees[0].hours"),
            (period(json!([{"employee_id": gone}])), "employees[0].employee_id"),
            ({ let mut b = period(json!([{"employee_id": salaried}])); b["pay_item_ids"] = json!([greedy]); b }, "employees[0].employee_id"),
            ({ let mut b = period(json!([{"employee_id": salaried}])); b["pay_item_ids"] = json!(["pit_missing"]); b }, "pay_item_ids[0]"),
            ({ let mut b = period(json!([{"employee_id": salaried}])); b["period_end"] = json!("2026-10-01"); b }, "period_end"),
        ] {
            let r = app.post("/api/v1/payroll_runs", body.clone()).await.expect(400);
            assert!(r.text.contains(field), "{body}: {}", r.text);
        }
        assert_eq!((app.count("payroll_runs").await, app.count("payroll_run_lines").await, app.count("journal_entries").await), before);
        // A draft deleted; an employee on no run deleted.
        let run = app.post("/api/v1/payroll_runs", period(json!([{"employee_id": salaried}]))).await.expect(201).str("/id");
        app.delete(&format!("/api/v1/payroll_runs/{run}")).await.expect(204);
        app.get(&format!("/api/v1/payroll_runs/{run}")).await.expect(404);
        app.delete(&format!("/api/v1/employees/{gone}")).await.expect(204);
        app.get("/api/v1/employees?status=fired").await.expect(400);
    }
}

backend_test! {
    async fn an_employee_is_reimbursed_for_an_expense_they_paid(app: TestApp) {
        let travel = app
            .post("/api/v1/accounts", json!({"code": "7400", "name": "Travel", "type": "expense"}))
            .await
            .expect(201)
            .str("/id");
        let asha = app
            .post("/api/v1/employees", json!({"name": "Asha Rao", "hire_date": "2025-04-01", "pay_rate": "60000.00"}))
            .await
            .expect(201)
            .str("/id");
        let cy = app
            .post("/api/v1/employees", json!({"name": "Cy Lind", "hire_date": "2025-04-01", "pay_rate": "50000.00",
                "termination_date": "2026-06-30"}))
            .await
            .expect(201)
            .str("/id");
        // Bad input, nothing written.
        let before = (app.count("documents").await, app.count("journal_entries").await);
        for (body, needle) in [
            (json!({"account_id": travel, "amount": "10", "employee_id": "emp_nope"}), "no employee emp_nope"),
            (json!({"account_id": travel, "amount": "10", "employee_id": cy, "date": "2026-07-15"}), "left on 2026-06-30"),
        ] {
            let r = app.post("/api/v1/expenses", body.clone()).await.expect(400);
            assert!(r.str("/details/employee_id").contains(needle), "{body}: {}", r.text);
        }
        let vendor = app.post("/api/v1/vendors", json!({"name": "Cab Co"})).await.expect(201).str("/id");
        let r = app
            .post("/api/v1/bills", json!({"vendor_id": vendor, "employee_id": asha,
                "lines": [{"account_id": travel, "unit_price": "10"}]}))
            .await
            .expect(400);
        assert!(r.text.contains("employee_id"), "{}", r.text);
        let r = app.get(&format!("/api/v1/bills?employee_id={asha}")).await.expect(400);
        assert!(r.str("/details/employee_id").contains("only expenses"), "{}", r.text);
        assert_eq!((app.count("documents").await, app.count("journal_entries").await), before);
        // Asha paid a taxi herself: approved, then reimbursed from the bank.
        let e = app
            .post("/api/v1/expenses", json!({"account_id": travel, "amount": "42.50", "vendor_id": vendor,
                "employee_id": asha, "date": "2026-11-20", "approve": true}))
            .await
            .expect(201);
        let id = e.str("/id");
        assert_eq!((e.str("/employee_id"), e.str("/vendor_id")), (asha.clone(), vendor.clone()));
        assert_eq!(posting(&app, &e.str("/journal_entry_id")).await, lines(&["Dr 7400 42.50", "Cr 2109 42.50"]));
        // Before reimbursement the employee cannot be deleted.
        let r = app.delete(&format!("/api/v1/employees/{asha}")).await.expect(409);
        assert!(r.text.contains("expenses to reimburse"), "{}", r.text);
        // Her expenses awaiting reimbursement, and nobody else's.
        let owed = app.get(&format!("/api/v1/expenses?employee_id={asha}&status=approved")).await.expect(200);
        assert_eq!(owed.json["data"].as_array().unwrap().len(), 1);
        assert_eq!(owed.str("/data/0/id"), id);
        let none = app.get(&format!("/api/v1/expenses?employee_id={cy}")).await.expect(200);
        assert!(none.json["data"].as_array().unwrap().is_empty());
        let paid = app.post(&format!("/api/v1/expenses/{id}/pay"), json!({"date": "2026-11-30"})).await.expect(200);
        assert_eq!(paid.str("/status"), "paid");
        let bank = app.account("1200").await;
        let entries = app.get(&format!("/api/v1/general_ledger?account_id={bank}")).await.expect(200);
        assert!(entries.text.contains("Reimbursement of expense EXP-00001 to Asha Rao"), "{}", entries.text);
        // Cy's expense from before she left is fine; clearing the employee
        // makes it the organization's own.
        let c = app
            .post("/api/v1/expenses", json!({"account_id": travel, "amount": "8", "employee_id": cy, "date": "2026-06-01"}))
            .await
            .expect(201);
        assert_eq!(c.str("/employee_id"), cy);
        let c = app.put(&format!("/api/v1/expenses/{}", c.str("/id")), json!({"employee_id": ""})).await.expect(200);
        assert!(c.json["employee_id"].is_null(), "{}", c.text);
        // The event carries the employee; a bill's view has no such field.
        let mut conn = app.services.store.pool().acquire().await.unwrap();
        let created = ferrobooks_store::outbox::list(&mut conn, &app.org_id)
            .await
            .unwrap()
            .into_iter()
            .find(|(k, _)| k == "expense.created")
            .unwrap();
        assert!(created.1.contains(&format!("\"employee_id\":\"{asha}\"")), "{}", created.1);
        let bill = app
            .post("/api/v1/bills", json!({"vendor_id": vendor, "lines": [{"account_id": travel, "unit_price": "10"}]}))
            .await
            .expect(201);
        assert!(bill.json.get("employee_id").is_none(), "{}", bill.text);
    }
}
