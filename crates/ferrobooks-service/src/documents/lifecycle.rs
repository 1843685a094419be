//! The life of a sales document, shared by all kinds: create, read, list,
//! edit and delete drafts, approve (number + posting + stock), send, void.

use crate::Code;
use ferrobooks_store::documents::{self as store, DocFilter, DocLineRow, DocRow};
use ferrobooks_store::{Conn, new_id, now};

use ferrobooks_domain::document::settlement::to_base;
use ferrobooks_domain::document::status::{self, Action, Standing, Status};

use super::model::{self, DocKind, DocumentInput, DocumentView, view};
use super::posting;
use crate::grouped::writes;
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

/// Filters of a document list.
#[derive(Debug, Clone, Default)]
pub struct DocQuery {
    pub after: Option<String>,
    pub limit: i64,
    pub status: Option<String>,
    pub customer_id: Option<String>,
    /// Expenses: the employee's.
    pub employee_id: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub updated_since: Option<String>,
    pub search: Option<String>,
}

/// Sets the status that follows from amounts and dates
/// ([`status::settled`]), for documents past draft. Estimates move only by
/// explicit actions.
pub(crate) fn refresh_status(kind: DocKind, d: &mut DocRow) {
    let Some(current) = Status::parse(&d.status) else {
        return;
    };
    let standing = Standing {
        balance: d.balance(),
        settled: d.paid + d.credited,
        overdue: d.overdue_notified == 1,
        sent: d.sent_at.is_some(),
    };
    d.status = status::settled(kind.kind(), current, standing)
        .as_str()
        .to_owned();
}

/// Refuses `action` unless the document's status allows it
/// ([`status::check`]), naming the status that refused.
pub(crate) fn allow(kind: DocKind, d: &DocRow, action: Action) -> ServiceResult<()> {
    let current = Status::parse(&d.status).ok_or_else(|| {
        ServiceError::internal(format!("document {} has status {}", d.id, d.status))
    })?;
    status::check(kind.kind(), current, action).map_err(|e| {
        ServiceError::wrong_status(
            &d.status,
            format!("{} {} is {}; {}", kind.noun(), d.id, d.status, e.rule),
        )
    })
}

/// Writes a new document and its lines (see [`store::insert_doc`]).
async fn insert(conn: &mut Conn, doc: &DocRow, lines: &[DocLineRow]) -> ServiceResult<()> {
    store::insert_doc(conn, doc, lines)
        .await
        .map_err(|e| number_taken(doc, e))
}

/// Saves a document (see [`number_taken`]).
pub(crate) async fn save(conn: &mut Conn, doc: &DocRow) -> ServiceResult<()> {
    store::save_doc(conn, doc)
        .await
        .map_err(|e| number_taken(doc, e))
}

/// A number the series gave that another document of the period already
/// has (possible only after a template change that makes old and new
/// numbers look alike) is a clear 409, not a crash.
fn number_taken(doc: &DocRow, e: ferrobooks_store::StoreError) -> ServiceError {
    if e.is_unique_violation() {
        ServiceError::new(
            Code::NumberTaken,
            format!(
                "number {} is already used by another {} of the period; \
                 change the template of the {} number series",
                doc.number.as_deref().unwrap_or(""),
                doc.doc_type,
                doc.doc_type
            ),
        )
    } else {
        e.into()
    }
}

pub(crate) fn branch(input: Option<&str>) -> ServiceResult<Option<String>> {
    match input.map(str::trim).filter(|b| !b.is_empty()) {
        None => Ok(None),
        Some(b) if b.len() <= 8 && b.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Ok(Some(b.to_ascii_uppercase()))
        }
        Some(_) => Err(ServiceError::invalid(
            "branch",
            "a branch code is 1 to 8 letters or digits",
        )),
    }
}

/// The employee an expense reimburses: one of the organization's, not gone
/// before the expense's date. Locked, so the employee is not deleted under
/// the expense.
async fn payee(conn: &mut Conn, ctx: &AuthContext, id: &str, date: &str) -> ServiceResult<String> {
    let e = ferrobooks_store::payroll::get_employee(conn, ctx.org_id(), id, true)
        .await?
        .ok_or_else(|| ServiceError::invalid("employee_id", format!("no employee {id}")))?;
    if let Some(left) = e.termination_date.as_deref().filter(|left| *left < date) {
        return Err(ServiceError::invalid(
            "employee_id",
            format!(
                "employee {} left on {left}, before the expense's date {date}",
                e.name
            ),
        ));
    }
    Ok(e.id)
}

