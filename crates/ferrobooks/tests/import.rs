//! `ferrobooks import`, and an import cut off by a killed process that
//! finishes after a restart with nothing made twice and nothing lost.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_ferrobooks");

fn run(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("FERROBOOKS_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run ferrobooks");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn setup(dir: &std::path::Path) -> (String, String) {
    let (ok, org, err) = run(
        dir,
        &[
            "orgs",
            "create",
            "--name",
            "Import Co",
            "--currency",
            "USD",
            "--country",
            "US",
        ],
    );
    assert!(ok, "{err}");
    let org = org.trim().to_owned();
    let (ok, key, err) = run(
        dir,
        &[
            "keys",
            "create",
            "--org",
            &org,
            "--name",
            "t",
            "--tier",
            "enterprise",
        ],
    );
    assert!(ok, "{err}");
    (org, key.trim().to_owned())
}

/// A server that is killed when the test ends, passed or not.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &std::path::Path, port: u16) -> Server {
    let child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .env_remove("FERROBOOKS_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Server(child)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn invoices_csv(invoices: usize) -> String {
    let mut s = String::from("Invoice #,Customer,Date,Item,Amount\n");
    for i in 0..invoices {
        for l in 0..2 {
            s.push_str(&format!(
                "K{i:05},Customer {},2027-01-{:02},Item {},{}.{:02}\n",
                i % 5,
                1 + i % 28,
                l,
                10 + i % 90,
                l * 25
            ));
        }
    }
    s
}

struct Api {
    rt: tokio::runtime::Runtime,
    base: String,
    key: String,
}

impl Api {
    fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        self.rt.block_on(async {
            let mut r = reqwest::Client::new()
                .request(method, format!("{}{path}", self.base))
                .bearer_auth(&self.key);
            if let Some(b) = body {
                r = r.json(&b);
            }
            let res = r.send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json().await.unwrap_or(Value::Null))
        })
    }

    fn text(&self, path: &str) -> String {
        self.rt.block_on(async {
            let r = reqwest::Client::new()
                .get(format!("{}{path}", self.base))
                .bearer_auth(&self.key);
            r.send().await.unwrap().text().await.unwrap()
        })
    }

    fn upload(&self, path: &str, mapping: &str, file: String) -> Value {
        self.rt.block_on(async {
            let form = reqwest::multipart::Form::new()
                .text("mappingId", mapping.to_owned())
                .part(
                    "file",
                    reqwest::multipart::Part::text(file).file_name("big.csv"),
                );
            let res = reqwest::Client::new()
                .post(format!("{}{path}", self.base))
                .bearer_auth(&self.key)
                .multipart(form)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 202);
            res.json().await.unwrap()
        })
    }
}

