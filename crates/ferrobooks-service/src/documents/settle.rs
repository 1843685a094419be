//! Settling documents from a contact's credit, on either side of the
//! books: invoices from a customer's payment or credit note, bills from a
//! payment to the vendor or a vendor credit.
//!
//! Each allocation takes an amount (document currency) off the document's
//! balance and off the source's available credit. In the base currency
//! the source releases the amount at its own rate and the document is
//! settled at its own rate; when an allocation takes everything left, it
//! takes the exact base remainder, so a settled document leaves nothing
//! behind in the control account (AR, AP). The difference is the realized
//! FX gain or loss (`settlement::Allocation::fx_lines`).

use crate::Code;
use std::collections::BTreeSet;

use ferrobooks_domain::{Currency, EntryLine, Minor};
use ferrobooks_store::payments::AllocationRow;
use ferrobooks_store::{Conn, new_id, now};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::lifecycle::refresh_status;
use ferrobooks_domain::document::settlement::{Open, allocate};
use ferrobooks_domain::document::{Side, Status};

use super::model::{DocKind, dec, view};
use super::posting::{line, system_account};
use crate::amount::DecimalText;
use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// Part of a credit applied to one document (an invoice, a bill).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub document_id: String,
    /// In the currency of the payment or credit (and the document).
    pub amount: DecimalText,
}

/// The credit being applied.
pub(crate) struct Credit<'a> {
    /// Whose credit: a customer's (settling invoices) or a vendor's
    /// (settling bills).
    pub side: Side,
    /// payment, credit_note or vendor_credit.
    pub source_type: &'static str,
    pub source_id: &'a str,
    pub contact_id: &'a str,
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
    /// The control account per document (the base amount released from
    /// the credit): Cr AR for invoices, Dr AP for bills.
    pub control_lines: Vec<EntryLine>,
    /// Realized FX gain/loss lines (control against FX), when rates differ.
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
    /// Applies what is left of a credit to documents after it was made: the
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
                format!(
                    "name at least one {}",
                    DocKind::settled_on(credit.side).noun()
                ),
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

    /// Applies `apps` from `credit` to open documents of the same contact
    /// and currency (invoices of the customer, bills of the vendor),
    /// updating each document (locked) and emitting `invoice.paid` or
    /// `bill.paid` for those it settles.
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
        let kind = DocKind::settled_on(credit.side);
        let noun = kind.noun();
        let id_field = kind.id_field();
        let mut out = Applied {
            allocations: vec![],
            control_lines: vec![],
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
            if !seen.insert(a.document_id.clone()) {
                return Err(ServiceError::invalid(
                    format!("applications[{i}].{id_field}"),
                    format!("{noun} {} is named twice", a.document_id),
                ));
            }
            out.amount += amount;
            parsed.push((i, a.document_id.clone(), amount));
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
        // Lock documents in id order, so concurrent settlements never
        // deadlock.
        parsed.sort_by(|a, b| a.1.cmp(&b.1));
        let control = system_account(conn, ctx, credit.side.control_account()).await?;
        let fx = system_account(conn, ctx, "fx_variance").await?;
        let contact_noun = kind.party().noun();
        let (mut left, mut base_left) = (credit.remaining, credit.base_remaining);
        let at = now();
        for (i, doc_id, amount) in parsed {
            let field = format!("applications[{i}].{id_field}");
            let Some((mut inv, lines)) = self
                .lock(conn, ctx, kind, &doc_id)
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
                    format!("{noun} {doc_id} does not exist"),
                ));
            };
            if inv.contact_id != credit.contact_id {
                return Err(ServiceError::invalid(
                    field,
                    format!("{noun} {doc_id} belongs to another {contact_noun}"),
                ));
            }
            if inv.currency != cur.code() {
                return Err(ServiceError::invalid(
                    field,
                    format!(
                        "{noun} {doc_id} is in {}; this credit is in {}",
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
                        "{noun} {doc_id} is {}; only approved {noun}s take payments",
                        inv.status
                    ),
                ));
            }
            if amount > inv.balance() {
                return Err(ServiceError::invalid(
                    format!("applications[{i}].amount"),
                    format!(
                        "{} is more than the {} still owed on {noun} {}",
                        cur.format(amount),
                        cur.format(inv.balance()),
                        inv.number.as_deref().unwrap_or(&doc_id)
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
            out.control_lines.push(line(
                &control,
                released,
                !credit.side.control_debit(),
                Some(credit.contact_id),
                Some(&label),
            ));
            out.fx_lines.extend(alloc.fx_lines(
                credit.side,
                &control,
                &fx,
                Some(credit.contact_id),
                &label,
            ));
            if credit.source_type == "payment" {
                inv.paid += amount;
            } else {
                inv.credited += amount;
            }
            inv.base_settled += settled;
            inv.updated_at = at.clone();
            refresh_status(kind, &mut inv);
            ferrobooks_store::documents::save_doc(conn, &inv).await?;
            let v = view(&inv, &lines, base);
            self.emit(conn, ctx, kind.event("updated"), &v).await?;
            if inv.balance() == 0 {
                self.emit(conn, ctx, kind.event("paid"), &v).await?;
            }
            out.allocations.push(AllocationRow {
                id: new_id("alloc"),
                organization_id: ctx.org_id().to_owned(),
                source_type: credit.source_type.to_owned(),
                source_id: credit.source_id.to_owned(),
                document_id: doc_id,
                contact_id: credit.contact_id.to_owned(),
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

    /// Takes allocations of `side` back off their documents (a deleted
    /// payment), reopening them, then (with `reverse_entries`) reverses the
    /// allocations' own FX entries. Documents are locked (in id order)
    /// before anything posts, as everywhere: rows first, then the
    /// journal's number counter.
    pub(crate) async fn unapply(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        side: Side,
        allocations: &[AllocationRow],
        reverse_entries: bool,
    ) -> ServiceResult<()> {
        let base = ctx.currency()?;
        let kind = DocKind::settled_on(side);
        let mut sorted: Vec<&AllocationRow> = allocations.iter().collect();
        sorted.sort_by(|a, b| a.document_id.cmp(&b.document_id));
        let at = now();
        for a in &sorted {
            let (mut inv, lines) = self.lock(conn, ctx, kind, &a.document_id).await?;
            if a.source_type == "payment" {
                inv.paid -= a.amount;
            } else {
                inv.credited -= a.amount;
            }
            inv.base_settled -= a.base_settled;
            inv.updated_at = at.clone();
            refresh_status(kind, &mut inv);
            ferrobooks_store::documents::save_doc(conn, &inv).await?;
            let v = view(&inv, &lines, base);
            self.emit(conn, ctx, kind.event("updated"), &v).await?;
        }
        for a in sorted.iter().filter(|_| reverse_entries) {
            if let Some(e) = &a.journal_entry_id {
                crate::journal::reverse_entry(conn, ctx, e, None, false).await?;
            }
        }
        Ok(())
    }
}
