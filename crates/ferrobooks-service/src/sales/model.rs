//! The shape shared by all sales documents: kinds, inputs, views, and the
//! line math (quantity x unit price - discount, tax per line per
//! component, optional round-off of the grand total).

use ferrobooks_domain::document::Kind;
use ferrobooks_domain::{Currency, Minor};
use ferrobooks_store::documents::{DocLineRow, DocRow};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText, Number};
use crate::{AuthContext, ServiceError, ServiceResult};

/// The five kinds of sales document. They share one table and one line
/// shape; they differ in what they post and how they move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Invoice,
    Estimate,
    CreditNote,
    SalesReceipt,
    RefundReceipt,
}

impl DocKind {
    /// The kind in the document engine.
    pub fn kind(self) -> Kind {
        match self {
            DocKind::Invoice => Kind::Invoice,
            DocKind::Estimate => Kind::Estimate,
            DocKind::CreditNote => Kind::CreditNote,
            DocKind::SalesReceipt => Kind::SalesReceipt,
            DocKind::RefundReceipt => Kind::RefundReceipt,
        }
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
        }
    }

    pub(crate) fn id_prefix(self) -> &'static str {
        match self {
            DocKind::Invoice => "inv",
            DocKind::Estimate => "est",
            DocKind::CreditNote => "cn",
            DocKind::SalesReceipt => "sr",
            DocKind::RefundReceipt => "rr",
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

    /// Receipts are paid on the spot: they post to a bank account, not AR.
    pub(crate) fn is_receipt(self) -> bool {
        self.kind().is_paid_on_the_spot()
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
}

#[derive(Debug, Clone, Serialize)]
pub struct DocTaxView {
    /// `cgst`, `sgst`, `igst`, `cess`, `vat` or a sales-tax agency.
    pub name: String,
    pub rate: Number,
    pub account_id: String,
    pub amount: Amount,
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
}

/// A sales document, as a use case answers it (each surface shapes it). Amounts are in the
/// document's `currency`; `base_total` is in the organization's.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub id: String,
    /// invoice, estimate, credit_note, sales_receipt or refund_receipt.
    pub doc_type: String,
    /// Given on approval (receipts: on creation); drafts have none.
    pub number: Option<String>,
    /// Invoices: draft, approved, sent, partially_paid, paid, overdue,
    /// void. Estimates: draft, sent, accepted, declined, expired. Credit
    /// notes: draft, open, closed, void. Receipts: completed, void.
    pub status: String,
    pub customer_id: String,
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
    /// Receipts: the bank or undeposited-funds account.
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
}

/// A new document, or for an update of a draft the fields to change
/// (absent fields stay; `lines`, when given, replace all lines).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    pub customer_id: Option<String>,
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
    pub deposit_account_id: Option<String>,
    /// Credit notes: the invoice credited (same customer).
    pub invoice_id: Option<String>,
    pub lines: Option<Vec<DocLineInput>>,
    /// Invoices and credit notes, on create: approve at once (numbered and
    /// posted in the same request), as `POST /{id}/approve` would.
    pub approve: Option<bool>,
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
    let cur = Currency::parse(&row.currency).unwrap_or(base);
    DocumentView {
        id: row.id.clone(),
        doc_type: row.doc_type.clone(),
        number: row.number.clone(),
        status: row.status.clone(),
        customer_id: row.contact_id.clone(),
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
                        })
                        .collect(),
                    tax_amount: Amount::new(l.tax_amount, cur),
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
