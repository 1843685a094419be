//! What the random flow tests share: exact amounts from and to their
//! decimal text, and reading every page of a list.

use ferrobooks_testkit::TestApp;

/// Minor units from an exact decimal amount text (`-12.30`).
pub fn cents(s: &str) -> i64 {
    let neg = s.starts_with('-');
    let (w, f) = s
        .trim_start_matches('-')
        .split_once('.')
        .unwrap_or((s, "00"));
    let v = w.parse::<i64>().unwrap() * 100 + format!("{f:0<2}")[..2].parse::<i64>().unwrap();
    if neg { -v } else { v }
}

pub fn amt(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

pub async fn all(app: &TestApp, path: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let r = app
            .get(&format!("{path}?limit=100&cursor={cursor}"))
            .await
            .expect(200);
        out.extend(r.json["data"].as_array().unwrap().iter().cloned());
        match r.json["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => return out,
        }
    }
}

pub fn c_of(v: &serde_json::Value, k: &str) -> i64 {
    // Amounts are JSON numbers written exactly; serde_json's arbitrary
    // precision is off, so read them back through their text.
    cents(&v[k].to_string())
}
