//! A delivery pass ([`crate::webhooks::worker::run_once`]): scheduled every
//! `sweep_interval`, so retries and events committed by other nodes or
//! before a crash go out even when this node commits nothing.

use crate::{ServiceResult, Services};

pub(super) async fn run(s: &Services) -> ServiceResult<()> {
    crate::webhooks::worker::run_once(s).await?;
    Ok(())
}
