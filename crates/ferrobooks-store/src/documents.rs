//! Documents of both sides (invoices, estimates, credit notes, sales and
//! refund receipts; bills), their lines, customer payments and the
//! allocations that settle invoices. A document names its contact: a
//! customer for a sale, a vendor for a purchase.
//!
//! Rows are saved whole (`INSERT .. ON CONFLICT (id) DO UPDATE`): a use
//! case loads a row locked for update, changes it and saves it in the same
//! transaction.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::OrgId;
use crate::StoreError;
use crate::sql::{self, Insert};

#[derive(Debug, Clone, Default, FromRow)]
pub struct DocRow {
    pub id: String,
    pub organization_id: OrgId,
    pub doc_type: String,
    pub number: Option<String>,
    pub fiscal_year: Option<String>,
    pub status: String,
    /// The customer of a sale, the vendor of a purchase.
    pub contact_id: String,
    pub date: String,
    pub due_date: Option<String>,
    pub branch: String,
    pub currency: String,
    /// Base units per document unit, exact decimal text.
    pub exchange_rate: String,
    pub place_of_supply: Option<String>,
    pub reference: Option<String>,
    pub notes: Option<String>,
    pub round_total: i64,
    pub subtotal: i64,
    pub discount_total: i64,
    pub tax_total: i64,
    pub rounding: i64,
    pub total: i64,
    pub paid: i64,
    pub credited: i64,
    pub base_total: i64,
    pub base_settled: i64,
    pub deposit_account_id: Option<String>,
    pub journal_entry_id: Option<String>,
    pub source_id: Option<String>,
    pub converted_to_id: Option<String>,
    pub overdue_notified: i64,
    pub sent_at: Option<String>,
    pub approved_at: Option<String>,
    pub voided_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// A bill's number as its vendor wrote it (unique per vendor).
    pub vendor_reference: Option<String>,
    /// Expenses: the employee who paid and is to be reimbursed.
    pub employee_id: Option<String>,
}

impl DocRow {
    /// What is still owed on an invoice (or, on a credit note, the credit
    /// not yet applied or refunded).
    pub fn balance(&self) -> i64 {
        self.total - self.paid - self.credited
    }
}

const DOC_COLS: &[&str] = &[
    "id",
    "organization_id",
    "doc_type",
    "number",
    "fiscal_year",
    "status",
    "contact_id",
    "date",
    "due_date",
    "branch",
    "currency",
    "exchange_rate",
    "place_of_supply",
    "reference",
    "notes",
    "round_total",
    "subtotal",
    "discount_total",
    "tax_total",
    "rounding",
    "total",
    "paid",
    "credited",
    "base_total",
    "base_settled",
    "deposit_account_id",
    "journal_entry_id",
    "source_id",
    "converted_to_id",
    "overdue_notified",
    "sent_at",
    "approved_at",
    "voided_at",
    "created_at",
    "updated_at",
    "vendor_reference",
    "employee_id",
];

#[derive(Debug, Clone, Default, FromRow)]
pub struct DocLineRow {
    pub document_id: String,
    pub line_no: i64,
    pub organization_id: OrgId,
    pub product_id: Option<String>,
    pub description: Option<String>,
    pub quantity: String,
    pub unit_price: i64,
    pub discount: i64,
    pub net: i64,
    pub account_id: String,
    pub tax_id: Option<String>,
    /// JSON array of {name, rate, account_id, amount}.
    pub taxes: String,
    pub tax_amount: i64,
    /// 1 when the buyer owes the line's tax (reverse charge).
    pub reverse_charge: i64,
    /// India: the line's input tax credit eligibility.
    pub itc_eligibility: Option<String>,
    /// Purchase orders: how much of the quantity bills have taken.
    pub billed_quantity: Option<String>,
    /// Bills made from a purchase order: the order's line this one bills.
    pub source_line_no: Option<i64>,
    /// Tracked stock: the cost (base currency) of what the line moved.
    pub stock_cost: Option<i64>,
}

