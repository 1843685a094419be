//! Settling invoices from a customer's credit: a payment or a credit note.
//!
//! Each allocation takes an amount (document currency) off the invoice's
//! balance and off the source's available credit. In the base currency
//! the source releases the amount at its own rate and the invoice is
//! settled at the invoice's rate; when an allocation takes everything
//! left, it takes the exact base remainder, so a settled invoice leaves
//! nothing behind in the receivable account. The difference is the
//! realized FX gain or loss: Dr AR / Cr FX gain/loss when the source was
//! worth more in the base currency, the reverse otherwise.

use crate::Code;
use std::collections::BTreeSet;

use ferrobooks_domain::{Currency, EntryLine, Minor};
use ferrobooks_store::payments::AllocationRow;
use ferrobooks_store::{Conn, new_id, now};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::documents::refresh_status;
use ferrobooks_domain::document::settlement::{Open, allocate};
use ferrobooks_domain::document::{Side, Status};

use super::model::{DocKind, dec, view};
use super::posting::{line, system_account};
use crate::amount::DecimalText;
use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// Part of a credit applied to one invoice.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub invoice_id: String,
    /// In the currency of the payment or credit note (and the invoice).
    pub amount: DecimalText,
}

/// The credit being applied.
pub(crate) struct Credit<'a> {
    /// payment or credit_note.
    pub source_type: &'static str,
    pub source_id: &'a str,
    pub customer_id: &'a str,
    pub currency: Currency,
    pub rate: Decimal,
    /// Still available, in the source's currency.
    pub remaining: Minor,
    /// Still available, in the base currency.
    pub base_remaining: Minor,
}

/// What applying a credit did.
pub(crate) struct Applied {
    pub allocations: Vec<AllocationRow>,
    /// Cr AR per invoice (the base amount released from the credit).
    pub ar_lines: Vec<EntryLine>,
    /// Realized FX gain/loss lines (AR against FX), when rates differ.
    pub fx_lines: Vec<EntryLine>,
    pub amount: Minor,
    pub base_released: Minor,
}

/// The date of a later action on a credit (applying it, refunding it): as
/// given, else today; never before the credit's own date.
pub(crate) fn action_date(
    given: Option<&str>,
    not_before: &str,
    what: &str,
) -> ServiceResult<String> {
    let date = match given {
        Some(d) => crate::parse_date("date", d)?.to_string(),
        None => crate::today().to_string().max(not_before.to_owned()),
    };
    if date.as_str() < not_before {
        return Err(ServiceError::invalid(
            "date",
            format!("must not be before the {what}'s date"),
        ));
    }
    Ok(date)
}

impl Services {
    /// Applies what is left of a credit to invoices after it was made: the
    /// allocations are written, and a rate difference posts its own FX
    /// entry, which the allocations name. `label` names the credit in the
    /// entry (its number).
    pub(crate) async fn apply_later(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        credit: &Credit<'_>,
        apps: &[ApplicationInput],
        date: &str,
        label: Option<String>,
    ) -> ServiceResult<Applied> {
        if apps.is_empty() {
            return Err(ServiceError::invalid(
                "applications",
                "name at least one invoice",
            ));
        }
        let mut applied = self.apply_credit(conn, ctx, credit, apps, date).await?;
        let name = label.as_deref().unwrap_or(credit.source_id);
        let fx_entry = super::posting::post_lines(
            conn,
            ctx,
            &format!("{} {}", credit.source_type, credit.source_id),
            date,
            format!(
                "Realized FX on {} {name}",
                credit.source_type.replace('_', " ")
            ),
            label.clone(),
            std::mem::take(&mut applied.fx_lines),
        )
        .await?;
        for a in &mut applied.allocations {
            a.journal_entry_id = fx_entry.clone();
        }
        ferrobooks_store::payments::insert_allocations(conn, &applied.allocations).await?;
        Ok(applied)
    }

