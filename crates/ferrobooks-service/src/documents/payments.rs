//! Payments on both sides of the books. Received from a customer into a
//! bank or undeposited-funds account and applied across invoices; or made
//! to a vendor from a bank, cash or credit-card account and applied across
//! bills. What is not applied stays as the contact's credit (a customer's
//! credit, an advance to the vendor), to apply later. Deleting a payment
//! reverses its postings and reopens its documents.

use ferrobooks_domain::Currency;
use ferrobooks_domain::document::Side;
use ferrobooks_store::payments::{self as store, AllocationRow, PaymentRow};
use ferrobooks_store::{new_id, now};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::model::DocKind;
use super::posting::{deposit_account, line, paid_from_account, post_lines, system_account};
use super::settle::{ApplicationInput, Credit};
use crate::amount::{Amount, DecimalText, Number};
use crate::grouped::writes;
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

/// One application of a payment or credit to a document. Its JSON names
/// the document by its kind: `invoice_id` on the sale side, `bill_id` on
/// the purchase side.
#[derive(Debug, Clone)]
pub struct AllocationView {
    pub side: Side,
    pub id: String,
    /// payment, credit_note or vendor_credit.
    pub source_type: String,
    pub source_id: String,
    pub document_id: String,
    pub date: String,
    pub amount: Amount,
    /// Entry of the realized FX gain/loss of a later application, if any.
    pub journal_entry_id: Option<String>,
}

impl Serialize for AllocationView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("AllocationView", 7)?;
        m.serialize_field("id", &self.id)?;
        m.serialize_field("source_type", &self.source_type)?;
        m.serialize_field("source_id", &self.source_id)?;
        let field = match self.side {
            Side::Sale => "invoice_id",
            Side::Purchase => "bill_id",
        };
        m.serialize_field(field, &self.document_id)?;
        m.serialize_field("date", &self.date)?;
        m.serialize_field("amount", &self.amount)?;
        m.serialize_field("journal_entry_id", &self.journal_entry_id)?;
        m.end()
    }
}

/// A payment, received or made. Its JSON names the contact and the
/// account as the side does: `customer_id` and `deposit_account_id` for
/// a payment received; `vendor_id` and `account_id` (paid from) for a
/// bill payment; `side` says which it is.
#[derive(Debug, Clone)]
pub struct PaymentView {
    pub side: Side,
    pub id: String,
    pub number: Option<String>,
    pub contact_id: String,
    pub date: String,
    pub currency: String,
    pub exchange_rate: Number,
    pub amount: Amount,
    /// Applied to invoices or bills.
    pub applied: Amount,
    /// The contact's credit left from this payment.
    pub unapplied: Amount,
    /// The amount in the base currency, as deposited or paid out.
    pub base_amount: Amount,
    /// Deposited to (received) or paid from (made).
    pub account_id: String,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub journal_entry_id: Option<String>,
    pub applications: Vec<AllocationView>,
    pub created_at: String,
    pub updated_at: String,
}

impl Serialize for PaymentView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let sale = self.side == Side::Sale;
        let mut m = s.serialize_struct("PaymentView", 18)?;
        m.serialize_field("id", &self.id)?;
        m.serialize_field("side", self.side.as_str())?;
        m.serialize_field("number", &self.number)?;
        m.serialize_field(
            if sale { "customer_id" } else { "vendor_id" },
            &self.contact_id,
        )?;
        m.serialize_field("date", &self.date)?;
        m.serialize_field("currency", &self.currency)?;
        m.serialize_field("exchange_rate", &self.exchange_rate)?;
        m.serialize_field("amount", &self.amount)?;
        m.serialize_field("applied", &self.applied)?;
        m.serialize_field("unapplied", &self.unapplied)?;
        m.serialize_field("base_amount", &self.base_amount)?;
        let account = if sale {
            "deposit_account_id"
        } else {
            "account_id"
        };
        m.serialize_field(account, &self.account_id)?;
        m.serialize_field("method", &self.method)?;
        m.serialize_field("reference", &self.reference)?;
        m.serialize_field("journal_entry_id", &self.journal_entry_id)?;
        m.serialize_field("applications", &self.applications)?;
        m.serialize_field("created_at", &self.created_at)?;
        m.serialize_field("updated_at", &self.updated_at)?;
        m.end()
    }
}

