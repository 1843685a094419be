//! Durable jobs: a job whose node died mid-run is run by another node, a
//! job that cannot be read fails without blocking the rest, building the
//! services starts no task, and `/metrics` shows the jobs table.

use ferrobooks_service::jobs::Job;
use ferrobooks_store::jobs::{self, NewJob};
use serde_json::json;

use ferrobooks_testkit::factories::{approved_invoice, customer, events};
use ferrobooks_testkit::{Backend, TestApp, second_node, spawn_app_without_jobs, test_options};

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Waits until the job is no longer queued or running; its row.
async fn settled(app: &TestApp, kind: &str, id: &str) -> jobs::JobRow {
    for _ in 0..100 {
        let rows = jobs::list(&app.services.store, kind).await.unwrap();
        let row = rows.into_iter().find(|r| r.id == id).expect("job listed");
        if row.status != "queued" && row.status != "running" {
            return row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("job {id} never settled");
}

async fn killed_job_runs_on_another_node(app: TestApp) {
    // An invoice due long ago, not yet marked overdue.
    let c = customer(&app, json!({"name": "Late payer"})).await;
    approved_invoice(
        &app,
        json!({"customer_id": c, "date": "2026-01-01", "due_date": "2026-01-15",
        "lines": [{"description": "Work", "quantity": 1, "unit_price": "50.00"}]}),
    )
    .await;
    assert!(events(&app, "invoice.overdue").await.is_empty());
    // This node claims the due-date job with a 1 s lease and dies before
    // it settles it (it has no runner: nothing else touches the job).
    let store = &app.services.store;
    jobs::enqueue(
        store,
        &NewJob {
            kind: "due_dates",
            payload: serde_json::to_string(&Job::DueDates).unwrap(),
            run_at: unix_now(),
            dedupe_key: None,
            max_attempts: 5,
        },
    )
    .await
    .unwrap();
    let claimed = jobs::claim(store, "node_dead", unix_now(), 1, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let id = claimed[0].id.clone();
    assert_eq!(
        (claimed[0].status.as_str(), claimed[0].attempts),
        ("running", 1)
    );
    // Another process over the same database, with a runner, takes the job
    // over once the lease has run out, runs it, and settles it.
    let (_base, stop, _services) = second_node(&app.db_url, test_options()).await;
    let row = settled(&app, "due_dates", &id).await;
    assert_eq!(row.status, "done", "{row:?}");
    assert_eq!(
        row.attempts, 2,
        "claimed twice: by the dead node and the live one"
    );
    assert_eq!(row.locked_by, None);
    assert_eq!(events(&app, "invoice.overdue").await, ["invoice.overdue"]);
    // The dead node's late settlement does not count: the claim is not its.
    assert!(
        !jobs::settle(store, &id, "node_dead", &jobs::Settle::Done)
            .await
            .unwrap()
    );
    let _ = stop.send(());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_job_runs_on_another_node_sqlite() {
    killed_job_runs_on_another_node(
        spawn_app_without_jobs(Backend::Sqlite)
            .await
            .expect("sqlite"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set"
)]
async fn a_killed_job_runs_on_another_node_postgres() {
    killed_job_runs_on_another_node(
        spawn_app_without_jobs(Backend::Postgres)
            .await
            .expect("postgres"),
    )
    .await;
}

ferrobooks_testkit::backend_test! {
    async fn an_unreadable_job_fails_and_the_rest_run(app: TestApp) {
        let store = &app.services.store;
        let bad = NewJob { kind: "no_such_job", payload: r#"{"kind": "no_such_job"}"#.into(),
            run_at: unix_now(), dedupe_key: None, max_attempts: 5 };
        assert!(jobs::enqueue(store, &bad).await.unwrap());
        let id = jobs::list(store, "no_such_job").await.unwrap()[0].id.clone();
        app.services.enqueue(&Job::IdempotencySweep).await.unwrap();
        let row = settled(&app, "no_such_job", &id).await;
        assert_eq!(row.status, "failed");
        assert!(row.last_error.as_deref().unwrap_or("").contains("unreadable payload"), "{row:?}");
        assert_eq!(row.attempts, 1, "not retried: it can never be read");
        let sweep = jobs::list(store, "idempotency_sweep").await.unwrap();
        let id = sweep.iter().find(|r| r.dedupe_key.is_none()).expect("queued sweep").id.clone();
        assert_eq!(settled(&app, "idempotency_sweep", &id).await.status, "done");
        // A dedupe key takes one row however often it is queued.
        let keyed = NewJob { kind: "retention", payload: serde_json::to_string(&Job::Retention).unwrap(),
            run_at: unix_now() + 3600, dedupe_key: Some("retention@test".into()), max_attempts: 5 };
        assert!(jobs::enqueue(store, &keyed).await.unwrap());
        assert!(!jobs::enqueue(store, &keyed).await.unwrap());
        // `/metrics` counts the table by kind and status.
        let m = app.get_accepting("/metrics", "text/plain").await.expect(200).text;
        assert!(m.contains("ferrobooks_jobs{kind=\"no_such_job\",status=\"failed\"} 1"), "{m}");
        assert!(m.contains("ferrobooks_job_runs_total{outcome=\"succeeded\"}"), "{m}");
    }
}

/// Building the services, creating an organization and a key (what
/// `ferrobooks orgs create` and `keys create` do) leaves no task running.
async fn no_background_task(backend: Backend) {
    let Some(app) = spawn_app_without_jobs(backend).await else {
        return;
    };
    let store = ferrobooks_store::Store::connect(&app.db_url).await.unwrap();
    let settle = || tokio::time::sleep(std::time::Duration::from_millis(300));
    settle().await;
    let tasks = || {
        tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks()
    };
    let before = tasks();
    let services = ferrobooks_service::Services::new(store).await.unwrap();
    let org = services
        .create_organization(
            None,
            serde_json::from_value(
                json!({"name": "CLI Co", "base_currency": "USD", "country": "US"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let tenant = ferrobooks_store::tenancy::get_organization(services.store.pool(), &org.id)
        .await
        .unwrap()
        .unwrap()
        .tenant_id;
    services
        .create_key(&tenant, Some(&org.id), "cli", None, None)
        .await
        .unwrap();
    settle().await;
    assert_eq!(
        tasks(),
        before,
        "building services or using them started a task"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_commands_start_no_task_sqlite() {
    no_background_task(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "FERROBOOKS_TEST_POSTGRES_URL is not set"
)]
async fn cli_commands_start_no_task_postgres() {
    no_background_task(Backend::Postgres).await;
}
