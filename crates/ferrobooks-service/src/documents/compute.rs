//! Turning a document's input into checked header fields and computed
//! lines: customer, dates, currency and rate, place of supply; then per
//! line quantity x unit price - discount, taxes per component, totals and
//! the optional round-off.

use std::collections::HashMap;

use ferrobooks_domain::document::lines::{self, Totals};
use ferrobooks_domain::document::purchase_tax::{self, InputTax, ItcEligibility, PurchaseLine};
use ferrobooks_domain::tax::Supply;
use ferrobooks_domain::tax::TaxKind;
use ferrobooks_domain::{Currency, Minor};
use ferrobooks_store::Conn;
use ferrobooks_store::contacts::ContactRow;
use ferrobooks_store::documents::{DocLineRow, DocRow};
use rust_decimal::Decimal;

use super::model::{DocKind, DocLineInput, DocumentInput, LineTax, dec};
use crate::{AuthContext, ServiceError, ServiceResult, opt_text, parse_date};

/// The header fields of a document after defaults and checks.
pub(crate) struct Header {
    pub customer: ContactRow,
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
    let field = kind.contact_field();
    let party = kind.party();
    let contact_id = input
        .contact_id
        .clone()
        .or_else(|| current.map(|c| c.contact_id.clone()))
        .filter(|c| !(kind.contact_optional() && c.is_empty()));
    let customer = match contact_id {
        // An expense without a vendor: the organization's own terms.
        None if kind.contact_optional() => ContactRow {
            currency: ctx.currency()?.code().to_owned(),
            ..ContactRow::default()
        },
        None => return Err(ServiceError::invalid(field, "is required")),
        Some(contact_id) => ferrobooks_store::contacts::lock_contact(
            &mut *conn,
            party,
            ctx.org_id(),
            &contact_id,
            false,
        )
        .await?
        .ok_or_else(|| {
            ServiceError::invalid(
                field,
                format!("{} {contact_id} does not exist", party.noun()),
            )
        })?,
    };
    let date = match (&input.date, current) {
        (Some(d), _) => parse_date("date", d)?,
        (None, Some(c)) => parse_date("date", &c.date)?,
        (None, None) => crate::today(),
    };
    let has_due_date = matches!(kind, DocKind::Invoice | DocKind::Bill);
    let due_input = match kind {
        DocKind::Estimate => input.expiry_date.as_deref(),
        _ if has_due_date => input.due_date.as_deref(),
        _ => None,
    };
    if !has_due_date && input.due_date.is_some() {
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
        _ if has_due_date => {
            let terms = u64::try_from(customer.payment_terms).unwrap_or(0);
            Some(ferrobooks_domain::calendar::add_days("due_date", date, terms)?.to_string())
        }
        _ => None,
    };
    let code = input
        .currency
        .clone()
        .or_else(|| current.map(|c| c.currency.clone()))
        .unwrap_or_else(|| customer.currency.clone());
    let kept = current
        .filter(|c| c.currency == code)
        .map(|c| dec(&c.exchange_rate));
    let (currency, rate) = super::model::currency_and_rate(
        ctx,
        &code,
        input.exchange_rate.as_ref(),
        kept,
        "document",
    )?;
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
            // A sale is intra-state when the place of supply is the
            // organization's state; a purchase when the vendor supplies
            // from it. The same test either way.
            supply = Supply::for_gst(
                ctx.org.state.as_deref().unwrap_or(""),
                &pos,
                customer.sez == 1,
            );
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
    pub totals: Totals,
}

