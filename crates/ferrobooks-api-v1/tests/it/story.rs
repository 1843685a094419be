//! The storage story: a random sequence of creates, posts, voids and
//! deletes, run concurrently in bursts, then the trial balance checked at
//! several dates against a model kept in the test. Prints its seed; set
//! FERROBOOKS_TEST_SEED to replay one.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use ferrobooks_testkit::backend_test;

/// Posted movements: (date, account) -> debit minus credit, in cents.
type Model = BTreeMap<(String, String), i64>;

/// An entry the test made: id, date, lines as (account, debit minus credit).
type Made = (String, String, Vec<(String, i64)>);

fn apply(model: &mut Model, date: &str, lines: &[(String, i64)], sign: i64) {
    for (acc, net) in lines {
        *model.entry((date.to_owned(), acc.clone())).or_default() += sign * net;
    }
}

fn cents(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

backend_test! {
    async fn random_flows_keep_the_books_balanced(app: TestApp) {
        let seed: u64 = std::env::var("FERROBOOKS_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(rand::random);
        eprintln!("storage story seed: {seed} (FERROBOOKS_TEST_SEED={seed} to replay)");
        let mut rng = StdRng::seed_from_u64(seed);
        let mut accounts = Vec::new();
        for code in ["1200", "1210", "4000", "5000", "7900", "2100"] {
            accounts.push(app.account(code).await);
        }
        let mut model = Model::new();
        // (id, date, lines as (account, net)) of posted, voidable entries and of drafts.
        let mut posted: Vec<Made> = Vec::new();
        let mut drafts: Vec<Made> = Vec::new();

        for _round in 0..12 {
            // A burst of concurrent creates.
            let mut tasks = Vec::new();
            for _ in 0..rng.gen_range(2..8) {
                let date = format!("2026-0{}-{:02}", rng.gen_range(1..4), rng.gen_range(1..29));
                let n = rng.gen_range(2..5);
                let mut lines: Vec<(String, i64)> = Vec::new();
                let mut total = 0;
                for _ in 0..n - 1 {
                    let amt = rng.gen_range(1..500_000);
                    total += amt;
                    lines.push((accounts[rng.gen_range(0..accounts.len())].clone(), amt));
                }
                lines.push((accounts[rng.gen_range(0..accounts.len())].clone(), -total));
                let post = rng.gen_bool(0.7);
                let body = json!({
                    "date": date, "post": post,
                    "lines": lines.iter().map(|(a, net)| if *net > 0 {
                        json!({"account_id": a, "debit": cents(*net)})
                    } else {
                        json!({"account_id": a, "credit": cents(-net)})
                    }).collect::<Vec<_>>()
                });
                let (client, base, key) = (app.client.clone(), app.base.clone(), app.key.clone());
                tasks.push(tokio::spawn(async move {
                    let r = client.post(format!("{base}/api/v1/journal_entries")).bearer_auth(key).json(&body).send().await.unwrap();
                    let r = ferrobooks_testkit::into_resp(r).await.expect(201);
                    (r.str("/id"), date, lines, post)
                }));
            }
            for t in tasks {
                let (id, date, lines, post) = t.await.unwrap();
                if post {
                    apply(&mut model, &date, &lines, 1);
                    posted.push((id, date, lines));
                } else {
                    drafts.push((id, date, lines));
                }
            }
            // Then a few sequential changes.
            if !drafts.is_empty() && rng.gen_bool(0.5) {
                let (id, date, lines) = drafts.swap_remove(rng.gen_range(0..drafts.len()));
                if rng.gen_bool(0.5) {
                    app.post(&format!("/api/v1/journal_entries/{id}/post"), json!({})).await.expect(200);
                    apply(&mut model, &date, &lines, 1);
                    posted.push((id, date, lines));
                } else {
                    app.delete(&format!("/api/v1/journal_entries/{id}")).await.expect(204);
                }
            }
            if !posted.is_empty() && rng.gen_bool(0.4) {
                let (id, date, lines) = posted.swap_remove(rng.gen_range(0..posted.len()));
                let void_date = format!("2026-04-{:02}", rng.gen_range(1..29));
                app.post(&format!("/api/v1/journal_entries/{id}/void"), json!({"date": void_date})).await.expect(200);
                let _ = date;
                apply(&mut model, &void_date, &lines, -1);
            }
        }

        for as_of in ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"] {
            let mut expected: BTreeMap<String, i64> = BTreeMap::new();
            for ((d, a), net) in &model {
                if d.as_str() <= as_of {
                    *expected.entry(a.clone()).or_default() += net;
                }
            }
            expected.retain(|_, v| *v != 0);
            let tb = app.get(&format!("/api/v1/reports/trial_balance?as_of={as_of}")).await.expect(200);
            let mut got: BTreeMap<String, i64> = BTreeMap::new();
            for (i, row) in tb.json["rows"].as_array().unwrap().iter().enumerate() {
                let parse = |p: &str| -> i64 {
                    tb.raw(&format!("/rows/{i}/{p}")).replace('.', "").parse().unwrap()
                };
                got.insert(row["account_id"].as_str().unwrap().to_owned(), parse("debit") - parse("credit"));
            }
            assert_eq!(got, expected, "seed {seed}, as of {as_of}");
            assert_eq!(tb.raw("/total_debit"), tb.raw("/total_credit"), "seed {seed}");
        }
    }
}
