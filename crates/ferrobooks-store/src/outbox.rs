//! The transactional outbox: events are rows written in the same
//! transaction as the change that caused them, so a rolled-back change
//! emits nothing and a committed one is never lost. Delivery reads them.

use sqlx::AnyConnection;

use crate::{StoreError, new_id, sql};

/// An event ready to store.
#[derive(Debug, Clone)]
pub struct OutboxRow<'a> {
    pub organization_id: &'a str,
    pub event_type: &'a str,
    pub payload: String,
}

pub async fn insert(conn: &mut AnyConnection, rows: &[OutboxRow<'_>]) -> Result<(), StoreError> {
    const N: usize = 5;
    let now = crate::now();
    for chunk in rows.chunks(sql::chunk_rows(N)) {
        let q = format!(
            "INSERT INTO outbox_events (id, organization_id, event_type, payload, created_at) \
             VALUES {}",
            sql::values(conn, chunk.len(), N)
        );
        let mut query = sqlx::query(&q);
        for r in chunk {
            query = query
                .bind(new_id("evt"))
                .bind(r.organization_id)
                .bind(r.event_type)
                .bind(&r.payload)
                .bind(&now);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
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
