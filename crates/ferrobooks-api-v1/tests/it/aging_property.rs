//! A property test of the aging reports over history: a random year of
//! sales and purchases (documents, payments and credits dated on random
//! days, applied and refunded later, payments deleted, documents voided),
//! then on every month end and on random days: both agings hold nothing
//! beyond their open items (every `other` is zero), their totals equal
//! the control accounts of the trial balance on that day, the trial
//! balance nets to zero and the balance sheet balances, on both bases (on
//! the cash basis the control accounts hold only unapplied payments);
//! once everything is settled the cash and accrual bases agree. Prints its
//! seed; set FERROBOOKS_TEST_SEED to replay.

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use ferrobooks_testkit::TestApp;

use super::flows::{amt, c_of, cents};

/// The paths and field names of one side of the books.
struct Side {
    contact: &'static str,
    contacts: &'static str,
    docs: &'static str,
    credits: &'static str,
    payments: &'static str,
    applies_to: &'static str,
    account_field: &'static str,
    report: &'static str,
    control: &'static str,
}

const SALE: Side = Side {
    contact: "customer_id",
    contacts: "/api/v1/customers",
    docs: "/api/v1/invoices",
    credits: "/api/v1/credit_notes",
    payments: "/api/v1/payments",
    applies_to: "invoice_id",
    account_field: "deposit_account_id",
    report: "ar_aging",
    control: "1100",
};

const PURCHASE: Side = Side {
    contact: "vendor_id",
    contacts: "/api/v1/vendors",
    docs: "/api/v1/bills",
    credits: "/api/v1/vendor_credits",
    payments: "/api/v1/bill_payments",
    applies_to: "bill_id",
    account_field: "account_id",
    report: "ap_aging",
    control: "2100",
};

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

fn last() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

/// A day on or after `from` (within 40 days, never past 30 November).
fn after(rng: &mut StdRng, from: &str) -> String {
    let d: NaiveDate = from.parse().unwrap();
    d.checked_add_days(Days::new(rng.gen_range(0..40)))
        .unwrap()
        .min(last())
        .to_string()
}

/// An open item the test remembers: id, contact, date, open amount.
struct Item {
    id: String,
    contact: String,
    date: String,
}

async fn open_of(app: &TestApp, path: &str, id: &str, field: &str) -> i64 {
    c_of(
        &app.get(&format!("{path}/{id}")).await.expect(200).json,
        field,
    )
}

