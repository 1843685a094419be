//! The shape shared by all sales documents: kinds, inputs, views, and the
//! line math (quantity x unit price - discount, tax per line per
//! component, optional round-off of the grand total).

use ferrobooks_domain::document::{Kind, Side};
use ferrobooks_domain::{Currency, Minor};
use ferrobooks_store::contacts::Party;
use ferrobooks_store::documents::{DocLineRow, DocRow};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText, Number};
use crate::{AuthContext, ServiceError, ServiceResult};

/// The kinds of document the service keeps: the five sales documents and
/// bills. They share one table and one line shape; they differ in what
/// they post and how they move (the document engine's [`Kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Invoice,
    Estimate,
    CreditNote,
    SalesReceipt,
    RefundReceipt,
    Bill,
    VendorCredit,
    PurchaseOrder,
    Expense,
    Check,
    CardCharge,
    CardCredit,
    BankPayment,
}

impl DocKind {
    /// Every kind.
    pub(crate) const ALL: [DocKind; 13] = [
        DocKind::Invoice,
        DocKind::Estimate,
        DocKind::CreditNote,
        DocKind::SalesReceipt,
        DocKind::RefundReceipt,
        DocKind::Bill,
        DocKind::VendorCredit,
        DocKind::PurchaseOrder,
        DocKind::Expense,
        DocKind::Check,
        DocKind::CardCharge,
        DocKind::CardCredit,
        DocKind::BankPayment,
    ];

    /// The kind a stored `doc_type` names (an unknown one reads as an
    /// invoice: the table holds no other types).
    pub(crate) fn of(doc_type: &str) -> DocKind {
        DocKind::parse(doc_type).unwrap_or(DocKind::Invoice)
    }

