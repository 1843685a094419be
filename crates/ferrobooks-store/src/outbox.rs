//! The transactional outbox: events are rows written in the same
//! transaction as the change that caused them, so a rolled-back change
//! emits nothing and a committed one is never lost. Delivery reads them.

use sqlx::AnyConnection;

use crate::sql::{self, Arg, Insert};
use crate::{StoreError, new_id};

/// An event ready to store.
#[derive(Debug, Clone)]
pub struct OutboxRow<'a> {
    pub organization_id: &'a str,
    pub event_type: &'a str,
    pub payload: String,
}

pub async fn insert(conn: &mut AnyConnection, rows: &[OutboxRow<'_>]) -> Result<(), StoreError> {
    let now = crate::now();
    let mut ins = Insert::new(
        "outbox_events",
        &[
            "id",
            "organization_id",
            "event_type",
            "payload",
            "created_at",
        ],
    );
    for r in rows {
        ins.row(vec![
            Arg::Text(new_id("evt")),
            r.organization_id.into(),
            r.event_type.into(),
            (&r.payload).into(),
            (&now).into(),
        ]);
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
