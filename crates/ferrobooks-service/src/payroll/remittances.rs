//! Payroll liabilities paid over (tax withheld, social security): Dr the
//! liability / Cr bank, never more than is owed on the date.

use ferrobooks_store::payroll::{self as store, RemittanceRow};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText};
use crate::documents::posting::{chosen_account, line, paid_from_account, post_lines};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

/// A new remittance.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRemittance {
    /// The liability paid over.
    pub account_id: String,
    pub amount: DecimalText,
    /// Default today.
    pub date: Option<String>,
    /// Default: the current account.
    pub bank_account_id: Option<String>,
    /// The tax office's reference, a challan number.
    pub reference: Option<String>,
}

/// A remittance.
#[derive(Debug, Clone, Serialize)]
pub struct RemittanceView {
    pub id: String,
    pub date: String,
    pub account_id: String,
    pub amount: Amount,
    pub currency: String,
    pub bank_account_id: String,
    pub reference: Option<String>,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
}

fn view(r: RemittanceRow, ctx: &AuthContext) -> ServiceResult<RemittanceView> {
    let cur = ctx.currency()?;
    Ok(RemittanceView {
        id: r.id,
        date: r.date,
        account_id: r.account_id,
        amount: Amount::new(r.amount, cur),
        currency: cur.code().to_owned(),
        bank_account_id: r.bank_account_id,
        reference: r.reference,
        journal_entry_id: r.journal_entry_id,
        created_at: r.created_at,
    })
}

impl Services {
    pub async fn create_remittance(
        &self,
        ctx: &AuthContext,
        input: NewRemittance,
    ) -> ServiceResult<RemittanceView> {
        let base = ctx.currency()?;
        let amount = input.amount.minor(base, "amount")?;
        if amount <= 0 {
            return Err(ServiceError::invalid("amount", "must be greater than zero"));
        }
        let date = match &input.date {
            Some(d) => parse_date("date", d)?,
            None => crate::today(),
        }
        .to_string();
        let reference = opt_text("reference", input.reference.clone(), 200)?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let liability = chosen_account(
            conn,
            ctx,
            Some(&input.account_id),
            None,
            "account_id",
            |a| {
                a.account_type == "liability"
                    && !matches!(a.subtype.as_str(), "payable" | "credit_card")
            },
            "liability",
        )
        .await?;
        let [d, c, _, _] = ferrobooks_store::banking::account_totals_on(
            &mut *conn,
            ctx.org_id(),
            &liability.id,
            &date,
        )
        .await?;
        let owed = c - d;
        if amount > owed {
            return Err(ServiceError::invalid(
                "amount",
                format!(
                    "is more than is owed on {} on {date}: {}",
                    liability.name,
                    base.format(owed.max(0))
                ),
            ));
        }
        let bank = paid_from_account(
            conn,
            ctx,
            input.bank_account_id.as_deref(),
            base,
            "bank_account_id",
        )
        .await?;
        let label = format!("Remitted: {}", liability.name);
        let entry = post_lines(
            conn,
            ctx,
            "payroll_remittance",
            &date,
            label.clone(),
            reference.clone(),
            vec![
                line(&liability.id, amount, true, None, Some(&label)),
                line(&bank.id, amount, false, None, Some(&label)),
            ],
        )
        .await?;
        let row = RemittanceRow {
            id: new_id("prem"),
            organization_id: ctx.org_id().to_owned(),
            date,
            account_id: liability.id,
            amount,
            bank_account_id: bank.id,
            reference,
            journal_entry_id: entry,
            created_at: now(),
        };
        store::insert_remittance(conn, &row).await?;
        let v = view(row, ctx)?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn list_remittances(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<RemittanceView>> {
        let mut conn = self.store.read_conn().await?;
        let rows =
            store::list_remittances(&mut *conn, ctx.org_id(), after.unwrap_or(""), limit + 1)
                .await?;
        paginate(rows, limit, |r| &r.id).try_map(|r| view(r, ctx))
    }
}
