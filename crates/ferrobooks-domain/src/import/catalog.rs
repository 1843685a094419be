//! What can be imported: entities under the names QuickBooks and Xero give
//! them, and each entity's fields.
//!
//! Field ids are stable across organizations and releases (a saved mapping
//! names them): never renumber a field, only add. The Invoice ids are the
//! importer reference's own (DocNumber 231, CustomerRef.name 176, TxnDate
//! 179, Line.ItemRef.name 232, Line.Amount 237, PrivateNote 234); every
//! other entity has a block of its own.
//!
//! An entity is a [`Target`] (what it becomes in the books) and a list of
//! [`Field`]s, each a [`Slot`] (what the value means to the importer)
//! with its id, title and the other names a spreadsheet may give it.

use std::sync::LazyLock;

use crate::document::Kind;

/// What a field's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Boolean,
    Date,
    Decimal,
    Integer,
    /// The name of a customer or vendor.
    CustomerRef,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "String",
            FieldType::Boolean => "Boolean",
            FieldType::Date => "Date",
            FieldType::Decimal => "Decimal",
            FieldType::Integer => "Integer",
            FieldType::CustomerRef => "CustomerRef",
        }
    }
}

/// What a field means to the importer: where its value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The document's number; rows sharing it are one document.
    DocNumber,
    /// The customer or vendor, by name.
    Party,
    TxnDate,
    DueDate,
    ExpiryDate,
    /// A line's product, by name.
    Item,
    /// A line's account, by code or name.
    LineAccount,
    Description,
    Qty,
    UnitPrice,
    /// A line's amount before tax (quantity x unit price).
    Amount,
    Discount,
    /// A line's tax, by name.
    Tax,
    /// The document's notes (printed).
    Memo,
    /// The document's reference (kept, not printed).
    PrivateNote,
    Currency,
    ExchangeRate,
    /// The invoice a credit note credits, or the bill a vendor credit does,
    /// by its number.
    Credited,
    /// A receipt's deposit account, by code or name.
    DepositAccount,
    /// A contact's name.
    Name,
    Email,
    Phone,
    TaxId,
    PaymentTerms,
    /// A contact's billing address, line 1.
    AddressLine1,
    AddressLine2,
    City,
    State,
    PostalCode,
    Country,
    /// An item's kind: service, or goods (inventory, non-inventory).
    ItemType,
    Sku,
    /// An item's income account, by code or name.
    IncomeAccount,
}

/// One field of an entity.
#[derive(Debug, Clone)]
pub struct Field {
    pub id: u32,
    pub title: &'static str,
    pub slot: Slot,
    pub field_type: FieldType,
    pub required: bool,
    /// Rows sharing this field's value are one entity.
    pub grouping: bool,
    pub max_size: Option<u32>,
    pub order: u32,
    pub alternative_titles: &'static [&'static str],
    /// On a line (varies from row to row of one entity) rather than on the
    /// header.
    pub per_line: bool,
}

/// What an entity becomes in the books.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Document(Kind),
    Customer,
    Vendor,
    /// A product or service.
    Item,
}

/// One importable entity.
#[derive(Debug, Clone)]
pub struct Entity {
    /// The name clients use (QuickBooks' or Xero's).
    pub name: &'static str,
    pub target: Target,
    pub fields: Vec<Field>,
}

impl Entity {
    pub fn field(&self, id: u32) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn field_of(&self, slot: Slot) -> Option<&Field> {
        self.fields.iter().find(|f| f.slot == slot)
    }

    /// The fields whose shared value makes rows one entity.
    pub fn grouping(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.grouping)
    }
}

/// Every entity, in the order they are listed.
pub fn entities() -> &'static [Entity] {
    &CATALOG
}

/// The entity called `name` (exactly as listed).
pub fn entity(name: &str) -> Option<&'static Entity> {
    CATALOG.iter().find(|e| e.name == name)
}

static CATALOG: LazyLock<Vec<Entity>> = LazyLock::new(|| {
    let doc = |name, kind, ids: &DocIds| Entity {
        name,
        target: Target::Document(kind),
        fields: document_fields(kind, ids),
    };
    vec![
        doc("Invoice", Kind::Invoice, &INVOICE),
        doc("Estimate", Kind::Estimate, &block(400)),
        doc("CreditMemo", Kind::CreditNote, &block(500)),
        doc("SalesReceipt", Kind::SalesReceipt, &block(600)),
        doc("Bill", Kind::Bill, &block(300)),
        doc("VendorCredit", Kind::VendorCredit, &block(1000)),
        doc("PurchaseOrder", Kind::PurchaseOrder, &block(900)),
        contact("Customer", Target::Customer, 700),
        contact("Vendor", Target::Vendor, 800),
        item(),
        // Xero's names for the same targets.
        doc("CreditNote", Kind::CreditNote, &block(500)),
        contact("Contact", Target::Customer, 700),
    ]
});

