//! Users, roles and personal access tokens: users made over the API (an
//! API key acts as an admin), tokens acting within their user's role and
//! organizations, multi-org tokens naming the organization per request,
//! revocation and disabling taking effect at once, and sign-in failures
//! locking the user out.

use serde_json::json;

use ferrobooks_service::Code;
use ferrobooks_service::orgs::NewOrganization;
use ferrobooks_testkit::{TestApp, backend_test};

/// A token of the user with `email`, bound to the test organization, as
/// `ferrobooks users token` mints it.
async fn token(app: &TestApp, email: &str) -> String {
    let org = ferrobooks_store::tenancy::get_organization(app.services.store.pool(), &app.org_id)
        .await
        .unwrap()
        .unwrap();
    app.services
        .mint_token_as(email, org, "test".into(), None)
        .await
        .expect("token")
        .token
}

async fn as_token(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
    t: &str,
) -> ferrobooks_testkit::Resp {
    app.send(method, path, body, Some(t)).await
}

backend_test! {
    async fn users_are_made_with_a_role_and_bad_input_is_refused(app: TestApp) {
        let users = || ferrobooks_store::users::count_users(app.services.store.pool());
        let before = users().await.unwrap();
        for (body, field) in [
            (json!({"name": "No Email"}), "email"),
            (json!({"email": "not-an-email"}), "email"),
            (json!({"email": "a@example.com", "role": "boss"}), "role"),
            (json!({"email": "a@example.com", "password": "short"}), "password"),
            (json!({"email": "a@example.com", "password": "a@example.com"}), "password"),
            (json!({"email": "a@example.com", "role": "admin", "organization_ids": [app.org_id.to_string()]}), "organization_ids"),
            (json!({"email": "a@example.com", "role": "viewer", "organization_ids": ["org_nope"]}), "organization_ids[0]"),
            (json!({"email": "a@example.com", "role": "viewer", "organization_ids": []}), "organization_ids"),
        ] {
            let r = app.post("/api/v1/users", body.clone()).await.expect(400);
            assert!(r.json["details"][field].is_string(), "{body}: {}", r.text);
        }
        // A key acts as an admin: it cannot make an owner.
        let r = app.post("/api/v1/users", json!({"email": "boss@example.com", "role": "owner"})).await.expect(403);
        assert!(r.text.contains("owner"), "{}", r.text);
        assert_eq!(users().await.unwrap(), before);
        // Made with a generated password, answered once and never stored in
        // the clear; the email is kept lower-case.
        let r = app
            .send(reqwest::Method::POST, "/api/v1/users", Some(json!({"email": "Priya@Example.com", "name": "Priya", "role": "accountant"})), None)
            .await
            .expect(201);
        let password = r.str("/password");
        assert_eq!(password.len(), 20);
        assert_eq!((r.str("/email"), r.str("/role"), r.str("/status")), ("priya@example.com".into(), "accountant".into(), "active".into()));
        assert_eq!(r.json["organization_ids"], json!([app.org_id.to_string()]));
        let mut conn = app.services.store.pool().acquire().await.unwrap();
        let stored = ferrobooks_store::users::find_user_by_email(&mut *conn, "priya@example.com").await.unwrap().unwrap();
        assert!(stored.password_hash.starts_with("$argon2id$"), "argon2id");
        assert!(!stored.password_hash.contains(&password));
        let shown = app.get(&format!("/api/v1/users/{}", r.str("/id"))).await.expect(200);
        assert!(shown.json.get("password").is_none() && !shown.text.contains("argon2"));
        // The same address again.
        let r = app.post("/api/v1/users", json!({"email": "PRIYA@example.com"})).await.expect(400);
        assert!(r.str("/details/email").contains("already has a user"), "{}", r.text);
        // The generated password signs in.
        let u = app.services.sign_in("priya@example.com", &password).await.expect("sign in");
        assert_eq!(u.role, "accountant");
        let list = app.get("/api/v1/users").await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 1);
    }
}

