//! Writing off what a customer will not pay (DOMAIN.md section 1: Dr bad
//! debts / Cr AR).
//!
//! A write-off settles everything still open on an invoice, as an
//! allocation of source `write_off` whose entry posts the base amount open
//! (at the invoice's own rate, so no exchange difference). In the UK a debt
//! written off at least six months after its due date carries bad-debt
//! relief: the VAT on the unpaid part (its share of the invoice's VAT
//! lines) is reclaimed, posted to VAT on purchases instead of bad debts,
//! and the VAT return counts it in box 4. Undoing the write-off reverses
//! its entry (the relief with it) and reopens the invoice.

use std::collections::HashSet;

use serde::Deserialize;

use ferrobooks_domain::cash_basis::deferred_share;
use ferrobooks_domain::document::{Action, Side};
use ferrobooks_domain::vat_return::relief_due;
use ferrobooks_store::payments::AllocationRow;
use ferrobooks_store::{new_id, now};

use super::lifecycle::{allow, refresh_status};
use super::model::{DocKind, DocumentView, LineTax};
use super::posting::{line, post_lines, system_account};
use super::settle::action_date;
use crate::{AuthContext, ServiceError, ServiceResult, Services, parse_date};

/// The source type of a write-off's allocation.
pub(crate) const WRITE_OFF: &str = "write_off";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WriteOffInput {
    /// Default: today (never before the invoice's date).
    pub date: Option<String>,
    /// Why, kept in the entry's memo.
    pub reason: Option<String>,
}

impl Services {
    /// Writes off what is open on an invoice as a bad debt.
    pub async fn write_off_invoice(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: WriteOffInput,
    ) -> ServiceResult<DocumentView> {
        let kind = DocKind::Invoice;
        let reason = match input.reason.as_deref().map(str::trim) {
            Some(r) if r.chars().count() > 500 => {
                return Err(ServiceError::invalid("reason", "at most 500 characters"));
            }
            r => r.filter(|r| !r.is_empty()).map(str::to_owned),
        };
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut inv, lines) = self.lock(conn, ctx, kind, id).await?;
        allow(kind, &inv, Action::Settle)?;
        let open = inv.balance();
        if open <= 0 {
            return Err(ServiceError::wrong_status(
                inv.status.clone(),
                format!("invoice {id} has nothing open to write off"),
            ));
        }
        let date = action_date(input.date.as_deref(), &inv.date, "invoice")?;
        let base_open = inv.base_total - inv.base_settled;
        let entry_id = inv
            .journal_entry_id
            .clone()
            .ok_or_else(|| ServiceError::internal("an approved invoice without an entry"))?;
        let control = system_account(conn, ctx, Side::Sale.control_account()).await?;
        let due = parse_date("due_date", inv.due_date.as_deref().unwrap_or(&inv.date))?;
        let relief = if ctx.org.country == "GB" && relief_due(due, parse_date("date", &date)?) {
            let mut vat_accounts = HashSet::new();
            for l in &lines {
                let taxes: Vec<LineTax> = serde_json::from_str(&l.taxes)
                    .map_err(|_| ServiceError::internal("invoice line taxes corrupt"))?;
                vat_accounts.extend(taxes.into_iter().map(|t| t.account_id));
            }
            let entry =
                ferrobooks_store::journal::lines_of(&mut *conn, ctx.org_id(), &[&entry_id]).await?;
            let (on_control, rest): (Vec<_>, Vec<_>) =
                entry.iter().partition(|l| l.account_id == control);
            let net: i64 = on_control.iter().map(|l| l.debit - l.credit).sum();
            let nets: Vec<i64> = rest.iter().map(|l| l.debit - l.credit).collect();
            let (_, shares) = deferred_share(net, &nets, base_open);
            -rest
                .iter()
                .zip(shares)
                .filter(|(l, _)| vat_accounts.contains(&l.account_id))
                .map(|(_, s)| s)
                .sum::<i64>()
        } else {
            0
        };
        let label = inv.number.clone().unwrap_or_else(|| inv.id.clone());
        let bad_debts = system_account(conn, ctx, "bad_debts").await?;
        let mut entry = vec![
            line(&bad_debts, base_open - relief, true, None, Some(&label)),
            line(
                &control,
                base_open,
                false,
                Some(&inv.contact_id),
                Some(&label),
            ),
        ];
        if relief != 0 {
            let vat = system_account(conn, ctx, "vat_on_purchases").await?;
            entry.push(line(&vat, relief, true, None, Some("Bad-debt relief")));
        }
        let memo = match &reason {
            Some(r) => format!("Bad debt written off: invoice {label} ({r})"),
            None => format!("Bad debt written off: invoice {label}"),
        };
        let posted = post_lines(
            conn,
            ctx,
            &format!("{WRITE_OFF} {id}"),
            &date,
            memo,
            inv.number.clone(),
            entry,
        )
        .await?
        .ok_or_else(|| ServiceError::internal("a write-off posted nothing"))?;
        let at = now();
        ferrobooks_store::payments::insert_allocations(
            conn,
            &[AllocationRow {
                id: new_id("alloc"),
                organization_id: ctx.org_id().to_owned(),
                source_type: WRITE_OFF.into(),
                // The entry stands for the source: no payment or credit
                // lies behind a write-off.
                source_id: posted.clone(),
                document_id: inv.id.clone(),
                contact_id: inv.contact_id.clone(),
                date: date.clone(),
                amount: open,
                base_released: base_open,
                base_settled: base_open,
                journal_entry_id: Some(posted),
                created_at: at.clone(),
            }],
        )
        .await?;
        inv.credited += open;
        inv.base_settled += base_open;
        inv.updated_at = at;
        refresh_status(kind, &mut inv);
        self.finish_document(wtx, ctx, kind, &inv, &lines, &["updated"])
            .await
    }

    /// Undoes an invoice's write-off: its entry is reversed (today, or its
    /// own date if later) and the invoice is open again.
    pub async fn undo_write_off(&self, ctx: &AuthContext, id: &str) -> ServiceResult<DocumentView> {
        let kind = DocKind::Invoice;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (_, lines) = self.lock(conn, ctx, kind, id).await?;
        let found = ferrobooks_store::payments::allocations(&mut *conn, ctx.org_id(), id, true)
            .await?
            .into_iter()
            .find(|a| a.source_type == WRITE_OFF)
            .ok_or(ServiceError::not_found("write-off"))?;
        self.unapply(conn, ctx, Side::Sale, std::slice::from_ref(&found), true)
            .await?;
        ferrobooks_store::payments::delete_allocation(conn, ctx.org_id(), &found.id, &now())
            .await?;
        let (inv, _) = self.lock(conn, ctx, kind, id).await?;
        self.finish_document(wtx, ctx, kind, &inv, &lines, &[])
            .await
    }
}
