//! Document number series: concurrent allocation and the yearly reset.

use chrono::NaiveDate;
use ferrobooks_domain::numbering::{SeriesTemplate, fiscal_year_label};
use ferrobooks_store::series::{SeriesKey, allocate};

use ferrobooks_testkit::backend_test;

backend_test! {
    async fn fifty_concurrent_allocations_are_distinct_and_consecutive(app: TestApp) {
        let template = SeriesTemplate::parse("MUM/{FY}/{N:5}").unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
        let fy = fiscal_year_label(date, (4, 1));
        let mut tasks = Vec::new();
        for i in 0..50 {
            let (store, org, fy, template) = (app.services.store.clone(), app.org_id.clone(), fy.clone(), template.clone());
            tasks.push(tokio::spawn(async move {
                let mut wtx = store.begin_write().await.unwrap();
                let key = SeriesKey { organization_id: &org, doc_type: "invoice", branch: "MUM", fiscal_year: &fy };
                let n = allocate(&mut wtx.tx, &key, 1).await.unwrap();
                // Every fifth allocation rolls back: its number is given again.
                if i % 5 == 4 {
                    drop(wtx);
                    return None;
                }
                wtx.commit().await.unwrap();
                Some(template.format(n, date, (4, 1), "MUM", true).unwrap())
            }));
        }
        let mut numbers: Vec<String> = Vec::new();
        for t in tasks {
            if let Some(n) = t.await.unwrap() {
                numbers.push(n);
            }
        }
        numbers.sort();
        let expected: Vec<String> = (1..=40).map(|n| format!("MUM/25-26/{n:05}")).collect();
        assert_eq!(numbers, expected, "40 committed, consecutive, none repeated");
        // A new fiscal year counts from 1; another branch has its own count.
        let mut wtx = app.services.store.begin_write().await.unwrap();
        let next_year = SeriesKey { organization_id: &app.org_id, doc_type: "invoice", branch: "MUM", fiscal_year: "26-27" };
        assert_eq!(allocate(&mut wtx.tx, &next_year, 1).await.unwrap(), 1);
        let other_branch = SeriesKey { organization_id: &app.org_id, doc_type: "invoice", branch: "DEL", fiscal_year: &fy };
        assert_eq!(allocate(&mut wtx.tx, &other_branch, 3).await.unwrap(), 1);
        assert_eq!(allocate(&mut wtx.tx, &other_branch, 1).await.unwrap(), 4);
        wtx.commit().await.unwrap();
    }
}

backend_test! {
    async fn an_abandoned_write_never_blocks_the_next_writer(app: TestApp) {
        // A write transaction that fails after writing is dropped; the next
        // writer, which reads before it writes, must find the database free
        // (on SQLite the abandoned one must have rolled back by then).
        let store = &app.services.store;
        for i in 0..200 {
            let mut a = store.begin_write().await.unwrap();
            sqlx::query(
                "INSERT INTO number_templates (organization_id, doc_type, template, updated_at) \
                 VALUES ($1, 'abandoned', 'X{N}', 'now')",
            )
            .bind(&app.org_id)
            .execute(&mut *a.tx)
            .await
            .unwrap();
            drop(a);
            let mut b = store.begin_write().await.unwrap();
            let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM number_templates")
                .fetch_one(&mut *b.tx)
                .await
                .unwrap();
            sqlx::query(
                "INSERT INTO number_templates (organization_id, doc_type, template, updated_at) \
                 VALUES ($1, $2, 'X{N}', 'now')",
            )
            .bind(&app.org_id)
            .bind(format!("kept{i}"))
            .execute(&mut *b.tx)
            .await
            .unwrap_or_else(|e| panic!("iteration {i} (after {n} rows): {e}"));
            b.commit().await.unwrap();
        }
        assert_eq!(app.count("number_templates").await, 200);
    }
}
