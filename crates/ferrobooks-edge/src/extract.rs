//! Extractors whose rejections are [`ApiError`]s, so a malformed body or
//! query answers in the same JSON shape as every other error, naming the
//! field at fault (`lines[0].quantity`) and what it should be, in plain
//! words rather than serde's (`must be a whole number, not the text
//! "thirty"`).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use ferrobooks_service::Code;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body of `T`.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&req) {
            return Err(not_json());
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        parse_json(&bytes).map(ApiJson)
    }
}

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
}

fn not_json() -> ApiError {
    ApiError::new(
        Code::UnsupportedMediaType,
        "Expected a body with Content-Type: application/json",
    )
}

/// A body that could not be read: too large (413) or broken (400).
fn body_rejection(r: axum::extract::rejection::BytesRejection) -> ApiError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(Code::PayloadTooLarge, "Request body is too large")
    } else {
        ApiError::new(Code::InvalidJson, r.body_text())
    }
}

/// Parses a JSON body: a syntax error is `invalid_json` with its line and
/// column, and so is a value of the wrong type, with the field's path and
/// the type it should be in `details`; an unknown or a missing field is
/// `validation_failed`, naming it. Text holding
/// the NUL character is refused here, before any store sees it (PostgreSQL
/// cannot keep it, SQLite can: the two must answer alike).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        use serde_json::error::Category;
        match inner.classify() {
            Category::Syntax | Category::Eof | Category::Io => {
                ApiError::new(Code::InvalidJson, format!("Malformed JSON: {inner}"))
            }
            Category::Data => shape_error(Part::Body, &path, &strip_position(&inner.to_string())),
        }
    })?;
    if has_nul_escape(bytes) {
        return Err(nul_error());
    }
    Ok(value)
}

fn nul_error() -> ApiError {
    ApiError::new(
        Code::ValidationFailed,
        "Text may not contain the NUL character (U+0000)",
    )
}

/// serde_json appends " at line 1 column 36" to data errors; the field
/// path says more.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_owned(),
        _ => msg.to_owned(),
    }
}

/// Whether a JSON text holds `\u0000` in a string. Raw control characters
/// are invalid JSON anyway, so the escape is the only way in; an escaped
/// backslash before `u0000` is just text.
fn has_nul_escape(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'u') && bytes.get(i + 2..i + 6) == Some(b"0000") {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// Where a shape error was found: the words and codes differ, the reading
/// is the same.
#[derive(Clone, Copy)]
enum Part {
    Body,
    Query,
}

impl Part {
    /// The code of an unknown or missing field, and of a wrong value.
    fn codes(self) -> (Code, Code) {
        match self {
            Part::Body => (Code::ValidationFailed, Code::InvalidJson),
            Part::Query => (Code::InvalidQuery, Code::InvalidQuery),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Part::Body => "field",
            Part::Query => "query parameter",
        }
    }

    /// What an unknown name is (`.ci/schemathesis_hooks.py` reads these words).
    fn not_here(self) -> &'static str {
        match self {
            Part::Body => "is not a field here",
            Part::Query => "is not a parameter of this route",
        }
    }

    fn known(self) -> &'static str {
        match self {
            Part::Body => "the fields are",
            Part::Query => "it takes",
        }
    }
}

/// A serde data error at `path` as a 400 naming the field.
fn shape_error(part: Part, path: &str, msg: &str) -> ApiError {
    let (field_code, value_code) = part.codes();
    let at = |field: &str| -> String {
        match path {
            "" | "." => field.to_owned(),
            p if field.is_empty() => p.to_owned(),
            p => format!("{p}.{field}"),
        }
    };
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, allowed) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = allowed
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .replace('`', "");
        let what = if allowed.is_empty() || allowed.starts_with("there are no fields") {
            part.not_here().to_owned()
        } else {
            format!("{}; {} {allowed}", part.not_here(), part.known())
        };
        // serde_path_to_error already ends the path with the unknown key.
        let path = if path == field || path.ends_with(&format!(".{field}")) {
            path.to_owned()
        } else {
            at(field)
        };
        return ApiError::new(field_code, format!("Unknown {} {path}", part.noun()))
            .with_detail(path, what);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        let path = at(field);
        return ApiError::new(field_code, format!("{path} is required"))
            .with_detail(path, "is required");
    }
    // A value of the wrong type: the input is not of the documented shape.
    let path = at("");
    let what = plain(msg);
    let shown = if path.is_empty() {
        "body".to_owned()
    } else {
        path.clone()
    };
    ApiError::new(value_code, format!("{shown}: {what}")).with_detail(shown, what)
}

