//! `/app/settings/users`: the people of the account and their roles;
//! owners and admins add them (the generated password shown once).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ferrobooks_edge::AppState;
use ferrobooks_service::Services;
use ferrobooks_service::sessions::Session;
use ferrobooks_service::users::{UserInput, UserView};
use serde::Deserialize;

use super::{Chrome, render, require, say, status_of};
use crate::session::{self, Signed};

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserView>,
    /// A user just added and their generated password (shown this once).
    added: Option<(String, String)>,
    error: Option<String>,
    roles: Vec<&'static str>,
}

async fn page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    added: Option<(String, String)>,
    error: Option<String>,
) -> Response {
    let users = match state.services.list_users(&s.ctx, None, 100).await {
        Ok(p) => p.items,
        Err(e) => return super::error_page(status_of(&e), &say(&e)),
    };
    let by = Services::manager_role(&s.ctx);
    render(
        status,
        &UsersPage {
            chrome: Chrome::of(s, "users"),
            users,
            added,
            error,
            roles: ferrobooks_domain::access::Role::ALL
                .iter()
                .filter(|r| by.manages(**r))
                .map(|r| r.as_str())
                .collect(),
        },
    )
}

pub(crate) async fn show(State(state): State<AppState>, Signed(s): Signed) -> Response {
    if let Err(r) = require(&s, "users", "read") {
        return r.into_response();
    }
    page(&state, &s, StatusCode::OK, None, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct AddForm {
    #[serde(default)]
    csrf: String,
    email: String,
    #[serde(default)]
    name: String,
    role: String,
}

pub(crate) async fn add(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Form(f): Form<AddForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    if let Err(r) = require(&s, "users", "write") {
        return r.into_response();
    }
    let input = UserInput {
        email: Some(f.email),
        name: Some(f.name).filter(|n| !n.trim().is_empty()),
        role: Some(f.role),
        ..UserInput::default()
    };
    match state
        .services
        .create_user(
            &s.ctx.principal.tenant_id,
            Services::manager_role(&s.ctx),
            Some(s.ctx.org_id()),
            input,
        )
        .await
    {
        Ok(made) => {
            let added = (made.user.email, made.password.unwrap_or_default());
            page(&state, &s, StatusCode::CREATED, Some(added), None).await
        }
        Err(e) => page(&state, &s, status_of(&e), None, Some(say(&e))).await,
    }
}
