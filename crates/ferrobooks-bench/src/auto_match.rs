//! `auto_match`: a month of books (10,000 payments received from 300
//! customers and bill payments to 200 vendors, written through the service
//! layer in-process), the bank statement they explain with noise (payee
//! spellings, dates 0-4 days late, deposits of 2-4 payments in one line,
//! bank fees that explain nothing) imported over HTTP as one CSV, then
//! `/suggestions` asked for every line by C concurrent clients and the top
//! suggestion checked against the truth kept here. Lines whose top
//! suggestion scores at least [`THRESHOLD`] are then matched over HTTP (a
//! blind auto-matcher; combined deposits are left alone).
//!
//! The same score rule (`ferrobooks_domain::bank_match::score`, exact
//! amount, ten days either side) is also applied here over the whole
//! ledger, to tell what the rule gives from what the endpoint gives.
//!
//! One run: loading the books dominates its cost. `FERROBOOKS_BENCH_SEED`
//! fixes the data (default 2026). Suggestions are asked in random order
//! for at most `FERROBOOKS_BENCH_SUGGEST_SECONDS` (default 240, 0: no
//! limit; a month's lines took 48 s on PostgreSQL and 117 s on SQLite by 8
//! clients on two cores when this was written): if the budget runs out,
//! what was asked is a random sample, and the report says so.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use ferrobooks_domain::bank_match;
use ferrobooks_domain::document::Side;
use ferrobooks_service::amount::DecimalText;
use ferrobooks_service::contacts::{ContactInput, Party};
use ferrobooks_service::documents::payments::PaymentInput;
use hyper::Method;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

use crate::Options;
use crate::banking::{multipart, upload};
use crate::client::{Stats, http_client};
use crate::load::{call, current_account, encode, par_map, pct, share, system_context};
use crate::scenarios::{check_books, start_app};

/// Payments in the month.
const ITEMS: usize = 10_000;
const CUSTOMERS: usize = 300;
const VENDORS: usize = 200;
/// Share of payments that are received (the rest are bill payments).
const RECEIVED: f64 = 0.55;
/// Combined deposits as a share of statement lines, and fees.
const COMBINED: f64 = 0.05;
const FEES: f64 = 0.02;
/// The score from which the top suggestion is taken without a look.
const THRESHOLD: u32 = 85;
/// Thresholds shown in the table.
const TABLE: [u32; 8] = [60, 70, 75, 80, 85, 90, 95, 100];
/// How long suggestions are asked for, by default (they are asked in
/// random order, so a budget spent early leaves a random sample).
const BUDGET_SECONDS: u64 = 240;
/// In-process writers while loading.
const LOADERS: usize = 64;

const FIRST: [&str; 40] = [
    "Northwind",
    "Harbor",
    "Summit",
    "Bluebird",
    "Cedar",
    "Granite",
    "Silver",
    "Riverbend",
    "Oakridge",
    "Pioneer",
    "Redwood",
    "Lakeside",
    "Evergreen",
    "Sterling",
    "Maple",
    "Falcon",
    "Atlas",
    "Beacon",
    "Coastal",
    "Meridian",
    "Crescent",
    "Highland",
    "Ironwood",
    "Juniper",
    "Keystone",
    "Liberty",
    "Magnolia",
    "Orchard",
    "Prairie",
    "Quarry",
    "Sapphire",
    "Timber",
    "Union",
    "Valley",
    "Willow",
    "Yellowstone",
    "Zenith",
    "Aurora",
    "Brightwater",
    "Copperfield",
];
const SECOND: [&str; 20] = [
    "Trading",
    "Foods",
    "Logistics",
    "Supplies",
    "Consulting",
    "Builders",
    "Dental",
    "Bakery",
    "Motors",
    "Design",
    "Media",
    "Farms",
    "Textiles",
    "Electric",
    "Plumbing",
    "Software",
    "Print",
    "Hardware",
    "Florist",
    "Catering",
];
const LEGAL: [&str; 4] = [" Ltd", " Inc", " LLC", " & Co"];

/// One payment of the books.
struct Item {
    received: bool,
    contact: usize,
    date: NaiveDate,
    cents: i64,
    entry_id: String,
    number: String,
}