const LINE_COLS: &[&str] = &[
    "document_id",
    "line_no",
    "organization_id",
    "product_id",
    "description",
    "quantity",
    "unit_price",
    "discount",
    "net",
    "account_id",
    "tax_id",
    "taxes",
    "tax_amount",
    "reverse_charge",
    "itc_eligibility",
    "billed_quantity",
    "source_line_no",
    "stock_cost",
];

fn upsert_tail(cols: &[&str]) -> String {
    let sets: Vec<String> = cols
        .iter()
        .filter(|c| **c != "id")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!("ON CONFLICT (id) DO UPDATE SET {}", sets.join(", "))
}

fn for_update(conn: &AnyConnection) -> &'static str {
    sql::lock(sql::backend_of(conn), sql::Lock::Update)
}

/// The upsert of document rows.
pub(crate) fn docs_insert<'a>(docs: impl IntoIterator<Item = &'a DocRow>) -> Insert {
    let mut ins = Insert::new("documents", DOC_COLS).tail(upsert_tail(DOC_COLS));
    for d in docs {
        ins.row(vec![
            (&d.id).into(),
            (&d.organization_id).into(),
            (&d.doc_type).into(),
            (&d.number).into(),
            (&d.fiscal_year).into(),
            (&d.status).into(),
            (&d.contact_id).into(),
            (&d.date).into(),
            (&d.due_date).into(),
            (&d.branch).into(),
            (&d.currency).into(),
            (&d.exchange_rate).into(),
            (&d.place_of_supply).into(),
            (&d.reference).into(),
            (&d.notes).into(),
            d.round_total.into(),
            d.subtotal.into(),
            d.discount_total.into(),
            d.tax_total.into(),
            d.rounding.into(),
            d.total.into(),
            d.paid.into(),
            d.credited.into(),
            d.base_total.into(),
            d.base_settled.into(),
            (&d.deposit_account_id).into(),
            (&d.journal_entry_id).into(),
            (&d.source_id).into(),
            (&d.converted_to_id).into(),
            d.overdue_notified.into(),
            (&d.sent_at).into(),
            (&d.approved_at).into(),
            (&d.voided_at).into(),
            (&d.created_at).into(),
            (&d.updated_at).into(),
            (&d.vendor_reference).into(),
            (&d.employee_id).into(),
        ]);
    }
    ins
}

/// The insert of document lines.
pub(crate) fn lines_insert<'a>(lines: impl IntoIterator<Item = &'a DocLineRow>) -> Insert {
    let mut ins = Insert::new("document_lines", LINE_COLS);
    for l in lines {
        ins.row(vec![
            (&l.document_id).into(),
            l.line_no.into(),
            (&l.organization_id).into(),
            (&l.product_id).into(),
            (&l.description).into(),
            (&l.quantity).into(),
            l.unit_price.into(),
            l.discount.into(),
            l.net.into(),
            (&l.account_id).into(),
            (&l.tax_id).into(),
            (&l.taxes).into(),
            l.tax_amount.into(),
            l.reverse_charge.into(),
            (&l.itc_eligibility).into(),
            (&l.billed_quantity).into(),
            l.source_line_no.into(),
            l.stock_cost.into(),
        ]);
    }
    ins
}

/// Inserts or replaces a document row; inside a unit it is held and
/// written with the batch (see [`crate::units::hold_saved_doc`]).
pub async fn save_doc(conn: &mut AnyConnection, d: &DocRow) -> Result<(), StoreError> {
    if crate::units::hold_saved_doc(d)? {
        return Ok(());
    }
    sql::run_inserts(conn, vec![docs_insert([d])]).await
}