impl Services {
    /// Applies `input` to `doc` (new or a draft), recomputing every line.
    pub(crate) async fn fill(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        doc: &mut DocRow,
        input: DocumentInput,
        current: Option<&[DocLineRow]>,
    ) -> ServiceResult<Vec<DocLineRow>> {
        let existing = current.is_some().then_some(&*doc);
        let h = super::compute::header(conn, ctx, kind, &input, existing).await?;
        if kind.is_return()
            && !kind.is_receipt()
            && let Some(credited) = input.credited_id.as_deref().or(doc.source_id.as_deref())
        {
            // A credit note names the invoice it credits; a vendor credit,
            // the bill.
            let of = DocKind::settled_on(kind.side());
            let (noun, field) = (of.noun(), of.id_field());
            let found = store::get_doc(&mut *conn, ctx.org_id(), of.doc_type(), credited)
                .await?
                .ok_or_else(|| {
                    ServiceError::invalid(&field, format!("{noun} {credited} does not exist"))
                })?;
            if found.contact_id != h.customer.id {
                return Err(ServiceError::invalid(
                    &field,
                    format!(
                        "{noun} {credited} belongs to another {}",
                        kind.party().noun()
                    ),
                ));
            }
            if found.currency != h.currency.code() {
                return Err(ServiceError::invalid(
                    &field,
                    format!("{noun} {credited} is in {}", found.currency),
                ));
            }
            doc.source_id = Some(credited.to_owned());
        } else if input.credited_id.is_some() {
            let field = DocKind::settled_on(kind.side()).id_field();
            return Err(ServiceError::invalid(
                field,
                "only a credit note or vendor credit names the document it credits",
            ));
        }
        for given in &input.money_fields {
            if !kind.is_receipt() {
                return Err(ServiceError::invalid(
                    *given,
                    "only receipts, checks and card documents name a bank or card account",
                ));
            }
            if *given != kind.money_field() {
                return Err(ServiceError::invalid(
                    *given,
                    format!(
                        "a {} names its account in {}",
                        kind.noun(),
                        kind.money_field()
                    ),
                ));
            }
        }
        if kind.is_receipt() {
            doc.deposit_account_id = Some(
                posting::spot_account(
                    conn,
                    ctx,
                    kind,
                    input
                        .deposit_account_id
                        .as_deref()
                        .or(doc.deposit_account_id.as_deref()),
                    h.currency,
                )
                .await?
                .id,
            );
        } else if input.deposit_account_id.is_some() {
            return Err(ServiceError::invalid(
                "deposit_account_id",
                "only receipts, checks and card documents name a bank or card account",
            ));
        }
        if input.branch.is_some() {
            doc.branch = branch(input.branch.as_deref())?.unwrap_or_default();
        }
        if kind.is_purchase() {
            if input.vendor_reference.is_some() {
                doc.vendor_reference = opt_text("vendor_reference", input.vendor_reference, 50)?;
            }
        } else if input.vendor_reference.is_some() {
            return Err(ServiceError::invalid(
                "vendor_reference",
                "only a bill carries the vendor's number",
            ));
        }
        let employee = match input.employee_id {
            Some(_) if kind != DocKind::Expense => {
                return Err(ServiceError::invalid(
                    "employee_id",
                    "only an expense names the employee to reimburse",
                ));
            }
            Some(e) => Some(e.trim().to_owned()).filter(|e| !e.is_empty()),
            None => doc.employee_id.clone(),
        };
        if let Some(r) = input.round_total {
            doc.round_total = i64::from(r);
        }
        if input.reference.is_some() {
            doc.reference = opt_text("reference", input.reference, 200)?;
        }
        if input.notes.is_some() {
            doc.notes = opt_text("notes", input.notes, 4000)?;
        }
        let line_inputs = match (input.lines, current) {
            (Some(l), _) => l,
            (None, Some(c)) => model::inputs_of(c, h.currency),
            (None, None) => return Err(ServiceError::invalid("lines", "is required")),
        };
        let c = super::compute::compute(
            conn,
            ctx,
            &h,
            kind,
            &line_inputs,
            doc.round_total == 1,
            &doc.id,
        )
        .await?;
        doc.contact_id = h.customer.id.clone();
        if let Some(r) = &doc.vendor_reference
            && let Some(other) = store::vendor_reference_taken(
                &mut *conn,
                ctx.org_id(),
                kind.doc_type(),
                &doc.contact_id,
                r,
                &doc.id,
            )
            .await?
        {
            return Err(ServiceError::new(
                Code::NumberTaken,
                format!(
                    "vendor {} already has a {} numbered {r} ({other})",
                    h.customer.name,
                    kind.noun()
                ),
            )
            .with_field("vendor_reference", format!("{r} is already used")));
        }
        doc.date = h.date.to_string();
        doc.employee_id = match employee {
            Some(id) => Some(payee(conn, ctx, &id, &doc.date).await?),
            None => None,
        };
        doc.due_date = h.due_date;
        doc.currency = h.currency.code().to_owned();
        doc.exchange_rate = h.rate.to_string();
        doc.place_of_supply = h.place_of_supply;
        let t = c.totals;
        doc.subtotal = t.subtotal;
        doc.discount_total = t.discount_total;
        doc.tax_total = t.tax_total;
        doc.rounding = t.rounding;
        doc.total = t.total;
        let base = ctx.currency()?;
        doc.base_total = to_base(t.total, h.currency, h.rate, base)?;
        Ok(c.lines)
    }

