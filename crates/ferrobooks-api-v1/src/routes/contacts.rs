//! Handlers shared by the contact resources (`/api/v1/customers`,
//! `/api/v1/vendors`): a macro stamps out the five annotated handlers per
//! resource, so each route has its own path, tag, scope and view in the
//! OpenAPI document, over the same use cases told apart by `Party`.

use ferrobooks_service::contacts::ContactQuery;
use serde::Deserialize;

use ferrobooks_edge::ApiError;
use ferrobooks_edge::pagination::page_args;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Case-insensitive text in the name or email.
    search: Option<String>,
    /// Only contacts changed at or after this RFC 3339 time.
    #[param(format = DateTime)]
    updated_since: Option<String>,
}

impl ListParams {
    pub(crate) fn query(self) -> Result<ContactQuery, ApiError> {
        let (limit, after) = page_args(self.limit, self.cursor.as_deref())?;
        Ok(ContactQuery {
            after,
            search: self.search,
            updated_since: self.updated_since,
            limit,
        })
    }
}

/// The five handlers of one contact resource.
macro_rules! contact_routes {
    (
        party: $party:expr,
        tag: $tag:literal,
        list_path: $list_path:literal,
        item_path: $item_path:literal,
        read: $read:literal,
        write: $write:literal,
        view: $view:ty,
        input: $input:ty,
        create_body: $create_body:ty,
        fields: $fields:expr,
        noun: $noun:literal,
        create_description: $create_description:literal,
        update_description: $update_description:literal,
        delete_description: $delete_description:literal $(,)?
    ) => {
        pub fn routes() -> utoipa_axum::router::OpenApiRouter<ferrobooks_edge::AppState> {
            utoipa_axum::router::OpenApiRouter::new()
                .routes(utoipa_axum::routes!(list, create))
                .routes(utoipa_axum::routes!(show, update, delete))
        }

        #[utoipa::path(get, path = $list_path, tag = $tag,
            summary = concat!("List ", $noun, "s with their balances"),
            params(crate::routes::contacts::ListParams),
            responses((status = 200, body = crate::envelope::List<$view>), crate::openapi::CommonErrors),
            security(("bearer" = [$read])))]
        pub(crate) async fn list(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            ferrobooks_edge::extract::ApiQuery(p): ferrobooks_edge::extract::ApiQuery<crate::routes::contacts::ListParams>,
        ) -> Result<axum::Json<crate::envelope::List<$view>>, ferrobooks_edge::ApiError> {
            let q = p.query()?;
            Ok(crate::envelope::list(s.services.list_contacts(&ctx, $party, &q).await?))
        }

        #[utoipa::path(post, path = $list_path, tag = $tag,
            summary = concat!("Create a ", $noun),
            description = $create_description,
            request_body = $create_body,
            responses((status = 201, body = $view), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn create(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            ferrobooks_edge::extract::ApiJson(input): ferrobooks_edge::extract::ApiJson<$input>,
        ) -> Result<(axum::http::StatusCode, axum::Json<$view>), ferrobooks_edge::ApiError> {
            let v = s
                .services
                .create_contact(&ctx, $party, input.into())
                .await
                .map_err(|e| crate::views::renamed(e, $fields))?;
            Ok((axum::http::StatusCode::CREATED, axum::Json(v.into())))
        }

        #[utoipa::path(get, path = $item_path, tag = $tag,
            summary = concat!("Read a ", $noun),
            params(("id" = String, Path, description = concat!("The ", $noun, "'s id"))),
            responses((status = 200, body = $view), (status = 404, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$read])))]
        pub(crate) async fn show(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
        ) -> Result<axum::Json<$view>, ferrobooks_edge::ApiError> {
            Ok(axum::Json(s.services.get_contact(&ctx, $party, &id).await?.into()))
        }

        #[utoipa::path(method(put, patch), path = $item_path, tag = $tag,
            summary = concat!("Change a ", $noun, " (PATCH takes the same body)"),
            description = $update_description,
            params(("id" = String, Path, description = concat!("The ", $noun, "'s id"))),
            request_body = $input,
            responses((status = 200, body = $view), (status = 404, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn update(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
            ferrobooks_edge::extract::ApiJson(input): ferrobooks_edge::extract::ApiJson<$input>,
        ) -> Result<axum::Json<$view>, ferrobooks_edge::ApiError> {
            let v = s
                .services
                .update_contact(&ctx, $party, &id, input.into())
                .await
                .map_err(|e| crate::views::renamed(e, $fields))?;
            Ok(axum::Json(v.into()))
        }

        #[utoipa::path(delete, path = $item_path, tag = $tag,
            summary = concat!("Delete a ", $noun, " without transactions"),
            description = $delete_description,
            params(("id" = String, Path, description = concat!("The ", $noun, "'s id"))),
            responses((status = 204), (status = 404, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn delete(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
        ) -> Result<axum::http::StatusCode, ferrobooks_edge::ApiError> {
            s.services.delete_contact(&ctx, $party, &id).await?;
            Ok(axum::http::StatusCode::NO_CONTENT)
        }
    };
}

pub(crate) use contact_routes;
