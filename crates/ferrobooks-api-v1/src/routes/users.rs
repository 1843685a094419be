//! `/api/v1/users`: the people of the account, their roles and the
//! organizations they work in. Owners and admins manage them (an API key
//! acts as an admin); only an owner makes or changes owners.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_edge::extract::{ApiJson, ApiQuery};
use ferrobooks_edge::pagination::page_args;
use ferrobooks_edge::{ApiError, AppState};
use ferrobooks_service::{AuthContext, Services};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::keys::ListParams;
use crate::envelope::{List, list as list_envelope};
use crate::openapi::{CommonErrors, ErrorBody};
use crate::views::users::{CreatedUser, UserInput, UserView};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    summary = "List the account's users",
    params(ListParams),
    responses((status = 200, body = List<UserView>), CommonErrors),
    security(("bearer" = ["users:read"])))]
pub(crate) async fn list(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<UserView>>, ApiError> {
    let (limit, after) = page_args(p.limit(), p.cursor())?;
    Ok(list_envelope(
        s.services.list_users(&ctx, after.as_deref(), limit).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users",
    summary = "Add a user",
    description = "`email` is required and unique across the instance. Accountants and viewers work in the organizations named (default: this one); owners and admins see them all. Without a `password` one is generated and answered once (never replayed by Idempotency-Key). Only an owner adds an owner (403).",
    request_body = crate::openapi::UserCreate,
    responses((status = 201, body = CreatedUser), CommonErrors),
    security(("bearer" = ["users:write"])))]
pub(crate) async fn create(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    ApiJson(input): ApiJson<UserInput>,
) -> Result<(StatusCode, Json<CreatedUser>), ApiError> {
    let made = s
        .services
        .create_user(
            &ctx.principal.tenant_id,
            Services::manager_role(&ctx),
            Some(ctx.org_id()),
            input.into(),
        )
        .await?;
    if made.password.is_some() {
        ctx.answer_holds_secret();
    }
    Ok((StatusCode::CREATED, Json(made.into())))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    summary = "Read a user",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody), CommonErrors),
    security(("bearer" = ["users:read"])))]
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<Json<UserView>, ApiError> {
    Ok(Json(s.services.get_user(&ctx, &id).await?.into()))
}

#[utoipa::path(method(put, patch), path = "/api/v1/users/{id}", tag = "users",
    summary = "Change a user (PATCH takes the same body)",
    description = "Absent fields stay. `disabled: true` disables the user: their tokens stop working at once. The account's last active owner stays an active owner (409). Only an owner changes an owner or gives the owner role (403).",
    params(("id" = String, Path, description = "User id")),
    request_body = UserInput,
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["users:write"])))]
pub(crate) async fn update(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<UserInput>,
) -> Result<Json<UserView>, ApiError> {
    Ok(Json(
        s.services
            .update_user(&ctx, &id, input.into())
            .await?
            .into(),
    ))
}
