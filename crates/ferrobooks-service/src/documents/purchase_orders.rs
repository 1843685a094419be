//! Purchase orders: what the organization asks vendors for. They post
//! nothing. draft -> issued (numbered) -> partially billed -> billed;
//! draft or issued -> cancelled. Converting makes a draft bill of the
//! whole order or of chosen lines and quantities; each order line keeps
//! what bills have taken (`billed_quantity`), so no line is billed beyond
//! what was ordered. Deleting or voiding such a bill gives its quantities
//! back to the order.

use ferrobooks_domain::document::{Action, Status};
use ferrobooks_store::documents::{self as store, DocLineRow, DocRow};
use ferrobooks_store::{Conn, new_id, now};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use super::lifecycle::allow;
use super::model::{DocKind, DocumentInput, DocumentView, dec, doc_currency, view};
use crate::amount::DecimalText;
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services};

const KIND: DocKind = DocKind::PurchaseOrder;

/// Which of an order's lines a bill takes, and how much of each.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderLinePick {
    /// The order's line, counted from 1 as in its `lines`.
    pub line: i64,
    /// Default: all that is left to bill of the line.
    pub quantity: Option<DecimalText>,
}

/// Converting a purchase order to a bill.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConvertOrderInput {
    /// The bill's date. Default: today.
    pub date: Option<String>,
    /// The vendor's own number for the bill.
    pub vendor_reference: Option<String>,
    /// Default: every line, all that is left of each.
    pub lines: Option<Vec<OrderLinePick>>,
}

/// What is left to bill of an order line.
fn left(l: &DocLineRow) -> Decimal {
    dec(&l.quantity) - l.billed_quantity.as_deref().map(dec).unwrap_or_default()
}

/// An order's status from what its lines have billed.
fn billing_status(lines: &[DocLineRow]) -> Status {
    let any = lines.iter().any(|l| {
        l.billed_quantity
            .as_deref()
            .is_some_and(|b| dec(b) > Decimal::ZERO)
    });
    if lines.iter().all(|l| left(l) <= Decimal::ZERO) {
        Status::Billed
    } else if any {
        Status::PartiallyBilled
    } else {
        Status::Issued
    }
}

