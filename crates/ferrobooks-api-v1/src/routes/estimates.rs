//! `/api/v1/estimates`: offers that post nothing. draft -> sent ->
//! accepted / declined; expired by the due-date job; convert to an invoice.

use crate::views::sales::DocumentView;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use ferrobooks_service::AuthContext;
use ferrobooks_service::documents::DocKind;

use super::documents::{document_action, document_routes, draft_routes};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::{CommonErrors, ErrorBody};
use ferrobooks_edge::ApiError;
use ferrobooks_edge::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(send))
        .routes(routes!(accept))
        .routes(routes!(decline))
        .routes(routes!(convert))
}

document_routes! {
    kind: DocKind::Estimate,
    tag: "estimates",
    list_path: "/api/v1/estimates",
    item_path: "/api/v1/estimates/{id}",
    read: "estimates:read",
    write: "estimates:write",
    list_summary: "List estimates",
    create_summary: "Create a draft estimate",
    create_description: "Lines and amounts as on invoices; `expiry_date` is the last day the offer stands (the due-date job marks it `expired` after). Posts nothing. Emits `estimate.created`.",
    create_body: crate::routes::document_bodies::EstimateCreate,
    show_summary: "Read an estimate",
}

draft_routes! {
    kind: DocKind::Estimate,
    tag: "estimates",
    item_path: "/api/v1/estimates/{id}",
    write: "estimates:write",
    update_body: crate::routes::document_bodies::EstimateUpdate,
}

document_action!(
    send,
    "/api/v1/estimates/{id}/send",
    "estimates",
    "estimates:write",
    "Mark as sent",
    "The estimate takes its number (estimate series) the first time it is sent. 409 unless draft or sent. Emits `estimate.sent`.",
    |s, ctx, id| s.services.send_document(&ctx, DocKind::Estimate, &id)
);

document_action!(
    accept,
    "/api/v1/estimates/{id}/accept",
    "estimates",
    "estimates:write",
    "Record acceptance",
    "409 unless draft or sent. Emits `estimate.accepted`.",
    |s, ctx, id| s.services.answer_estimate(&ctx, &id, true)
);

document_action!(
    decline,
    "/api/v1/estimates/{id}/decline",
    "estimates",
    "estimates:write",
    "Record a refusal",
    "409 unless draft or sent. Emits `estimate.declined`.",
    |s, ctx, id| s.services.answer_estimate(&ctx, &id, false)
);

#[utoipa::path(post, path = "/api/v1/estimates/{id}/convert", tag = "estimates",
    summary = "Convert to a draft invoice",
    description = "Makes a draft invoice with the estimate's lines, currency and rate, dated today, its `source_id` the estimate; the estimate becomes `accepted` with `converted_to_id` set. Answers the new invoice. 409 when already converted, declined or expired. Emits `invoice.created` and `estimate.converted`.",
    params(("id" = String, Path, description = "Estimate id")),
    responses((status = 201, body = DocumentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("bearer" = ["estimates:write"])))]
pub(crate) async fn convert(
    State(s): State<AppState>,
    Extension(ctx): Extension<AuthContext>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<DocumentView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.services.convert_estimate(&ctx, &id).await?.into()),
    ))
}
