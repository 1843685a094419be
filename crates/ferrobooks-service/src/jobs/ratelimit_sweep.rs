//! Deletes spent rate-limit windows kept in the database (PostgreSQL
//! without Redis); every minute.

use crate::{ServiceResult, Services};

pub(super) async fn run(s: &Services) -> ServiceResult<()> {
    let now = chrono::Utc::now().timestamp();
    ferrobooks_store::ratelimit::sweep(&s.store, now).await?;
    Ok(())
}
