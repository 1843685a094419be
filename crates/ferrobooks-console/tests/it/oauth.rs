//! The OAuth flow end to end, as a partner app runs it with a real HTTP
//! client: registration, sign-in and consent, the code exchange with the
//! PKCE verifier, an API call, refresh with rotation, and the replay of a
//! spent refresh token revoking the whole grant; then each refusal in
//! RFC 6749's words.

use base64::Engine;
use ferrobooks_testkit::{Resp, TestApp, backend_test, into_resp};
use serde_json::json;
use sha2::Digest;

use crate::browser::{Browser, user};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const REDIRECT: &str = "http://127.0.0.1:9/callback";

fn challenge(v: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(v.as_bytes()))
}

fn query_of(location: &str) -> std::collections::HashMap<String, String> {
    let q = location.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

/// The partner app's side: its id, secret and HTTP client.
struct Partner<'a> {
    app: &'a TestApp,
    id: String,
    secret: String,
    http: reqwest::Client,
}

impl Partner<'_> {
    async fn token(&self, form: &[(&str, &str)]) -> Resp {
        let r = self
            .http
            .post(format!("{}/oauth/token", self.app.base))
            .basic_auth(&self.id, Some(&self.secret))
            .form(form)
            .send()
            .await
            .unwrap();
        into_resp(r).await
    }

    async fn exchange(&self, code: &str, verifier: &str, redirect: &str) -> Resp {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier),
        ])
        .await
    }

    async fn refresh(&self, token: &str) -> Resp {
        self.token(&[("grant_type", "refresh_token"), ("refresh_token", token)])
            .await
    }

    async fn call(&self, method: reqwest::Method, path: &str, access: &str) -> Resp {
        self.app
            .send(
                method,
                path,
                (path == "/api/v1/customers").then(|| json!({"name": "X"})),
                Some(access),
            )
            .await
    }
}

fn authorize_url(id: &str, state: &str, extra: &str) -> String {
    format!(
        "/oauth/authorize?response_type=code&client_id={id}&redirect_uri={}&scope=invoices%3Aread&state={state}&code_challenge={}&code_challenge_method=S256{extra}",
        form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>(),
        challenge(VERIFIER)
    )
}