/// The ids of a document entity's fields, slot by slot.
struct DocIds {
    doc_number: u32,
    party: u32,
    txn_date: u32,
    due_date: u32,
    item: u32,
    description: u32,
    qty: u32,
    unit_price: u32,
    amount: u32,
    private_note: u32,
    memo: u32,
    tax: u32,
    currency: u32,
    exchange_rate: u32,
    line_account: u32,
    discount: u32,
    credited: u32,
    deposit_account: u32,
}

/// The importer reference's Invoice ids, and the rest in its range.
const INVOICE: DocIds = DocIds {
    doc_number: 231,
    party: 176,
    txn_date: 179,
    due_date: 180,
    item: 232,
    description: 233,
    qty: 235,
    unit_price: 236,
    amount: 237,
    private_note: 234,
    memo: 177,
    tax: 238,
    currency: 181,
    exchange_rate: 182,
    line_account: 239,
    discount: 240,
    credited: 241,
    deposit_account: 242,
};

const fn block(b: u32) -> DocIds {
    DocIds {
        doc_number: b + 1,
        party: b + 2,
        txn_date: b + 3,
        due_date: b + 4,
        item: b + 5,
        description: b + 6,
        qty: b + 7,
        unit_price: b + 8,
        amount: b + 9,
        private_note: b + 10,
        memo: b + 11,
        tax: b + 12,
        currency: b + 13,
        exchange_rate: b + 14,
        line_account: b + 15,
        discount: b + 16,
        credited: b + 17,
        deposit_account: b + 18,
    }
}

struct Spec {
    id: u32,
    title: &'static str,
    slot: Slot,
    field_type: FieldType,
    required: bool,
    max_size: Option<u32>,
    alternative_titles: &'static [&'static str],
    per_line: bool,
}

fn fields(specs: Vec<Spec>) -> Vec<Field> {
    specs
        .into_iter()
        .zip(1..)
        .map(|(s, order)| Field {
            id: s.id,
            title: s.title,
            slot: s.slot,
            field_type: s.field_type,
            required: s.required,
            grouping: s.slot == Slot::DocNumber,
            max_size: s.max_size,
            order,
            alternative_titles: s.alternative_titles,
            per_line: s.per_line,
        })
        .collect()
}

