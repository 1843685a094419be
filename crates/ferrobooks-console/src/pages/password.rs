//! `/app/password/forgot`, `/app/password/reset` and `/app/verify`: the
//! pages of the one-time links ([`ferrobooks_service::recovery`]). Forms
//! without a session are refused when posted from another site.

use askama::Template;
use axum::Form;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ferrobooks_edge::AppState;
use serde::Deserialize;

use super::{render, say, status_of};
use crate::session;

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    sent: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    token: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage<'a> {
    title: &'a str,
    message: &'a str,
}

pub(crate) async fn forgot_form() -> Response {
    render(
        StatusCode::OK,
        &ForgotPage {
            sent: false,
            error: None,
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct ForgotForm {
    email: String,
}

pub(crate) async fn forgot(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    if let Err(r) = session::same_origin(&parts.headers) {
        return r.into_response();
    }
    let ip = session::client_ip(&parts);
    let req = Request::from_parts(parts, body);
    let Ok(Form(f)) =
        <Form<ForgotForm> as axum::extract::FromRequest<AppState>>::from_request(req, &state).await
    else {
        return super::error_page(StatusCode::BAD_REQUEST, "The form was incomplete.");
    };
    match state.services.request_password_reset(&f.email, &ip).await {
        Ok(_) => render(
            StatusCode::OK,
            &ForgotPage {
                sent: true,
                error: None,
            },
        ),
        Err(e) => render(
            status_of(&e),
            &ForgotPage {
                sent: false,
                error: Some(say(&e)),
            },
        ),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub(crate) async fn reset_form(Query(q): Query<TokenQuery>) -> Response {
    render(
        StatusCode::OK,
        &ResetPage {
            token: q.token,
            error: None,
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct ResetForm {
    #[serde(default)]
    token: String,
    password: String,
    confirm: String,
}

pub(crate) async fn reset(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Form(f): Form<ResetForm>,
) -> Response {
    if let Err(r) = session::same_origin(&headers) {
        return r.into_response();
    }
    if f.password != f.confirm {
        let error = Some("The two passwords are not the same.".to_owned());
        return render(
            StatusCode::BAD_REQUEST,
            &ResetPage {
                token: f.token,
                error,
            },
        );
    }
    match state.services.reset_password(&f.token, &f.password).await {
        Ok(()) => Redirect::to("/app/login?reset=1").into_response(),
        Err(e) => render(
            status_of(&e),
            &ResetPage {
                token: f.token,
                error: Some(say(&e)),
            },
        ),
    }
}

pub(crate) async fn verify(State(state): State<AppState>, Query(q): Query<TokenQuery>) -> Response {
    match state.services.verify_email(&q.token).await {
        Ok(email) => render(
            StatusCode::OK,
            &NoticePage {
                title: "Email verified",
                message: &format!("{email} is verified. You can close this page or sign in."),
            },
        ),
        Err(e) => super::error_page(status_of(&e), &say(&e)),
    }
}
