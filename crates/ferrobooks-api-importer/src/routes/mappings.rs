//! `/api/v1/companies/{companyId}/mappings`: saved column-to-field maps.

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use ferrobooks_edge::dialect::SurfaceDialect;
use ferrobooks_edge::extract::{ApiJson, ApiQuery};
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::{AuthContext, Code};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{PageParams, reply};
use crate::views::{ErrorBody, Mapping, MappingInput, Paged};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
}

fn input(i: MappingInput) -> Result<ferrobooks_service::importer::MappingInput, ApiError> {
    i.into_service()
        .map_err(|m| ApiError::new(Code::Unprocessable, m))
}

#[utoipa::path(get, path = "/api/v1/companies/{companyId}/mappings", tag = "mappings",
    summary = "List mappings",
    params(("companyId" = String, Path, description = "The organization's id"), PageParams),
    responses((status = 200, body = Paged<Mapping>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:read"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path(_company): Path<String>,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Response, ApiError> {
    let v: Paged<Mapping> = s.services.list_mappings(&ctx, p.ask()).await?.into();
    Ok(reply(&d, 200, &v))
}

#[utoipa::path(post, path = "/api/v1/companies/{companyId}/mappings", tag = "mappings",
    summary = "Create a mapping",
    description = "Each field names a column of the file (`sourceFieldTitle`) or a constant (`fixedValue` with a null `sourceFieldTitle`). Every required field of the entity must be mapped; 422 `VALIDATION_ERROR` names each unmapped required field and each unknown field id.",
    params(("companyId" = String, Path, description = "The organization's id")),
    request_body = MappingInput,
    responses((status = 201, body = Mapping), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:write"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path(_company): Path<String>,
    ApiJson(i): ApiJson<MappingInput>,
) -> Result<Response, ApiError> {
    let v: Mapping = s.services.create_mapping(&ctx, input(i)?).await?.into();
    Ok(reply(&d, 201, &v))
}

#[utoipa::path(get, path = "/api/v1/companies/{companyId}/mappings/{mappingId}", tag = "mappings",
    summary = "Read a mapping",
    params(("companyId" = String, Path, description = "The organization's id"),
        ("mappingId" = String, Path, description = "The mapping's id")),
    responses((status = 200, body = Mapping), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:read"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path((_company, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let v: Mapping = s.services.get_mapping(&ctx, &id).await?.into();
    Ok(reply(&d, 200, &v))
}

#[utoipa::path(put, path = "/api/v1/companies/{companyId}/mappings/{mappingId}", tag = "mappings",
    summary = "Update a mapping",
    description = "Absent parts stay; `fields`, when given, replaces them all. The result must still map every required field (422 otherwise). Imports already made keep the mapping they used.",
    params(("companyId" = String, Path, description = "The organization's id"),
        ("mappingId" = String, Path, description = "The mapping's id")),
    request_body = MappingInput,
    responses((status = 200, body = Mapping), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:write"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path((_company, id)): Path<(String, String)>,
    ApiJson(i): ApiJson<MappingInput>,
) -> Result<Response, ApiError> {
    let v: Mapping = s
        .services
        .update_mapping(&ctx, &id, input(i)?)
        .await?
        .into();
    Ok(reply(&d, 200, &v))
}

#[utoipa::path(delete, path = "/api/v1/companies/{companyId}/mappings/{mappingId}", tag = "mappings",
    summary = "Delete a mapping",
    params(("companyId" = String, Path, description = "The organization's id"),
        ("mappingId" = String, Path, description = "The mapping's id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:write"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn delete(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path((_company, id)): Path<(String, String)>,
) -> Result<axum::http::StatusCode, ApiError> {
    s.services.delete_mapping(&ctx, &id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
