use serde_json::json;

use ferrobooks_testkit::backend_test;

backend_test! {
    async fn trial_balance_as_of_and_csv(app: TestApp) {
        crate::journal::entry(&app, "2026-01-15", "100.00", true).await.expect(201);
        crate::journal::entry(&app, "2026-02-15", "20.50", true).await.expect(201);
        let jan = app.get("/api/v1/reports/trial_balance?as_of=2026-01-31").await.expect(200);
        assert_eq!(jan.raw("/total_debit"), "100.00");
        assert_eq!(jan.raw("/total_credit"), "100.00");
        let feb = app.get("/api/v1/reports/trial_balance?as_of=2026-02-15").await.expect(200);
        assert_eq!(feb.raw("/total_debit"), "120.50");
        assert_eq!(feb.str("/rows/0/code"), "1200");
        assert_eq!(feb.raw("/rows/0/debit"), "120.50");
        assert_eq!(feb.raw("/rows/1/credit"), "120.50");
        let csv = app
            .client
            .get(format!("{}/api/v1/reports/trial_balance?as_of=2026-02-28", app.base))
            .bearer_auth(&app.key)
            .header("accept", "text/csv")
            .send()
            .await
            .unwrap();
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let body = csv.text().await.unwrap();
        assert_eq!(
            body,
            "code,name,type,debit,credit\n1200,Bank Current Account,asset,120.50,0.00\n4000,Sales,income,0.00,120.50\n,Total,,120.50,120.50\n"
        );
        app.get("/api/v1/reports/trial_balance?as_of=yesterday").await.expect(400);
    }
}

backend_test! {
    async fn general_ledger_runs_balances(app: TestApp) {
        let bank = app.account("1200").await;
        crate::journal::entry(&app, "2025-12-31", "10.00", true).await.expect(201);
        crate::journal::entry(&app, "2026-01-10", "5.25", true).await.expect(201);
        let r = crate::journal::entry(&app, "2026-01-20", "2.00", true).await.expect(201);
        app.post(&format!("/api/v1/journal_entries/{}/void", r.str("/id")), json!({"date": "2026-01-21"})).await.expect(200);
        let gl = app
            .get(&format!("/api/v1/general_ledger?account_id={bank}&date_from=2026-01-01&date_to=2026-01-31"))
            .await
            .expect(200);
        assert_eq!(gl.json["accounts"].as_array().unwrap().len(), 1);
        assert_eq!(gl.raw("/accounts/0/opening_balance"), "10.00");
        assert_eq!(gl.raw("/accounts/0/lines/0/running_balance"), "15.25");
        assert_eq!(gl.raw("/accounts/0/lines/1/running_balance"), "17.25");
        assert_eq!(gl.raw("/accounts/0/lines/2/running_balance"), "15.25");
        assert_eq!(gl.raw("/accounts/0/closing_balance"), "15.25");
        assert_eq!(gl.raw("/accounts/0/total_debit"), "7.25");
        assert_eq!(gl.raw("/accounts/0/total_credit"), "2.00");
        // Income reads positive on its credit side.
        let all = app.get("/api/v1/general_ledger?date_from=2026-01-01&date_to=2026-01-31").await.expect(200);
        assert_eq!(all.json["accounts"].as_array().unwrap().len(), 2);
        assert_eq!(all.raw("/accounts/1/closing_balance"), "15.25");
        app.get("/api/v1/general_ledger?date_from=2026-02-01&date_to=2026-01-01").await.expect(400);
        // An account nothing touched still answers, with zeros.
        let idle = app.account("7900").await;
        let g = app.get(&format!("/api/v1/general_ledger?account_id={idle}")).await.expect(200);
        assert_eq!(g.str("/accounts/0/account_id"), idle);
        assert_eq!(g.raw("/accounts/0/closing_balance"), "0.00");
        app.get("/api/v1/general_ledger?account_id=acc_missing").await.expect(404);
    }
}

