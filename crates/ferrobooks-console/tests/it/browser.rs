//! A minimal browser: one cookie jar of one cookie, no redirects followed
//! (the tests look at them), forms posted as a browser posts them.

use ferrobooks_testkit::{Resp, TestApp, into_resp};

pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
    client: reqwest::Client,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser {
            app,
            cookie: None,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    fn keep(&mut self, r: &Resp) {
        if let Some(v) = r.headers.get("set-cookie").and_then(|v| v.to_str().ok()) {
            let value = v
                .split(';')
                .next()
                .unwrap()
                .split_once('=')
                .unwrap()
                .1
                .to_owned();
            self.cookie = (!value.is_empty()).then_some(value);
        }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let mut req = self.client.get(format!("{}{path}", self.app.base));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", format!("ferrobooks_session={c}"));
        }
        let r = into_resp(req.send().await.unwrap()).await;
        self.keep(&r);
        r
    }

    /// Posts a form; `origin` is the `Origin` header a browser would send
    /// (None: none).
    pub async fn post_from(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Resp {
        let mut req = self
            .client
            .post(format!("{}{path}", self.app.base))
            .form(form);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", format!("ferrobooks_session={c}"));
        }
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let r = into_resp(req.send().await.unwrap()).await;
        self.keep(&r);
        r
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let origin = self.app.base.clone();
        self.post_from(path, form, Some(&origin)).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Resp {
        self.post("/app/login", &[("email", email), ("password", password)])
            .await
    }

    /// The CSRF token of a page's forms.
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/app").await.expect(200);
        let at = page
            .text
            .find("name=\"csrf\" value=\"")
            .expect("a csrf field")
            + 19;
        page.text[at..at + 64].to_owned()
    }
}

/// Makes a user with a known password.
pub async fn user(app: &TestApp, email: &str, role: &str) -> String {
    let password = format!("{role} password 123");
    app.services
        .create_user(
            &app.tenant_id,
            ferrobooks_domain::access::Role::Owner,
            Some(&app.org_id),
            ferrobooks_service::users::UserInput {
                email: Some(email.into()),
                role: Some(role.into()),
                password: Some(password.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    password
}