    /// The kind a `doc_type` names, if any.
    pub(crate) fn parse(doc_type: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.doc_type() == doc_type)
    }

    /// The kind in the document engine.
    pub fn kind(self) -> Kind {
        match self {
            DocKind::Invoice => Kind::Invoice,
            DocKind::Estimate => Kind::Estimate,
            DocKind::CreditNote => Kind::CreditNote,
            DocKind::SalesReceipt => Kind::SalesReceipt,
            DocKind::RefundReceipt => Kind::RefundReceipt,
            DocKind::Bill => Kind::Bill,
            DocKind::VendorCredit => Kind::VendorCredit,
            DocKind::PurchaseOrder => Kind::PurchaseOrder,
            DocKind::Expense => Kind::Expense,
            DocKind::Check => Kind::Check,
            DocKind::CardCharge => Kind::CardCharge,
            DocKind::CardCredit => Kind::CardCredit,
            DocKind::BankPayment => Kind::BankPayment,
        }
    }

    /// The service's kind of an engine kind (its inverse of [`Self::kind`]).
    pub fn from_kind(k: Kind) -> DocKind {
        match k {
            Kind::Invoice => DocKind::Invoice,
            Kind::Estimate => DocKind::Estimate,
            Kind::CreditNote => DocKind::CreditNote,
            Kind::SalesReceipt => DocKind::SalesReceipt,
            Kind::RefundReceipt => DocKind::RefundReceipt,
            Kind::Bill => DocKind::Bill,
            Kind::VendorCredit => DocKind::VendorCredit,
            Kind::PurchaseOrder => DocKind::PurchaseOrder,
            Kind::Expense => DocKind::Expense,
            Kind::Check => DocKind::Check,
            Kind::CardCharge => DocKind::CardCharge,
            Kind::CardCredit => DocKind::CardCredit,
            Kind::BankPayment => DocKind::BankPayment,
        }
    }

    /// Whom the document is with: a customer, or for a purchase a vendor.
    pub fn party(self) -> Party {
        match self.kind().side() {
            Side::Sale => Party::Customer,
            Side::Purchase => Party::Vendor,
        }
    }

    /// The field that names the contact, in inputs, views and errors.
    pub fn contact_field(self) -> &'static str {
        match self.party() {
            Party::Customer => "customer_id",
            Party::Vendor => "vendor_id",
        }
    }

    pub fn is_purchase(self) -> bool {
        self.side() == Side::Purchase
    }

    pub fn side(self) -> Side {
        self.kind().side()
    }

    /// The document a side's payments and credits settle: an invoice or
    /// a bill.
    pub(crate) fn settled_on(side: Side) -> DocKind {
        match side.settled_kind() {
            Kind::Bill => DocKind::Bill,
            _ => DocKind::Invoice,
        }
    }

    /// The field that names a document of this kind in applications and
    /// errors: `invoice_id`, `bill_id`.
    pub fn id_field(self) -> String {
        format!("{}_id", self.doc_type())
    }

    /// Whether approving the document takes tracked stock out (a sale, a
    /// return to a vendor) rather than bringing it in (a purchase, a
    /// customer's return); a void moves it back.
    pub(crate) fn takes_stock_out(self) -> bool {
        self.is_purchase() == self.is_return()
    }

    /// Every status a document of this kind can be in.
    pub fn statuses(self) -> Vec<&'static str> {
        self.kind().statuses().iter().map(|s| s.as_str()).collect()
    }

    pub fn doc_type(self) -> &'static str {
        match self {
            DocKind::Invoice => "invoice",
            DocKind::Estimate => "estimate",
            DocKind::CreditNote => "credit_note",
            DocKind::SalesReceipt => "sales_receipt",
            DocKind::RefundReceipt => "refund_receipt",
            DocKind::Bill => "bill",
            DocKind::VendorCredit => "vendor_credit",
            DocKind::PurchaseOrder => "purchase_order",
            DocKind::Expense => "expense",
            DocKind::Check => "check",
            DocKind::CardCharge => "credit_card_charge",
            DocKind::CardCredit => "credit_card_credit",
            DocKind::BankPayment => "bank_payment",
        }
    }

    pub(crate) fn id_prefix(self) -> &'static str {
        match self {
            DocKind::Invoice => "inv",
            DocKind::Estimate => "est",
            DocKind::CreditNote => "cn",
            DocKind::SalesReceipt => "sr",
            DocKind::RefundReceipt => "rr",
            DocKind::Bill => "bill",
            DocKind::VendorCredit => "vc",
            DocKind::PurchaseOrder => "po",
            DocKind::Expense => "exp",
            DocKind::Check => "chk",
            DocKind::CardCharge => "ccc",
            DocKind::CardCredit => "ccr",
            DocKind::BankPayment => "bpm",
        }
    }

    /// The name in messages (and of a 404).
    pub fn noun(self) -> &'static str {
        self.kind().noun()
    }

    /// Credit notes and refund receipts post the mirror of a sale.
    pub(crate) fn is_return(self) -> bool {
        self.kind().is_return()
    }

    /// Receipts, checks and card documents are paid on the spot: they post
    /// to a bank or card account, not AR or AP.
    pub(crate) fn is_receipt(self) -> bool {
        self.kind().is_paid_on_the_spot()
    }

    /// The field that names the bank or card account a document paid on
    /// the spot goes through.
    pub fn money_field(self) -> &'static str {
        match self {
            DocKind::Check | DocKind::BankPayment => "bank_account_id",
            DocKind::CardCharge | DocKind::CardCredit => "card_account_id",
            _ => "deposit_account_id",
        }
    }

    /// Expenses, checks and card documents need not name a vendor.
    pub fn contact_optional(self) -> bool {
        self.kind().contact_optional()
    }

    /// `invoice.created` and the like.
    pub(crate) fn event(self, action: &str) -> &'static str {
        let name = format!("{}.{action}", self.doc_type());
        crate::webhooks::events::EVENTS
            .iter()
            .find(|e| **e == name)
            .copied()
            .unwrap_or("test")
    }
}