/// serde's "invalid type: string \"thirty\", expected i64" as
/// "must be a whole number, not the text \"thirty\"".
fn plain(msg: &str) -> String {
    if let Some(rest) = msg
        .strip_prefix("invalid type: ")
        .or_else(|| msg.strip_prefix("invalid value: "))
        && let Some((got, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "must be {}, not {}",
            expected_words(expected),
            got_words(got)
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (got, allowed) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = allowed
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .replace('`', "");
        return format!("must be one of {allowed}, not \"{got}\"");
    }
    msg.to_owned()
}

fn expected_words(e: &str) -> String {
    match e {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, zero or more".into(),
        "a boolean" => "true or false".into(),
        "a string" => "text (a JSON string)".into(),
        "a sequence" => "a list (a JSON array)".into(),
        "a map" => "an object".into(),
        other if other.starts_with("struct ") => "an object".into(),
        other => other.to_owned(),
    }
}

fn got_words(g: &str) -> String {
    if let Some(s) = g.strip_prefix("string ") {
        format!("the text {s}")
    } else if let Some(n) = g
        .strip_prefix("integer ")
        .or_else(|| g.strip_prefix("floating point "))
    {
        format!("the number {}", n.trim_matches('`'))
    } else if let Some(b) = g.strip_prefix("boolean ") {
        b.trim_matches('`').to_owned()
    } else {
        match g {
            "null" => "null".into(),
            "sequence" => "a list".into(),
            "map" => "an object".into(),
            other => other.to_owned(),
        }
    }
}

/// A body that may be absent (for action routes such as `/void`): no body
/// or an empty one gives `T::default()`.
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = is_json(&req);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        if !json {
            return Err(not_json());
        }
        parse_json(&bytes).map(OptionalJson)
    }
}

/// Query parameters of `T`. The structs deny unknown fields, so a
/// misspelled parameter is a 400 naming it rather than silently ignored.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or("")).map(ApiQuery)
    }
}

/// Parses a query string into `T`, naming the parameter at fault. (A NUL
/// never gets here: the request-id middleware refuses `%00` in any URL.)
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let keys: Vec<_> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, _)| k)
        .collect();
    if let Some(k) = keys
        .iter()
        .enumerate()
        .find_map(|(i, k)| keys[..i].contains(k).then_some(k))
    {
        return Err(ApiError::new(
            Code::InvalidQuery,
            format!("The parameter {k} is given twice"),
        )
        .with_detail(k.to_string(), "is given twice"));
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        shape_error(Part::Query, &path, &e.into_inner().to_string())
    })
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct FormPart {
    pub name: String,
    pub filename: Option<String>,
    pub bytes: Bytes,
}

/// A `multipart/form-data` body, its parts in order (a file upload).
pub struct ApiMultipart(pub Vec<FormPart>);

impl ApiMultipart {
    /// The part named `name`, if the form has it.
    pub fn part(&self, name: &str) -> Option<&FormPart> {
        self.0.iter().find(|p| p.name == name)
    }

    /// A text part as UTF-8, named in the error when it is not.
    pub fn text(&self, name: &str) -> Result<Option<String>, ApiError> {
        self.part(name)
            .map(|p| {
                String::from_utf8(p.bytes.to_vec()).map_err(|_| {
                    ApiError::new(
                        Code::ValidationFailed,
                        format!("{name}: must be UTF-8 text"),
                    )
                    .with_detail(name, "must be UTF-8 text")
                })
            })
            .transpose()
    }
}

