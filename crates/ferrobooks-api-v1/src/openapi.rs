//! The OpenAPI 3.1 document, generated from the handlers' annotations, and
//! the interactive reference at `/docs`, served from the binary (the Swagger
//! UI files are vendored under `assets/`, no CDN).
//!
//! Every route declares its scope as the role of its `bearer` security
//! requirement (`accounts:write`), the same resource:action the
//! authentication middleware checks.

use std::collections::BTreeMap;

use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi, ToSchema};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use ferrobooks_edge::AppState;

/// The body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A message for people.
    pub error: String,
    /// A stable machine code; see the table in the API description.
    pub code: String,
    /// Field paths and what is wrong with each, when fields are at fault.
    pub details: Option<BTreeMap<String, String>>,
    /// The request's id, also in the `X-Request-Id` header and the logs.
    pub request_id: String,
}

/// `T`'s request schema cut to a variant: only the `keep` fields (all when
/// None), `required` marked required and not null, its own description
/// and example. For inputs one struct reads for several uses (create and
/// update, five kinds of document) while the document shows each its own
/// body; a field shown is always a field the server reads.
pub(crate) fn cut_schema<T: utoipa::PartialSchema>(
    keep: Option<&[&str]>,
    required: &[&str],
    description: &str,
    example: serde_json::Value,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    let mut full = T::schema();
    if let RefOr::T(Schema::Object(obj)) = &mut full {
        if let Some(keep) = keep {
            obj.properties
                .retain(|name, _| keep.contains(&name.as_str()));
        }
        obj.required = required.iter().map(|r| (*r).to_owned()).collect();
        for name in required {
            if let Some(RefOr::T(prop)) = obj.properties.get_mut(*name) {
                not_null(prop);
            }
        }
        obj.description = Some(description.to_owned());
        obj.examples = vec![example];
    }
    full
}

/// A required field must be given, so `null` is no value for it (the input
/// struct reads every field as optional, since an update may leave any
/// out). A required list holds one item at least.
fn not_null(prop: &mut utoipa::openapi::schema::Schema) {
    use utoipa::openapi::schema::{Schema, SchemaType, Type};
    let strip = |t: &mut SchemaType| {
        if let SchemaType::Array(types) = t {
            types.retain(|x| *x != Type::Null);
            if let [only] = types.as_slice() {
                *t = SchemaType::Type(only.clone());
            }
        }
    };
    match prop {
        Schema::Object(o) => strip(&mut o.schema_type),
        Schema::Array(a) => {
            strip(&mut a.schema_type);
            a.min_items = Some(1);
        }
        _ => {}
    }
}

/// Declares `$name`, a request body schema made by `$schema` (usually
/// [`cut_schema`]) for a body the server reads as `$input`.
macro_rules! body_schema {
    ($name:ident, $input:ty, $schema:expr) => {
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $schema
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn schemas(
                out: &mut Vec<(
                    String,
                    utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
                )>,
            ) {
                <$input as utoipa::ToSchema>::schemas(out);
            }
        }
    };
}

pub(crate) use body_schema;

// A new customer: `name` required.
body_schema!(
    CustomerCreate,
    crate::views::contacts::CustomerInput,
    cut_schema::<crate::views::contacts::CustomerInput>(
        None,
        &["name"],
        "A new customer.",
        serde_json::json!({"name": "Acme Ltd", "email": "ap@acme.example", "currency": "USD", "payment_terms": 30,
            "billing_address": {"line1": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701", "country": "US"}}),
    )
);

// A new expense: its category and amount required.
body_schema!(
    ExpenseCreate,
    crate::views::expenses::ExpenseInput,
    cut_schema::<crate::views::expenses::ExpenseInput>(
        None,
        &["account_id", "amount"],
        "A new expense, submitted for approval.",
        serde_json::json!({"date": "2026-12-01", "account_id": "acc_01kbx2f8q3m4n5p6r7s8t9v0wy", "amount": "42.50",
            "description": "Taxi to the client", "reference": "receipt 8812"}),
    )
);

// A new user: `email` required.
body_schema!(
    UserCreate,
    crate::views::users::UserInput,
    cut_schema::<crate::views::users::UserInput>(
        Some(&["email", "name", "role", "password", "organization_ids"]),
        &["email"],
        "A new user.",
        serde_json::json!({"email": "priya@example.com", "name": "Priya Shah", "role": "accountant"}),
    )
);

// A new vendor: `name` required.
body_schema!(
    VendorCreate,
    crate::views::contacts::VendorInput,
    cut_schema::<crate::views::contacts::VendorInput>(
        None,
        &["name"],
        "A new vendor.",
        serde_json::json!({"name": "Paper Supply Co", "email": "billing@paper.example", "payment_terms": 30,
            "tax_id": "12-3456789", "track_1099": true}),
    )
);

// A new product: `name` required.
body_schema!(
    ProductCreate,
    crate::views::products::ProductInput,
    cut_schema::<crate::views::products::ProductInput>(
        None,
        &["name"],
        "A new product. `quantity_on_hand` is the opening stock of goods.",
        serde_json::json!({"name": "Bookkeeping hour", "type": "service", "price": "150.00"}),
    )
);

/// A string schema taking one of `values`: the OpenAPI enum of a field or
/// filter whose values the service lists, so the two cannot drift.
pub(crate) fn one_of<'a>(
    values: impl IntoIterator<Item = &'a str>,
) -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.into_iter().map(str::to_owned)))
        .build()
}

