#![forbid(unsafe_code)]
//! The HTTP edge every API surface shares: request ids, authentication
//! (the principal and its organization), the scope check each route's
//! annotation declares, rate limits, idempotency keys, content negotiation,
//! metrics, the one error type, strict JSON and query extractors, cursors,
//! and the [`Dialect`](dialect::Dialect) a surface speaks. A surface crate
//! (`ferrobooks-api-v1`, ...) brings routes and a dialect, never a rule:
//! rules live in `ferrobooks-service` or below, and this crate does not
//! depend on the store.

pub mod dialect;
mod error;
pub mod extract;
mod idempotency;
mod metrics;
mod middleware;
pub mod negotiate;
mod operator;
pub mod pagination;
pub mod route_table;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use ferrobooks_service::Services;
use tokio::net::TcpListener;
use utoipa_axum::router::OpenApiRouter;

pub use error::{ApiError, codes_table, native_code, native_codes};
pub use middleware::current_request_id;

/// Settings of the HTTP edge.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest request body accepted; larger is 413.
    pub body_limit: usize,
    /// Largest `multipart/form-data` body (a bank statement of a busy
    /// account is a few MiB); larger is 413.
    pub upload_limit: usize,
}

impl HttpConfig {
    /// The limit of a request with these headers: uploads have their own.
    pub fn limit_for(&self, headers: &axum::http::HeaderMap) -> usize {
        if extract::is_multipart(headers) {
            self.upload_limit
        } else {
            self.body_limit
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            body_limit: 1024 * 1024,
            upload_limit: 52 * 1024 * 1024,
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
/// gives the route its scope), the routes it serves without a key (its
/// OpenAPI document, its reference) and its dialect. Every surface gets the
/// same edge: authentication, the scope check, rate limits, idempotency
/// (keys and replies per surface) and content negotiation.
pub struct Surface {
    pub routes: OpenApiRouter<AppState>,
    pub public: Router<AppState>,
    pub dialect: Arc<dyn dialect::Dialect>,
}

/// The operator's routes (health, readiness, metrics), for a surface's
/// OpenAPI document to include.
pub fn operator_routes() -> OpenApiRouter<AppState> {
    operator::routes()
}

/// The operator's routes and the given surfaces, behind the shared edge.
pub fn router(services: Services, config: HttpConfig, surfaces: Vec<Surface>) -> Router {
    let mut table = route_table::RouteTable::default();
    let mut mounted = Vec::new();
    let dialects: Arc<Vec<Arc<dyn dialect::Dialect>>> =
        Arc::new(surfaces.iter().map(|s| s.dialect.clone()).collect());
    for s in surfaces {
        let (api, doc) = s.routes.split_for_parts();
        table.extend(
            route_table::RouteTable::from_openapi(&doc)
                .unwrap_or_else(|e| panic!("a route's annotation has no usable scope: {e}")),
        );
        // A surface of pages only (the console) has no API routes to
        // layer.
        let api = (!doc.paths.paths.is_empty()).then_some(api);
        mounted.push((api, s.public, s.dialect));
    }
    let state = AppState {
        services,
        config: Arc::new(config.clone()),
        metrics: metrics::Metrics::default(),
        routes: Arc::new(table),
    };
    let mut app = Router::new().merge(operator::routes().split_for_parts().0);
    for (api, public, d) in mounted {
        let Some(api) = api else {
            app = app.merge(public);
            continue;
        };
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
        app = app.merge(api).merge(public);
    }
    app.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        metrics::record,
    ))
    .fallback(error::not_found_route)
    .method_not_allowed_fallback(error::method_not_allowed)
    // Inside the default limit, so an upload's own limit wins.
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        middleware::upload_limit,
    ))
    .layer(DefaultBodyLimit::max(config.body_limit))
    .layer(axum::middleware::from_fn(middleware::request_id))
    .layer(axum::middleware::from_fn_with_state(
        dialects,
        dialect::render_by_path,
    ))
    .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves, then stops taking
/// connections and lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer's address reaches handlers (the console's sign-in limit
    // per address) as `ConnectInfo<SocketAddr>`.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