/// Writes a new document and its lines; inside a unit of a group commit
/// they are held and written with the batch (a vendor's bill number or a
/// document number taken twice in one batch fails the batch's unique
/// index, and its units then run alone, where the checks see it).
pub async fn insert_doc(
    conn: &mut AnyConnection,
    d: &DocRow,
    lines: &[DocLineRow],
) -> Result<(), StoreError> {
    if crate::units::hold_doc(d, lines) {
        return Ok(());
    }
    save_doc(conn, d).await?;
    save_lines(conn, &d.organization_id, &d.id, lines, false).await
}

/// Writes a document's lines; `replace` drops the lines it had first (an
/// edited draft; a new document has none).
pub async fn save_lines(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_id: &str,
    lines: &[DocLineRow],
    replace: bool,
) -> Result<(), StoreError> {
    if crate::units::replace_held_lines(doc_id, lines)? {
        return Ok(());
    }
    if replace {
        sqlx::query("DELETE FROM document_lines WHERE organization_id = $1 AND document_id = $2")
            .bind(org)
            .bind(doc_id)
            .execute(&mut *conn)
            .await?;
    }
    sql::run_inserts(conn, vec![lines_insert(lines)]).await
}

/// A live document of the given type.
pub async fn get_doc<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    doc_type: &str,
    id: &str,
) -> Result<Option<DocRow>, StoreError> {
    if let Some(d) = crate::units::held_doc(id)? {
        return Ok(held_match(d, org, doc_type));
    }
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM documents \
         WHERE organization_id = $1 AND doc_type = $2 AND id = $3 AND deleted_at IS NULL",
        DOC_COLS.join(", ")
    ))
    .bind(org)
    .bind(doc_type)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// A live document, locked until the transaction ends.
pub async fn lock_doc(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_type: &str,
    id: &str,
) -> Result<Option<DocRow>, StoreError> {
    // Held: saved earlier in this transaction, so locked already.
    if let Some(d) = crate::units::held_doc(id)? {
        return Ok(held_match(d, org, doc_type));
    }
    let lock = for_update(conn);
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM documents \
         WHERE organization_id = $1 AND doc_type = $2 AND id = $3 AND deleted_at IS NULL{lock}",
        DOC_COLS.join(", ")
    ))
    .bind(org)
    .bind(doc_type)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A held document, if it is the one asked for.
fn held_match(d: DocRow, org: &OrgId, doc_type: &str) -> Option<DocRow> {
    (d.organization_id == *org && d.doc_type == doc_type).then_some(d)
}

/// Lines of the given documents, in document and line order.
pub async fn lines_of<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    ids: &[&str],
) -> Result<Vec<DocLineRow>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    if let [id] = ids
        && let Some(lines) = crate::units::held_lines(id)?
    {
        return Ok(lines);
    }
    let text = format!(
        "SELECT {} FROM document_lines WHERE organization_id = $1 AND document_id IN ({}) \
         ORDER BY document_id, line_no",
        LINE_COLS.join(", "),
        sql::list(2, ids.len())
    );
    let mut q = sqlx::query_as(&text).bind(org);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(e).await?)
}

/// Filters of a document list; empty strings match everything.
#[derive(Debug, Clone, Default)]
pub struct DocFilter<'a> {
    pub after: &'a str,
    pub status: &'a str,
    /// The customer or vendor ("" for all).
    pub contact_id: &'a str,
    /// Expenses: the employee to reimburse ("" for all).
    pub employee_id: &'a str,
    pub date_from: &'a str,
    pub date_to: &'a str,
    pub updated_since: &'a str,
    pub search: &'a str,
    pub limit: i64,
}

