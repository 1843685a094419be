//! Customer payments: received into a bank or undeposited-funds account,
//! applied across invoices; what is not applied stays as the customer's
//! credit, to apply later. Deleting a payment reverses its postings and
//! reopens its invoices.

use ferrobooks_domain::Currency;
use ferrobooks_store::payments::{self as store, AllocationRow, PaymentRow};
use ferrobooks_store::{new_id, now};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::posting::{deposit_account, line, post_lines, system_account};
use super::settle::{ApplicationInput, Credit};
use crate::amount::{Amount, DecimalText, Number};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

#[derive(Debug, Clone, Serialize)]
pub struct AllocationView {
    pub id: String,
    /// payment or credit_note.
    pub source_type: String,
    pub source_id: String,
    pub invoice_id: String,
    pub date: String,
    pub amount: Amount,
    /// Entry of the realized FX gain/loss of a later application, if any.
    pub journal_entry_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentView {
    pub id: String,
    pub number: Option<String>,
    pub customer_id: String,
    pub date: String,
    pub currency: String,
    pub exchange_rate: Number,
    pub amount: Amount,
    /// Applied to invoices.
    pub applied: Amount,
    /// The customer's credit left from this payment.
    pub unapplied: Amount,
    /// The amount in the base currency, as deposited.
    pub base_amount: Amount,
    pub deposit_account_id: String,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub journal_entry_id: Option<String>,
    pub applications: Vec<AllocationView>,
    pub created_at: String,
    pub updated_at: String,
}

/// A payment received from a customer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    pub customer_id: String,
    /// Default: today.
    pub date: Option<String>,
    pub amount: DecimalText,
    /// Default: the customer's currency.
    pub currency: Option<String>,
    /// Base units per unit of `currency`; required for a foreign currency.
    pub exchange_rate: Option<DecimalText>,
    /// A bank, cash or undeposited-funds account. Default: undeposited
    /// funds.
    pub deposit_account_id: Option<String>,
    pub method: Option<String>,
    pub reference: Option<String>,
    /// How the payment settles invoices; the rest stays as credit.
    #[serde(default)]
    pub applications: Vec<ApplicationInput>,
}

/// Applies a payment's unapplied credit (or a credit note) to invoices.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyInput {
    /// Default: today.
    pub date: Option<String>,
    pub applications: Vec<ApplicationInput>,
}

fn view(p: &PaymentRow, allocations: &[AllocationRow], base: Currency) -> PaymentView {
    let cur = Currency::parse(&p.currency).unwrap_or(base);
    PaymentView {
        id: p.id.clone(),
        number: p.number.clone(),
        customer_id: p.customer_id.clone(),
        date: p.date.clone(),
        currency: p.currency.clone(),
        exchange_rate: Number::new(p.exchange_rate.parse().unwrap_or_default()),
        amount: Amount::new(p.amount, cur),
        applied: Amount::new(p.applied, cur),
        unapplied: Amount::new(p.amount - p.applied, cur),
        base_amount: Amount::new(p.base_amount, base),
        deposit_account_id: p.deposit_account_id.clone(),
        method: p.method.clone(),
        reference: p.reference.clone(),
        journal_entry_id: p.journal_entry_id.clone(),
        applications: allocations
            .iter()
            .map(|a| super::allocations::allocation_view(a, cur))
            .collect(),
        created_at: p.created_at.clone(),
        updated_at: p.updated_at.clone(),
    }
}

