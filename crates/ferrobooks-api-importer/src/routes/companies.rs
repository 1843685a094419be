//! `/api/v1/companies`: the organizations the key may import into, their
//! import settings, and what each can import (`/entities`).

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use ferrobooks_edge::dialect::SurfaceDialect;
use ferrobooks_edge::extract::ApiJson;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::{AuthContext, Principal};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reply;
use crate::views::{Company, EntityInfo, ErrorBody, FieldInfo, SettingsInput};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show))
        .routes(routes!(update_settings))
        .routes(routes!(entities))
        .routes(routes!(fields))
}

#[utoipa::path(get, path = "/api/v1/companies", tag = "companies",
    summary = "List companies",
    description = "The organizations this key may import into (one for a key bound to an organization), with their import settings. An array, not paginated.",
    responses((status = 200, body = Vec<Company>), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("bearer" = ["imports:read"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Arc<Principal>>,
    Extension(d): Extension<SurfaceDialect>,
) -> Result<Response, ApiError> {
    let v: Vec<Company> = s
        .services
        .importer_companies(&p)
        .await?
        .into_iter()
        .map(Company::from)
        .collect();
    Ok(reply(&d, 200, &v))
}

#[utoipa::path(get, path = "/api/v1/companies/{companyId}", tag = "companies",
    summary = "Read a company",
    params(("companyId" = String, Path, description = "The organization's id")),
    responses((status = 200, body = Company), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)),
    security(("bearer" = ["imports:read"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path(_company): Path<String>,
) -> Result<Response, ApiError> {
    let v: Company = s.services.importer_company(&ctx).await?.into();
    Ok(reply(&d, 200, &v))
}

#[utoipa::path(patch, path = "/api/v1/companies/{companyId}/settings", tag = "companies",
    summary = "Change a company's import settings",
    description = "Absent fields stay. `dateFormat` is the organization's own date format (`MM/dd/yyyy`, `dd/MM/yyyy`, `yyyy-MM-dd`, `dd-MM-yyyy`, `dd.MM.yyyy`).",
    params(("companyId" = String, Path, description = "The organization's id")),
    request_body = SettingsInput,
    responses((status = 200, body = Company), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:write"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn update_settings(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path(_company): Path<String>,
    ApiJson(input): ApiJson<SettingsInput>,
) -> Result<Response, ApiError> {
    let v: Company = s
        .services
        .update_import_settings(&ctx, input.into())
        .await?
        .into();
    Ok(reply(&d, 200, &v))
}

#[utoipa::path(get, path = "/api/v1/companies/{companyId}/entities", tag = "entities",
    summary = "List importable entities",
    description = "QuickBooks' names (Invoice, Bill, CreditMemo, Estimate, PurchaseOrder, SalesReceipt, VendorCredit, Customer, Vendor, Item, Account, JournalEntry) and Xero's for the same targets (CreditNote, Contact, ManualJournal). An entity not listed cannot be imported yet and is 404 by name.",
    params(("companyId" = String, Path, description = "The organization's id")),
    responses((status = 200, body = Vec<EntityInfo>), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:read"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn entities(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path(_company): Path<String>,
) -> Result<Response, ApiError> {
    let v: Vec<EntityInfo> = s
        .services
        .import_entities(&ctx)
        .into_iter()
        .map(EntityInfo::from)
        .collect();
    Ok(reply(&d, 200, &v))
}

#[utoipa::path(get, path = "/api/v1/companies/{companyId}/entities/{entityName}/fields", tag = "entities",
    summary = "List an entity's fields",
    description = "Each field's id is stable across companies and releases (`targetFieldId` in mappings). Fields with `isForGrouping` make rows sharing their value one entity (the lines of one invoice).",
    params(("companyId" = String, Path, description = "The organization's id"),
        ("entityName" = String, Path, description = "An entity's name, as listed")),
    responses((status = 200, body = Vec<FieldInfo>), (status = 404, body = ErrorBody)),
    security(("bearer" = ["imports:read"])))]
#[tracing::instrument(skip_all)]
pub(crate) async fn fields(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Extension(d): Extension<SurfaceDialect>,
    Path((_company, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let v: Vec<FieldInfo> = s
        .services
        .import_fields(&ctx, &name)?
        .iter()
        .map(FieldInfo::from)
        .collect();
    Ok(reply(&d, 200, &v))
}
