//! `payroll_run`: a run of 1,000 employees (salaried and hourly, under the
//! US starting pay items) made and approved through the use cases, each
//! step timed in the process; the approval posts one entry.

use std::time::Instant;

use ferrobooks_service::AuthContext;
use ferrobooks_store::payroll::{EmployeeRow, save_employee};
use ferrobooks_store::{new_id, now};

use crate::Options;
use crate::client::Stats;
use crate::scenarios::start_app;

/// Employees on the run.
pub(crate) const EMPLOYEES: usize = 1_000;

/// One run: the employees written straight to a fresh store, the template
/// added, then the run made (p50: its time) and approved (p99: its time);
/// throughput is employees per second of both.
pub(crate) async fn payroll_run(o: &Options) -> anyhow::Result<Stats> {
    let app = start_app(o, false).await?;
    let org = ferrobooks_store::tenancy::get_organization(app.services.store.pool(), &app.org_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("org vanished"))?;
    let ctx = AuthContext::system(org);
    let e = |e: ferrobooks_service::ServiceError| anyhow::anyhow!("{e}");
    app.services
        .install_pay_item_template(&ctx)
        .await
        .map_err(e)?;
    let mut ids = Vec::with_capacity(EMPLOYEES);
    let mut wtx = app.services.store.begin_write().await?;
    for i in 0..EMPLOYEES {
        let at = now();
        let hourly = i % 4 == 0;
        let row = EmployeeRow {
            id: new_id("emp"),
            organization_id: app.org_id.clone(),
            name: format!("Employee {i}"),
            email: None,
            employee_number: format!("EMP-{i:05}"),
            hire_date: "2025-01-01".into(),
            termination_date: None,
            pay_type: if hourly { "hourly" } else { "salary" }.into(),
            pay_rate: if hourly {
                2_500 + i as i64
            } else {
                6_000_000 + 100 * i as i64
            },
            pay_frequency: "monthly".into(),
            department: None,
            tax_id: None,
            bank_account_number: None,
            bank_routing_code: None,
            status: "active".into(),
            created_at: at.clone(),
            updated_at: at,
        };
        save_employee(&mut wtx.tx, &row).await?;
        ids.push((row.id, hourly));
    }
    wtx.commit().await?;
    let input = ferrobooks_service::payroll::runs::NewRun {
        period_start: "2026-11-01".into(),
        period_end: "2026-11-30".into(),
        pay_date: None,
        employees: ids
            .into_iter()
            .map(
                |(id, hourly)| ferrobooks_service::payroll::runs::RunEmployee {
                    employee_id: id,
                    hours: hourly.then(|| ferrobooks_service::amount::DecimalText("160.5".into())),
                },
            )
            .collect(),
        pay_item_ids: None,
    };
    let t = Instant::now();
    let run = app
        .services
        .create_payroll_run(&ctx, input)
        .await
        .map_err(e)?;
    let made = t.elapsed();
    let t = Instant::now();
    let approved = app
        .services
        .approve_payroll_run(&ctx, &run.id)
        .await
        .map_err(e)?;
    let approving = t.elapsed();
    if approved.lines.len() != EMPLOYEES || approved.journal_entry_id.is_none() {
        anyhow::bail!(
            "the run has {} lines, entry {:?}",
            approved.lines.len(),
            approved.journal_entry_id
        );
    }
    app.stop().await;
    Ok(Stats {
        per_sec: EMPLOYEES as f64 / (made + approving).as_secs_f64(),
        p50_us: made.as_micros() as u64,
        p99_us: approving.as_micros() as u64,
        count: EMPLOYEES,
        errors: 0,
    })
}
