//! Transfers between bank, cash and card accounts: Dr the destination /
//! Cr the source (../shared/DOMAIN.md section 1).
//!
//! Each side moves in its own account's currency (`amount` leaves,
//! `to_amount` arrives). In base, money leaving an account kept in another
//! currency leaves at the value that account carries it at (its share of
//! the account's base balance on the date, [`fx::carried_value`]); money
//! arriving in a base-currency account arrives at what it is; the
//! difference is realized FX. Money arriving in a foreign account from
//! another carries the base value it left with, so a transfer between two
//! foreign accounts or from a base one posts no FX (a revaluation does).

use ferrobooks_domain::document::settlement::to_base;
use ferrobooks_domain::{Currency, EntryLine, fx};
use ferrobooks_store::banking::{self as store, TransferRow};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use super::transactions::bank_account_currency;
use crate::amount::{Amount, DecimalText};
use crate::documents::model::parse_rate;
use crate::documents::posting::{line, post_lines, system_account};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

/// A transfer.
#[derive(Debug, Clone, Serialize)]
pub struct TransferView {
    pub id: String,
    pub date: String,
    pub from_account_id: String,
    pub to_account_id: String,
    /// What left the source, in its currency.
    pub amount: Amount,
    pub currency: String,
    /// What arrived, in the destination's currency.
    pub to_amount: Amount,
    pub to_currency: String,
    /// Base per unit of the source's currency, when one was given.
    pub exchange_rate: Option<String>,
    pub memo: Option<String>,
    pub reference: Option<String>,
    /// posted or void.
    pub status: String,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A new transfer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTransfer {
    /// Default today.
    pub date: Option<String>,
    pub from_account_id: String,
    pub to_account_id: String,
    /// In the source account's currency; greater than zero.
    pub amount: DecimalText,
    /// In the destination's currency; required when it differs from the
    /// source's, and equal to `amount` otherwise.
    pub to_amount: Option<DecimalText>,
    /// Base per unit of the source's currency: needed only when a foreign
    /// source's balance on the date does not hold the amount (nothing
    /// carried to value it by).
    pub exchange_rate: Option<DecimalText>,
    pub memo: Option<String>,
    pub reference: Option<String>,
}

/// Options of a void: the reversal's date, today when absent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoidTransfer {
    pub date: Option<String>,
}