impl Item {
    /// Signed as the bank sees it.
    fn signed(&self) -> i64 {
        if self.received {
            self.cents
        } else {
            -self.cents
        }
    }

    /// What `match` names: the bank line is line 0 of the entry.
    fn line_id(&self) -> String {
        format!("{}:0", self.entry_id)
    }
}

/// What a statement line really is.
enum Truth {
    Single(usize),
    Combined(Vec<usize>),
    Fee,
}

struct Line {
    date: NaiveDate,
    cents: i64,
    description: String,
    payee: Option<String>,
    truth: Truth,
    /// The server's id, once imported.
    id: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Suggestion {
    score: u32,
    lines: Vec<SuggestedLine>,
}

#[derive(Debug, Clone, Deserialize)]
struct SuggestedLine {
    line_id: String,
}

impl Suggestion {
    /// Whether it names exactly these ledger lines, in any order.
    fn is(&self, truth: &[String]) -> bool {
        let mut got: Vec<&str> = self.lines.iter().map(|l| l.line_id.as_str()).collect();
        let mut want: Vec<&str> = truth.iter().map(String::as_str).collect();
        got.sort_unstable();
        want.sort_unstable();
        got == want
    }
}

fn log_uniform_cents(rng: &mut StdRng) -> i64 {
    let (lo, hi) = (1_000f64.ln(), 1_000_000f64.ln());
    rng.gen_range(lo..hi).exp().round() as i64
}

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

/// A name as the bank writes it: the ledger's legal suffix kept or not,
/// upper case, a suffix added, cut to the bank's field, a card prefix on
/// money out. Returns (description, payee).
fn noisy(name: &str, received: bool, rng: &mut StdRng) -> (String, Option<String>) {
    let mut p = name.to_owned();
    if rng.gen_bool(0.5)
        && let Some(bare) = LEGAL.iter().find_map(|l| name.strip_suffix(l))
    {
        p = bare.to_owned();
    }
    let upper = rng.gen_bool(0.6);
    if upper {
        p = p.to_uppercase();
    }
    if rng.gen_bool(0.2) {
        let s = [" LTD", " INC", " LLC", " CO"][rng.gen_range(0..4)];
        p.push_str(&if upper {
            s.to_owned()
        } else {
            s.to_lowercase()
        });
    }
    if rng.gen_bool(0.25) {
        let keep = rng.gen_range(10..=16);
        p = p
            .chars()
            .take(keep)
            .collect::<String>()
            .trim_end()
            .to_owned();
    }
    if !received && rng.gen_bool(0.3) {
        let card = ["4411", "9073", "1158"][rng.gen_range(0..3)];
        p = format!("CARD {card} {p}");
    }
    let with_payee = rng.gen_bool(0.8);
    let templates: &[&str] = if received {
        &[
            "ACH CREDIT",
            "TRANSFER FROM {}",
            "DEPOSIT {}",
            "FPS CREDIT {}",
        ]
    } else {
        &["ACH DEBIT {}", "DIRECT DEBIT", "{}", "ONLINE TRANSFER"]
    };
    let mut t = templates[rng.gen_range(0..templates.len())];
    if !with_payee && !t.contains("{}") {
        t = if received {
            "TRANSFER FROM {}"
        } else {
            "ACH DEBIT {}"
        };
    }
    (t.replace("{}", &p), with_payee.then_some(p))
}

fn day(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

/// The statement the items explain, with noise, in date order.
fn statement(items: &[Item], names: &[String], rng: &mut StdRng) -> Vec<Line> {
    let mut received: Vec<usize> = (0..items.len()).filter(|&i| items[i].received).collect();
    received.sort_by_key(|&i| (items[i].date, i));
    // Lines = items - 2 per combined deposit of three on average, plus fees.
    let lines_est = items.len() as f64 / (1.0 + 2.0 * COMBINED - FEES);
    let combos_target = (lines_est * COMBINED).round() as usize;
    let mut used = vec![false; items.len()];
    let mut combos: Vec<Vec<usize>> = Vec::new();
    let mut attempts = 0;
    while combos.len() < combos_target && attempts < 1_000_000 {
        attempts += 1;
        let k = rng.gen_range(2..=4);
        let start = rng.gen_range(0..received.len() - k);
        let group: Vec<usize> = received[start..start + k].to_vec();
        if group.iter().any(|&i| used[i]) {
            continue;
        }
        let first = items[group[0]].date;
        let last = items[group[k - 1]].date;
        if (last - first).num_days() > 3 {
            continue;
        }
        for &i in &group {
            used[i] = true;
        }
        combos.push(group);
    }
    let mut lines = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if used[i] {
            continue;
        }
        let (description, payee) = noisy(&names[it.contact], it.received, rng);
        lines.push(Line {
            date: it.date + chrono::Days::new(rng.gen_range(0..=4)),
            cents: it.signed(),
            description,
            payee,
            truth: Truth::Single(i),
            id: String::new(),
        });
    }
    for g in combos {
        let last = g.iter().map(|&i| items[i].date).max().unwrap_or_default();
        lines.push(Line {
            date: last + chrono::Days::new(rng.gen_range(0..=2)),
            cents: g.iter().map(|&i| items[i].cents).sum(),
            description: ["BRANCH DEPOSIT", "MOBILE DEPOSIT", "COUNTER CREDIT"]
                [rng.gen_range(0..3)]
            .into(),
            payee: None,
            truth: Truth::Combined(g),
            id: String::new(),
        });
    }
    let fees = (lines.len() as f64 * FEES / (1.0 - FEES)).round() as usize;
    let first = items.iter().map(|i| i.date).min().unwrap_or_default();
    for _ in 0..fees {
        let fixed = [250, 500, 1_000, 1_250, 1_500, 2_500, 3_000];
        let cents = if rng.gen_bool(0.6) {
            fixed[rng.gen_range(0..fixed.len())]
        } else {
            rng.gen_range(50..4_000)
        };
        lines.push(Line {
            date: first + chrono::Days::new(rng.gen_range(0..31)),
            cents: -cents,
            description: [
                "SERVICE CHARGE",
                "MONTHLY ACCOUNT FEE",
                "WIRE TRANSFER FEE",
                "INTL TRANSACTION FEE",
                "OVERDRAFT FEE",
            ][rng.gen_range(0..5)]
            .into(),
            payee: None,
            truth: Truth::Fee,
            id: String::new(),
        });
    }
    lines.shuffle(rng);
    lines.sort_by_key(|l| l.date);
    lines
}

/// 300 customer and 200 vendor names, distinct, some with a legal suffix.
fn names(rng: &mut StdRng) -> Vec<String> {
    let mut all: Vec<(usize, usize)> = (0..FIRST.len())
        .flat_map(|a| (0..SECOND.len()).map(move |b| (a, b)))
        .collect();
    all.shuffle(rng);
    all.into_iter()
        .take(CUSTOMERS + VENDORS)
        .map(|(a, b)| {
            let suffix = if rng.gen_bool(0.3) {
                LEGAL[rng.gen_range(0..LEGAL.len())]
            } else {
                ""
            };
            format!("{} {}{suffix}", FIRST[a], SECOND[b])
        })
        .collect()
}

/// What the score rule gives over the whole ledger (no cut): the best
/// candidate's index and score, ranked as the server ranks.
struct Offline<'a> {
    items: &'a [Item],
    names: &'a [String],
    /// Items by signed amount.
    by_amount: HashMap<i64, Vec<usize>>,
    /// (date, entry_id) in the server's order of `free_lines`.
    ordered: Vec<(NaiveDate, &'a str)>,
}

impl<'a> Offline<'a> {
    fn new(items: &'a [Item], names: &'a [String]) -> Offline<'a> {
        let mut by_amount: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            by_amount.entry(it.signed()).or_default().push(i);
        }
        let mut ordered: Vec<(NaiveDate, &str)> = items
            .iter()
            .map(|i| (i.date, i.entry_id.as_str()))
            .collect();
        ordered.sort_unstable();
        Offline {
            items,
            names,
            by_amount,
            ordered,
        }
    }

    fn window(d: NaiveDate) -> (NaiveDate, NaiveDate) {
        (d - chrono::Days::new(10), d + chrono::Days::new(10))
    }

    /// Ledger lines of the account in the line's window.
    fn window_len(&self, line: &Line) -> usize {
        let (from, to) = Self::window(line.date);
        let lo = self.ordered.partition_point(|(d, _)| *d < from);
        let hi = self.ordered.partition_point(|(d, _)| *d <= to);
        hi - lo
    }

    /// Same-amount candidates in the window, and the best (index, score).
    fn best(&self, line: &Line) -> (usize, Option<(usize, u32)>) {
        let (from, to) = Self::window(line.date);
        let said = [
            line.description.as_str(),
            line.payee.as_deref().unwrap_or(""),
        ];
        let s = bank_match::Statement {
            day: day(line.date),
            amount: line.cents,
            text: &said,
        };
        let mut n = 0;
        let mut best: Option<(usize, u32, String)> = None;
        for &i in self.by_amount.get(&line.cents).into_iter().flatten() {
            let it = &self.items[i];
            if it.date < from || it.date > to {
                continue;
            }
            n += 1;
            let memo = if it.received {
                format!("Payment {}", it.number)
            } else {
                format!("Bill payment {}", it.number)
            };
            let texts = [
                memo.as_str(),
                it.number.as_str(),
                it.number.as_str(),
                self.names[it.contact].as_str(),
            ];
            let Some(score) = bank_match::score(
                &s,
                &bank_match::Candidate {
                    day: day(it.date),
                    amount: it.signed(),
                    text: &texts,
                },
            ) else {
                continue;
            };
            let id = it.line_id();
            let better = best
                .as_ref()
                .is_none_or(|(_, bs, bid)| score > *bs || (score == *bs && id < *bid));
            if better {
                best = Some((i, score, id));
            }
        }
        (n, best.map(|(i, s, _)| (i, s)))
    }
}

