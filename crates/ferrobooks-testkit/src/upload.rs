//! Uploads: `multipart/form-data` forms (statement files) and raw bodies
//! of any content type, sent with the test key like [`TestApp::post`].

use crate::{Resp, TestApp, into_resp};

/// The boundary of [`multipart_body`]: fixed, so that the same parts
/// always make the same bytes.
pub const BOUNDARY: &str = "ferrobooks-testkit-7c1f2a9e0b5d4c36";

/// A `multipart/form-data` body of `parts` (name, file name for a file
/// part, bytes), with the fixed [`BOUNDARY`]: its content type and bytes.
/// Unlike reqwest's forms, whose boundary is new on every request, it is
/// what a client that retries sends again, byte for byte.
pub fn multipart_body(parts: &[(&str, Option<&str>, Vec<u8>)]) -> (String, Vec<u8>) {
    multipart_body_with(BOUNDARY, parts)
}

/// [`multipart_body`] with another boundary: the same form as a client
/// that builds it again for a retry sends it.
pub fn multipart_body_with(
    boundary: &str,
    parts: &[(&str, Option<&str>, Vec<u8>)],
) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, filename, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = match filename {
            Some(f) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\
                 Content-Type: application/octet-stream\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl TestApp {
    /// POSTs a `multipart/form-data` form as reqwest builds it: each part
    /// is (name, file name for a file part, bytes).
    pub async fn post_multipart(
        &self,
        path: &str,
        parts: Vec<(&str, Option<&str>, Vec<u8>)>,
    ) -> Resp {
        let mut form = reqwest::multipart::Form::new();
        for (name, filename, bytes) in parts {
            let mut part = reqwest::multipart::Part::bytes(bytes);
            if let Some(f) = filename {
                part = part.file_name(f.to_owned());
            }
            form = form.part(name.to_owned(), part);
        }
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.key)
            .multipart(form)
            .send()
            .await
            .expect("request");
        into_resp(r).await
    }

    /// POSTs the form of [`multipart_body`] (fixed boundary) with an
    /// `Idempotency-Key`: sent twice, the two requests are the same bytes.
    pub async fn post_multipart_with_key(
        &self,
        path: &str,
        key: &str,
        parts: Vec<(&str, Option<&str>, Vec<u8>)>,
    ) -> Resp {
        let (content_type, body) = multipart_body(&parts);
        self.post_body(path, &content_type, body, &[("idempotency-key", key)])
            .await
    }

    /// POSTs `body` as it is, with `content_type` and the extra `headers`.
    pub async fn post_body(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.key)
            .header("content-type", content_type)
            .body(body);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        into_resp(req.send().await.expect("request")).await
    }
}
