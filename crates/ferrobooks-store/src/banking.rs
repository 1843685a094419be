//! Bank accounts (ledger accounts of subtype bank, cash or credit card and
//! what a bank adds to them), their statement lines and statement imports.

use std::collections::HashSet;

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::sql::Insert;
use crate::{OrgId, StoreError, now, sql};

/// The subtypes of accounts that are bank accounts.
pub const BANK_SUBTYPES: [&str; 3] = ["bank", "cash", "credit_card"];

/// What a bank adds to a ledger account.
#[derive(Debug, Clone, FromRow)]
pub struct BankDetailsRow {
    pub account_id: String,
    pub organization_id: OrgId,
    pub institution: Option<String>,
    pub account_number_last4: Option<String>,
    /// Minor units of the account's currency.
    pub opening_balance: i64,
    pub opening_date: Option<String>,
    pub opening_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A bank account as listed: the ledger account, its details when it was
/// opened as a bank account, its balances and its unreviewed lines.
#[derive(Debug, Clone, FromRow)]
pub struct BankAccountRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub subtype: String,
    pub currency: String,
    pub active: i64,
    pub created_at: String,
    pub updated_at: String,
    pub institution: Option<String>,
    pub account_number_last4: Option<String>,
    pub opening_balance: Option<i64>,
    pub opening_date: Option<String>,
    pub debit: i64,
    pub credit: i64,
    pub foreign_debit: i64,
    pub foreign_credit: i64,
    pub unreviewed: i64,
}

/// Writes the details of an account: a new bank account's, or the change
/// of an existing one's institution and number (an account of the chart
/// gets its row on its first change; the opening balance never changes).
pub async fn save_bank_details(
    conn: &mut AnyConnection,
    r: &BankDetailsRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO bank_accounts (account_id, organization_id, institution, \
           account_number_last4, opening_balance, opening_date, opening_entry_id, created_at, \
           updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (account_id) DO UPDATE SET institution = excluded.institution, \
           account_number_last4 = excluded.account_number_last4, \
           updated_at = excluded.updated_at",
    )
    .bind(&r.account_id)
    .bind(&r.organization_id)
    .bind(&r.institution)
    .bind(&r.account_number_last4)
    .bind(r.opening_balance)
    .bind(&r.opening_date)
    .bind(&r.opening_entry_id)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_bank_details<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    account_id: &str,
) -> Result<Option<BankDetailsRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT account_id, organization_id, institution, account_number_last4, \
           opening_balance, opening_date, opening_entry_id, created_at, updated_at \
         FROM bank_accounts WHERE organization_id = $1 AND account_id = $2",
    )
    .bind(org)
    .bind(account_id)
    .fetch_optional(e)
    .await?)
}

/// A page of bank accounts ordered by id after `after`, or the one `only`
/// names.
pub async fn list_bank_accounts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    after: &str,
    only: Option<&str>,
    limit: i64,
) -> Result<Vec<BankAccountRow>, StoreError> {
    let sum = |col: &str| {
        format!(
            "CAST(COALESCE((SELECT SUM(s.{col}) FROM account_balances s \
               WHERE s.organization_id = a.organization_id AND s.account_id = a.id), 0) \
             AS BIGINT) AS {col}"
        )
    };
    let q = format!(
        "SELECT a.id, a.code, a.name, a.subtype, a.currency, a.active, a.created_at, \
           a.updated_at, b.institution, b.account_number_last4, b.opening_balance, \
           b.opening_date, {}, {}, {}, {}, \
           CAST((SELECT COUNT(*) FROM bank_transactions t \
             WHERE t.organization_id = a.organization_id AND t.bank_account_id = a.id \
               AND t.status = 'unreviewed' AND t.deleted_at IS NULL) AS BIGINT) AS unreviewed \
         FROM accounts a LEFT JOIN bank_accounts b \
           ON b.organization_id = a.organization_id AND b.account_id = a.id \
         WHERE a.organization_id = $1 AND a.deleted_at IS NULL \
           AND a.subtype IN ('bank', 'cash', 'credit_card') AND a.id > $2 \
           AND ($3 = '' OR a.id = $3) \
         ORDER BY a.id LIMIT $4",
        sum("debit"),
        sum("credit"),
        sum("foreign_debit"),
        sum("foreign_credit"),
    );
    Ok(sqlx::query_as(&q)
        .bind(org)
        .bind(after)
        .bind(only.unwrap_or(""))
        .bind(limit)
        .fetch_all(e)
        .await?)
}