/// A payment received from a customer, or made to a vendor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    /// The customer, or the vendor.
    pub contact_id: String,
    /// Default: today.
    pub date: Option<String>,
    pub amount: DecimalText,
    /// Default: the contact's currency.
    pub currency: Option<String>,
    /// Base units per unit of `currency`; required for a foreign currency.
    pub exchange_rate: Option<DecimalText>,
    /// Received: a bank, cash or undeposited-funds account (default:
    /// undeposited funds). Made: a bank, cash or credit-card account
    /// (default: the current account).
    pub account_id: Option<String>,
    pub method: Option<String>,
    pub reference: Option<String>,
    /// How the payment settles documents; the rest stays as credit.
    #[serde(default)]
    pub applications: Vec<ApplicationInput>,
}

/// Applies a payment's unapplied credit (or a credit note's, a vendor
/// credit's) to invoices or bills.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyInput {
    /// Default: today.
    pub date: Option<String>,
    pub applications: Vec<ApplicationInput>,
}

fn view(p: &PaymentRow, allocations: &[AllocationRow], base: Currency) -> PaymentView {
    let cur = Currency::parse(&p.currency).unwrap_or(base);
    let side = Side::parse(&p.side).unwrap_or(Side::Sale);
    PaymentView {
        side,
        id: p.id.clone(),
        number: p.number.clone(),
        contact_id: p.contact_id.clone(),
        date: p.date.clone(),
        currency: p.currency.clone(),
        exchange_rate: Number::new(p.exchange_rate.parse().unwrap_or_default()),
        amount: Amount::new(p.amount, cur),
        applied: Amount::new(p.applied, cur),
        unapplied: Amount::new(p.amount - p.applied, cur),
        base_amount: Amount::new(p.base_amount, base),
        account_id: p.deposit_account_id.clone(),
        method: p.method.clone(),
        reference: p.reference.clone(),
        journal_entry_id: p.journal_entry_id.clone(),
        applications: allocations
            .iter()
            .map(|a| super::allocations::allocation_view(a, side, cur))
            .collect(),
        created_at: p.created_at.clone(),
        updated_at: p.updated_at.clone(),
    }
}

impl Services {
    /// Records a payment of `side`: received from a customer, or made to a
    /// vendor. Posts the account against the control account, one line per
    /// document applied and one for what stays unapplied (with the
    /// contact), and the realized FX of applications at another rate.
    pub async fn create_payment(
        &self,
        ctx: &AuthContext,
        side: Side,
        input: PaymentInput,
    ) -> ServiceResult<PaymentView> {
        let (s, c) = (self.clone(), ctx.clone());
        self.grouped(
            ctx,
            writes(move |conn| {
                let (s, c, input) = (s.clone(), c.clone(), input.clone());
                Box::pin(async move { s.create_payment_in(conn, &c, side, input).await })
            }),
        )
        .await
    }