/// Counts over the single-payment lines at one threshold.
#[derive(Default, Clone, Copy)]
struct Tally {
    taken: usize,
    wrong: usize,
}

pub(crate) async fn auto_match(o: &Options) -> anyhow::Result<Stats> {
    let seed: u64 = std::env::var("FERROBOOKS_BENCH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2026);
    let mut rng = StdRng::seed_from_u64(seed);
    let app = start_app(o, true).await?;
    let result = run(o, &app, &mut rng, seed).await;
    if result.is_ok() {
        check_books(&app).await?;
    }
    app.stop().await;
    result
}

async fn run(
    o: &Options,
    app: &crate::scenarios::App,
    rng: &mut StdRng,
    seed: u64,
) -> anyhow::Result<Stats> {
    let tag = "  auto_match      ";
    let bank = current_account(app).await?;
    let ctx = system_context(app).await?;
    let names = names(rng);

    // The books: contacts, then the payments, through the service layer.
    let t_load = Instant::now();
    let contacts = {
        let (s, c, names) = (app.services.clone(), ctx.clone(), Arc::new(names.clone()));
        par_map(CUSTOMERS + VENDORS, LOADERS, move |i| {
            let (s, c, names) = (s.clone(), c.clone(), names.clone());
            async move {
                let party = if i < CUSTOMERS {
                    Party::Customer
                } else {
                    Party::Vendor
                };
                let input = ContactInput {
                    name: Some(names[i].clone()),
                    ..Default::default()
                };
                s.create_contact(&c, party, input).await.map(|v| v.id)
            }
        })
        .await
        .into_iter()
        .collect::<Result<Vec<String>, _>>()
        .map_err(|e| anyhow::anyhow!("creating a contact: {e}"))?
    };
    let t_contacts = t_load.elapsed();
    let start = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let mut items: Vec<Item> = (0..ITEMS)
        .map(|_| {
            let received = rng.gen_bool(RECEIVED);
            Item {
                received,
                contact: if received {
                    rng.gen_range(0..CUSTOMERS)
                } else {
                    CUSTOMERS + rng.gen_range(0..VENDORS)
                },
                date: start + chrono::Days::new(rng.gen_range(0..31)),
                cents: log_uniform_cents(rng),
                entry_id: String::new(),
                number: String::new(),
            }
        })
        .collect();
    let t_pay = Instant::now();
    let posted = {
        let plan: Arc<Vec<(bool, String, String, String)>> = Arc::new(
            items
                .iter()
                .map(|it| {
                    (
                        it.received,
                        contacts[it.contact].clone(),
                        it.date.to_string(),
                        money(it.cents),
                    )
                })
                .collect(),
        );
        let (s, c, bank) = (app.services.clone(), ctx.clone(), bank.clone());
        par_map(ITEMS, LOADERS, move |i| {
            let (s, c, bank, plan) = (s.clone(), c.clone(), bank.clone(), plan.clone());
            async move {
                let (received, contact, date, amount) = plan[i].clone();
                let input = PaymentInput {
                    contact_id: contact,
                    date: Some(date),
                    amount: DecimalText(amount),
                    currency: None,
                    exchange_rate: None,
                    account_id: Some(bank),
                    method: None,
                    reference: None,
                    applications: Vec::new(),
                };
                let side = if received { Side::Sale } else { Side::Purchase };
                s.create_payment(&c, side, input)
                    .await
                    .map(|v| (v.journal_entry_id.unwrap_or_default(), v.number))
            }
        })
        .await
    };
    for (it, r) in items.iter_mut().zip(posted) {
        let (entry, number) = r.map_err(|e| anyhow::anyhow!("creating a payment: {e}"))?;
        it.entry_id = entry;
        it.number = number.unwrap_or_default();
    }
    let t_payments = t_pay.elapsed();
    println!(
        "{tag} load (service layer in-process, {LOADERS} at a time): {} contacts in {:.1} s, \
         {ITEMS} payments ({} received, {} bill payments) in {:.1} s = {:.0}/s; seed {seed}",
        contacts.len(),
        t_contacts.as_secs_f64(),
        items.iter().filter(|i| i.received).count(),
        items.iter().filter(|i| !i.received).count(),
        t_payments.as_secs_f64(),
        ITEMS as f64 / t_payments.as_secs_f64()
    );

    // The statement.
    let mut lines = statement(&items, &names, rng);
    let mut csv = String::from("Date,Amount,Description,Payee,Id\n");
    for (n, l) in lines.iter().enumerate() {
        csv.push_str(&format!(
            "{},{},{},{},TX{n:06}\n",
            l.date,
            money(l.cents),
            l.description,
            l.payee.as_deref().unwrap_or("")
        ));
    }
    let singles = lines
        .iter()
        .filter(|l| matches!(l.truth, Truth::Single(_)))
        .count();
    let combined: Vec<usize> = lines
        .iter()
        .filter_map(|l| match &l.truth {
            Truth::Combined(g) => Some(g.len()),
            _ => None,
        })
        .collect();
    let fees = lines
        .iter()
        .filter(|l| matches!(l.truth, Truth::Fee))
        .count();
    println!(
        "{tag} statement: {} lines ({singles} of one payment, {} combined deposits of {} payments, \
         {fees} fees), {} KB of CSV",
        lines.len(),
        combined.len(),
        combined.iter().sum::<usize>(),
        csv.len() / 1024
    );

    // Import, list, and the first suggestions.
    let client = http_client();
    let mapping = r#"{"date": "Date", "date_format": "%Y-%m-%d", "amount": "Amount", "description": "Description", "payee": "Payee", "transaction_id": "Id"}"#;
    let (content_type, body) = multipart(&csv, mapping);
    let uri = format!("{}/api/v1/bank_accounts/{bank}/statements", app.base);
    let t0 = Instant::now();
    let (new, dup, import) = upload(&client, &uri, &app.key, &content_type, body).await?;
    anyhow::ensure!(
        usize::try_from(new).ok() == Some(lines.len()) && dup == 0,
        "import: {new} new, {dup} duplicates; expected {} new",
        lines.len()
    );
    let by_tx: HashMap<String, usize> =
        (0..lines.len()).map(|n| (format!("TX{n:06}"), n)).collect();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    let mut first_suggestions: Option<Duration> = None;
    let mut first_call = Duration::ZERO;
    let t_list = Instant::now();
    loop {
        let mut path = format!("/api/v1/bank_transactions?bank_account_id={bank}&limit=100");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={}", encode(c)));
        }
        let (page, _) = call(&client, app, Method::GET, &path, None, 200).await?;
        pages += 1;
        for row in page["data"].as_array().into_iter().flatten() {
            let (Some(id), Some(tx)) = (row["id"].as_str(), row["bank_transaction_id"].as_str())
            else {
                anyhow::bail!("a listed line without id or bank id: {row}");
            };
            let n = *by_tx
                .get(tx)
                .ok_or_else(|| anyhow::anyhow!("unknown bank id {tx}"))?;
            lines[n].id = id.to_owned();
            if first_suggestions.is_none() {
                let (_, took) = call(
                    &client,
                    app,
                    Method::GET,
                    &format!("/api/v1/bank_transactions/{id}/suggestions"),
                    None,
                    200,
                )
                .await?;
                first_suggestions = Some(t0.elapsed());
                first_call = took;
            }
        }
        match (page["has_more"].as_bool(), page["next_cursor"].as_str()) {
            (Some(true), Some(c)) => cursor = Some(c.to_owned()),
            _ => break,
        }
    }
    let listing = t_list.elapsed().saturating_sub(first_call);
    anyhow::ensure!(
        lines.iter().all(|l| !l.id.is_empty()),
        "some imported lines were not listed"
    );
    println!(
        "{tag} import {} ms ({:.0} lines/s); listing {} ms ({pages} pages of 100); \
         time to first suggestions {} ms (import + first page + one /suggestions of {} ms)",
        import.as_millis(),
        lines.len() as f64 / import.as_secs_f64(),
        listing.as_millis(),
        first_suggestions.unwrap_or_default().as_millis(),
        first_call.as_millis()
    );

    // Suggestions for every line, in random order, until the budget is
    // spent (what is asked is then a random sample).
    let budget = std::env::var("FERROBOOKS_BENCH_SUGGEST_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(BUDGET_SECONDS);
    let budget = (budget > 0).then(|| Duration::from_secs(budget));
    let ids: Arc<Vec<String>> = Arc::new(lines.iter().map(|l| l.id.clone()).collect());
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.shuffle(rng);
    let order = Arc::new(order);
    let t_sugg = Instant::now();
    let answers = {
        let (client, base, key, ids, order) = (
            client.clone(),
            app.base.clone(),
            app.key.clone(),
            ids.clone(),
            order.clone(),
        );
        par_map(lines.len(), o.clients, move |k| {
            let (client, base, key, ids) = (client.clone(), base.clone(), key.clone(), ids.clone());
            let i = order[k];
            async move {
                if budget.is_some_and(|b| t_sugg.elapsed() >= b) {
                    return (i, None);
                }
                let t = Instant::now();
                let body = crate::client::request_body(
                    &client,
                    Method::GET,
                    &format!("{base}/api/v1/bank_transactions/{}/suggestions", ids[i]),
                    Some(&key),
                    None,
                    200,
                    None,
                )
                .await;
                let took = t.elapsed().as_micros() as u64;
                let list = body.and_then(|b| serde_json::from_slice::<Vec<Suggestion>>(&b).ok());
                (i, Some((list, took)))
            }
        })
        .await
    };
    let wall = t_sugg.elapsed();
    let mut sugg: Vec<Option<Vec<Suggestion>>> = (0..lines.len()).map(|_| None).collect();
    let mut lat: Vec<u64> = Vec::new();
    let mut errors = 0;
    for (i, answer) in answers {
        if let Some((list, took)) = answer {
            lat.push(took);
            errors += usize::from(list.is_none());
            sugg[i] = Some(list.unwrap_or_default());
        }
    }
    lat.sort_unstable();
    anyhow::ensure!(errors == 0, "{errors} /suggestions calls failed");
    let asked = lat.len();
    let stats = Stats {
        per_sec: asked as f64 / wall.as_secs_f64(),
        p50_us: pct(&lat, 0.50),
        p99_us: pct(&lat, 0.99),
        count: asked,
        errors,
    };
    println!(
        "{tag} suggestions: {asked} of {} lines{} in {:.1} s by {} clients = {:.1}/s, p50 {} us, p99 {} us",
        lines.len(),
        if asked < lines.len() {
            format!(
                " (a random sample: the {} s budget, FERROBOOKS_BENCH_SUGGEST_SECONDS, ran out)",
                budget.unwrap_or_default().as_secs()
            )
        } else {
            String::new()
        },
        wall.as_secs_f64(),
        o.clients,
        stats.per_sec,
        stats.p50_us,
        stats.p99_us
    );

    // Against the truth.
    let offline = Offline::new(&items, &names);
    let (mut right, mut none, mut listed, mut window_sum) = (0, 0, 0, 0);
    let mut combo_right = 0;
    let (mut rule_right, mut ambiguous) = (0, 0);
    let mut tally = [Tally::default(); TABLE.len()];
    let mut rule_tally = [Tally::default(); TABLE.len()];
    let mut other = [0usize; TABLE.len()];
    let (mut fee_any, mut combo_any) = (0, 0);
    let mut days_hist = [0usize; 5];
    let mut asked_singles = 0;
    let (mut asked_fees, mut asked_combos) = (0, 0);
    for (l, answer) in lines.iter().zip(&sugg) {
        let top = answer.as_ref().and_then(|s| s.first());
        match &l.truth {
            Truth::Single(i) => {
                let it = &items[*i];
                let truth = [it.line_id()];
                days_hist[usize::try_from((l.date - it.date).num_days())
                    .unwrap_or(0)
                    .min(4)] += 1;
                // What the rule gives over the whole window: every line.
                window_sum += offline.window_len(l);
                let (candidates, best) = offline.best(l);
                ambiguous += usize::from(candidates > 1);
                let rule_ok = best.is_some_and(|(b, _)| b == *i);
                rule_right += usize::from(rule_ok);
                for (k, th) in TABLE.iter().enumerate() {
                    if let Some((_, sc)) = best
                        && sc >= *th
                    {
                        rule_tally[k].taken += 1;
                        rule_tally[k].wrong += usize::from(!rule_ok);
                    }
                }
                // What the endpoint gave: the lines asked.
                let Some(s) = answer else { continue };
                asked_singles += 1;
                let ok = top.is_some_and(|t| t.is(&truth));
                right += usize::from(ok);
                none += usize::from(top.is_none());
                listed += usize::from(s.iter().any(|t| t.is(&truth)));
                for (k, th) in TABLE.iter().enumerate() {
                    if let Some(t) = top
                        && t.score >= *th
                    {
                        tally[k].taken += 1;
                        tally[k].wrong += usize::from(!ok);
                    }
                }
            }
            Truth::Combined(_) | Truth::Fee => {
                if answer.is_none() {
                    continue;
                }
                if matches!(l.truth, Truth::Fee) {
                    asked_fees += 1;
                    fee_any += usize::from(top.is_some());
                } else {
                    asked_combos += 1;
                    combo_any += usize::from(top.is_some());
                    if let Truth::Combined(g) = &l.truth {
                        let truth: Vec<String> = g.iter().map(|&i| items[i].line_id()).collect();
                        combo_right += usize::from(top.is_some_and(|t| t.is(&truth)));
                    }
                }
                for (k, th) in TABLE.iter().enumerate() {
                    other[k] += usize::from(top.is_some_and(|t| t.score >= *th));
                }
            }
        }
    }
    let k85 = TABLE.iter().position(|t| *t == THRESHOLD).unwrap_or(0);
    println!(
        "{tag} single-payment lines: {singles} (statement dates late by 0/1/2/3/4 days: {:?}); \
         {asked_singles} asked",
        days_hist
    );
    println!(
        "{tag}   top suggestion is the right payment: {:.1}% of those asked  (target >= 95%)",
        share(right, asked_singles)
    );
    println!(
        "{tag}   no suggestion at all: {:.1}%; right payment anywhere in the (up to 5) suggestions: {:.1}%",
        share(none, asked_singles),
        share(listed, asked_singles)
    );
    println!(
        "{tag}   threshold {THRESHOLD}: taken for {:.1}% of single lines, wrongly for {:.2}% \
         ({} lines; target <= 0.1%)",
        share(tally[k85].taken, asked_singles),
        share(tally[k85].wrong, asked_singles),
        tally[k85].wrong
    );
    println!(
        "{tag}   by threshold: endpoint (lines asked) | the score rule over the whole window \
         (all {singles} single lines, computed here)"
    );
    for (k, th) in TABLE.iter().enumerate() {
        println!(
            "{tag}     >= {th:>3}: taken {:>5.1}% wrong {:>5.2}% | taken {:>5.1}% wrong {:>5.2}%; \
             fee or combined lines asked at or above it: {}",
            share(tally[k].taken, asked_singles),
            share(tally[k].wrong, asked_singles),
            share(rule_tally[k].taken, singles),
            share(rule_tally[k].wrong, singles),
            other[k]
        );
    }
    println!(
        "{tag} combined deposits: {}; of {asked_combos} asked, {combo_any} got a suggestion, the top one \
         the right group for {combo_right} ({:.1}%), {} at >= {THRESHOLD}; fees: {fees}, of \
         {asked_fees} asked {fee_any} got a suggestion",
        combined.len(),
        share(combo_right, asked_combos),
        lines
            .iter()
            .zip(&sugg)
            .filter(|(l, s)| matches!(l.truth, Truth::Combined(_))
                && s.as_ref()
                    .and_then(|s| s.first())
                    .is_some_and(|t| t.score >= THRESHOLD))
            .count()
    );
    println!(
        "{tag} diagnosis: a line's +-10-day window holds {:.0} ledger lines of the account on average",
        window_sum as f64 / singles.max(1) as f64,
    );
    println!(
        "{tag} diagnosis: the same score rule over the whole window gives top-1 right {:.1}%; \
         {:.1}% of single lines have another payment of the same amount in their window",
        share(rule_right, singles),
        share(ambiguous, singles)
    );

    // The auto-matcher: every line not a combined deposit whose top
    // suggestion scores at least THRESHOLD, over HTTP.
    let todo: Vec<(usize, String)> = lines
        .iter()
        .zip(&sugg)
        .enumerate()
        .filter(|(_, (l, _))| !matches!(l.truth, Truth::Combined(_)))
        .filter_map(|(n, (_, s))| {
            s.as_ref()?
                .first()
                .filter(|t| t.score >= THRESHOLD)
                .map(|t| (n, t.lines[0].line_id.clone()))
        })
        .collect();
    let todo = Arc::new(todo);
    let t_match = Instant::now();
    let outcomes = {
        let (client, base, key, ids, todo) = (
            client.clone(),
            app.base.clone(),
            app.key.clone(),
            ids.clone(),
            todo.clone(),
        );
        par_map(todo.len(), o.clients, move |k| {
            let (client, base, key, ids, todo) = (
                client.clone(),
                base.clone(),
                key.clone(),
                ids.clone(),
                todo.clone(),
            );
            async move {
                let (n, line) = &todo[k];
                let t = Instant::now();
                let ok = crate::client::request(
                    &client,
                    Method::POST,
                    &format!("{base}/api/v1/bank_transactions/{}/match", ids[*n]),
                    Some(&key),
                    Some(hyper::body::Bytes::from(
                        serde_json::json!({ "lines": [line] }).to_string(),
                    )),
                    200,
                )
                .await;
                (ok, t.elapsed().as_micros() as u64)
            }
        })
        .await
    };
    let match_wall = t_match.elapsed();
    let mut mlat: Vec<u64> = outcomes.iter().map(|(_, t)| *t).collect();
    mlat.sort_unstable();
    let matched = outcomes.iter().filter(|(ok, _)| *ok).count();
    let matched_right = todo
        .iter()
        .zip(&outcomes)
        .filter(|((n, line), (ok, _))| {
            *ok && matches!(&lines[*n].truth, Truth::Single(i) if items[*i].line_id() == *line)
        })
        .count();
    let (in_store,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM bank_transactions \
         WHERE organization_id = $1 AND status = 'matched'",
    )
    .bind(&app.org_id)
    .fetch_one(app.services.store.pool())
    .await?;
    println!(
        "{tag} auto-match at >= {THRESHOLD}: {} POST /match in {:.1} s = {:.0}/s, p50 {} us, p99 {} us; \
         {matched} answered 200 ({in_store} matched in the store), {} refused (the ledger line \
         was taken by another statement line); {matched_right} right, {} wrong",
        todo.len(),
        match_wall.as_secs_f64(),
        todo.len() as f64 / match_wall.as_secs_f64(),
        pct(&mlat, 0.50),
        pct(&mlat, 0.99),
        todo.len() - matched,
        matched - matched_right
    );
    Ok(stats)
}
