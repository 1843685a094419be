//! Correcting a document that exists: a draft is edited, a posted
//! document nothing settles yet is revised (what it posted is reversed on
//! its own date, its stock moved back, and the corrected document posts
//! again under the same id and number). Every balance on every day is then
//! as if the corrected document had been the only one.

use ferrobooks_domain::document::status::{self, Action, Status};
use ferrobooks_store::documents as store;
use ferrobooks_store::{Conn, now};

use super::lifecycle::allow;
use super::model::{DocKind, DocumentInput, DocumentView};
use crate::{AuthContext, Code, ServiceError, ServiceResult, Services};

impl Services {
    /// Replaces document `id` of `kind` by `input` in the caller's
    /// transaction: edits a draft, revises a posted document. Emits
    /// `updated`.
    pub(crate) async fn revise_document_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
        input: DocumentInput,
    ) -> ServiceResult<DocumentView> {
        let (mut doc, current) = self.lock(conn, ctx, kind, id).await?;
        let editable = Status::parse(&doc.status)
            .is_some_and(|s| status::check(kind.kind(), s, Action::Edit).is_ok());
        if !editable {
            // What settles it says more than the status it put it in.
            if !kind.is_receipt() && doc.paid + doc.credited > 0 {
                return Err(ServiceError::new(
                    Code::HasApplications,
                    format!(
                        "{} {id} cannot be revised: payments or credits are applied to it; unapply them first",
                        kind.noun()
                    ),
                ));
            }
            allow(kind, &doc, Action::Revise)?;
        }
        if current.iter().any(|l| l.source_line_no.is_some()) {
            return Err(ServiceError::invalid(
                "lines",
                "this bill bills a purchase order's lines: it is changed through the order",
            ));
        }
        if !editable {
            // Take back what it posted, on its own date, and its stock.
            if let Some(entry) = doc.journal_entry_id.take() {
                let on = doc.date.clone();
                crate::journal::reverse_entry(conn, ctx, &entry, Some(&on), false).await?;
            }
            let mut old = current.clone();
            self.move_stock(conn, ctx, kind, &doc, &mut old, true)
                .await?;
            doc.status = Status::Draft.as_str().into();
        }
        let mut lines = self
            .fill(conn, ctx, kind, &mut doc, input, Some(&current))
            .await?;
        if !editable {
            self.complete(conn, ctx, kind, &mut doc, &mut lines).await?;
        }
        doc.updated_at = now();
        store::save_lines(&mut *conn, ctx.org_id(), id, &lines, true).await?;
        self.record_document_in(conn, ctx, kind, &doc, &lines, &["updated"])
            .await
    }
}