/// Status values of a statement line.
pub mod status {
    pub const UNREVIEWED: &str = "unreviewed";
    pub const MATCHED: &str = "matched";
    pub const CATEGORIZED: &str = "categorized";
    pub const EXCLUDED: &str = "excluded";
    pub const ALL: [&str; 4] = [UNREVIEWED, MATCHED, CATEGORIZED, EXCLUDED];
}

#[derive(Debug, Clone, FromRow)]
pub struct BankTxRow {
    pub id: String,
    pub organization_id: OrgId,
    pub bank_account_id: String,
    pub date: String,
    /// Signed minor units of the account's currency; positive is money in.
    pub amount: i64,
    pub description: String,
    pub payee: Option<String>,
    pub reference: Option<String>,
    /// The bank's own id of the line, when its statement gives one.
    pub bank_transaction_id: Option<String>,
    pub dedupe_key: String,
    pub status: String,
    /// `manual` or `import`.
    pub source: String,
    pub import_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The bank rule that applied to the line on import.
    pub rule_id: Option<String>,
}

const TX_COLS: [&str; 17] = [
    "id",
    "organization_id",
    "bank_account_id",
    "date",
    "amount",
    "description",
    "payee",
    "reference",
    "bank_transaction_id",
    "dedupe_key",
    "status",
    "source",
    "import_id",
    "created_at",
    "updated_at",
    "deleted_at",
    "rule_id",
];

/// Writes new lines; a line whose dedupe key the account already holds is
/// skipped (the caller counted it as a duplicate before, under the
/// account's lock; this keeps a concurrent import from failing).
pub async fn insert_bank_transactions(
    conn: &mut AnyConnection,
    rows: &[BankTxRow],
) -> Result<(), StoreError> {
    let mut ins = Insert::new("bank_transactions", &TX_COLS)
        .tail("ON CONFLICT (organization_id, bank_account_id, dedupe_key) DO NOTHING");
    for r in rows {
        ins.row(vec![
            (&r.id).into(),
            (&r.organization_id).into(),
            (&r.bank_account_id).into(),
            (&r.date).into(),
            r.amount.into(),
            (&r.description).into(),
            (&r.payee).into(),
            (&r.reference).into(),
            (&r.bank_transaction_id).into(),
            (&r.dedupe_key).into(),
            (&r.status).into(),
            (&r.source).into(),
            (&r.import_id).into(),
            (&r.created_at).into(),
            (&r.updated_at).into(),
            Option::<&str>::None.into(),
            (&r.rule_id).into(),
        ]);
    }
    sql::run_inserts(conn, vec![ins]).await
}

/// Which of `keys` the account already holds (deleted lines included: a
/// line deleted by hand is not brought back by importing it again).
pub async fn known_dedupe_keys(
    conn: &mut AnyConnection,
    org: &OrgId,
    account_id: &str,
    keys: &[&str],
) -> Result<HashSet<String>, StoreError> {
    let mut out = HashSet::new();
    for chunk in keys.chunks(500) {
        // A join with the keys as a VALUES list, not `IN (...)`:
        // PostgreSQL tested a long IN list against every line of the
        // account (2.9 s for 10,000 keys); the join is a hash join.
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("(${})", i + 3)).collect();
        let q = format!(
            "SELECT t.dedupe_key FROM bank_transactions t JOIN (VALUES {}) AS v \
               ON t.dedupe_key = v.column1 \
             WHERE t.organization_id = $1 AND t.bank_account_id = $2",
            values.join(",")
        );
        let mut query = sqlx::query_as::<_, (String,)>(&q)
            .bind(org)
            .bind(account_id);
        for k in chunk {
            query = query.bind(*k);
        }
        out.extend(query.fetch_all(&mut *conn).await?.into_iter().map(|(k,)| k));
    }
    Ok(out)
}

