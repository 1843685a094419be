//! `Idempotency-Key` on every POST (API.md): the first response is stored
//! for 24 hours and replayed with `Idempotent-Replayed: true`; the same key
//! with another request is 422; while the first request runs, 409. Keys
//! live per organization and per surface, and the stored reply is the one
//! the serving surface's [`Dialect`](crate::dialect::Dialect) rendered.
//!
//! The response of a request that changes the books is stored by the
//! service in the same transaction as the change (see
//! `Services::finish_idempotent`); this middleware claims the key before the
//! handler runs and, for answers that changed nothing (4xx), stores them
//! after. 5xx answers are not stored: a retry runs again. Answers a use
//! case marks as holding a secret (`AuthContext::answer_holds_secret`: a
//! new key, a webhook's signing secret) are never stored: a retry makes a
//! new one.

use std::sync::atomic::Ordering;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ferrobooks_service::idempotency::{Claim, KeyState, Reply};
use ferrobooks_service::{AuthContext, Code, IdempotentRequest};

use crate::AppState;
use crate::dialect::{Dialect, SurfaceDialect, in_dialect, send};
use crate::error::ApiError;

/// Largest response body kept for replay.
const MAX_STORED: usize = 4 * 1024 * 1024;

pub async fn idempotency(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(raw) = req.headers().get("idempotency-key") else {
        return next.run(req).await;
    };
    let key = match raw.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => {
            k.to_owned()
        }
        _ => {
            return ApiError::new(
                Code::ValidationFailed,
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            )
            .with_detail("Idempotency-Key", "1 to 255 visible ASCII characters")
            .into_response();
        }
    };
    let Some(mut ctx) = req.extensions().get::<AuthContext>().cloned() else {
        return next.run(req).await;
    };
    let dialect = SurfaceDialect::of(&req);
    let key = format!("{}{key}", dialect.key_prefix());
    let (mut parts, body) = req.into_parts();
    let bytes = match to_bytes(body, state.config.limit_for(&parts.headers)).await {
        Ok(b) => b,
        Err(_) => {
            return ApiError::new(Code::PayloadTooLarge, "Request body is too large")
                .into_response();
        }
    };
    let mut h = blake3::Hasher::new();
    h.update(parts.method.as_str().as_bytes());
    h.update(b"\0");
    h.update(
        parts
            .uri
            .path_and_query()
            .map_or("", |p| p.as_str())
            .as_bytes(),
    );
    h.update(b"\0");
    hash_body(&mut h, &parts.headers, &bytes).await;
    let fingerprint = h.finalize().to_hex().to_string();
    let services = &state.services;
    let claim = match services.claim_key(ctx.org_id(), &key, &fingerprint).await {
        Err(e) => return ApiError::from(e).into_response(),
        Ok(KeyState::Mismatch) => {
            return ApiError::new(
                Code::IdempotencyKeyReused,
                "This Idempotency-Key was used for a different request",
            )
            .into_response();
        }
        Ok(KeyState::InFlight { retry_after }) => {
            let mut res = ApiError::new(
                Code::IdempotencyKeyInUse,
                format!(
                    "A request with this Idempotency-Key is still running; retry in {retry_after} s"
                ),
            )
            .into_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            return res;
        }
        Ok(KeyState::Replay(reply)) => {
            let mut res = send(reply);
            res.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return res;
        }
        Ok(KeyState::Acquired(c)) => c,
    };
    let render = dialect.clone();
    ctx.request.idempotency = Some(IdempotentRequest {
        claim: claim.clone(),
        render: std::sync::Arc::new(move |status, json| render.reply(status, json)),
    });
    let secret = ctx.request.secret_answer.clone();
    parts.extensions.insert(ctx);
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let res = finish(
        &state,
        dialect.as_ref(),
        &claim,
        res,
        secret.load(Ordering::Relaxed),
    )
    .await;
    services.key_done(&claim);
    res
}

/// After the handler: give the key back, or make sure the answer is stored.
async fn finish(
    state: &AppState,
    dialect: &dyn Dialect,
    claim: &Claim,
    res: Response,
    secret: bool,
) -> Response {
    let services = &state.services;
    if res.status().is_server_error() || secret {
        if let Err(e) = services.release_key(claim).await {
            tracing::warn!(error = %e, "releasing an idempotency key failed");
        }
        return res;
    }
    match services.reply_kept(claim).await {
        Ok(true) => return res,
        Ok(false) => {}
        Err(e) => {
            tracing::warn!(error = %e, "reading an idempotency key failed");
            return res;
        }
    }
    // Nothing stored it with an effect: an error answer, stored now, as
    // the surface answers it.
    let (parts, body) = in_dialect(dialect, res).into_parts();
    let Ok(bytes) = to_bytes(body, MAX_STORED).await else {
        let _ = services.release_key(claim).await;
        return ApiError::new(Code::Internal, "Internal server error").into_response();
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let reply = Reply {
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .filter(|c| *c != "application/json")
            .map(str::to_owned),
        body: text,
    };
    if let Err(e) = services.keep_reply(claim, &reply).await {
        tracing::warn!(error = %e, "storing an idempotent response failed");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Adds the body to a request's fingerprint. A `multipart/form-data` body
/// counts by its parts (name, file name, content type, content), not its
/// bytes: a client that builds the form again for a retry draws a new
/// boundary, and the retry must still be the same request. A body that is
/// not readable as the form it claims counts by its bytes.
async fn hash_body(h: &mut blake3::Hasher, headers: &axum::http::HeaderMap, bytes: &Bytes) {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok());
    if let Some(boundary) = boundary {
        let body = bytes.clone();
        let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
        let mut form = multer::Multipart::new(stream, boundary);
        let mut parts = blake3::Hasher::new();
        let mut whole = true;
        loop {
            match form.next_field().await {
                Ok(Some(field)) => {
                    for s in [
                        field.name().unwrap_or_default().to_owned(),
                        field.file_name().unwrap_or_default().to_owned(),
                        field
                            .content_type()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    ] {
                        parts.update(&(s.len() as u64).to_le_bytes());
                        parts.update(s.as_bytes());
                    }
                    match field.bytes().await {
                        Ok(b) => {
                            parts.update(&(b.len() as u64).to_le_bytes());
                            parts.update(&b);
                        }
                        Err(_) => {
                            whole = false;
                            break;
                        }
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    whole = false;
                    break;
                }
            }
        }
        if whole {
            h.update(b"multipart\0");
            h.update(parts.finalize().as_bytes());
            return;
        }
    }
    h.update(bytes);
}