backend_test! {
    async fn csv_neutralises_formulas(app: TestApp) {
        let a = app
            .post("/api/v1/accounts", json!({"code": "6200", "name": "=HYPERLINK(\"x\")", "type": "expense"}))
            .await
            .expect(201);
        let bank = app.account("1200").await;
        app.post("/api/v1/journal_entries", json!({"date": "2026-01-02", "post": true, "lines": [
            {"account_id": a.str("/id"), "debit": "1"}, {"account_id": bank, "credit": "1"}
        ]})).await.expect(201);
        let csv = app
            .get_accepting("/api/v1/reports/trial_balance?as_of=2026-01-31", "text/csv")
            .await
            .expect(200)
            .text;
        assert!(csv.contains("6200,\"'=HYPERLINK(\"\"x\"\")\",expense,1.00,0.00"), "{csv}");
    }
}

backend_test! {
    async fn profit_and_loss_and_balance_sheet_tie_out_across_years(app: TestApp) {
        use ferrobooks_testkit::factories::{approved_invoice, customer};
        let bank = app.account("1200").await;
        let capital = app.account("3000").await;
        let cogs = app.account("5000").await;
        let supplies = app.post("/api/v1/accounts", json!({"code": "6100", "name": "Supplies", "type": "expense"})).await.expect(201).str("/id");
        let c = customer(&app, json!({"name": "Acme"})).await;
        let v = app.post("/api/v1/vendors", json!({"name": "Paper Co"})).await.expect(201).str("/id");
        // 2025: capital in, a sale paid, a bill unpaid.
        app.post("/api/v1/journal_entries", json!({"date": "2025-01-05", "post": true, "lines": [
            {"account_id": bank, "debit": "5000.00"}, {"account_id": capital, "credit": "5000.00"}]})).await.expect(201);
        let i1 = approved_invoice(&app, json!({"customer_id": c, "date": "2025-06-01", "lines": [{"unit_price": "1000.00"}]})).await.str("/id");
        app.post("/api/v1/payments", json!({"customer_id": c, "date": "2025-06-10", "amount": "1000.00", "deposit_account_id": bank,
            "applications": [{"invoice_id": i1, "amount": "1000.00"}]})).await.expect(201);
        app.post("/api/v1/bills", json!({"vendor_id": v, "date": "2025-09-01", "approve": true, "lines": [{"unit_price": "300.00", "account_id": supplies}]})).await.expect(201);
        // 2026: a sale on credit and its cost.
        approved_invoice(&app, json!({"customer_id": c, "date": "2026-02-01", "lines": [{"unit_price": "2000.00"}]})).await;
        app.post("/api/v1/journal_entries", json!({"date": "2026-02-02", "post": true, "lines": [
            {"account_id": cogs, "debit": "400.00"}, {"account_id": bank, "credit": "400.00"}]})).await.expect(201);

        let p = app.get("/api/v1/reports/profit_and_loss?date_from=2026-01-01&date_to=2026-03-31").await.expect(200);
        let totals = |r: &ferrobooks_testkit::Resp| -> Vec<(String, String)> {
            r.json["sections"].as_array().unwrap().iter().enumerate()
                .map(|(i, s)| (s["key"].as_str().unwrap().to_owned(), r.raw(&format!("/sections/{i}/total"))))
                .collect()
        };
        assert_eq!(totals(&p), [("income".into(), "2000.00".into()), ("cost_of_sales".into(), "400.00".into()), ("expenses".into(), "0.00".into())]);
        assert_eq!((p.raw("/gross_profit"), p.raw("/net_profit")), ("1600.00".into(), "1600.00".into()));
        let last_year = app.get("/api/v1/reports/profit_and_loss?date_from=2025-01-01&date_to=2025-12-31").await.expect(200);
        assert_eq!((last_year.raw("/gross_profit"), last_year.raw("/net_profit")), ("1000.00".into(), "700.00".into()));

        // 31 March 2026: last year's 700.00 sits in retained earnings, this year's 1,600.00 is computed.
        let b = app.get("/api/v1/reports/balance_sheet?as_of=2026-03-31").await.expect(200);
        assert_eq!(b.str("/fiscal_year_start"), "2026-01-01");
        assert_eq!(totals(&b), [("assets".into(), "7600.00".into()), ("liabilities".into(), "300.00".into()), ("equity".into(), "7300.00".into())]);
        assert_eq!((b.raw("/total_assets"), b.raw("/total_liabilities_and_equity")), ("7600.00".into(), "7600.00".into()));
        let equity: Vec<(String, String)> = b.json["sections"][2]["lines"].as_array().unwrap().iter().enumerate()
            .map(|(i, l)| (l["name"].as_str().unwrap().to_owned(), b.raw(&format!("/sections/2/lines/{i}/amount"))))
            .collect();
        assert_eq!(equity, [("Share Capital".into(), "5000.00".into()), ("Retained earnings (earlier years)".into(), "700.00".into()), ("Current year earnings".into(), "1600.00".into())]);
        // The year before: no earlier earnings, the year's own computed.
        let b = app.get("/api/v1/reports/balance_sheet?as_of=2025-12-31").await.expect(200);
        assert_eq!((b.raw("/total_assets"), b.raw("/total_liabilities_and_equity")), ("6000.00".into(), "6000.00".into()));
        // Comparison columns: the year before, side by side.
        let c = app.get("/api/v1/reports/profit_and_loss?date_from=2026-01-01&date_to=2026-12-31&compare=year&periods=2").await.expect(200);
        assert_eq!(c.json["comparison"]["columns"], json!([{"date_from": "2025-01-01", "date_to": "2025-12-31"}, {"date_from": "2026-01-01", "date_to": "2026-12-31"}]));
        let line = |section: usize, code: &str| {
            let lines = c.json["comparison"]["sections"][section]["lines"].as_array().unwrap();
            let i = lines.iter().position(|l| l["code"] == code).unwrap();
            (c.raw(&format!("/comparison/sections/{section}/lines/{i}/amounts/0")), c.raw(&format!("/comparison/sections/{section}/lines/{i}/amounts/1")))
        };
        assert_eq!(line(0, "4000"), ("1000.00".into(), "2000.00".into()));
        assert_eq!(line(1, "5000"), ("0.00".into(), "400.00".into()));
        assert_eq!(line(2, "6100"), ("300.00".into(), "0.00".into()));
        assert_eq!(c.json["comparison"]["totals"][1]["name"], "Net profit");
        assert_eq!((c.raw("/comparison/totals/1/amounts/0"), c.raw("/comparison/totals/1/amounts/1")), ("700.00".into(), "1600.00".into()));
        assert_eq!(c.raw("/net_profit"), "1600.00", "the statement itself is the last column");
        let c = app.get("/api/v1/reports/balance_sheet?as_of=2026-03-31&compare=quarter&periods=2").await.expect(200);
        assert_eq!(c.json["comparison"]["columns"][0]["date_to"], "2025-12-31");
        assert_eq!((c.raw("/comparison/totals/0/amounts/0"), c.raw("/comparison/totals/0/amounts/1")), ("6000.00".into(), "7600.00".into()));
        let csv = app.client.get(format!("{}/api/v1/reports/balance_sheet?as_of=2026-03-31&compare=quarter&periods=2&format=csv", app.base))
            .bearer_auth(&app.key).send().await.unwrap().text().await.unwrap();
        assert!(csv.starts_with("section,code,name,2025-12-31,2026-03-31\n"), "{csv}");
        assert!(csv.ends_with(",,Total liabilities and equity,6000.00,7600.00\n"), "{csv}");
        for (q, field) in [("compare=week", "compare"), ("compare=month&periods=0", "periods"), ("compare=month&periods=37", "periods"), ("periods=3", "periods")] {
            let r = app.get(&format!("/api/v1/reports/profit_and_loss?{q}")).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{q}: {}", r.text);
        }
        // The cash flow of the quarter: 1,600.00 profit, 2,000.00 more owed
        // by customers, so cash fell by the 400.00 paid out.
        let cf = app.get("/api/v1/reports/cash_flow?date_from=2026-01-01&date_to=2026-03-31").await.expect(200);
        assert_eq!(totals(&cf), [("operating".into(), "-400.00".into()), ("investing".into(), "0.00".into()), ("financing".into(), "0.00".into())]);
        assert_eq!(cf.json["sections"][0]["lines"][0]["name"], "Net profit");
        assert_eq!(cf.raw("/sections/0/lines/0/amount"), "1600.00");
        assert_eq!(cf.raw("/sections/0/lines/1/amount"), "-2000.00");
        assert_eq!((cf.raw("/opening_cash"), cf.raw("/net_change_in_cash"), cf.raw("/closing_cash")), ("6000.00".into(), "-400.00".into(), "5600.00".into()));
        // 2025: capital is financing, the unpaid bill kept 300.00.
        let cf = app.get("/api/v1/reports/cash_flow?date_from=2025-01-01&date_to=2025-12-31").await.expect(200);
        assert_eq!(totals(&cf), [("operating".into(), "1000.00".into()), ("investing".into(), "0.00".into()), ("financing".into(), "5000.00".into())]);
        assert_eq!((cf.raw("/opening_cash"), cf.raw("/closing_cash")), ("0.00".into(), "6000.00".into()));
        let r = app.get("/api/v1/reports/cash_flow?date_from=2026-04-01&date_to=2026-03-31").await.expect(400);
        assert!(r.json["details"]["date_from"].is_string(), "{}", r.text);
        // CSV, and bad ranges.
        let csv = app
            .client
            .get(format!("{}/api/v1/reports/profit_and_loss?date_from=2026-01-01&date_to=2026-03-31", app.base))
            .bearer_auth(&app.key)
            .header("accept", "text/csv")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(csv.starts_with("section,code,name,amount\nincome,4000,Sales,2000.00\n"), "{csv}");
        assert!(csv.ends_with(",,Gross profit,1600.00\n,,Net profit,1600.00\n"), "{csv}");
        let r = app.get("/api/v1/reports/profit_and_loss?date_from=2026-04-01&date_to=2026-03-31").await.expect(400);
        assert!(r.json["details"]["date_from"].is_string(), "{}", r.text);
        let r = app.get("/api/v1/reports/balance_sheet?as_of=2026-13-01").await.expect(400);
        assert!(r.json["details"]["as_of"].is_string(), "{}", r.text);
    }
}

