//! Document entities (Invoice, Bill, ...): one field list for every kind,
//! ids by block.

use super::{Field, FieldType, Slot, spec};
use crate::document::Kind;

/// The ids of a document entity's fields, slot by slot.
pub(super) struct DocIds {
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
    money_account: u32,
}

/// The importer reference's Invoice ids, and the rest in its range.
pub(super) const INVOICE: DocIds = DocIds {
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
    money_account: 242,
};

pub(super) const fn block(b: u32) -> DocIds {
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
        money_account: b + 18,
    }
}

pub(super) fn document_fields(kind: Kind, ids: &DocIds) -> Vec<Field> {
    super::fields(document_specs(kind, ids))
}

/// Xero's bank transactions: money spent (a bank payment) or received (a
/// sales receipt) through a bank account, as its `Type` says. Its
/// reference groups rows into one transaction; it is never a number.
pub(super) fn bank_transaction() -> Vec<Field> {
    let ids = block(1800);
    let mut specs = vec![spec(
        1819,
        "Type",
        Slot::TxnType,
        FieldType::String,
        true,
        Some(30),
        &["Transaction Type", "Spend or Receive"],
        false,
    )];
    for mut f in document_specs(Kind::BankPayment, &ids) {
        match f.slot {
            Slot::DocNumber => {
                f.title = "Reference";
                f.required = false;
                f.alternative_titles = &["Ref", "Transaction #", "Transaction Reference"];
            }
            Slot::Party => {
                f.title = "Contact.Name";
                f.required = true;
                f.alternative_titles = &["Contact", "ContactName", "Payee", "Payer", "Name"];
            }
            Slot::MoneyAccount => {
                f.title = "BankAccount.Name";
                f.required = true;
                f.alternative_titles = &["Bank Account", "BankAccount", "Bank Account Code"];
            }
            _ => {}
        }
        specs.push(f);
    }
    super::fields(specs)
}

fn document_specs(kind: Kind, ids: &DocIds) -> Vec<super::Spec> {
    use FieldType::{CustomerRef, Date, Decimal, String as Text};
    let purchase = kind.side() == crate::document::Side::Purchase;
    let (party, party_alts): (&'static str, &'static [&'static str]) = if kind.contact_optional() {
        (
            "EntityRef.name",
            &["Payee", "Vendor", "Supplier", "Paid To"],
        )
    } else if purchase {
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
        Kind::RefundReceipt => &["Refund Receipt #", "Refund #", "Refund No"],
        Kind::Check => &["Check #", "Check No", "Cheque #", "Cheque No"],
        Kind::BankPayment | Kind::CardCharge => &["Ref No", "Ref #", "Reference No", "Expense #"],
        _ => &["Receipt #", "Sales Receipt #", "Number"],
    };
    let mut v = vec![
        spec(
            ids.doc_number,
            "DocNumber",
            Slot::DocNumber,
            Text,
            // A purchase paid on the spot may take its series' next number
            // (each row without one is then a document of its own).
            !kind.contact_optional(),
            Some(21),
            number_alts,
            false,
        ),
        spec(
            ids.party,
            party,
            Slot::Party,
            CustomerRef,
            !kind.contact_optional(),
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
            // A line names an item or an account; sales documents other
            // than refunds name their item, as the reference's Invoice.
            !purchase && kind != Kind::RefundReceipt,
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
        Kind::SalesReceipt | Kind::RefundReceipt => v.push(spec(
            ids.money_account,
            "DepositToAccountRef.name",
            Slot::MoneyAccount,
            Text,
            false,
            Some(100),
            if kind == Kind::SalesReceipt {
                &["Deposit To", "Deposit Account", "Bank Account"]
            } else {
                &["Refund From", "Paid From", "Bank Account"]
            },
            false,
        )),
        Kind::BankPayment | Kind::Check | Kind::CardCharge => v.push(spec(
            ids.money_account,
            "AccountRef.name",
            Slot::MoneyAccount,
            Text,
            false,
            Some(100),
            if kind == Kind::CardCharge {
                &[
                    "Credit Card",
                    "Card Account",
                    "Credit Card Account",
                    "Paid From",
                ]
            } else {
                &["Payment Account", "Bank Account", "Paid From", "Bank"]
            },
            false,
        )),
        _ => {}
    }
    v
}
