//! `/oauth/authorize`, `/oauth/token` and `/oauth/revoke`: the OAuth 2.0
//! provider's endpoints. The authorization endpoint is a page (a signed-in
//! person consents); the token and revocation endpoints answer JSON in
//! RFC 6749's shapes, never cached.

use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use base64::Engine;
use ferrobooks_edge::AppState;
use ferrobooks_service::oauth::OAuthError;
use ferrobooks_service::oauth::grants::{
    Authorize, AuthorizeParams, Consent, TokenRequest, redirect_with,
};
use serde::Deserialize;

use super::{Chrome, render};
use crate::session::{self, Signed};

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    chrome: Chrome,
    app_name: String,
    scopes: Vec<String>,
    params: Vec<(&'static str, String)>,
    redirect_host: String,
}

/// The request's parameters as hidden fields, so the decision is checked
/// again from scratch (nothing the form carries is trusted).
fn hidden(p: &AuthorizeParams) -> Vec<(&'static str, String)> {
    [
        ("response_type", &p.response_type),
        ("client_id", &p.client_id),
        ("redirect_uri", &p.redirect_uri),
        ("scope", &p.scope),
        ("state", &p.state),
        ("code_challenge", &p.code_challenge),
        ("code_challenge_method", &p.code_challenge_method),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
    .collect()
}

/// Checks the request; `Ok(consent)` when a person is to be asked, else
/// the answer (a refusal page or the way back to the app).
async fn check(state: &AppState, p: &AuthorizeParams) -> Result<Consent, Response> {
    match state.services.authorize_request(p).await {
        Ok(Authorize::Ask(c)) => Ok(c),
        Ok(Authorize::Back(url)) => Err(Redirect::to(&url).into_response()),
        Ok(Authorize::Refuse(why)) => Err(super::error_page(StatusCode::BAD_REQUEST, &why)),
        Err(e) => Err(super::error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            &e.description,
        )),
    }
}

/// `GET /oauth/authorize`: the consent page, after signing in.
pub(crate) async fn authorize(
    State(state): State<AppState>,
    Query(p): Query<AuthorizeParams>,
    signed: Result<Signed, Response>,
) -> Response {
    let consent = match check(&state, &p).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    // Not signed in: the sign-in page brings the person back here.
    let Signed(s) = match signed {
        Ok(s) => s,
        Err(r) => return r,
    };
    let redirect_host = consent
        .redirect_uri
        .split_once("://")
        .map_or(consent.redirect_uri.as_str(), |(_, r)| r)
        .split(['/', '?'])
        .next()
        .unwrap_or("")
        .to_owned();
    render(
        StatusCode::OK,
        &ConsentPage {
            chrome: Chrome::of(&s, "oauth"),
            app_name: consent.app_name,
            scopes: consent.scopes,
            params: hidden(&p),
            redirect_host,
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct Decision {
    #[serde(default)]
    csrf: String,
    decision: String,
    organization_id: String,
    #[serde(flatten)]
    params: AuthorizeParams,
}

/// `POST /oauth/authorize`: the person's answer.
pub(crate) async fn decide(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Form(d): Form<Decision>,
) -> Response {
    if let Err(r) = session::check_csrf(&s, &d.csrf, &headers) {
        return r.into_response();
    }
    let consent = match check(&state, &d.params).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if d.decision != "approve" {
        let mut params = vec![
            ("error", "access_denied"),
            ("error_description", "the user declined"),
        ];
        if let Some(st) = consent.state.as_deref() {
            params.push(("state", st));
        }
        return Redirect::to(&redirect_with(&consent.redirect_uri, &params)).into_response();
    }
    let org = ferrobooks_service::OrgId::new(&d.organization_id);
    match state.services.grant_code(&s.user.id, &org, &consent).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) if e.error == "access_denied" => {
            super::error_page(StatusCode::FORBIDDEN, &e.description)
        }
        Err(e) => super::error_page(StatusCode::INTERNAL_SERVER_ERROR, &e.description),
    }
}

/// HTTP Basic client credentials (RFC 6749 2.3.1: each part form-encoded).
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, b64) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((form_decode(id), form_decode(secret)))
}

/// One form-encoded component, decoded.
fn form_decode(s: &str) -> String {
    form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

fn oauth_error(e: &OAuthError, basic_used: bool) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut r = (
        status,
        Json(serde_json::json!({"error": e.error, "error_description": e.description})),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED && basic_used {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"ferrobooks\""),
        );
    }
    no_store(r)
}

/// The request's form, with Basic credentials merged in (a client using
/// both ways at once is refused, RFC 6749 2.3).
fn with_client(
    headers: &HeaderMap,
    mut req: TokenRequest,
) -> Result<(TokenRequest, bool), OAuthError> {
    if let Some((id, secret)) = basic(headers) {
        if req.client_secret.is_some() || req.client_id.as_deref().is_some_and(|c| c != id) {
            return Err(OAuthError::new(
                "invalid_request",
                "send the client's credentials one way only",
            ));
        }
        req.client_id = Some(id);
        req.client_secret = Some(secret);
        return Ok((req, true));
    }
    Ok((req, false))
}

/// The form of a token or revocation request with its client's
/// credentials, or the RFC error to answer.
fn client_request(
    headers: &HeaderMap,
    form: Result<Form<TokenRequest>, FormRejection>,
) -> Result<(TokenRequest, bool), OAuthError> {
    let Ok(Form(req)) = form else {
        return Err(OAuthError::new(
            "invalid_request",
            "the body must be application/x-www-form-urlencoded",
        ));
    };
    with_client(headers, req)
}

/// `POST /oauth/token`.
pub(crate) async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TokenRequest>, FormRejection>,
) -> Response {
    let (req, basic_used) = match client_request(&headers, form) {
        Ok(x) => x,
        Err(e) => return oauth_error(&e, false),
    };
    match state.services.token(req).await {
        Ok(answer) => no_store(Json(answer).into_response()),
        Err(e) => oauth_error(&e, basic_used),
    }
}

/// `POST /oauth/revoke` (RFC 7009): 200 whether or not the token was
/// known.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<TokenRequest>, FormRejection>,
) -> Response {
    let (req, basic_used) = match client_request(&headers, form) {
        Ok(x) => x,
        Err(e) => return oauth_error(&e, false),
    };
    match state.services.revoke_oauth_token(req).await {
        Ok(()) => no_store(StatusCode::OK.into_response()),
        Err(e) => oauth_error(&e, basic_used),
    }
}