backend_test! {
    async fn tokens_act_within_their_users_role_and_organizations(app: TestApp) {
        let owner = app.services
            .create_user(&app.tenant_id, ferrobooks_domain::access::Role::Owner, None,
                ferrobooks_service::users::UserInput { email: Some("owner@example.com".into()), role: Some("owner".into()), ..Default::default() })
            .await
            .unwrap();
        app.post("/api/v1/users", json!({"email": "acc@example.com", "role": "accountant"})).await.expect(201);
        app.post("/api/v1/users", json!({"email": "view@example.com", "role": "viewer"})).await.expect(201);
        let (o, a, v) = (token(&app, "owner@example.com").await, token(&app, "acc@example.com").await, token(&app, "view@example.com").await);
        assert!(o.starts_with("aibk_pat_") && o.len() == 73, "{o}");
        use reqwest::Method as M;
        // Every role reads; a viewer writes nothing, whatever the token's scopes.
        for t in [&o, &a, &v] {
            as_token(&app, M::GET, "/api/v1/invoices", None, t).await.expect(200);
        }
        let r = as_token(&app, M::POST, "/api/v1/customers", Some(json!({"name": "Acme"})), &v).await.expect(403);
        assert!(r.text.contains("viewer"), "{}", r.text);
        as_token(&app, M::POST, "/api/v1/customers", Some(json!({"name": "Acme"})), &a).await.expect(201);
        // An accountant keeps the books but not the plumbing.
        let r = as_token(&app, M::POST, "/api/v1/keys/generate", Some(json!({"name": "x"})), &a).await.expect(403);
        assert!(r.text.contains("accountant"), "{}", r.text);
        as_token(&app, M::POST, "/api/v1/keys/generate", Some(json!({"name": "x"})), &o).await.expect(201);
        // A token mints a narrower token for its own user, shown once.
        let m = as_token(&app, M::POST, "/api/v1/personal_access_tokens", Some(json!({"name": "CI", "scopes": ["invoices:read"], "expires_in_days": 30})), &a).await.expect(201);
        let narrow = m.str("/token");
        assert!(narrow.starts_with("aibk_pat_"));
        assert_eq!(m.json["scopes"], json!(["invoices:read"]));
        as_token(&app, M::GET, "/api/v1/invoices", None, &narrow).await.expect(200);
        let r = as_token(&app, M::GET, "/api/v1/customers", None, &narrow).await.expect(403);
        assert!(r.text.contains("customers:read"), "{}", r.text);
        // It cannot grant more than it has.
        let r = as_token(&app, M::POST, "/api/v1/personal_access_tokens", Some(json!({"name": "wide", "scopes": ["*"]})), &narrow).await;
        assert_eq!(r.status, 403, "{}", r.text);
        for bad in [json!({"name": "x", "expires_in_days": 0}), json!({"name": "x", "scopes": ["nope:read"]}), json!({"name": ""})] {
            as_token(&app, M::POST, "/api/v1/personal_access_tokens", Some(bad), &a).await.expect(400);
        }
        // The user's own tokens, never another's or the secrets.
        let list = as_token(&app, M::GET, "/api/v1/personal_access_tokens", None, &a).await.expect(200);
        assert_eq!(list.json["data"].as_array().unwrap().len(), 2);
        assert!(!list.text.contains(&narrow[9..]), "no secret in lists");
        let other = as_token(&app, M::GET, "/api/v1/personal_access_tokens", None, &o).await.expect(200);
        assert_eq!(other.json["data"].as_array().unwrap().len(), 1);
        // Another user cannot revoke it; its owner can, and it fails at once.
        let id = m.str("/id");
        as_token(&app, M::DELETE, &format!("/api/v1/personal_access_tokens/{id}"), None, &o).await.expect(404);
        as_token(&app, M::DELETE, &format!("/api/v1/personal_access_tokens/{id}"), None, &a).await.expect(204);
        let r = as_token(&app, M::GET, "/api/v1/invoices", None, &narrow).await.expect(401);
        assert!(r.text.contains("revoked"), "{}", r.text);
        // An API key belongs to no user.
        let r = app.get("/api/v1/personal_access_tokens").await.expect(403);
        assert!(r.text.contains("belong to users"), "{}", r.text);
        // Multi-org: an owner's token for every organization names one per
        // request; an accountant's reaches only the organizations given.
        let second = app.services
            .create_organization(Some(&app.tenant_id), NewOrganization {
                name: "Second Co".into(), base_currency: "USD".into(), country: "US".into(), state: None,
                tax_id: None, fiscal_year_start: None, timezone: None, date_format: None })
            .await
            .unwrap();
        let multi = as_token(&app, M::POST, "/api/v1/personal_access_tokens", Some(json!({"name": "multi", "all_organizations": true})), &o).await;
        assert_eq!(multi.status, 403, "a token bound to one organization cannot: {}", multi.text);
        let org = ferrobooks_store::tenancy::get_organization(app.services.store.pool(), &app.org_id).await.unwrap().unwrap();
        let ctx = ferrobooks_service::tokens::user_context(
            &ferrobooks_store::users::find_user_by_email(app.services.store.pool(), "owner@example.com").await.unwrap().unwrap(),
            org.clone(), vec![])
            .unwrap();
        let wide = app.services.mint_token(&ctx, ferrobooks_service::tokens::NewTokenRequest {
            name: "multi".into(), all_organizations: true, ..Default::default() }).await.unwrap().token;
        let r = as_token(&app, M::GET, "/api/v1/organization", None, &wide).await.expect(400);
        assert!(r.text.contains("X-Organization-Id"), "{}", r.text);
        let r = app.client.get(format!("{}/api/v1/organization", app.base)).bearer_auth(&wide)
            .header("X-Organization-Id", second.id.to_string()).send().await.unwrap();
        let r = ferrobooks_testkit::into_resp(r).await.expect(200);
        assert_eq!(r.str("/name"), "Second Co");
        let acc_user = ferrobooks_store::users::find_user_by_email(app.services.store.pool(), "acc@example.com").await.unwrap().unwrap();
        let ctx = ferrobooks_service::tokens::user_context(&acc_user, org, vec![app.org_id.clone()]).unwrap();
        let acc_wide = app.services.mint_token(&ctx, ferrobooks_service::tokens::NewTokenRequest {
            name: "multi".into(), all_organizations: true, ..Default::default() }).await.unwrap().token;
        let r = app.client.get(format!("{}/api/v1/organization", app.base)).bearer_auth(&acc_wide)
            .header("X-Organization-Id", second.id.to_string()).send().await.unwrap();
        ferrobooks_testkit::into_resp(r).await.expect(403);
        // Giving the accountant the second organization opens it.
        let r = app.put(&format!("/api/v1/users/{}", acc_user.id), json!({"organization_ids": [app.org_id.to_string(), second.id.to_string()]})).await.expect(200);
        assert_eq!(r.json["organization_ids"].as_array().unwrap().len(), 2);
        let r = app.client.get(format!("{}/api/v1/organization", app.base)).bearer_auth(&acc_wide)
            .header("X-Organization-Id", second.id.to_string()).send().await.unwrap();
        ferrobooks_testkit::into_resp(r).await.expect(200);
        // Disabling a user stops their tokens at once; enabling restores them.
        app.put(&format!("/api/v1/users/{}", acc_user.id), json!({"disabled": true})).await.expect(200);
        let r = as_token(&app, M::GET, "/api/v1/invoices", None, &a).await.expect(401);
        assert!(r.text.contains("disabled"), "{}", r.text);
        app.put(&format!("/api/v1/users/{}", acc_user.id), json!({"disabled": false})).await.expect(200);
        as_token(&app, M::GET, "/api/v1/invoices", None, &a).await.expect(200);
        // The last owner stays; a key cannot touch an owner at all.
        app.put(&format!("/api/v1/users/{}", owner.user.id), json!({"role": "viewer"})).await.expect(403);
        let r = as_token(&app, M::PUT, &format!("/api/v1/users/{}", owner.user.id), Some(json!({"disabled": true})), &o).await;
        assert_eq!(r.status, 409, "{}", r.text);
        assert!(r.text.contains("last active owner"), "{}", r.text);
        // An expired token is refused.
        sqlx::query("UPDATE api_keys SET expires_at = '2020-01-01T00:00:00Z' WHERE kind = 'pat' AND user_id = $1")
            .bind(&owner.user.id)
            .execute(app.services.store.pool())
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        let r = as_token(&app, M::GET, "/api/v1/invoices", None, &o).await.expect(401);
        assert!(r.text.contains("expired"), "{}", r.text);
    }
}

