//! Sales and purchases summed over a range: by customer, by product, by
//! vendor, by expense category (the line's account), and the tax summary
//! (output and input tax per tax and account). Read from the lines of the
//! range's posted documents, as the tax returns are, in the base currency;
//! credit notes, refunds and vendor credits count against.

use std::collections::{BTreeMap, HashSet};

use ferrobooks_domain::document::Side;
use ferrobooks_store::names::{Named, names};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::amount::{Amount, Number};
use crate::tax_returns::{sign, to_base_lines};
use crate::{AuthContext, ServiceResult, Services};

/// What a summary groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryBy {
    Customer,
    Product,
    Vendor,
    /// The expense (or asset) account of a purchase line.
    Category,
}

impl SummaryBy {
    fn side(self) -> Side {
        match self {
            SummaryBy::Customer | SummaryBy::Product => Side::Sale,
            SummaryBy::Vendor | SummaryBy::Category => Side::Purchase,
        }
    }

    fn named(self) -> Named {
        match self {
            SummaryBy::Customer => Named::Customers,
            SummaryBy::Product => Named::Products,
            SummaryBy::Vendor => Named::Vendors,
            SummaryBy::Category => Named::Accounts,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub date_from: String,
    pub date_to: String,
    pub currency: String,
    pub rows: Vec<SummaryRow>,
    pub totals: SummaryRow,
}

/// One customer, product, vendor or category: its documents and amounts.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryRow {
    /// None on lines without a product (by product) and on the totals.
    pub id: Option<String>,
    pub name: String,
    /// Documents with a line in the row.
    pub documents: i64,
    /// By product: the quantity sold (less returned).
    pub quantity: Option<Number>,
    /// Net of tax.
    pub net: Amount,
    pub tax: Amount,
    pub total: Amount,
}

#[derive(Default)]
struct Sums<'a> {
    docs: HashSet<&'a str>,
    quantity: Decimal,
    net: i64,
    tax: i64,
}

impl Sums<'_> {
    fn row(
        &self,
        id: Option<String>,
        name: String,
        by_product: bool,
        cur: ferrobooks_domain::Currency,
    ) -> SummaryRow {
        SummaryRow {
            id,
            name,
            documents: i64::try_from(self.docs.len()).unwrap_or(i64::MAX),
            quantity: by_product.then(|| Number::new(self.quantity)),
            net: Amount::new(self.net, cur),
            tax: Amount::new(self.tax, cur),
            total: Amount::new(self.net + self.tax, cur),
        }
    }
}

/// Output and input tax of one tax on one account.
#[derive(Debug, Clone, Serialize)]
pub struct TaxSummaryRow {
    /// The tax component: cgst, sgst, igst, cess, vat or the agency.
    pub tax: String,
    pub account_id: String,
    pub account_name: String,
    /// Charged on sales, and owed under reverse charge.
    pub output_tax: Amount,
    /// Claimed on purchases.
    pub input_tax: Amount,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaxSummary {
    pub date_from: String,
    pub date_to: String,
    pub currency: String,
    pub rows: Vec<TaxSummaryRow>,
    pub total_output_tax: Amount,
    pub total_input_tax: Amount,
    /// Output less input.
    pub net_tax: Amount,
}

impl Services {
    /// Sales (or purchases) of `[date_from, date_to]` (default: the fiscal
    /// year to date) summed by `by`.
    pub async fn summary(
        &self,
        ctx: &AuthContext,
        by: SummaryBy,
        date_from: Option<&str>,
        date_to: Option<&str>,
    ) -> ServiceResult<Summary> {
        let cur = ctx.currency()?;
        let (from, to) = crate::reports::range(ctx, date_from, date_to)?;
        let (from, to) = (from.to_string(), to.to_string());
        let lines = self.taxed_lines(ctx, Some(by.side()), (&from, &to)).await?;
        let mut rows: BTreeMap<Option<&str>, Sums<'_>> = BTreeMap::new();
        let mut all = Sums::default();
        for b in to_base_lines(&lines, cur)? {
            let s = sign(b.kind).unwrap_or(1);
            let l = b.line;
            let key = match by {
                SummaryBy::Customer | SummaryBy::Vendor => Some(l.contact_id.as_str()),
                SummaryBy::Product => l.product_id.as_deref(),
                SummaryBy::Category => Some(l.account_id.as_str()),
            };
            let qty: Decimal = l.quantity.parse().unwrap_or_default();
            let tax: i64 = b.taxes.iter().map(|(_, v)| v).sum();
            for sums in [rows.entry(key).or_default(), &mut all] {
                sums.docs.insert(&l.document_id);
                sums.quantity += Decimal::from(s) * qty;
                sums.net += s * b.net;
                sums.tax += s * tax;
            }
        }
        let ids: Vec<&str> = rows.keys().filter_map(|k| *k).collect();
        let mut conn = self.store.read_conn().await?;
        let named: BTreeMap<String, String> = names(&mut conn, ctx.org_id(), by.named(), &ids)
            .await?
            .into_iter()
            .collect();
        let by_product = by == SummaryBy::Product;
        let mut out: Vec<SummaryRow> = rows
            .iter()
            .map(|(k, v)| {
                let name = match k {
                    Some(id) => named.get(*id).cloned().unwrap_or_else(|| (*id).to_owned()),
                    None => "No product".to_owned(),
                };
                v.row(k.map(str::to_owned), name, by_product, cur)
            })
            .collect();
        out.sort_by(|a, b| (a.id.is_none(), &a.name).cmp(&(b.id.is_none(), &b.name)));
        Ok(Summary {
            date_from: from,
            date_to: to,
            currency: cur.code().into(),
            rows: out,
            totals: all.row(None, "Total".into(), by_product, cur),
        })
    }

