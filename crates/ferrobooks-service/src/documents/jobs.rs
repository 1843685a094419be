//! The scheduled job of the sales side: invoices past their due date
//! become overdue (`invoice.overdue`, once per invoice) and estimates past
//! their expiry date expire. Runs in every process; each document is
//! changed under its row lock and marked, so two nodes never announce the
//! same invoice twice.

use ferrobooks_store::documents as store;
use ferrobooks_store::tenancy;

use ferrobooks_domain::document::status::{self, Action, Status};

use super::lifecycle::refresh_status;
use super::model::{DocKind, view};
use crate::{AuthContext, OrgId, ServiceResult, Services};

/// What one run of the job did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JobReport {
    pub overdue: usize,
    pub expired: usize,
    pub overdue_bills: usize,
}

impl Services {
    /// Marks overdue invoices and bills and expired estimates as of `today`
    /// (`YYYY-MM-DD`). Safe to run anywhere, any number of times.
    pub async fn run_due_dates(&self, today: &str) -> ServiceResult<JobReport> {
        Ok(JobReport {
            overdue: self.mark_all_due(DocKind::Invoice, today).await?,
            expired: self.mark_all_due(DocKind::Estimate, today).await?,
            overdue_bills: self.mark_all_due(DocKind::Bill, today).await?,
        })
    }

    /// Marks every due document of a kind, 200 at a time. One document
    /// that fails is logged and skipped: it must not stop the job for all.
    async fn mark_all_due(&self, kind: DocKind, today: &str) -> ServiceResult<usize> {
        let mut marked = 0;
        // Paged by (due date, id), so a document that fails or stays due is
        // passed over and never holds the rest back.
        let mut after = (String::new(), String::new());
        loop {
            let page = store::due_documents(
                self.store.pool(),
                kind.doc_type(),
                today,
                (&after.0, &after.1),
                200,
            )
            .await?;
            for (org, id, _) in &page {
                match self.mark_due(org, id, kind, today).await {
                    Ok(true) => marked += 1,
                    Ok(false) => {}
                    Err(e) => tracing::warn!(organization = %org, document = %id, error = %e,
                        "due-date job skipped a document"),
                }
            }
            match page.last() {
                Some((_, id, due)) if page.len() == 200 => after = (due.clone(), id.clone()),
                _ => return Ok(marked),
            }
        }
    }

    async fn mark_due(
        &self,
        org: &OrgId,
        id: &str,
        kind: DocKind,
        today: &str,
    ) -> ServiceResult<bool> {
        let Some(org_row) = tenancy::get_organization(self.store.pool(), org).await? else {
            return Ok(false);
        };
        let ctx = AuthContext::system(org_row);
        let mut wtx = self.store.begin_write().await?;
        let Some(mut doc) = store::lock_doc(&mut wtx.tx, org, kind.doc_type(), id).await? else {
            return Ok(false);
        };
        // Checked again under the lock: another node may have been first,
        // or a payment may have landed.
        // An invoice falls due while it can still be paid; an estimate
        // lapses while it waits for an answer.
        let action = match kind {
            DocKind::Estimate => Action::Expire,
            _ => Action::Settle,
        };
        let open = Status::parse(&doc.status)
            .is_some_and(|st| status::check(kind.kind(), st, action).is_ok());
        if doc.overdue_notified == 1 || !open || doc.due_date.as_deref().is_none_or(|d| d >= today)
        {
            return Ok(false);
        }
        doc.overdue_notified = 1;
        doc.updated_at = ferrobooks_store::now();
        let event = if kind == DocKind::Estimate {
            doc.status = Status::Expired.as_str().into();
            "estimate.expired"
        } else {
            refresh_status(kind, &mut doc);
            kind.event("overdue")
        };
        store::save_doc(&mut wtx.tx, &doc).await?;
        let lines = store::lines_of(&mut *wtx.tx, org, &[id]).await?;
        let v = view(&doc, &lines, ctx.currency()?);
        self.emit(&mut wtx.tx, &ctx, event, &v).await?;
        wtx.commit().await?;
        Ok(true)
    }
}
