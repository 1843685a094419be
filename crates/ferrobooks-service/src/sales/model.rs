//! The shape shared by all sales documents: kinds, inputs, views, and the
//! line math (quantity x unit price - discount, tax per line per
//! component, optional round-off of the grand total).

use std::collections::HashMap;

use ferrobooks_domain::money::parse_decimal;
use ferrobooks_domain::tax::{Supply, round_to_minor};
use ferrobooks_domain::{Currency, Minor};
use ferrobooks_store::Conn;
use ferrobooks_store::customers::CustomerRow;
use ferrobooks_store::sales::{DocLineRow, DocRow};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText, Number};
use crate::{AuthContext, ServiceError, ServiceResult, opt_text, parse_date};

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
        match self {
            DocKind::Invoice => "invoice",
            DocKind::Estimate => "estimate",
            DocKind::CreditNote => "credit note",
            DocKind::SalesReceipt => "sales receipt",
            DocKind::RefundReceipt => "refund receipt",
        }
    }

    /// Credit notes and refund receipts post the mirror of a sale.
    pub(crate) fn is_return(self) -> bool {
        matches!(self, DocKind::CreditNote | DocKind::RefundReceipt)
    }

    /// Receipts are paid on the spot: they post to a bank account, not AR.
    pub(crate) fn is_receipt(self) -> bool {
        matches!(self, DocKind::SalesReceipt | DocKind::RefundReceipt)
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

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocTaxView {
    /// `cgst`, `sgst`, `igst`, `cess`, `vat` or a sales-tax agency.
    pub name: String,
    pub rate: Number,
    pub account_id: String,
    pub amount: Amount,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

/// A sales document as the native API shows it. Amounts are in the
/// document's `currency`; `base_total` is in the organization's.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
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
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
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
    /// Default: the product's tax. `null` with no product: untaxed.
    pub tax_id: Option<String>,
}

pub(crate) fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

pub(crate) fn doc_currency(row: &DocRow) -> ServiceResult<Currency> {
    Currency::parse(&row.currency)
        .map_err(|_| ServiceError::Internal(format!("document {} currency is corrupt", row.id)))
}

/// Converts document-currency minor units to base-currency minor units at
/// `rate`, rounding half away from zero.
pub(crate) fn to_base(
    amount: Minor,
    doc: Currency,
    rate: Decimal,
    base: Currency,
) -> ServiceResult<Minor> {
    if doc == base && rate == Decimal::ONE {
        return Ok(amount);
    }
    Ok(round_to_minor(
        doc.to_decimal(amount) * rate,
        base.exponent(),
    )?)
}

pub(crate) fn view(row: &DocRow, lines: &[DocLineRow], base: Currency) -> DocumentView {
    let cur = Currency::parse(&row.currency).unwrap_or(base);
    DocumentView {
        id: row.id.clone(),
        doc_type: row.doc_type.clone(),
        number: row.number.clone(),
        status: row.status.clone(),
        customer_id: row.customer_id.clone(),
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
            tax_id: l.tax_id.clone(),
        })
        .collect()
}

/// The header fields of a document after defaults and checks.
pub(crate) struct Header {
    pub customer: CustomerRow,
    pub date: chrono::NaiveDate,
    pub due_date: Option<String>,
    pub currency: Currency,
    pub rate: Decimal,
    pub place_of_supply: Option<String>,
    pub supply: Supply,
}

