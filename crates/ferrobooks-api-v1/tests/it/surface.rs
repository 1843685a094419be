//! A second surface in a dialect of its own, over the same services and
//! with no business logic: its own error shape, its own idempotent replay,
//! the same scope rules (read from its annotations).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ferrobooks_edge::dialect::{Dialect, SurfaceDialect, send};
use ferrobooks_edge::extract::ApiJson;
use ferrobooks_edge::{ApiError, AppState, Surface};
use ferrobooks_service::contacts::{ContactInput, Party};
use ferrobooks_service::documents::DocKind;
use ferrobooks_service::idempotency::Reply;
use ferrobooks_service::{AuthContext, Code};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use ferrobooks_testkit::TestApp;

/// The tiny dialect: results as `{"result": ...}`, errors as
/// `{"fault": {"kind", "text", "state"?}}`, keys of its own.
struct Tiny;

/// Its own name for every code; no wildcard arm, as every surface must.
fn kind(code: Code) -> &'static str {
    match code {
        Code::ValidationFailed
        | Code::InvalidJson
        | Code::InvalidQuery
        | Code::InvalidCursor
        | Code::Unprocessable => "bad_input",
        Code::UnbalancedEntry | Code::DuplicateCode | Code::LedgerFull => "bad_input",
        Code::Unauthorized => "who_are_you",
        Code::Forbidden | Code::InsufficientScope => "not_allowed",
        Code::NotFound | Code::RouteNotFound => "missing",
        Code::MethodNotAllowed
        | Code::NotAcceptable
        | Code::UnsupportedMediaType
        | Code::PayloadTooLarge => "bad_request",
        Code::InvalidState | Code::PeriodClosed => "bad_state",
        Code::AlreadyConverted
        | Code::HasApplications
        | Code::HasTransactions
        | Code::SystemAccount => "in_use",
        Code::PostedBySource | Code::NumberTaken | Code::ChartIncomplete => "in_use",
        Code::IdempotencyKeyTakenOver | Code::IdempotencyKeyInUse | Code::IdempotencyKeyReused => {
            "retry_clash"
        }
        Code::RateLimited | Code::AccountLocked => "slow_down",
        Code::Internal => "broken",
    }
}

impl Dialect for Tiny {
    fn key_prefix(&self) -> &'static str {
        "tiny:"
    }

    fn reply(&self, status: u16, json: String) -> Reply {
        Reply {
            status,
            content_type: None,
            body: format!("{{\"result\":{json}}}"),
        }
    }

    fn error(&self, e: &ApiError) -> Option<Response> {
        let mut fault = json!({"kind": kind(e.code), "text": e.message});
        if let Some(s) = &e.state {
            fault["state"] = json!(s);
        }
        let status = axum::http::StatusCode::from_u16(e.code.status()).unwrap();
        Some((status, Json(json!({"fault": fault}))).into_response())
    }
}

/// Renders a result in the request's dialect: the same function as the
/// stored replay, so both are equal.
fn reply<T: serde::Serialize>(d: &SurfaceDialect, status: u16, v: &T) -> Response {
    send(d.0.reply(status, serde_json::to_string(v).unwrap()))
}

#[utoipa::path(post, path = "/tiny/contacts", request_body = Object,
    responses((status = 201)), security(("bearer" = ["customers:write"])))]
async fn create_contact(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    ApiJson(input): ApiJson<ContactInput>,
) -> Result<Response, ApiError> {
    Ok(reply(
        &d,
        201,
        &s.services
            .create_contact(&ctx, Party::Customer, input)
            .await?,
    ))
}

#[utoipa::path(get, path = "/tiny/contacts/{id}", params(("id" = String, Path)),
    responses((status = 200)), security(("bearer" = ["customers:read"])))]
async fn contact(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(reply(
        &d,
        200,
        &s.services.get_contact(&ctx, Party::Customer, &id).await?,
    ))
}

#[utoipa::path(post, path = "/tiny/bills_out/{id}/cancel", params(("id" = String, Path)),
    responses((status = 200)), security(("bearer" = ["invoices:write"])))]
async fn cancel_invoice(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(reply(
        &d,
        200,
        &s.services
            .void_document(&ctx, DocKind::Invoice, &id, None)
            .await?,
    ))
}