impl Services {
    pub async fn create_payment(
        &self,
        ctx: &AuthContext,
        input: PaymentInput,
    ) -> ServiceResult<PaymentView> {
        let base = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let customer = ferrobooks_store::contacts::lock_contact(
            &mut *conn,
            ferrobooks_store::contacts::Party::Customer,
            ctx.org_id(),
            &input.customer_id,
            false,
        )
        .await?
        .ok_or_else(|| {
            ServiceError::invalid(
                "customer_id",
                format!("customer {} does not exist", input.customer_id),
            )
        })?;
        let code = input.currency.clone().unwrap_or(customer.currency.clone());
        let (cur, rate) = super::model::currency_and_rate(
            ctx,
            &code,
            input.exchange_rate.as_ref(),
            None,
            "payment",
        )?;
        let amount = input.amount.minor(cur, "amount")?;
        if amount <= 0 {
            return Err(ServiceError::invalid("amount", "must be greater than zero"));
        }
        let date = match &input.date {
            Some(d) => parse_date("date", d)?,
            None => crate::today(),
        };
        let deposit = deposit_account(
            conn,
            ctx,
            input.deposit_account_id.as_deref(),
            "deposit_account_id",
        )
        .await?;
        let (number, _) = crate::numbering::assign(conn, ctx, "payment", date, "").await?;
        let at = now();
        let mut p = PaymentRow {
            id: new_id("pay"),
            organization_id: ctx.org_id().to_owned(),
            number: Some(number.clone()),
            customer_id: customer.id.clone(),
            date: date.to_string(),
            currency: cur.code().to_owned(),
            exchange_rate: rate.to_string(),
            amount,
            applied: 0,
            base_amount: ferrobooks_domain::document::settlement::to_base(amount, cur, rate, base)?,
            base_applied: 0,
            deposit_account_id: deposit.clone(),
            method: opt_text("method", input.method, 50)?,
            reference: opt_text("reference", input.reference, 200)?,
            journal_entry_id: None,
            created_at: at.clone(),
            updated_at: at,
        };
        let applied = self
            .apply_credit(
                conn,
                ctx,
                &Credit {
                    source_type: "payment",
                    source_id: &p.id,
                    customer_id: &p.customer_id,
                    currency: cur,
                    rate,
                    remaining: p.amount,
                    base_remaining: p.base_amount,
                },
                &input.applications,
                &p.date,
            )
            .await?;
        p.applied = applied.amount;
        p.base_applied = applied.base_released;
        let ar = system_account(conn, ctx, "accounts_receivable").await?;
        let mut lines = vec![line(&deposit, p.base_amount, true, None, Some(&number))];
        lines.extend(applied.ar_lines);
        let rest = p.base_amount - p.base_applied;
        if rest != 0 {
            lines.push(line(
                &ar,
                rest,
                false,
                Some(&p.customer_id),
                Some("Unapplied credit"),
            ));
        }
        lines.extend(applied.fx_lines);
        p.journal_entry_id = post_lines(
            conn,
            ctx,
            &format!("payment {}", p.id),
            &p.date,
            format!("Payment {number}"),
            Some(number.clone()),
            lines,
        )
        .await?;
        store::save_payment(conn, &p).await?;
        store::insert_allocations(conn, &applied.allocations).await?;
        let v = view(&p, &applied.allocations, base);
        self.emit(conn, ctx, "payment.created", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_payment(&self, ctx: &AuthContext, id: &str) -> ServiceResult<PaymentView> {
        let p = store::get_payment(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("payment"))?;
        let a = store::allocations(self.store.pool(), ctx.org_id(), id, false).await?;
        Ok(view(&p, &a, ctx.currency()?))
    }

    pub async fn list_payments(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        customer_id: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<PaymentView>> {
        let base = ctx.currency()?;
        let rows = store::list_payments(
            self.store.pool(),
            ctx.org_id(),
            after.unwrap_or(""),
            customer_id.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.id);
        let ids: Vec<&str> = page.items.iter().map(|p| p.id.as_str()).collect();
        let mut by_source: std::collections::HashMap<String, Vec<AllocationRow>> =
            Default::default();
        for a in store::allocations_of_sources(self.store.pool(), ctx.org_id(), &ids).await? {
            by_source.entry(a.source_id.clone()).or_default().push(a);
        }
        let items = page
            .items
            .iter()
            .map(|p| view(p, by_source.get(&p.id).map_or(&[][..], |v| v), base))
            .collect();
        Ok(Page {
            items,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Applies a payment's unapplied credit to invoices.
    pub async fn apply_payment(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: ApplyInput,
    ) -> ServiceResult<PaymentView> {
        let base = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut p = store::lock_payment(&mut *conn, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("payment"))?;
        let date = super::settle::action_date(input.date.as_deref(), &p.date, "payment")?;
        let cur = Currency::parse(&p.currency)
            .map_err(|_| ServiceError::internal("payment currency is corrupt"))?;
        let applied = self
            .apply_later(
                conn,
                ctx,
                &Credit {
                    source_type: "payment",
                    source_id: &p.id,
                    customer_id: &p.customer_id,
                    currency: cur,
                    rate: p.exchange_rate.parse().unwrap_or(Decimal::ONE),
                    remaining: p.amount - p.applied,
                    base_remaining: p.base_amount - p.base_applied,
                },
                &input.applications,
                &date,
                p.number.clone(),
            )
            .await?;
        p.applied += applied.amount;
        p.base_applied += applied.base_released;
        p.updated_at = now();
        store::save_payment(conn, &p).await?;
        let all = store::allocations(&mut *conn, ctx.org_id(), id, false).await?;
        let v = view(&p, &all, base);
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Deletes a payment: reverses its entry (dated today, or the payment's
    /// date if later) and every later FX entry, and reopens its invoices.
    pub async fn delete_payment(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let base = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let p = store::lock_payment(&mut *conn, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("payment"))?;
        let allocations = store::allocations(&mut *conn, ctx.org_id(), id, false).await?;
        // Invoices reopen first (rows before postings), then every entry
        // the payment posted and has not reversed yet is reversed once: its
        // own, FX of later applications, and any taking-back of those.
        self.unapply(conn, ctx, &allocations, false).await?;
        let source = format!("payment {id}");
        for e in
            ferrobooks_store::journal::live_entries_of_source(&mut *conn, ctx.org_id(), &source)
                .await?
        {
            crate::journal::reverse_entry(conn, ctx, &e, None, false).await?;
        }
        let at = now();
        store::delete_allocations_of_source(conn, ctx.org_id(), id, &at).await?;
        store::delete_payment(conn, ctx.org_id(), id, &at).await?;
        let v = view(&p, &allocations, base);
        self.emit(conn, ctx, "payment.deleted", &v).await?;
        wtx.commit().await?;
        Ok(())
    }
}
