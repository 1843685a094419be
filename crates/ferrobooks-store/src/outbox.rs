//! The transactional outbox: events are rows written in the same
//! transaction as the change that caused them, so a rolled-back change
//! emits nothing and a committed one is never lost. Delivery reads them.

use std::collections::HashSet;
use std::sync::RwLock;

use sqlx::AnyConnection;

use crate::sql::{self, Arg, Insert};
use crate::{StoreError, new_id};

/// Organizations that have (or had) a webhook endpoint, on SQLite.
///
/// On SQLite one process owns the database, so it knows every endpoint
/// ever registered; an event of an organization without one is written
/// already dispatched, sparing the delivery worker a transaction (and a
/// disk flush) per burst of postings. Organization ids are unique across
/// databases, so one set serves every SQLite store of the process. On
/// PostgreSQL another node may register an endpoint at any moment, so every
/// event waits for the worker.
static WEBHOOK_ORGS: RwLock<Option<HashSet<String>>> = RwLock::new(None);

/// Records that `org` has webhook endpoints: from now on its events wait
/// for fan-out. Call before the endpoint is written.
pub fn note_webhook_org(org: &str) {
    let mut set = WEBHOOK_ORGS.write().unwrap_or_else(|p| p.into_inner());
    set.get_or_insert_with(HashSet::new).insert(org.to_owned());
}

/// Loads the organizations with endpoints (at start, on SQLite).
pub(crate) async fn load_webhook_orgs(conn: &mut AnyConnection) -> Result<(), StoreError> {
    let orgs: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT organization_id FROM webhook_endpoints")
            .fetch_all(&mut *conn)
            .await?;
    for (o,) in orgs {
        note_webhook_org(&o);
    }
    Ok(())
}

/// The `dispatched_at` a new event of `org` is written with.
pub(crate) fn initial_dispatch(conn: &AnyConnection, org: &str, now: &str) -> Option<String> {
    if sql::backend_of(conn) != crate::Backend::Sqlite {
        return None;
    }
    let set = WEBHOOK_ORGS.read().unwrap_or_else(|p| p.into_inner());
    let has = set.as_ref().is_some_and(|s| s.contains(org));
    (!has).then(|| now.to_owned())
}

/// An event ready to store.
#[derive(Debug, Clone)]
pub struct OutboxRow<'a> {
    pub organization_id: &'a str,
    pub event_type: &'a str,
    pub payload: String,
}

/// The multi-row insert every event goes through.
pub(crate) fn insert_statement() -> Insert {
    Insert::new(
        "outbox_events",
        &[
            "id",
            "organization_id",
            "event_type",
            "payload",
            "created_at",
            "dispatched_at",
        ],
    )
}

/// Adds one event to an [`insert_statement`].
pub(crate) fn add_row(
    conn: &AnyConnection,
    ins: &mut Insert,
    organization_id: &str,
    event_type: &str,
    payload: String,
    now: &str,
) {
    ins.row(vec![
        Arg::Text(new_id("evt")),
        organization_id.into(),
        event_type.into(),
        Arg::Text(payload),
        now.into(),
        Arg::OptText(initial_dispatch(conn, organization_id, now)),
    ]);
}

pub async fn insert(conn: &mut AnyConnection, rows: &[OutboxRow<'_>]) -> Result<(), StoreError> {
    let now = crate::now();
    let mut ins = insert_statement();
    for r in rows {
        add_row(
            conn,
            &mut ins,
            r.organization_id,
            r.event_type,
            r.payload.clone(),
            &now,
        );
    }
    sql::run_inserts(conn, vec![ins]).await
}

/// Events of one organization in order, for tests and the delivery worker.
pub async fn list(
    conn: &mut AnyConnection,
    org: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT event_type, payload FROM outbox_events WHERE organization_id = $1 ORDER BY id",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?)
}