/// Serves the native API and the tiny surface over `app`'s services.
async fn serve_both(app: &TestApp) -> String {
    let tiny = Surface {
        routes: OpenApiRouter::new()
            .routes(routes!(create_contact))
            .routes(routes!(contact))
            .routes(routes!(cancel_invoice)),
        public: axum::Router::new(),
        dialect: Arc::new(Tiny),
    };
    let router = ferrobooks_edge::router(
        app.services.clone(),
        ferrobooks_edge::HttpConfig::default(),
        vec![ferrobooks_api_v1::surface(), tiny],
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(ferrobooks_edge::serve(
        listener,
        router,
        std::future::pending(),
    ));
    base
}

async fn call(
    app: &TestApp,
    m: reqwest::Method,
    url: &str,
    key: &str,
    body: Option<Value>,
    idem: Option<&str>,
) -> (u16, Value, bool) {
    let mut req = app.client.request(m, url).bearer_auth(key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    if let Some(k) = idem {
        req = req.header("idempotency-key", k);
    }
    let r = req.send().await.unwrap();
    let replayed = r.headers().get("idempotent-replayed").is_some();
    (
        r.status().as_u16(),
        r.json().await.unwrap_or(Value::Null),
        replayed,
    )
}

ferrobooks_testkit::backend_test! {
    async fn a_second_surface_has_its_own_shape_replay_and_the_same_scopes(app: TestApp) {
        use reqwest::Method;
        let base = serve_both(&app).await;
        let key = app.key.clone();
        // Its reply shape, fresh and replayed alike.
        let (st, first, replayed) = call(&app, Method::POST, &format!("{base}/tiny/contacts"), &key, Some(json!({"name": "Tiny Ltd"})), Some("k-1")).await;
        assert_eq!((st, replayed), (201, false), "{first}");
        let id = first["result"]["id"].as_str().unwrap().to_owned();
        let (st, again, replayed) = call(&app, Method::POST, &format!("{base}/tiny/contacts"), &key, Some(json!({"name": "Tiny Ltd"})), Some("k-1")).await;
        assert_eq!((st, replayed), (201, true));
        assert_eq!(again, first, "the replay is this surface's reply");
        // The same key on the native surface is another key: a new customer, native shape.
        let (st, native, replayed) = call(&app, Method::POST, &format!("{base}/api/v1/customers"), &key, Some(json!({"name": "Tiny Ltd"})), Some("k-1")).await;
        assert_eq!((st, replayed), (201, false), "{native}");
        assert!(native["id"].is_string() && native["id"] != id.as_str());
        let (_, read, _) = call(&app, Method::GET, &format!("{base}/tiny/contacts/{id}"), &key, None, None).await;
        assert_eq!(read["result"]["name"], "Tiny Ltd");
        // Its error shape, for every kind of failure, the edge's included.
        let cases = [
            (call(&app, Method::POST, &format!("{base}/tiny/contacts"), &key, Some(json!({"colour": "red"})), None).await, 400, "bad_input"),
            (call(&app, Method::GET, &format!("{base}/tiny/contacts/cus_nope"), &key, None, None).await, 404, "missing"),
            (call(&app, Method::GET, &format!("{base}/tiny/contacts/{id}"), "sk_live_wrong", None, None).await, 401, "who_are_you"),
        ];
        for ((st, body, _), want_st, want_kind) in cases {
            assert_eq!((st, body["fault"]["kind"].as_str()), (want_st, Some(want_kind)), "{body}");
            assert!(body.get("code").is_none(), "not the native shape: {body}");
        }
        // A refused move names the state the service reported.
        let inv = app.post("/api/v1/invoices", json!({"customer_id": id, "lines": [{"unit_price": "5"}]})).await.expect(201).str("/id");
        let (st, body, _) = call(&app, Method::POST, &format!("{base}/tiny/bills_out/{inv}/cancel"), &key, Some(json!({})), None).await;
        assert_eq!((st, body["fault"]["kind"].as_str(), body["fault"]["state"].as_str()), (409, Some("bad_state"), Some("draft")), "{body}");
        // The same scope rules, from its annotations: a read-only key reads
        // and is refused a write, in this surface's shape. An error answer
        // to a keyed POST replays in this shape too.
        let ro = app.services.create_key(&app.tenant_id, Some(&app.org_id), "ro", None, Some(vec!["customers:read".into()])).await.unwrap().raw;
        let (st, _, _) = call(&app, Method::GET, &format!("{base}/tiny/contacts/{id}"), &ro, None, None).await;
        assert_eq!(st, 200);
        let (st, body, _) = call(&app, Method::POST, &format!("{base}/tiny/contacts"), &ro, Some(json!({"name": "No"})), None).await;
        assert_eq!((st, body["fault"]["kind"].as_str()), (403, Some("not_allowed")), "{body}");
        let (st, body, replayed) = call(&app, Method::POST, &format!("{base}/tiny/contacts"), &key, Some(json!({"colour": "red"})), Some("k-bad")).await;
        assert_eq!((st, replayed), (400, false));
        let (st2, body2, replayed2) = call(&app, Method::POST, &format!("{base}/tiny/contacts"), &key, Some(json!({"colour": "red"})), Some("k-bad")).await;
        assert_eq!((st2, replayed2, body2["fault"]["kind"].clone()), (400, true, body["fault"]["kind"].clone()), "{body2}");
    }
}