const TX_SELECT: &str = "SELECT id, organization_id, bank_account_id, date, amount, description, \
    payee, reference, bank_transaction_id, dedupe_key, status, source, import_id, created_at, \
    updated_at, rule_id FROM bank_transactions";

pub async fn get_bank_transaction<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<BankTxRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{TX_SELECT} WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// Filters of the statement-line list.
#[derive(Debug, Default)]
pub struct TxFilter<'a> {
    pub after: &'a str,
    pub bank_account_id: Option<&'a str>,
    pub status: Option<&'a str>,
    pub date_from: Option<&'a str>,
    pub date_to: Option<&'a str>,
    pub search: Option<&'a str>,
    pub limit: i64,
}

pub async fn list_bank_transactions<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    f: &TxFilter<'_>,
) -> Result<Vec<BankTxRow>, StoreError> {
    let search = f.search.map(sql::contains_pattern).unwrap_or_default();
    Ok(sqlx::query_as(&format!(
        "{TX_SELECT} WHERE organization_id = $1 AND deleted_at IS NULL AND id > $2 \
           AND ($3 = '' OR bank_account_id = $3) AND ($4 = '' OR status = $4) \
           AND ($5 = '' OR date >= $5) AND ($6 = '' OR date <= $6) \
           AND ($7 = '' OR LOWER(description) LIKE $7 ESCAPE '\\' \
                OR LOWER(COALESCE(payee, '')) LIKE $7 ESCAPE '\\') \
         ORDER BY id LIMIT $8"
    ))
    .bind(org)
    .bind(f.after)
    .bind(f.bank_account_id.unwrap_or(""))
    .bind(f.status.unwrap_or(""))
    .bind(f.date_from.unwrap_or(""))
    .bind(f.date_to.unwrap_or(""))
    .bind(search)
    .bind(f.limit)
    .fetch_all(e)
    .await?)
}

/// Replaces a line's fields (its id, account, key and source stay).
pub async fn update_bank_transaction(
    conn: &mut AnyConnection,
    r: &BankTxRow,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE bank_transactions SET date = $3, amount = $4, description = $5, payee = $6, \
           reference = $7, status = $8, updated_at = $9 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(&r.organization_id)
    .bind(&r.id)
    .bind(&r.date)
    .bind(r.amount)
    .bind(&r.description)
    .bind(&r.payee)
    .bind(&r.reference)
    .bind(&r.status)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("bank transaction"));
    }
    Ok(())
}

pub async fn soft_delete_bank_transaction(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE bank_transactions SET deleted_at = $3, updated_at = $3 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("bank transaction"));
    }
    Ok(())
}

/// One statement upload and what came of it.
#[derive(Debug, Clone, FromRow)]
pub struct ImportRow {
    pub id: String,
    pub organization_id: OrgId,
    pub bank_account_id: String,
    pub format: String,
    pub filename: Option<String>,
    pub new_count: i64,
    pub duplicate_count: i64,
    /// JSON: `[{"row", "reason"}]`.
    pub refused: String,
    pub closing_date: Option<String>,
    pub closing_balance: Option<i64>,
    pub created_at: String,
}

