//! `/api/v1/fixed_assets`: the fixed-asset register, depreciation runs,
//! schedules and disposals.

use crate::views::fixed_assets::{
    AssetDepreciated, AssetScheduleView, AssetUpdate, AssetView, DepreciateThrough, Disposal,
    NewAsset, RunReport,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::extract::{ApiJson, ApiQuery, OptionalJson};
use ferrobooks_edge::pagination::page_args;
use ferrobooks_edge::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update))
        .routes(routes!(schedule))
        .routes(routes!(depreciate))
        .routes(routes!(dispose))
        .routes(routes!(run))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Only assets in this status.
    #[param(schema_with = crate::openapi::asset_statuses)]
    status: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/fixed_assets", tag = "fixed_assets",
    summary = "List fixed assets",
    params(ListParams),
    responses((status = 200, body = List<AssetView>), CommonErrors),
    security(("bearer" = ["fixed_assets:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<AssetView>>, ApiError> {
    let (limit, after) = page_args(p.limit, p.cursor.as_deref())?;
    Ok(list_envelope(
        s.services
            .list_assets(&ctx, p.status.as_deref(), after.as_deref(), limit)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/fixed_assets", tag = "fixed_assets",
    summary = "Register a fixed asset",
    description = "From an approved bill's line (`bill_id`, `bill_line`: cost, date and asset account default to the line's; a line makes one asset), bought directly (`paid_from_account_id`: posts Dr asset / Cr that account), or already in the books (neither: nothing posts). Depreciation runs monthly from the acquisition's month (a full month for it), Dr expense / Cr accumulated depreciation, never below `residual_value`: straight line (cost - residual) / life; declining balance the year's opening net book value x (k / life in years) / 12, switching to straight line over the months left when larger; written-down value (Companies Act) the year's opening value x r / 12 with r = 1 - (residual / cost)^(1 / years), to 0.01%; Indian income-tax block once a fiscal year in its last month, opening value x the block's rate, halved in the year of acquisition when used under 180 days. The last month of life takes the value to the residual exactly. Emits `asset.created`.",
    request_body = NewAsset,
    responses((status = 201, body = AssetView), CommonErrors),
    security(("bearer" = ["fixed_assets:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<NewAsset>,
) -> Result<(StatusCode, Json<AssetView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.create_asset(&ctx, input.into()).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/fixed_assets/{id}", tag = "fixed_assets",
    summary = "Read a fixed asset",
    params(("id" = String, Path, description = "Fixed asset id")),
    responses((status = 200, body = AssetView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["fixed_assets:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<AssetView>, ApiError> {
    Ok(Json(s.services.get_asset(&ctx, &id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/fixed_assets/{id}", tag = "fixed_assets",
    summary = "Rename a fixed asset or change its description",
    description = "The terms an asset depreciates on do not change once registered: dispose of it and register it again. Emits `asset.updated`.",
    params(("id" = String, Path, description = "Fixed asset id")),
    request_body = AssetUpdate,
    responses((status = 200, body = AssetView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["fixed_assets:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AssetUpdate>,
) -> Result<Json<AssetView>, ApiError> {
    Ok(Json(
        s.services
            .update_asset(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/fixed_assets/{id}/schedule", tag = "fixed_assets",
    summary = "The asset's depreciation schedule",
    description = "The months posted, then, while the asset is active, those projected to the end of its depreciation (the income-tax block: twenty years).",
    params(("id" = String, Path, description = "Fixed asset id")),
    responses((status = 200, body = AssetScheduleView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["fixed_assets:read"])))]
pub(crate) async fn schedule(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<AssetScheduleView>, ApiError> {
    Ok(Json(s.services.asset_schedule(&ctx, &id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/fixed_assets/{id}/depreciate", tag = "fixed_assets",
    summary = "Depreciate one asset through a date",
    description = "Posts each month that ended on or before `through` (default today; not in the future) and is not posted yet, one entry per month dated its last day. Nothing due posts nothing. A fully depreciated or disposed asset is 409: nothing goes below the residual. Emits `asset.depreciated` per month.",
    params(("id" = String, Path, description = "Fixed asset id")),
    request_body(content = DepreciateThrough, description = "Optional"),
    responses((status = 200, body = AssetDepreciated), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["fixed_assets:write"])))]
pub(crate) async fn depreciate(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<DepreciateThrough>,
) -> Result<Json<AssetDepreciated>, ApiError> {
    Ok(Json(
        s.services
            .depreciate_asset(&ctx, &id, req.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/fixed_assets/{id}/dispose", tag = "fixed_assets",
    summary = "Sell, scrap or write off an asset",
    description = "Depreciates the months that ended before the disposal's month, then posts Dr bank (proceeds + tax) + Dr accumulated depreciation / Cr the asset's cost + Cr the tax account, the difference to `gain_loss_account_id` (default Other Income 4900; a gain is credited, a loss debited). A disposed asset is 409. Emits `asset.updated`.",
    params(("id" = String, Path, description = "Fixed asset id")),
    request_body(content = Disposal, description = "Optional"),
    responses((status = 200, body = AssetView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["fixed_assets:write"])))]
pub(crate) async fn dispose(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    OptionalJson(req): OptionalJson<Disposal>,
) -> Result<Json<AssetView>, ApiError> {
    Ok(Json(
        s.services
            .dispose_asset(&ctx, &id, req.into())
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/fixed_assets/depreciation_runs", tag = "fixed_assets",
    summary = "Depreciate every active asset through a date",
    description = "What the hourly job does for every organization, on demand for this one: each active asset's months that ended on or before `through` (default today; not in the future) and are not posted yet. 250 assets per transaction; an asset that cannot be depreciated (a closed period) is listed in `failed` and the others go on. Running it again posts nothing twice.",
    request_body(content = DepreciateThrough, description = "Optional"),
    responses((status = 200, body = RunReport), CommonErrors),
    security(("bearer" = ["fixed_assets:write"])))]
pub(crate) async fn run(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    OptionalJson(req): OptionalJson<DepreciateThrough>,
) -> Result<Json<RunReport>, ApiError> {
    Ok(Json(
        s.services
            .run_org_depreciation(&ctx, req.into())
            .await?
            .into(),
    ))
}
