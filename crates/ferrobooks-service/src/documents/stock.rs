//! Tracked stock at average cost (a perpetual weighted average).
//!
//! A tracked product keeps its quantity on hand and the value of that
//! stock in the base currency; its average cost is value / quantity.
//! Goods bought come in at what they cost (the line's net in the base
//! currency plus any tax that is cost) and are debited to the stock
//! account by the bill itself. Goods sold leave at the average: value x
//! sold / on hand, rounded to the minor unit, and all of the value when
//! the last of the stock goes, so the stock account never keeps a residue;
//! the sale posts Dr Cost of Sales / Cr Stock in its own entry. A customer
//! return comes back at the average; a return to the vendor leaves at
//! what the vendor credits. Each line keeps the cost it moved, so a void
//! moves exactly that back. Stock bought before any cost was known (the
//! opening quantity of a product) has no value: its sale costs nothing.

use std::collections::BTreeMap;

use ferrobooks_domain::EntryLine;
use ferrobooks_domain::Minor;
use ferrobooks_domain::document::settlement::to_base;
use ferrobooks_domain::tax::round_to_minor;
use ferrobooks_store::Conn;
use ferrobooks_store::documents::{DocLineRow, DocRow};
use ferrobooks_store::now;
use rust_decimal::Decimal;

use super::model::{DocKind, LineTax, dec, doc_currency};
use super::posting::{line, system_account};
use crate::{AuthContext, ServiceResult, Services};

/// The cost of `q` of a stock worth `value` for `on_hand`, at its average.
fn at_average(value: Minor, on_hand: Decimal, q: Decimal) -> ServiceResult<Minor> {
    if on_hand <= Decimal::ZERO {
        return Ok(0);
    }
    if q >= on_hand {
        return Ok(value);
    }
    // Minor units times a fraction, rounded to a whole minor unit.
    Ok(round_to_minor(Decimal::from(value) * q / on_hand, 0)?)
}

/// What a purchase line cost in the base currency, as its bill posts it:
/// the net and each tax that is cost, each converted and rounded alone.
fn purchase_cost(
    l: &DocLineRow,
    doc: &DocRow,
    base: ferrobooks_domain::Currency,
) -> ServiceResult<Minor> {
    let cur = doc_currency(doc)?;
    let rate = dec(&doc.exchange_rate);
    let mut cost = to_base(l.net, cur, rate, base)?;
    let taxes: Vec<LineTax> = serde_json::from_str(&l.taxes).unwrap_or_default();
    for t in taxes {
        if matches!(t.treatment.as_deref(), Some("cost" | "reverse_charge_cost")) {
            cost += to_base(t.amount, cur, rate, base)?;
        }
    }
    Ok(cost)
}

impl Services {
    /// Moves the tracked stock of `lines` for approving a document of
    /// `kind` (or, `reversing`, for voiding it): quantities, values, and
    /// each line's `stock_cost`. Answers the cost-of-sales lines a sale or
    /// customer return posts with the document (none for purchases, whose
    /// lines post to the stock account themselves, nor for a void, whose
    /// mirror entry takes them back).
    pub(crate) async fn move_stock(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        doc: &DocRow,
        lines: &mut [DocLineRow],
        reversing: bool,
    ) -> ServiceResult<Vec<EntryLine>> {
        let base = ctx.currency()?;
        let out = kind.takes_stock_out() != reversing;
        let purchase = kind.is_purchase();
        // Products locked in id order, as every row lock is taken.
        let mut by_product: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, l) in lines.iter().enumerate() {
            if let Some(p) = &l.product_id {
                by_product.entry(p.clone()).or_default().push(i);
            }
        }
        // Only tracked products have stock to lock; which they are is the
        // product's own (read once per batch of a group commit).
        let ids: Vec<&str> = by_product.keys().map(String::as_str).collect();
        let tracked: std::collections::HashSet<String> =
            ferrobooks_store::products::get_products(&mut *conn, ctx.org_id(), &ids)
                .await?
                .into_iter()
                .filter(|p| p.track_inventory == 1)
                .map(|p| p.id)
                .collect();
        by_product.retain(|p, _| tracked.contains(p));
        let mut cogs = Vec::new();
        let at = now();
        for (product, idxs) in by_product {
            let Some(stock) =
                ferrobooks_store::products::lock_stock(&mut *conn, ctx.org_id(), &product).await?
            else {
                continue;
            };
            if stock.track_inventory != 1 {
                continue;
            }
            let before = dec(&stock.quantity_on_hand);
            let (mut qty, mut value) = (before, stock.stock_value);
            for i in idxs {
                let l = &mut lines[i];
                let q = dec(&l.quantity);
                let cost = match (reversing, purchase) {
                    (true, _) => l.stock_cost.unwrap_or(0),
                    (false, true) => purchase_cost(l, doc, base)?,
                    (false, false) => at_average(value, qty, q)?,
                };
                if !reversing {
                    l.stock_cost = Some(cost);
                }
                if out {
                    qty -= q;
                    value -= cost;
                } else {
                    qty += q;
                    value += cost;
                }
                if !purchase && !reversing && cost != 0 {
                    let label = l.description.clone();
                    let cos = system_account(conn, ctx, "cost_of_sales").await?;
                    let inv = system_account(conn, ctx, "inventory").await?;
                    cogs.push(line(&cos, cost, out, None, label.as_deref()));
                    cogs.push(line(&inv, cost, !out, None, label.as_deref()));
                }
            }
            ferrobooks_store::products::set_stock(
                &mut *conn,
                ctx.org_id(),
                &product,
                &qty.normalize().to_string(),
                value,
                &at,
            )
            .await?;
            if let Some(level) = stock.reorder_level.as_deref().map(dec)
                && before > level
                && qty <= level
            {
                let v = self.get_product_in(conn, ctx, &product).await?;
                self.emit(conn, ctx, "product.low_stock", &v).await?;
            }
        }
        Ok(cogs)
    }
}

#[cfg(test)]
mod tests {
    use super::at_average;
    use rust_decimal::Decimal;

    #[test]
    fn the_last_unit_takes_all_the_value() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // 3 units worth 10.00: one costs 3.33, the last two 6.67.
        assert_eq!(at_average(1000, d("3"), d("1")).unwrap(), 333);
        assert_eq!(at_average(667, d("2"), d("2")).unwrap(), 667);
        assert_eq!(at_average(500, d("0"), d("1")).unwrap(), 0);
    }
}