/// One tax component charged on a line, and the account it posts to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LineTax {
    pub name: String,
    pub rate: String,
    pub account_id: String,
    pub amount: Minor,
    /// Purchases: `claimed`, `cost`, `reverse_charge` or
    /// `reverse_charge_cost` (sales charge output tax: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment: Option<String>,
    /// Purchases under reverse charge: the liability the buyer owes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payable_account_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocTaxView {
    /// `cgst`, `sgst`, `igst`, `cess`, `vat` or a sales-tax agency.
    pub name: String,
    pub rate: Number,
    pub account_id: String,
    pub amount: Amount,
    /// Purchases: how the tax posts (`claimed` as input tax, `cost`,
    /// `reverse_charge`, `reverse_charge_cost`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub treatment: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocLineView {
    pub product_id: Option<String>,
    pub description: Option<String>,
    pub quantity: Number,
    pub unit_price: Amount,
    pub discount: Amount,
    /// quantity x unit price - discount, rounded to the currency.
    pub amount: Amount,
    pub account_id: String,
    pub tax_id: Option<String>,
    pub taxes: Vec<DocTaxView>,
    pub tax_amount: Amount,
    /// Purchases: the buyer owes the tax (reverse charge).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reverse_charge: Option<bool>,
    /// Indian purchases: the input tax credit eligibility.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub itc_eligibility: Option<String>,
    /// Purchase orders: how much of the quantity bills have taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billed_quantity: Option<Number>,
}

/// A document, as a use case answers it (each surface shapes it).
/// Amounts are in the document's `currency`; `base_total` is in the
/// organization's. Its JSON (webhook `data`) names the contact as the
/// side does: `customer_id` for a sale; `vendor_id`, `vendor_reference`
/// and `source_of_supply` (the vendor's state) for a purchase.
#[derive(Debug, Clone)]
pub struct DocumentView {
    pub kind: DocKind,
    pub id: String,
    /// invoice, estimate, credit_note, sales_receipt or refund_receipt.
    pub doc_type: String,
    /// Given on approval (receipts: on creation); drafts have none.
    pub number: Option<String>,
    /// Invoices: draft, approved, sent, partially_paid, paid, overdue,
    /// void. Estimates: draft, sent, accepted, declined, expired. Credit
    /// notes: draft, open, closed, void. Receipts: completed, void.
    pub status: String,
    /// The customer or vendor.
    pub contact_id: String,
    pub date: String,
    /// Invoices: when payment is due. Estimates: when the offer expires.
    pub due_date: Option<String>,
    pub branch: Option<String>,
    pub currency: String,
    /// Base-currency units per unit of `currency`.
    pub exchange_rate: Number,
    pub place_of_supply: Option<String>,
    pub reference: Option<String>,
    pub notes: Option<String>,
    pub round_total: bool,
    pub lines: Vec<DocLineView>,
    /// Sum of quantity x unit price, before discounts.
    pub subtotal: Amount,
    pub discount_total: Amount,
    pub tax_total: Amount,
    /// Round-off of the grand total (to whole units) when `round_total`.
    pub rounding: Amount,
    pub total: Amount,
    /// Invoices: paid by payments. Credit notes: refunded in cash.
    pub amount_paid: Amount,
    /// Invoices: settled by credit notes. Credit notes: applied to invoices.
    pub amount_credited: Amount,
    /// Invoices: still owed. Credit notes: credit still available.
    pub balance: Amount,
    pub base_total: Amount,
    /// Receipts: the bank or undeposited-funds account deposited to.
    /// Expenses, checks and card documents: the bank or card account paid
    /// from (for a card credit, refunded to).
    pub deposit_account_id: Option<String>,
    pub journal_entry_id: Option<String>,
    /// Invoice: the estimate it came from. Credit note: the invoice it
    /// credits.
    pub source_id: Option<String>,
    /// Estimate: the invoice it became.
    pub converted_to_id: Option<String>,
    pub sent_at: Option<String>,
    pub approved_at: Option<String>,
    pub voided_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Bills: the vendor's own number.
    pub vendor_reference: Option<String>,
    /// Expenses: the employee who paid and is reimbursed when the expense
    /// is paid.
    pub employee_id: Option<String>,
}

