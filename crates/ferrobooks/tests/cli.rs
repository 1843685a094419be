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
    serve_logging(dir, port, "warn", Stdio::inherit())
}

/// [`serve`] with its log filter and where its log (stderr) goes.
fn serve_logging(
    dir: &std::path::Path,
    port: u16,
    filter: &str,
    log: Stdio,
) -> (Child, Vec<String>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .env_remove("FERROBOOKS_DATABASE_URL")
        .env("RUST_LOG", filter)
        .stdout(Stdio::piped())
        .stderr(log)
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
    // The demo owner's password is printed once too, and works.
    let line = printed
        .iter()
        .find(|l| l.starts_with("Demo owner demo@ferrobooks.local with the password "))
        .unwrap_or_else(|| panic!("no demo user printed: {printed:?}"));
    let password = line
        .trim_start_matches("Demo owner demo@ferrobooks.local with the password ")
        .split(' ')
        .next()
        .unwrap();
    assert_eq!(password.len(), 20, "{line}");
    stop(child);
    let (ok, token, err) = run(
        dir.path(),
        &[
            "users",
            "token",
            "--email",
            "demo@ferrobooks.local",
            "--org",
            "Demo Company",
            "--name",
            "cli",
        ],
    );
    assert!(ok && token.trim().starts_with("aibk_pat_"), "{err}");
    let (child, _) = serve(dir.path(), port);
    let me = tokio_like_get(port, "/api/v1/users", Some(token.trim()));
    assert!(
        me.contains("demo@ferrobooks.local") && !me.contains("argon2"),
        "{me}"
    );
    stop(child);
    // A second start prints no key and no password.
    let (child, printed) = serve(dir.path(), port);
    assert!(
        printed
            .iter()
            .all(|l| !l.starts_with("sk_live_") && !l.contains("password")),
        "{printed:?}"
    );
    stop(child);
}

