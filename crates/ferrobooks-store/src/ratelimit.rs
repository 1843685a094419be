//! Shared request counters in the database, one per key and fixed window.

use crate::{Store, StoreError};

/// Counts one request in the window and returns the window's count, and
/// (when `previous`) the count of the window before it, for a sliding
/// window: one statement on PostgreSQL, the only backend that counts here.
pub async fn hit(
    store: &Store,
    key_id: &str,
    window_secs: i64,
    window_start: i64,
    previous: bool,
) -> Result<(i64, i64), StoreError> {
    let _guard = store.write_guard().await;
    let before = if previous {
        "(SELECT p.count FROM rate_limit_counters p WHERE p.key_id = $1 \
         AND p.window_secs = $2 AND p.window_start = $3 - $2)"
    } else {
        "NULL"
    };
    let (count, prev): (i64, Option<i64>) = sqlx::query_as(&format!(
        "WITH c AS (INSERT INTO rate_limit_counters (key_id, window_secs, window_start, count) \
         VALUES ($1, $2, $3, 1) \
         ON CONFLICT (key_id, window_secs, window_start) \
         DO UPDATE SET count = rate_limit_counters.count + 1 RETURNING count) \
         SELECT c.count, {before} FROM c"
    ))
    .bind(key_id)
    .bind(window_secs)
    .bind(window_start)
    .fetch_one(store.pool())
    .await?;
    Ok((count, prev.unwrap_or(0)))
}

/// Deletes counters of windows that ended a window's length before
/// `before` (unix seconds): a sliding window still weighs the one before.
pub async fn sweep(store: &Store, before: i64) -> Result<u64, StoreError> {
    let _guard = store.write_guard().await;
    let r =
        sqlx::query("DELETE FROM rate_limit_counters WHERE window_start + 2 * window_secs < $1")
            .bind(before)
            .execute(store.pool())
            .await?;
    Ok(r.rows_affected())
}
