//! Request ids and API-key authentication.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ferrobooks_service::Code;
use tracing::Instrument;

use crate::AppState;
use crate::dialect::{OrgFrom, RateLimit};
use crate::error::ApiError;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served on this task, for error bodies.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Gives a `multipart/form-data` request (a statement file) the upload
/// limit instead of the body limit every other request has.
pub async fn upload_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    use tower::{Layer, ServiceExt};
    if !crate::extract::is_multipart(req.headers()) {
        return next.run(req).await;
    }
    let limited = axum::extract::DefaultBodyLimit::max(state.config.upload_limit).layer(next);
    match limited.oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

/// Gives every request an id (the client's `X-Request-Id` when it is sane),
/// a tracing span carrying it, and the `X-Request-Id` response header; and
/// refuses a URL with an encoded NUL (see [`nul_in_uri`]).
pub async fn request_id(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("req_{}", ulid::Ulid::new().to_string().to_ascii_lowercase()));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.uri().path(),
    );
    let mut res = if nul_in_uri(&req) {
        REQUEST_ID
            .scope(id.clone(), async {
                ApiError::new(
                    Code::InvalidQuery,
                    "The URL may not contain the NUL character (%00)",
                )
                .into_response()
            })
            .await
    } else {
        REQUEST_ID
            .scope(id.clone(), next.run(req).instrument(span))
            .await
    };
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// Whether the path or query holds an encoded NUL (`%00`). Such a request
/// is refused with 400 before any handler or store sees it: PostgreSQL
/// cannot keep the character and SQLite can, and the two backends must
/// answer alike.
fn nul_in_uri(req: &Request) -> bool {
    let has_nul = |s: &str| s.as_bytes().windows(3).any(|w| w == b"%00");
    has_nul(req.uri().path()) || req.uri().query().is_some_and(has_nul)
}

/// The value of the matched route's path parameter `name`, if it has one.
async fn path_param(req: &mut Request, name: &str) -> Option<String> {
    use axum::RequestPartsExt;
    let (mut parts, body) = std::mem::take(req).into_parts();
    let params = parts.extract::<axum::extract::RawPathParams>().await.ok();
    let value = params.and_then(|p| {
        p.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    });
    *req = Request::from_parts(parts, body);
    value
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Resolves the API key to an [`AuthContext`](ferrobooks_service::AuthContext),
/// checks the route's scope, and hands the context to the handler.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(token) = bearer(req.headers()).map(str::to_owned) else {
        return ApiError::new(
            Code::Unauthorized,
            "Missing API key: send Authorization: Bearer sk_live_...",
        )
        .into_response();
    };
    let dialect = crate::dialect::SurfaceDialect::of(&req);
    let org = match dialect.organization() {
        OrgFrom::Header => Some(
            req.headers()
                .get("x-organization-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        ),
        // A route without the parameter acts on the key's account.
        OrgFrom::Path(name) => path_param(&mut req, name).await.map(Some),
    };
    let (principal, ctx) = match org {
        Some(org) => match state.services.authenticate(&token, org.as_deref()).await {
            Ok(c) => (c.principal.clone(), Some(c)),
            Err(e) if e.code == Code::Forbidden && dialect.organization() != OrgFrom::Header => {
                let id = org.unwrap_or_default();
                return ApiError::new(Code::NotFound, format!("Company not found: {id}"))
                    .into_response();
            }
            Err(e) => return ApiError::from(e).into_response(),
        },
        None => match state.services.authenticate_principal(&token).await {
            Ok(p) => (p, None),
            Err(e) => return ApiError::from(e).into_response(),
        },
    };
    // The scope the route's annotation declares (see `route_table`).
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|p| state.routes.get(req.method(), p.as_str()));
    let Some(scope) = route.map(|r| &r.scope) else {
        tracing::error!(path = %req.uri().path(), "an authenticated route has no scope");
        return ApiError::new(Code::Internal, "Internal server error").into_response();
    };
    if !principal.allows(&scope.resource, &scope.action) {
        let message = match &principal.user {
            Some(u) if !u.role.permits(&scope.resource, &scope.action) => format!(
                "The token's user is {} {}, a role that does not allow {scope}",
                if u.role.as_str().starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                },
                u.role
            ),
            Some(_) => format!("This token lacks the scope {scope}"),
            None => format!("This key lacks the scope {scope}"),
        };
        return ApiError::new(Code::InsufficientScope, message).into_response();
    }
    let (who, plan) = match dialect.rate_limit() {
        RateLimit::KeyTier => (principal.id.clone(), principal.tier.clone()),
        RateLimit::AccountPlan(plan) => (format!("account:{}", principal.tenant_id), plan.into()),
    };
    let decision = state.services.limiter.check(&who, &plan).await;
    let tier = plan;
    let mut res = if decision.allowed {
        match ctx {
            Some(ctx) => {
                req.extensions_mut().insert(ctx);
            }
            None => {
                req.extensions_mut().insert(principal);
            }
        }
        next.run(req).await
    } else {
        let mut r = ApiError::new(
            Code::RateLimited,
            match dialect.rate_limit() {
                RateLimit::KeyTier => format!(
                    "Rate limit exceeded: {} requests per window on the {tier} tier; retry in {} s",
                    decision.limit, decision.retry_after
                ),
                RateLimit::AccountPlan(_) => format!(
                    "Rate limit exceeded: {} requests per {} s for this account; retry in {} s",
                    decision.limit, decision.window, decision.retry_after
                ),
            },
        )
        .into_response();
        r.headers_mut()
            .insert("retry-after", HeaderValue::from(decision.retry_after));
        r
    };
    let h = res.headers_mut();
    h.insert("x-ratelimit-limit", HeaderValue::from(decision.limit));
    h.insert(
        "x-ratelimit-remaining",
        HeaderValue::from(decision.remaining),
    );
    h.insert("x-ratelimit-reset", HeaderValue::from(decision.reset));
    if let Ok(v) = HeaderValue::from_str(&tier) {
        h.insert("x-ratelimit-tier", v);
    }
    res
}
