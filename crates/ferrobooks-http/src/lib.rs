#![forbid(unsafe_code)]
//! The HTTP edge of Ferrobooks: the axum router, request ids, API-key
//! authentication and scopes, the one error type with its table of codes,
//! and the native `/api/v1` routes. Handlers translate shapes only; every
//! rule lives in `ferrobooks-service` or below.

mod error;
mod extract;
mod idempotency;
mod metrics;
mod middleware;
mod negotiate;
mod openapi;
mod pagination;
mod platform_doc;
mod route_table;
mod routes;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use ferrobooks_service::Services;
use tokio::net::TcpListener;

pub use error::{ApiError, native_code};
pub use openapi::document as openapi_document;

/// Settings of the HTTP edge.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest request body accepted; larger is 413.
    pub body_limit: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            body_limit: 1024 * 1024,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub config: Arc<HttpConfig>,
    pub metrics: metrics::Metrics,
    /// What every authenticated route declares (scope, media types), from
    /// its annotation.
    pub routes: Arc<route_table::RouteTable>,
}

/// The whole application: health checks and the native API.
pub fn router(services: Services, config: HttpConfig) -> Router {
    let (api, doc) = routes::api_v1().split_for_parts();
    let routes = route_table::RouteTable::from_openapi(&doc)
        .unwrap_or_else(|e| panic!("a route's annotation has no usable scope: {e}"));
    let state = AppState {
        services,
        config: Arc::new(config.clone()),
        metrics: metrics::Metrics::default(),
        routes: Arc::new(routes),
    };
    // Layers run outside in: authentication (with scopes and rate limits),
    // then idempotency, then the handler.
    let api = api
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            negotiate::accept_json,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::idempotency,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::authenticate,
        ));
    Router::new()
        .merge(routes::health::routes().split_for_parts().0)
        .merge(openapi::routes().split_for_parts().0)
        .merge(api)
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .fallback(error::not_found_route)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(axum::middleware::from_fn(middleware::request_id))
        .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves, then stops taking
/// connections and lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
