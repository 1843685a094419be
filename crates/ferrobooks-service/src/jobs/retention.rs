//! Deletes what is kept only for a while: dispatched events and settled
//! deliveries past the webhook retention, finished jobs after a week.

use crate::{ServiceResult, Services};

/// How long a finished job stays visible.
const KEEP_JOBS: chrono::Duration = chrono::Duration::days(7);

pub(super) async fn run(s: &Services) -> ServiceResult<()> {
    crate::webhooks::worker::prune(s).await;
    let before = ferrobooks_store::format_time(chrono::Utc::now() - KEEP_JOBS);
    let n = ferrobooks_store::jobs::prune(&s.store, &before).await?;
    if n > 0 {
        tracing::info!(deleted = n, "pruned finished jobs");
    }
    Ok(())
}