impl Serialize for DocumentView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let purchase = self.kind.is_purchase();
        let mut m = s.serialize_struct("DocumentView", 40)?;
        m.serialize_field("id", &self.id)?;
        m.serialize_field("doc_type", &self.doc_type)?;
        m.serialize_field("number", &self.number)?;
        if purchase {
            m.serialize_field("vendor_reference", &self.vendor_reference)?;
        }
        m.serialize_field("status", &self.status)?;
        // An expense need not name its vendor: then the field is null.
        let contact = Some(&self.contact_id).filter(|c| !c.is_empty());
        if purchase {
            m.serialize_field(self.kind.contact_field(), &contact)?;
        } else {
            m.serialize_field(self.kind.contact_field(), &self.contact_id)?;
        }
        if self.kind == DocKind::Expense {
            m.serialize_field("employee_id", &self.employee_id)?;
        }
        m.serialize_field("date", &self.date)?;
        m.serialize_field("due_date", &self.due_date)?;
        m.serialize_field("branch", &self.branch)?;
        m.serialize_field("currency", &self.currency)?;
        m.serialize_field("exchange_rate", &self.exchange_rate)?;
        let supply = if purchase {
            "source_of_supply"
        } else {
            "place_of_supply"
        };
        m.serialize_field(supply, &self.place_of_supply)?;
        m.serialize_field("reference", &self.reference)?;
        m.serialize_field("notes", &self.notes)?;
        m.serialize_field("round_total", &self.round_total)?;
        m.serialize_field("lines", &self.lines)?;
        m.serialize_field("subtotal", &self.subtotal)?;
        m.serialize_field("discount_total", &self.discount_total)?;
        m.serialize_field("tax_total", &self.tax_total)?;
        m.serialize_field("rounding", &self.rounding)?;
        m.serialize_field("total", &self.total)?;
        m.serialize_field("amount_paid", &self.amount_paid)?;
        m.serialize_field("amount_credited", &self.amount_credited)?;
        m.serialize_field("balance", &self.balance)?;
        m.serialize_field("base_total", &self.base_total)?;
        m.serialize_field("deposit_account_id", &self.deposit_account_id)?;
        m.serialize_field("journal_entry_id", &self.journal_entry_id)?;
        m.serialize_field("source_id", &self.source_id)?;
        m.serialize_field("converted_to_id", &self.converted_to_id)?;
        m.serialize_field("sent_at", &self.sent_at)?;
        m.serialize_field("approved_at", &self.approved_at)?;
        m.serialize_field("voided_at", &self.voided_at)?;
        m.serialize_field("created_at", &self.created_at)?;
        m.serialize_field("updated_at", &self.updated_at)?;
        m.end()
    }
}

/// A new document, or for an update of a draft the fields to change
/// (absent fields stay; `lines`, when given, replace all lines).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    /// The customer, or for a bill the vendor.
    pub contact_id: Option<String>,
    /// Bills: the vendor's own number, unique per vendor.
    #[serde(default)]
    pub vendor_reference: Option<String>,
    /// Expenses: the employee who paid and is to be reimbursed (`""`
    /// clears it).
    #[serde(default)]
    pub employee_id: Option<String>,
    /// Default: today.
    pub date: Option<String>,
    /// Invoices. Default: date + the customer's payment terms.
    pub due_date: Option<String>,
    /// Estimates: the last day the offer stands.
    pub expiry_date: Option<String>,
    /// Default: the customer's currency.
    pub currency: Option<String>,
    /// Required when the currency is not the organization's.
    pub exchange_rate: Option<DecimalText>,
    /// GST state code; default: the customer's, else the organization's.
    pub place_of_supply: Option<String>,
    pub reference: Option<String>,
    pub notes: Option<String>,
    /// Branch code for `{BR}` in the number template and its own series.
    pub branch: Option<String>,
    /// Round the grand total to whole units (the difference posts to
    /// round-off).
    pub round_total: Option<bool>,
    /// Receipts: the bank or undeposited-funds account. Default: the
    /// organization's undeposited funds, else its current bank account.
    /// Checks and card documents: the bank or card account paid from.
    pub deposit_account_id: Option<String>,
    /// The fields of the request that named an account for
    /// `deposit_account_id` (`deposit_account_id`, `bank_account_id`,
    /// `card_account_id`): a kind takes only its own
    /// (`DocKind::money_field`), once.
    #[serde(skip)]
    pub money_fields: Vec<&'static str>,
    /// Credit notes: the invoice credited (same customer). Vendor
    /// credits: the bill credited (same vendor).
    pub credited_id: Option<String>,
    pub lines: Option<Vec<DocLineInput>>,
    /// Invoices and credit notes, on create: approve at once (numbered and
    /// posted in the same request), as `POST /{id}/approve` would.
    pub approve: Option<bool>,
    /// The number the document keeps instead of the next of its series
    /// (an import carrying the spreadsheet's numbers; never read from a
    /// request). The caller checks it is free.
    #[serde(skip)]
    pub number: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocLineInput {
    pub product_id: Option<String>,
    /// Default: the product's name.
    pub description: Option<String>,
    /// Greater than zero, at most 4 decimals. Default 1.
    pub quantity: Option<DecimalText>,
    /// In the document currency. Default: the product's price (documents
    /// in the base currency only).
    pub unit_price: Option<DecimalText>,
    /// An amount off this line, before tax.
    pub discount: Option<DecimalText>,
    /// An income account. Default: the product's, else Sales.
    pub account_id: Option<String>,
    /// Default: the product's tax (none without a product). `""` sells
    /// the line untaxed even when the product has a tax.
    pub tax_id: Option<String>,
    /// Purchases in India and the UK: the buyer owes the tax.
    #[serde(default)]
    pub reverse_charge: Option<bool>,
    /// Indian purchases: `eligible` (default), `ineligible_17_5`,
    /// `pos_restricted` or `temporary_reversal`.
    #[serde(default)]
    pub itc_eligibility: Option<String>,
    /// The unit price includes the line's tax (quantity one, no
    /// discount): the tax is taken out of it and the net is what is left,
    /// as a categorized bank line needs (never read from a request).
    #[serde(skip)]
    pub tax_inclusive: bool,
}

