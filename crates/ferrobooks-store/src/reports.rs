//! Report queries. They read the per-day balances, not the journal lines,
//! except the general ledger, which lists the lines of its date range.

use sqlx::{Any, Executor, FromRow};

use crate::OrgId;
use crate::StoreError;

/// Debit and credit totals of one account over a range of days.
#[derive(Debug, Clone, FromRow)]
pub struct AccountTotals {
    pub account_id: String,
    pub code: String,
    pub name: String,
    #[sqlx(rename = "type")]
    pub account_type: String,
    pub subtype: String,
    pub parent_id: Option<String>,
    pub debit: i64,
    pub credit: i64,
}

/// Totals per account of all posted lines dated on or before `to` (and on
/// or after `from` when given), from the per-day balances.
pub async fn account_totals<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    from: Option<&str>,
    to: &str,
) -> Result<Vec<AccountTotals>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id AS account_id, a.code, a.name, a.type, a.subtype, a.parent_id, \
           CAST(SUM(b.debit) AS BIGINT) AS debit, CAST(SUM(b.credit) AS BIGINT) AS credit \
         FROM account_balances b JOIN accounts a ON a.id = b.account_id \
         WHERE b.organization_id = $1 AND a.organization_id = $1 \
           AND b.day <= $2 AND ($3 = '' OR b.day >= $3) \
         GROUP BY a.id, a.code, a.name, a.type, a.subtype, a.parent_id \
         ORDER BY a.code",
    )
    .bind(org)
    .bind(to)
    .bind(from.unwrap_or(""))
    .fetch_all(e)
    .await?)
}

/// Totals per account, as [`account_totals`], of the entries of one
/// contact (a line of the entry names it) and/or of one branch (the entry
/// was posted by a document of the branch). Read from the lines of those
/// entries, so the cost follows the contact's or the branch's entries.
pub async fn filtered_totals<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    from: Option<&str>,
    to: &str,
    contact_id: Option<&str>,
    branch: Option<&str>,
) -> Result<Vec<AccountTotals>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id AS account_id, a.code, a.name, a.type, a.subtype, a.parent_id, \
           CAST(SUM(l.debit) AS BIGINT) AS debit, CAST(SUM(l.credit) AS BIGINT) AS credit \
         FROM journal_entries j \
         JOIN journal_lines l ON l.entry_id = j.id \
         JOIN accounts a ON a.id = l.account_id \
         WHERE j.organization_id = $1 AND j.status IN ('posted', 'void') \
           AND l.date <= $2 AND ($3 = '' OR l.date >= $3) \
           AND ($4 = '' OR j.id IN ( \
             SELECT c.entry_id FROM journal_lines c \
             WHERE c.organization_id = $1 AND c.contact_id = $4)) \
           AND ($5 = '' OR j.source IN ( \
             SELECT d.doc_type || ' ' || d.id FROM documents d \
             WHERE d.organization_id = $1 AND d.branch = $5)) \
         GROUP BY a.id, a.code, a.name, a.type, a.subtype, a.parent_id \
         ORDER BY a.code",
    )
    .bind(org)
    .bind(to)
    .bind(from.unwrap_or(""))
    .bind(contact_id.unwrap_or(""))
    .bind(branch.unwrap_or(""))
    .fetch_all(e)
    .await?)
}

/// The given accounts with zero totals: a cash basis report recognizes
/// amounts on accounts that may have no line of their own in its range.
pub async fn accounts_as_totals<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    ids: &[&str],
) -> Result<Vec<AccountTotals>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let q = format!(
        "SELECT id AS account_id, code, name, type, subtype, parent_id, \
           CAST(0 AS BIGINT) AS debit, CAST(0 AS BIGINT) AS credit \
         FROM accounts WHERE organization_id = $1 AND id IN ({})",
        crate::sql::list(2, ids.len())
    );
    let mut query = sqlx::query_as(&q).bind(org);
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(e).await?)
}

