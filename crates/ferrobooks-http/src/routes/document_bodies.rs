//! The request bodies of each kind of sales document, as the OpenAPI
//! document shows them: one schema per kind and per create or update,
//! holding only the fields that kind takes (no `expiry_date` on an
//! invoice), with the required ones marked and a realistic example.
//!
//! Every kind is read into the service's one `DocumentInput`, which
//! refuses a field the kind does not take with a 400 naming it; these
//! schemas are cut from that struct's own schema, so a field documented
//! here is a field the server reads.

use std::borrow::Cow;

use ferrobooks_service::sales::{DocKind, DocumentInput};
use serde_json::{Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

/// The fields every kind takes.
const COMMON: &[&str] = &[
    "customer_id",
    "date",
    "currency",
    "exchange_rate",
    "place_of_supply",
    "reference",
    "notes",
    "branch",
    "round_total",
    "lines",
];

/// The fields of one kind beyond [`COMMON`]; `approve` only on create.
fn own_fields(kind: DocKind, create: bool) -> Vec<&'static str> {
    let mut f = match kind {
        DocKind::Invoice => vec!["due_date"],
        DocKind::Estimate => vec!["expiry_date"],
        DocKind::CreditNote => vec!["invoice_id"],
        DocKind::SalesReceipt | DocKind::RefundReceipt => vec!["deposit_account_id"],
    };
    if create && matches!(kind, DocKind::Invoice | DocKind::CreditNote) {
        f.push("approve");
    }
    f
}

fn example(kind: DocKind, create: bool) -> Value {
    let line =
        json!({"description": "Bookkeeping, November", "quantity": "3", "unit_price": "150.00"});
    if !create {
        return json!({"notes": "Thank you for your business", "lines": [line]});
    }
    let mut body = json!({
        "customer_id": "cus_01kbx2f8q3m4n5p6r7s8t9v0wx",
        "date": "2026-12-01",
        "reference": "PO-4471",
        "lines": [line],
    });
    match kind {
        DocKind::Invoice => body["due_date"] = json!("2026-12-31"),
        DocKind::Estimate => body["expiry_date"] = json!("2026-12-15"),
        DocKind::CreditNote => body["invoice_id"] = json!("inv_01kbx2g0a1b2c3d4e5f6g7h8j9"),
        DocKind::SalesReceipt | DocKind::RefundReceipt => {}
    }
    body
}

/// `DocumentInput`'s schema cut down to one kind's fields.
fn schema(kind: DocKind, create: bool) -> RefOr<Schema> {
    let mut full = <DocumentInput as PartialSchema>::schema();
    if let RefOr::T(Schema::Object(obj)) = &mut full {
        let own = own_fields(kind, create);
        obj.properties
            .retain(|name, _| COMMON.contains(&name.as_str()) || own.contains(&name.as_str()));
        obj.required = if create {
            vec!["customer_id".into(), "lines".into()]
        } else {
            Vec::new()
        };
        for name in obj.required.clone() {
            if let Some(RefOr::T(prop)) = obj.properties.get_mut(&name) {
                not_null(prop);
            }
        }
        obj.description = Some(format!(
            "{} {}.",
            if create {
                "A new"
            } else {
                "The fields to change of a draft"
            },
            kind.noun()
        ));
        obj.examples = vec![example(kind, create)];
    }
    full
}

/// A required field must be given, so `null` is no value for it: the
/// schema says so (`DocumentInput` reads every field as optional, since an
/// update may leave any out). Lines are one at least.
fn not_null(prop: &mut Schema) {
    use utoipa::openapi::schema::{SchemaType, Type};
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

/// Declares the marker type of one body schema.
macro_rules! body_schema {
    ($name:ident, $kind:expr, $create:expr) => {
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                schema($kind, $create)
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn schemas(out: &mut Vec<(String, RefOr<Schema>)>) {
                <DocumentInput as ToSchema>::schemas(out);
            }
        }
    };
}

body_schema!(InvoiceCreate, DocKind::Invoice, true);
body_schema!(InvoiceUpdate, DocKind::Invoice, false);
body_schema!(EstimateCreate, DocKind::Estimate, true);
body_schema!(EstimateUpdate, DocKind::Estimate, false);
body_schema!(CreditNoteCreate, DocKind::CreditNote, true);
body_schema!(CreditNoteUpdate, DocKind::CreditNote, false);
body_schema!(SalesReceiptCreate, DocKind::SalesReceipt, true);
body_schema!(RefundReceiptCreate, DocKind::RefundReceipt, true);
