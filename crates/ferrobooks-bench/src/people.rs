//! `credentials`: the same cheap read (`GET /api/v1/accounts?limit=1`)
//! authenticated with an API key, a personal access token and an OAuth
//! access token, to show what acting as a user costs (the user's role
//! and organizations are read, cached like keys); and `sign_in`: the
//! latency of a console sign-in (an argon2id verification), one at a time
//! and from every client at once.

use std::time::Instant;

use hyper::Method;

use crate::Options;
use crate::client::{Stats, drive, http_client, request};
use crate::scenarios::{App, start_app};

/// A user of the bench organization's account with a known password.
async fn owner(
    app: &App,
) -> anyhow::Result<(
    ferrobooks_store::users::UserRow,
    ferrobooks_store::tenancy::OrganizationRow,
)> {
    let org = ferrobooks_store::tenancy::get_organization(app.services.store.pool(), &app.org_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("org vanished"))?;
    app.services
        .create_user(
            &org.tenant_id,
            ferrobooks_domain::access::Role::Owner,
            None,
            ferrobooks_service::users::UserInput {
                email: Some("bench@example.com".into()),
                role: Some("owner".into()),
                password: Some("bench password 123".into()),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let user =
        ferrobooks_store::users::find_user_by_email(app.services.store.pool(), "bench@example.com")
            .await?
            .ok_or_else(|| anyhow::anyhow!("user vanished"))?;
    Ok((user, org))
}

/// Reads with one kind of credential: `key`, `pat` or `oauth`.
pub(crate) async fn credentials(o: &Options, kind: &str) -> anyhow::Result<Stats> {
    let app = start_app(o, true).await?;
    let token = match kind {
        "key" => app.key.clone(),
        "pat" => {
            let (user, org) = owner(&app).await?;
            let ctx = ferrobooks_service::tokens::user_context(&user, org, vec![])
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            app.services
                .mint_token(
                    &ctx,
                    ferrobooks_service::tokens::NewTokenRequest {
                        name: "bench".into(),
                        ..Default::default()
                    },
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .token
        }
        _ => oauth_token(&app).await?,
    };
    let uri = format!("{}/api/v1/accounts?limit=1", app.base);
    let client = http_client();
    let stats = drive(o.clients, o.duration, move |_, _| {
        let (client, uri, token) = (client.clone(), uri.clone(), token.clone());
        async move { request(&client, Method::GET, &uri, Some(&token), None, 200).await }
    })
    .await;
    app.stop().await;
    Ok(stats)
}

/// An OAuth access token, got as an app gets one: a registered public
/// app, a consented code, the exchange with its verifier.
async fn oauth_token(app: &App) -> anyhow::Result<String> {
    let (user, org) = owner(app).await?;
    let ctx = ferrobooks_service::tokens::user_context(&user, org.clone(), vec![])
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let reg = app
        .services
        .register_app(
            &ctx,
            ferrobooks_service::oauth::apps::NewApp {
                name: "Bench app".into(),
                redirect_uris: vec!["http://127.0.0.1/cb".into()],
                scopes: None,
                confidential: false,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let params = ferrobooks_service::oauth::grants::AuthorizeParams {
        response_type: Some("code".into()),
        client_id: Some(reg.app.client_id.clone()),
        redirect_uri: Some("http://127.0.0.1/cb".into()),
        scope: None,
        state: None,
        code_challenge: Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into()),
        code_challenge_method: Some("S256".into()),
    };
    let consent = match app.services.authorize_request(&params).await {
        Ok(ferrobooks_service::oauth::grants::Authorize::Ask(c)) => c,
        other => anyhow::bail!("authorize: {other:?}"),
    };
    let url = app
        .services
        .grant_code(&user.id, &org.id, &consent)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.description))?;
    let code = url
        .split("code=")
        .nth(1)
        .unwrap_or("")
        .split('&')
        .next()
        .unwrap_or("")
        .to_owned();
    let answer = app
        .services
        .token(ferrobooks_service::oauth::grants::TokenRequest {
            grant_type: Some("authorization_code".into()),
            code: Some(code),
            redirect_uri: Some("http://127.0.0.1/cb".into()),
            client_id: Some(reg.app.client_id),
            code_verifier: Some(verifier.into()),
            ..Default::default()
        })
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.description))?;
    Ok(answer.access_token)
}

/// Console sign-ins (argon2id): the latency of one at a time, in process.
pub(crate) async fn sign_in(o: &Options) -> anyhow::Result<Stats> {
    let app = start_app(o, false).await?;
    owner(&app).await?;
    let n = 20;
    let mut times = Vec::with_capacity(n);
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        app.services
            .sign_in("bench@example.com", "bench password 123")
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(t.elapsed().as_micros() as u64);
    }
    let elapsed = start.elapsed();
    times.sort_unstable();
    app.stop().await;
    Ok(Stats {
        per_sec: n as f64 / elapsed.as_secs_f64(),
        p50_us: times[n / 2],
        p99_us: times[n - 1],
        count: n,
        errors: 0,
    })
}
