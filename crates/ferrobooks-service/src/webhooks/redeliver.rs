//! Redelivery: an endpoint asks for every event it subscribes to from a
//! sequence number on, again (after an outage on its side, say). The work
//! runs as a job, a batch of events per transaction.

use serde::{Deserialize, Serialize};

use crate::jobs::Job;
use crate::{AuthContext, OrgId, ServiceError, ServiceResult, Services};

/// Events queued per transaction.
const BATCH: i64 = 500;

/// A redelivery asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redelivery {
    pub organization_id: OrgId,
    pub endpoint_id: String,
    /// The first event number to deliver again.
    pub from_sequence: i64,
}

impl Services {
    /// Queues the redelivery to endpoint `id` of its events from number
    /// `from_sequence` on; the job that does it.
    pub async fn redeliver(
        &self,
        ctx: &AuthContext,
        id: &str,
        from_sequence: i64,
    ) -> ServiceResult<Redelivery> {
        if !(1..=crate::events::MAX_SEQUENCE).contains(&from_sequence) {
            return Err(ServiceError::invalid(
                "from_sequence",
                format!(
                    "must be 1 to {} (sequence numbers start at 1)",
                    crate::events::MAX_SEQUENCE
                ),
            ));
        }
        let ep = self.get_webhook(ctx, id).await?;
        if !ep.active {
            return Err(ServiceError::wrong_status(
                "disabled",
                format!("webhook {id} is disabled; register the endpoint again"),
            ));
        }
        let r = Redelivery {
            organization_id: ctx.org_id().to_owned(),
            endpoint_id: ep.id,
            from_sequence,
        };
        self.enqueue(&Job::Redeliver(r.clone())).await?;
        Ok(r)
    }
}

/// Runs a redelivery: queues the deliveries, a batch at a time. A retry
/// after a crash starts over; receivers deduplicate on the event id.
pub(crate) async fn run(s: &Services, r: &Redelivery) -> ServiceResult<()> {
    let Some(ep) = ferrobooks_store::webhooks::get_endpoint(
        s.store.pool(),
        &r.organization_id,
        &r.endpoint_id,
    )
    .await?
    .filter(|e| e.active == 1) else {
        return Ok(());
    };
    let mut from = r.from_sequence;
    let now = chrono::Utc::now().timestamp();
    while let Some(next) =
        ferrobooks_store::webhooks::redeliver_batch(&s.store, &ep, from, BATCH, now, |ev| {
            super::worker::body(&ev.id, &ev.event_type, &ev.payload, &ev.created_at)
        })
        .await?
    {
        from = next;
    }
    Ok(())
}
