//! `/app/settings/webhooks`: the organization's webhook endpoints:
//! registered (the signing secret shown once), a test event sent, the
//! delivery log read (status, attempts, the receiver's last status code),
//! events delivered again from a number, endpoints removed.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ferrobooks_edge::AppState;
use ferrobooks_service::sessions::Session;
use ferrobooks_service::webhooks::{DeliveryView, NewWebhook, WebhookView};
use serde::Deserialize;

use super::{Chrome, render, require, say, status_of};
use crate::session::{self, Signed};

#[derive(Template)]
#[template(path = "webhooks.html")]
struct WebhooksPage {
    chrome: Chrome,
    webhooks: Vec<WebhookView>,
    /// An endpoint just registered and its secret (shown this once).
    secret: Option<(String, String)>,
    error: Option<String>,
    can_write: bool,
}

#[derive(Template)]
#[template(path = "webhook.html")]
struct WebhookPage {
    chrome: Chrome,
    webhook: WebhookView,
    deliveries: Vec<DeliveryView>,
    notice: Option<String>,
    error: Option<String>,
    can_write: bool,
}

async fn list_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    secret: Option<(String, String)>,
    error: Option<String>,
) -> Response {
    match state.services.list_webhooks(&s.ctx, None, 100).await {
        Ok(p) => render(
            status,
            &WebhooksPage {
                chrome: Chrome::of(s, "webhooks"),
                webhooks: p.items,
                secret,
                error,
                can_write: s.ctx.allows("webhooks", "write"),
            },
        ),
        Err(e) => super::error_page(status_of(&e), &say(&e)),
    }
}

pub(crate) async fn show_list(State(state): State<AppState>, Signed(s): Signed) -> Response {
    if let Err(r) = require(&s, "webhooks", "read") {
        return r.into_response();
    }
    list_page(&state, &s, StatusCode::OK, None, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct RegisterForm {
    #[serde(default)]
    csrf: String,
    url: String,
    #[serde(default)]
    events: String,
    #[serde(default)]
    description: String,
}

pub(crate) async fn register(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Form(f): Form<RegisterForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    if let Err(r) = require(&s, "webhooks", "write") {
        return r.into_response();
    }
    let events: Vec<String> = f
        .events
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect();
    let input = NewWebhook {
        url: f.url,
        events: if events.is_empty() {
            vec!["*".into()]
        } else {
            events
        },
        description: Some(f.description).filter(|d| !d.trim().is_empty()),
    };
    match state.services.create_webhook(&s.ctx, input).await {
        Ok(w) => {
            let label = w.webhook.url.clone();
            list_page(
                &state,
                &s,
                StatusCode::CREATED,
                Some((label, w.secret)),
                None,
            )
            .await
        }
        Err(e) => list_page(&state, &s, status_of(&e), None, Some(say(&e))).await,
    }
}

async fn one_page(
    state: &AppState,
    s: &Session,
    id: &str,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let webhook = match state.services.get_webhook(&s.ctx, id).await {
        Ok(w) => w,
        Err(e) => return super::error_page(status_of(&e), &say(&e)),
    };
    let deliveries = match state.services.list_deliveries(&s.ctx, id, None, 50).await {
        Ok(p) => p.items,
        Err(e) => return super::error_page(status_of(&e), &say(&e)),
    };
    render(
        status,
        &WebhookPage {
            chrome: Chrome::of(s, "webhooks"),
            webhook,
            deliveries,
            notice,
            error,
            can_write: s.ctx.allows("webhooks", "write"),
        },
    )
}

pub(crate) async fn show_one(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = require(&s, "webhooks", "read") {
        return r.into_response();
    }
    one_page(&state, &s, &id, StatusCode::OK, None, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Checks the form and the role for a change to an endpoint.
fn may_change(s: &Session, csrf: &str, headers: &HeaderMap) -> Result<(), super::Refusal> {
    session::check_csrf(s, csrf, headers)?;
    require(s, "webhooks", "write")
}

pub(crate) async fn test(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = may_change(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    match state.services.test_webhook(&s.ctx, &id).await {
        Ok(_) => {
            let notice = "A test event is on its way; reload to see its delivery.".to_owned();
            one_page(&state, &s, &id, StatusCode::OK, Some(notice), None).await
        }
        Err(e) => one_page(&state, &s, &id, status_of(&e), None, Some(say(&e))).await,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct RedeliverForm {
    #[serde(default)]
    csrf: String,
    from_sequence: String,
}

pub(crate) async fn redeliver(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<RedeliverForm>,
) -> Response {
    if let Err(r) = may_change(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    let Ok(from) = f.from_sequence.trim().parse::<i64>() else {
        let msg = format!("'{}' is not an event number", f.from_sequence.trim());
        return one_page(&state, &s, &id, StatusCode::BAD_REQUEST, None, Some(msg)).await;
    };
    match state.services.redeliver(&s.ctx, &id, from).await {
        Ok(_) => {
            let notice = format!("Events from number {from} on are queued to be delivered again.");
            one_page(&state, &s, &id, StatusCode::OK, Some(notice), None).await
        }
        Err(e) => one_page(&state, &s, &id, status_of(&e), None, Some(say(&e))).await,
    }
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = may_change(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    match state.services.delete_webhook(&s.ctx, &id).await {
        Ok(()) => Redirect::to("/app/settings/webhooks").into_response(),
        Err(e) => one_page(&state, &s, &id, status_of(&e), None, Some(say(&e))).await,
    }
}