    /// Applies `apps` from `credit` to open invoices of the same customer
    /// and currency, updating each invoice (locked) and emitting
    /// `invoice.paid` for those it settles.
    pub(crate) async fn apply_credit(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        credit: &Credit<'_>,
        apps: &[ApplicationInput],
        date: &str,
    ) -> ServiceResult<Applied> {
        let base = ctx.currency()?;
        let cur = credit.currency;
        let mut out = Applied {
            allocations: vec![],
            ar_lines: vec![],
            fx_lines: vec![],
            amount: 0,
            base_released: 0,
        };
        if apps.is_empty() {
            return Ok(out);
        }
        let mut parsed = Vec::with_capacity(apps.len());
        let mut seen = BTreeSet::new();
        for (i, a) in apps.iter().enumerate() {
            let field = format!("applications[{i}].amount");
            let amount = a.amount.minor(cur, &field)?;
            if amount <= 0 {
                return Err(ServiceError::invalid(field, "must be greater than zero"));
            }
            if !seen.insert(a.invoice_id.clone()) {
                return Err(ServiceError::invalid(
                    format!("applications[{i}].invoice_id"),
                    format!("invoice {} is named twice", a.invoice_id),
                ));
            }
            out.amount += amount;
            parsed.push((i, a.invoice_id.clone(), amount));
        }
        if out.amount > credit.remaining {
            return Err(ServiceError::invalid(
                "applications",
                format!(
                    "the applications total {} but only {} is available",
                    cur.format(out.amount),
                    cur.format(credit.remaining)
                ),
            ));
        }
        // Lock invoices in id order, so concurrent settlements never deadlock.
        parsed.sort_by(|a, b| a.1.cmp(&b.1));
        let ar = system_account(conn, ctx, "accounts_receivable").await?;
        let fx = system_account(conn, ctx, "fx_variance").await?;
        let (mut left, mut base_left) = (credit.remaining, credit.base_remaining);
        let at = now();
        for (i, invoice_id, amount) in parsed {
            let field = format!("applications[{i}].invoice_id");
            let Some((mut inv, lines)) = self
                .lock(conn, ctx, DocKind::Invoice, &invoice_id)
                .await
                .map(Some)
                .or_else(|e| match e {
                    ServiceError {
                        code: Code::NotFound,
                        ..
                    } => Ok(None),
                    e => Err(e),
                })?
            else {
                return Err(ServiceError::invalid(
                    field,
                    format!("invoice {invoice_id} does not exist"),
                ));
            };
            if inv.contact_id != credit.customer_id {
                return Err(ServiceError::invalid(
                    field,
                    format!("invoice {invoice_id} belongs to another customer"),
                ));
            }
            if inv.currency != cur.code() {
                return Err(ServiceError::invalid(
                    field,
                    format!(
                        "invoice {invoice_id} is in {}; this credit is in {}",
                        inv.currency,
                        cur.code()
                    ),
                ));
            }
            if matches!(
                Status::parse(&inv.status),
                Some(Status::Draft | Status::Void)
            ) {
                return Err(ServiceError::invalid(
                    field,
                    format!(
                        "invoice {invoice_id} is {}; only approved invoices take payments",
                        inv.status
                    ),
                ));
            }
            if amount > inv.balance() {
                return Err(ServiceError::invalid(
                    format!("applications[{i}].amount"),
                    format!(
                        "{} is more than the {} still owed on invoice {}",
                        cur.format(amount),
                        cur.format(inv.balance()),
                        inv.number.as_deref().unwrap_or(&invoice_id)
                    ),
                ));
            }
            let alloc = allocate(
                amount,
                &Open {
                    amount: left,
                    base: base_left,
                    rate: credit.rate,
                },
                &Open {
                    amount: inv.balance(),
                    base: inv.base_total - inv.base_settled,
                    rate: dec(&inv.exchange_rate),
                },
                cur,
                base,
            )?;
            let (released, settled) = (alloc.released, alloc.settled);
            left -= amount;
            base_left -= released;
            out.base_released += released;
            let label = inv.number.clone().unwrap_or_else(|| inv.id.clone());
            out.ar_lines.push(line(
                &ar,
                released,
                false,
                Some(credit.customer_id),
                Some(&label),
            ));
            out.fx_lines.extend(alloc.fx_lines(
                Side::Sale,
                &ar,
                &fx,
                Some(credit.customer_id),
                &label,
            ));
            if credit.source_type == "payment" {
                inv.paid += amount;
            } else {
                inv.credited += amount;
            }
            inv.base_settled += settled;
            inv.updated_at = at.clone();
            refresh_status(DocKind::Invoice, &mut inv);
            ferrobooks_store::documents::save_doc(conn, &inv).await?;
            let v = view(&inv, &lines, base);
            self.emit(conn, ctx, "invoice.updated", &v).await?;
            if inv.balance() == 0 {
                self.emit(conn, ctx, "invoice.paid", &v).await?;
            }
            out.allocations.push(AllocationRow {
                id: new_id("alloc"),
                organization_id: ctx.org_id().to_owned(),
                source_type: credit.source_type.to_owned(),
                source_id: credit.source_id.to_owned(),
                invoice_id,
                customer_id: credit.customer_id.to_owned(),
                date: date.to_owned(),
                amount,
                base_released: released,
                base_settled: settled,
                journal_entry_id: None,
                created_at: at.clone(),
            });
        }
        Ok(out)
    }

    /// Takes allocations back off their invoices (a deleted payment),
    /// reopening them, then (with `reverse_entries`) reverses the
    /// allocations' own FX entries. Invoices
    /// are locked (in id order) before anything posts, as everywhere: rows
    /// first, then the journal's number counter.
    pub(crate) async fn unapply(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        allocations: &[AllocationRow],
        reverse_entries: bool,
    ) -> ServiceResult<()> {
        let base = ctx.currency()?;
        let mut sorted: Vec<&AllocationRow> = allocations.iter().collect();
        sorted.sort_by(|a, b| a.invoice_id.cmp(&b.invoice_id));
        let at = now();
        for a in &sorted {
            let (mut inv, lines) = self
                .lock(conn, ctx, DocKind::Invoice, &a.invoice_id)
                .await?;
            if a.source_type == "payment" {
                inv.paid -= a.amount;
            } else {
                inv.credited -= a.amount;
            }
            inv.base_settled -= a.base_settled;
            inv.updated_at = at.clone();
            refresh_status(DocKind::Invoice, &mut inv);
            ferrobooks_store::documents::save_doc(conn, &inv).await?;
            let v = view(&inv, &lines, base);
            self.emit(conn, ctx, "invoice.updated", &v).await?;
        }
        for a in sorted.iter().filter(|_| reverse_entries) {
            if let Some(e) = &a.journal_entry_id {
                crate::journal::reverse_entry(conn, ctx, e, None, false).await?;
            }
        }
        Ok(())
    }
}