/// Loads the customer and settles currency, rate, dates and place of
/// supply. `current` is the draft being edited, if any.
pub(crate) async fn header(
    conn: &mut Conn,
    ctx: &AuthContext,
    kind: DocKind,
    input: &DocumentInput,
    current: Option<&DocRow>,
) -> ServiceResult<Header> {
    let base = ctx.currency()?;
    let customer_id = input
        .customer_id
        .clone()
        .or_else(|| current.map(|c| c.customer_id.clone()))
        .ok_or_else(|| ServiceError::invalid("customer_id", "is required"))?;
    let customer = ferrobooks_store::customers::get_row(&mut *conn, ctx.org_id(), &customer_id)
        .await?
        .ok_or_else(|| {
            ServiceError::invalid(
                "customer_id",
                format!("customer {customer_id} does not exist"),
            )
        })?;
    let date = match (&input.date, current) {
        (Some(d), _) => parse_date("date", d)?,
        (None, Some(c)) => parse_date("date", &c.date)?,
        (None, None) => crate::today(),
    };
    let due_input = match kind {
        DocKind::Estimate => input.expiry_date.as_deref(),
        DocKind::Invoice => input.due_date.as_deref(),
        _ => None,
    };
    if kind != DocKind::Invoice && input.due_date.is_some() {
        return Err(ServiceError::invalid(
            "due_date",
            format!("a {} has no due date", kind.noun()),
        ));
    }
    if kind != DocKind::Estimate && input.expiry_date.is_some() {
        return Err(ServiceError::invalid(
            "expiry_date",
            "only estimates expire",
        ));
    }
    let due_date = match (due_input, current) {
        (Some(d), _) => {
            let field = if kind == DocKind::Estimate {
                "expiry_date"
            } else {
                "due_date"
            };
            let d = parse_date(field, d)?;
            if d < date {
                return Err(ServiceError::invalid(
                    field,
                    "must not be before the document date",
                ));
            }
            Some(d.to_string())
        }
        (None, Some(c)) if input.date.is_none() => c.due_date.clone(),
        _ if kind == DocKind::Invoice => {
            Some((date + chrono::Days::new(customer.payment_terms.max(0) as u64)).to_string())
        }
        _ => None,
    };
    let code = input
        .currency
        .clone()
        .or_else(|| current.map(|c| c.currency.clone()))
        .unwrap_or_else(|| customer.currency.clone());
    let currency = Currency::parse(&code)
        .map_err(|_| ServiceError::invalid("currency", format!("'{code}' is not a currency")))?;
    let rate = match &input.exchange_rate {
        Some(r) => {
            let v = parse_decimal(&r.0, "exchange_rate")?;
            if v <= Decimal::ZERO || v.normalize().scale() > 10 {
                return Err(ServiceError::invalid(
                    "exchange_rate",
                    "must be greater than zero, with at most 10 decimals",
                ));
            }
            v.normalize()
        }
        None => match current {
            Some(c) if input.currency.is_none() => dec(&c.exchange_rate),
            _ => Decimal::ONE,
        },
    };
    if currency == base && rate != Decimal::ONE {
        return Err(ServiceError::invalid(
            "exchange_rate",
            format!("a document in the base currency {} has rate 1", base.code()),
        ));
    }
    if currency != base
        && input.exchange_rate.is_none()
        && current.is_none_or(|c| c.currency != code)
    {
        return Err(ServiceError::invalid(
            "exchange_rate",
            format!(
                "is required: the document is in {} and the organization's currency is {}",
                currency.code(),
                base.code()
            ),
        ));
    }
    let mut place_of_supply = None;
    let mut supply = Supply::InterState;
    if ctx.org.country == "IN" {
        let given = input
            .place_of_supply
            .clone()
            .or_else(|| current.and_then(|c| c.place_of_supply.clone()))
            .or_else(|| customer.place_of_supply.clone())
            .or_else(|| ctx.org.state.clone());
        if let Some(p) = given {
            let pos = ferrobooks_domain::org::parse_state("IN", &p).map_err(|_| {
                ServiceError::invalid("place_of_supply", format!("'{p}' is not a GST state code"))
            })?;
            supply = Supply::for_gst(ctx.org.state.as_deref().unwrap_or(""), &pos, false);
            place_of_supply = Some(pos);
        }
    } else if let Some(p) = &input.place_of_supply {
        place_of_supply = opt_text("place_of_supply", Some(p.clone()), 100)?;
    } else {
        place_of_supply = current.and_then(|c| c.place_of_supply.clone());
    }
    Ok(Header {
        customer,
        date,
        due_date,
        currency,
        rate,
        place_of_supply,
        supply,
    })
}

/// Lines computed from inputs, and the document totals.
pub(crate) struct Computed {
    pub lines: Vec<DocLineRow>,
    pub subtotal: Minor,
    pub discount_total: Minor,
    pub tax_total: Minor,
    pub rounding: Minor,
    pub total: Minor,
}

fn quantity(field: &str, d: Option<&DecimalText>) -> ServiceResult<Decimal> {
    let Some(d) = d else {
        return Ok(Decimal::ONE);
    };
    let q = parse_decimal(&d.0, field)?;
    if q <= Decimal::ZERO {
        return Err(ServiceError::invalid(field, "must be greater than zero"));
    }
    if q.normalize().scale() > 4 {
        return Err(ServiceError::invalid(field, "at most 4 decimal places"));
    }
    Ok(q.normalize())
}

