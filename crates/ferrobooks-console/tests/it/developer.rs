//! The developer page: a key and a token made in the console work against
//! the API, are shown once, and stop working when revoked there.

use ferrobooks_testkit::backend_test;

use crate::browser::{Browser, user};

fn secret(text: &str, prefix: &str) -> String {
    let at = text
        .find(&format!("value=\"{prefix}"))
        .expect("the secret on the page")
        + 7;
    text[at..].split('"').next().unwrap().to_owned()
}

backend_test! {
    async fn keys_and_tokens_made_in_the_console_work_until_revoked(app: TestApp) {
        let pw = user(&app, "ann@example.com", "admin").await;
        let mut b = Browser::new(&app);
        b.sign_in("ann@example.com", &pw).await.expect(303);
        let csrf = b.csrf().await;
        // A key, shown once.
        let r = b
            .post("/app/settings/developer/keys", &[("csrf", &csrf), ("name", "Reporting"), ("tier", "starter"), ("scopes", "organization:read, reports:*")])
            .await
            .expect(201);
        let key = secret(&r.text, "sk_live_");
        assert_eq!(key.len(), 72);
        let org = app.send(reqwest::Method::GET, "/api/v1/organization", None, Some(&key)).await.expect(200);
        assert_eq!(org.str("/name"), "Test Co");
        app.send(reqwest::Method::GET, "/api/v1/invoices", None, Some(&key)).await.expect(403);
        let page = b.get("/app/settings/developer").await.expect(200);
        assert!(!page.text.contains(&key), "shown only once");
        assert!(page.text.contains(&format!("sk_live_{}", &key[8..20])), "listed by its prefix");
        // Bad input: the page says what is wrong.
        let r = b.post("/app/settings/developer/keys", &[("csrf", &csrf), ("name", "x"), ("scopes", "nonsense")]).await.expect(400);
        assert!(r.text.contains("is not a scope"), "{}", r.text);
        // A token of the admin's own.
        let r = b
            .post("/app/settings/developer/tokens", &[("csrf", &csrf), ("name", "Laptop"), ("expires_in_days", "30")])
            .await
            .expect(201);
        let token = secret(&r.text, "aibk_pat_");
        app.send(reqwest::Method::GET, "/api/v1/invoices", None, Some(&token)).await.expect(200);
        let r = b.post("/app/settings/developer/tokens", &[("csrf", &csrf), ("name", "x"), ("expires_in_days", "soon")]).await.expect(400);
        assert!(r.text.contains("whole number"), "{}", r.text);
        // Revoked from the page: refused at once.
        let page = b.get("/app/settings/developer").await.expect(200);
        let tok_id = page.text.split("/app/settings/developer/tokens/").nth(1).unwrap().split('/').next().unwrap().to_owned();
        // The test kit's key is listed too; revoke the one made here.
        let made_id = ferrobooks_store::tenancy::key_by_prefix(app.services.store.pool(), &key[8..20]).await.unwrap().unwrap().id;
        assert!(page.text.contains(&format!("/app/settings/developer/keys/{made_id}/revoke")));
        b.post(&format!("/app/settings/developer/keys/{made_id}/revoke"), &[("csrf", &csrf)]).await.expect(303);
        app.send(reqwest::Method::GET, "/api/v1/organization", None, Some(&key)).await.expect(401);
        b.post(&format!("/app/settings/developer/tokens/{tok_id}/revoke"), &[("csrf", &csrf)]).await.expect(303);
        app.send(reqwest::Method::GET, "/api/v1/invoices", None, Some(&token)).await.expect(401);
        // Users: an admin adds an accountant, whose password is shown once
        // and signs in.
        let r = b.post("/app/settings/users", &[("csrf", &csrf), ("email", "acc@example.com"), ("role", "accountant")]).await.expect(201);
        let marker = "id=\"new-password\" class=\"mono\" readonly value=\"";
        let at = r.text.find(marker).unwrap() + marker.len();
        let password = r.text[at..at + 20].to_owned();
        let mut acc = Browser::new(&app);
        acc.sign_in("acc@example.com", &password).await.expect(303);
        acc.get("/app").await.expect(200);
        let r = b.post("/app/settings/users", &[("csrf", &csrf), ("email", "boss@example.com"), ("role", "owner")]).await.expect(403);
        assert!(r.text.contains("owner"), "{}", r.text);
    }
}
