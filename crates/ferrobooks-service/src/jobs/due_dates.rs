//! Invoices past due become overdue, estimates past expiry expire
//! ([`Services::run_due_dates`]); scheduled every `due_date_interval`.

use crate::{ServiceResult, Services};

pub(super) async fn run(s: &Services) -> ServiceResult<()> {
    let r = s.run_due_dates(&crate::today().to_string()).await?;
    if r.overdue + r.expired > 0 {
        tracing::info!(overdue = r.overdue, expired = r.expired, "due-date job");
    }
    Ok(())
}
