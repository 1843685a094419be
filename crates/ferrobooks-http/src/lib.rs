#![forbid(unsafe_code)]
//! The HTTP edge of Ferrobooks: the axum router, request ids, API-key
//! authentication and scopes, the one error type with its table of codes,
//! and the native `/api/v1` routes. Handlers translate shapes only; every
//! rule lives in `ferrobooks-service` or below.

pub mod dialect;
mod error;
pub mod extract;
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
use utoipa_axum::router::OpenApiRouter;

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

/// One API surface: its routes (each with its `#[utoipa::path]`, which
/// gives the route its scope) and its dialect. Every surface gets the same
/// edge: authentication, the scope check, rate limits, idempotency (keys
/// and replies per surface) and content negotiation.
pub struct Surface {
    pub routes: OpenApiRouter<AppState>,
    pub dialect: Arc<dyn dialect::Dialect>,
}

impl Surface {
    /// The native API, `/api/v1`.
    pub fn native() -> Surface {
        Surface {
            routes: routes::api_v1(),
            dialect: Arc::new(dialect::Native),
        }
    }
}

/// The whole application: health checks and the native API.
pub fn router(services: Services, config: HttpConfig) -> Router {
    router_with(services, config, vec![Surface::native()])
}

/// Health checks, the OpenAPI document and the given surfaces.
pub fn router_with(services: Services, config: HttpConfig, surfaces: Vec<Surface>) -> Router {
    let mut table = route_table::RouteTable::default();
    let mut mounted = Vec::new();
    for s in surfaces {
        let (api, doc) = s.routes.split_for_parts();
        table.extend(
            route_table::RouteTable::from_openapi(&doc)
                .unwrap_or_else(|e| panic!("a route's annotation has no usable scope: {e}")),
        );
        mounted.push((api, s.dialect));
    }
    let state = AppState {
        services,
        config: Arc::new(config.clone()),
        metrics: metrics::Metrics::default(),
        routes: Arc::new(table),
    };
    let mut app = Router::new()
        .merge(routes::health::routes().split_for_parts().0)
        .merge(openapi::routes().split_for_parts().0);
    for (api, d) in mounted {
        // Layers run outside in: the surface's dialect and its error
        // rendering, authentication (with scopes and rate limits), then
        // idempotency, then content negotiation, then the handler.
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
            ))
            .route_layer(axum::middleware::from_fn(dialect::render_errors))
            .route_layer(axum::Extension(dialect::SurfaceDialect(d)));
        app = app.merge(api);
    }
    app.route_layer(axum::middleware::from_fn_with_state(
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
