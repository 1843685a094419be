#![forbid(unsafe_code)]
//! The web console at `/app`: pages for people, rendered on the server
//! from askama templates (`templates/`), over the same services every API
//! surface calls. No script is needed to use it; forms post and redirect.
//!
//! - `session.rs`: the session cookie, the CSRF check every
//!   state-changing form passes, the client's address, and the page
//!   headers (no caching, no framing, a strict content security policy).
//! - `pages/`: one file per area, named for its path: `login.rs`
//!   (`/app/login`, `/app/logout`), `home.rs` (`/app`, the organization
//!   switcher), `developer.rs` (`/app/settings/developer`: API keys and
//!   personal access tokens), `users.rs` (`/app/settings/users`).
//!
//! A console page is for a person: it is not in the OpenAPI documents
//! (which describe the API surfaces), and its errors are pages, not JSON.

mod pages;
mod session;

use std::sync::Arc;

use axum::Router;
use axum::response::{IntoResponse, Response};
use ferrobooks_edge::dialect::Dialect;
use ferrobooks_edge::{ApiError, AppState, Surface};
use ferrobooks_service::idempotency::Reply;

/// The console, to mount beside the API surfaces.
pub fn surface() -> Surface {
    Surface {
        routes: utoipa_axum::router::OpenApiRouter::new(),
        public: routes(),
        dialect: Arc::new(Console),
    }
}

fn routes() -> Router<AppState> {
    pages::routes()
}

/// The console's dialect: errors the edge answers under `/app` (an unknown
/// page, a wrong method) are pages too.
#[derive(Debug, Clone, Copy)]
pub struct Console;

impl Dialect for Console {
    fn key_prefix(&self) -> &'static str {
        "console:"
    }

    fn reply(&self, status: u16, json: String) -> Reply {
        Reply {
            status,
            content_type: None,
            body: json,
        }
    }

    fn error(&self, e: &ApiError) -> Option<Response> {
        Some(pages::error_page(e.status(), &e.message).into_response())
    }

    fn claims(&self, path: &str) -> bool {
        path == "/app" || path.starts_with("/app/")
    }
}
