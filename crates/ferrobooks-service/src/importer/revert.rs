//! Taking an import back out of the books: every document it made is
//! voided on its own date (a draft is deleted), then every journal entry
//! and transfer it posted is voided on its own date, every payment deleted
//! (its entries reversed on their own dates, its documents reopened) and
//! every contact, item and account it made is deleted, newest first, a
//! batch per transaction. What
//! cannot be taken back (an invoice since paid) is said in a WARNING row
//! and left; the import ends REVERTED either way, its error naming how
//! many stayed.

use ferrobooks_domain::import::{ImportAction, ImportStatus};
use ferrobooks_store::contacts::Party;
use ferrobooks_store::imports::{self as store, ImportRow, ResultRow};
use ferrobooks_store::now;
use futures::FutureExt;

use super::run::ItemError;
use crate::documents::DocKind;
use crate::{AuthContext, Code, ServiceError, ServiceResult, Services};

const BATCH: usize = 250;

pub(crate) async fn revert(s: &Services, ctx: &AuthContext, row: ImportRow) -> ServiceResult<()> {
    let mut conn = s.store.read_conn().await?;
    let objects = store::created_objects(&mut conn, &row.id, i64::MAX).await?;
    let mut seq = store::last_result_seq(&mut conn, &row.id).await?;
    drop(conn);
    // Documents first (a contact is deleted only once its documents are gone).
    let (docs, others): (Vec<ResultRow>, Vec<ResultRow>) = objects
        .into_iter()
        .partition(|o| o.object_kind.as_deref().and_then(DocKind::parse).is_some());
    let mut stayed = 0usize;
    for chunk in docs.chunks(BATCH).chain(others.chunks(BATCH)) {
        // Revert deletes contacts: reads are not shared on PostgreSQL.
        let share = s.store.backend() == ferrobooks_store::Backend::Sqlite;
        let (s2, c2) = (s.clone(), ctx.clone());
        let seqs: Vec<(i64, i64, String)> = chunk
            .iter()
            .map(|o| {
                (
                    o.seq,
                    o.order_number,
                    o.object_info.clone().unwrap_or_default(),
                )
            })
            .collect();
        let import_id = row.id.clone();
        let base_seq = seq;
        let failed = ferrobooks_store::units::run_each(
            &s.store,
            share,
            true,
            chunk,
            move |conn, o: &ResultRow| {
                let (s, ctx) = (s2.clone(), c2.clone());
                async move { undo(&s, &ctx, conn, o).await }.boxed()
            },
            || ItemError {
                row: None,
                text: "met another entity of its batch".into(),
                code: Code::InvalidState,
            },
            move |conn, outcomes: Vec<Result<(), ItemError>>| {
                async move {
                    let mut done = Vec::new();
                    let mut notes = Vec::new();
                    let mut n = base_seq;
                    for ((seq, order, info), o) in seqs.into_iter().zip(outcomes) {
                        match o {
                            Ok(()) => done.push(seq),
                            Err(e) => {
                                n += 1;
                                notes.push(ResultRow {
                                    import_id: import_id.clone(),
                                    seq: n,
                                    order_number: order,
                                    kind: "WARNING".into(),
                                    text: format!("{info} was not reverted: {}", e.text),
                                    ..ResultRow::default()
                                });
                            }
                        }
                    }
                    store::mark_reverted(conn, &import_id, &done).await?;
                    store::insert_results(conn, &notes).await?;
                    Ok::<_, ItemError>(notes.len())
                }
                .boxed()
            },
        )
        .await
        .map_err(ServiceError::from)?;
        seq += i64::try_from(failed).unwrap_or(0);
        stayed += failed;
    }
    let mut next = row.clone();
    next.status = ImportStatus::parse(&row.status)
        .ok_or_else(|| ServiceError::internal("stored import status"))?
        .after(ImportAction::Reverted)
        .map_err(|e| ServiceError::internal(e.to_string()))?
        .as_str()
        .into();
    next.finished_at = Some(now());
    if stayed > 0 {
        next.error = Some(format!(
            "{stayed} entities could not be reverted; the WARNING results say why"
        ));
    }
    let mut wtx = s.store.begin_write().await?;
    store::update_import(&mut wtx.tx, &next, (&row.status, row.done)).await?;
    wtx.commit().await?;
    Ok(())
}

/// Takes one created object back.
async fn undo(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    o: &ResultRow,
) -> Result<(), ItemError> {
    let id = o.object_id.as_deref().unwrap_or_default();
    let kind = o.object_kind.as_deref().unwrap_or_default();
    if let Some(k) = DocKind::parse(kind) {
        let Some(doc) =
            ferrobooks_store::documents::get_doc(&mut *conn, ctx.org_id(), k.doc_type(), id)
                .await?
        else {
            // Deleted meanwhile: nothing left to take back.
            return Ok(());
        };
        match doc.status.as_str() {
            "void" => return Ok(()),
            "draft" => s.delete_document_in(conn, ctx, k, id).await?,
            _ => {
                let (doc, lines) = s
                    .void_document_in(conn, ctx, k, id, Some(&doc.date))
                    .await?;
                s.record_document_in(conn, ctx, k, &doc, &lines, &["voided"])
                    .await?;
            }
        }
        return Ok(());
    }
    match kind {
        "customer" => s.delete_contact_in(conn, ctx, Party::Customer, id).await?,
        "vendor" => s.delete_contact_in(conn, ctx, Party::Vendor, id).await?,
        "product" => s.delete_product_in(conn, ctx, id).await?,
        // One a posting has used since stays (a WARNING says so).
        "account" => s.delete_account_in(conn, ctx, id).await?,
        "payment" | "bill_payment" => {
            let side = if kind == "payment" {
                ferrobooks_domain::document::Side::Sale
            } else {
                ferrobooks_domain::document::Side::Purchase
            };
            let live = ferrobooks_store::payments::get_payment(
                &mut *conn,
                ctx.org_id(),
                side.as_str(),
                id,
            )
            .await?;
            if live.is_some() {
                s.delete_payment_in(conn, ctx, side, id, true).await?;
            }
        }
        "transfer" => {
            let t = ferrobooks_store::banking::get_transfer(&mut *conn, ctx.org_id(), id, false)
                .await?;
            if let Some(t) = t.filter(|t| t.status != "void") {
                s.void_transfer_in(
                    conn,
                    ctx,
                    id,
                    crate::banking::transfers::VoidTransfer { date: Some(t.date) },
                )
                .await?;
            }
        }
        "journal_entry" => {
            let entry = ferrobooks_store::journal::get_entry(&mut *conn, ctx.org_id(), id).await?;
            // Voided on its own date, as a document is: every balance as
            // of every day is as before the import.
            if let Some(e) = entry.filter(|e| e.status == ferrobooks_store::journal::status::POSTED)
            {
                crate::journal::reverse_entry(conn, ctx, id, Some(&e.date), true).await?;
            }
        }
        other => {
            return Err(ItemError {
                row: None,
                text: format!("unknown object kind {other}"),
                code: Code::Internal,
            });
        }
    }
    Ok(())
}
