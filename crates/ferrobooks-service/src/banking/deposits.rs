//! Deposits: payments received into undeposited funds taken to the bank
//! together, as one line on the statement (Dr bank / Cr undeposited
//! funds, ../shared/DOMAIN.md section 1).
//!
//! A payment is in one live deposit at most; depositing it again is
//! refused naming the deposit, and so is deleting a deposited payment
//! (void the deposit first). A deposit into an account kept in another
//! currency takes payments in that currency and keeps their amount in it.

use ferrobooks_domain::Currency;
use ferrobooks_store::deposits::{self as store, DepositRow};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use super::transactions::bank_account_currency;
use crate::amount::Amount;
use crate::documents::posting::{line, post_lines, system_account};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

#[derive(Debug, Clone, Serialize)]
pub struct DepositView {
    pub id: String,
    pub date: String,
    /// The bank account the money went into.
    pub account_id: String,
    /// In the account's currency.
    pub amount: Amount,
    pub currency: String,
    pub payment_ids: Vec<String>,
    pub memo: Option<String>,
    /// posted or void.
    pub status: String,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDeposit {
    /// Default today.
    pub date: Option<String>,
    pub account_id: String,
    pub payment_ids: Vec<String>,
    pub memo: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoidDeposit {
    pub date: Option<String>,
}

fn view(r: DepositRow, payments: Vec<String>, cur: Currency) -> DepositView {
    DepositView {
        id: r.id,
        date: r.date,
        account_id: r.account_id,
        amount: Amount::new(r.amount, cur),
        currency: cur.code().to_owned(),
        payment_ids: payments,
        memo: r.memo,
        status: r.status,
        journal_entry_id: r.journal_entry_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// Refuses deleting a payment a live deposit took.
pub(crate) async fn refuse_if_deposited(
    conn: &mut ferrobooks_store::Conn,
    ctx: &AuthContext,
    payment_id: &str,
) -> ServiceResult<()> {
    match store::deposit_of_payment(&mut *conn, ctx.org_id(), payment_id).await? {
        Some(d) => Err(ServiceError::wrong_status(
            "deposited",
            format!("payment {payment_id} is in deposit {d}; void the deposit first"),
        )),
        None => Ok(()),
    }
}

impl Services {
    pub async fn create_deposit(
        &self,
        ctx: &AuthContext,
        input: NewDeposit,
    ) -> ServiceResult<DepositView> {
        let base = ctx.currency()?;
        let date = match &input.date {
            Some(d) => parse_date("date", d)?,
            None => crate::today(),
        }
        .to_string();
        if input.payment_ids.is_empty() {
            return Err(ServiceError::invalid(
                "payment_ids",
                "name at least one payment",
            ));
        }
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let cur = bank_account_currency(conn, ctx, &input.account_id, "account_id").await?;
        let undeposited = system_account(conn, ctx, "undeposited_funds").await?;
        if input.account_id == undeposited {
            return Err(ServiceError::invalid(
                "account_id",
                "is undeposited funds itself; name the bank account the money went into",
            ));
        }
        let (mut amount, mut base_amount) = (0i64, 0i64);
        for (i, pid) in input.payment_ids.iter().enumerate() {
            let field = format!("payment_ids[{i}]");
            if input.payment_ids[..i].contains(pid) {
                return Err(ServiceError::invalid(
                    field,
                    format!("{pid} is named twice"),
                ));
            }
            let p = ferrobooks_store::payments::lock_payment(&mut *conn, ctx.org_id(), "sale", pid)
                .await?
                .ok_or_else(|| {
                    ServiceError::invalid(&field, format!("no payment received {pid} exists"))
                })?;
            if p.deposit_account_id != undeposited {
                return Err(ServiceError::invalid(
                    &field,
                    format!(
                        "payment {pid} went into {}, not undeposited funds",
                        p.deposit_account_id
                    ),
                ));
            }
            if let Some(d) = store::deposit_of_payment(&mut *conn, ctx.org_id(), pid).await? {
                return Err(ServiceError::wrong_status(
                    "deposited",
                    format!("{field}: payment {pid} is already in deposit {d}"),
                )
                .with_field(field, format!("already in deposit {d}")));
            }
            if cur != base && p.currency != cur.code() {
                return Err(ServiceError::invalid(
                    &field,
                    format!(
                        "payment {pid} is in {}; account {} takes {}",
                        p.currency,
                        input.account_id,
                        cur.code()
                    ),
                ));
            }
            amount += p.amount;
            base_amount += p.base_amount;
        }
        let at = now();
        let id = new_id("dep");
        let label = format!("Deposit {id}");
        let mut bank = line(&input.account_id, base_amount, true, None, Some(&label));
        if cur != base {
            bank = bank.in_currency(cur.code(), amount);
        } else {
            amount = base_amount;
        }
        let memo = opt_text("memo", input.memo, 1000)?;
        let entry = post_lines(
            conn,
            ctx,
            &format!("deposit {id}"),
            &date,
            memo.clone().unwrap_or_else(|| label.clone()),
            None,
            vec![
                bank,
                line(&undeposited, base_amount, false, None, Some(&label)),
            ],
        )
        .await?;
        let row = DepositRow {
            id,
            organization_id: ctx.org_id().to_owned(),
            date,
            account_id: input.account_id,
            amount,
            base_amount,
            memo,
            status: "posted".into(),
            journal_entry_id: entry,
            created_at: at.clone(),
            updated_at: at,
        };
        store::save_deposit(conn, &row).await?;
        let ids: Vec<&str> = input.payment_ids.iter().map(String::as_str).collect();
        store::insert_items(conn, ctx.org_id(), &row.id, &ids).await?;
        let v = view(row, input.payment_ids.clone(), cur);
        self.emit(conn, ctx, "deposit.created", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_deposit(&self, ctx: &AuthContext, id: &str) -> ServiceResult<DepositView> {
        let mut conn = self.store.read_conn().await?;
        let row = store::get_deposit(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("deposit"))?;
        let cur = bank_account_currency(&mut conn, ctx, &row.account_id, "id").await?;
        let payments = store::payments_of(&mut *conn, ctx.org_id(), id).await?;
        Ok(view(row, payments, cur))
    }

    pub async fn list_deposits(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<DepositView>> {
        let mut conn = self.store.read_conn().await?;
        let rows =
            store::list_deposits(&mut *conn, ctx.org_id(), after.unwrap_or(""), limit + 1).await?;
        let page = paginate(rows, limit, |r| &r.id);
        let mut items = Vec::with_capacity(page.items.len());
        for r in page.items {
            let cur = bank_account_currency(&mut conn, ctx, &r.account_id, "id").await?;
            let payments = store::payments_of(&mut *conn, ctx.org_id(), &r.id).await?;
            items.push(view(r, payments, cur));
        }
        Ok(Page {
            items,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Voids a deposit: its mirror posts and its payments are undeposited
    /// again.
    pub async fn void_deposit(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: VoidDeposit,
    ) -> ServiceResult<DepositView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut row = store::get_deposit(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("deposit"))?;
        if row.status == "void" {
            return Err(ServiceError::wrong_status(
                "void",
                format!("deposit {id} is already void"),
            ));
        }
        if let Some(je) = &row.journal_entry_id {
            crate::journal::reverse_entry(conn, ctx, je, input.date.as_deref(), false).await?;
        }
        let payments = store::payments_of(&mut *conn, ctx.org_id(), id).await?;
        store::delete_items(conn, ctx.org_id(), id).await?;
        row.status = "void".into();
        row.updated_at = now();
        store::save_deposit(conn, &row).await?;
        let cur = bank_account_currency(conn, ctx, &row.account_id, "id").await?;
        let v = view(row, payments, cur);
        self.emit(conn, ctx, "deposit.voided", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }
}
