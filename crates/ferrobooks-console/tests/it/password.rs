//! Password reset and email verification through their one-time links.

use ferrobooks_testkit::backend_test;

use crate::browser::{Browser, user};

backend_test! {
    async fn a_reset_link_sets_a_new_password_once_and_ends_sessions(app: TestApp) {
        let pw = user(&app, "ann@example.com", "owner").await;
        let mut old = Browser::new(&app);
        old.sign_in("ann@example.com", &pw).await.expect(303);
        let mut b = Browser::new(&app);
        // The same answer for an unknown address and a known one.
        for email in ["nobody@example.com", "ann@example.com"] {
            let r = b.post("/app/password/forgot", &[("email", email)]).await.expect(200);
            assert!(r.text.contains("on its way"), "{}", r.text);
        }
        let token = app.services.request_password_reset("ann@example.com", "10.0.0.9").await.unwrap().unwrap();
        assert!(app.services.request_password_reset("nobody@example.com", "10.0.0.9").await.unwrap().is_none());
        // Lock the user out first: the reset lifts the lock.
        for _ in 0..5 {
            let _ = app.services.sign_in("ann@example.com", "wrong password!").await;
        }
        let page = b.get(&format!("/app/password/reset?token={token}")).await.expect(200);
        assert!(page.text.contains(&token));
        let r = b.post("/app/password/reset", &[("token", &token), ("password", "new password 12345"), ("confirm", "other password 123")]).await.expect(400);
        assert!(r.text.contains("not the same"));
        let r = b.post("/app/password/reset", &[("token", &token), ("password", "short"), ("confirm", "short")]).await.expect(400);
        assert!(r.text.contains("at least 12"), "{}", r.text);
        let r = b.post("/app/password/reset", &[("token", &token), ("password", "new password 12345"), ("confirm", "new password 12345")]).await.expect(303);
        assert_eq!(r.headers["location"], "/app/login?reset=1");
        // Used once only; the old password is gone, the new one works, and
        // the old session ended.
        let r = b.post("/app/password/reset", &[("token", &token), ("password", "another password 1"), ("confirm", "another password 1")]).await.expect(400);
        assert!(r.text.contains("not valid"), "{}", r.text);
        old.get("/app").await.expect(303);
        b.sign_in("ann@example.com", &pw).await.expect(401);
        b.sign_in("ann@example.com", "new password 12345").await.expect(303);
        // An expired link is refused.
        let token = app.services.request_password_reset("ann@example.com", "10.0.0.9").await.unwrap().unwrap();
        sqlx::query("UPDATE user_tokens SET expires_at = '2020-01-01T00:00:00Z' WHERE used_at IS NULL")
            .execute(app.services.store.pool())
            .await
            .unwrap();
        let mut c = Browser::new(&app);
        c.post("/app/password/reset", &[("token", &token), ("password", "new password 99999"), ("confirm", "new password 99999")]).await.expect(400);
    }
}

backend_test! {
    async fn a_verification_link_verifies_the_address_once(app: TestApp) {
        let made = app
            .services
            .create_user(&app.tenant_id, ferrobooks_domain::access::Role::Owner, Some(&app.org_id),
                ferrobooks_service::users::UserInput { email: Some("bo@example.com".into()), role: Some("viewer".into()), ..Default::default() })
            .await
            .unwrap();
        assert!(!made.user.email_verified);
        let mut b = Browser::new(&app);
        let r = b.get(&format!("/app/verify?token={}", made.verify_token)).await.expect(200);
        assert!(r.text.contains("bo@example.com is verified"), "{}", r.text);
        b.get(&format!("/app/verify?token={}", made.verify_token)).await.expect(400);
        b.get("/app/verify?token=nonsense").await.expect(400);
        let u = app.get(&format!("/api/v1/users/{}", made.user.id)).await.expect(200);
        assert_eq!(u.json["email_verified"], true);
        // A changed address is unverified again.
        let u = app.put(&format!("/api/v1/users/{}", made.user.id), serde_json::json!({"email": "bo2@example.com"})).await.expect(200);
        assert_eq!(u.json["email_verified"], false);
    }
}
