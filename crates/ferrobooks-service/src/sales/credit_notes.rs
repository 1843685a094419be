//! Credit notes beyond their shared life: applying the credit to open
//! invoices (an allocation; only a rate difference posts) and refunding it
//! in cash (Dr AR / Cr bank).

use serde::Deserialize;

use ferrobooks_domain::document::Action;

use super::documents::{allow, refresh_status};
use super::model::{DocKind, DocumentView, dec, doc_currency};
use super::payments::ApplyInput;
use super::posting::{deposit_account, line, post_lines, system_account};
use ferrobooks_domain::document::settlement::Open;

use super::settle::{Credit, action_date};
use crate::amount::DecimalText;
use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// A cash refund of a credit note's remaining credit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    /// In the credit note's currency; at most its remaining credit.
    pub amount: DecimalText,
    /// Default: today.
    pub date: Option<String>,
    /// The bank or cash account paid from. Default: the current account.
    pub account_id: Option<String>,
    /// Base units per unit of the credit note's currency on the day of the
    /// refund; required when that is not the organization's currency. A
    /// difference from the credit note's rate posts to FX gain/loss.
    pub exchange_rate: Option<DecimalText>,
}

impl Services {
    pub async fn apply_credit_note(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: ApplyInput,
    ) -> ServiceResult<DocumentView> {
        let kind = DocKind::CreditNote;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut cn, lines) = self.lock(conn, ctx, kind, id).await?;
        allow(kind, &cn, Action::Settle)?;
        let date = action_date(input.date.as_deref(), &cn.date, "credit note")?;
        let applied = self
            .apply_later(
                conn,
                ctx,
                &Credit {
                    source_type: "credit_note",
                    source_id: &cn.id,
                    customer_id: &cn.contact_id,
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

    pub async fn refund_credit_note(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: RefundInput,
    ) -> ServiceResult<DocumentView> {
        let kind = DocKind::CreditNote;
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
        let date = action_date(input.date.as_deref(), &cn.date, "credit note")?;
        let bank = match &input.account_id {
            Some(a) => deposit_account(conn, ctx, Some(a), "account_id").await?,
            None => system_account(conn, ctx, "bank_current").await?,
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
        // The credit leaves receivables at the credit note's rate; the bank
        // pays at today's; the difference is realized FX (a gain when the
        // bank paid less).
        let paid_out =
            ferrobooks_domain::document::settlement::to_base(amount, cur, refund_rate, base)?;
        let ar = system_account(conn, ctx, "accounts_receivable").await?;
        let label = cn.number.clone().unwrap_or_else(|| cn.id.clone());
        let mut entry = vec![
            line(&ar, base_amount, true, Some(&cn.contact_id), Some(&label)),
            line(&bank, paid_out, false, None, Some(&label)),
        ];
        if base_amount != paid_out {
            let fx = system_account(conn, ctx, "fx_variance").await?;
            entry.push(line(
                &fx,
                base_amount - paid_out,
                false,
                None,
                Some("Realized FX gain/loss"),
            ));
        }
        post_lines(
            conn,
            ctx,
            &format!("credit_note {id}"),
            &date,
            format!("Refund of credit note {label}"),
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