/// Computes every line: product defaults, accounts and taxes checked
/// against the organization, amounts rounded per line and per component.
pub(crate) async fn compute(
    conn: &mut Conn,
    ctx: &AuthContext,
    h: &Header,
    kind: DocKind,
    inputs: &[DocLineInput],
    round_total: bool,
    doc_id: &str,
) -> ServiceResult<Computed> {
    lines::check_count(inputs.len())?;
    let purchase = kind.is_purchase();
    let country = ctx.org.country.as_str();
    let org = ctx.org_id();
    let base = ctx.currency()?;
    let cur = h.currency;
    let exp = cur.exponent();
    // The Sales account, read once if a line needs it.
    let mut sales: Option<String> = None;
    let mut taxes: HashMap<String, ferrobooks_store::taxes::TaxRow> = HashMap::new();
    let mut accounts_ok: HashMap<String, ()> = HashMap::new();
    // Every product the lines name, in one query.
    let mut wanted: Vec<&str> = inputs
        .iter()
        .filter_map(|l| l.product_id.as_deref())
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let products: HashMap<String, ferrobooks_store::products::ProductRow> =
        ferrobooks_store::products::get_products(&mut *conn, org, &wanted)
            .await?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
    let mut out_lines = Vec::with_capacity(inputs.len());
    let mut totals = Totals::default();
    for (i, l) in inputs.iter().enumerate() {
        let f = |name: &str| lines::field(i, name);
        let product = match &l.product_id {
            Some(p) => Some(products.get(p).ok_or_else(|| {
                ServiceError::invalid(f("product_id"), format!("product {p} does not exist"))
            })?),
            None => None,
        };
        let qty = lines::quantity(&f("quantity"), l.quantity.as_ref().map(|q| q.0.as_str()))?;
        // A purchase line's terms, checked against the country.
        let terms = PurchaseLine {
            reverse_charge: l.reverse_charge.unwrap_or(false),
            itc: l
                .itc_eligibility
                .as_deref()
                .map(|e| ItcEligibility::parse(&f("itc_eligibility"), e))
                .transpose()?,
        };
        if purchase {
            purchase_tax::check_line(country, i, terms)?;
        } else if l.reverse_charge.is_some() || l.itc_eligibility.is_some() {
            let name = if l.reverse_charge.is_some() {
                "reverse_charge"
            } else {
                "itc_eligibility"
            };
            return Err(ServiceError::invalid(
                f(name),
                format!("a {} is a sale; only purchase lines take it", kind.noun()),
            ));
        }
        let mut unit_price = match (&l.unit_price, &product) {
            (Some(p), _) => p.minor(cur, &f("unit_price"))?,
            // A product's price is what it sells for; a purchase names its
            // cost.
            (None, Some(_)) if purchase => {
                return Err(ServiceError::invalid(
                    f("unit_price"),
                    "is required on a purchase line",
                ));
            }
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
        let discount = match &l.discount {
            Some(d) => d.minor(cur, &f("discount"))?,
            None => 0,
        };
        let mut priced = lines::price(i, qty, unit_price, discount, cur)?;
        let mut net = priced.net;
        // Tracked goods are bought into the stock account, at cost.
        let stock_account = match &product {
            Some(p) if purchase && p.track_inventory == 1 => Some(
                ferrobooks_store::taxes::account_by_key(&mut *conn, org, "inventory")
                    .await?
                    .ok_or_else(|| {
                        ServiceError::new(
                            crate::Code::ChartIncomplete,
                            "the chart of accounts has no stock account (system key inventory)",
                        )
                    })?,
            ),
            _ => None,
        };
        if let (Some(stock), Some(given)) = (&stock_account, &l.account_id)
            && stock != given
        {
            return Err(ServiceError::invalid(
                f("account_id"),
                format!("a tracked product is bought into the stock account {stock}"),
            ));
        }
        let product_account = product.as_ref().and_then(|p| {
            if purchase {
                stock_account
                    .clone()
                    .or_else(|| p.expense_account_id.clone())
            } else {
                Some(p.income_account_id.clone())
            }
        });
        let account_id = match l.account_id.clone().or(product_account) {
            Some(a) => a,
            None if purchase => {
                return Err(ServiceError::invalid(
                    f("account_id"),
                    "is required: the expense, asset or inventory account the purchase is for",
                ));
            }
            None => match &sales {
                Some(a) => a.clone(),
                None => {
                    let a = ferrobooks_store::taxes::account_by_key(&mut *conn, org, "sales")
                        .await?
                        .unwrap_or_default();
                    sales = Some(a.clone());
                    a
                }
            },
        };
        if !accounts_ok.contains_key(&account_id) {
            let found =
                ferrobooks_store::accounts::accounts_by_ids(&mut *conn, org, &[&account_id])
                    .await?;
            let fits = |a: &ferrobooks_store::accounts::AccountRow| {
                if purchase {
                    a.account_type == "expense"
                        || (a.account_type == "asset"
                            && !matches!(a.subtype.as_str(), "receivable" | "bank" | "cash"))
                } else {
                    a.account_type == "income"
                }
            };
            match found.first() {
                Some(a) if a.active == 1 && fits(a) => {}
                _ => {
                    let what = if purchase {
                        "an active expense or asset account"
                    } else {
                        "an active income account"
                    };
                    return Err(ServiceError::invalid(
                        f("account_id"),
                        format!("{account_id} is not {what}"),
                    ));
                }
            }
            accounts_ok.insert(account_id.clone(), ());
        }
        // An empty `tax_id` sells the line untaxed even when its product
        // has a default tax.
        let tax_id = match (&l.tax_id, &product) {
            (Some(t), _) if t.trim().is_empty() => None,
            (Some(t), _) => Some(t.clone()),
            (None, Some(p)) => p.tax_id.clone(),
            (None, None) => None,
        };
        let mut line_taxes = Vec::new();
        if let Some(t) = &tax_id {
            if !taxes.contains_key(t) {
                let row = ferrobooks_store::taxes::get_tax(&mut *conn, org, t)
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
            if row.cess_per_unit != 0 && cur != base {
                return Err(ServiceError::invalid(
                    f("tax_id"),
                    format!(
                        "tax {t} charges cess per unit in {}; it cannot be used on a document in {}",
                        base.code(),
                        cur.code()
                    ),
                ));
            }
            if row.kind == "gst" && h.place_of_supply.is_none() {
                let whose = if purchase {
                    "the vendor's state (source of supply)"
                } else {
                    "the place of supply (the customer's, or set it on the document)"
                };
                return Err(ServiceError::invalid(
                    "place_of_supply",
                    format!("GST needs {whose}"),
                ));
            }
            let tax_kind = match row.kind.as_str() {
                "gst" => TaxKind::Gst,
                "vat" => TaxKind::Vat,
                "sales_tax" => TaxKind::SalesTax,
                _ => TaxKind::Other,
            };
            let charged = if l.tax_inclusive {
                crate::taxes::charge_inclusive(row, net, exp, h.supply)
            } else {
                crate::taxes::charge(row, net, qty, exp, h.supply)
            };
            for a in charged? {
                let mut tax = LineTax {
                    name: a.0,
                    rate: a.1.normalize().to_string(),
                    account_id: a.2,
                    amount: a.3,
                    treatment: None,
                    payable_account_id: None,
                };
                if purchase {
                    let (treatment, input, payable) =
                        match purchase_tax::input_tax(country, tax_kind, &tax.name, terms) {
                            InputTax::Claim { input } => ("claimed", Some(input), None),
                            InputTax::Cost => ("cost", None, None),
                            InputTax::ReverseCharge { input, payable } => {
                                ("reverse_charge", Some(input), Some(payable))
                            }
                            InputTax::ReverseChargeCost { payable } => {
                                ("reverse_charge_cost", None, Some(payable))
                            }
                        };
                    tax.treatment = Some(treatment.to_owned());
                    tax.account_id = match input {
                        Some(k) => super::posting::system_account(conn, ctx, k).await?,
                        None => account_id.clone(),
                    };
                    if let Some(k) = payable {
                        tax.payable_account_id =
                            Some(super::posting::system_account(conn, ctx, k).await?);
                    }
                }
                line_taxes.push(tax);
            }
        }
        let tax_amount: Minor = line_taxes.iter().map(|t| t.amount).sum();
        if l.tax_inclusive {
            // The price held the tax: the line is what is left of it.
            if terms.reverse_charge || discount != 0 || qty != rust_decimal::Decimal::ONE {
                return Err(ServiceError::internal(
                    "a tax-inclusive line is one unit, undiscounted, without reverse charge",
                ));
            }
            net -= tax_amount;
            unit_price = net;
            priced = lines::price(i, qty, unit_price, 0, cur)?;
        }
        // What the counterparty is owed leaves out tax the buyer owes the
        // government under reverse charge.
        let billed: Minor = line_taxes
            .iter()
            .filter(|t| {
                !matches!(
                    t.treatment.as_deref(),
                    Some("reverse_charge" | "reverse_charge_cost")
                )
            })
            .map(|t| t.amount)
            .sum();
        totals.add(priced, billed);
        out_lines.push(DocLineRow {
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
            taxes: serde_json::to_string(&line_taxes).map_err(ServiceError::internal)?,
            tax_amount,
            reverse_charge: i64::from(purchase && terms.reverse_charge),
            itc_eligibility: terms.itc.map(|e| e.as_str().to_owned()),
            billed_quantity: None,
            source_line_no: None,
            stock_cost: None,
        });
    }
    Ok(Computed {
        lines: out_lines,
        totals: totals.finish(round_total, cur)?,
    })
}
