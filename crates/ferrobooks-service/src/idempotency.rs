//! Idempotency keys as the edge uses them: claim a key before a POST runs,
//! replay what the first request answered, give the key back after a
//! server error. The reply of a request that changed the books is stored
//! with its effect (`Services::finish_idempotent`); these are the other
//! moves, so that no surface reaches into the store.

use ferrobooks_store::idempotency as store;

pub use ferrobooks_store::idempotency::{Claim, Outcome as KeyState, StoredReply as Reply};

use crate::{OrgId, ServiceResult, Services};

impl Services {
    /// Claims `key` of `org` for a request with `fingerprint` (a hash of
    /// method, path and body), or says why it cannot run.
    pub async fn claim_key(
        &self,
        org: &OrgId,
        key: &str,
        fingerprint: &str,
    ) -> ServiceResult<KeyState> {
        let lease = ferrobooks_store::new_id("lease");
        let now = chrono::Utc::now().timestamp();
        Ok(store::claim(&self.store, org, key, fingerprint, &lease, now).await?)
    }

    /// Gives the key back: the request failed on the server's side (or its
    /// answer holds a secret), so a retry runs again.
    pub async fn release_key(&self, claim: &Claim) -> ServiceResult<()> {
        Ok(store::release(&self.store, claim).await?)
    }

    /// Whether the request's effect stored its reply with it.
    pub async fn reply_kept(&self, claim: &Claim) -> ServiceResult<bool> {
        Ok(store::is_complete(&self.store, claim).await?)
    }

    /// Stores `reply` under the claim: for an answer that changed nothing
    /// (a 4xx), which a retry replays as well.
    pub async fn keep_reply(&self, claim: &Claim, reply: &Reply) -> ServiceResult<()> {
        let _guard = self.store.write_guard().await;
        let mut conn = self.store.read_conn().await?;
        store::complete(&mut conn, claim, reply).await?;
        Ok(())
    }

    /// The request under the claim is over (answered or given up).
    pub fn key_done(&self, claim: &Claim) {
        store::done(&self.store, claim);
    }
}
