//! `/app`: the signed-in home, and switching the organization worked in.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ferrobooks_edge::AppState;
use serde::Deserialize;

use super::{Chrome, render, say, status_of};
use crate::session::{self, Signed};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    currency: String,
    country: String,
}

pub(crate) async fn show(Signed(s): Signed) -> Response {
    render(
        StatusCode::OK,
        &HomePage {
            currency: s.ctx.org.base_currency.clone(),
            country: s.ctx.org.country.clone(),
            chrome: Chrome::of(&s, "home"),
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct SwitchForm {
    #[serde(default)]
    csrf: String,
    organization_id: String,
}

/// Works in another of the person's organizations from now on.
pub(crate) async fn switch(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    Form(f): Form<SwitchForm>,
) -> Response {
    if let Err(r) = session::check_csrf(&s, &f.csrf, &headers) {
        return r.into_response();
    }
    let Some(c) = session::cookie(&headers) else {
        return Redirect::to("/app/login").into_response();
    };
    match state
        .services
        .switch_organization(&c, &f.organization_id)
        .await
    {
        Ok(()) => Redirect::to("/app").into_response(),
        Err(e) => super::error_page(status_of(&e), &say(&e)),
    }
}
