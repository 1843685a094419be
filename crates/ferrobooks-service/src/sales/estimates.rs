//! Estimates: offers that post nothing. draft -> sent -> accepted or
//! declined; expired once the expiry date passes unanswered. Converting
//! one makes a draft invoice with the same lines, and links both.

use ferrobooks_store::sales::{self as store, DocRow};
use ferrobooks_store::{new_id, now};

use super::model::{DocKind, DocumentView, view};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services};

impl Services {
    /// Records the customer's answer: `accepted` or `declined`.
    pub async fn answer_estimate(
        &self,
        ctx: &AuthContext,
        id: &str,
        accepted: bool,
    ) -> ServiceResult<DocumentView> {
        let kind = DocKind::Estimate;
        let mut wtx = self.store.begin_write().await?;
        let (mut est, lines) = self.lock(&mut wtx.tx, ctx, kind, id).await?;
        if !["draft", "sent"].contains(&est.status.as_str()) {
            return Err(ServiceError::Conflict(format!(
                "estimate {id} is {}; only a draft or sent estimate can be answered",
                est.status
            )));
        }
        est.status = if accepted { "accepted" } else { "declined" }.into();
        est.updated_at = now();
        let event = if accepted { "accepted" } else { "declined" };
        self.finish_document(wtx, ctx, kind, &est, &lines, &[event])
            .await
    }

    /// Makes a draft invoice from an estimate (lines copied, both linked).
    /// The estimate counts as accepted. Converting twice is refused.
    pub async fn convert_estimate(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<DocumentView> {
        let base = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let (mut est, lines) = self.lock(&mut wtx.tx, ctx, DocKind::Estimate, id).await?;
        if let Some(inv) = &est.converted_to_id {
            return Err(ServiceError::Conflict(format!(
                "estimate {id} was already converted to invoice {inv}"
            )));
        }
        if !["draft", "sent", "accepted"].contains(&est.status.as_str()) {
            return Err(ServiceError::Conflict(format!(
                "estimate {id} is {}; it cannot be converted",
                est.status
            )));
        }
        let customer =
            ferrobooks_store::customers::get_row(&mut *wtx.tx, ctx.org_id(), &est.customer_id)
                .await?
                .ok_or_else(|| {
                    ServiceError::Conflict(format!("the customer of estimate {id} was deleted"))
                })?;
        let at = now();
        let date = crate::today();
        let inv_id = new_id(DocKind::Invoice.id_prefix());
        let invoice = DocRow {
            id: inv_id.clone(),
            doc_type: "invoice".into(),
            number: None,
            fiscal_year: None,
            status: "draft".into(),
            date: date.to_string(),
            due_date: Some(
                (date + chrono::Days::new(customer.payment_terms.max(0) as u64)).to_string(),
            ),
            paid: 0,
            credited: 0,
            base_settled: 0,
            journal_entry_id: None,
            source_id: Some(est.id.clone()),
            converted_to_id: None,
            overdue_notified: 0,
            sent_at: None,
            approved_at: None,
            voided_at: None,
            created_at: at.clone(),
            updated_at: at.clone(),
            ..est.clone()
        };
        let inv_lines: Vec<_> = lines
            .iter()
            .map(|l| ferrobooks_store::sales::DocLineRow {
                document_id: inv_id.clone(),
                ..l.clone()
            })
            .collect();
        store::save_doc(&mut wtx.tx, &invoice).await?;
        store::save_lines(&mut wtx.tx, ctx.org_id(), &inv_id, &inv_lines).await?;
        let inv_view = view(&invoice, &inv_lines, base);
        self.emit(&mut wtx.tx, ctx, "invoice.created", &inv_view)
            .await?;
        est.converted_to_id = Some(inv_id);
        est.status = "accepted".into();
        est.updated_at = at;
        store::save_doc(&mut wtx.tx, &est).await?;
        let est_view = view(&est, &lines, base);
        self.emit(&mut wtx.tx, ctx, "estimate.converted", &est_view)
            .await?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Created, &inv_view)
            .await?;
        wtx.commit().await?;
        self.wake_webhooks();
        Ok(inv_view)
    }
}