pub(crate) fn account_types() -> utoipa::openapi::schema::Object {
    one_of(ferrobooks_domain::AccountType::ALL.map(ferrobooks_domain::AccountType::as_str))
}

pub(crate) fn entry_statuses() -> utoipa::openapi::schema::Object {
    one_of(ferrobooks_service::journal::ENTRY_STATUSES)
}

pub(crate) fn bank_transaction_statuses() -> utoipa::openapi::schema::Object {
    one_of(ferrobooks_service::banking::transactions::STATUSES)
}

pub(crate) fn loan_statuses() -> utoipa::openapi::schema::Object {
    one_of(
        ferrobooks_domain::loan::LoanStatus::ALL
            .iter()
            .map(|s| s.as_str()),
    )
}

pub(crate) fn asset_statuses() -> utoipa::openapi::schema::Object {
    one_of(
        ferrobooks_domain::asset::AssetStatus::ALL
            .iter()
            .map(|s| s.as_str()),
    )
}

pub(crate) fn employee_statuses() -> utoipa::openapi::schema::Object {
    one_of(["active", "terminated"])
}

pub(crate) fn payroll_run_statuses() -> utoipa::openapi::schema::Object {
    one_of(
        ferrobooks_domain::payroll::RunStatus::ALL
            .iter()
            .map(|s| s.as_str()),
    )
}

pub(crate) fn subscription_statuses() -> utoipa::openapi::schema::Object {
    one_of(
        ferrobooks_domain::subscription::SubscriptionStatus::ALL
            .iter()
            .map(|s| s.as_str()),
    )
}

pub(crate) fn budget_statuses() -> utoipa::openapi::schema::Object {
    one_of(
        ferrobooks_domain::budget::BudgetStatus::ALL
            .iter()
            .map(|s| s.as_str()),
    )
}

pub(crate) fn budget_periods() -> utoipa::openapi::schema::Object {
    one_of(
        ferrobooks_domain::budget::Period::ALL
            .iter()
            .map(|s| s.as_str()),
    )
}

pub(crate) fn tax_kinds() -> utoipa::openapi::schema::Object {
    one_of(ferrobooks_service::taxes::TAX_KINDS)
}

