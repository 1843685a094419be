//! `/app/settings/developer`: the organization's API keys and the person's
//! own personal access tokens: made (the secret shown once, on the page
//! that made it) and revoked.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ferrobooks_edge::AppState;
use ferrobooks_service::keys::{KeyView, NewKeyRequest};
use ferrobooks_service::oauth::apps::{AppView, NewApp};
use ferrobooks_service::sessions::Session;
use ferrobooks_service::tokens::{NewTokenRequest, TokenView};
use serde::Deserialize;

use super::{Chrome, render, require, say, status_of};
use crate::session::{self, Signed};

#[derive(Template)]
#[template(path = "developer.html")]
struct DeveloperPage {
    chrome: Chrome,
    keys: Vec<KeyView>,
    tokens: Vec<TokenView>,
    /// A secret just made: what it is, and the value (shown this once).
    secret: Option<(String, String)>,
    error: Option<String>,
    can_write_keys: bool,
    apps: Vec<AppView>,
    can_write_apps: bool,
}

async fn page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    secret: Option<(String, String)>,
    error: Option<String>,
) -> Response {
    let keys = match s.ctx.allows("keys", "read") {
        true => match state.services.list_keys(&s.ctx, None, 100).await {
            Ok(p) => p.items,
            Err(e) => return super::error_page(status_of(&e), &say(&e)),
        },
        false => Vec::new(),
    };
    let apps = match s.ctx.allows("oauth_apps", "read") {
        true => match state.services.list_apps(&s.ctx, None, 100).await {
            Ok(p) => p.items,
            Err(e) => return super::error_page(status_of(&e), &say(&e)),
        },
        false => Vec::new(),
    };
    let tokens = match state.services.list_tokens(&s.ctx, None, 100).await {
        Ok(p) => p.items,
        Err(e) => return super::error_page(status_of(&e), &say(&e)),
    };
    render(
        status,
        &DeveloperPage {
            chrome: Chrome::of(s, "developer"),
            keys,
            tokens,
            secret,
            error,
            can_write_keys: s.ctx.allows("keys", "write"),
            apps,
            can_write_apps: s.ctx.allows("oauth_apps", "write"),
        },
    )
}

pub(crate) async fn show(State(state): State<AppState>, Signed(s): Signed) -> Response {
    page(&state, &s, StatusCode::OK, None, None).await
}

/// Comma- or space-separated scopes; empty is every scope (`*`).
fn scopes(text: &str) -> Option<Vec<String>> {
    let v: Vec<String> = text
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    (!v.is_empty()).then_some(v)
}

#[derive(Debug, Deserialize)]
pub(crate) struct KeyForm {
    #[serde(default)]
    csrf: String,
    name: String,
    tier: Option<String>,
    #[serde(default)]
    scopes: String,
    /// A checkbox: present when ticked.
    account_wide: Option<String>,
}

pub(crate) async fn generate_key(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Form(f): Form<KeyForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    if let Err(r) = require(&s, "keys", "write") {
        return r.into_response();
    }
    let req = NewKeyRequest {
        name: f.name,
        tier: f.tier.filter(|t| !t.is_empty()),
        scopes: scopes(&f.scopes),
        account_wide: f.account_wide.is_some(),
    };
    match state.services.generate_key(&s.ctx, req).await {
        Ok(k) => {
            let label = format!("API key \u{201c}{}\u{201d} made", k.view.name);
            page(&state, &s, StatusCode::CREATED, Some((label, k.key)), None).await
        }
        Err(e) => page(&state, &s, status_of(&e), None, Some(say(&e))).await,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn revoke_key(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    if let Err(r) = require(&s, "keys", "write") {
        return r.into_response();
    }
    match state.services.revoke_visible_key(&s.ctx, &id).await {
        Ok(()) => Redirect::to("/app/settings/developer").into_response(),
        Err(e) => page(&state, &s, status_of(&e), None, Some(say(&e))).await,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    csrf: String,
    name: String,
    #[serde(default)]
    scopes: String,
    all_organizations: Option<String>,
    expires_in_days: Option<String>,
}

pub(crate) async fn mint_token(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    let days = match f
        .expires_in_days
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(d) => match d.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let msg = format!("expires in days: '{d}' is not a whole number of days");
                return page(&state, &s, StatusCode::BAD_REQUEST, None, Some(msg)).await;
            }
        },
    };
    let req = NewTokenRequest {
        name: f.name,
        scopes: scopes(&f.scopes),
        all_organizations: f.all_organizations.is_some(),
        expires_in_days: days,
    };
    match state.services.mint_token(&s.ctx, req).await {
        Ok(t) => {
            let label = format!("Personal access token \u{201c}{}\u{201d} made", t.view.name);
            page(
                &state,
                &s,
                StatusCode::CREATED,
                Some((label, t.token)),
                None,
            )
            .await
        }
        Err(e) => page(&state, &s, status_of(&e), None, Some(say(&e))).await,
    }
}

pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    match state.services.revoke_token(&s.ctx, &id).await {
        Ok(()) => Redirect::to("/app/settings/developer").into_response(),
        Err(e) => page(&state, &s, status_of(&e), None, Some(say(&e))).await,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct AppForm {
    #[serde(default)]
    csrf: String,
    name: String,
    #[serde(default)]
    redirect_uris: String,
    #[serde(default)]
    scopes: String,
    confidential: Option<String>,
}

pub(crate) async fn register_app(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Form(f): Form<AppForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    if let Err(r) = require(&s, "oauth_apps", "write") {
        return r.into_response();
    }
    let input = NewApp {
        name: f.name,
        redirect_uris: f
            .redirect_uris
            .lines()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
        scopes: scopes(&f.scopes),
        confidential: f.confidential.is_some(),
    };
    match state.services.register_app(&s.ctx, input).await {
        Ok(a) => {
            let (label, value) = match a.client_secret {
                Some(secret) => (
                    format!(
                        "OAuth app \u{201c}{}\u{201d} registered as {}: its client secret",
                        a.app.name, a.app.client_id
                    ),
                    secret,
                ),
                None => (
                    format!(
                        "OAuth app \u{201c}{}\u{201d} registered (a public client: no secret): its client id",
                        a.app.name
                    ),
                    a.app.client_id,
                ),
            };
            page(&state, &s, StatusCode::CREATED, Some((label, value)), None).await
        }
        Err(e) => page(&state, &s, status_of(&e), None, Some(say(&e))).await,
    }
}

pub(crate) async fn delete_app(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    if let Err(r) = require(&s, "oauth_apps", "write") {
        return r.into_response();
    }
    match state.services.delete_app(&s.ctx, &id).await {
        Ok(()) => Redirect::to("/app/settings/developer").into_response(),
        Err(e) => page(&state, &s, status_of(&e), None, Some(say(&e))).await,
    }
}
