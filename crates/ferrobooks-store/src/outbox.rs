//! The transactional outbox: events are rows written in the same
//! transaction as the change that caused them, so a rolled-back change
//! emits nothing and a committed one is never lost. Delivery and the event
//! feed read them.
//!
//! Each event gets a number in its organization's sequence, in the order
//! events become visible, so a feed reader asking for the events after the
//! last number it saw never misses one:
//!
//! - on SQLite (one writer, one process) at insert, from counters in
//!   memory: commit order is insert order. A rolled-back write leaves a gap.
//! - on PostgreSQL, where transactions commit in any order, by the fan-out
//!   ([`sequence_pending`]) after commit, under the organization's row of
//!   `event_sequences`, so numbers become visible in order. An event is in
//!   the feed once a delivery pass has run (normally a moment after its
//!   commit; at the latest after the sweep interval).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, RwLock};

use sqlx::AnyConnection;

use crate::sql::{self, Arg, Insert};
use crate::{OrgId, StoreError, new_id};

/// Organizations that have (or had) a webhook endpoint, on SQLite.
///
/// On SQLite one process owns the database, so it knows every endpoint
/// ever registered; an event of an organization without one is written
/// already dispatched, sparing the delivery worker a transaction (and a
/// disk flush) per burst of postings. Organization ids are unique across
/// databases, so one set serves every SQLite store of the process. On
/// PostgreSQL another node may register an endpoint at any moment, so every
/// event waits for the worker.
static WEBHOOK_ORGS: RwLock<Option<HashSet<OrgId>>> = RwLock::new(None);

/// Records that `org` has webhook endpoints: from now on its events wait
/// for fan-out. Call before the endpoint is written.
pub fn note_webhook_org(org: &OrgId) {
    let mut set = WEBHOOK_ORGS.write().unwrap_or_else(|p| p.into_inner());
    set.get_or_insert_with(HashSet::new).insert(org.to_owned());
}

/// Loads the organizations with endpoints (at start, on SQLite).
pub(crate) async fn load_webhook_orgs(conn: &mut AnyConnection) -> Result<(), StoreError> {
    let orgs: Vec<(OrgId,)> =
        sqlx::query_as("SELECT DISTINCT organization_id FROM webhook_endpoints")
            .fetch_all(&mut *conn)
            .await?;
    for (o,) in orgs {
        note_webhook_org(&o);
    }
    Ok(())
}

/// Each organization's last event number, on SQLite (see the module doc).
static SEQUENCES: Mutex<Option<HashMap<OrgId, i64>>> = Mutex::new(None);