backend_test! {
    async fn failed_sign_ins_lock_the_user_out(app: TestApp) {
        let made = app.services
            .create_user(&app.tenant_id, ferrobooks_domain::access::Role::Owner, None,
                ferrobooks_service::users::UserInput { email: Some("sam@example.com".into()), role: Some("admin".into()),
                    password: Some("correct horse battery".into()), ..Default::default() })
            .await
            .unwrap();
        assert!(made.password.is_none(), "a given password is not answered");
        let wrong_email = app.services.sign_in("nobody@example.com", "whatever whatever").await.unwrap_err();
        let wrong_password = app.services.sign_in("sam@example.com", "not the password").await.unwrap_err();
        assert_eq!((wrong_email.code, wrong_password.code), (Code::Unauthorized, Code::Unauthorized));
        assert_eq!(wrong_email.message, wrong_password.message, "the same words either way");
        // A good sign-in clears the count.
        app.services.sign_in(" SAM@example.com ", "correct horse battery").await.expect("sign in");
        for _ in 0..4 {
            let e = app.services.sign_in("sam@example.com", "not the password").await.unwrap_err();
            assert_eq!(e.code, Code::Unauthorized);
        }
        let e = app.services.sign_in("sam@example.com", "not the password").await.unwrap_err();
        assert_eq!(e.code, Code::AccountLocked, "{}", e.message);
        // Locked: even the right password waits, and the user's view says so.
        let e = app.services.sign_in("sam@example.com", "correct horse battery").await.unwrap_err();
        assert_eq!(e.code, Code::AccountLocked);
        assert!(e.message.contains("locked until"), "{}", e.message);
        let r = app.get(&format!("/api/v1/users/{}", made.user.id)).await.expect(200);
        assert!(r.json["locked_until"].is_string(), "{}", r.text);
    }
}
