//! Expenses: money spent, claimed and approved. submitted -> approved
//! (posts Dr the category and claimable input tax / Cr Accruals) or
//! rejected (corrected and submitted again, or deleted); approved -> paid
//! (Dr Accruals / Cr the bank or card account it was paid from: at once,
//! or when the employee it names, who paid out of pocket, is reimbursed
//! later). Voiding an approved or paid expense reverses both entries. An
//! expense is a document of one line on the document engine; its vendor
//! and its employee are optional.

use ferrobooks_domain::document::{Action, Status};
use ferrobooks_store::now;
use serde::Deserialize;

use super::lifecycle::allow;
use super::model::{DocKind, DocumentView};
use super::posting::{line, paid_from_account, post_lines, system_account};
use super::settle::action_date;
use crate::{AuthContext, ServiceResult, Services};

const KIND: DocKind = DocKind::Expense;

/// Paying an approved expense.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayExpenseInput {
    /// The bank, cash or credit-card account paid from. Default: the
    /// current account.
    pub account_id: Option<String>,
    /// Default: today (never before the expense's date).
    pub date: Option<String>,
}

impl Services {
    /// Refuses a submitted expense; it may be corrected and submitted again.
    pub async fn reject_expense(&self, ctx: &AuthContext, id: &str) -> ServiceResult<DocumentView> {
        let mut wtx = self.store.begin_write().await?;
        let (mut doc, lines) = self.lock(&mut wtx.tx, ctx, KIND, id).await?;
        allow(KIND, &doc, Action::Reject)?;
        doc.status = Status::Rejected.as_str().into();
        doc.updated_at = now();
        self.finish_document(wtx, ctx, KIND, &doc, &lines, &["rejected"])
            .await
    }

    /// Pays an approved expense from a bank or card account: Dr Accruals /
    /// Cr the account, what approval accrued (in the base currency, at the
    /// expense's rate).
    pub async fn pay_expense(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: PayExpenseInput,
    ) -> ServiceResult<DocumentView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut doc, lines) = self.lock(conn, ctx, KIND, id).await?;
        allow(KIND, &doc, Action::Pay)?;
        let date = action_date(input.date.as_deref(), &doc.date, KIND.noun())?;
        let account = paid_from_account(
            conn,
            ctx,
            input.account_id.as_deref(),
            super::model::doc_currency(&doc)?,
            "account_id",
        )
        .await?;
        let accruals = system_account(conn, ctx, "accruals").await?;
        // What approval accrued, in the base currency.
        let amount = doc.base_total;
        let label = doc.number.clone().unwrap_or_else(|| doc.id.clone());
        let memo = match &doc.employee_id {
            Some(e) => {
                let name = ferrobooks_store::payroll::get_employee(conn, ctx.org_id(), e, false)
                    .await?
                    .map_or_else(|| e.clone(), |e| e.name);
                format!("Reimbursement of expense {label} to {name}")
            }
            None => format!("Payment of expense {label}"),
        };
        post_lines(
            conn,
            ctx,
            &format!("{} {id}", KIND.doc_type()),
            &date,
            memo,
            doc.number.clone(),
            vec![
                line(&accruals, amount, true, None, Some(&label)),
                account.line(ctx, amount, doc.total, false, Some(&label))?,
            ],
        )
        .await?;
        doc.paid = doc.total;
        doc.base_settled = doc.base_total;
        doc.deposit_account_id = Some(account.id);
        doc.status = Status::Paid.as_str().into();
        doc.updated_at = now();
        self.finish_document(wtx, ctx, KIND, &doc, &lines, &["paid"])
            .await
    }
}
