//! Deletes idempotency keys past their 24 hours; every ten minutes.

use crate::{ServiceResult, Services};

pub(super) async fn run(s: &Services) -> ServiceResult<()> {
    let n = ferrobooks_store::idempotency::sweep(&s.store, chrono::Utc::now().timestamp()).await?;
    if n > 0 {
        tracing::info!(deleted = n, "swept expired idempotency keys");
    }
    Ok(())
}