fn view(r: TransferRow, from: Currency, to: Currency) -> TransferView {
    TransferView {
        id: r.id,
        date: r.date,
        from_account_id: r.from_account_id,
        to_account_id: r.to_account_id,
        amount: Amount::new(r.amount, from),
        currency: from.code().to_owned(),
        to_amount: Amount::new(r.to_amount, to),
        to_currency: to.code().to_owned(),
        exchange_rate: r.exchange_rate,
        memo: r.memo,
        reference: r.reference,
        status: r.status,
        journal_entry_id: r.journal_entry_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// A money line on a bank account: with its own-currency amount when the
/// account is not in base.
fn money_line(
    account: &str,
    cur: Currency,
    base: Currency,
    base_amount: i64,
    own: i64,
    debit: bool,
    label: &str,
) -> EntryLine {
    let l = line(account, base_amount, debit, None, Some(label));
    if cur == base {
        l
    } else {
        l.in_currency(cur.code(), own)
    }
}

impl Services {
    pub async fn create_transfer(
        &self,
        ctx: &AuthContext,
        input: NewTransfer,
    ) -> ServiceResult<TransferView> {
        let mut wtx = self.store.begin_write().await?;
        let v = self.create_transfer_in(&mut wtx.tx, ctx, input).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Records a transfer in the caller's transaction.
    pub(crate) async fn create_transfer_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        input: NewTransfer,
    ) -> ServiceResult<TransferView> {
        let base = ctx.currency()?;
        let date = match &input.date {
            Some(d) => parse_date("date", d)?,
            None => crate::today(),
        }
        .to_string();
        if input.from_account_id == input.to_account_id {
            return Err(ServiceError::invalid(
                "to_account_id",
                "must be another account than from_account_id",
            ));
        }
        let rate = input.exchange_rate.as_ref().map(parse_rate).transpose()?;
        let from =
            bank_account_currency(conn, ctx, &input.from_account_id, "from_account_id").await?;
        let to = bank_account_currency(conn, ctx, &input.to_account_id, "to_account_id").await?;
        let amount = input.amount.minor(from, "amount")?;
        if amount <= 0 {
            return Err(ServiceError::invalid("amount", "must be greater than zero"));
        }
        let to_amount = match (&input.to_amount, from == to) {
            (None, true) => amount,
            (Some(t), true) => {
                let t = t.minor(to, "to_amount")?;
                if t != amount {
                    return Err(ServiceError::invalid(
                        "to_amount",
                        "both accounts are kept in one currency: what arrives is what leaves",
                    ));
                }
                t
            }
            (None, false) => {
                return Err(ServiceError::invalid(
                    "to_amount",
                    format!("is required: {} leaves, {} arrives", from.code(), to.code()),
                ));
            }
            (Some(t), false) => t.minor(to, "to_amount")?,
        };
        if to_amount <= 0 {
            return Err(ServiceError::invalid(
                "to_amount",
                "must be greater than zero",
            ));
        }
        // What leaves, in base.
        let base_out = if from == base {
            amount
        } else {
            let [d, c, fd, fc] =
                store::account_totals_on(&mut *conn, ctx.org_id(), &input.from_account_id, &date)
                    .await?;
            match (fx::carried_value(amount, fd - fc, d - c), rate) {
                (Some(v), _) => v,
                (None, Some(r)) => to_base(amount, from, r, base)?,
                (None, None) => {
                    return Err(ServiceError::invalid(
                        "exchange_rate",
                        format!(
                            "is required: the source's {} balance on {date} does not hold {}",
                            from.code(),
                            from.format(amount)
                        ),
                    ));
                }
            }
        };
        // What arrives, in base.
        let base_in = if to == base { to_amount } else { base_out };
        let at = now();
        let id = new_id("xfer");
        let label = format!("Transfer {id}");
        let mut lines = vec![
            money_line(
                &input.to_account_id,
                to,
                base,
                base_in,
                to_amount,
                true,
                &label,
            ),
            money_line(
                &input.from_account_id,
                from,
                base,
                base_out,
                amount,
                false,
                &label,
            ),
        ];
        if base_in != base_out {
            let fx_account = system_account(conn, ctx, "fx_variance").await?;
            // More arrived than left: a gain (credit); less: a loss.
            lines.push(line(
                &fx_account,
                (base_in - base_out).abs(),
                base_in < base_out,
                None,
                Some("Realized FX gain/loss"),
            ));
        }
        let memo = opt_text("memo", input.memo, 1000)?;
        let reference = opt_text("reference", input.reference, 200)?;
        let entry = post_lines(
            conn,
            ctx,
            &format!("transfer {id}"),
            &date,
            memo.clone().unwrap_or_else(|| label.clone()),
            reference.clone(),
            lines,
        )
        .await?;
        let row = TransferRow {
            id,
            organization_id: ctx.org_id().to_owned(),
            date,
            from_account_id: input.from_account_id,
            to_account_id: input.to_account_id,
            amount,
            to_amount,
            exchange_rate: rate.map(|r| r.to_string()),
            memo,
            reference,
            status: "posted".into(),
            journal_entry_id: entry,
            created_at: at.clone(),
            updated_at: at,
        };
        store::save_transfer(conn, &row).await?;
        let v = view(row, from, to);
        self.emit(conn, ctx, "transfer.created", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        Ok(v)
    }

    pub async fn get_transfer(&self, ctx: &AuthContext, id: &str) -> ServiceResult<TransferView> {
        let mut conn = self.store.read_conn().await?;
        let row = store::get_transfer(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("transfer"))?;
        let from = bank_account_currency(&mut conn, ctx, &row.from_account_id, "id").await?;
        let to = bank_account_currency(&mut conn, ctx, &row.to_account_id, "id").await?;
        Ok(view(row, from, to))
    }

    pub async fn list_transfers(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<TransferView>> {
        let mut conn = self.store.read_conn().await?;
        let rows =
            store::list_transfers(&mut *conn, ctx.org_id(), after.unwrap_or(""), limit + 1).await?;
        let page = paginate(rows, limit, |r| &r.id);
        let mut items = Vec::with_capacity(page.items.len());
        for r in page.items {
            let from = bank_account_currency(&mut conn, ctx, &r.from_account_id, "id").await?;
            let to = bank_account_currency(&mut conn, ctx, &r.to_account_id, "id").await?;
            items.push(view(r, from, to));
        }
        Ok(Page {
            items,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Voids a transfer: posts the exact mirror of its entry.
    pub async fn void_transfer(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: VoidTransfer,
    ) -> ServiceResult<TransferView> {
        let mut wtx = self.store.begin_write().await?;
        let v = self.void_transfer_in(&mut wtx.tx, ctx, id, input).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Voids a transfer in the caller's transaction.
    pub(crate) async fn void_transfer_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        id: &str,
        input: VoidTransfer,
    ) -> ServiceResult<TransferView> {
        let mut row = store::get_transfer(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("transfer"))?;
        if row.status == "void" {
            return Err(ServiceError::wrong_status(
                "void",
                format!("transfer {id} is already void"),
            ));
        }
        if let Some(je) = &row.journal_entry_id {
            crate::journal::reverse_entry(conn, ctx, je, input.date.as_deref(), false).await?;
        }
        row.status = "void".into();
        row.updated_at = now();
        store::save_transfer(conn, &row).await?;
        let from = bank_account_currency(conn, ctx, &row.from_account_id, "id").await?;
        let to = bank_account_currency(conn, ctx, &row.to_account_id, "id").await?;
        let v = view(row, from, to);
        self.emit(conn, ctx, "transfer.voided", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        Ok(v)
    }
}
