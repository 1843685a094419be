//! Signing in and out, timeouts, fixation, CSRF, roles, other accounts and
//! the sign-in limit.

use ferrobooks_testkit::backend_test;

use crate::browser::{Browser, user};

backend_test! {
    async fn signing_in_makes_a_safe_session_and_signing_out_ends_it(app: TestApp) {
        let pw = user(&app, "ann@example.com", "owner").await;
        let mut b = Browser::new(&app);
        // Signed out: a page sends to the sign-in page, which comes back.
        let r = b.get("/app/settings/developer").await.expect(303);
        assert_eq!(r.headers["location"], "/app/login?next=/app/settings/developer");
        // Wrong password: the form again, saying so, and no cookie.
        let r = b.sign_in("ann@example.com", "wrong password!").await.expect(401);
        assert!(r.text.contains("the email or password is wrong"), "{}", r.text);
        assert!(r.text.contains("value=\"ann@example.com\""), "the email is kept");
        assert!(b.cookie.is_none());
        // An attacker's planted cookie is never promoted (fixation).
        b.cookie = Some("a".repeat(64));
        let r = b
            .post("/app/login", &[("email", "ann@example.com"), ("password", &pw), ("next", "/app/settings/developer")])
            .await
            .expect(303);
        assert_eq!(r.headers["location"], "/app/settings/developer");
        let set = r.headers["set-cookie"].to_str().unwrap().to_owned();
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"), "{set}");
        let cookie = b.cookie.clone().unwrap();
        assert_ne!(cookie, "a".repeat(64));
        assert_eq!(cookie.len(), 64);
        // The page, with the headers a console page carries.
        let page = b.get("/app").await.expect(200);
        assert!(page.text.contains("ann@example.com") && page.text.contains("Test Co"), "{}", page.text);
        assert_eq!(page.headers["x-frame-options"], "DENY");
        // Every page's title is plain text.
        for path in ["/app", "/app/settings/developer", "/app/settings/users", "/app/settings/webhooks"] {
            let p = b.get(path).await.expect(200);
            let title = p.text.split("<title>").nth(1).unwrap().split("</title>").next().unwrap().to_owned();
            assert!(!title.contains('<') && title.ends_with("· Ferrobooks"), "{path}: {title}");
        }
        assert_eq!(page.headers["cache-control"], "no-store");
        assert!(page.headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
        // Only the hash of the cookie is stored.
        let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM sessions")
            .fetch_one(app.services.store.pool())
            .await
            .unwrap();
        assert_ne!(stored, cookie);
        // An unknown console page is a page too.
        let r = b.get("/app/no-such-page").await.expect(404);
        assert!(r.text.contains("<h1>Not found</h1>"), "{}", r.text);
        // Never an open redirect.
        let mut c = Browser::new(&app);
        let r = c.post("/app/login", &[("email", "ann@example.com"), ("password", &pw), ("next", "https://evil.example/")]).await.expect(303);
        assert_eq!(r.headers["location"], "/app");
        // Sign out: the cookie is cleared and the session is over.
        let csrf = b.csrf().await;
        let r = b.post("/app/logout", &[("csrf", &csrf)]).await.expect(303);
        assert!(r.headers["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
        let mut again = Browser::new(&app);
        again.cookie = Some(cookie);
        again.get("/app").await.expect(303);
        // Sign out everywhere ends the other browser's session too.
        let csrf = c.csrf().await;
        let mut d = Browser::new(&app);
        d.sign_in("ann@example.com", &pw).await.expect(303);
        d.get("/app").await.expect(200);
        c.post("/app/logout/everywhere", &[("csrf", &csrf)]).await.expect(303);
        d.get("/app").await.expect(303);
    }
}

backend_test! {
    async fn sessions_end_when_idle_or_old_and_forms_need_their_token(app: TestApp) {
        let pw = user(&app, "ann@example.com", "owner").await;
        let mut b = Browser::new(&app);
        b.sign_in("ann@example.com", &pw).await.expect(303);
        let csrf = b.csrf().await;
        // No token, a wrong one, another site: refused, nothing made.
        let keys = app.count("api_keys").await;
        let before: i64 = keys;
        for form in [vec![("name", "k")], vec![("name", "k"), ("csrf", "0".repeat(64).as_str())]] {
            let r = b.post("/app/settings/developer/keys", &form).await.expect(403);
            assert!(r.text.contains("security token"), "{}", r.text);
        }
        let r = b
            .post_from("/app/settings/developer/keys", &[("name", "k"), ("csrf", &csrf)], Some("https://evil.example"))
            .await
            .expect(403);
        assert!(r.text.contains("another site"), "{}", r.text);
        assert_eq!(app.count("api_keys").await, before);
        // Idle for more than 30 minutes: over.
        sqlx::query("UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00Z'")
            .execute(app.services.store.pool())
            .await
            .unwrap();
        let r = b.get("/app").await.expect(303);
        assert!(r.headers["location"].to_str().unwrap().starts_with("/app/login"));
        // Past its absolute end, however active: over.
        b.sign_in("ann@example.com", &pw).await.expect(303);
        b.get("/app").await.expect(200);
        sqlx::query("UPDATE sessions SET expires_at = '2020-01-01T00:00:00Z'")
            .execute(app.services.store.pool())
            .await
            .unwrap();
        b.get("/app").await.expect(303);
    }
}

backend_test! {
    async fn roles_and_accounts_bound_what_a_person_sees(app: TestApp) {
        let pw = user(&app, "vic@example.com", "viewer").await;
        let mut v = Browser::new(&app);
        v.sign_in("vic@example.com", &pw).await.expect(303);
        let csrf = v.csrf().await;
        // A viewer reads but makes no key and manages no user.
        let page = v.get("/app/settings/developer").await.expect(200);
        assert!(!page.text.contains("Generate a key"), "no form for what the role cannot do");
        let r = v.post("/app/settings/developer/keys", &[("csrf", &csrf), ("name", "k")]).await.expect(403);
        assert!(r.text.contains("viewer"), "{}", r.text);
        let users = v.get("/app/settings/users").await.expect(200);
        assert!(!users.text.contains("Add a user"), "{}", users.text);
        let r = v.post("/app/settings/users", &[("csrf", &csrf), ("email", "x@example.com"), ("role", "viewer")]).await.expect(403);
        assert!(r.text.contains("viewer"), "{}", r.text);
        // Another account's organization is not there to switch to, and
        // the other account's owner sees nothing of this one.
        sqlx::query("INSERT INTO tenants (id, name, created_at) VALUES ('tnt_other', 'Other', 'now')")
            .execute(app.services.store.pool())
            .await
            .unwrap();
        let other = app
            .services
            .create_organization(Some("tnt_other"), serde_json::from_value(serde_json::json!({
                "name": "Other Account Co", "base_currency": "USD", "country": "US"})).unwrap())
            .await
            .unwrap();
        let owner_pw = user(&app, "ann@example.com", "owner").await;
        let mut o = Browser::new(&app);
        o.sign_in("ann@example.com", &owner_pw).await.expect(303);
        let home = o.get("/app").await.expect(200);
        assert!(!home.text.contains("Other Account Co"), "{}", home.text);
        let csrf = o.csrf().await;
        let r = o.post("/app/organization", &[("csrf", &csrf), ("organization_id", other.id.as_str())]).await.expect(404);
        assert!(!r.text.contains("Other Account Co"));
        app.services
            .create_user("tnt_other", ferrobooks_domain::access::Role::Owner, None, ferrobooks_service::users::UserInput {
                email: Some("zed@other.example".into()), role: Some("owner".into()),
                password: Some("zed password 1234".into()), ..Default::default() })
            .await
            .unwrap();
        let mut z = Browser::new(&app);
        z.sign_in("zed@other.example", "zed password 1234").await.expect(303);
        let home = z.get("/app").await.expect(200);
        assert!(home.text.contains("<h1>Other Account Co</h1>") && !home.text.contains("Test Co"), "{}", home.text);
        let users = z.get("/app/settings/users").await.expect(200);
        assert!(!users.text.contains("ann@example.com") && !users.text.contains("vic@example.com"), "{}", users.text);
        // An owner switches between the account's own organizations.
        let second = app
            .services
            .create_organization(Some(&app.tenant_id), serde_json::from_value(serde_json::json!({
                "name": "Second Co", "base_currency": "GBP", "country": "GB"})).unwrap())
            .await
            .unwrap();
        let csrf = o.csrf().await;
        o.post("/app/organization", &[("csrf", &csrf), ("organization_id", second.id.as_str())]).await.expect(303);
        let home = o.get("/app").await.expect(200);
        assert!(home.text.contains("<h1>Second Co</h1>"), "{}", home.text);
        // The viewer was given only the first: the second is not theirs.
        let csrf = v.csrf().await;
        v.post("/app/organization", &[("csrf", &csrf), ("organization_id", second.id.as_str())]).await.expect(404);
    }
}

backend_test! {
    async fn sign_ins_from_one_address_are_limited(app: TestApp) {
        user(&app, "ann@example.com", "owner").await;
        let mut b = Browser::new(&app);
        // Different emails, so the per-user lockout is not what stops it.
        for i in 0..30 {
            let r = b.sign_in(&format!("nobody{i}@example.com"), "wrong password!").await;
            assert_eq!(r.status, 401, "attempt {i}: {}", r.text);
        }
        let r = b.sign_in("ann@example.com", "owner password 123").await.expect(429);
        assert!(r.text.contains("too many sign-in attempts"), "{}", r.text);
    }
}
