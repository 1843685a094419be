//! The cache of credentials, organizations and users that authentication
//! reads on every request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use ferrobooks_store::OrgId;
use ferrobooks_store::tenancy::{ApiKeyRow, OrganizationRow};

use super::UserAccess;

/// Keys and organizations already read, so that authentication does not
/// cost a query per request, on both backends.
///
/// A change made through this process's services (revoking a key,
/// changing an organization) is forgotten at once (`forget_*`). Changes
/// made elsewhere (another node on the same PostgreSQL database, or
/// `ferrobooks keys revoke` from another process) reach this process
/// through [`CACHE_TTL`]: an entry is trusted for less than a second, so a
/// revoked key is refused on every node within a second. That bound is the
/// whole mechanism: no notification can be missed, and the price is one
/// lookup per key per second per node, nothing next to a request rate.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuthCache {
    inner: Arc<Mutex<CacheMaps>>,
}

#[derive(Debug, Default)]
struct CacheMaps {
    keys: HashMap<String, (ApiKeyRow, Instant)>,
    orgs: HashMap<String, (OrganizationRow, Instant)>,
    /// Users tokens act as (None: disabled or gone).
    users: HashMap<String, (Option<Arc<UserAccess>>, Instant)>,
}

/// Entries kept before the cache starts over.
const CACHE_LIMIT: usize = 100_000;

/// How long a cached key or organization is trusted (see [`AuthCache`]).
const CACHE_TTL: std::time::Duration = std::time::Duration::from_millis(900);

impl AuthCache {
    fn maps(&self) -> std::sync::MutexGuard<'_, CacheMaps> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn get(
        &self,
        prefix: &str,
        org: Option<&str>,
    ) -> Option<(ApiKeyRow, Option<OrganizationRow>)> {
        let maps = self.maps();
        let fresh = |at: &Instant| at.elapsed() <= CACHE_TTL;
        let (key, _) = maps.keys.get(prefix).filter(|(_, at)| fresh(at))?;
        let org_id = org.or(key.organization_id.as_ref().map(OrgId::as_str));
        let org_row = match org_id {
            Some(id) => Some(maps.orgs.get(id).filter(|(_, at)| fresh(at))?.0.clone()),
            None => None,
        };
        Some((key.clone(), org_row))
    }

    pub(super) fn put(&self, key: &ApiKeyRow, org: Option<&OrganizationRow>) {
        let mut maps = self.maps();
        if maps.keys.len() + maps.orgs.len() > CACHE_LIMIT {
            maps.keys.clear();
            maps.orgs.clear();
        }
        let now = Instant::now();
        maps.keys.insert(key.prefix.clone(), (key.clone(), now));
        if let Some(o) = org {
            maps.orgs.insert(o.id.to_string(), (o.clone(), now));
        }
    }

    #[expect(
        clippy::option_option,
        reason = "a miss, or a user known to be disabled"
    )]
    pub(super) fn user(&self, id: &str) -> Option<Option<Arc<UserAccess>>> {
        let maps = self.maps();
        let (u, at) = maps.users.get(id)?;
        (at.elapsed() <= CACHE_TTL).then(|| u.clone())
    }

    pub(super) fn put_user(&self, id: &str, access: Option<Arc<UserAccess>>) {
        let mut maps = self.maps();
        if maps.users.len() > CACHE_LIMIT {
            maps.users.clear();
        }
        maps.users.insert(id.to_owned(), (access, Instant::now()));
    }

    pub(crate) fn forget_user(&self, id: &str) {
        self.maps().users.remove(id);
    }

    pub(crate) fn forget_key(&self, prefix: &str) {
        self.maps().keys.remove(prefix);
    }

    pub(crate) fn forget_org(&self, id: &OrgId) {
        self.maps().orgs.remove(id.as_str());
    }
}