async fn random_side(app: &TestApp, rng: &mut StdRng, s: &Side, bank: &str, expense: &str) {
    let mut contacts = Vec::new();
    for n in 0..3 {
        let id = app
            .post(s.contacts, json!({"name": format!("{} {n}", s.contact)}))
            .await
            .expect(201)
            .str("/id");
        contacts.push(id);
    }
    let line = |rng: &mut StdRng| json!([{"unit_price": amt(rng.gen_range(100..200_000)), "account_id": if s.docs.ends_with("bills") { Some(expense) } else { None }}]);
    let (mut docs, mut credits, mut payments): (Vec<Item>, Vec<Item>, Vec<Item>) =
        (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..30 {
        let c = contacts[rng.gen_range(0..contacts.len())].clone();
        let day = start()
            .checked_add_days(Days::new(rng.gen_range(0..300)))
            .unwrap()
            .to_string();
        match rng.gen_range(0..10) {
            0..=3 => {
                let lines = line(rng);
                let due = after(rng, &day);
                let d = app
                    .post(s.docs, json!({s.contact: c, "date": day, "due_date": due, "approve": true, "lines": lines}))
                    .await
                    .expect(201);
                docs.push(Item {
                    id: d.str("/id"),
                    contact: c,
                    date: day,
                });
            }
            4..=5 => {
                // A payment on some of the contact's documents, maybe more.
                let mut apps = Vec::new();
                let mut total = 0;
                let mut date = day.clone();
                for d in docs.iter().filter(|d| d.contact == c).take(2) {
                    let open = open_of(app, s.docs, &d.id, "balance").await;
                    if open > 0 {
                        let a = rng.gen_range(1..=open);
                        total += a;
                        date = date.max(d.date.clone());
                        apps.push(json!({s.applies_to: d.id, "amount": amt(a)}));
                    }
                }
                let extra = if apps.is_empty() || rng.gen_bool(0.3) {
                    rng.gen_range(1..50_000)
                } else {
                    0
                };
                let p = app
                    .post(s.payments, json!({s.contact: c, "date": date, "amount": amt(total + extra), s.account_field: bank, "applications": apps}))
                    .await
                    .expect(201);
                payments.push(Item {
                    id: p.str("/id"),
                    contact: c,
                    date,
                });
            }
            6 => {
                let lines = line(rng);
                let cn = app
                    .post(
                        s.credits,
                        json!({s.contact: c, "date": day, "approve": true, "lines": lines}),
                    )
                    .await
                    .expect(201);
                credits.push(Item {
                    id: cn.str("/id"),
                    contact: c,
                    date: day,
                });
            }
            7 => {
                // Credit applied later: a credit note's, or a payment's.
                let from_payment = rng.gen_bool(0.5);
                let (pool, path, field) = if from_payment {
                    (&payments, s.payments, "unapplied")
                } else {
                    (&credits, s.credits, "balance")
                };
                if pool.is_empty() {
                    continue;
                }
                let src = &pool[rng.gen_range(0..pool.len())];
                let left = open_of(app, path, &src.id, field).await;
                let Some(d) = docs.iter().find(|d| d.contact == src.contact) else {
                    continue;
                };
                let open = open_of(app, s.docs, &d.id, "balance").await;
                if left > 0 && open > 0 {
                    let a = rng.gen_range(1..=left.min(open));
                    let date = after(rng, &src.date.clone().max(d.date.clone()));
                    app.post(&format!("{path}/{}/apply", src.id), json!({"date": date, "applications": [{s.applies_to: d.id, "amount": amt(a)}]}))
                        .await
                        .expect(200);
                }
            }
            8 => {
                // A refund of a credit, or a payment deleted.
                if rng.gen_bool(0.5) && !credits.is_empty() {
                    let cn = &credits[rng.gen_range(0..credits.len())];
                    let left = open_of(app, s.credits, &cn.id, "balance").await;
                    if left > 0 {
                        let date = after(rng, &cn.date);
                        app.post(&format!("{}/{}/refund", s.credits, cn.id), json!({"date": date, "amount": amt(rng.gen_range(1..=left)), "account_id": bank}))
                            .await
                            .expect(200);
                    }
                } else if !payments.is_empty() {
                    let p = payments.swap_remove(rng.gen_range(0..payments.len()));
                    app.delete(&format!("{}/{}", s.payments, p.id))
                        .await
                        .expect(204);
                }
            }
            _ => {
                if docs.is_empty() {
                    continue;
                }
                let at = rng.gen_range(0..docs.len());
                let date = after(rng, &docs[at].date);
                let r = app
                    .post(
                        &format!("{}/{}/void", s.docs, docs[at].id),
                        json!({"date": date}),
                    )
                    .await;
                assert!([200, 409].contains(&r.status), "{}", r.text);
                if r.status == 200 {
                    docs.swap_remove(at);
                }
            }
        }
    }
}

/// The control account's balance on its normal side in the trial balance.
fn control_in(tb: &Value, code: &str) -> i64 {
    tb["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .map_or(0, |r| {
            let (d, c) = (c_of(r, "debit"), c_of(r, "credit"));
            if code == "1100" { d - c } else { c - d }
        })
}