#[test]
fn users_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(
        dir.path(),
        &[
            "orgs",
            "create",
            "--name",
            "Books Ltd",
            "--currency",
            "GBP",
            "--country",
            "GB",
        ],
    );
    assert!(ok, "{err}");
    let (ok, password, err) = run(
        dir.path(),
        &[
            "users",
            "create",
            "--email",
            "Ann@Example.com",
            "--role",
            "owner",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(password.trim().len(), 20, "the password alone: {password}");
    assert!(err.contains("ann@example.com"), "{err}");
    // An accountant needs an organization; a role must be one we know.
    let (ok, _, err) = run(
        dir.path(),
        &[
            "users",
            "create",
            "--email",
            "bo@example.com",
            "--role",
            "accountant",
        ],
    );
    assert!(!ok && err.contains("organization"), "{err}");
    let (ok, _, err) = run(
        dir.path(),
        &[
            "users",
            "create",
            "--email",
            "bo@example.com",
            "--role",
            "boss",
        ],
    );
    assert!(!ok && err.contains("role"), "{err}");
    let (ok, _, err) = run(
        dir.path(),
        &[
            "users",
            "create",
            "--email",
            "bo@example.com",
            "--role",
            "viewer",
            "--org",
            "Books Ltd",
        ],
    );
    assert!(ok, "{err}");
    let (ok, list, err) = run(dir.path(), &["users", "list"]);
    assert!(ok, "{err}");
    assert!(
        list.contains("\towner\tactive\tann@example.com")
            && list.contains("\tviewer\tactive\tbo@example.com"),
        "{list}"
    );
    let (ok, _, err) = run(
        dir.path(),
        &[
            "users",
            "token",
            "--email",
            "nobody@example.com",
            "--org",
            "Books Ltd",
            "--name",
            "x",
        ],
    );
    assert!(!ok && err.contains("nobody@example.com"), "{err}");
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

#[test]
fn a_busy_port_stops_serve_before_it_makes_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = blocker.local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let (ok, out, err) = run(dir.path(), &["serve", "--listen", &listen]);
    assert!(!ok, "serve must fail on a busy port");
    assert!(err.contains(&format!("cannot listen on {listen}")), "{err}");
    assert!(!out.contains("sk_live_"), "no key may be printed: {out}");
    assert!(
        !dir.path().join("ferrobooks.db").exists(),
        "nothing is created before the port is bound"
    );
    drop(blocker);
    let (child, printed) = serve(dir.path(), port);
    assert!(
        printed.iter().any(|l| l.starts_with("sk_live_")),
        "{printed:?}"
    );
    stop(child);
}

/// The key `serve` printed once can be replaced, listed and revoked from
/// the command line by the organization's name.
#[test]
fn a_lost_demo_key_is_replaced_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (child, printed) = serve(dir.path(), port);
    let first = printed
        .iter()
        .find(|l| l.starts_with("sk_live_"))
        .cloned()
        .unwrap();
    assert!(
        printed
            .iter()
            .any(|l| l.contains("keys create --org \"Demo Company\"")),
        "the first start says how to make another key: {printed:?}"
    );
    stop(child);

    let (ok, orgs, err) = run(dir.path(), &["orgs", "list"]);
    assert!(ok, "{err}");
    assert!(orgs.contains("\tUSD\tUS\tDemo Company"), "{orgs}");
    let (ok, second, err) = run(
        dir.path(),
        &[
            "keys",
            "create",
            "--org",
            "demo company",
            "--name",
            "Another key",
        ],
    );
    assert!(ok, "{err}");
    let second = second.trim().to_owned();
    let (ok, listed, err) = run(dir.path(), &["keys", "list", "--org", "Demo Company"]);
    assert!(ok, "{err}");
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(!listed.contains(&first[8..]), "never the secret: {listed}");
    let first_id = listed
        .lines()
        .find(|l| l.ends_with("\tDemo key"))
        .and_then(|l| l.split('\t').next())
        .unwrap()
        .to_owned();

    let (child, _) = serve(dir.path(), port);
    assert!(tokio_like_get(port, "/api/v1/organization", Some(&second)).contains("Demo Company"));
    assert!(tokio_like_get(port, "/api/v1/organization", Some(&first)).contains("Demo Company"));
    // Revoked by another process while `serve` runs: refused within seconds.
    let (ok, _, err) = run(dir.path(), &["keys", "revoke", &first_id]);
    assert!(ok, "{err}");
    let start = Instant::now();
    loop {
        let body = tokio_like_get(port, "/api/v1/organization", Some(&first));
        if body.contains("unauthorized") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "still accepted: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(tokio_like_get(port, "/api/v1/organization", Some(&second)).contains("Demo Company"));
    stop(child);
    let (ok, listed, _) = run(dir.path(), &["keys", "list", "--org", "Demo Company"]);
    assert!(ok && listed.contains("\trevoked\tDemo key"), "{listed}");
    let (ok, _, err) = run(dir.path(), &["keys", "revoke", &first_id]);
    assert!(!ok && err.contains("already revoked"), "{err}");
}

#[test]
fn the_cli_names_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let org = |args: &[&str]| {
        let mut all = vec!["orgs", "create", "--name", "X"];
        all.extend_from_slice(args);
        run(dir.path(), &all)
    };
    for (args, says) in [
        (
            &["--currency", "XYZ", "--country", "US"][..],
            "--currency: 'XYZ' is not an ISO 4217",
        ),
        (
            &["--currency", "USD", "--country", "ZZ"][..],
            "--country: 'ZZ' is not an ISO 3166",
        ),
        (
            &[
                "--currency",
                "USD",
                "--country",
                "US",
                "--state",
                "Atlantis",
            ][..],
            "--state: 'Atlantis'",
        ),
        (
            &["--currency", "INR", "--country", "IN", "--state", "99"][..],
            "--state: '99' is not a GST state",
        ),
    ] {
        let (ok, out, err) = org(args);
        assert!(!ok && err.contains(says), "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
    }
    let (ok, _, err) = run(dir.path(), &["orgs", "list"]);
    assert!(ok, "{err}");
    let (ok, id, err) = org(&["--currency", "usd", "--country", "us", "--state", "CA"]);
    assert!(ok, "{err}");
    for scopes in ["bogus:read", "invoices:delete", "root:*"] {
        let (ok, out, err) = run(
            dir.path(),
            &[
                "keys",
                "create",
                "--org",
                id.trim(),
                "--name",
                "k",
                "--scopes",
                scopes,
            ],
        );
        assert!(
            !ok && err.contains("--scopes[0]") && out.is_empty(),
            "{scopes}: {err}"
        );
    }
    let (ok, _, err) = run(
        dir.path(),
        &["keys", "create", "--org", "Nobody", "--name", "k"],
    );
    assert!(
        !ok && err.contains("no organization has the id or name 'Nobody'"),
        "{err}"
    );
    let (ok, _, err) = run(dir.path(), &["keys", "revoke", "key_nope"]);
    assert!(!ok && err.contains("key_nope"), "{err}");
}

#[test]
fn unreachable_databases_are_named_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let (ok, _, err) = run(
        dir.path(),
        &[
            "migrate",
            "--database-url",
            "postgres://postgres@127.0.0.1:1/books",
        ],
    );
    assert!(!ok, "{err}");
    assert!(
        err.contains("cannot connect to PostgreSQL at 127.0.0.1:1: connection refused"),
        "{err}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    let missing = dir.path().join("no-such-dir").join("books.db");
    let (ok, _, err) = run(
        dir.path(),
        &[
            "migrate",
            "--database-url",
            &format!("sqlite://{}", missing.display()),
        ],
    );
    assert!(!ok && err.contains("does not exist"), "{err}");
    let ro = dir.path().join("ro.db");
    std::fs::write(&ro, b"").unwrap();
    let mut perm = std::fs::metadata(&ro).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&ro, perm).unwrap();
    let (ok, _, err) = run(
        dir.path(),
        &[
            "migrate",
            "--database-url",
            &format!("sqlite://{}", ro.display()),
        ],
    );
    assert!(!ok && err.contains("read-only"), "{err}");
}