#[test]
fn an_import_cut_off_by_a_killed_process_finishes_after_restart_once() {
    let dir = tempfile::tempdir().unwrap();
    let (org, key) = setup(dir.path());
    let port = free_port();
    let child = serve(dir.path(), port);
    let api = Api {
        rt: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
        base: format!("http://127.0.0.1:{port}"),
        key,
    };
    for c in 0..5 {
        assert_eq!(
            api.send(
                reqwest::Method::POST,
                "/api/v1/customers",
                Some(json!({"name": format!("Customer {c}")}))
            )
            .0,
            201
        );
    }
    for i in 0..2 {
        assert_eq!(
            api.send(
                reqwest::Method::POST,
                "/api/v1/products",
                Some(json!({"name": format!("Item {i}"), "type": "service"}))
            )
            .0,
            201
        );
    }
    let company = format!("/api/v1/companies/{org}");
    let (s, mapping) = api.send(
        reqwest::Method::POST,
        &format!("{company}/mappings"),
        Some(json!({
        "title": "m", "entityName": "Invoice", "fields": [
            {"sourceFieldTitle": "Invoice #", "targetFieldId": "231"},
            {"sourceFieldTitle": "Customer", "targetFieldId": "176"},
            {"sourceFieldTitle": "Date", "targetFieldId": "179"},
            {"sourceFieldTitle": "Item", "targetFieldId": "232"},
            {"sourceFieldTitle": "Amount", "targetFieldId": "237"}]})),
    );
    assert_eq!(s, 201, "{mapping}");
    let invoices = 8_000;
    let imp = api.upload(
        &format!("{company}/imports"),
        mapping["id"].as_str().unwrap(),
        invoices_csv(invoices),
    );
    let id = imp["id"].as_str().unwrap().to_owned();
    // Kill the server once some batches are in, none the last.
    let start = Instant::now();
    loop {
        let (_, v) = api.send(
            reqwest::Method::GET,
            &format!("{company}/imports/{id}"),
            None,
        );
        let done = v["progress"]["rowsDone"].as_i64().unwrap_or(0);
        assert!(
            v["status"] != "FINISHED",
            "the import ended before it could be cut off; make it larger"
        );
        if done > 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the import did not start: {v}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // SIGKILL: no shutdown, the batch in hand is lost with the process.
    drop(child);
    let child = serve(dir.path(), port);
    let start = Instant::now();
    let last = loop {
        let (_, v) = api.send(
            reqwest::Method::GET,
            &format!("{company}/imports/{id}"),
            None,
        );
        if v["status"] == "FINISHED"
            || v["status"] == "FAILED"
            || v["status"] == "FINISHED_WITH_WARNINGS"
        {
            break v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the import did not resume: {v}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(last["status"], "FINISHED", "{last}");
    assert_eq!(last["summary"]["succeeded"], invoices as u64, "{last}");
    // Every invoice once: as many documents and distinct numbers as
    // invoices in the file, and the receivable is the file's total.
    let (_, list) = api.send(
        reqwest::Method::GET,
        &format!("{company}/imports/{id}/results?perPage=1&type=ERROR"),
        None,
    );
    assert_eq!(list["pagination"]["total"], 0);
    // The receivable's debit as written (an exact decimal, never a float).
    let tb = api.text("/api/v1/reports/trial_balance?as_of=2027-12-31");
    let row = &tb[tb.find(r#""code":"1100""#).expect("a receivable row")..];
    let debit = &row[row.find(r#""debit":"#).unwrap() + 8..];
    let ar = &debit[..debit.find([',', '}']).unwrap()];
    let expected: u64 = (0..invoices)
        .map(|i| 2 * (10 + i as u64 % 90) * 100 + 25)
        .sum();
    assert_eq!(ar, format!("{}.{:02}", expected / 100, expected % 100));
    drop(api);
    drop(child);
    // One entry per invoice in the books, no more.
    let (ok, _, err) = run(dir.path(), &["export", "--org", &org, "--format", "ledger"]);
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!("{invoices} transactions written")),
        "{err}"
    );
}

#[test]
fn the_command_line_imports_with_auto_mapping_and_names_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (org, _) = setup(dir.path());
    let file = dir.path().join("contacts.csv");
    std::fs::write(&file, "Customer Name,Email,Currency\nAcme Corp,ap@acme.test,USD\nBeta Inc,not-an-email,USD\n,x@y.test,USD\n").unwrap();
    let (ok, out, err) = run(
        dir.path(),
        &[
            "import",
            "--org",
            &org,
            "--entity",
            "Customer",
            "--auto",
            "--dry-run",
            "contacts.csv",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("(dry run: nothing written)"), "{out}");
    let (ok, out, err) = run(
        dir.path(),
        &[
            "import",
            "--org",
            &org,
            "--entity",
            "Customer",
            "--auto",
            "contacts.csv",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("FINISHED_WITH_WARNINGS: 3 entities, 1 succeeded, 2 failed"),
        "{out}"
    );
    assert!(out.contains("row 4: DisplayName is required"), "{out}");
    assert!(out.contains("row 3:"), "{out}");
    let (ok, _, err) = run(
        dir.path(),
        &[
            "import",
            "--org",
            &org,
            "--entity",
            "Invoice",
            "--auto",
            "contacts.csv",
        ],
    );
    assert!(!ok);
    assert!(err.contains("Line.ItemRef.name"), "{err}");
    let (ok, _, err) = run(
        dir.path(),
        &[
            "import",
            "--org",
            &org,
            "--entity",
            "Invoice",
            "--mapping",
            "map_nope",
            "contacts.csv",
        ],
    );
    assert!(!ok);
    assert!(err.contains("Mapping not found"), "{err}");
}
