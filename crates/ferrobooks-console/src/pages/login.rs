//! `/app/login` and `/app/logout`: signing in (a new session each time,
//! whatever cookie came with the request) and out, here or everywhere.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ferrobooks_edge::AppState;
use serde::Deserialize;

use super::{render, say, status_of};
use crate::session::{self, Signed};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    email: String,
    next: String,
    error: Option<String>,
    /// Just back from setting a new password.
    reset: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
    reset: Option<String>,
}

/// Where to go after signing in: a console path only (never another
/// site: no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if (n.starts_with("/app") || n.starts_with("/oauth/authorize?"))
                && !n.starts_with("//")
                && !n.contains('\\') =>
        {
            n.to_owned()
        }
        _ => "/app".to_owned(),
    }
}

pub(crate) async fn form(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    // Signed in already: straight on.
    if let Some(c) = session::cookie(&headers)
        && s.services.session(&c).await.is_ok()
    {
        return Redirect::to(&next).into_response();
    }
    render(
        StatusCode::OK,
        &LoginPage {
            email: String::new(),
            next,
            error: None,
            reset: q.reset.is_some(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub(crate) async fn submit(
    State(s): State<AppState>,
    headers: HeaderMap,
    parts: axum::extract::Request,
) -> Response {
    let (parts, body) = parts.into_parts();
    let ip = session::client_ip(&parts);
    if let Err(r) = session::same_origin(&headers) {
        return r.into_response();
    }
    let req = axum::extract::Request::from_parts(parts, body);
    let Ok(Form(f)) = Form::<LoginForm>::from_request(req, &s).await else {
        return super::error_page(StatusCode::BAD_REQUEST, "The sign-in form was incomplete.");
    };
    let next = safe_next(f.next.as_deref());
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    // A cookie that came with the request is ended, never promoted.
    if let Some(old) = session::cookie(&headers) {
        let _ = s.services.close_session(&old).await;
    }
    match s
        .services
        .open_session(&f.email, &f.password, &ip, agent)
        .await
    {
        Ok(new) => {
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                session::set_cookie(&headers, &new.cookie),
            );
            session::harden(r)
        }
        Err(e) => {
            tracing::info!(code = e.code.name(), "a console sign-in was refused");
            render(
                status_of(&e),
                &LoginPage {
                    email: f.email,
                    next,
                    error: Some(say(&e)),
                    reset: false,
                },
            )
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Signs out of this session.
pub(crate) async fn logout(
    State(s): State<AppState>,
    Signed(session): Signed,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&session, &f.csrf, &headers) {
        return r.into_response();
    }
    if let Some(c) = session::cookie(&headers) {
        let _ = s.services.close_session(&c).await;
    }
    signed_out()
}

/// Signs out of every session of the person, on every device.
pub(crate) async fn logout_everywhere(
    State(s): State<AppState>,
    Signed(session): Signed,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&session, &f.csrf, &headers) {
        return r.into_response();
    }
    if let Err(e) = s.services.close_user_sessions(&session.user.id).await {
        return super::error_page(status_of(&e), &say(&e));
    }
    signed_out()
}

fn signed_out() -> Response {
    let mut r = Redirect::to("/app/login").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie());
    session::harden(r)
}

use axum::extract::FromRequest;