pub(crate) fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

/// An exchange rate: base units per document unit, greater than zero,
/// at most 10 decimals.
pub(crate) fn parse_rate(r: &DecimalText) -> ServiceResult<Decimal> {
    let v = ferrobooks_domain::money::parse_decimal(&r.0, "exchange_rate")?;
    if v <= Decimal::ZERO || v.normalize().scale() > 10 {
        return Err(ServiceError::invalid(
            "exchange_rate",
            "must be greater than zero, with at most 10 decimals",
        ));
    }
    Ok(v.normalize())
}

/// A currency and its rate to the organization's: the rate given, else
/// `kept` (an edit that keeps the currency keeps its rate), else 1 for the
/// base currency; another currency needs a rate, and the base currency's
/// rate is 1. `what` names the document in messages.
pub(crate) fn currency_and_rate(
    ctx: &AuthContext,
    code: &str,
    given: Option<&DecimalText>,
    kept: Option<Decimal>,
    what: &str,
) -> ServiceResult<(Currency, Decimal)> {
    let base = ctx.currency()?;
    let cur = Currency::parse(code)
        .map_err(|_| ServiceError::invalid("currency", format!("'{code}' is not a currency")))?;
    let rate = match (given, kept) {
        (Some(r), _) => parse_rate(r)?,
        (None, Some(k)) => k,
        (None, None) if cur == base => Decimal::ONE,
        (None, None) => {
            return Err(ServiceError::invalid(
                "exchange_rate",
                format!(
                    "is required: the {what} is in {} and the organization's currency is {}",
                    cur.code(),
                    base.code()
                ),
            ));
        }
    };
    if cur == base && rate != Decimal::ONE {
        return Err(ServiceError::invalid(
            "exchange_rate",
            format!("a {what} in the base currency {} has rate 1", base.code()),
        ));
    }
    Ok((cur, rate))
}

pub(crate) fn doc_currency(row: &DocRow) -> ServiceResult<Currency> {
    Currency::parse(&row.currency)
        .map_err(|_| ServiceError::internal(format!("document {} currency is corrupt", row.id)))
}