    /// Output and input tax of `[date_from, date_to]` per tax and account.
    pub async fn tax_summary(
        &self,
        ctx: &AuthContext,
        date_from: Option<&str>,
        date_to: Option<&str>,
    ) -> ServiceResult<TaxSummary> {
        let cur = ctx.currency()?;
        let (from, to) = crate::reports::range(ctx, date_from, date_to)?;
        let (from, to) = (from.to_string(), to.to_string());
        let lines = self.taxed_lines(ctx, None, (&from, &to)).await?;
        // (tax, account) -> (output, input)
        let mut rows: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        for b in to_base_lines(&lines, cur)? {
            let s = sign(b.kind).unwrap_or(1);
            for (t, amount) in &b.taxes {
                let v = s * amount;
                let mut add = |account: &str, output: i64, input: i64| {
                    let e = rows
                        .entry((t.name.clone(), account.to_owned()))
                        .or_default();
                    e.0 += output;
                    e.1 += input;
                };
                match (b.kind.side(), t.treatment.as_deref()) {
                    (Side::Sale, _) => add(&t.account_id, v, 0),
                    (Side::Purchase, Some("claimed")) => add(&t.account_id, 0, v),
                    (Side::Purchase, Some("reverse_charge")) => {
                        add(&t.account_id, 0, v);
                        if let Some(p) = &t.payable_account_id {
                            add(p, v, 0);
                        }
                    }
                    (Side::Purchase, Some("reverse_charge_cost")) => {
                        if let Some(p) = &t.payable_account_id {
                            add(p, v, 0);
                        }
                    }
                    // Tax that became part of the cost is neither.
                    (Side::Purchase, _) => {}
                }
            }
        }
        let ids: Vec<&str> = rows.keys().map(|(_, a)| a.as_str()).collect();
        let mut conn = self.store.read_conn().await?;
        let named: BTreeMap<String, String> = names(&mut conn, ctx.org_id(), Named::Accounts, &ids)
            .await?
            .into_iter()
            .collect();
        let (mut out_total, mut in_total) = (0i64, 0i64);
        let rows = rows
            .into_iter()
            .map(|((tax, account_id), (output, input))| {
                out_total += output;
                in_total += input;
                TaxSummaryRow {
                    tax,
                    account_name: named.get(&account_id).cloned().unwrap_or_default(),
                    account_id,
                    output_tax: Amount::new(output, cur),
                    input_tax: Amount::new(input, cur),
                }
            })
            .collect();
        Ok(TaxSummary {
            date_from: from,
            date_to: to,
            currency: cur.code().into(),
            rows,
            total_output_tax: Amount::new(out_total, cur),
            total_input_tax: Amount::new(in_total, cur),
            net_tax: Amount::new(out_total - in_total, cur),
        })
    }
}
