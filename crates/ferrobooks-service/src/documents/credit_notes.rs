//! Credits beyond their shared life, on both sides: a credit note's
//! credit applied to open invoices, a vendor credit's to open bills (an
//! allocation; only a rate difference posts), and refunded in cash (a
//! credit note: Dr AR / Cr bank; a vendor credit, the vendor paying back:
//! Dr bank / Cr AP).

use serde::Deserialize;

use ferrobooks_domain::document::Action;

use super::lifecycle::{allow, refresh_status};
use super::model::{DocKind, DocumentView, dec, doc_currency};
use super::payments::ApplyInput;
use super::posting::{deposit_account, line, paid_from_account, post_lines, system_account};
use ferrobooks_domain::document::Side;
use ferrobooks_domain::document::settlement::Open;

use super::settle::{Credit, action_date};
use crate::amount::DecimalText;
use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// A cash refund of a credit's remaining credit (paid out to the
/// customer, or received from the vendor).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    /// In the credit's currency; at most its remaining credit.
    pub amount: DecimalText,
    /// Default: today.
    pub date: Option<String>,
    /// The bank or cash account paid from (credit notes) or into (vendor
    /// credits). Default: the current account.
    pub account_id: Option<String>,
    /// Base units per unit of the credit's currency on the day of the
    /// refund; required when that is not the organization's currency. A
    /// difference from the credit's rate posts to FX gain/loss.
    pub exchange_rate: Option<DecimalText>,
}

impl Services {
    /// Applies a credit note's (or vendor credit's) remaining credit to
    /// the contact's open invoices (bills).
    pub async fn apply_credit_note(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
        input: ApplyInput,
    ) -> ServiceResult<DocumentView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut cn, lines) = self.lock(conn, ctx, kind, id).await?;
        allow(kind, &cn, Action::Settle)?;
        let date = action_date(input.date.as_deref(), &cn.date, kind.noun())?;
        let applied = self
            .apply_later(
                conn,
                ctx,
                &Credit {
                    side: kind.side(),
                    source_type: kind.doc_type(),
                    source_id: &cn.id,
                    contact_id: &cn.contact_id,
                    currency: doc_currency(&cn)?,
                    rate: dec(&cn.exchange_rate),
                    remaining: cn.balance(),
                    base_remaining: cn.base_total - cn.base_settled,
                },
                &input.applications,
                &date,
                cn.number.clone(),
            )
            .await?;
        cn.credited += applied.amount;
        cn.base_settled += applied.base_released;
        cn.updated_at = ferrobooks_store::now();
        refresh_status(kind, &mut cn);
        self.finish_document(wtx, ctx, kind, &cn, &lines, &["updated"])
            .await
    }

    /// Refunds a credit in cash: paid out to the customer (a credit note)
    /// or received from the vendor (a vendor credit).
    pub async fn refund_credit_note(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
        input: RefundInput,
    ) -> ServiceResult<DocumentView> {
        let base = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut cn, lines) = self.lock(conn, ctx, kind, id).await?;
        allow(kind, &cn, Action::Refund)?;
        let cur = doc_currency(&cn)?;
        let amount = input.amount.minor(cur, "amount")?;
        if amount <= 0 || amount > cn.balance() {
            return Err(ServiceError::invalid(
                "amount",
                format!(
                    "must be greater than zero and at most the remaining credit {}",
                    cur.format(cn.balance())
                ),
            ));
        }
        let date = action_date(input.date.as_deref(), &cn.date, kind.noun())?;
        let side = kind.side();
        let bank = match (&input.account_id, side) {
            (Some(a), Side::Sale) => deposit_account(conn, ctx, Some(a), cur, "account_id").await?,
            (a, Side::Purchase) => {
                paid_from_account(conn, ctx, a.as_deref(), cur, "account_id").await?
            }
            (None, Side::Sale) => {
                let current = system_account(conn, ctx, "bank_current").await?;
                deposit_account(conn, ctx, Some(&current), cur, "account_id").await?
            }
        };
        let base_amount = Open {
            amount: cn.balance(),
            base: cn.base_total - cn.base_settled,
            rate: dec(&cn.exchange_rate),
        }
        .take(amount, cur, base)?;
        let (_, refund_rate) = super::model::currency_and_rate(
            ctx,
            &cn.currency,
            input.exchange_rate.as_ref(),
            None,
            "refund",
        )?;
        // The credit leaves the control account at the credit's rate; the
        // bank moves at today's; the difference is realized FX (a gain when
        // the bank paid out less, or took in more).
        let moved =
            ferrobooks_domain::document::settlement::to_base(amount, cur, refund_rate, base)?;
        let control = system_account(conn, ctx, side.control_account()).await?;
        let label = cn.number.clone().unwrap_or_else(|| cn.id.clone());
        // A credit note's credit sits as a credit in AR, a vendor credit's as
        // a debit in AP: the refund takes it out the other way.
        let control_debit = side.control_debit();
        let mut entry = vec![
            line(
                &control,
                base_amount,
                control_debit,
                Some(&cn.contact_id),
                Some(&label),
            ),
            bank.line(ctx, moved, amount, !control_debit, Some(&label))?,
        ];
        if base_amount != moved {
            let fx = system_account(conn, ctx, "fx_variance").await?;
            entry.push(line(
                &fx,
                base_amount - moved,
                !control_debit,
                None,
                Some("Realized FX gain/loss"),
            ));
        }
        post_lines(
            conn,
            ctx,
            &format!("{} {id}", kind.doc_type()),
            &date,
            format!("Refund of {} {label}", kind.noun()),
            cn.number.clone(),
            entry,
        )
        .await?;
        cn.paid += amount;
        cn.base_settled += base_amount;
        cn.updated_at = ferrobooks_store::now();
        refresh_status(kind, &mut cn);
        self.finish_document(wtx, ctx, kind, &cn, &lines, &["updated"])
            .await
    }
}