backend_test! {
    async fn financial_summary_by_year_and_month(app: TestApp) {
        use ferrobooks_testkit::factories::{approved_invoice, customer};
        let bank = app.account("1200").await;
        let supplies = app.post("/api/v1/accounts", json!({"code": "6100", "name": "Supplies", "type": "expense"})).await.expect(201).str("/id");
        let c = customer(&app, json!({"name": "Acme"})).await;
        let march = approved_invoice(&app, json!({"customer_id": c, "date": "2026-03-05", "lines": [{"unit_price": "1500.00"}]})).await.str("/id");
        approved_invoice(&app, json!({"customer_id": c, "date": "2026-04-05", "lines": [{"unit_price": "700.00"}]})).await;
        app.post("/api/v1/payments", json!({"customer_id": c, "date": "2026-04-10", "amount": "1000.00", "deposit_account_id": bank,
            "applications": [{"invoice_id": march, "amount": "1000.00"}]})).await.expect(201);
        app.post("/api/v1/journal_entries", json!({"date": "2026-03-20", "post": true, "lines": [
            {"account_id": supplies, "debit": "200.00"}, {"account_id": bank, "credit": "200.00"}]})).await.expect(201);
        let figures = |r: &ferrobooks_testkit::Resp| ["/income", "/expenses", "/profit", "/outstanding_invoices"].map(|p| r.raw(p));
        let m = app.get("/api/v1/reports/financial_summary?year=2026&month=3").await.expect(200);
        assert_eq!((m.str("/date_from"), m.str("/date_to")), ("2026-03-01".into(), "2026-03-31".into()));
        assert_eq!(figures(&m), ["1500.00", "200.00", "1300.00", "1500.00"], "March's invoice was all open at its end");
        let y = app.get("/api/v1/reports/financial_summary?year=2026").await.expect(200);
        assert_eq!(figures(&y), ["2200.00", "200.00", "2000.00", "1200.00"], "500 of March and 700 of April open");
        for q in ["year=2026&month=13", "year=1800", "month=0", "year=abc"] {
            let r = app.get(&format!("/api/v1/reports/financial_summary?{q}")).await.expect(400);
            assert!(r.json["details"].is_object(), "{q}: {}", r.text);
        }
    }
}