fn document_fields(kind: Kind, ids: &DocIds) -> Vec<Field> {
    use FieldType::{CustomerRef, Date, Decimal, String as Text};
    let purchase = kind.side() == crate::document::Side::Purchase;
    let (party, party_alts): (&'static str, &'static [&'static str]) = if purchase {
        (
            "VendorRef.name",
            &["Vendor", "Supplier", "Vendor Name", "Payee"],
        )
    } else {
        (
            "CustomerRef.name",
            &["Customer", "Client", "Customer Name", "Contact"],
        )
    };
    let number_alts: &'static [&'static str] = match kind {
        Kind::Invoice => &["Invoice #", "Inv No", "InvoiceNumber", "Invoice Number"],
        Kind::Bill => &["Bill #", "Bill No", "BillNumber", "Bill Number"],
        Kind::Estimate => &["Estimate #", "Quote #", "EstimateNumber", "Quote Number"],
        Kind::CreditNote => &["Credit Memo #", "Credit Note #", "CreditNoteNumber"],
        Kind::PurchaseOrder => &["PO #", "PO Number", "PurchaseOrderNumber"],
        Kind::VendorCredit => &["Vendor Credit #", "Credit #"],
        _ => &["Receipt #", "Sales Receipt #", "Number"],
    };
    let spec =
        |id, title, slot, field_type, required, max_size, alternative_titles, per_line| Spec {
            id,
            title,
            slot,
            field_type,
            required,
            max_size,
            alternative_titles,
            per_line,
        };
    let mut v = vec![
        spec(
            ids.doc_number,
            "DocNumber",
            Slot::DocNumber,
            Text,
            true,
            Some(21),
            number_alts,
            false,
        ),
        spec(
            ids.party,
            party,
            Slot::Party,
            CustomerRef,
            true,
            Some(100),
            party_alts,
            false,
        ),
        spec(
            ids.txn_date,
            "TxnDate",
            Slot::TxnDate,
            Date,
            false,
            None,
            &["Transaction Date", "Invoice Date", "Bill Date", "Txn Date"],
            false,
        ),
    ];
    match kind {
        Kind::Invoice | Kind::Bill => v.push(spec(
            ids.due_date,
            "DueDate",
            Slot::DueDate,
            Date,
            false,
            None,
            &["Due Date", "Due"],
            false,
        )),
        Kind::Estimate => v.push(spec(
            ids.due_date,
            "ExpirationDate",
            Slot::ExpiryDate,
            Date,
            false,
            None,
            &["Expiration Date", "Expiry Date", "Valid Until"],
            false,
        )),
        _ => {}
    }
    v.extend([
        spec(
            ids.item,
            "Line.ItemRef.name",
            Slot::Item,
            Text,
            !purchase,
            Some(100),
            &["Product/Service", "Product", "Service", "Item Name"],
            true,
        ),
        spec(
            ids.line_account,
            "Line.AccountRef.name",
            Slot::LineAccount,
            Text,
            false,
            Some(100),
            &["Account", "Category", "Expense Account", "Income Account"],
            true,
        ),
        spec(
            ids.description,
            "Line.Description",
            Slot::Description,
            Text,
            false,
            Some(4000),
            &["Description", "Line Description", "Item Description"],
            true,
        ),
        spec(
            ids.qty,
            "Line.Qty",
            Slot::Qty,
            Decimal,
            false,
            None,
            &["Qty", "Quantity"],
            true,
        ),
        spec(
            ids.unit_price,
            "Line.UnitPrice",
            Slot::UnitPrice,
            Decimal,
            false,
            None,
            &["Rate", "Unit Price", "Price"],
            true,
        ),
        spec(
            ids.amount,
            "Line.Amount",
            Slot::Amount,
            Decimal,
            true,
            None,
            &["Line Amount", "Line Total"],
            true,
        ),
        spec(
            ids.discount,
            "Line.Discount",
            Slot::Discount,
            Decimal,
            false,
            None,
            &["Discount"],
            true,
        ),
        spec(
            ids.tax,
            "Line.TaxCodeRef.name",
            Slot::Tax,
            Text,
            false,
            Some(100),
            &["Tax", "Tax Code", "Tax Rate", "Tax Name"],
            true,
        ),
        spec(
            ids.private_note,
            "PrivateNote",
            Slot::PrivateNote,
            Text,
            false,
            Some(200),
            &["Private Note", "Internal Note", "Reference"],
            false,
        ),
        spec(
            ids.memo,
            "CustomerMemo",
            Slot::Memo,
            Text,
            false,
            Some(4000),
            &["Customer Memo", "Message", "Notes", "Message on invoice"],
            false,
        ),
        spec(
            ids.currency,
            "CurrencyRef.value",
            Slot::Currency,
            Text,
            false,
            Some(3),
            &["Currency", "Currency Code"],
            false,
        ),
        spec(
            ids.exchange_rate,
            "ExchangeRate",
            Slot::ExchangeRate,
            Decimal,
            false,
            None,
            &["Exchange Rate", "FX Rate"],
            false,
        ),
    ]);
    match kind {
        Kind::CreditNote | Kind::VendorCredit => v.push(spec(
            ids.credited,
            "LinkedTxn.DocNumber",
            Slot::Credited,
            Text,
            false,
            Some(21),
            &[
                "Credited Invoice",
                "Original Invoice",
                "Original Bill",
                "Invoice Number Credited",
            ],
            false,
        )),
        Kind::SalesReceipt => v.push(spec(
            ids.deposit_account,
            "DepositToAccountRef.name",
            Slot::DepositAccount,
            Text,
            false,
            Some(100),
            &["Deposit To", "Deposit Account", "Bank Account"],
            false,
        )),
        _ => {}
    }
    fields(v)
}

