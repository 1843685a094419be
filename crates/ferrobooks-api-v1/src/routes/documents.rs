//! Handlers shared by the document resources (invoices, estimates, credit
//! notes, sales and refund receipts; bills, vendor credits, purchase
//! orders): one body each, and macros that stamp out the annotated
//! handlers per resource so every route has its own path, tag and scope
//! in the OpenAPI document. A sale answers a [`DocumentView`]; a purchase
//! a [`crate::views::purchases::PurchaseView`] (each macro's `shapes:
//! purchase` arm).

use axum::Json;
use axum::http::StatusCode;
use ferrobooks_service::AuthContext;
use ferrobooks_service::documents::{DocKind, DocQuery};
use serde::Deserialize;

use crate::envelope::{List, list as list_envelope};
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;
use ferrobooks_edge::pagination::page_args;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct DocListParams {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only documents in this status.
    status: Option<String>,
    /// Only this customer's documents.
    customer_id: Option<String>,
    /// Dated on or after (YYYY-MM-DD).
    #[param(format = Date)]
    date_from: Option<String>,
    /// Dated on or before (YYYY-MM-DD).
    #[param(format = Date)]
    date_to: Option<String>,
    /// Changed at or after this RFC 3339 time.
    #[param(format = DateTime)]
    updated_since: Option<String>,
    /// Case-insensitive text in the number or reference.
    search: Option<String>,
}

/// Options of a void.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-01"}))]
pub struct DocVoidRequest {
    /// The reversal's date (default: today, or the document's date if later).
    #[schema(format = Date)]
    pub date: Option<String>,
}

/// The list parameters of a purchase document: [`DocListParams`] with
/// the vendor for the customer.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct PurchaseListParams {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only documents in this status.
    status: Option<String>,
    /// Only this vendor's documents.
    vendor_id: Option<String>,
    /// Expenses: only those this employee paid and is reimbursed for.
    employee_id: Option<String>,
    /// Dated on or after (YYYY-MM-DD).
    #[param(format = Date)]
    date_from: Option<String>,
    /// Dated on or before (YYYY-MM-DD).
    #[param(format = Date)]
    date_to: Option<String>,
    /// Changed at or after this RFC 3339 time.
    #[param(format = DateTime)]
    updated_since: Option<String>,
    /// Case-insensitive text in the number or reference.
    search: Option<String>,
}

/// A list query as the service takes it.
pub(crate) trait ListQuery: utoipa::IntoParams {
    fn query(self) -> Result<DocQuery, ApiError>;
}

impl ListQuery for DocListParams {
    fn query(self) -> Result<DocQuery, ApiError> {
        let (limit, after) = page_args(self.limit, self.cursor.as_deref())?;
        Ok(DocQuery {
            after,
            limit,
            status: self.status,
            customer_id: self.customer_id,
            employee_id: None,
            date_from: self.date_from,
            date_to: self.date_to,
            updated_since: self.updated_since,
            search: self.search,
        })
    }
}

impl ListQuery for PurchaseListParams {
    fn query(self) -> Result<DocQuery, ApiError> {
        let (limit, after) = page_args(self.limit, self.cursor.as_deref())?;
        Ok(DocQuery {
            after,
            limit,
            status: self.status,
            customer_id: self.vendor_id,
            employee_id: self.employee_id,
            date_from: self.date_from,
            date_to: self.date_to,
            updated_since: self.updated_since,
            search: self.search,
        })
    }
}

/// The list parameters of one kind of document: `Q`'s, with `status`
/// limited to that kind's statuses.
pub(crate) fn kind_params<Q: ListQuery>(
    kind: DocKind,
    parameter_in: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
) -> Vec<utoipa::openapi::path::Parameter> {
    let mut params = <Q as utoipa::IntoParams>::into_params(parameter_in);
    // Only expenses name an employee.
    params.retain(|p| p.name != "employee_id" || kind == DocKind::Expense);
    for p in &mut params {
        if p.name == "status" {
            p.schema = Some(crate::openapi::one_of(kind.statuses().iter().copied()).into());
        }
    }
    params
}

pub(crate) async fn list<Q: ListQuery, V: From<svc::DocumentView> + serde::Serialize>(
    s: AppState,
    ctx: AuthContext,
    p: Q,
    kind: DocKind,
) -> Result<Json<List<V>>, ApiError> {
    let q = p.query()?;
    Ok(list_envelope(
        s.services.list_documents(&ctx, kind, &q).await?,
    ))
}