pub async fn list_docs<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    doc_type: &str,
    f: &DocFilter<'_>,
) -> Result<Vec<DocRow>, StoreError> {
    let search = if f.search.is_empty() {
        String::new()
    } else {
        crate::sql::contains_pattern(f.search)
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM documents \
         WHERE organization_id = $1 AND doc_type = $2 AND deleted_at IS NULL AND id > $3 \
         AND ($4 = '' OR status = $4) AND ($5 = '' OR contact_id = $5) \
         AND ($6 = '' OR date >= $6) AND ($7 = '' OR date <= $7) \
         AND ($8 = '' OR updated_at >= $8) \
         AND ($9 = '' OR LOWER(COALESCE(number, '')) LIKE $9 ESCAPE '\\' OR LOWER(COALESCE(reference, '')) LIKE $9 ESCAPE '\\') \
         AND ($11 = '' OR employee_id = $11) \
         ORDER BY id LIMIT $10",
        DOC_COLS.join(", ")
    ))
    .bind(org)
    .bind(doc_type)
    .bind(f.after)
    .bind(f.status)
    .bind(f.contact_id)
    .bind(f.date_from)
    .bind(f.date_to)
    .bind(f.updated_since)
    .bind(search)
    .bind(f.limit)
    .bind(f.employee_id)
    .fetch_all(e)
    .await?)
}

/// Soft-deletes a document.
pub async fn delete_doc(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE documents SET deleted_at = $3, updated_at = $3 \
         WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether a customer has any live document other than drafts and voids,
/// or any payment.
pub async fn customer_has_documents<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    customer_id: &str,
) -> Result<bool, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM ( \
           SELECT id FROM documents WHERE organization_id = $1 AND contact_id = $2 \
             AND deleted_at IS NULL \
           UNION ALL SELECT id FROM payments WHERE organization_id = $1 AND contact_id = $2 \
             AND deleted_at IS NULL) t",
    )
    .bind(org)
    .bind(customer_id)
    .fetch_one(e)
    .await?;
    Ok(n > 0)
}

/// Whether any live document names the employee (an expense to
/// reimburse them).
pub async fn employee_has_documents<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    employee_id: &str,
) -> Result<bool, StoreError> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM documents WHERE organization_id = $1 AND employee_id = $2 \
         AND deleted_at IS NULL LIMIT 1",
    )
    .bind(org)
    .bind(employee_id)
    .fetch_optional(e)
    .await?;
    Ok(found.is_some())
}

/// Documents whose due date (invoices) or expiry date (estimates) is
/// before `today` and that the due-date job has not marked yet, across all
/// organizations: (organization, id, due date) in (due date, id) order
/// after `after`. Invoices count while approved, sent or partially paid;
/// estimates while draft or sent.
pub async fn due_documents<'c, E: Executor<'c, Database = Any>>(
    e: E,
    doc_type: &str,
    today: &str,
    after: (&str, &str),
    limit: i64,
) -> Result<Vec<(OrgId, String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT organization_id, id, due_date FROM documents \
         WHERE overdue_notified = 0 AND due_date < $1 AND doc_type = $5 \
         AND ((doc_type IN ('invoice', 'bill') AND status IN ('approved', 'sent', 'partially_paid')) \
           OR (doc_type = 'estimate' AND status IN ('draft', 'sent'))) \
         AND deleted_at IS NULL AND (due_date > $2 OR (due_date = $2 AND id > $3)) \
         ORDER BY due_date, id LIMIT $4",
    )
    .bind(today)
    .bind(after.0)
    .bind(after.1)
    .bind(limit)
    .bind(doc_type)
    .fetch_all(e)
    .await?)
}

/// The document (its number, else its id) of `doc_type` that already has
/// the vendor's own number `reference` for `contact`, other than `except`.
pub async fn vendor_reference_taken(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_type: &str,
    contact: &str,
    reference: &str,
    except: &str,
) -> Result<Option<String>, StoreError> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT id, number FROM documents WHERE organization_id = $1 AND doc_type = $2 \
         AND contact_id = $3 AND vendor_reference = $4 AND id <> $5 AND deleted_at IS NULL \
         LIMIT 1",
    )
    .bind(org)
    .bind(doc_type)
    .bind(contact)
    .bind(reference)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id, number)| number.unwrap_or(id)))
}