    /// Gives a document its number and, for kinds that post, posts it and
    /// moves stock. The document must be a draft (or new).
    pub(crate) async fn complete(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        doc: &mut DocRow,
        lines: &mut [DocLineRow],
    ) -> ServiceResult<()> {
        if doc.number.is_none() {
            // Expenses are numbered as they are submitted.
            self.number(conn, ctx, kind, doc).await?;
        }
        let at = now();
        doc.approved_at = Some(at.clone());
        doc.updated_at = at;
        doc.status = Status::Approved.as_str().into();
        // Stock first: a sale's cost of sales posts in its own entry.
        let cogs = self.move_stock(conn, ctx, kind, doc, lines, false).await?;
        posting::post_document(conn, ctx, kind, doc, lines, cogs).await?;
        refresh_status(kind, doc);
        Ok(())
    }

    /// Gives a document the next number of its series.
    pub(crate) async fn number(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        doc: &mut DocRow,
    ) -> ServiceResult<()> {
        let date = parse_date("date", &doc.date)?;
        let (number, fy) =
            crate::numbering::assign(conn, ctx, kind.doc_type(), date, &doc.branch).await?;
        doc.number = Some(number);
        doc.fiscal_year = Some(fy);
        Ok(())
    }

    /// The events of an approval: `approved`, and `paid` for an invoice
    /// with nothing to pay (a free invoice is settled as it is approved).
    fn approval_events(kind: DocKind, doc: &DocRow) -> &'static [&'static str] {
        if matches!(kind, DocKind::Invoice | DocKind::Bill) && doc.status == "paid" {
            &["approved", "paid"]
        } else {
            &["approved"]
        }
    }

    /// Creates a document (approving it when asked, and receipts always),
    /// in a group commit.
    pub async fn create_document(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        input: DocumentInput,
    ) -> ServiceResult<DocumentView> {
        let (s, c) = (self.clone(), ctx.clone());
        self.grouped(
            ctx,
            writes(move |conn| {
                let (s, c, input) = (s.clone(), c.clone(), input.clone());
                Box::pin(async move { s.create_document_in(conn, &c, kind, input).await })
            }),
        )
        .await
    }

    async fn create_document_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        input: DocumentInput,
    ) -> ServiceResult<DocumentView> {
        let v = self.new_document_in(conn, ctx, kind, input).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        Ok(v)
    }

    /// Makes a document in the caller's transaction, with its events; the
    /// caller answers the request (a categorized bank line makes one).
    pub(crate) async fn new_document_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        input: DocumentInput,
    ) -> ServiceResult<DocumentView> {
        let base = ctx.currency()?;
        let at = now();
        let mut doc = DocRow {
            id: new_id(kind.id_prefix()),
            organization_id: ctx.org_id().to_owned(),
            doc_type: kind.doc_type().to_owned(),
            status: if kind == DocKind::Expense {
                Status::Submitted
            } else {
                Status::Draft
            }
            .as_str()
            .into(),
            exchange_rate: "1".into(),
            created_at: at.clone(),
            updated_at: at,
            ..DocRow::default()
        };
        let approve = input.approve.unwrap_or(false);
        doc.number = input.number.clone();
        if approve
            && ferrobooks_domain::document::status::allowed_from(kind.kind(), Action::Approve)
                .is_empty()
        {
            return Err(ServiceError::invalid(
                "approve",
                format!("a {} is not approved", kind.noun()),
            ));
        }
        let mut lines = self.fill(conn, ctx, kind, &mut doc, input, None).await?;
        if kind.is_receipt() || approve {
            // Receipts are paid on the spot: numbered and posted as made.
            self.complete(conn, ctx, kind, &mut doc, &mut lines).await?;
        } else if kind == DocKind::Expense && doc.number.is_none() {
            // A submitted expense has its number; it posts when approved.
            self.number(conn, ctx, kind, &mut doc).await?;
        }
        insert(conn, &doc, &lines).await?;
        let v = view(&doc, &lines, base);
        self.emit(conn, ctx, kind.event("created"), &v).await?;
        if approve {
            for e in Self::approval_events(kind, &doc) {
                self.emit(conn, ctx, kind.event(e), &v).await?;
            }
        }
        Ok(v)
    }

    pub async fn get_document(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
    ) -> ServiceResult<DocumentView> {
        let doc = store::get_doc(self.store.pool(), ctx.org_id(), kind.doc_type(), id)
            .await?
            .ok_or(ServiceError::not_found(kind.noun()))?;
        let lines = store::lines_of(self.store.pool(), ctx.org_id(), &[id]).await?;
        Ok(view(&doc, &lines, ctx.currency()?))
    }

    pub async fn list_documents(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        q: &DocQuery,
    ) -> ServiceResult<Page<DocumentView>> {
        let base = ctx.currency()?;
        let date = |field: &str, v: &Option<String>| -> ServiceResult<String> {
            Ok(match v {
                Some(d) => parse_date(field, d)?.to_string(),
                None => String::new(),
            })
        };
        if let Some(st) = q.status.as_deref()
            && !kind.statuses().contains(&st)
        {
            return Err(ServiceError::invalid(
                "status",
                format!(
                    "'{st}' is not a status of a {}; they are {}",
                    kind.noun(),
                    kind.statuses().join(", ")
                ),
            ));
        }
        if q.employee_id.is_some() && kind != DocKind::Expense {
            return Err(ServiceError::invalid_with(
                Code::InvalidQuery,
                "employee_id",
                "only expenses are listed by employee",
            ));
        }
        let date_from = date("date_from", &q.date_from)?;
        let date_to = date("date_to", &q.date_to)?;
        let since = crate::parse_since("updated_since", q.updated_since.as_deref())?;
        let rows = store::list_docs(
            self.store.pool(),
            ctx.org_id(),
            kind.doc_type(),
            &DocFilter {
                after: q.after.as_deref().unwrap_or(""),
                status: q.status.as_deref().unwrap_or(""),
                contact_id: q.customer_id.as_deref().unwrap_or(""),
                employee_id: q.employee_id.as_deref().unwrap_or(""),
                date_from: &date_from,
                date_to: &date_to,
                updated_since: since.as_deref().unwrap_or(""),
                search: q.search.as_deref().unwrap_or(""),
                limit: q.limit + 1,
            },
        )
        .await?;
        let page = paginate(rows, q.limit, |r| &r.id);
        let ids: Vec<&str> = page.items.iter().map(|r| r.id.as_str()).collect();
        let all = store::lines_of(self.store.pool(), ctx.org_id(), &ids).await?;
        let mut by_doc: std::collections::HashMap<String, Vec<DocLineRow>> = Default::default();
        for l in all {
            by_doc.entry(l.document_id.clone()).or_default().push(l);
        }
        Ok(Page {
            items: page
                .items
                .iter()
                .map(|d| view(d, by_doc.get(&d.id).map_or(&[][..], |v| v), base))
                .collect(),
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Loads a document locked for the transaction, or 404.
    pub(crate) async fn lock(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
    ) -> ServiceResult<(DocRow, Vec<DocLineRow>)> {
        let doc = store::lock_doc(&mut *conn, ctx.org_id(), kind.doc_type(), id)
            .await?
            .ok_or(ServiceError::not_found(kind.noun()))?;
        let lines = store::lines_of(&mut *conn, ctx.org_id(), &[id]).await?;
        Ok((doc, lines))
    }

    /// Saves a changed document, emits `event` and finishes the request.
    pub(crate) async fn finish_document(
        &self,
        mut wtx: ferrobooks_store::WriteTx,
        ctx: &AuthContext,
        kind: DocKind,
        doc: &DocRow,
        lines: &[DocLineRow],
        events: &[&str],
    ) -> ServiceResult<DocumentView> {
        let v = self
            .finish_document_in(&mut wtx.tx, ctx, kind, doc, lines, events)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// [`Services::finish_document`] on a transaction another commits.
    pub(crate) async fn finish_document_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        doc: &DocRow,
        lines: &[DocLineRow],
        events: &[&str],
    ) -> ServiceResult<DocumentView> {
        let v = self
            .record_document_in(conn, ctx, kind, doc, lines, events)
            .await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        Ok(v)
    }

    /// Saves a changed document and emits its events, for a request about
    /// something else (a bank line uncategorized voids its document).
    pub(crate) async fn record_document_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        doc: &DocRow,
        lines: &[DocLineRow],
        events: &[&str],
    ) -> ServiceResult<DocumentView> {
        save(conn, doc).await?;
        let v = view(doc, lines, ctx.currency()?);
        for e in events {
            self.emit(conn, ctx, kind.event(e), &v).await?;
        }
        Ok(v)
    }

    pub async fn update_document(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
        input: DocumentInput,
    ) -> ServiceResult<DocumentView> {
        if input.approve.is_some() {
            return Err(ServiceError::invalid(
                "approve",
                format!(
                    "approve a draft with POST /{}s/{{id}}/approve",
                    kind.doc_type()
                ),
            ));
        }
        let mut wtx = self.store.begin_write().await?;
        let (mut doc, current) = self.lock(&mut wtx.tx, ctx, kind, id).await?;
        allow(kind, &doc, Action::Edit)?;
        let keeps_lines = input.lines.is_none();
        if !keeps_lines && current.iter().any(|l| l.source_line_no.is_some()) {
            return Err(ServiceError::invalid(
                "lines",
                "this bill bills a purchase order's lines: delete the draft and convert the order again to bill other lines or quantities",
            ));
        }
        let mut lines = self
            .fill(&mut wtx.tx, ctx, kind, &mut doc, input, Some(&current))
            .await?;
        if keeps_lines {
            // The same lines, recomputed: what they bill of an order stays.
            for (l, c) in lines.iter_mut().zip(&current) {
                l.source_line_no = c.source_line_no;
                l.billed_quantity = c.billed_quantity.clone();
            }
        }
        doc.updated_at = now();
        if kind == DocKind::Expense {
            // A rejected expense, corrected, is submitted again.
            doc.status = Status::Submitted.as_str().into();
        }
        store::save_lines(&mut wtx.tx, ctx.org_id(), id, &lines, true).await?;
        self.finish_document(wtx, ctx, kind, &doc, &lines, &["updated"])
            .await
    }

    pub async fn delete_document(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
    ) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        self.delete_document_in(&mut wtx.tx, ctx, kind, id).await?;
        wtx.commit().await?;
        Ok(())
    }

    /// Deletes a draft in the caller's transaction, with its event.
    pub(crate) async fn delete_document_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
    ) -> ServiceResult<()> {
        let (doc, lines) = self.lock(conn, ctx, kind, id).await?;
        allow(kind, &doc, Action::Delete)?;
        self.release_order(conn, ctx, &doc, &lines).await?;
        store::delete_doc(&mut *conn, ctx.org_id(), id, &now()).await?;
        let v = view(&doc, &lines, ctx.currency()?);
        self.emit(conn, ctx, kind.event("deleted"), &v).await?;
        Ok(())
    }

    /// Approves a draft invoice or credit note: it takes its number from
    /// the series, posts, and moves stock.
    pub async fn approve_document(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
    ) -> ServiceResult<DocumentView> {
        let (s, c, id) = (self.clone(), ctx.clone(), id.to_owned());
        self.grouped(
            ctx,
            writes(move |conn| {
                let (s, c, id) = (s.clone(), c.clone(), id.clone());
                Box::pin(async move { s.approve_document_in(conn, &c, kind, &id).await })
            }),
        )
        .await
    }

    async fn approve_document_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
    ) -> ServiceResult<DocumentView> {
        let (mut doc, mut lines) = self.lock(conn, ctx, kind, id).await?;
        allow(kind, &doc, Action::Approve)?;
        self.complete(conn, ctx, kind, &mut doc, &mut lines).await?;
        if lines.iter().any(|l| l.stock_cost.is_some()) {
            // The cost each line moved, for its void.
            store::save_lines(conn, ctx.org_id(), id, &lines, true).await?;
        }
        let events = Self::approval_events(kind, &doc);
        self.finish_document_in(conn, ctx, kind, &doc, &lines, events)
            .await
    }

    /// Marks an approved invoice (or an estimate) as sent to the customer.
    pub async fn send_document(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
    ) -> ServiceResult<DocumentView> {
        let mut wtx = self.store.begin_write().await?;
        let v = self.send_document_in(&mut wtx.tx, ctx, kind, id).await?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Marks a document sent in the caller's transaction, with its event
    /// (a subscription sends the invoices it issues).
    pub(crate) async fn send_document_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
    ) -> ServiceResult<DocumentView> {
        let (mut doc, lines) = self.lock(conn, ctx, kind, id).await?;
        allow(kind, &doc, Action::Send)?;
        let at = now();
        doc.sent_at = Some(at.clone());
        doc.updated_at = at;
        if kind == DocKind::Estimate {
            if doc.number.is_none() {
                let date = parse_date("date", &doc.date)?;
                let (n, fy) =
                    crate::numbering::assign(conn, ctx, "estimate", date, &doc.branch).await?;
                doc.number = Some(n);
                doc.fiscal_year = Some(fy);
            }
            doc.status = Status::Sent.as_str().into();
        } else {
            refresh_status(kind, &mut doc);
        }
        self.record_document_in(conn, ctx, kind, &doc, &lines, &["sent"])
            .await
    }

    /// Voids a posted document: posts the reversal dated `date` (default
    /// today) and restores stock. Refused while payments or credits are
    /// applied to it.
    pub async fn void_document(
        &self,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
        date: Option<&str>,
    ) -> ServiceResult<DocumentView> {
        let mut wtx = self.store.begin_write().await?;
        let (doc, lines) = self
            .void_document_in(&mut wtx.tx, ctx, kind, id, date)
            .await?;
        self.finish_document(wtx, ctx, kind, &doc, &lines, &["voided"])
            .await
    }

    /// [`Services::void_document`] in the caller's transaction, up to
    /// saving the document (the caller saves it and says so).
    pub(crate) async fn void_document_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        kind: DocKind,
        id: &str,
        date: Option<&str>,
    ) -> ServiceResult<(DocRow, Vec<DocLineRow>)> {
        let (mut doc, mut lines) = self.lock(conn, ctx, kind, id).await?;
        allow(kind, &doc, Action::Void)?;
        if kind == DocKind::Expense {
            // An expense's approval and its payment are both taken back.
            let source = format!("{} {id}", kind.doc_type());
            for e in
                ferrobooks_store::journal::live_entries_of_source(&mut *conn, ctx.org_id(), &source)
                    .await?
            {
                crate::journal::reverse_entry(conn, ctx, &e, date, false).await?;
            }
        } else if !kind.is_receipt() && doc.paid + doc.credited > 0 {
            let what = if matches!(kind, DocKind::Invoice | DocKind::Bill) {
                "payments or credits are applied to it; delete or unapply them first"
            } else {
                "it has been applied or refunded"
            };
            return Err(ServiceError::new(
                Code::HasApplications,
                format!("{} {id} cannot be voided: {what}", kind.noun()),
            ));
        }
        if let Some(entry) = doc
            .journal_entry_id
            .as_ref()
            .filter(|_| kind != DocKind::Expense)
        {
            crate::journal::reverse_entry(conn, ctx, entry, date, false).await?;
        } else if let Some(d) = date {
            parse_date("date", d)?;
        }
        self.move_stock(conn, ctx, kind, &doc, &mut lines, true)
            .await?;
        self.release_order(conn, ctx, &doc, &lines).await?;
        let at = now();
        doc.status = Status::Void.as_str().into();
        doc.voided_at = Some(at.clone());
        doc.updated_at = at;
        Ok((doc, lines))
    }
}