    pub(crate) async fn create_payment_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        side: Side,
        input: PaymentInput,
    ) -> ServiceResult<PaymentView> {
        let base = ctx.currency()?;
        let party = DocKind::settled_on(side).party();
        let contact_field = DocKind::settled_on(side).contact_field();
        let contact = ferrobooks_store::contacts::lock_contact(
            &mut *conn,
            party,
            ctx.org_id(),
            &input.contact_id,
            false,
        )
        .await?
        .ok_or_else(|| {
            ServiceError::invalid(
                contact_field,
                format!("{} {} does not exist", party.noun(), input.contact_id),
            )
        })?;
        let code = input.currency.clone().unwrap_or(contact.currency.clone());
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
        let account = match side {
            Side::Sale => {
                deposit_account(conn, ctx, input.account_id.as_deref(), cur, "account_id").await?
            }
            Side::Purchase => {
                paid_from_account(conn, ctx, input.account_id.as_deref(), cur, "account_id").await?
            }
        };
        let series = match side {
            Side::Sale => "payment",
            Side::Purchase => "bill_payment",
        };
        let (number, _) = crate::numbering::assign(conn, ctx, series, date, "").await?;
        let at = now();
        let mut p = PaymentRow {
            id: new_id(match side {
                Side::Sale => "pay",
                Side::Purchase => "bpay",
            }),
            organization_id: ctx.org_id().to_owned(),
            number: Some(number.clone()),
            side: side.as_str().to_owned(),
            contact_id: contact.id.clone(),
            date: date.to_string(),
            currency: cur.code().to_owned(),
            exchange_rate: rate.to_string(),
            amount,
            applied: 0,
            base_amount: ferrobooks_domain::document::settlement::to_base(amount, cur, rate, base)?,
            base_applied: 0,
            deposit_account_id: account.id.clone(),
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
                    side,
                    source_type: "payment",
                    source_id: &p.id,
                    contact_id: &p.contact_id,
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
        let control = system_account(conn, ctx, side.control_account()).await?;
        // Money in is a debit of the account and a credit of the
        // receivable; money out the reverse of both.
        let money_in = side == Side::Sale;
        let mut lines =
            vec![account.line(ctx, p.base_amount, p.amount, money_in, Some(&number))?];
        lines.extend(applied.control_lines);
        let rest = p.base_amount - p.base_applied;
        if rest != 0 {
            lines.push(line(
                &control,
                rest,
                !money_in,
                Some(&p.contact_id),
                Some("Unapplied credit"),
            ));
        }
        lines.extend(applied.fx_lines);
        let memo = match side {
            Side::Sale => format!("Payment {number}"),
            Side::Purchase => format!("Bill payment {number}"),
        };
        p.journal_entry_id = post_lines(
            conn,
            ctx,
            &format!("payment {}", p.id),
            &p.date,
            memo,
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
        Ok(v)
    }

    pub async fn get_payment(
        &self,
        ctx: &AuthContext,
        side: Side,
        id: &str,
    ) -> ServiceResult<PaymentView> {
        let p = store::get_payment(self.store.pool(), ctx.org_id(), side.as_str(), id)
            .await?
            .ok_or(ServiceError::not_found("payment"))?;
        let a = store::allocations(self.store.pool(), ctx.org_id(), id, false).await?;
        Ok(view(&p, &a, ctx.currency()?))
    }

    pub async fn list_payments(
        &self,
        ctx: &AuthContext,
        side: Side,
        after: Option<&str>,
        contact_id: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<PaymentView>> {
        let base = ctx.currency()?;
        let rows = store::list_payments(
            self.store.pool(),
            ctx.org_id(),
            side.as_str(),
            after.unwrap_or(""),
            contact_id.unwrap_or(""),
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

    /// Applies a payment's unapplied credit to invoices or bills.
    pub async fn apply_payment(
        &self,
        ctx: &AuthContext,
        side: Side,
        id: &str,
        input: ApplyInput,
    ) -> ServiceResult<PaymentView> {
        let base = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut p = store::lock_payment(&mut *conn, ctx.org_id(), side.as_str(), id)
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
                    side,
                    source_type: "payment",
                    source_id: &p.id,
                    contact_id: &p.contact_id,
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
    /// date if later) and every later FX entry, and reopens its documents.
    pub async fn delete_payment(
        &self,
        ctx: &AuthContext,
        side: Side,
        id: &str,
    ) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        self.delete_payment_in(&mut wtx.tx, ctx, side, id, false)
            .await?;
        wtx.commit().await?;
        Ok(())
    }

    /// Deletes a payment in the caller's transaction. Its entries are
    /// reversed today (or on the payment's date if later), or with
    /// `own_dates` each on its own date (an import taken back: every
    /// balance on every day as before it).
    pub(crate) async fn delete_payment_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        side: Side,
        id: &str,
        own_dates: bool,
    ) -> ServiceResult<()> {
        let base = ctx.currency()?;
        let p = store::lock_payment(&mut *conn, ctx.org_id(), side.as_str(), id)
            .await?
            .ok_or(ServiceError::not_found("payment"))?;
        crate::banking::deposits::refuse_if_deposited(conn, ctx, id).await?;
        let allocations = store::allocations(&mut *conn, ctx.org_id(), id, false).await?;
        // Documents reopen first (rows before postings), then every entry
        // the payment posted and has not reversed yet is reversed once: its
        // own, FX of later applications, and any taking-back of those.
        self.unapply(conn, ctx, side, &allocations, false).await?;
        let source = format!("payment {id}");
        for e in
            ferrobooks_store::journal::live_entries_of_source(&mut *conn, ctx.org_id(), &source)
                .await?
        {
            let on = match own_dates {
                true => ferrobooks_store::journal::get_entry(&mut *conn, ctx.org_id(), &e)
                    .await?
                    .map(|x| x.date),
                false => None,
            };
            crate::journal::reverse_entry(conn, ctx, &e, on.as_deref(), false).await?;
        }
        let at = now();
        store::delete_allocations_of_source(conn, ctx.org_id(), id, &at).await?;
        store::delete_payment(conn, ctx.org_id(), id, &at).await?;
        let v = view(&p, &allocations, base);
        self.emit(conn, ctx, "payment.deleted", &v).await?;
        Ok(())
    }
}
