//! Estimates: offers that post nothing. draft -> sent -> accepted or
//! declined; expired once the expiry date passes unanswered. Converting
//! one makes a draft invoice with the same lines, and links both.

use crate::Code;
use ferrobooks_store::documents::{self as store, DocRow};
use ferrobooks_store::{new_id, now};

use ferrobooks_domain::document::Action;

use super::lifecycle::allow;
use super::model::{DocKind, DocumentInput, DocumentView, view};
use crate::amount::DecimalText;
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
        let action = if accepted {
            Action::Accept
        } else {
            Action::Decline
        };
        allow(kind, &est, action)?;
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
            return Err(ServiceError::new(
                Code::AlreadyConverted,
                format!("estimate {id} was already converted to invoice {inv}"),
            ));
        }
        allow(DocKind::Estimate, &est, Action::Convert)?;
        // The invoice is worked out afresh, dated today: taxes in force
        // today, the customer's terms; the estimate's lines, currency and
        // rate (a draft: the rate can be changed before approval).
        let cur = super::model::doc_currency(&est)?;
        let input = DocumentInput {
            contact_id: Some(est.contact_id.clone()),
            currency: Some(est.currency.clone()),
            exchange_rate: (est.currency != base.code())
                .then(|| DecimalText(est.exchange_rate.clone())),
            place_of_supply: est.place_of_supply.clone(),
            reference: est.reference.clone(),
            notes: est.notes.clone(),
            branch: Some(est.branch.clone()),
            round_total: Some(est.round_total == 1),
            lines: Some(super::model::inputs_of(&lines, cur)),
            ..DocumentInput::default()
        };
        let at = now();
        let inv_id = new_id(DocKind::Invoice.id_prefix());
        let mut invoice = DocRow {
            id: inv_id.clone(),
            organization_id: ctx.org_id().to_owned(),
            doc_type: "invoice".into(),
            status: "draft".into(),
            exchange_rate: "1".into(),
            source_id: Some(est.id.clone()),
            created_at: at.clone(),
            updated_at: at.clone(),
            ..DocRow::default()
        };
        let inv_lines = self
            .fill(
                &mut wtx.tx,
                ctx,
                DocKind::Invoice,
                &mut invoice,
                input,
                None,
            )
            .await?;
        store::save_doc(&mut wtx.tx, &invoice).await?;
        store::save_lines(&mut wtx.tx, ctx.org_id(), &inv_id, &inv_lines, false).await?;
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
        Ok(inv_view)
    }
}