pub(crate) fn view(row: &DocRow, lines: &[DocLineRow], base: Currency) -> DocumentView {
    let kind = DocKind::of(&row.doc_type);
    let purchase = kind.is_purchase();
    let cur = Currency::parse(&row.currency).unwrap_or(base);
    DocumentView {
        kind,
        id: row.id.clone(),
        doc_type: row.doc_type.clone(),
        number: row.number.clone(),
        status: row.status.clone(),
        contact_id: row.contact_id.clone(),
        date: row.date.clone(),
        due_date: row.due_date.clone(),
        branch: Some(row.branch.clone()).filter(|b| !b.is_empty()),
        currency: row.currency.clone(),
        exchange_rate: Number::new(dec(&row.exchange_rate)),
        place_of_supply: row.place_of_supply.clone(),
        reference: row.reference.clone(),
        notes: row.notes.clone(),
        round_total: row.round_total == 1,
        lines: lines
            .iter()
            .map(|l| {
                let taxes: Vec<LineTax> = serde_json::from_str(&l.taxes).unwrap_or_default();
                DocLineView {
                    product_id: l.product_id.clone(),
                    description: l.description.clone(),
                    quantity: Number::new(dec(&l.quantity)),
                    unit_price: Amount::new(l.unit_price, cur),
                    discount: Amount::new(l.discount, cur),
                    amount: Amount::new(l.net, cur),
                    account_id: l.account_id.clone(),
                    tax_id: l.tax_id.clone(),
                    taxes: taxes
                        .into_iter()
                        .map(|t| DocTaxView {
                            rate: Number::new(dec(&t.rate)),
                            amount: Amount::new(t.amount, cur),
                            name: t.name,
                            account_id: t.account_id,
                            treatment: t.treatment,
                        })
                        .collect(),
                    tax_amount: Amount::new(l.tax_amount, cur),
                    reverse_charge: purchase.then_some(l.reverse_charge == 1),
                    itc_eligibility: l.itc_eligibility.clone(),
                    billed_quantity: (kind == DocKind::PurchaseOrder).then(|| {
                        Number::new(l.billed_quantity.as_deref().map(dec).unwrap_or_default())
                    }),
                }
            })
            .collect(),
        subtotal: Amount::new(row.subtotal, cur),
        discount_total: Amount::new(row.discount_total, cur),
        tax_total: Amount::new(row.tax_total, cur),
        rounding: Amount::new(row.rounding, cur),
        total: Amount::new(row.total, cur),
        amount_paid: Amount::new(row.paid, cur),
        amount_credited: Amount::new(row.credited, cur),
        balance: Amount::new(row.balance(), cur),
        base_total: Amount::new(row.base_total, base),
        deposit_account_id: row.deposit_account_id.clone(),
        journal_entry_id: row.journal_entry_id.clone(),
        source_id: row.source_id.clone(),
        converted_to_id: row.converted_to_id.clone(),
        sent_at: row.sent_at.clone(),
        approved_at: row.approved_at.clone(),
        voided_at: row.voided_at.clone(),
        created_at: row.created_at.clone(),
        updated_at: row.updated_at.clone(),
        vendor_reference: row.vendor_reference.clone(),
        employee_id: row.employee_id.clone(),
    }
}

/// Rebuilds the inputs of stored lines, so an update that does not touch
/// the lines recomputes them unchanged.
pub(crate) fn inputs_of(lines: &[DocLineRow], cur: Currency) -> Vec<DocLineInput> {
    lines
        .iter()
        .map(|l| DocLineInput {
            product_id: l.product_id.clone(),
            description: l.description.clone(),
            quantity: Some(DecimalText(l.quantity.clone())),
            unit_price: Some(DecimalText(cur.format(l.unit_price))),
            discount: Some(DecimalText(cur.format(l.discount))),
            account_id: Some(l.account_id.clone()),
            // A product line sold untaxed stays untaxed (not the product's
            // default tax).
            tax_id: match (&l.product_id, &l.tax_id) {
                (Some(_), None) => Some(String::new()),
                (_, t) => t.clone(),
            },
            reverse_charge: (l.reverse_charge == 1).then_some(true),
            itc_eligibility: l.itc_eligibility.clone(),
            // Stored nets are exclusive of tax.
            tax_inclusive: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::DocKind;

    /// Every event a document emits is one a webhook can subscribe to.
    #[test]
    fn document_events_are_subscribable() {
        let all = [
            (
                DocKind::Invoice,
                &[
                    "created", "updated", "deleted", "approved", "sent", "voided", "paid",
                ][..],
            ),
            (
                DocKind::Estimate,
                &[
                    "created", "updated", "deleted", "sent", "accepted", "declined",
                ][..],
            ),
            (
                DocKind::CreditNote,
                &["created", "updated", "deleted", "approved", "voided"][..],
            ),
            (DocKind::SalesReceipt, &["created", "voided"][..]),
            (DocKind::RefundReceipt, &["created", "voided"][..]),
        ];
        for (kind, actions) in all {
            for a in actions {
                assert_ne!(kind.event(a), "test", "{}.{a}", kind.doc_type());
            }
        }
    }
}
