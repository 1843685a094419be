//! The shape of a scheduled job over many rows of many organizations
//! (depreciating assets, issuing subscription invoices): walk the active
//! rows page by page in (organization, id) order, and run each in its
//! organization's context, 250 per transaction, each under a savepoint of
//! its own, so one that fails is reported and the others go on.

use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;

use ferrobooks_store::{Conn, OrgId, Store, StoreError, tenancy};

use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// Rows per page and per transaction.
pub(crate) const BATCH: i64 = 250;

/// A page of (organization, id) after a key.
pub(crate) type PageFn = for<'a> fn(
    &'a Store,
    Option<&'a OrgId>,
    (&'a str, &'a str),
    i64,
) -> BoxFuture<'a, Result<Vec<(OrgId, String)>, StoreError>>;

/// The work on one row, in the caller's transaction.
pub(crate) type Each<T> = Arc<
    dyn for<'c> Fn(&'c mut Conn, &'c AuthContext, &'c String) -> BoxFuture<'c, ServiceResult<T>>
        + Send
        + Sync,
>;

/// Runs `each` on every row `page` lists (of one organization, or all);
/// each row's id with how it went.
pub(crate) async fn sweep<T: Send + 'static>(
    s: &Services,
    org: Option<&OrgId>,
    page: PageFn,
    each: Each<T>,
) -> ServiceResult<Vec<(String, ServiceResult<T>)>> {
    let mut out = Vec::new();
    let mut after = (String::new(), String::new());
    let mut ctx: Option<AuthContext> = None;
    loop {
        let rows = page(&s.store, org, (&after.0, &after.1), BATCH).await?;
        let Some(last) = rows.last() else {
            return Ok(out);
        };
        after = (last.0.as_str().to_owned(), last.1.clone());
        // One transaction per organization's share of the page.
        let mut i = 0;
        while i < rows.len() {
            let o = rows[i].0.clone();
            let ids: Vec<String> = rows[i..]
                .iter()
                .take_while(|(x, _)| *x == o)
                .map(|(_, id)| id.clone())
                .collect();
            i += ids.len();
            if ctx.as_ref().is_none_or(|c| c.org_id() != &o) {
                let Some(row) = tenancy::get_organization(s.store.pool(), &o).await? else {
                    continue;
                };
                ctx = Some(AuthContext::system(row));
            }
            let c = ctx.clone().expect("set above");
            let each = each.clone();
            let outcomes = ferrobooks_store::units::run_each(
                &s.store,
                false,
                true,
                &ids,
                move |conn, id: &String| {
                    let (c, each) = (c.clone(), each.clone());
                    async move { each(conn, &c, id).await }.boxed()
                },
                || ServiceError::internal("a row met another of its batch"),
                |_, outcomes| async move { Ok(outcomes) }.boxed(),
            )
            .await?;
            out.extend(ids.into_iter().zip(outcomes));
        }
        if (rows.len() as i64) < BATCH {
            return Ok(out);
        }
    }
}