/// Errors every authenticated route may answer.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "a description of responses, never built")]
pub enum CommonErrors {
    /// Validation failed, malformed JSON, a bad query or Idempotency-Key.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// Missing, invalid or revoked API key.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The key lacks the route's scope, or belongs to another organization.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Rate limit exceeded; see `Retry-After`.
    #[response(status = 429)]
    RateLimited(ErrorBody),
}

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sk_live_<64 hex>")
                    .description(Some(
                        "An API key. Keys bound to all of an account's organizations name one \
                         with the X-Organization-Id header.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ferrobooks API",
        description = include_str!("openapi_description.md"),
        version = env!("CARGO_PKG_VERSION"),
    ),
    modifiers(&Security),
    tags(
        (name = "organization", description = "The key's organization"),
        (name = "accounts", description = "The chart of accounts"),
        (name = "bank_accounts", description = "Bank, cash and credit-card accounts, and statement imports"),
        (name = "bank_transactions", description = "Statement lines: unreviewed, matched, categorized, excluded"),
        (name = "bank_rules", description = "What to do with imported statement lines"),
        (name = "deposits", description = "Payments received into undeposited funds, taken to the bank"),
        (name = "transfers", description = "Money moved between bank, cash and card accounts"),
        (name = "fixed_assets", description = "The fixed-asset register: depreciation, schedules, disposals"),
        (name = "employees", description = "The people payroll pays"),
        (name = "pay_items", description = "Earnings, deductions and employer contributions of payroll"),
        (name = "payroll_runs", description = "Payroll runs: drafts, approval, payment, payslips"),
        (name = "payroll_remittances", description = "Payroll liabilities paid over"),
        (name = "subscriptions", description = "Customers invoiced every period from a plan"),
        (name = "budgets", description = "Budgets per fiscal year, account and month"),
        (name = "loans", description = "Loans borrowed or lent: drawdown, EMI schedule, payments"),
        (name = "checks", description = "Money paid by check, in the checks' own number series"),
        (name = "bank_payments", description = "Money paid out of a bank account other than by check"),
        (name = "credit_card_charges", description = "Purchases on a credit card"),
        (name = "credit_card_credits", description = "Refunds to a credit card"),
        (name = "fx_revaluations", description = "Unrealized FX: foreign balances revalued at closing rates"),
        (name = "customers", description = "The people and companies the organization sells to"),
        (name = "vendors", description = "The people and companies the organization buys from"),
        (name = "bills", description = "Bills: what vendors bill, draft, approved, partially paid, paid, overdue, void"),
        (name = "products", description = "Goods and services the organization sells"),
        (name = "taxes", description = "The tax catalogue: GST, VAT, sales tax"),
        (name = "invoices", description = "Invoices: draft, approved, sent, paid, overdue, void"),
        (name = "estimates", description = "Estimates: offers that post nothing, converted to invoices"),
        (name = "credit_notes", description = "Credit notes: applied to invoices or refunded"),
        (name = "sales_receipts", description = "Sales paid on the spot"),
        (name = "refund_receipts", description = "Refunds paid on the spot"),
        (name = "payments", description = "Payments received from customers"),
        (name = "number_series", description = "Number templates per document type"),
        (name = "periods", description = "Closing the books up to a lock date"),
        (name = "tax_returns", description = "VAT return and US sales tax liability from the books; filing closes their period"),
        (name = "journal_entries", description = "Journal entries: draft, posted, void"),
        (name = "reports", description = "General ledger and trial balance"),
        (name = "keys", description = "API keys"),
        (name = "users", description = "The people of the account: roles and the organizations they work in"),
        (name = "oauth_apps", description = "OAuth 2.0 apps: Authorization Code + PKCE (S256) at /oauth/authorize and /oauth/token"),
        (name = "personal_access_tokens", description = "Personal access tokens (`aibk_pat_...`): a user's own credentials, acting within the user's role"),
        (name = "webhooks", description = "Signed event deliveries"),
        (name = "events", description = "The event feed: every event in sequence, for polling and catching up"),
        (name = "operations", description = "Health checks and the API reference"),
    )
)]
pub struct ApiDoc;

/// The document as served: the annotations of every registered route (so a
/// route is documented exactly when it is served), then the platform's
/// conventions every route shares ([`crate::platform_doc`]).
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::routes::api_v1().into_openapi());
    doc.merge(ferrobooks_edge::operator_routes().into_openapi());
    doc.merge(self::routes().into_openapi());
    crate::platform_doc::apply(&mut doc);
    if let Some(d) = doc.info.description.as_mut() {
        d.push_str(&ferrobooks_edge::codes_table());
    }
    doc
}

/// The document and the reference UI. The Swagger UI's own files are not
/// API routes and are left out of the document.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(openapi_json))
        .routes(routes!(docs))
        .route("/docs/swagger-ui-bundle.js", get(bundle))
        .route("/docs/swagger-ui.css", get(css))
}

/// The OpenAPI document, rendered once per process.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations", operation_id = "openapi",
    summary = "This OpenAPI document",
    responses((status = 200, description = "OpenAPI 3.1 JSON", content_type = "application/json")))]
pub(crate) async fn openapi_json() -> impl IntoResponse {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOC.get_or_init(|| document().to_pretty_json().unwrap_or_default())
            .clone(),
    )
}

/// The interactive reference.
#[utoipa::path(get, path = "/docs", tag = "operations",
    summary = "The interactive API reference (HTML)",
    responses((status = 200, description = "Swagger UI", content_type = "text/html")))]
pub(crate) async fn docs() -> Html<&'static str> {
    Html(
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ferrobooks API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#ui", deepLinking: true });
</script>
</body>
</html>"##,
    )
}

async fn bundle() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/javascript"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_bytes!("../assets/swagger-ui/swagger-ui-bundle.js").as_slice(),
    )
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_bytes!("../assets/swagger-ui/swagger-ui.css").as_slice(),
    )
}
