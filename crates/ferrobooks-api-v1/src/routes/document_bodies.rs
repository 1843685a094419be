//! The request bodies of each kind of document, as the OpenAPI document
//! shows them: one schema per kind and per create or update,
//! holding only the fields that kind takes (no `expiry_date` on an
//! invoice), with the required ones marked and a realistic example.
//!
//! Every sale is read into the native `DocumentInput` and every purchase
//! into `PurchaseInput`, both into the service's one `DocumentInput`,
//! which refuses a field the kind does not take with a 400 naming it;
//! these schemas are cut from those structs' own schemas, so a field
//! documented here is a field the server reads.

use crate::views::purchases::PurchaseInput;
use crate::views::sales::DocumentInput;
use ferrobooks_service::documents::DocKind;
use serde_json::{Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;

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

/// The fields every purchase takes.
const PURCHASE_COMMON: &[&str] = &[
    "vendor_id",
    "vendor_reference",
    "date",
    "currency",
    "exchange_rate",
    "source_of_supply",
    "reference",
    "notes",
    "branch",
    "round_total",
    "lines",
];

/// The fields of one kind beyond [`COMMON`] (or [`PURCHASE_COMMON`]);
/// `approve` only on create.
fn own_fields(kind: DocKind, create: bool) -> Vec<&'static str> {
    let mut f = match kind {
        DocKind::Invoice | DocKind::Bill => vec!["due_date"],
        DocKind::Estimate => vec!["expiry_date"],
        DocKind::CreditNote => vec!["invoice_id"],
        DocKind::VendorCredit => vec!["bill_id"],
        DocKind::SalesReceipt | DocKind::RefundReceipt => vec!["deposit_account_id"],
        DocKind::Check | DocKind::BankPayment => vec!["bank_account_id"],
        DocKind::CardCharge | DocKind::CardCredit => vec!["card_account_id"],
        // Expenses have their own body (`views::expenses::ExpenseInput`).
        DocKind::PurchaseOrder | DocKind::Expense => vec![],
    };
    if create
        && matches!(
            kind,
            DocKind::Invoice | DocKind::CreditNote | DocKind::Bill | DocKind::VendorCredit
        )
    {
        f.push("approve");
    }
    f
}

fn example(kind: DocKind, create: bool) -> Value {
    if kind.is_purchase() {
        return purchase_example(kind, create);
    }
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
        _ => {}
    }
    body
}

fn purchase_example(kind: DocKind, create: bool) -> Value {
    let line = json!({"description": "Printer paper, A4 box", "quantity": "10", "unit_price": "24.50",
        "account_id": "acc_01kbx2f8q3m4n5p6r7s8t9v0wy"});
    if !create {
        return json!({"notes": "Delivered to the warehouse", "lines": [line]});
    }
    let mut body = json!({
        "vendor_id": "ven_01kbx2f8q3m4n5p6r7s8t9v0wx",
        "date": "2026-12-01",
        "lines": [line],
    });
    match kind {
        DocKind::Bill => body["vendor_reference"] = json!("INV-7781"),
        DocKind::VendorCredit => {
            body["vendor_reference"] = json!("CR-118");
            body["bill_id"] = json!("bill_01kbx2g0a1b2c3d4e5f6g7h8j9");
        }
        DocKind::Check | DocKind::BankPayment => {
            body["bank_account_id"] = json!("acc_01kbx2f8q3m4n5p6r7s8t9v0wz");
        }
        DocKind::CardCharge | DocKind::CardCredit => {
            body["card_account_id"] = json!("acc_01kbx2f8q3m4n5p6r7s8t9v0wz");
        }
        _ => {}
    }
    body
}

/// `DocumentInput`'s schema cut down to one kind's fields.
fn schema(kind: DocKind, create: bool) -> RefOr<Schema> {
    let own = own_fields(kind, create);
    let common = if kind.is_purchase() {
        PURCHASE_COMMON
    } else {
        COMMON
    };
    let keep: Vec<&str> = common.iter().copied().chain(own).collect();
    let required: &[&str] = match (create, kind.is_purchase()) {
        (true, _) if kind.contact_optional() => &["lines"],
        (true, false) => &["customer_id", "lines"],
        (true, true) => &["vendor_id", "lines"],
        (false, _) => &[],
    };
    let what = if create {
        "A new"
    } else {
        "The fields to change of a draft"
    };
    let description = format!("{what} {}.", kind.noun());
    if kind.is_purchase() {
        return crate::openapi::cut_schema::<PurchaseInput>(
            Some(&keep),
            required,
            &description,
            example(kind, create),
        );
    }
    crate::openapi::cut_schema::<DocumentInput>(
        Some(&keep),
        required,
        &description,
        example(kind, create),
    )
}

crate::openapi::body_schema!(InvoiceCreate, DocumentInput, schema(DocKind::Invoice, true));
crate::openapi::body_schema!(
    InvoiceUpdate,
    DocumentInput,
    schema(DocKind::Invoice, false)
);
crate::openapi::body_schema!(
    EstimateCreate,
    DocumentInput,
    schema(DocKind::Estimate, true)
);
crate::openapi::body_schema!(
    EstimateUpdate,
    DocumentInput,
    schema(DocKind::Estimate, false)
);
crate::openapi::body_schema!(
    CreditNoteCreate,
    DocumentInput,
    schema(DocKind::CreditNote, true)
);
crate::openapi::body_schema!(
    CreditNoteUpdate,
    DocumentInput,
    schema(DocKind::CreditNote, false)
);
crate::openapi::body_schema!(
    SalesReceiptCreate,
    DocumentInput,
    schema(DocKind::SalesReceipt, true)
);
crate::openapi::body_schema!(
    RefundReceiptCreate,
    DocumentInput,
    schema(DocKind::RefundReceipt, true)
);
crate::openapi::body_schema!(CheckCreate, PurchaseInput, schema(DocKind::Check, true));
crate::openapi::body_schema!(
    BankPaymentCreate,
    PurchaseInput,
    schema(DocKind::BankPayment, true)
);
crate::openapi::body_schema!(
    CardChargeCreate,
    PurchaseInput,
    schema(DocKind::CardCharge, true)
);
crate::openapi::body_schema!(
    CardCreditCreate,
    PurchaseInput,
    schema(DocKind::CardCredit, true)
);
crate::openapi::body_schema!(BillCreate, PurchaseInput, schema(DocKind::Bill, true));
crate::openapi::body_schema!(BillUpdate, PurchaseInput, schema(DocKind::Bill, false));
crate::openapi::body_schema!(
    VendorCreditCreate,
    PurchaseInput,
    schema(DocKind::VendorCredit, true)
);
crate::openapi::body_schema!(
    VendorCreditUpdate,
    PurchaseInput,
    schema(DocKind::VendorCredit, false)
);
crate::openapi::body_schema!(
    PurchaseOrderCreate,
    PurchaseInput,
    schema(DocKind::PurchaseOrder, true)
);
crate::openapi::body_schema!(
    PurchaseOrderUpdate,
    PurchaseInput,
    schema(DocKind::PurchaseOrder, false)
);