pub async fn insert_import(conn: &mut AnyConnection, r: &ImportRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO bank_statement_imports (id, organization_id, bank_account_id, format, \
           filename, new_count, duplicate_count, refused, closing_date, closing_balance, \
           created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.bank_account_id)
    .bind(&r.format)
    .bind(&r.filename)
    .bind(r.new_count)
    .bind(r.duplicate_count)
    .bind(&r.refused)
    .bind(&r.closing_date)
    .bind(r.closing_balance)
    .bind(&r.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Holds the account's details row for the rest of the transaction on
/// PostgreSQL (SQLite writers are serialized), so two imports into one
/// account take turns and count duplicates right.
pub async fn lock_bank_account(
    conn: &mut AnyConnection,
    org: &OrgId,
    account_id: &str,
) -> Result<(), StoreError> {
    let q = format!(
        "SELECT id FROM accounts WHERE organization_id = $1 AND id = $2{}",
        sql::lock(sql::backend_of(conn), sql::Lock::Update)
    );
    sqlx::query(&q)
        .bind(org)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An account's totals of posted lines dated on or before `day`: base
/// debit and credit, and in its own currency.
pub async fn account_totals_on<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    account_id: &str,
    day: &str,
) -> Result<[i64; 4], StoreError> {
    let (d, c, fd, fc): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(debit), 0) AS BIGINT), CAST(COALESCE(SUM(credit), 0) AS BIGINT), \
           CAST(COALESCE(SUM(foreign_debit), 0) AS BIGINT), \
           CAST(COALESCE(SUM(foreign_credit), 0) AS BIGINT) \
         FROM account_balances WHERE organization_id = $1 AND account_id = $2 AND day <= $3",
    )
    .bind(org)
    .bind(account_id)
    .bind(day)
    .fetch_one(e)
    .await?;
    Ok([d, c, fd, fc])
}

/// A transfer between two bank, cash or card accounts.
#[derive(Debug, Clone, FromRow)]
pub struct TransferRow {
    pub id: String,
    pub organization_id: OrgId,
    pub date: String,
    pub from_account_id: String,
    pub to_account_id: String,
    /// Minor units of the source account's currency.
    pub amount: i64,
    /// Minor units of the destination account's currency.
    pub to_amount: i64,
    pub exchange_rate: Option<String>,
    pub memo: Option<String>,
    pub reference: Option<String>,
    /// posted or void.
    pub status: String,
    pub journal_entry_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const TRANSFER_COLS: &str = "id, organization_id, date, from_account_id, to_account_id, amount, \
    to_amount, exchange_rate, memo, reference, status, journal_entry_id, created_at, updated_at";

/// Inserts or replaces a transfer.
pub async fn save_transfer(conn: &mut AnyConnection, r: &TransferRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO transfers ({TRANSFER_COLS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at"
    ))
    .bind(&r.id)
    .bind(&r.organization_id)
    .bind(&r.date)
    .bind(&r.from_account_id)
    .bind(&r.to_account_id)
    .bind(r.amount)
    .bind(r.to_amount)
    .bind(&r.exchange_rate)
    .bind(&r.memo)
    .bind(&r.reference)
    .bind(&r.status)
    .bind(&r.journal_entry_id)
    .bind(&r.created_at)
    .bind(&r.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The transfer `id` (held for update on PostgreSQL when `lock`).
pub async fn get_transfer(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    lock: bool,
) -> Result<Option<TransferRow>, StoreError> {
    let suffix = if lock {
        sql::lock(sql::backend_of(conn), sql::Lock::Update)
    } else {
        ""
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {TRANSFER_COLS} FROM transfers WHERE organization_id = $1 AND id = $2{suffix}"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A page of transfers by id after `after`.
pub async fn list_transfers<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    after: &str,
    limit: i64,
) -> Result<Vec<TransferRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TRANSFER_COLS} FROM transfers WHERE organization_id = $1 AND id > $2 \
         ORDER BY id LIMIT $3"
    ))
    .bind(org)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// Sets a statement line's review status.
pub async fn set_bank_transaction_status(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    status: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE bank_transactions SET status = $3, updated_at = $4 \
         WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(status)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the rule that applied to a line, with the status it left.
pub async fn set_bank_transaction_rule(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    status: &str,
    rule_id: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE bank_transactions SET status = $3, rule_id = $4, updated_at = $5 \
         WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(status)
    .bind(rule_id)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