/// The same commands against PostgreSQL.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set"
)]
fn orgs_and_keys_on_postgres() {
    let admin = std::env::var("FERROBOOKS_TEST_POSTGRES_URL").unwrap();
    let db = format!("fb_cli_{}", std::process::id());
    let psql = |sql: &str| {
        let ok = Command::new("psql")
            .args([admin.as_str(), "-Atqc", sql])
            .status()
            .expect("psql")
            .success();
        assert!(ok, "{sql}");
    };
    psql(&format!("DROP DATABASE IF EXISTS {db}"));
    psql(&format!("CREATE DATABASE {db}"));
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(b, _)| b)
        .to_owned();
    let url = format!("{base}/{db}");
    let dir = tempfile::tempdir().unwrap();
    let with = |args: &[&str]| {
        let mut all = vec!["--database-url", url.as_str()];
        all.extend_from_slice(args);
        run(dir.path(), &all)
    };
    let (ok, id, err) = with(&[
        "orgs",
        "create",
        "--name",
        "Acme UK",
        "--currency",
        "GBP",
        "--country",
        "GB",
    ]);
    assert!(ok, "{err}");
    let (ok, orgs, err) = with(&["orgs", "list"]);
    assert!(
        ok && orgs.contains(&format!("{}\tGBP\tGB\tAcme UK", id.trim())),
        "{orgs} {err}"
    );
    let (ok, key, err) = with(&["keys", "create", "--org", "Acme UK", "--name", "ci"]);
    assert!(ok && key.starts_with("sk_live_"), "{err}");
    let (ok, listed, err) = with(&["keys", "list", "--org", id.trim()]);
    assert!(ok && listed.contains("\tactive\tci"), "{listed} {err}");
    let key_id = listed.split('\t').next().unwrap().to_owned();
    let (ok, _, err) = with(&["keys", "revoke", &key_id]);
    assert!(ok, "{err}");
    let (ok, listed, _) = with(&["keys", "list", "--org", "acme uk"]);
    assert!(ok && listed.contains("\trevoked\tci"), "{listed}");
    psql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
}

