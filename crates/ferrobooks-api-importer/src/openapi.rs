//! The importer surface's OpenAPI 3.1 document, generated from its
//! handlers' annotations, at `/api/v1/importer/openapi.json`.

use axum::Json;
use axum::routing::get;
use ferrobooks_edge::AppState;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ferrobooks importer API",
        description = "CSV and XLSX imports into Ferrobooks' books, as the importer reference describes: the key's account, its companies (organizations), each entity's fields, mappings, imports that run in the background with dry runs, results, cancel and revert, and auto-mapping. Authenticate with `Authorization: Bearer sk_live_...`; a company is an organization the key may use (`provider` is `ferrobooks`). Errors are `{\"error\": {\"code\", \"message\"}}` with codes BAD_REQUEST (400), UNAUTHORIZED (401), FORBIDDEN (403, a key without the `imports` scope), NOT_FOUND (404), VALIDATION_ERROR (422), DUPLICATE_REQUEST (409, an Idempotency-Key used for another request), CONFLICT (409), PAYLOAD_TOO_LARGE (413) and RATE_LIMITED (429, with Retry-After). Lists take `page` and `perPage` (1 to 100) and answer `{data, pagination: {page, perPage, total, totalPages}}`."
    ),
    modifiers(&Bearer)
)]
struct Doc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole document: the surface's routes with their schemas, each
/// operation with an id of its own (`importer_{tag}_{handler}`) and every
/// POST with its `Idempotency-Key` header.
pub fn document() -> utoipa::openapi::OpenApi {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    let (_, mut doc) = utoipa_axum::router::OpenApiRouter::<AppState>::with_openapi(Doc::openapi())
        .merge(crate::routes::all())
        .split_for_parts();
    for item in doc.paths.paths.values_mut() {
        let ops = [
            (&mut item.get, false),
            (&mut item.put, false),
            (&mut item.patch, false),
            (&mut item.delete, false),
            (&mut item.post, true),
        ];
        for (op, post) in ops {
            let Some(op) = op.as_mut() else { continue };
            // What the edge may answer on any operation, in this surface's
            // error shape: a bad or missing key, a key without the scope,
            // bad input (a bad query parameter, a NUL in the URL), the rate
            // limit, a body too large or of the wrong type.
            let mut common: Vec<(&str, &str)> = vec![
                ("400", "BAD_REQUEST: the request cannot be read"),
                ("401", "UNAUTHORIZED: missing, invalid or revoked key"),
                ("403", "FORBIDDEN: the key lacks the route's scope"),
                (
                    "404",
                    "NOT_FOUND: no such company (or one the key may not use), or resource",
                ),
                ("429", "RATE_LIMITED: see Retry-After"),
            ];
            if op.request_body.is_some() || post {
                common.extend([
                    ("409", "DUPLICATE_REQUEST or CONFLICT"),
                    ("413", "PAYLOAD_TOO_LARGE: the body is over the limit"),
                    ("415", "the body is not of the documented content type"),
                    ("422", "VALIDATION_ERROR"),
                ]);
            }
            for (status, what) in common {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| {
                        utoipa::openapi::ResponseBuilder::new()
                            .description(what)
                            .content(
                                "application/json",
                                utoipa::openapi::ContentBuilder::new()
                                    .schema(Some(utoipa::openapi::Ref::from_schema_name(
                                        "ErrorBody",
                                    )))
                                    .build(),
                            )
                            .build()
                            .into()
                    });
            }
            let tag = op
                .tags
                .as_ref()
                .and_then(|t| t.first())
                .cloned()
                .unwrap_or_default();
            let handler = op.operation_id.clone().unwrap_or_default();
            op.operation_id = Some(format!("importer_{tag}_{handler}"));
            if post {
                op.parameters.get_or_insert_with(Vec::new).push(
                    ParameterBuilder::new()
                        .name("Idempotency-Key")
                        .parameter_in(ParameterIn::Header)
                        .description(Some(
                            "A new UUID per request: a retry with the same key and body answers the first reply; the same key with another body is 409 DUPLICATE_REQUEST.",
                        ))
                        .schema(Some(
                            utoipa::openapi::ObjectBuilder::new()
                                .schema_type(utoipa::openapi::schema::Type::String)
                                .max_length(Some(255)),
                        ))
                        .build(),
                );
            }
        }
    }
    doc
}

/// The document's route (no key needed).
pub fn routes() -> axum::Router<AppState> {
    let doc = std::sync::Arc::new(document());
    axum::Router::new().route(
        "/api/v1/importer/openapi.json",
        get(move || {
            let doc = doc.clone();
            async move { Json(doc.as_ref().clone()) }
        }),
    )
}
