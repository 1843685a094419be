//! The links between statement lines and the ledger lines that explain
//! them, and the ledger lines still free to explain one.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::sql::Insert;
use crate::{OrgId, StoreError, now, sql};

/// A posted line of a bank account that no statement line explains yet.
#[derive(Debug, Clone, FromRow)]
pub struct FreeLine {
    pub entry_id: String,
    pub line_no: i64,
    pub date: String,
    /// Debit minus credit, in the account's own currency.
    pub amount: i64,
    pub number: Option<String>,
    pub memo: Option<String>,
    pub reference: Option<String>,
    pub description: Option<String>,
    pub source: Option<String>,
    /// The customer or vendor another line of the entry names.
    pub contact_name: Option<String>,
}

/// Which free lines of the window [`free_lines`] reads.
#[derive(Debug, Clone, Copy)]
pub enum Amounts {
    /// Of exactly this signed amount.
    Exactly(i64),
    /// Of the same sign as this signed amount and smaller: the parts a
    /// combined deposit may be made of.
    PartsOf(i64),
}

/// The account's posted lines dated in `[from, to]` that no statement line
/// explains (lines of void entries and reversals left out: they explain
/// nothing a bank did), of the amounts asked, the latest first, at most
/// `limit`. `foreign`: amounts in the account's currency.
pub async fn free_lines<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    account_id: &str,
    (from, to): (&str, &str),
    amounts: Amounts,
    limit: i64,
    foreign: bool,
) -> Result<Vec<FreeLine>, StoreError> {
    let amount = if foreign {
        "(CASE WHEN l.debit > 0 THEN COALESCE(l.foreign_amount, 0) \
              ELSE -COALESCE(l.foreign_amount, 0) END)"
    } else {
        "(l.debit - l.credit)"
    };
    let (filter, value) = match amounts {
        Amounts::Exactly(a) => (format!("{amount} = $5"), a),
        Amounts::PartsOf(a) if a >= 0 => (format!("{amount} > 0 AND {amount} < $5"), a),
        Amounts::PartsOf(a) => (format!("{amount} < 0 AND {amount} > $5"), a),
    };
    // The contact is read by the entry's key alone: with the organization
    // named too, SQLite's planner (without statistics) walks the contact
    // index of every line of the organization instead.
    Ok(sqlx::query_as(&format!(
        "SELECT l.entry_id, l.line_no, l.date, CAST({amount} AS BIGINT) AS amount, j.number, \
           j.memo, j.reference, l.description, j.source, \
           (SELECT COALESCE(c.name, v.name) FROM journal_lines o \
              LEFT JOIN customers c ON c.id = o.contact_id \
              LEFT JOIN vendors v ON v.id = o.contact_id \
            WHERE o.entry_id = l.entry_id AND o.contact_id IS NOT NULL LIMIT 1) AS contact_name \
         FROM journal_lines l JOIN journal_entries j ON j.id = l.entry_id \
         WHERE l.organization_id = $1 AND l.account_id = $2 AND l.date >= $3 AND l.date <= $4 \
           AND {filter} AND j.status = 'posted' AND j.reversal_of IS NULL \
           AND NOT EXISTS (SELECT 1 FROM bank_matches m WHERE m.organization_id = l.organization_id \
             AND m.entry_id = l.entry_id AND m.line_no = l.line_no) \
         ORDER BY l.date DESC, l.entry_id, l.line_no LIMIT $6"
    ))
    .bind(org)
    .bind(account_id)
    .bind(from)
    .bind(to)
    .bind(value)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// The line `entry_id:line_no` if it is a posted line of the account that
/// nothing explains yet, with its amount in the account's currency.
pub async fn free_line<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    account_id: &str,
    entry_id: &str,
    line_no: i64,
    foreign: bool,
) -> Result<Option<i64>, StoreError> {
    let amount = if foreign {
        "CASE WHEN l.debit > 0 THEN COALESCE(l.foreign_amount, 0) \
              ELSE -COALESCE(l.foreign_amount, 0) END"
    } else {
        "l.debit - l.credit"
    };
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT CAST({amount} AS BIGINT) FROM journal_lines l \
         JOIN journal_entries j ON j.id = l.entry_id \
         WHERE l.organization_id = $1 AND l.account_id = $2 AND l.entry_id = $3 \
           AND l.line_no = $4 AND j.status = 'posted' AND j.reversal_of IS NULL \
           AND NOT EXISTS (SELECT 1 FROM bank_matches m WHERE m.organization_id = l.organization_id \
             AND m.entry_id = l.entry_id AND m.line_no = l.line_no)"
    ))
    .bind(org)
    .bind(account_id)
    .bind(entry_id)
    .bind(line_no)
    .fetch_optional(e)
    .await?;
    Ok(row.map(|(a,)| a))
}

/// A link as kept.
#[derive(Debug, Clone, FromRow)]
pub struct MatchRow {
    pub bank_transaction_id: String,
    pub entry_id: String,
    pub line_no: i64,
    pub amount: i64,
    /// `match` or `categorize`.
    pub kind: String,
}

pub async fn insert_matches(
    conn: &mut AnyConnection,
    org: &OrgId,
    rows: &[MatchRow],
) -> Result<(), StoreError> {
    let mut ins = Insert::new(
        "bank_matches",
        &[
            "organization_id",
            "bank_transaction_id",
            "entry_id",
            "line_no",
            "amount",
            "kind",
            "created_at",
        ],
    );
    let at = now();
    for r in rows {
        ins.row(vec![
            org.into(),
            (&r.bank_transaction_id).into(),
            (&r.entry_id).into(),
            r.line_no.into(),
            r.amount.into(),
            (&r.kind).into(),
            (&at).into(),
        ]);
    }
    sql::run_inserts(conn, vec![ins]).await
}

pub async fn matches_of<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    bank_transaction_id: &str,
) -> Result<Vec<MatchRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT bank_transaction_id, entry_id, line_no, amount, kind FROM bank_matches \
         WHERE organization_id = $1 AND bank_transaction_id = $2 ORDER BY entry_id, line_no",
    )
    .bind(org)
    .bind(bank_transaction_id)
    .fetch_all(e)
    .await?)
}

pub async fn delete_matches(
    conn: &mut AnyConnection,
    org: &OrgId,
    bank_transaction_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM bank_matches WHERE organization_id = $1 AND bank_transaction_id = $2")
        .bind(org)
        .bind(bank_transaction_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The statement line an entry's line explains, if any (an entry that
/// explains one is voided only after it is unmatched).
pub async fn transaction_of_entry<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    entry_id: &str,
) -> Result<Option<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT bank_transaction_id, kind FROM bank_matches \
         WHERE organization_id = $1 AND entry_id = $2 LIMIT 1",
    )
    .bind(org)
    .bind(entry_id)
    .fetch_optional(e)
    .await?)
}
