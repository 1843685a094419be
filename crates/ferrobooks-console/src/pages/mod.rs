//! The console's pages, one file per area, and what they share: the page
//! frame ([`Chrome`]), rendering, and the error page.

mod developer;
mod home;
mod login;
mod oauth;
mod password;
mod users;
mod webhooks;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use ferrobooks_edge::AppState;
use ferrobooks_service::sessions::Session;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/app", get(home::show))
        .route("/app/", get(home::show))
        .route("/app/organization", post(home::switch))
        .route("/app/login", get(login::form).post(login::submit))
        .route("/app/logout", post(login::logout))
        .route(
            "/app/password/forgot",
            get(password::forgot_form).post(password::forgot),
        )
        .route(
            "/app/password/reset",
            get(password::reset_form).post(password::reset),
        )
        .route("/app/verify", get(password::verify))
        .route("/app/logout/everywhere", post(login::logout_everywhere))
        .route("/app/settings/developer", get(developer::show))
        .route(
            "/app/settings/developer/keys",
            post(developer::generate_key),
        )
        .route(
            "/app/settings/developer/keys/{id}/revoke",
            post(developer::revoke_key),
        )
        .route(
            "/app/settings/developer/tokens",
            post(developer::mint_token),
        )
        .route(
            "/app/settings/developer/tokens/{id}/revoke",
            post(developer::revoke_token),
        )
        .route(
            "/app/settings/developer/apps",
            post(developer::register_app),
        )
        .route(
            "/app/settings/developer/apps/{id}/delete",
            post(developer::delete_app),
        )
        .route("/app/settings/users", get(users::show).post(users::add))
        .route(
            "/app/settings/webhooks",
            get(webhooks::show_list).post(webhooks::register),
        )
        .route("/app/settings/webhooks/{id}", get(webhooks::show_one))
        .route("/app/settings/webhooks/{id}/test", post(webhooks::test))
        .route(
            "/app/settings/webhooks/{id}/redeliver",
            post(webhooks::redeliver),
        )
        .route("/app/settings/webhooks/{id}/delete", post(webhooks::delete))
        .route("/app/assets/console.css", get(stylesheet))
        .route(
            "/oauth/authorize",
            get(oauth::authorize).post(oauth::decide),
        )
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/revoke", post(oauth::revoke))
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/console.css"),
    )
        .into_response()
}

/// What the frame of every signed-in page shows: who, where, and the
/// organizations to switch to; and the CSRF token its forms carry.
pub(crate) struct Chrome {
    pub email: String,
    pub role: String,
    pub org_id: String,
    pub org_name: String,
    pub orgs: Vec<(String, String)>,
    pub csrf: String,
    /// Which menu entry is this page's.
    pub here: &'static str,
    /// Whether the role may manage users (the menu shows the page).
    pub manages_users: bool,
}

impl Chrome {
    pub(crate) fn of(s: &Session, here: &'static str) -> Chrome {
        Chrome {
            email: s.user.email.clone(),
            role: s.user.role.clone(),
            org_id: s.ctx.org.id.to_string(),
            org_name: s.ctx.org.name.clone(),
            orgs: s
                .organizations
                .iter()
                .map(|(id, name)| (id.to_string(), name.clone()))
                .collect(),
            csrf: s.csrf_token.clone(),
            here,
            manages_users: s.ctx.allows("users", "write"),
        }
    }
}

/// A rendered page with the console's headers.
pub(crate) fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => crate::session::harden((status, Html(html)).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "a console template failed");
            crate::session::harden(
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The page could not be shown.",
                )
                    .into_response(),
            )
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
}

/// A page saying what went wrong, in plain words.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Response {
    let title = match status.as_u16() {
        403 => "Not allowed",
        404 => "Not found",
        405 => "Not here",
        429 => "Too many attempts",
        s if s >= 500 => "Something broke",
        _ => "That did not work",
    };
    render(
        status,
        &ErrorPage {
            status: status.as_u16(),
            title,
            message,
        },
    )
}

/// The status a service error answers with.
pub(crate) fn status_of(e: &ferrobooks_service::ServiceError) -> StatusCode {
    StatusCode::from_u16(e.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A service error in a person's words: the message, with the field it is
/// about.
pub(crate) fn say(e: &ferrobooks_service::ServiceError) -> String {
    if e.code == ferrobooks_service::Code::Internal {
        tracing::error!(cause = %e.message, "a console request failed");
        return "Something broke on the server; it is logged. Try again in a moment.".into();
    }
    match e.fields.first() {
        Some((field, why)) => format!("{}: {why}", field.replace('_', " ")),
        None => e.message.clone(),
    }
}

/// A request refused before it reached a service: shown as an error page.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        error_page(self.status, &self.message)
    }
}

/// Refuses what the person's role does not allow.
pub(crate) fn require(s: &Session, resource: &str, action: &str) -> Result<(), Refusal> {
    if s.ctx.allows(resource, action) {
        return Ok(());
    }
    Err(Refusal {
        status: StatusCode::FORBIDDEN,
        message: format!(
            "Your role ({}) does not allow this. Ask an owner or admin of the account.",
            s.user.role
        ),
    })
}