/// Signs in, consents, and returns the code the app is sent back with.
async fn consent(b: &mut Browser<'_>, id: &str, state: &str) -> String {
    let page = b.get(&authorize_url(id, state, "")).await.expect(200);
    assert!(
        page.text.contains("Allow Partner Sync to use your books?"),
        "{}",
        page.text
    );
    assert!(page.text.contains("<code>invoices:read</code>"));
    let csrf = b.csrf().await;
    let org = b.app.org_id.to_string();
    let r = b
        .post(
            "/oauth/authorize",
            &[
                ("csrf", &csrf),
                ("decision", "approve"),
                ("organization_id", &org),
                ("response_type", "code"),
                ("client_id", id),
                ("redirect_uri", REDIRECT),
                ("scope", "invoices:read"),
                ("state", state),
                ("code_challenge", &challenge(VERIFIER)),
                ("code_challenge_method", "S256"),
            ],
        )
        .await
        .expect(303);
    let location = r.headers["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT), "{location}");
    let q = query_of(&location);
    assert_eq!(q["state"], state, "state passes through");
    q["code"].clone()
}

backend_test! {
    async fn a_partner_app_runs_the_whole_flow(app: TestApp) {
        let reg = app
            .post("/api/v1/oauth_apps", json!({"name": "Partner Sync", "redirect_uris": [REDIRECT],
                "scopes": ["invoices:read", "customers:read"], "confidential": true}))
            .await
            .expect(201);
        let partner = Partner { app: &app, id: reg.str("/client_id"), secret: reg.str("/client_secret"), http: reqwest::Client::new() };
        assert!(partner.secret.starts_with("aibk_ocs_"));
        let listed = app.get(&format!("/api/v1/oauth_apps/{}", partner.id)).await.expect(200);
        assert!(listed.json.get("client_secret").is_none());
        let pw = user(&app, "ann@example.com", "accountant").await;
        let mut b = Browser::new(&app);
        // Not signed in: the sign-in page, then back to the consent page.
        let r = b.get(&authorize_url(&partner.id, "s1", "")).await.expect(303);
        let next = r.headers["location"].to_str().unwrap().to_owned();
        assert!(next.starts_with("/app/login?next=/oauth/authorize%3F"), "{next}");
        let next_value = query_of(&next)["next"].clone();
        let r = b.post("/app/login", &[("email", "ann@example.com"), ("password", &pw), ("next", &next_value)]).await.expect(303);
        assert!(r.headers["location"].to_str().unwrap().starts_with("/oauth/authorize?"));
        let code = consent(&mut b, &partner.id, "s1").await;
        // The exchange: a one-hour access token and a refresh token, never cached.
        let t = partner.exchange(&code, VERIFIER, REDIRECT).await.expect(200);
        assert_eq!(t.headers["cache-control"], "no-store");
        assert_eq!((t.str("/token_type"), t.json["expires_in"].as_i64(), t.str("/scope")), ("Bearer".into(), Some(3600), "invoices:read".into()));
        let access = t.str("/access_token");
        let refresh = t.str("/refresh_token");
        assert!(access.starts_with("aibk_oat_") && refresh.starts_with("aibk_ort_"));
        // It acts as the user, within the scope consented to.
        partner.call(reqwest::Method::GET, "/api/v1/invoices", &access).await.expect(200);
        let r = partner.call(reqwest::Method::POST, "/api/v1/customers", &access).await.expect(403);
        assert!(r.text.contains("customers:write"), "{}", r.text);
        // The code works once: a second exchange fails and revokes what it gave.
        let again = partner.exchange(&code, VERIFIER, REDIRECT).await.expect(400);
        assert_eq!(again.str("/error"), "invalid_grant");
        partner.call(reqwest::Method::GET, "/api/v1/invoices", &access).await.expect(401);
        let r = partner.refresh(&refresh).await.expect(400);
        assert_eq!(r.str("/error"), "invalid_grant");
        // A fresh grant: refresh rotates, and replaying the old refresh
        // token revokes the whole family.
        let code = consent(&mut b, &partner.id, "s2").await;
        let t = partner.exchange(&code, VERIFIER, REDIRECT).await.expect(200);
        let (a1, r1) = (t.str("/access_token"), t.str("/refresh_token"));
        let t2 = partner.refresh(&r1).await.expect(200);
        let (a2, r2) = (t2.str("/access_token"), t2.str("/refresh_token"));
        assert_ne!(r1, r2);
        partner.call(reqwest::Method::GET, "/api/v1/invoices", &a2).await.expect(200);
        let replay = partner.refresh(&r1).await.expect(400);
        assert_eq!(replay.str("/error"), "invalid_grant");
        assert!(replay.str("/error_description").contains("revoked"), "{}", replay.text);
        for a in [&a1, &a2] {
            partner.call(reqwest::Method::GET, "/api/v1/invoices", a).await.expect(401);
        }
        partner.refresh(&r2).await.expect(400);
        // Revocation (RFC 7009) ends a grant; an unknown token is not an error.
        let code = consent(&mut b, &partner.id, "s3").await;
        let t = partner.exchange(&code, VERIFIER, REDIRECT).await.expect(200);
        partner.call(reqwest::Method::GET, "/api/v1/invoices", &t.str("/access_token")).await.expect(200);
        let r = partner.http.post(format!("{}/oauth/revoke", app.base)).basic_auth(&partner.id, Some(&partner.secret))
            .form(&[("token", t.str("/refresh_token").as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 200);
        partner.call(reqwest::Method::GET, "/api/v1/invoices", &t.str("/access_token")).await.expect(401);
        let r = partner.http.post(format!("{}/oauth/revoke", app.base)).basic_auth(&partner.id, Some(&partner.secret))
            .form(&[("token", "aibk_ort_unknown")]).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
}

backend_test! {
    async fn every_wrong_step_is_refused_in_rfc_terms(app: TestApp) {
        let reg = app
            .post("/api/v1/oauth_apps", json!({"name": "Partner Sync", "redirect_uris": [REDIRECT], "scopes": ["invoices:read"], "confidential": true}))
            .await
            .expect(201);
        let partner = Partner { app: &app, id: reg.str("/client_id"), secret: reg.str("/client_secret"), http: reqwest::Client::new() };
        // Registration's own bad input.
        for (body, field) in [
            (json!({"name": "x", "redirect_uris": ["http://partner.example/cb"]}), "redirect_uris[0]"),
            (json!({"name": "x", "redirect_uris": ["https://partner.example/cb#frag"]}), "redirect_uris[0]"),
            (json!({"name": "x", "redirect_uris": []}), "redirect_uris"),
            (json!({"name": "x", "redirect_uris": ["https://p.example/cb"], "scopes": ["nope:read"]}), "scopes[0]"),
        ] {
            let r = app.post("/api/v1/oauth_apps", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        let pw = user(&app, "ann@example.com", "owner").await;
        let mut b = Browser::new(&app);
        b.sign_in("ann@example.com", &pw).await.expect(303);
        // An unknown app, or an address it did not register: a page, never a redirect.
        let r = b.get(&authorize_url("oac_unknown", "s", "")).await.expect(400);
        assert!(r.headers.get("location").is_none());
        let evil = authorize_url(&partner.id, "s", "").replace("127.0.0.1%3A9", "evil.example");
        let r = b.get(&evil).await.expect(400);
        assert!(r.headers.get("location").is_none() && r.text.contains("did not register"), "{}", r.text);
        // Without PKCE, or with `plain`: back to the app with invalid_request and the state.
        for url in [
            format!("/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&state=s9", partner.id, form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()),
            authorize_url(&partner.id, "s9", "").replace("code_challenge_method=S256", "code_challenge_method=plain"),
        ] {
            let r = b.get(&url).await.expect(303);
            let q = query_of(r.headers["location"].to_str().unwrap());
            assert_eq!((q["error"].as_str(), q["state"].as_str()), ("invalid_request", "s9"));
        }
        let r = b.get(&authorize_url(&partner.id, "s9", "").replace("scope=invoices%3Aread", "scope=customers%3Awrite")).await.expect(303);
        assert_eq!(query_of(r.headers["location"].to_str().unwrap())["error"], "invalid_scope");
        // The user says no.
        let csrf = b.csrf().await;
        let r = b
            .post("/oauth/authorize", &[("csrf", &csrf), ("decision", "deny"), ("organization_id", app.org_id.as_str()),
                ("response_type", "code"), ("client_id", &partner.id), ("redirect_uri", REDIRECT), ("state", "s4"),
                ("code_challenge", &challenge(VERIFIER)), ("code_challenge_method", "S256")])
            .await
            .expect(303);
        let q = query_of(r.headers["location"].to_str().unwrap());
        assert_eq!((q["error"].as_str(), q["state"].as_str()), ("access_denied", "s4"));
        // An organization the user does not work in is refused, and the app
        // is sent nothing.
        let r = b
            .post("/oauth/authorize", &[("csrf", &csrf), ("decision", "approve"), ("organization_id", "org_not_theirs"),
                ("response_type", "code"), ("client_id", &partner.id), ("redirect_uri", REDIRECT), ("state", "s4"),
                ("code_challenge", &challenge(VERIFIER)), ("code_challenge_method", "S256")])
            .await
            .expect(403);
        assert!(r.headers.get("location").is_none() && r.text.contains("do not work in"), "{}", r.text);
        // Consent without the form's token is refused.
        b.post("/oauth/authorize", &[("decision", "approve"), ("organization_id", app.org_id.as_str()), ("client_id", &partner.id)]).await.expect(403);
        // A wrong verifier, a mismatched redirect URI, an expired code.
        let code = consent(&mut b, &partner.id, "s5").await;
        let r = partner.exchange(&code, &"x".repeat(43), REDIRECT).await.expect(400);
        assert_eq!(r.str("/error"), "invalid_grant");
        let code = consent(&mut b, &partner.id, "s6").await;
        let r = partner.exchange(&code, VERIFIER, "http://127.0.0.1:9/other").await.expect(400);
        assert_eq!(r.str("/error"), "invalid_grant");
        let code = consent(&mut b, &partner.id, "s7").await;
        sqlx::query("UPDATE oauth_codes SET expires_at = '2020-01-01T00:00:00Z' WHERE used_at IS NULL")
            .execute(app.services.store.pool())
            .await
            .unwrap();
        let r = partner.exchange(&code, VERIFIER, REDIRECT).await.expect(400);
        assert!(r.str("/error_description").contains("expired"), "{}", r.text);
        // A wrong client secret; an unknown grant type; no grant type.
        let code = consent(&mut b, &partner.id, "s8").await;
        let wrong = Partner { app: &app, id: partner.id.clone(), secret: "aibk_ocs_wrong".into(), http: reqwest::Client::new() };
        let r = wrong.exchange(&code, VERIFIER, REDIRECT).await.expect(401);
        assert_eq!(r.str("/error"), "invalid_client");
        assert!(r.headers.get("www-authenticate").is_some());
        let r = partner.token(&[("grant_type", "password"), ("username", "a"), ("password", "b")]).await.expect(400);
        assert_eq!(r.str("/error"), "unsupported_grant_type");
        let r = partner.token(&[]).await.expect(400);
        assert_eq!(r.str("/error"), "invalid_request");
        // The code, unspent by the failed client, still works for the right one.
        partner.exchange(&code, VERIFIER, REDIRECT).await.expect(200);
    }
}
