//! Shared fixed-window request counters in the database.

use crate::{Store, StoreError};

/// Counts one request in the window and returns the window's count.
pub async fn hit(
    store: &Store,
    key_id: &str,
    window_secs: i64,
    window_start: i64,
) -> Result<i64, StoreError> {
    let _guard = store.write_guard().await;
    let (count,): (i64,) = sqlx::query_as(
        "INSERT INTO rate_limit_counters (key_id, window_secs, window_start, count) \
         VALUES ($1, $2, $3, 1) \
         ON CONFLICT (key_id, window_secs, window_start) \
         DO UPDATE SET count = rate_limit_counters.count + 1 RETURNING count",
    )
    .bind(key_id)
    .bind(window_secs)
    .bind(window_start)
    .fetch_one(store.pool())
    .await?;
    Ok(count)
}

/// Deletes counters of windows that ended before `before` (unix seconds).
pub async fn sweep(store: &Store, before: i64) -> Result<u64, StoreError> {
    let _guard = store.write_guard().await;
    let r = sqlx::query("DELETE FROM rate_limit_counters WHERE window_start + window_secs < $1")
        .bind(before)
        .execute(store.pool())
        .await?;
    Ok(r.rows_affected())
}
