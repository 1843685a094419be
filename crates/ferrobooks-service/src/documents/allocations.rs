//! Reading and undoing single allocations: what settled an invoice, where
//! a credit went, and taking one application back (the invoice reopens,
//! the credit is available again, an FX entry of the application is
//! reversed).

use ferrobooks_domain::Currency;
use ferrobooks_domain::document::Side;
use ferrobooks_domain::document::settlement::Allocation;
use ferrobooks_store::now;
use ferrobooks_store::payments::{self as store, AllocationRow};

use super::lifecycle::refresh_status;
use super::model::{DocKind, doc_currency};
use super::payments::AllocationView;
use crate::amount::Amount;
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services};

/// Where an allocation's credit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditSource {
    /// A payment received from a customer.
    Payment,
    /// A payment made to a vendor.
    BillPayment,
    CreditNote,
    VendorCredit,
}

impl CreditSource {
    pub fn side(self) -> Side {
        match self {
            CreditSource::Payment | CreditSource::CreditNote => Side::Sale,
            CreditSource::BillPayment | CreditSource::VendorCredit => Side::Purchase,
        }
    }

    /// The credit document, when the credit is one.
    fn document(self) -> Option<DocKind> {
        match self {
            CreditSource::CreditNote => Some(DocKind::CreditNote),
            CreditSource::VendorCredit => Some(DocKind::VendorCredit),
            CreditSource::Payment | CreditSource::BillPayment => None,
        }
    }
}

pub(crate) fn allocation_view(a: &AllocationRow, side: Side, cur: Currency) -> AllocationView {
    AllocationView {
        side,
        id: a.id.clone(),
        source_type: a.source_type.clone(),
        source_id: a.source_id.clone(),
        document_id: a.document_id.clone(),
        date: a.date.clone(),
        amount: Amount::new(a.amount, cur),
        journal_entry_id: a.journal_entry_id.clone(),
    }
}

impl Services {
    /// The live allocations of an invoice or bill (what settled it) or of
    /// a credit note or vendor credit (where its credit went).
    pub async fn list_allocations(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
    ) -> ServiceResult<Vec<AllocationView>> {
        let doc = ferrobooks_store::documents::get_doc(
            self.store.pool(),
            ctx.org_id(),
            kind.doc_type(),
            id,
        )
        .await?
        .ok_or(ServiceError::not_found(kind.noun()))?;
        let cur = doc_currency(&doc)?;
        let rows = store::allocations(
            self.store.pool(),
            ctx.org_id(),
            id,
            matches!(kind, DocKind::Invoice | DocKind::Bill),
        )
        .await?;
        Ok(rows
            .iter()
            .map(|a| allocation_view(a, kind.side(), cur))
            .collect())
    }

    /// Takes one application of a payment or credit back off its invoice
    /// or bill. Answers the allocations the source has left.
    pub async fn unapply_allocation(
        &self,
        ctx: &AuthContext,
        source: CreditSource,
        source_id: &str,
        allocation_id: &str,
    ) -> ServiceResult<Vec<AllocationView>> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        // The source first, then the document (in `unapply`): the order of
        // every settlement.
        let side = source.side();
        let (cur, mut cn, mut payment) = match source.document() {
            Some(kind) => {
                let (cn, lines) = self.lock(conn, ctx, kind, source_id).await?;
                (doc_currency(&cn)?, Some((kind, cn, lines)), None)
            }
            None => {
                let p = store::lock_payment(&mut *conn, ctx.org_id(), side.as_str(), source_id)
                    .await?
                    .ok_or(ServiceError::not_found("payment"))?;
                let cur = Currency::parse(&p.currency)
                    .map_err(|_| ServiceError::internal("payment currency is corrupt"))?;
                (cur, None, Some(p))
            }
        };
        let all = store::allocations(&mut *conn, ctx.org_id(), source_id, false).await?;
        let a = all
            .iter()
            .find(|a| a.id == allocation_id)
            .cloned()
            .ok_or(ServiceError::not_found("allocation"))?;
        // The document reopens and the credit comes back. A rate
        // difference realized by this application is taken back by its own
        // entry (the application's FX may share an entry with others): the
        // mirror of the allocation's FX lines.
        self.unapply(conn, ctx, side, std::slice::from_ref(&a), false)
            .await?;
        let control = super::posting::system_account(conn, ctx, side.control_account()).await?;
        let fx = super::posting::system_account(conn, ctx, "fx_variance").await?;
        let taken_back: Vec<_> = Allocation {
            amount: a.amount,
            released: a.base_settled,
            settled: a.base_released,
        }
        .fx_lines(side, &control, &fx, Some(&a.contact_id), allocation_id);
        super::posting::post_lines(
            conn,
            ctx,
            &format!("{} {source_id}", a.source_type),
            &crate::today().to_string().max(a.date.clone()),
            format!("Realized FX taken back: allocation {allocation_id}"),
            None,
            taken_back,
        )
        .await?;
        let at = now();
        store::delete_allocation(conn, ctx.org_id(), allocation_id, &at).await?;
        if let Some((kind, cn, lines)) = &mut cn {
            cn.credited -= a.amount;
            cn.base_settled -= a.base_released;
            cn.updated_at = at.clone();
            refresh_status(*kind, cn);
            ferrobooks_store::documents::save_doc(conn, cn).await?;
            let v = super::model::view(cn, lines, ctx.currency()?);
            self.emit(conn, ctx, kind.event("updated"), &v).await?;
        }
        if let Some(p) = &mut payment {
            p.applied -= a.amount;
            p.base_applied -= a.base_released;
            p.updated_at = at.clone();
            store::save_payment(conn, p).await?;
        }
        let left: Vec<AllocationView> = all
            .iter()
            .filter(|o| o.id != allocation_id)
            .map(|o| allocation_view(o, side, cur))
            .collect();
        self.finish_idempotent(conn, ctx, Outcome::Done, &left)
            .await?;
        wtx.commit().await?;
        Ok(left)
    }
}
