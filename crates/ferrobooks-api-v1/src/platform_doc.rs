//! What the platform adds to every route's OpenAPI entry, stated once here
//! rather than in each annotation: operation ids, the `Idempotency-Key`
//! header of every POST, and the answers the edge itself can give (404 for
//! an unknown id, 406, 409 and 422 of idempotency, 413, 415, 500).
//!
//! Operation ids are `{tag}_{handler}` (`invoices_create`), unique because a
//! tag names one resource and a handler one action in it; the PATCH twin of
//! an update is `{tag}_patch`. A test refuses a duplicate.

use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required, Response, ResponseBuilder};

/// Applies the platform's conventions to every operation of `doc`.
pub fn apply(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let has_id = path.contains('{');
        let ops = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ];
        for (method, op) in ops {
            if let Some(op) = op.as_mut() {
                name(op, method);
                if op.security.is_some() {
                    answers(op, method, has_id);
                }
            }
        }
    }
}

fn name(op: &mut Operation, method: &str) {
    let tag = op
        .tags
        .as_ref()
        .and_then(|t| t.first())
        .cloned()
        .unwrap_or_else(|| "api".into());
    let handler = op.operation_id.clone().unwrap_or_default();
    op.operation_id = Some(if method == "patch" {
        format!("{tag}_patch")
    } else {
        format!("{tag}_{handler}")
    });
}

fn error(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}

fn idempotency_key() -> Parameter {
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Makes a retry safe: the first answer is stored for 24 hours and replayed \
             (with `Idempotent-Replayed: true`) for the same key, method, path and body.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255))
                .pattern(Some("^[\\x21-\\x7e]+$")),
        ))
        .build()
}

/// The answers an authenticated route can give besides its own.
fn answers(op: &mut Operation, method: &str, has_id: bool) {
    let mut add = |status: &str, description: &str| {
        op.responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error(description));
    };
    add(
        "400",
        "Validation failed, malformed JSON or a bad query parameter; `details` names the field",
    );
    add("401", "Missing, invalid or revoked API key");
    add(
        "403",
        "The key lacks the route's scope, or belongs to another organization",
    );
    if has_id {
        add(
            "404",
            "No such resource in this organization (or it was deleted)",
        );
    }
    add("406", "The Accept header names no type this route produces");
    add("429", "Rate limit exceeded; see Retry-After");
    add(
        "500",
        "Something broke on the server; it is logged with the request id",
    );
    let writes = matches!(method, "post" | "put" | "patch" | "delete");
    if writes {
        add(
            "409",
            "The resource's state does not allow the change, or a request with this Idempotency-Key is still running (see Retry-After)",
        );
    }
    if method == "post" {
        add(
            "422",
            "This Idempotency-Key was used for a different request",
        );
    }
    if op.request_body.is_some() {
        add("413", "The body is larger than the configured limit");
        add("415", "The body is not application/json");
        if let Some(body) = op.request_body.as_mut() {
            body_required(body, method);
        }
    }
    if method == "post" {
        let params = op.parameters.get_or_insert_with(Vec::new);
        if !params.iter().any(|p| p.name == "Idempotency-Key") {
            params.push(idempotency_key());
        }
    }
}

/// A create or update body must be sent; an action's optional body
/// (`/void`) says so in its description and stays optional.
fn body_required(body: &mut RequestBody, method: &str) {
    let optional = body
        .description
        .as_deref()
        .is_some_and(|d| d.starts_with("Optional"));
    if optional {
        body.required = Some(Required::False);
    } else if body.required.is_none() && method != "delete" {
        body.required = Some(Required::True);
    }
}
