//! The session cookie, the CSRF check, the client's address, and the
//! headers every page carries.
//!
//! The cookie is `HttpOnly` (no script reads it), `SameSite=Lax` (a
//! cross-site form post does not carry it; a top-level link from a partner
//! app, as OAuth needs, does), `Path=/`, and `Secure` when the request
//! came over HTTPS (directly or as a proxy's `X-Forwarded-Proto` says).
//! Every state-changing form carries the session's CSRF token, compared in
//! constant time, and a request whose `Origin` is another site is refused
//! before that.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ferrobooks_edge::AppState;
use ferrobooks_service::sessions::{ABSOLUTE_HOURS, Session};

use crate::pages::Refusal;

pub(crate) const COOKIE: &str = "ferrobooks_session";

/// The session cookie's value, if the request carries one.
pub(crate) fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

fn secure(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` of a new session.
pub(crate) fn set_cookie(headers: &HeaderMap, value: &str) -> HeaderValue {
    let secure = if secure(headers) { "; Secure" } else { "" };
    let age = ABSOLUTE_HOURS * 3600;
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// The `Set-Cookie` that removes the session cookie.
pub(crate) fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("ferrobooks_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The client's address: the connection's peer (a proxy's forwarded
/// header is not trusted: anyone can write one).
pub(crate) fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// A signed-in person: the extractor of every page but the sign-in page.
/// Without a live session it answers a redirect to the sign-in page, which
/// brings the person back here afterwards.
pub(crate) struct Signed(pub Session);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let back = || {
            let next = parts
                .uri
                .path_and_query()
                .map_or("/app", |p| p.as_str())
                .to_owned();
            let encoded: String = form_urlencoded(&next);
            Redirect::to(&format!("/app/login?next={encoded}")).into_response()
        };
        let Some(c) = cookie(&parts.headers) else {
            return Err(back());
        };
        match state.services.session(&c).await {
            Ok(s) => Ok(Signed(s)),
            Err(e) if e.code == ferrobooks_service::Code::Unauthorized => {
                let mut r = back();
                r.headers_mut().insert(header::SET_COOKIE, clear_cookie());
                Err(r)
            }
            Err(e) => Err(crate::pages::error_page(
                StatusCode::from_u16(e.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                &e.message,
            )
            .into_response()),
        }
    }
}

fn form_urlencoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Refuses a state-changing request from another site: an `Origin` (or,
/// without one, a `Referer`) naming another host than the request's.
pub(crate) fn same_origin(headers: &HeaderMap) -> Result<(), Refusal> {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let from = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(from) = from else {
        return Ok(());
    };
    let from_host = from
        .split_once("://")
        .map_or(from, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or("");
    if from == "null" || from_host != host {
        return Err(Refusal {
            status: StatusCode::FORBIDDEN,
            message:
                "This form was sent from another site; go back and try again from the console."
                    .into(),
        });
    }
    Ok(())
}

/// Checks a form's CSRF token against the session's, in constant time,
/// and the request's origin.
pub(crate) fn check_csrf(
    session: &Session,
    given: &str,
    headers: &HeaderMap,
) -> Result<(), Refusal> {
    same_origin(headers)?;
    let want = session.csrf_token.as_bytes();
    let got = given.as_bytes();
    let same =
        want.len() == got.len() && want.iter().zip(got).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !same {
        return Err(Refusal {
            status: StatusCode::FORBIDDEN,
            message: "This form has expired or did not come from the console (its security token is missing or wrong). Reload the page and try again.".into(),
        });
    }
    Ok(())
}

/// Headers every page carries: never cached, never framed, scripts and
/// styles only from here.
pub(crate) fn harden(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    res
}
