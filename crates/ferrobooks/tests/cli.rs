//! The binary itself: first run, subcommands, serving, graceful shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `serve` and waits until it answers; returns the child and the
/// lines it printed on stdout before listening.
fn serve(dir: &std::path::Path, port: u16) -> (Child, Vec<String>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .env_remove("FERROBOOKS_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Anything printed before listening is in the pipe by now.
    let mut printed = Vec::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_millis(300)) {
        printed.push(line);
    }
    (child, printed)
}

fn stop(mut child: Child) {
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "serve exits cleanly on SIGTERM: {status}");
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "serve ignored SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn first_run_prints_a_working_key_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (child, printed) = serve(dir.path(), port);
    assert!(dir.path().join("ferrobooks.db").exists());
    let key = printed
        .iter()
        .find(|l| l.starts_with("sk_live_"))
        .cloned()
        .unwrap_or_else(|| panic!("no key printed: {printed:?}"));
    let rt = tokio_like_get(port, "/api/v1/organization", Some(&key));
    assert!(rt.contains("Demo Company"), "{rt}");
    stop(child);
    // A second start prints no key.
    let (child, printed) = serve(dir.path(), port);
    assert!(
        printed.iter().all(|l| !l.starts_with("sk_live_")),
        "{printed:?}"
    );
    stop(child);
}

#[test]
fn orgs_and_keys_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(dir.path(), &["migrate"]);
    assert!(ok, "{err}");
    let (ok, org, err) = run(
        dir.path(),
        &[
            "orgs",
            "create",
            "--name",
            "Acme India",
            "--currency",
            "INR",
            "--country",
            "IN",
            "--state",
            "KA",
        ],
    );
    assert!(ok, "{err}");
    let org = org.trim().to_owned();
    assert!(org.starts_with("org_"), "{org}");
    let (ok, key, err) = run(
        dir.path(),
        &[
            "keys",
            "create",
            "--org",
            &org,
            "--name",
            "ci",
            "--tier",
            "professional",
            "--scopes",
            "accounts:read,reports:read",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(key.lines().count(), 1, "the key alone on stdout");
    let key = key.trim().to_owned();
    assert!(key.starts_with("sk_live_") && key.len() == 72, "{key}");
    // Bad input: a clear message and a failing exit code.
    let (ok, _, err) = run(
        dir.path(),
        &["keys", "create", "--org", "org_nope", "--name", "x"],
    );
    assert!(!ok && err.contains("org_nope"), "{err}");
    let (ok, _, err) = run(
        dir.path(),
        &[
            "orgs",
            "create",
            "--name",
            "X",
            "--currency",
            "RUPEES",
            "--country",
            "IN",
        ],
    );
    assert!(!ok && err.contains("currency"), "{err}");
    let (ok, _, err) = run(dir.path(), &["migrate", "--database-url", "mysql://nope"]);
    assert!(!ok && err.contains("unsupported database URL"), "{err}");

    let port = free_port();
    let (child, printed) = serve(dir.path(), port);
    assert!(
        printed.iter().all(|l| !l.starts_with("sk_live_")),
        "not an empty database"
    );
    let body = tokio_like_get(port, "/api/v1/accounts?search=IGST", Some(&key));
    assert!(body.contains("Output IGST"), "{body}");
    let body = tokio_like_get(port, "/api/v1/journal_entries", Some(&key));
    assert!(body.contains("insufficient_scope"), "{body}");
    stop(child);
}

/// A blocking GET through reqwest's async client on a small runtime.
fn tokio_like_get(port: u16, path: &str, key: Option<&str>) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut req = reqwest::Client::new().get(format!("http://127.0.0.1:{port}{path}"));
        if let Some(k) = key {
            req = req.bearer_auth(k);
        }
        req.send().await.unwrap().text().await.unwrap()
    })
}

#[test]
fn a_zero_due_date_interval_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--database-url", "sqlite://fb.db"])
        .current_dir(dir.path())
        .env_remove("FERROBOOKS_DATABASE_URL")
        .env("FERROBOOKS_DUE_DATE_INTERVAL", "0s")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run ferrobooks");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("FERROBOOKS_DUE_DATE_INTERVAL"), "{err}");
}
