//! The native list envelope: `{data, has_more, next_cursor}`.

use axum::Json;
use ferrobooks_edge::pagination::encode_cursor;
use ferrobooks_service::page::Page;
use serde::Serialize;

/// The list envelope. A typed struct, not a `serde_json::Value`: amounts
/// are exact number literals, and a `Value` would turn them into floats.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct List<T> {
    pub data: Vec<T>,
    pub has_more: bool,
    pub next_cursor: Option<String>,
}

/// A page of a use case's results in the envelope, each shown as its
/// native view.
pub fn list<S, T: From<S> + Serialize>(page: Page<S>) -> Json<List<T>> {
    Json(List {
        next_cursor: page.next_after.as_deref().map(encode_cursor),
        data: page.items.into_iter().map(T::from).collect(),
        has_more: page.has_more,
    })
}