backend_test! {
    async fn customer_and_vendor_statements_run_their_balance(app: TestApp) {
        use ferrobooks_testkit::factories::{approved_invoice, customer};
        let bank = app.account("1200").await;
        let supplies = app.post("/api/v1/accounts", json!({"code": "6100", "name": "Supplies", "type": "expense"})).await.expect(201).str("/id");
        let c = customer(&app, json!({"name": "Acme"})).await;
        let other = customer(&app, json!({"name": "Other"})).await;
        let v = app.post("/api/v1/vendors", json!({"name": "Paper Co"})).await.expect(201).str("/id");
        let i1 = approved_invoice(&app, json!({"customer_id": c, "date": "2026-01-10", "lines": [{"unit_price": "100.00"}]})).await;
        approved_invoice(&app, json!({"customer_id": other, "date": "2026-02-03", "lines": [{"unit_price": "999.00"}]})).await;
        let i2 = approved_invoice(&app, json!({"customer_id": c, "date": "2026-02-05", "lines": [{"unit_price": "250.00"}]})).await;
        app.post("/api/v1/payments", json!({"customer_id": c, "date": "2026-02-10", "amount": "100.00", "deposit_account_id": bank,
            "applications": [{"invoice_id": i1.str("/id"), "amount": "100.00"}]})).await.expect(201);
        app.post("/api/v1/credit_notes", json!({"customer_id": c, "date": "2026-02-20", "approve": true, "invoice_id": i2.str("/id"), "lines": [{"unit_price": "50.00"}]})).await.expect(201);
        let s = app.get(&format!("/api/v1/reports/customer_statement?customer_id={c}&date_from=2026-02-01&date_to=2026-02-28")).await.expect(200);
        assert_eq!((s.str("/contact_name"), s.raw("/opening_balance"), s.raw("/closing_balance")), ("Acme".into(), "100.00".into(), "200.00".into()));
        let rows: Vec<(String, String, String, String)> = s.json["lines"].as_array().unwrap().iter().enumerate()
            .map(|(i, l)| (l["date"].as_str().unwrap().to_owned(), s.raw(&format!("/lines/{i}/debit")), s.raw(&format!("/lines/{i}/credit")), s.raw(&format!("/lines/{i}/balance"))))
            .collect();
        assert_eq!(rows, [
            ("2026-02-05".into(), "250.00".into(), "0.00".into(), "350.00".into()),
            ("2026-02-10".into(), "0.00".into(), "100.00".into(), "250.00".into()),
            ("2026-02-20".into(), "0.00".into(), "50.00".into(), "200.00".into()),
        ]);
        assert_eq!(s.json["lines"][0]["reference"], i2.json["number"], "{}", s.text);
        // A vendor's: what we owe.
        let bill = app.post("/api/v1/bills", json!({"vendor_id": v, "date": "2026-02-01", "approve": true, "lines": [{"unit_price": "300.00", "account_id": supplies}]})).await.expect(201).str("/id");
        app.post("/api/v1/bill_payments", json!({"vendor_id": v, "date": "2026-02-15", "amount": "100.00", "account_id": bank,
            "applications": [{"bill_id": bill, "amount": "100.00"}]})).await.expect(201);
        let s = app.get(&format!("/api/v1/reports/vendor_statement?vendor_id={v}&date_from=2026-02-01&date_to=2026-02-28")).await.expect(200);
        assert_eq!((s.raw("/opening_balance"), s.raw("/closing_balance")), ("0.00".into(), "200.00".into()));
        assert_eq!(s.json["lines"].as_array().unwrap().len(), 2, "{}", s.text);
        // Bad input.
        for q in [format!("customer_statement?customer_id={v}"), "customer_statement?customer_id=cus_nope".into(), format!("vendor_statement?vendor_id={c}"), "customer_statement".into(),
                  format!("customer_statement?customer_id={c}&date_from=2026-03-01&date_to=2026-02-01")] {
            let r = app.get(&format!("/api/v1/reports/{q}")).await.expect(400);
            assert!(r.json["details"].is_object(), "{q}: {}", r.text);
        }
    }
}