/// Loads the last event number of every organization (at start, on
/// SQLite): the highest of the events kept and of the marks left by pruning.
pub(crate) async fn load_sequences(conn: &mut AnyConnection) -> Result<(), StoreError> {
    let rows: Vec<(OrgId, i64)> = sqlx::query_as(
        "SELECT organization_id, MAX(n) FROM (\
           SELECT organization_id, MAX(sequence) AS n FROM outbox_events \
           WHERE sequence IS NOT NULL GROUP BY organization_id \
           UNION ALL SELECT organization_id, last AS n FROM event_sequences\
         ) marks GROUP BY organization_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut seqs = SEQUENCES.lock().unwrap_or_else(|p| p.into_inner());
    let map = seqs.get_or_insert_with(HashMap::new);
    for (org, n) in rows {
        let last = map.entry(org).or_insert(0);
        *last = (*last).max(n);
    }
    Ok(())
}

/// The number a new event of `org` is written with: the next one on
/// SQLite, none (numbered at fan-out) on PostgreSQL.
fn initial_sequence(conn: &AnyConnection, org: &OrgId) -> Option<i64> {
    if sql::backend_of(conn) != crate::Backend::Sqlite {
        return None;
    }
    let mut seqs = SEQUENCES.lock().unwrap_or_else(|p| p.into_inner());
    let last = seqs
        .get_or_insert_with(HashMap::new)
        .entry(org.to_owned())
        .or_insert(0);
    *last += 1;
    Some(*last)
}

/// Numbers the given events (in the order given) that have no number yet,
/// each in its organization's sequence; the numbers, in the same order.
/// Run by the fan-out on PostgreSQL while it holds the events' rows: the
/// organization's counter row stays locked until the numbers commit.
pub(crate) async fn sequence_pending(
    conn: &mut AnyConnection,
    events: &[(&str, &str, Option<i64>)],
) -> Result<Vec<i64>, StoreError> {
    let mut wanted: Vec<(&str, i64)> = Vec::new();
    for (_, org, seq) in events {
        if seq.is_none() {
            match wanted.iter_mut().find(|(o, _)| o == org) {
                Some((_, n)) => *n += 1,
                None => wanted.push((org, 1)),
            }
        }
    }
    // Counters are taken in organization order, so two fan-outs never
    // wait on each other's counters in a cycle.
    wanted.sort_unstable();
    let mut next: HashMap<&str, i64> = HashMap::new();
    for (org, n) in wanted {
        let (last,): (i64,) = sqlx::query_as(
            "INSERT INTO event_sequences (organization_id, last) VALUES ($1, $2) \
             ON CONFLICT (organization_id) DO UPDATE SET last = event_sequences.last + excluded.last \
             RETURNING last",
        )
        .bind(org)
        .bind(n)
        .fetch_one(&mut *conn)
        .await?;
        next.insert(org, last - n + 1);
    }
    let mut out = Vec::with_capacity(events.len());
    for (id, org, seq) in events {
        let n = match seq {
            Some(n) => *n,
            None => {
                let slot = next.get_mut(org).ok_or_else(|| {
                    StoreError::Corrupt(format!("event {id}: no sequence was drawn"))
                })?;
                *slot += 1;
                *slot - 1
            }
        };
        out.push(n);
    }
    Ok(out)
}

/// Keeps each organization's last number in `event_sequences` before old
/// events are deleted, so SQLite's counters survive a restart after a prune.
pub(crate) async fn mark_sequences(conn: &mut AnyConnection) -> Result<(), StoreError> {
    // On PostgreSQL the table is the live counter already (and locking
    // every counter here could deadlock with a fan-out).
    if sql::backend_of(conn) != crate::Backend::Sqlite {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO event_sequences (organization_id, last) \
         SELECT organization_id, MAX(sequence) FROM outbox_events \
         WHERE sequence IS NOT NULL GROUP BY organization_id \
         ON CONFLICT (organization_id) DO UPDATE SET last = CASE \
           WHEN excluded.last > event_sequences.last THEN excluded.last \
           ELSE event_sequences.last END",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The `dispatched_at` a new event of `org` is written with.
pub(crate) fn initial_dispatch(conn: &AnyConnection, org: &OrgId, now: &str) -> Option<String> {
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
    pub organization_id: &'a OrgId,
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
            "sequence",
        ],
    )
}

/// Adds one event to an [`insert_statement`].
pub(crate) fn add_row(
    conn: &AnyConnection,
    ins: &mut Insert,
    organization_id: &OrgId,
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
        Arg::OptInt(initial_sequence(conn, organization_id)),
    ]);
}

pub async fn insert(conn: &mut AnyConnection, rows: &[OutboxRow<'_>]) -> Result<(), StoreError> {
    let now = crate::now();
    // In a group commit, with the batch's other events.
    let held = crate::units::hold_events(|ins| {
        for r in rows {
            add_row(
                conn,
                ins,
                r.organization_id,
                r.event_type,
                r.payload.clone(),
                &now,
            );
        }
    });
    if held {
        return Ok(());
    }
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
    org: &OrgId,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT event_type, payload FROM outbox_events WHERE organization_id = $1 ORDER BY id",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?)
}

/// An event as the feed shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedRow {
    pub id: String,
    pub sequence: i64,
    pub event_type: String,
    pub payload: String,
    pub created_at: String,
}

/// Up to `limit` numbered events of `org` after number `after`, of the
/// given types (all when empty), in sequence order.
pub async fn feed(
    conn: &mut AnyConnection,
    org: &OrgId,
    after: i64,
    types: &[String],
    limit: i64,
) -> Result<Vec<FeedRow>, StoreError> {
    let filter = if types.is_empty() {
        String::new()
    } else {
        format!(" AND event_type IN ({})", sql::list(4, types.len()))
    };
    let q = format!(
        "SELECT id, sequence, event_type, payload, created_at FROM outbox_events \
         WHERE organization_id = $1 AND sequence > $2{filter} ORDER BY sequence LIMIT $3"
    );
    let mut query = sqlx::query_as(&q).bind(org).bind(after).bind(limit);
    for t in types {
        query = query.bind(t);
    }
    Ok(query.fetch_all(&mut *conn).await?)
}