/// Computes every line: product defaults, accounts and taxes checked
/// against the organization, amounts rounded per line and per component.
pub(crate) async fn compute(
    conn: &mut Conn,
    ctx: &AuthContext,
    h: &Header,
    inputs: &[DocLineInput],
    round_total: bool,
    doc_id: &str,
) -> ServiceResult<Computed> {
    if inputs.is_empty() {
        return Err(ServiceError::invalid(
            "lines",
            "at least one line is needed",
        ));
    }
    if inputs.len() > 500 {
        return Err(ServiceError::invalid("lines", "at most 500 lines"));
    }
    let org = ctx.org_id();
    let base = ctx.currency()?;
    let cur = h.currency;
    let exp = cur.exponent();
    let sales = ferrobooks_store::taxes::account_by_key(&mut *conn, org, "sales")
        .await?
        .unwrap_or_default();
    let mut taxes: HashMap<String, ferrobooks_store::taxes::TaxRow> = HashMap::new();
    let mut accounts_ok: HashMap<String, ()> = HashMap::new();
    let mut out = Computed {
        lines: Vec::with_capacity(inputs.len()),
        subtotal: 0,
        discount_total: 0,
        tax_total: 0,
        rounding: 0,
        total: 0,
    };
    for (i, l) in inputs.iter().enumerate() {
        let f = |name: &str| format!("lines[{i}].{name}");
        let product = match &l.product_id {
            Some(p) => Some(
                ferrobooks_store::products::get(&mut *conn, org, p)
                    .await?
                    .ok_or_else(|| {
                        ServiceError::invalid(
                            f("product_id"),
                            format!("product {p} does not exist"),
                        )
                    })?,
            ),
            None => None,
        };
        let qty = quantity(&f("quantity"), l.quantity.as_ref())?;
        let unit_price = match (&l.unit_price, &product) {
            (Some(p), _) => p.minor(cur, &f("unit_price"))?,
            (None, Some(p)) if cur == base => p.price,
            (None, Some(_)) => {
                return Err(ServiceError::invalid(
                    f("unit_price"),
                    format!(
                        "is required: product prices are in {}, this document is in {}",
                        base.code(),
                        cur.code()
                    ),
                ));
            }
            (None, None) => {
                return Err(ServiceError::invalid(
                    f("unit_price"),
                    "is required for a line without a product",
                ));
            }
        };
        if unit_price < 0 {
            return Err(ServiceError::invalid(
                f("unit_price"),
                "must not be negative",
            ));
        }
        let gross = round_to_minor(qty * cur.to_decimal(unit_price), exp)?;
        let discount = match &l.discount {
            Some(d) => d.minor(cur, &f("discount"))?,
            None => 0,
        };
        if discount < 0 || discount > gross {
            return Err(ServiceError::invalid(
                f("discount"),
                format!(
                    "must be between 0 and the line amount {}",
                    cur.format(gross)
                ),
            ));
        }
        let net = gross - discount;
        let account_id = l
            .account_id
            .clone()
            .or_else(|| product.as_ref().map(|p| p.income_account_id.clone()))
            .unwrap_or_else(|| sales.clone());
        if !accounts_ok.contains_key(&account_id) {
            let found =
                ferrobooks_store::accounts::accounts_by_ids(&mut *conn, org, &[&account_id])
                    .await?;
            match found.first() {
                Some(a) if a.active == 1 && a.account_type == "income" => {}
                _ => {
                    return Err(ServiceError::invalid(
                        f("account_id"),
                        format!("{account_id} is not an active income account"),
                    ));
                }
            }
            accounts_ok.insert(account_id.clone(), ());
        }
        let tax_id = match (&l.tax_id, &product) {
            (Some(t), _) => Some(t.clone()),
            (None, Some(p)) => p.tax_id.clone(),
            (None, None) => None,
        };
        let mut line_taxes = Vec::new();
        if let Some(t) = &tax_id {
            if !taxes.contains_key(t) {
                let row = ferrobooks_store::taxes::get(&mut *conn, org, t)
                    .await?
                    .ok_or_else(|| {
                        ServiceError::invalid(f("tax_id"), format!("tax {t} does not exist"))
                    })?;
                taxes.insert(t.clone(), row);
            }
            let row = &taxes[t];
            let day = h.date.to_string();
            let in_force = row.active == 1
                && row
                    .effective_from
                    .as_deref()
                    .is_none_or(|s| s <= day.as_str())
                && row
                    .effective_to
                    .as_deref()
                    .is_none_or(|s| s >= day.as_str());
            if !in_force {
                return Err(ServiceError::invalid(
                    f("tax_id"),
                    format!("tax {t} is not in force on {day}"),
                ));
            }
            if row.kind == "gst" && h.place_of_supply.is_none() {
                return Err(ServiceError::invalid(
                    "place_of_supply",
                    "GST needs the place of supply (the customer's, or set it on the document)",
                ));
            }
            for a in crate::taxes::charge(row, net, qty, exp, h.supply)? {
                line_taxes.push(LineTax {
                    name: a.0,
                    rate: a.1.normalize().to_string(),
                    account_id: a.2,
                    amount: a.3,
                });
            }
        }
        let tax_amount: Minor = line_taxes.iter().map(|t| t.amount).sum();
        out.subtotal += gross;
        out.discount_total += discount;
        out.tax_total += tax_amount;
        out.lines.push(DocLineRow {
            document_id: doc_id.to_owned(),
            line_no: i as i64,
            organization_id: org.to_owned(),
            description: opt_text(&f("description"), l.description.clone(), 1000)?
                .or_else(|| product.as_ref().map(|p| p.name.clone())),
            product_id: l.product_id.clone(),
            quantity: qty.to_string(),
            unit_price,
            discount,
            net,
            account_id,
            tax_id,
            taxes: serde_json::to_string(&line_taxes)
                .map_err(|e| ServiceError::Internal(e.to_string()))?,
            tax_amount,
        });
    }
    let before = out.subtotal - out.discount_total + out.tax_total;
    if round_total {
        let whole = round_to_minor(cur.to_decimal(before), 0)?;
        let rounded = whole
            .checked_mul(10i64.pow(exp))
            .ok_or_else(|| ServiceError::invalid("lines", "the total is too large"))?;
        out.rounding = rounded - before;
    }
    out.total = before + out.rounding;
    if out.total > ferrobooks_domain::money::MAX_MINOR {
        return Err(ServiceError::invalid("lines", "the total is too large"));
    }
    Ok(out)
}