backend_test! {
    async fn reports_as_csv_or_xlsx_by_format(app: TestApp) {
        use calamine::{Data, Reader, Xlsx};
        crate::journal::entry(&app, "2026-01-15", "1234.56", true).await.expect(201);
        let get = |q: &str| {
            let app = &app;
            let q = q.to_owned();
            async move {
                let r = app.client.get(format!("{}/api/v1/reports/{q}", app.base)).bearer_auth(&app.key).send().await.unwrap();
                let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
                (r.status().as_u16(), ct, r.bytes().await.unwrap().to_vec())
            }
        };
        let (status, ct, body) = get("trial_balance?as_of=2026-01-31&format=csv").await;
        assert_eq!((status, ct.starts_with("text/csv")), (200, true));
        assert!(String::from_utf8(body).unwrap().ends_with(",Total,,1234.56,1234.56\n"));
        for (q, sheet, amount_at) in [
            ("trial_balance?as_of=2026-01-31&format=xlsx", "Trial balance", (1, 3)),
            ("profit_and_loss?date_from=2026-01-01&date_to=2026-01-31&format=xlsx", "Profit and loss", (1, 3)),
            ("balance_sheet?as_of=2026-01-31&format=xlsx", "Balance sheet", (1, 3)),
            ("cash_flow?date_from=2026-01-01&date_to=2026-01-31&format=xlsx", "Cash flow", (0, 0)),
        ] {
            let (status, ct, body) = get(q).await;
            assert_eq!((status, ct.as_str()), (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), "{q}");
            let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(body)).expect("a workbook");
            let range = book.worksheet_range(sheet).expect(sheet);
            assert_eq!(range.get_value((0, 0)), Some(&Data::String(if sheet == "Trial balance" { "code" } else { "section" }.into())), "{q}");
            if amount_at != (0, 0) {
                assert_eq!(range.get_value(amount_at), Some(&Data::Float(1234.56)), "{q}: an amount is a number cell");
            }
        }
        let r = app.get("/api/v1/reports/trial_balance?format=pdf").await.expect(400);
        assert!(r.json["details"]["format"].is_string(), "{}", r.text);
    }
}