pub(crate) async fn create<I: Into<svc::DocumentInput>, V: From<svc::DocumentView>>(
    s: AppState,
    ctx: AuthContext,
    input: I,
    kind: DocKind,
    fields: &[(&str, &str)],
) -> Result<(StatusCode, Json<V>), ApiError> {
    let v = s
        .services
        .create_document(&ctx, kind, input.into())
        .await
        .map_err(|e| crate::views::renamed(e, fields))?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

pub(crate) async fn update<I: Into<svc::DocumentInput>, V: From<svc::DocumentView>>(
    s: AppState,
    ctx: AuthContext,
    id: String,
    input: I,
    kind: DocKind,
    fields: &[(&str, &str)],
) -> Result<Json<V>, ApiError> {
    let v = s
        .services
        .update_document(&ctx, kind, &id, input.into())
        .await
        .map_err(|e| crate::views::renamed(e, fields))?;
    Ok(Json(v.into()))
}

mod svc {
    pub(super) use ferrobooks_service::documents::model::{DocumentInput, DocumentView};
}

/// The shapes the macros name (by a plain name: the OpenAPI attributes
/// read type names token by token).
pub(crate) mod shapes {
    pub(crate) use super::{DocListParams, PurchaseListParams};
    pub(crate) use crate::views::bill_payments::BillAllocationView;
    pub(crate) use crate::views::expenses::{EXPENSE_FIELDS, ExpenseInput};
    pub(crate) use crate::views::purchases::{PURCHASE_FIELDS, PurchaseInput, PurchaseView};
    pub(crate) use crate::views::sales::{AllocationView, DocumentInput, DocumentView};
}

/// The annotated handlers every document resource has: list, create,
/// read. `shapes: purchase` answers purchase views and takes purchase
/// inputs (vendor, source of supply); the default is a sale's.
macro_rules! document_routes {
    (shapes: expense, $($rest:tt)*) => {
        crate::routes::documents::document_routes!(@with
            PurchaseView,
            ExpenseInput,
            PurchaseListParams,
            crate::routes::documents::shapes::EXPENSE_FIELDS,
            $($rest)*);
    };
    (shapes: purchase, $($rest:tt)*) => {
        crate::routes::documents::document_routes!(@with
            PurchaseView,
            PurchaseInput,
            PurchaseListParams,
            crate::routes::documents::shapes::PURCHASE_FIELDS,
            $($rest)*);
    };
    (kind: $($rest:tt)*) => {
        crate::routes::documents::document_routes!(@with
            DocumentView,
            DocumentInput,
            DocListParams,
            &[],
            kind: $($rest)*);
    };
    (
        @with $view:ident, $input:ident, $query:ident, $fields:expr,
        kind: $kind:expr,
        tag: $tag:literal,
        list_path: $list_path:literal,
        item_path: $item_path:literal,
        read: $read:literal,
        write: $write:literal,
        list_summary: $ls:literal,
        create_summary: $cs:literal,
        create_description: $cd:literal,
        create_body: $cb:path,
        show_summary: $ss:literal $(,)?
    ) => {
        /// The list parameters of this kind (its own statuses).
        pub(crate) struct ListParams;

        impl utoipa::IntoParams for ListParams {
            fn into_params(
                parameter_in: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
            ) -> Vec<utoipa::openapi::path::Parameter> {
                crate::routes::documents::kind_params::<crate::routes::documents::shapes::$query>($kind, parameter_in)
            }
        }

        #[utoipa::path(get, path = $list_path, tag = $tag, summary = $ls,
            params(ListParams),
            responses((status = 200, body = crate::envelope::List<crate::routes::documents::shapes::$view>), crate::openapi::CommonErrors),
            security(("bearer" = [$read])))]
        pub(crate) async fn list(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            ferrobooks_edge::extract::ApiQuery(p): ferrobooks_edge::extract::ApiQuery<crate::routes::documents::shapes::$query>,
        ) -> Result<axum::Json<crate::envelope::List<crate::routes::documents::shapes::$view>>, ferrobooks_edge::ApiError> {
            crate::routes::documents::list(s, ctx, p, $kind).await
        }

        #[utoipa::path(post, path = $list_path, tag = $tag, summary = $cs, description = $cd,
            request_body = $cb,
            responses((status = 201, body = crate::routes::documents::shapes::$view), (status = 409, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn create(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            ferrobooks_edge::extract::ApiJson(input): ferrobooks_edge::extract::ApiJson<crate::routes::documents::shapes::$input>,
        ) -> Result<(axum::http::StatusCode, axum::Json<crate::routes::documents::shapes::$view>), ferrobooks_edge::ApiError> {
            crate::routes::documents::create(s, ctx, input, $kind, $fields).await
        }

        #[utoipa::path(get, path = $item_path, tag = $tag, summary = $ss,
            params(("id" = String, Path, description = "Document id")),
            responses((status = 200, body = crate::routes::documents::shapes::$view), (status = 404, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$read])))]
        pub(crate) async fn show(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
        ) -> Result<axum::Json<crate::routes::documents::shapes::$view>, ferrobooks_edge::ApiError> {
            Ok(axum::Json(s.services.get_document(&ctx, $kind, &id).await?.into()))
        }
    };
}