ferrobooks_testkit::backend_test! {
    async fn agings_tie_out_to_the_ledger_on_every_day(app: TestApp) {
        let seed: u64 = std::env::var("FERROBOOKS_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(rand::random);
        eprintln!("aging property seed: {seed} (FERROBOOKS_TEST_SEED={seed} to replay)");
        let mut rng = StdRng::seed_from_u64(seed);
        let bank = app.account("1200").await;
        let expense = app
            .post("/api/v1/accounts", json!({"code": "6100", "name": "Supplies", "type": "expense"}))
            .await
            .expect(201)
            .str("/id");
        random_side(&app, &mut rng, &SALE, &bank, &expense).await;
        random_side(&app, &mut rng, &PURCHASE, &bank, &expense).await;

        let mut days: Vec<String> = (1..=11)
            .map(|m| NaiveDate::from_ymd_opt(2026, m + 1, 1).unwrap().pred_opt().unwrap().to_string())
            .collect();
        for _ in 0..6 {
            days.push(start().checked_add_days(Days::new(rng.gen_range(0..340))).unwrap().to_string());
        }
        days.push(ferrobooks_service::today().to_string());
        for day in &days {
            let tb = app.get(&format!("/api/v1/reports/trial_balance?as_of={day}")).await.expect(200);
            assert_eq!(tb.raw("/total_debit"), tb.raw("/total_credit"), "{day}: trial balance");
            let bs = app.get(&format!("/api/v1/reports/balance_sheet?as_of={day}")).await.expect(200);
            assert_eq!(bs.raw("/total_assets"), bs.raw("/total_liabilities_and_equity"), "{day}: balance sheet");
            let cash_tb = app.get(&format!("/api/v1/reports/trial_balance?as_of={day}&basis=cash")).await.expect(200);
            assert_eq!(cash_tb.raw("/total_debit"), cash_tb.raw("/total_credit"), "{day}: cash basis trial balance");
            let cash_bs = app.get(&format!("/api/v1/reports/balance_sheet?as_of={day}&basis=cash")).await.expect(200);
            assert_eq!(cash_bs.raw("/total_assets"), cash_bs.raw("/total_liabilities_and_equity"), "{day}: cash basis balance sheet");
            // The cash flow since the year began explains the bank account.
            let cf = app.get(&format!("/api/v1/reports/cash_flow?date_from=2026-01-01&date_to={day}")).await.expect(200);
            let bank_dr: i64 = tb.json["rows"].as_array().unwrap().iter().filter(|r| r["code"] == "1200").map(|r| c_of(r, "debit") - c_of(r, "credit")).sum();
            assert_eq!(cents(&cf.raw("/closing_cash")), bank_dr, "{day}: cash flow closing cash is the bank: {}", cf.text);
            let sections: i64 = (0..3).map(|i| cents(&cf.raw(&format!("/sections/{i}/total")))).sum();
            assert_eq!(sections, cents(&cf.raw("/net_change_in_cash")), "{day}: cash flow");
            for s in [&SALE, &PURCHASE] {
                let r = app.get(&format!("/api/v1/reports/{}?as_of={day}&detail=true", s.report)).await.expect(200);
                for (i, row) in r.json["rows"].as_array().unwrap().iter().enumerate() {
                    assert_eq!(c_of(row, "other"), 0, "{day} {}: row {i} holds more than its items: {}", s.report, r.text);
                }
                for d in r.json["documents"].as_array().unwrap() {
                    let owed = d["bucket"] != "unapplied_credits";
                    assert!(
                        (c_of(d, "balance") > 0) == owed && c_of(d, "balance").abs() <= c_of(d, "document_total"),
                        "{day} {}: an item open for more than it is, or on the wrong side: {d}", s.report
                    );
                }
                let items: i64 = r.json["documents"].as_array().unwrap().iter().map(|d| c_of(d, "balance")).sum();
                assert_eq!(items, cents(&r.raw("/totals/total")), "{day} {}: items = total", s.report);
                assert_eq!(cents(&r.raw("/control_balance")), control_in(&tb.json, s.control), "{day} {}: control", s.report);
                assert_eq!(r.raw("/totals/total"), r.raw("/control_balance"), "{day} {}", s.report);
                // On the cash basis only unapplied payments stay in the
                // control account: every document's open part is deferred.
                let unapplied: i64 = r.json["documents"].as_array().unwrap().iter()
                    .filter(|d| d["type"].as_str().unwrap().ends_with("payment"))
                    .map(|d| c_of(d, "balance")).sum();
                assert_eq!(control_in(&cash_tb.json, s.control), unapplied, "{day} {}: cash basis control", s.report);
            }
        }

        // Settle everything open today: then the two bases agree.
        let today = ferrobooks_service::today().to_string();
        for s in [&SALE, &PURCHASE] {
            let r = app.get(&format!("/api/v1/reports/{}?detail=true", s.report)).await.expect(200);
            for (i, d) in r.json["documents"].as_array().unwrap().iter().enumerate() {
                let (id, kind) = (d["id"].as_str().unwrap(), d["type"].as_str().unwrap());
                let balance = r.raw(&format!("/documents/{i}/balance"));
                if kind == "invoice" || kind == "bill" {
                    app.post(s.payments, json!({s.contact: d["contact_id"], "date": today, "amount": balance, s.account_field: bank,
                        "applications": [{s.applies_to: id, "amount": balance}]})).await.expect(201);
                } else if !kind.ends_with("payment") {
                    let amount = balance.trim_start_matches('-');
                    app.post(&format!("{}/{id}/refund", s.credits), json!({"date": today, "amount": amount, "account_id": bank})).await.expect(200);
                }
            }
        }
        let cash = app.get("/api/v1/reports/trial_balance?basis=cash").await.expect(200);
        let accrual = app.get("/api/v1/reports/trial_balance").await.expect(200);
        assert_eq!(cash.json["rows"], accrual.json["rows"], "all paid: the bases agree");
        let cash = app.get("/api/v1/reports/profit_and_loss?date_from=2025-01-01&basis=cash").await.expect(200);
        let accrual = app.get("/api/v1/reports/profit_and_loss?date_from=2025-01-01").await.expect(200);
        assert_eq!(cash.json["sections"], accrual.json["sections"], "all paid: the bases agree");
    }
}
