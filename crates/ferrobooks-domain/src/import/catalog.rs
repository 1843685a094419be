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

mod documents;
mod money;
mod records;

use crate::document::Side;
use documents::{DocIds, INVOICE, bank_transaction, block, document_fields};
use money::{deposit, payment, transfer};
use records::{account, contact, item, journal};

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
    /// The bank, cash or card account money went through (a receipt's
    /// deposit account, what a purchase or payment was paid from), by code
    /// or name.
    MoneyAccount,
    /// A bank transaction's type: SPEND or RECEIVE.
    TxnType,
    /// A payment's whole amount (default: the sum of its lines).
    Total,
    /// How a payment was made (cash, check, card...).
    PaymentMethod,
    /// The invoice or bill a payment's line settles, by its number.
    Applied,
    /// The account a transfer takes money from, by code or name.
    FromAccount,
    /// The account a transfer puts money into, by code or name.
    ToAccount,
    /// What arrives when a transfer crosses currencies.
    ToAmount,
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
    /// A journal line's debit.
    Debit,
    /// A journal line's credit.
    Credit,
    /// Whether a journal line's `Amount` is a debit or a credit.
    PostingType,
    /// The customer or vendor a journal line names, by name.
    LineContact,
    /// An account's code.
    AccountNumber,
    /// An account's type (asset, Bank, Other Current Asset...).
    AccountType,
    /// An account's subtype, when its type does not say it.
    AccountSubType,
    /// The account an account sits under, by name or code.
    Parent,
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

impl Field {
    /// The only values the field takes, when it has a list of them.
    pub fn predefined_values(&self) -> &'static [&'static str] {
        match (self.field_type, self.slot) {
            (FieldType::Boolean, _) => &["true", "false"],
            (_, Slot::TxnType) => &["SPEND", "RECEIVE"],
            (_, Slot::PostingType) => &["Debit", "Credit"],
            _ => &[],
        }
    }
}

/// What an entity becomes in the books.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Document(Kind),
    Customer,
    Vendor,
    /// A product or service.
    Item,
    /// A posted journal entry.
    JournalEntry,
    /// An account of the chart.
    Account,
    /// A payment received from a customer (sale) or made to a vendor
    /// (purchase), applied to invoices or bills by number.
    Payment(crate::document::Side),
    /// Money moved between two bank, cash or card accounts.
    Transfer,
    /// Money paid into a bank account against other accounts (posted as a
    /// journal entry with the bank's line).
    Deposit,
    /// Xero's spend or receive money: a bank payment or a sales receipt,
    /// as its type says.
    BankTransaction,
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
        doc("RefundReceipt", Kind::RefundReceipt, &block(1400)),
        // QuickBooks' Expense is a purchase paid out of a bank or cash
        // account at once (its employee-claim workflow is not a spreadsheet's).
        doc("Expense", Kind::BankPayment, &block(1500)),
        doc("Check", Kind::Check, &block(1600)),
        doc("CreditCardCharge", Kind::CardCharge, &block(1700)),
        payment("Payment", Side::Sale, 1900),
        payment("BillPayment", Side::Purchase, 2000),
        transfer(),
        deposit(),
        contact("Customer", Target::Customer, 700),
        contact("Vendor", Target::Vendor, 800),
        item(),
        journal("JournalEntry"),
        account(),
        // Xero's names for the same targets.
        doc("CreditNote", Kind::CreditNote, &block(500)),
        contact("Contact", Target::Customer, 700),
        journal("ManualJournal"),
        Entity {
            name: "BankTransaction",
            target: Target::BankTransaction,
            fields: bank_transaction(),
        },
    ]
});

pub(super) struct Spec {
    id: u32,
    title: &'static str,
    slot: Slot,
    field_type: FieldType,
    required: bool,
    max_size: Option<u32>,
    alternative_titles: &'static [&'static str],
    per_line: bool,
}

#[expect(clippy::too_many_arguments, reason = "one field's every property")]
pub(super) fn spec(
    id: u32,
    title: &'static str,
    slot: Slot,
    field_type: FieldType,
    required: bool,
    max_size: Option<u32>,
    alternative_titles: &'static [&'static str],
    per_line: bool,
) -> Spec {
    Spec {
        id,
        title,
        slot,
        field_type,
        required,
        max_size,
        alternative_titles,
        per_line,
    }
}

/// A field of an entity without lines (a contact, an item).
pub(super) fn on_header(
    id: u32,
    title: &'static str,
    slot: Slot,
    field_type: FieldType,
    required: bool,
    max_size: Option<u32>,
    alternative_titles: &'static [&'static str],
) -> Spec {
    spec(
        id,
        title,
        slot,
        field_type,
        required,
        max_size,
        alternative_titles,
        false,
    )
}

pub(super) fn fields(specs: Vec<Spec>) -> Vec<Field> {
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