impl Services {
    /// Issues a draft order to the vendor: it takes its number.
    pub async fn issue_purchase_order(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<DocumentView> {
        let mut wtx = self.store.begin_write().await?;
        let (mut po, lines) = self.lock(&mut wtx.tx, ctx, KIND, id).await?;
        allow(KIND, &po, Action::Send)?;
        if po.number.is_none() {
            let date = crate::parse_date("date", &po.date)?;
            let (n, fy) =
                crate::numbering::assign(&mut wtx.tx, ctx, KIND.doc_type(), date, &po.branch)
                    .await?;
            po.number = Some(n);
            po.fiscal_year = Some(fy);
        }
        let at = now();
        po.status = Status::Issued.as_str().into();
        po.sent_at = Some(at.clone());
        po.updated_at = at;
        self.finish_document(wtx, ctx, KIND, &po, &lines, &["issued"])
            .await
    }

    /// Cancels an order nothing was billed from.
    pub async fn cancel_purchase_order(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<DocumentView> {
        let mut wtx = self.store.begin_write().await?;
        let (mut po, lines) = self.lock(&mut wtx.tx, ctx, KIND, id).await?;
        allow(KIND, &po, Action::Cancel)?;
        po.status = Status::Cancelled.as_str().into();
        po.updated_at = now();
        self.finish_document(wtx, ctx, KIND, &po, &lines, &["cancelled"])
            .await
    }

    /// Makes a draft bill of an issued order's chosen lines; answers the
    /// bill.
    pub async fn convert_purchase_order(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: ConvertOrderInput,
    ) -> ServiceResult<DocumentView> {
        let base = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let (mut po, mut po_lines) = self.lock(&mut wtx.tx, ctx, KIND, id).await?;
        allow(KIND, &po, Action::Convert)?;
        let cur = doc_currency(&po)?;
        let picks: Vec<(usize, Decimal)> = match &input.lines {
            None => po_lines
                .iter()
                .enumerate()
                .filter(|(_, l)| left(l) > Decimal::ZERO)
                .map(|(i, l)| (i, left(l)))
                .collect(),
            Some(p) if p.is_empty() => {
                return Err(ServiceError::invalid("lines", "name at least one line"));
            }
            Some(p) => {
                let mut out: Vec<(usize, Decimal)> = Vec::with_capacity(p.len());
                for (i, pick) in p.iter().enumerate() {
                    let n = usize::try_from(pick.line - 1)
                        .ok()
                        .filter(|n| *n < po_lines.len())
                        .ok_or_else(|| {
                            ServiceError::invalid(
                                format!("lines[{i}].line"),
                                format!("the order has lines 1 to {}", po_lines.len()),
                            )
                        })?;
                    if out.iter().any(|(m, _)| *m == n) {
                        return Err(ServiceError::invalid(
                            format!("lines[{i}].line"),
                            format!("line {} is named twice", pick.line),
                        ));
                    }
                    let l = &po_lines[n];
                    let q = match &pick.quantity {
                        Some(q) => ferrobooks_domain::money::parse_decimal(
                            &q.0,
                            &format!("lines[{i}].quantity"),
                        )?,
                        None => left(l),
                    };
                    if q <= Decimal::ZERO {
                        return Err(ServiceError::invalid(
                            format!("lines[{i}].quantity"),
                            "must be greater than zero",
                        ));
                    }
                    if q > left(l) {
                        return Err(ServiceError::invalid(
                            format!("lines[{i}].quantity"),
                            format!(
                                "{} is more than the {} left to bill on line {} (ordered {}, billed {})",
                                q.normalize(),
                                left(l).normalize(),
                                pick.line,
                                dec(&l.quantity).normalize(),
                                l.billed_quantity
                                    .as_deref()
                                    .map(dec)
                                    .unwrap_or_default()
                                    .normalize()
                            ),
                        ));
                    }
                    out.push((n, q));
                }
                out
            }
        };
        // Each picked line at the order's price; a discount in proportion
        // to the quantity taken.
        let lines: Vec<super::model::DocLineInput> = picks
            .iter()
            .map(|(n, q)| {
                let l = &po_lines[*n];
                let ordered = dec(&l.quantity);
                let discount = (Decimal::from(l.discount) * *q / ordered).round_dp_with_strategy(
                    0,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                );
                let mut input = super::model::inputs_of(std::slice::from_ref(l), cur)
                    .pop()
                    .unwrap_or_default();
                input.quantity = Some(DecimalText(q.normalize().to_string()));
                input.discount = Some(DecimalText(cur.format(discount.to_i64().unwrap_or(0))));
                input
            })
            .collect();
        let bill_input = DocumentInput {
            contact_id: Some(po.contact_id.clone()),
            vendor_reference: input.vendor_reference,
            date: input.date,
            currency: Some(po.currency.clone()),
            exchange_rate: (po.currency != base.code())
                .then(|| DecimalText(po.exchange_rate.clone())),
            place_of_supply: po.place_of_supply.clone(),
            reference: po.number.clone(),
            notes: po.notes.clone(),
            branch: Some(po.branch.clone()),
            round_total: Some(po.round_total == 1),
            lines: Some(lines),
            ..DocumentInput::default()
        };
        let at = now();
        let bill_id = new_id(DocKind::Bill.id_prefix());
        let mut bill = DocRow {
            id: bill_id.clone(),
            organization_id: ctx.org_id().to_owned(),
            doc_type: DocKind::Bill.doc_type().into(),
            status: Status::Draft.as_str().into(),
            exchange_rate: "1".into(),
            source_id: Some(po.id.clone()),
            created_at: at.clone(),
            updated_at: at.clone(),
            ..DocRow::default()
        };
        let mut bill_lines = self
            .fill(&mut wtx.tx, ctx, DocKind::Bill, &mut bill, bill_input, None)
            .await?;
        for (bl, (n, q)) in bill_lines.iter_mut().zip(&picks) {
            bl.source_line_no = Some(po_lines[*n].line_no);
            let l = &mut po_lines[*n];
            let billed = l.billed_quantity.as_deref().map(dec).unwrap_or_default() + *q;
            l.billed_quantity = Some(billed.normalize().to_string());
        }
        super::lifecycle::save(&mut wtx.tx, &bill).await?;
        store::save_lines(&mut wtx.tx, ctx.org_id(), &bill_id, &bill_lines, false).await?;
        let bill_view = view(&bill, &bill_lines, base);
        self.emit(&mut wtx.tx, ctx, "bill.created", &bill_view)
            .await?;
        po.status = billing_status(&po_lines).as_str().into();
        po.converted_to_id = Some(bill_id);
        po.updated_at = at;
        store::save_doc(&mut wtx.tx, &po).await?;
        store::save_lines(&mut wtx.tx, ctx.org_id(), &po.id, &po_lines, true).await?;
        let po_view = view(&po, &po_lines, base);
        self.emit(&mut wtx.tx, ctx, KIND.event("updated"), &po_view)
            .await?;
        if po.status == Status::Billed.as_str() {
            self.emit(&mut wtx.tx, ctx, KIND.event("billed"), &po_view)
                .await?;
        }
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Created, &bill_view)
            .await?;
        wtx.commit().await?;
        Ok(bill_view)
    }

    /// Gives the quantities a bill took from its purchase order back to
    /// the order (the bill is deleted or voided).
    pub(crate) async fn release_order(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        bill: &DocRow,
        bill_lines: &[DocLineRow],
    ) -> ServiceResult<()> {
        let Some(po_id) = bill.source_id.as_deref() else {
            return Ok(());
        };
        if bill.doc_type != DocKind::Bill.doc_type()
            || bill_lines.iter().all(|l| l.source_line_no.is_none())
        {
            return Ok(());
        }
        let (mut po, mut po_lines) = self.lock(conn, ctx, KIND, po_id).await?;
        for bl in bill_lines {
            let Some(l) = po_lines
                .iter_mut()
                .find(|l| Some(l.line_no) == bl.source_line_no)
            else {
                continue;
            };
            let billed =
                l.billed_quantity.as_deref().map(dec).unwrap_or_default() - dec(&bl.quantity);
            l.billed_quantity = Some(billed.max(Decimal::ZERO).normalize().to_string());
        }
        if po.status != Status::Cancelled.as_str() {
            po.status = billing_status(&po_lines).as_str().into();
        }
        po.updated_at = now();
        store::save_doc(conn, &po).await?;
        store::save_lines(conn, ctx.org_id(), &po.id, &po_lines, true).await?;
        let v = view(&po, &po_lines, ctx.currency()?);
        self.emit(conn, ctx, KIND.event("updated"), &v).await?;
        Ok(())
    }
}
