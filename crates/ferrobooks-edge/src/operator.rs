//! The operator's routes, the same on every node whatever surfaces it
//! serves: liveness, readiness and metrics.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The operator's routes (no API key): health, readiness, metrics.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(crate::metrics::serve))
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    summary = "The process is up",
    responses((status = 200, description = "{\"status\": \"ok\"}")))]
pub(crate) async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// The process can reach its store.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    summary = "The process can reach its store",
    responses((status = 200, description = "Ready"), (status = 503, description = "The store is unreachable")))]
pub(crate) async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.services.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ready"}))),
        Err(e) => {
            tracing::warn!(error = %e, "store unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable"})),
            )
        }
    }
}
