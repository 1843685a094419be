//! A surface's dialect: what one API surface says differently from another
//! over the same services. The native API (`/api/v1`) is one dialect; each
//! compatibility surface is another. A dialect decides three things and
//! nothing else (no business rule):
//!
//! - how a use case's result is sent ([`Dialect::reply`]; the same
//!   function renders the first reply and the one an Idempotency-Key
//!   replays, so a retry through a surface gets that surface's reply);
//! - how an error looks ([`Dialect::error`], from an [`ApiError`] whose
//!   [`Code`](ferrobooks_service::Code) it maps with a match of its own);
//! - the namespace of its idempotency keys ([`Dialect::key_prefix`]), so a
//!   key used on one surface never replays another surface's reply;
//! - where a request names its organization ([`Dialect::organization`]):
//!   a header, or a path parameter (the importer's `/companies/{id}`);
//! - which rate-limit plan counts its requests, and per what
//!   ([`Dialect::rate_limit`]): the key's tier per key, or a plan of the
//!   surface's own per account (the importer's 60 a minute).
//!
//! Authentication, the scope check (from each route's annotation), the
//! counting of rate limits, idempotency and content negotiation are the edge's, the same
//! for every surface ([`crate::Surface`]).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ferrobooks_service::idempotency::Reply;

use crate::error::ApiError;

pub trait Dialect: Send + Sync + 'static {
    /// Prepended to this surface's idempotency keys ("" for the native
    /// API, whose keys were stored before there were other surfaces).
    fn key_prefix(&self) -> &'static str;

    /// The reply for a use case's result: its status and its JSON as the
    /// service serializes it.
    fn reply(&self, status: u16, json: String) -> Reply;

    /// The response for an error, or None to keep the native one.
    fn error(&self, e: &ApiError) -> Option<Response>;

    /// Where a request names the organization it acts in.
    fn organization(&self) -> OrgFrom {
        OrgFrom::Header
    }

    /// The plan that counts this surface's requests.
    fn rate_limit(&self) -> RateLimit {
        RateLimit::KeyTier
    }

    /// Whether `path` is under this surface's paths, for the errors the
    /// edge answers before any route matches (an unknown route or method,
    /// a NUL in the URL): those are rendered in the dialect that claims
    /// the path. The native API claims none (its shape is the default).
    fn claims(&self, _path: &str) -> bool {
        false
    }
}

/// Which plan counts a surface's requests, and whose they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    /// The key's tier, per key (the native API).
    KeyTier,
    /// The named plan ([`ferrobooks_service::ratelimit::Plans`]), per
    /// account: every key of the account counts together.
    AccountPlan(&'static str),
}

/// Middleware: errors answered outside every surface's routes, in the
/// dialect of the surface whose paths the request is under.
pub async fn render_by_path(
    axum::extract::State(dialects): axum::extract::State<Arc<Vec<Arc<dyn Dialect>>>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    let res = next.run(req).await.into_response();
    match dialects.iter().find(|d| d.claims(&path)) {
        Some(d) => in_dialect(d.as_ref(), res),
        None => res,
    }
}

/// Where a surface's requests name their organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgFrom {
    /// The `X-Organization-Id` header (needed only by keys that serve
    /// several organizations).
    Header,
    /// The path parameter of this name. A route without it acts on the
    /// key's account (its handler gets the `Principal`, not an
    /// `AuthContext`); an organization the key may not use is 404.
    Path(&'static str),
}

/// The native API's dialect: results as the service gives them, errors as
/// [`ApiError`] renders them.
#[derive(Debug, Clone, Copy)]
pub struct Native;

impl Dialect for Native {
    fn key_prefix(&self) -> &'static str {
        ""
    }

    fn reply(&self, status: u16, json: String) -> Reply {
        Reply {
            status,
            content_type: None,
            body: json,
        }
    }

    fn error(&self, _: &ApiError) -> Option<Response> {
        None
    }
}

/// The dialect of the surface a request came through (a request extension
/// set by [`crate::Surface`]).
#[derive(Clone)]
pub struct SurfaceDialect(pub Arc<dyn Dialect>);

impl SurfaceDialect {
    pub fn of(req: &Request) -> Arc<dyn Dialect> {
        req.extensions()
            .get::<SurfaceDialect>()
            .map_or_else(|| Arc::new(Native) as Arc<dyn Dialect>, |d| d.0.clone())
    }
}

/// A stored (or fresh) reply as a response.
pub fn send(reply: Reply) -> Response {
    let mut res = Response::new(Body::from(reply.body));
    *res.status_mut() =
        axum::http::StatusCode::from_u16(reply.status).unwrap_or(axum::http::StatusCode::OK);
    let ct = reply
        .content_type
        .as_deref()
        .and_then(|c| HeaderValue::from_str(c).ok())
        .unwrap_or(HeaderValue::from_static("application/json"));
    res.headers_mut().insert(header::CONTENT_TYPE, ct);
    res
}

/// Renders an error response in `dialect`, keeping its other headers
/// (`Retry-After`, the rate-limit headers).
pub fn in_dialect(dialect: &dyn Dialect, res: Response) -> Response {
    let Some(e) = res.extensions().get::<ApiError>() else {
        return res;
    };
    let Some(mut out) = dialect.error(e) else {
        return res;
    };
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out
}

/// Middleware: every error a surface's routes answer, in its dialect.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let dialect = SurfaceDialect::of(&req);
    in_dialect(dialect.as_ref(), next.run(req).await.into_response())
}
