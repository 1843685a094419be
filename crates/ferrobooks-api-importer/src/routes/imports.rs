//! `/api/v1/companies/{companyId}/imports`: uploads that run in the
//! background, their status, results, cancel and revert, and auto-mapping.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use ferrobooks_edge::dialect::SurfaceDialect;
use ferrobooks_edge::extract::{ApiMultipart, ApiQuery};
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::importer::{NewImport, ResultFilter};
use ferrobooks_service::{AuthContext, Code, ServiceError};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{PageParams, reply};
use crate::views::{AutoResult, AutoUpload, ErrorBody, Import, ImportUpload, Paged, ResultRow};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(auto))
        .routes(routes!(show))
        .routes(routes!(cancel))
        .routes(routes!(revert))
        .routes(routes!(results))
}

/// An error the service answered, with `Retry-After` when it is the
/// imports-per-hour limit.
fn refused(e: ServiceError) -> Response {
    let wait = (e.code == Code::RateLimited)
        .then(|| e.state.clone())
        .flatten();
    let mut res = ApiError::from(e).into_response();
    if let Some(w) = wait.and_then(|w| HeaderValue::from_str(&w).ok()) {
        res.headers_mut().insert("retry-after", w);
    }
    res
}

fn flag(form: &ApiMultipart, name: &str, default: bool) -> Result<bool, ApiError> {
    match form.text(name)?.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(t) if t.eq_ignore_ascii_case("true") => Ok(true),
        Some(t) if t.eq_ignore_ascii_case("false") => Ok(false),
        Some(t) => Err(ApiError::new(
            Code::ValidationFailed,
            format!("{name}: must be true or false, not '{t}'"),
        )
        .with_detail(name, "true or false")),
    }
}

/// The upload's file and options.
fn upload(form: &ApiMultipart, dry_default: bool) -> Result<NewImport, ApiError> {
    let file = form.part("file").ok_or_else(|| {
        ApiError::new(
            Code::ValidationFailed,
            "file: is required (a CSV or XLSX file)",
        )
        .with_detail("file", "is required")
    })?;
    Ok(NewImport {
        file: file.bytes.to_vec(),
        file_name: file.filename.clone(),
        mapping_id: form.text("mappingId")?.unwrap_or_default(),
        sheet_name: form.text("sheetName")?.filter(|s| !s.trim().is_empty()),
        dry_run: flag(form, "dryRun", dry_default)?,
    })
}

#[utoipa::path(get, path = "/api/v1/companies/{companyId}/imports", tag = "imports",
    summary = "List imports",
    description = "Newest first.",
    params(("companyId" = String, Path, description = "The organization's id"), PageParams),
    responses((status = 200, body = Paged<Import>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:read"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path(_company): Path<String>,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Response, ApiError> {
    let v: Paged<Import> = s.services.list_imports(&ctx, p.ask()).await?.into();
    Ok(reply(&d, 200, &v))
}

#[utoipa::path(post, path = "/api/v1/companies/{companyId}/imports", tag = "imports",
    summary = "Upload a file and start an import",
    description = "`multipart/form-data`: `file` (CSV in UTF-8 with or without BOM, comma-delimited, RFC 4180 quotes; or XLSX, its first sheet or `sheetName`; a header row; at most 50 MB and 100,000 rows), `mappingId`, optional `sheetName` and `dryRun`. The file, the mapping and the file's columns are checked at once (400 for an unreadable file or a semicolon- or tab-delimited one, 413 past the limits, 422 for a mapped column the file lacks); the import then runs in the background: 202 with status `SCHEDULED`, then poll `GET .../imports/{id}`. Rows sharing the grouping fields (`DocNumber`) make one entity; each entity is made and posted atomically. `dryRun=true` checks every row and writes nothing to the books. Send an `Idempotency-Key`: a retry with the same key and file answers the original import; the same key with another request is 409 `DUPLICATE_REQUEST`. At most 30 imports per hour per company (429 `RATE_LIMITED` with `Retry-After`).",
    params(("companyId" = String, Path, description = "The organization's id")),
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 202, body = Import), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = ["imports:write"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path(_company): Path<String>,
    form: ApiMultipart,
) -> Result<Response, ApiError> {
    let input = upload(&form, false)?;
    if input.mapping_id.trim().is_empty() {
        return Err(
            ApiError::new(Code::ValidationFailed, "mappingId: is required")
                .with_detail("mappingId", "is required"),
        );
    }
    Ok(match s.services.create_import(&ctx, input).await {
        Ok(v) => reply(&d, 202, &Import::from(v)),
        Err(e) => refused(e),
    })
}

