//! What tax returns read (the taxed lines of the documents of a period)
//! and what filing keeps: the return as filed, its period, and a reopen.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::{OrgId, StoreError};

/// One line of a posted document dated in a return's period, with what a
/// return needs of its document and its tax.
#[derive(Debug, Clone, FromRow)]
pub struct TaxedLine {
    pub document_id: String,
    pub doc_type: String,
    pub number: Option<String>,
    pub date: String,
    pub contact_id: String,
    pub currency: String,
    pub exchange_rate: String,
    pub place_of_supply: Option<String>,
    pub line_no: i64,
    pub product_id: Option<String>,
    /// Exact decimal text.
    pub quantity: String,
    /// The line's income, expense or asset account.
    pub account_id: String,
    /// In the document's currency.
    pub net: i64,
    pub tax_id: Option<String>,
    /// JSON array of {name, rate, account_id, amount, treatment?}.
    pub taxes: String,
    pub reverse_charge: i64,
    pub itc_eligibility: Option<String>,
    /// The tax's kind (`gst`, `vat`, `sales_tax`) and whether it is an
    /// exempt rate; none for a line without a tax.
    pub tax_kind: Option<String>,
    pub tax_exempt: Option<i64>,
    /// The tax's rate (exact decimal text, percent).
    pub tax_rate: Option<String>,
    /// The document's total in the base currency.
    pub base_total: i64,
    pub description: Option<String>,
    /// The counterparty's tax id (a GSTIN in India) and SEZ flag.
    pub contact_tax_id: Option<String>,
    pub contact_sez: Option<i64>,
    /// The line's product: its HSN/SAC code, type (`goods`, `service`)
    /// and name.
    pub hsn_sac: Option<String>,
    pub product_type: Option<String>,
    pub product_name: Option<String>,
}