fn contact(name: &'static str, target: Target, b: u32) -> Entity {
    use FieldType::{Integer, String as Text};
    let spec = |id, title, slot, field_type, required, max_size, alternative_titles| Spec {
        id,
        title,
        slot,
        field_type,
        required,
        max_size,
        alternative_titles,
        per_line: false,
    };
    let name_alts: &'static [&'static str] = if target == Target::Vendor {
        &["Vendor", "Vendor Name", "Supplier", "Name", "Company"]
    } else {
        &[
            "Customer",
            "Customer Name",
            "Client",
            "Name",
            "Company",
            "Contact Name",
        ]
    };
    Entity {
        name,
        target,
        fields: fields(vec![
            spec(
                b + 1,
                "DisplayName",
                Slot::Name,
                Text,
                true,
                Some(200),
                name_alts,
            ),
            spec(
                b + 2,
                "PrimaryEmailAddr.Address",
                Slot::Email,
                Text,
                false,
                Some(200),
                &["Email", "E-mail", "Email Address"],
            ),
            spec(
                b + 3,
                "PrimaryPhone.FreeFormNumber",
                Slot::Phone,
                Text,
                false,
                Some(50),
                &["Phone", "Telephone", "Phone Number"],
            ),
            spec(
                b + 4,
                "CurrencyRef.value",
                Slot::Currency,
                Text,
                false,
                Some(3),
                &["Currency", "Currency Code"],
            ),
            spec(
                b + 5,
                "TaxIdentifier",
                Slot::TaxId,
                Text,
                false,
                Some(20),
                &["Tax ID", "GSTIN", "VAT Number", "EIN", "TIN"],
            ),
            spec(
                b + 6,
                "SalesTermRef.days",
                Slot::PaymentTerms,
                Integer,
                false,
                None,
                &["Payment Terms", "Terms", "Net Days"],
            ),
            spec(
                b + 7,
                "BillAddr.Line1",
                Slot::AddressLine1,
                Text,
                false,
                Some(200),
                &["Address", "Address Line 1", "Street"],
            ),
            spec(
                b + 8,
                "BillAddr.Line2",
                Slot::AddressLine2,
                Text,
                false,
                Some(200),
                &["Address Line 2"],
            ),
            spec(
                b + 9,
                "BillAddr.City",
                Slot::City,
                Text,
                false,
                Some(100),
                &["City", "Town"],
            ),
            spec(
                b + 10,
                "BillAddr.CountrySubDivisionCode",
                Slot::State,
                Text,
                false,
                Some(100),
                &["State", "Region", "Province", "County"],
            ),
            spec(
                b + 11,
                "BillAddr.PostalCode",
                Slot::PostalCode,
                Text,
                false,
                Some(20),
                &["Postal Code", "ZIP", "Zip Code", "Postcode"],
            ),
            spec(
                b + 12,
                "BillAddr.Country",
                Slot::Country,
                Text,
                false,
                Some(2),
                &["Country", "Country Code"],
            ),
        ]),
    }
}

fn item() -> Entity {
    use FieldType::{Decimal, String as Text};
    let spec = |id, title, slot, field_type, required, max_size, alternative_titles| Spec {
        id,
        title,
        slot,
        field_type,
        required,
        max_size,
        alternative_titles,
        per_line: false,
    };
    Entity {
        name: "Item",
        target: Target::Item,
        fields: fields(vec![
            spec(
                1101,
                "Name",
                Slot::Name,
                Text,
                true,
                Some(100),
                &["Item", "Item Name", "Product", "Product/Service", "Service"],
            ),
            spec(
                1102,
                "Type",
                Slot::ItemType,
                Text,
                false,
                Some(20),
                &["Item Type", "Kind"],
            ),
            spec(
                1103,
                "UnitPrice",
                Slot::UnitPrice,
                Decimal,
                false,
                None,
                &["Price", "Sales Price", "Rate", "Unit Price"],
            ),
            spec(
                1104,
                "Description",
                Slot::Description,
                Text,
                false,
                Some(4000),
                &["Sales Description", "Item Description"],
            ),
            spec(
                1105,
                "Sku",
                Slot::Sku,
                Text,
                false,
                Some(100),
                &["SKU", "Item Code", "Code"],
            ),
            spec(
                1106,
                "IncomeAccountRef.name",
                Slot::IncomeAccount,
                Text,
                false,
                Some(100),
                &["Income Account", "Sales Account"],
            ),
            spec(
                1107,
                "SalesTaxCodeRef.name",
                Slot::Tax,
                Text,
                false,
                Some(100),
                &["Tax", "Tax Code", "Sales Tax"],
            ),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_reference_invoice_ids_hold() {
        let inv = entity("Invoice").unwrap();
        for (id, title) in [
            (231, "DocNumber"),
            (176, "CustomerRef.name"),
            (179, "TxnDate"),
            (232, "Line.ItemRef.name"),
            (237, "Line.Amount"),
            (234, "PrivateNote"),
        ] {
            assert_eq!(inv.field(id).unwrap().title, title);
        }
        let dn = inv.field(231).unwrap();
        assert!(dn.required && dn.grouping);
        assert_eq!(dn.max_size, Some(21));
    }

    #[test]
    fn ids_are_unique_within_an_entity_and_titles_too() {
        for e in entities() {
            let ids: HashSet<u32> = e.fields.iter().map(|f| f.id).collect();
            assert_eq!(ids.len(), e.fields.len(), "{}", e.name);
            let titles: HashSet<&str> = e.fields.iter().map(|f| f.title).collect();
            assert_eq!(titles.len(), e.fields.len(), "{}", e.name);
        }
    }

    #[test]
    fn an_id_means_one_thing_across_entities() {
        // Aliases (CreditNote, Contact) share their target's ids; no two
        // different targets share one.
        let mut seen: std::collections::HashMap<u32, (Target, Slot)> = Default::default();
        for e in entities() {
            for f in &e.fields {
                if let Some(prev) = seen.insert(f.id, (e.target, f.slot)) {
                    assert_eq!(prev, (e.target, f.slot), "field {} of {}", f.id, e.name);
                }
            }
        }
    }
}