/// Update and delete of drafts.
macro_rules! draft_routes {
    (shapes: expense, $($rest:tt)*) => {
        crate::routes::documents::draft_routes!(@with
            PurchaseView,
            ExpenseInput,
            crate::routes::documents::shapes::EXPENSE_FIELDS,
            $($rest)*);
    };
    (shapes: purchase, $($rest:tt)*) => {
        crate::routes::documents::draft_routes!(@with
            PurchaseView,
            PurchaseInput,
            crate::routes::documents::shapes::PURCHASE_FIELDS,
            $($rest)*);
    };
    (kind: $($rest:tt)*) => {
        crate::routes::documents::draft_routes!(@with
            DocumentView,
            DocumentInput,
            &[],
            kind: $($rest)*);
    };
    (@with $view:ident, $input:ident, $fields:expr, kind: $kind:expr, tag: $tag:literal, item_path: $item_path:literal, write: $write:literal, update_body: $ub:path $(,)?) => {
        #[utoipa::path(method(put, patch), path = $item_path, tag = $tag,
            summary = "Change a draft (PATCH takes the same body)",
            description = "Only drafts change. Absent fields stay; `lines`, when given, replace every line and all amounts are recomputed. Emits `<type>.updated`.",
            params(("id" = String, Path, description = "Document id")),
            request_body = $ub,
            responses((status = 200, body = crate::routes::documents::shapes::$view), (status = 404, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn update(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
            ferrobooks_edge::extract::ApiJson(input): ferrobooks_edge::extract::ApiJson<crate::routes::documents::shapes::$input>,
        ) -> Result<axum::Json<crate::routes::documents::shapes::$view>, ferrobooks_edge::ApiError> {
            crate::routes::documents::update(s, ctx, id, input, $kind, $fields).await
        }

        #[utoipa::path(delete, path = $item_path, tag = $tag,
            summary = "Delete a draft",
            description = "Only drafts are deleted (409 otherwise: void instead). Emits `<type>.deleted`.",
            params(("id" = String, Path, description = "Document id")),
            responses((status = 204), (status = 404, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn delete(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
        ) -> Result<axum::http::StatusCode, ferrobooks_edge::ApiError> {
            s.services.delete_document(&ctx, $kind, &id).await?;
            Ok(axum::http::StatusCode::NO_CONTENT)
        }
    };
}

/// A POST action on one document with no body (`/approve`, `/send`).
macro_rules! document_action {
    (shapes: purchase, $($rest:tt)*) => {
        crate::routes::documents::document_action!(@with PurchaseView, $($rest)*);
    };
    ($name:ident, $($rest:tt)*) => {
        crate::routes::documents::document_action!(@with DocumentView, $name, $($rest)*);
    };
    (@with $view:ident, $name:ident, $path:literal, $tag:literal, $write:literal, $summary:literal, $desc:literal, |$s:ident, $ctx:ident, $id:ident| $body:expr) => {
        #[utoipa::path(post, path = $path, tag = $tag, summary = $summary, description = $desc,
            params(("id" = String, Path, description = "Document id")),
            responses((status = 200, body = crate::routes::documents::shapes::$view), (status = 404, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn $name(
            axum::extract::State($s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension($ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path($id): axum::extract::Path<String>,
        ) -> Result<axum::Json<crate::routes::documents::shapes::$view>, ferrobooks_edge::ApiError> {
            Ok(axum::Json($body.await?.into()))
        }
    };
}

/// `POST /{id}/void` with an optional body naming the reversal's date.
macro_rules! void_route {
    (shapes: purchase, $($rest:tt)*) => {
        crate::routes::documents::void_route!(@with PurchaseView, $($rest)*);
    };
    (kind: $($rest:tt)*) => {
        crate::routes::documents::void_route!(@with DocumentView, kind: $($rest)*);
    };
    (@with $view:ident, kind: $kind:expr, tag: $tag:literal, path: $path:literal, write: $write:literal, description: $desc:literal $(,)?) => {
        #[utoipa::path(post, path = $path, tag = $tag, summary = "Void: post the reversal",
            description = $desc,
            params(("id" = String, Path, description = "Document id")),
            request_body(content = crate::routes::documents::DocVoidRequest, description = "Optional"),
            responses((status = 200, body = crate::routes::documents::shapes::$view), (status = 404, body = crate::openapi::ErrorBody), (status = 409, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn void(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
            ferrobooks_edge::extract::OptionalJson(req): ferrobooks_edge::extract::OptionalJson<crate::routes::documents::DocVoidRequest>,
        ) -> Result<axum::Json<crate::routes::documents::shapes::$view>, ferrobooks_edge::ApiError> {
            Ok(axum::Json(
                s.services
                    .void_document(&ctx, $kind, &id, req.date.as_deref())
                    .await?.into(),
            ))
        }
    };
}

/// `GET /{id}/allocations`: what settled an invoice or bill, or where a
/// credit went.
macro_rules! allocations_route {
    (shapes: purchase, $($rest:tt)*) => {
        crate::routes::documents::allocations_route!(@with BillAllocationView, $($rest)*);
    };
    (kind: $($rest:tt)*) => {
        crate::routes::documents::allocations_route!(@with AllocationView, kind: $($rest)*);
    };
    (@with $view:ident, kind: $kind:expr, tag: $tag:literal, path: $path:literal, read: $read:literal, summary: $summary:literal, description: $desc:literal $(,)?) => {
        #[utoipa::path(get, path = $path, tag = $tag, summary = $summary, description = $desc,
            params(("id" = String, Path, description = "Document id")),
            responses((status = 200, body = Vec<crate::routes::documents::shapes::$view>), (status = 404, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$read])))]
        pub(crate) async fn allocations(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
        ) -> Result<axum::Json<Vec<crate::routes::documents::shapes::$view>>, ferrobooks_edge::ApiError> {
            Ok(axum::Json(crate::views::each(s.services.list_allocations(&ctx, $kind, &id).await?)))
        }
    };
}

/// `DELETE /{id}/allocations/{allocation_id}`: one application taken back.
macro_rules! unapply_route {
    (shapes: purchase, $($rest:tt)*) => {
        crate::routes::documents::unapply_route!(@with BillAllocationView,
            "The bill reopens by the amount and the credit is available again; a realized FX difference of the application is taken back by its own entry. Answers the allocations left. Emits `bill.updated`.",
            $($rest)*);
    };
    (source: $($rest:tt)*) => {
        crate::routes::documents::unapply_route!(@with AllocationView,
            "The invoice reopens by the amount and the credit is available again; a realized FX difference of the application is taken back by its own entry. Answers the allocations left. Emits `invoice.updated`.",
            source: $($rest)*);
    };
    (@with $view:ident, $desc:literal, source: $source:expr, tag: $tag:literal, path: $path:literal, write: $write:literal $(,)?) => {
        #[utoipa::path(delete, path = $path, tag = $tag,
            summary = "Take one application back",
            description = $desc,
            params(("id" = String, Path, description = "Payment or credit id"), ("allocation_id" = String, Path, description = "Allocation id")),
            responses((status = 200, body = Vec<crate::routes::documents::shapes::$view>), (status = 404, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn unapply(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path((id, allocation_id)): axum::extract::Path<(String, String)>,
        ) -> Result<axum::Json<Vec<crate::routes::documents::shapes::$view>>, ferrobooks_edge::ApiError> {
            Ok(axum::Json(
                s.services
                    .unapply_allocation(&ctx, $source, &id, &allocation_id)
                    .await
                    .map(crate::views::each)?,
            ))
        }
    };
}

pub(crate) use {
    allocations_route, document_action, document_routes, draft_routes, unapply_route, void_route,
};