/// The lines of documents of `doc_types` dated in `[from, to]` that are
/// posted and not void, in date and document order.
pub async fn taxed_lines(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_types: &[&str],
    (from, to): (&str, &str),
) -> Result<Vec<TaxedLine>, StoreError> {
    let text = format!(
        "SELECT d.id AS document_id, d.doc_type, d.number, d.date, d.contact_id, d.currency, \
           d.exchange_rate, d.place_of_supply, l.line_no, l.product_id, l.quantity, l.account_id, l.net, l.tax_id, l.taxes, \
           l.reverse_charge, l.itc_eligibility, t.kind AS tax_kind, t.exempt AS tax_exempt, \
           t.rate AS tax_rate, d.base_total, l.description, \
           COALESCE(c.tax_id, v.tax_id) AS contact_tax_id, COALESCE(c.sez, v.sez) AS contact_sez, \
           p.hsn_sac, p.type AS product_type, p.name AS product_name \
         FROM documents d JOIN document_lines l ON l.document_id = d.id \
         LEFT JOIN taxes t ON t.id = l.tax_id AND t.organization_id = d.organization_id \
         LEFT JOIN customers c ON c.id = d.contact_id AND c.organization_id = d.organization_id \
         LEFT JOIN vendors v ON v.id = d.contact_id AND v.organization_id = d.organization_id \
         LEFT JOIN products p ON p.id = l.product_id AND p.organization_id = d.organization_id \
         WHERE d.organization_id = $1 AND d.date >= $2 AND d.date <= $3 \
           AND d.deleted_at IS NULL AND d.journal_entry_id IS NOT NULL \
           AND d.status <> 'void' AND d.doc_type IN ({}) \
         ORDER BY d.date, d.id, l.line_no",
        crate::sql::list(4, doc_types.len())
    );
    let mut q = sqlx::query_as(&text).bind(org).bind(from).bind(to);
    for t in doc_types {
        q = q.bind(*t);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// A number issued to a document dated in a period: posted, or voided.
#[derive(Debug, Clone, FromRow)]
pub struct IssuedNumber {
    pub doc_type: String,
    pub number: String,
    pub status: String,
}

/// The bad-debt relief of `[from, to]`: what write-offs dated in it (and
/// the reversals of undone ones) put on the VAT account `vat_account`.
pub async fn bad_debt_relief(
    conn: &mut AnyConnection,
    org: &OrgId,
    vat_account: &str,
    (from, to): (&str, &str),
) -> Result<i64, StoreError> {
    let (sum,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(l.debit - l.credit) AS BIGINT) \
         FROM journal_entries j JOIN journal_lines l ON l.entry_id = j.id \
         WHERE j.organization_id = $1 AND j.date >= $2 AND j.date <= $3 \
           AND j.status IN ('posted', 'void') AND j.source LIKE 'write_off %' \
           AND l.account_id = $4",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .bind(vat_account)
    .fetch_one(&mut *conn)
    .await?;
    Ok(sum.unwrap_or(0))
}

/// The numbers given to documents of `doc_types` dated in `[from, to]`.
pub async fn issued_numbers(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_types: &[&str],
    (from, to): (&str, &str),
) -> Result<Vec<IssuedNumber>, StoreError> {
    let text = format!(
        "SELECT doc_type, number, status FROM documents \
         WHERE organization_id = $1 AND date >= $2 AND date <= $3 AND number IS NOT NULL \
           AND deleted_at IS NULL AND doc_type IN ({}) \
         ORDER BY doc_type, number",
        crate::sql::list(4, doc_types.len())
    );
    let mut q = sqlx::query_as(&text).bind(org).bind(from).bind(to);
    for t in doc_types {
        q = q.bind(*t);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// A return as filed.
#[derive(Debug, Clone, FromRow)]
pub struct TaxReturnRow {
    pub id: String,
    pub organization_id: OrgId,
    /// `vat_return`, `sales_tax_liability`...
    pub kind: String,
    pub period_key: Option<String>,
    pub date_from: String,
    pub date_to: String,
    /// The return's JSON as filed.
    pub body: String,
    /// `filed` or `reopened`.
    pub status: String,
    pub filed_at: String,
    pub filed_by: Option<String>,
    pub reopened_at: Option<String>,
    pub reopen_reason: Option<String>,
    pub reopened_by: Option<String>,
}

const COLS: &str = "id, organization_id, kind, period_key, date_from, date_to, body, status, \
     filed_at, filed_by, reopened_at, reopen_reason, reopened_by";

pub async fn insert_return(conn: &mut AnyConnection, r: &TaxReturnRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO tax_returns ({COLS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.kind)
    .bind(&r.period_key)
    .bind(&r.date_from)
    .bind(&r.date_to)
    .bind(&r.body)
    .bind(&r.status)
    .bind(&r.filed_at)
    .bind(&r.filed_by)
    .bind(&r.reopened_at)
    .bind(&r.reopen_reason)
    .bind(&r.reopened_by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_return<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<TaxReturnRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM tax_returns WHERE organization_id = $1 AND id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// Every return of the organization, the latest period first.
pub async fn list_returns<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
) -> Result<Vec<TaxReturnRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM tax_returns WHERE organization_id = $1 \
         ORDER BY date_from DESC, filed_at DESC"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// A filed (not reopened) return of `kind` whose period overlaps
/// `[from, to]`.
pub async fn filed_overlapping(
    conn: &mut AnyConnection,
    org: &OrgId,
    kind: &str,
    (from, to): (&str, &str),
) -> Result<Option<TaxReturnRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM tax_returns WHERE organization_id = $1 AND kind = $2 \
           AND status = 'filed' AND date_from <= $4 AND date_to >= $3"
    ))
    .bind(org)
    .bind(kind)
    .bind(from)
    .bind(to)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Marks a filed return reopened, with the reason; false when it was not
/// filed (already reopened).
pub async fn reopen_return(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    (at, reason, by): (&str, &str, Option<&str>),
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE tax_returns SET status = 'reopened', reopened_at = $3, reopen_reason = $4, \
           reopened_by = $5 WHERE organization_id = $1 AND id = $2 AND status = 'filed'",
    )
    .bind(org)
    .bind(id)
    .bind(at)
    .bind(reason)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