backend_test! {
    async fn account_transactions_is_one_accounts_ledger(app: TestApp) {
        crate::journal::entry(&app, "2026-01-15", "100.00", true).await.expect(201);
        crate::journal::entry(&app, "2026-02-15", "20.50", true).await.expect(201);
        let bank = app.account("1200").await;
        let a = app.get(&format!("/api/v1/reports/account_transactions?account_id={bank}&date_from=2026-02-01&date_to=2026-02-28")).await.expect(200);
        assert_eq!(a.json["accounts"].as_array().unwrap().len(), 1, "{}", a.text);
        assert_eq!((a.raw("/accounts/0/opening_balance"), a.raw("/accounts/0/closing_balance")), ("100.00".into(), "120.50".into()));
        let same = app.get(&format!("/api/v1/general_ledger?account_id={bank}&date_from=2026-02-01&date_to=2026-02-28")).await.expect(200);
        assert_eq!(a.text, same.text);
        let all = app.get("/api/v1/reports/general_ledger?date_from=2026-01-01&date_to=2026-02-28").await.expect(200);
        assert_eq!(all.text, app.get("/api/v1/general_ledger?date_from=2026-01-01&date_to=2026-02-28").await.expect(200).text);
        app.get("/api/v1/reports/account_transactions").await.expect(400);
        app.get("/api/v1/reports/account_transactions?account_id=acc_nope").await.expect(404);
    }
}
