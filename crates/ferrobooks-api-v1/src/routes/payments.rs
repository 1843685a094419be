//! `/api/v1/payments`: money received from customers, applied to invoices.

use ferrobooks_domain::document::Side;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::views::sales::{ApplyInput, PaymentInput, PaymentView};
use ferrobooks_edge::AppState;

/// The service's field names a payment's errors name, as this API spells
/// them.
const FIELDS: &[(&str, &str)] = &[("account_id", "deposit_account_id")];

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, delete))
        .routes(routes!(apply))
        .routes(routes!(unapply))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only this customer's payments.
    customer_id: Option<String>,
}

impl ListParams {
    fn parts(self) -> (Option<u32>, Option<String>, Option<String>) {
        (self.limit, self.cursor, self.customer_id)
    }
}

payment_routes! {
    side: Side::Sale,
    tag: "payments",
    list_path: "/api/v1/payments",
    item_path: "/api/v1/payments/{id}",
    apply_path: "/api/v1/payments/{id}/apply",
    read: "payments:read",
    write: "payments:write",
    view: PaymentView,
    input: PaymentInput,
    apply_input: ApplyInput,
    query: ListParams,
    fields: FIELDS,
    list_summary: "List payments",
    create_summary: "Record a payment received",
    create_description: "Posts Dr the deposit account (default Undeposited Funds) the amount at the payment's rate; Cr Accounts Receivable (with the customer) one line per invoice applied and one for what stays unapplied. `applications` may span many invoices of the customer, partially; each must be approved, in the payment's currency, and owe at least its amount, and together they may not exceed the payment. What is not applied stays as the customer's credit (`POST /payments/{id}/apply` later). When the payment's rate differs from an invoice's, the difference posts to FX gain/loss: paid x (payment rate - invoice rate), gain credited. Emits `payment.created`, `invoice.updated`, and `invoice.paid` for each invoice it settles.",
    show_summary: "Read a payment",
    apply_summary: "Apply unapplied credit to invoices",
    apply_description: "Applies what the payment has left to invoices of the same customer and currency. An allocation only; a rate difference between payment and invoice posts realized FX gain/loss. Emits `invoice.updated` and `invoice.paid` for each invoice it settles.",
    delete_summary: "Delete a payment",
    delete_description: "Reverses the payment's entry and any FX entries of its later applications (dated today, or the payment's date if later) and reopens the invoices it paid. Emits `payment.deleted` and `invoice.updated`.",
}

super::documents::unapply_route! {
    source: ferrobooks_service::documents::allocations::CreditSource::Payment,
    tag: "payments",
    path: "/api/v1/payments/{id}/allocations/{allocation_id}",
    write: "payments:write",
}

/// The annotated handlers of a payments resource (received, or made to
/// vendors): list, create, read, apply, delete, over one side's shapes.
macro_rules! payment_routes {
    (
        side: $side:expr,
        tag: $tag:literal,
        list_path: $lp:literal,
        item_path: $ip:literal,
        apply_path: $ap:literal,
        read: $read:literal,
        write: $write:literal,
        view: $view:ident,
        input: $input:ident,
        apply_input: $apply:ident,
        query: $query:ident,
        fields: $fields:expr,
        list_summary: $ls:literal,
        create_summary: $cs:literal,
        create_description: $cd:literal,
        show_summary: $ss:literal,
        apply_summary: $as:literal,
        apply_description: $ad:literal,
        delete_summary: $ds:literal,
        delete_description: $dd:literal $(,)?
    ) => {
        #[utoipa::path(get, path = $lp, tag = $tag,
            summary = $ls,
            params($query),
            responses((status = 200, body = crate::envelope::List<$view>), crate::openapi::CommonErrors),
            security(("bearer" = [$read])))]
        pub(crate) async fn list(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            ferrobooks_edge::extract::ApiQuery(p): ferrobooks_edge::extract::ApiQuery<$query>,
        ) -> Result<axum::Json<crate::envelope::List<$view>>, ferrobooks_edge::ApiError> {
            let (limit, cursor, contact) = p.parts();
            let (limit, after) = ferrobooks_edge::pagination::page_args(limit, cursor.as_deref())?;
            Ok(crate::envelope::list(
                s.services
                    .list_payments(&ctx, $side, after.as_deref(), contact.as_deref(), limit)
                    .await?,
            ))
        }

        #[utoipa::path(post, path = $lp, tag = $tag,
            summary = $cs,
            description = $cd,
            request_body = $input,
            responses((status = 201, body = $view), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn create(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            ferrobooks_edge::extract::ApiJson(input): ferrobooks_edge::extract::ApiJson<$input>,
        ) -> Result<(axum::http::StatusCode, axum::Json<$view>), ferrobooks_edge::ApiError> {
            let v = s
                .services
                .create_payment(&ctx, $side, input.into())
                .await
                .map_err(|e| crate::views::renamed(e, $fields))?;
            Ok((axum::http::StatusCode::CREATED, axum::Json(v.into())))
        }

        #[utoipa::path(get, path = $ip, tag = $tag,
            summary = $ss,
            params(("id" = String, Path, description = "Payment id")),
            responses((status = 200, body = $view), (status = 404, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$read])))]
        pub(crate) async fn show(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
        ) -> Result<axum::Json<$view>, ferrobooks_edge::ApiError> {
            Ok(axum::Json(s.services.get_payment(&ctx, $side, &id).await?.into()))
        }

        #[utoipa::path(post, path = $ap, tag = $tag,
            summary = $as,
            description = $ad,
            params(("id" = String, Path, description = "Payment id")),
            request_body = $apply,
            responses((status = 200, body = $view), (status = 404, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn apply(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
            ferrobooks_edge::extract::ApiJson(input): ferrobooks_edge::extract::ApiJson<$apply>,
        ) -> Result<axum::Json<$view>, ferrobooks_edge::ApiError> {
            Ok(axum::Json(
                s.services
                    .apply_payment(&ctx, $side, &id, input.into())
                    .await?
                    .into(),
            ))
        }

        #[utoipa::path(delete, path = $ip, tag = $tag,
            summary = $ds,
            description = $dd,
            params(("id" = String, Path, description = "Payment id")),
            responses((status = 204), (status = 404, body = crate::openapi::ErrorBody), crate::openapi::CommonErrors),
            security(("bearer" = [$write])))]
        pub(crate) async fn delete(
            axum::extract::State(s): axum::extract::State<ferrobooks_edge::AppState>,
            axum::Extension(ctx): axum::Extension<ferrobooks_service::AuthContext>,
            axum::extract::Path(id): axum::extract::Path<String>,
        ) -> Result<axum::http::StatusCode, ferrobooks_edge::ApiError> {
            s.services.delete_payment(&ctx, $side, &id).await?;
            Ok(axum::http::StatusCode::NO_CONTENT)
        }
    };
}

pub(crate) use payment_routes;
