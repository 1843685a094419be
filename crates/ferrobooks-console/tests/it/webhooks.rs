//! The webhooks page against a real receiver: an endpoint registered in
//! the console (its secret shown once), a test event sent and its delivery
//! seen in the log; and OAuth apps registered on the developer page.

use ferrobooks_testkit::backend_test;
use ferrobooks_testkit::receiver::receiver;

use crate::browser::{Browser, user};

backend_test! {
    async fn a_webhook_registered_in_the_console_gets_its_test_event(app: TestApp) {
        let rx = receiver(vec![]).await;
        let pw = user(&app, "ann@example.com", "admin").await;
        let mut b = Browser::new(&app);
        b.sign_in("ann@example.com", &pw).await.expect(303);
        let csrf = b.csrf().await;
        // Bad input says what is wrong and registers nothing.
        let r = b.post("/app/settings/webhooks", &[("csrf", &csrf), ("url", "ftp://nowhere"), ("events", "")]).await.expect(400);
        assert!(r.text.contains("role=\"alert\""), "{}", r.text);
        let r = b.post("/app/settings/webhooks", &[("csrf", &csrf), ("url", &rx.url), ("events", "no.such_event")]).await.expect(400);
        assert!(r.text.contains("no.such_event"), "{}", r.text);
        let r = b
            .post("/app/settings/webhooks", &[("csrf", &csrf), ("url", &rx.url), ("events", "invoice.created, test"), ("description", "Books sync")])
            .await
            .expect(201);
        assert!(r.text.contains("value=\"whsec_"), "the secret, once: {}", r.text);
        let list = b.get("/app/settings/webhooks").await.expect(200);
        assert!(!list.text.contains("whsec_") && list.text.contains("Books sync"));
        let id = list.text.split("/app/settings/webhooks/").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let r = b.post(&format!("/app/settings/webhooks/{id}/test"), &[("csrf", &csrf)]).await.expect(200);
        assert!(r.text.contains("test event is on its way"), "{}", r.text);
        let hits = rx.wait_for(1).await;
        assert!(hits[0].1.contains("\"test\""), "{}", hits[0].1);
        // The delivery log shows it delivered, with the receiver's answer.
        let mut page = String::new();
        for _ in 0..50 {
            page = b.get(&format!("/app/settings/webhooks/{id}")).await.expect(200).text;
            if page.contains("succeeded") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(page.contains("succeeded") && page.contains("HTTP 200"), "{page}");
        let r = b.post(&format!("/app/settings/webhooks/{id}/redeliver"), &[("csrf", &csrf), ("from_sequence", "soon")]).await.expect(400);
        assert!(r.text.contains("not an event number"));
        b.post(&format!("/app/settings/webhooks/{id}/redeliver"), &[("csrf", &csrf), ("from_sequence", "1")]).await.expect(200);
        b.post(&format!("/app/settings/webhooks/{id}/delete"), &[("csrf", &csrf)]).await.expect(303);
        b.get(&format!("/app/settings/webhooks/{id}")).await.expect(404);
        // A viewer reads the page but changes nothing.
        let vpw = user(&app, "vic@example.com", "viewer").await;
        let mut v = Browser::new(&app);
        v.sign_in("vic@example.com", &vpw).await.expect(303);
        let page = v.get("/app/settings/webhooks").await.expect(200);
        assert!(!page.text.contains("Register an endpoint"));
        let vcsrf = v.csrf().await;
        v.post("/app/settings/webhooks", &[("csrf", &vcsrf), ("url", &rx.url)]).await.expect(403);
    }
}

backend_test! {
    async fn oauth_apps_are_registered_on_the_developer_page(app: TestApp) {
        let pw = user(&app, "ann@example.com", "owner").await;
        let mut b = Browser::new(&app);
        b.sign_in("ann@example.com", &pw).await.expect(303);
        let csrf = b.csrf().await;
        let r = b
            .post("/app/settings/developer/apps", &[("csrf", &csrf), ("name", "Partner Sync"),
                ("redirect_uris", "https://partner.example/cb\nhttp://127.0.0.1:8765/cb"), ("scopes", "invoices:read"), ("confidential", "1")])
            .await
            .expect(201);
        assert!(r.text.contains("value=\"aibk_ocs_"), "{}", r.text);
        let r = b.post("/app/settings/developer/apps", &[("csrf", &csrf), ("name", "Bad"), ("redirect_uris", "http://partner.example/cb")]).await.expect(400);
        assert!(r.text.contains("must be https"), "{}", r.text);
        let page = b.get("/app/settings/developer").await.expect(200);
        assert!(page.text.contains("Partner Sync") && !page.text.contains("aibk_ocs_"));
        let id = page.text.split("/app/settings/developer/apps/").nth(1).unwrap().split('/').next().unwrap().to_owned();
        assert!(id.starts_with("oac_"), "{id}");
        b.post(&format!("/app/settings/developer/apps/{id}/delete"), &[("csrf", &csrf)]).await.expect(303);
        let page = b.get("/app/settings/developer").await.expect(200);
        assert!(!page.text.contains("Partner Sync"));
    }
}