/// A posted line as the general ledger shows it.
#[derive(Debug, Clone, FromRow)]
pub struct LedgerLine {
    pub entry_id: String,
    pub line_no: i64,
    pub account_id: String,
    pub date: String,
    pub debit: i64,
    pub credit: i64,
    pub description: Option<String>,
    pub contact_id: Option<String>,
    pub number: Option<String>,
    pub memo: Option<String>,
    pub reference: Option<String>,
}

/// Posted lines (of posted and voided entries: a void keeps the original and
/// adds its reversal) dated in `[from, to]`, for one account or all.
pub async fn ledger_lines<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    account_id: Option<&str>,
    from: &str,
    to: &str,
) -> Result<Vec<LedgerLine>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT l.entry_id, l.line_no, l.account_id, l.date, l.debit, l.credit, l.description, \
           l.contact_id, j.number, j.memo, j.reference \
         FROM journal_lines l JOIN journal_entries j ON j.id = l.entry_id \
         WHERE l.organization_id = $1 AND ($2 = '' OR l.account_id = $2) \
           AND l.date >= $3 AND l.date <= $4 AND j.status IN ('posted', 'void') \
         ORDER BY l.account_id, l.date, j.number, l.line_no",
    )
    .bind(org)
    .bind(account_id.unwrap_or(""))
    .bind(from)
    .bind(to)
    .fetch_all(e)
    .await?)
}

/// What approved invoices dated on or before `day` still had open on it,
/// in the base currency: their totals less what allocations dated up to
/// that day settled (void invoices left out).
pub async fn outstanding_invoices<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    day: &str,
) -> Result<i64, StoreError> {
    let (open,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(d.base_total - COALESCE((SELECT SUM(x.base_settled) FROM allocations x \
             WHERE x.organization_id = $1 AND x.document_id = d.id AND x.date <= $2 \
               AND x.deleted_at IS NULL), 0)) AS BIGINT) \
         FROM documents d \
         WHERE d.organization_id = $1 AND d.doc_type = 'invoice' AND d.date <= $2 \
           AND d.journal_entry_id IS NOT NULL AND d.status NOT IN ('draft', 'void') \
           AND d.deleted_at IS NULL",
    )
    .bind(org)
    .bind(day)
    .fetch_one(e)
    .await?;
    Ok(open.unwrap_or(0))
}

/// A contact's posted lines on one account dated in `[from, to]`, in date
/// order, and (second) the debit and credit totals of those dated before
/// `from`: a customer's or vendor's statement.
pub async fn contact_lines(
    conn: &mut sqlx::AnyConnection,
    org: &OrgId,
    contact_id: &str,
    account_id: &str,
    (from, to): (&str, &str),
) -> Result<(Vec<LedgerLine>, (i64, i64)), StoreError> {
    let lines = sqlx::query_as(
        "SELECT l.entry_id, l.line_no, l.account_id, l.date, l.debit, l.credit, l.description, \
           l.contact_id, j.number, j.memo, j.reference \
         FROM journal_lines l JOIN journal_entries j ON j.id = l.entry_id \
         WHERE l.organization_id = $1 AND l.contact_id = $2 AND l.account_id = $3 \
           AND l.date >= $4 AND l.date <= $5 AND j.status IN ('posted', 'void') \
         ORDER BY l.date, j.number, l.entry_id, l.line_no",
    )
    .bind(org)
    .bind(contact_id)
    .bind(account_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let (debit, credit): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT CAST(SUM(l.debit) AS BIGINT), CAST(SUM(l.credit) AS BIGINT) \
         FROM journal_lines l JOIN journal_entries j ON j.id = l.entry_id \
         WHERE l.organization_id = $1 AND l.contact_id = $2 AND l.account_id = $3 \
           AND l.date < $4 AND j.status IN ('posted', 'void')",
    )
    .bind(org)
    .bind(contact_id)
    .bind(account_id)
    .bind(from)
    .fetch_one(&mut *conn)
    .await?;
    Ok((lines, (debit.unwrap_or(0), credit.unwrap_or(0))))
}