/// Whether the body is `multipart/form-data`.
pub fn is_multipart(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("multipart/form-data"))
}

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_multipart(req.headers()) {
            return Err(ApiError::new(
                Code::UnsupportedMediaType,
                "Expected a body with Content-Type: multipart/form-data",
            ));
        }
        let broken = |e: axum::extract::multipart::MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(Code::PayloadTooLarge, "Request body is too large")
            } else {
                ApiError::new(
                    Code::ValidationFailed,
                    format!("the multipart body cannot be read: {}", e.body_text()),
                )
            }
        };
        let mut form = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|e| {
                ApiError::new(
                    Code::ValidationFailed,
                    format!("the multipart body cannot be read: {}", e.body_text()),
                )
            })?;
        let mut parts = Vec::new();
        while let Some(field) = form.next_field().await.map_err(broken)? {
            let name = field.name().unwrap_or_default().to_owned();
            let filename = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.map_err(broken)?;
            parts.push(FormPart {
                name,
                filename,
                bytes,
            });
        }
        Ok(ApiMultipart(parts))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only parsed")]
    struct Body {
        name: String,
        payment_terms: Option<i64>,
        lines: Option<Vec<Line>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only parsed")]
    struct Line {
        quantity: u32,
    }

    fn err(body: &str) -> ApiError {
        parse_json::<Body>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn shape_errors_name_the_field_in_plain_words() {
        let e = err(r#"{"name": "A", "payment_terms": "thirty"}"#);
        assert_eq!(e.code, Code::InvalidJson);
        assert_eq!(
            e.details,
            vec![(
                "payment_terms".to_owned(),
                "must be a whole number, not the text \"thirty\"".to_owned()
            )]
        );
        let e = err(r#"{"name": "A", "lines": [{"quantity": 1}, {"quantity": "x"}]}"#);
        assert_eq!(e.details[0].0, "lines[1].quantity");
        let e = err(r#"{"name": "A", "colour": "red"}"#);
        assert_eq!(e.code, Code::ValidationFailed);
        assert_eq!(e.details[0].0, "colour");
        assert!(e.details[0].1.contains("name"), "{:?}", e.details);
        let e = err(r#"{"name": "A", "lines": [{"quantity": 1, "qty": 2}]}"#);
        assert_eq!(e.details[0].0, "lines[0].qty");
        let e = err(r#"{}"#);
        assert_eq!(
            e.details,
            vec![("name".to_owned(), "is required".to_owned())]
        );
        let e = err(r#"{"name": "A""#);
        assert_eq!(e.code, Code::InvalidJson);
    }

    #[test]
    fn nul_is_refused_but_an_escaped_backslash_is_text() {
        assert_eq!(err(r#"{"name": "a\u0000b"}"#).code, Code::ValidationFailed);
        assert!(parse_json::<Body>(br#"{"name": "a\\u0000b"}"#).is_ok());
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only parsed")]
    struct Q {
        limit: Option<u32>,
        status: Option<Status>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Status {
        Draft,
        Posted,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        assert!(parse_query::<Q>("limit=5&status=draft").is_ok());
        let e = parse_query::<Q>("limt=5").unwrap_err();
        assert_eq!(e.code, Code::InvalidQuery);
        assert_eq!(e.details[0].0, "limt");
        let e = parse_query::<Q>("status=bogus").unwrap_err();
        assert_eq!(e.details[0].0, "status");
        assert!(
            e.details[0].1.contains("draft") && e.details[0].1.contains("posted"),
            "{:?}",
            e.details
        );
        let e = parse_query::<Q>("limit=ten").unwrap_err();
        assert_eq!(e.details[0].0, "limit");
        assert_eq!(
            parse_query::<Q>("limit=1&limit=2").unwrap_err().code,
            Code::InvalidQuery
        );
        assert_eq!(
            parse_query::<Q>("status=a%00b").unwrap_err().code,
            Code::InvalidQuery
        );
    }
}
