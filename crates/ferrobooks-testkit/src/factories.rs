//! Factories and readers over the native API: the usual records (a
//! customer, an approved invoice, a tax by name) and postings read back as
//! account codes, for any surface's tests to set up and check the books.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::{TestApp, raw_at};

/// Account id -> code, for every account of the organization.
pub async fn codes(app: &TestApp) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut cursor = String::new();
    loop {
        let r = app
            .get(&format!("/api/v1/accounts?limit=100&cursor={cursor}"))
            .await
            .expect(200);
        for a in r.json["data"].as_array().unwrap() {
            out.insert(
                a["id"].as_str().unwrap().to_owned(),
                a["code"].as_str().unwrap().to_owned(),
            );
        }
        match r.json["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => return out,
        }
    }
}

/// The lines of a journal entry as `Dr 1100 11210.00` (contact marked with
/// `*`; a foreign-currency account's amount after it: `Dr 1250 108.50
/// (EUR 100.00)`), sorted.
pub async fn posting(app: &TestApp, entry_id: &str) -> Vec<String> {
    let codes = codes(app).await;
    let r = app
        .get(&format!("/api/v1/journal_entries/{entry_id}"))
        .await
        .expect(200);
    let mut out = Vec::new();
    for (i, l) in r.json["lines"].as_array().unwrap().iter().enumerate() {
        let code = &codes[l["account_id"].as_str().unwrap()];
        let debit = raw_at(&r.text, &format!("/lines/{i}/debit"));
        let credit = raw_at(&r.text, &format!("/lines/{i}/credit"));
        let star = if l["contact_id"].is_string() { "*" } else { "" };
        let zero = |s: &str| s.chars().all(|c| c == '0' || c == '.');
        // A line of an account kept in another currency shows that amount.
        let foreign = match l["currency"].as_str() {
            Some(c) => format!(
                " ({c} {})",
                raw_at(&r.text, &format!("/lines/{i}/currency_amount"))
            ),
            None => String::new(),
        };
        if !zero(&debit) {
            out.push(format!("Dr {code}{star} {debit}{foreign}"));
        } else {
            out.push(format!("Cr {code}{star} {credit}{foreign}"));
        }
    }
    out.sort();
    out
}

/// Expected lines, sorted like [`posting`].
pub fn lines(expected: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

pub async fn customer(app: &TestApp, body: Value) -> String {
    app.post("/api/v1/customers", body)
        .await
        .expect(201)
        .str("/id")
}

/// A tax of the catalogue by name.
pub async fn tax_named(app: &TestApp, name: &str) -> String {
    let r = app.get("/api/v1/taxes?limit=100").await.expect(200);
    r.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no tax {name}: {}", r.text))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Creates and approves an invoice; returns its JSON.
pub async fn approved_invoice(app: &TestApp, body: Value) -> crate::Resp {
    let id = app
        .post("/api/v1/invoices", body)
        .await
        .expect(201)
        .str("/id");
    app.post(&format!("/api/v1/invoices/{id}/approve"), json!({}))
        .await
        .expect(200)
}

/// Event types of the organization's outbox, in order, with a prefix.
pub async fn events(app: &TestApp, prefix: &str) -> Vec<String> {
    let mut conn = app.services.store.pool().acquire().await.unwrap();
    ferrobooks_store::outbox::list(&mut conn, &app.org_id)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| k.starts_with(prefix))
        .collect()
}