/// The example configuration in the repository is valid and states the
/// defaults: a server started with it behaves as one started without.
#[test]
fn the_example_configuration_is_valid() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ferrobooks.example.toml");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(example, dir.path().join("ferrobooks.toml")).unwrap();
    let (ok, _, err) = run(dir.path(), &["migrate"]);
    assert!(ok, "{err}");
    assert!(
        dir.path().join("ferrobooks.db").exists(),
        "database_url as stated"
    );
    let text = std::fs::read_to_string(example).unwrap();
    std::fs::write(
        dir.path().join("ferrobooks.toml"),
        text.replace("timeout = \"10s\"", "timout = \"10s\""),
    )
    .unwrap();
    let (ok, _, err) = run(dir.path(), &["migrate"]);
    assert!(
        !ok && err.contains("timout"),
        "a misspelled key is refused: {err}"
    );
}

/// The jobs of the database at `url`, as (kind, status).
fn jobs_at(url: &str) -> Vec<(String, String)> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = ferrobooks_store::Store::connect(url).await.unwrap();
            let mut all = Vec::new();
            for kind in [
                "due_dates",
                "webhook_delivery",
                "idempotency_sweep",
                "retention",
                "ratelimit_sweep",
            ] {
                for j in ferrobooks_store::jobs::list(&store, kind).await.unwrap() {
                    all.push((j.kind, j.status));
                }
            }
            store.close().await;
            all
        })
}

#[test]
fn commands_schedule_nothing_and_the_worker_needs_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(
        dir.path(),
        &[
            "orgs",
            "create",
            "--name",
            "Jobs Co",
            "--currency",
            "USD",
            "--country",
            "US",
        ],
    );
    assert!(ok, "{err}");
    let (ok, _, err) = run(
        dir.path(),
        &["keys", "create", "--org", "Jobs Co", "--name", "k"],
    );
    assert!(ok, "{err}");
    let url = format!("sqlite://{}", dir.path().join("ferrobooks.db").display());
    assert_eq!(jobs_at(&url), [], "a CLI command queued or ran jobs");
    let (ok, _, err) = run(dir.path(), &["worker"]);
    assert!(!ok);
    assert!(err.contains("needs PostgreSQL"), "{err}");
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set"
)]
fn the_worker_runs_jobs_until_sigterm() {
    let (url, drop_db) = fresh_postgres("fb_worker");
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(BIN)
        .args(["--database-url", &url, "worker"])
        .current_dir(dir.path())
        .env("FERROBOOKS_WEBHOOKS_SWEEP_INTERVAL", "1s")
        .env("RUST_LOG", "warn")
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !jobs_at(&url).contains(&("webhook_delivery".into(), "done".into())) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the worker ran no job: {:?}",
            jobs_at(&url)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    stop(child);
    drop_db();
}

/// A new PostgreSQL database named `prefix_<pid>`: its URL, and what drops it.
fn fresh_postgres(prefix: &str) -> (String, impl Fn()) {
    let admin = std::env::var("FERROBOOKS_TEST_POSTGRES_URL").unwrap();
    let db = format!("{prefix}_{}", std::process::id());
    let psql = {
        let admin = admin.clone();
        move |sql: &str| {
            let ok = Command::new("psql")
                .args([admin.as_str(), "-Atqc", sql])
                .status()
                .expect("psql")
                .success();
            assert!(ok, "{sql}");
        }
    };
    psql(&format!("DROP DATABASE IF EXISTS {db}"));
    psql(&format!("CREATE DATABASE {db}"));
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let url = format!("{base}/{db}");
    (url, move || {
        psql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
    })
}