#[utoipa::path(post, path = "/api/v1/companies/{companyId}/imports/auto", tag = "imports",
    summary = "Auto-map a file's headers (and import)",
    description = "`multipart/form-data`: `file`, `entityName`, optional `sheetName`, `dryRun` (default true). Headers are matched to the entity's fields by title and alternative titles, case-insensitively (`confidence` high), by the field's short name (medium: `Date` for TxnDate) or the same without punctuation (low). With `dryRun=true` (200) nothing is saved; with `false` the mapping is saved and the import starts (202), or 422 when a required field found no column.",
    params(("companyId" = String, Path, description = "The organization's id")),
    request_body(content = AutoUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = AutoResult), (status = 202, body = AutoResult), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = ["imports:write"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn auto(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path(_company): Path<String>,
    form: ApiMultipart,
) -> Result<Response, ApiError> {
    let entity = form.text("entityName")?.unwrap_or_default();
    if entity.trim().is_empty() {
        return Err(
            ApiError::new(Code::ValidationFailed, "entityName: is required")
                .with_detail("entityName", "is required"),
        );
    }
    let input = upload(&form, true)?;
    let dry = input.dry_run;
    Ok(
        match s.services.auto_import(&ctx, entity.trim(), input).await {
            Ok(v) => reply(&d, if dry { 200 } else { 202 }, &AutoResult::from(v)),
            Err(e) => refused(e),
        },
    )
}

#[utoipa::path(get, path = "/api/v1/companies/{companyId}/imports/{importId}", tag = "imports",
    summary = "Read an import",
    description = "Its status, progress (rows done of the file's rows) and summary (entities made, refused, warned). Poll until a terminal status: FINISHED, FINISHED_WITH_WARNINGS, FAILED, CANCELED, REVERTED.",
    params(("companyId" = String, Path, description = "The organization's id"),
        ("importId" = String, Path, description = "The import's id")),
    responses((status = 200, body = Import), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:read"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path((_company, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let v: Import = s.services.get_import(&ctx, &id).await?.into();
    Ok(reply(&d, 200, &v))
}

#[utoipa::path(post, path = "/api/v1/companies/{companyId}/imports/{importId}/cancel", tag = "imports",
    summary = "Cancel an import",
    description = "A scheduled or running import stops before its next batch; what it made so far stays (revert takes it back). 409 `CONFLICT` once it has ended.",
    params(("companyId" = String, Path, description = "The organization's id"),
        ("importId" = String, Path, description = "The import's id")),
    responses((status = 200, body = Import), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = ["imports:write"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn cancel(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path((_company, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let v: Import = s.services.cancel_import(&ctx, &id).await?.into();
    Ok(reply(&d, 200, &v))
}

#[utoipa::path(post, path = "/api/v1/companies/{companyId}/imports/{importId}/revert", tag = "imports",
    summary = "Revert an import",
    description = "Takes everything the import made back out of the books, in the background (202, status REVERTING, then REVERTED): each document is voided on its own date (a draft is deleted), so every balance on every date is as before; customers, vendors and items it made are deleted. What cannot be taken back (an invoice since paid) stays, with a WARNING result saying why. 409 `CONFLICT` for an import still running, already reverted, or a dry run.",
    params(("companyId" = String, Path, description = "The organization's id"),
        ("importId" = String, Path, description = "The import's id")),
    responses((status = 202, body = Import), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = ["imports:write"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn revert(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path((_company, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let v: Import = s.services.revert_import(&ctx, &id).await?.into();
    Ok(reply(&d, 202, &v))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct ResultParams {
    /// Only results of this type.
    #[param(inline, value_type = Option<String>, pattern = "^(INFO|WARNING|ERROR)$")]
    #[serde(rename = "type")]
    kind: Option<String>,
    #[param(minimum = 1)]
    page: Option<i64>,
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/companies/{companyId}/imports/{importId}/results", tag = "imports",
    summary = "An import's results",
    description = "One row per entity made (INFO, with `objectProviderId`) or refused (ERROR, at the row to blame), and WARNING rows (a customer created because it was missing, a number taken and replaced), in file order.",
    params(("companyId" = String, Path, description = "The organization's id"),
        ("importId" = String, Path, description = "The import's id"), ResultParams),
    responses((status = 200, body = Paged<ResultRow>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:read"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn results(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path((_company, id)): Path<(String, String)>,
    ApiQuery(p): ApiQuery<ResultParams>,
) -> Result<Response, ApiError> {
    let filter = ResultFilter::parse(p.kind.as_deref())?;
    let ask = ferrobooks_service::importer::PageAsk {
        page: p.page,
        per_page: p.per_page,
    };
    let v: Paged<ResultRow> = s
        .services
        .import_results(&ctx, &id, filter, ask)
        .await?
        .into();
    Ok(reply(&d, 200, &v))
}
