#![forbid(unsafe_code)]
//! The server as a library: which surfaces one binary mounts behind the
//! shared edge. `main.rs` serves it; the test kit and the bench start the
//! same application.

use axum::Router;
use ferrobooks_edge::{HttpConfig, Surface};
use ferrobooks_service::Services;

/// Every surface this binary serves.
pub fn surfaces() -> Vec<Surface> {
    vec![
        ferrobooks_api_v1::surface(),
        ferrobooks_api_importer::surface(),
        ferrobooks_console::surface(),
    ]
}

/// The whole application: the operator's routes and every surface.
pub fn app(services: Services, http: HttpConfig) -> Router {
    ferrobooks_edge::router(services, http, surfaces())
}