#[test]
fn export_writes_a_journal_and_names_bad_flags() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, org, err) = run(
        dir.path(),
        &[
            "orgs",
            "create",
            "--name",
            "Ledger Co",
            "--currency",
            "JPY",
            "--country",
            "US",
        ],
    );
    assert!(ok, "{err}");
    let org = org.trim();
    for format in ["ledger", "hledger", "beancount"] {
        let (ok, out, err) = run(
            dir.path(),
            &["export", "--org", "ledger co", "--format", format],
        );
        assert!(ok, "{format}: {err}");
        assert!(
            out.starts_with("; Exported by Ferrobooks; amounts in JPY."),
            "{out}"
        );
        assert!(err.contains("0 transactions written"), "{err}");
        if format == "beancount" {
            assert!(out.contains("1900-01-01 open Assets:1200-"), "{out}");
        } else {
            assert!(out.contains("commodity 100,000 JPY"), "{out}");
        }
    }
    for (args, says) in [
        (
            vec!["--org", "nobody", "--format", "ledger"],
            "no organization",
        ),
        (vec!["--org", org, "--format", "csv"], "invalid value 'csv'"),
        (
            vec!["--org", org, "--format", "ledger", "--from", "2026-13-01"],
            "--from",
        ),
        (
            vec![
                "--org",
                org,
                "--format",
                "ledger",
                "--from",
                "2026-02-01",
                "--to",
                "2026-01-01",
            ],
            "must not be after --to",
        ),
    ] {
        let mut all = vec!["export"];
        all.extend(args.iter());
        let (ok, out, err) = run(dir.path(), &all);
        assert!(!ok && out.is_empty(), "{args:?}: {out}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn passwords_and_tokens_never_reach_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    // Everything the server logs, at the most detailed level.
    let (child, printed) = serve_logging(dir.path(), port, "trace", Stdio::from(log));
    let line = printed
        .iter()
        .find(|l| l.starts_with("Demo owner "))
        .unwrap_or_else(|| panic!("{printed:?}"));
    let password = line
        .split("with the password ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    let key = printed
        .iter()
        .find(|l| l.starts_with("sk_live_"))
        .unwrap()
        .clone();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let (cookie, token, wrong) = rt.block_on(async {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        // A failed and a good sign-in, then a token minted in the console.
        let wrong = "not-the-password-xyz";
        http.post(format!("{base}/app/login"))
            .form(&[("email", "demo@ferrobooks.local"), ("password", wrong)])
            .send()
            .await
            .unwrap();
        let r = http
            .post(format!("{base}/app/login"))
            .form(&[
                ("email", "demo@ferrobooks.local"),
                ("password", password.as_str()),
            ])
            .send()
            .await
            .unwrap();
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let page = http
            .get(format!("{base}/app"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
        let csrf = page[at..at + 64].to_owned();
        let made = http
            .post(format!("{base}/app/settings/developer/tokens"))
            .header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str()), ("name", "log test")])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let at = made.find("value=\"aibk_pat_").unwrap() + 7;
        let token = made[at..].split('"').next().unwrap().to_owned();
        // Use the token and the key, with and without success.
        for t in [
            token.as_str(),
            key.as_str(),
            "aibk_pat_0000000000000000000000000000000000000000000000000000000000000000",
        ] {
            http.get(format!("{base}/api/v1/organization"))
                .bearer_auth(t)
                .send()
                .await
                .unwrap();
        }
        (cookie, token, wrong)
    });
    stop(child);
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("/app/login"),
        "the log has the requests: {}",
        &log[..log.len().min(2000)]
    );
    let cookie_value = cookie.split('=').nth(1).unwrap();
    for (what, secret) in [
        ("the password", password.as_str()),
        ("a wrong password", wrong),
        ("the session cookie", cookie_value),
        ("the personal access token", token.as_str()),
        ("the personal access token's secret part", &token[21..]),
        ("the API key", key.as_str()),
    ] {
        assert!(!log.contains(secret), "{what} is in the log");
    }
}
