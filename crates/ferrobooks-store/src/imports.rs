//! Spreadsheet imports: an organization's import settings, its saved
//! mappings, its imports (with the uploaded file) and their result rows.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::sql::{Arg, Insert, run_inserts};
use crate::{OrgId, StoreError};

/// What an organization's imports do where a file leaves a choice.
#[derive(Debug, Clone, FromRow, Default)]
pub struct SettingsRow {
    pub organization_id: OrgId,
    pub increment_doc_number: i64,
    pub send_doc_number: i64,
    pub create_missing_contacts: i64,
    pub create_missing_items: i64,
    pub update_existing: i64,
    pub updated_at: String,
}

const SETTINGS_COLS: &str = "organization_id, increment_doc_number, send_doc_number, \
    create_missing_contacts, create_missing_items, update_existing, updated_at";

pub async fn get_settings<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
) -> Result<Option<SettingsRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SETTINGS_COLS} FROM import_settings WHERE organization_id = $1"
    ))
    .bind(org)
    .fetch_optional(e)
    .await?)
}

pub async fn save_settings(conn: &mut AnyConnection, s: &SettingsRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO import_settings ({SETTINGS_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (organization_id) DO UPDATE SET \
           increment_doc_number = excluded.increment_doc_number, \
           send_doc_number = excluded.send_doc_number, \
           create_missing_contacts = excluded.create_missing_contacts, \
           create_missing_items = excluded.create_missing_items, \
           update_existing = excluded.update_existing, updated_at = excluded.updated_at"
    ))
    .bind(&s.organization_id)
    .bind(s.increment_doc_number)
    .bind(s.send_doc_number)
    .bind(s.create_missing_contacts)
    .bind(s.create_missing_items)
    .bind(s.update_existing)
    .bind(&s.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A saved mapping of a file's columns (or fixed values) to fields.
#[derive(Debug, Clone, FromRow)]
pub struct MappingRow {
    pub id: String,
    pub organization_id: OrgId,
    pub title: String,
    pub entity_name: String,
    pub active: i64,
    /// JSON: the mapped fields.
    pub fields: String,
    pub created_at: String,
    pub updated_at: String,
}

const MAPPING_COLS: &str =
    "id, organization_id, title, entity_name, active, fields, created_at, updated_at";

pub async fn save_mapping(conn: &mut AnyConnection, m: &MappingRow) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO import_mappings ({MAPPING_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, \
           entity_name = excluded.entity_name, active = excluded.active, \
           fields = excluded.fields, updated_at = excluded.updated_at"
    ))
    .bind(&m.id)
    .bind(&m.organization_id)
    .bind(&m.title)
    .bind(&m.entity_name)
    .bind(m.active)
    .bind(&m.fields)
    .bind(&m.created_at)
    .bind(&m.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get_mapping<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<MappingRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {MAPPING_COLS} FROM import_mappings \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// A page of mappings (oldest first) and how many there are.
pub async fn list_mappings(
    conn: &mut AnyConnection,
    org: &OrgId,
    offset: i64,
    limit: i64,
) -> Result<(Vec<MappingRow>, i64), StoreError> {
    let rows = sqlx::query_as(&format!(
        "SELECT {MAPPING_COLS} FROM import_mappings \
         WHERE organization_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT $2 OFFSET $3"
    ))
    .bind(org)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    let (total,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM import_mappings WHERE organization_id = $1 AND deleted_at IS NULL",
    )
    .bind(org)
    .fetch_one(&mut *conn)
    .await?;
    Ok((rows, total))
}

/// Marks a mapping deleted (imports that used it keep their copy).
pub async fn delete_mapping(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    at: &str,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE import_mappings SET deleted_at = $3 \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// One import.
#[derive(Debug, Clone, FromRow, Default)]
pub struct ImportRow {
    pub id: String,
    pub organization_id: OrgId,
    pub mapping_id: Option<String>,
    pub entity_name: String,
    pub status: String,
    pub dry_run: i64,
    pub file_name: Option<String>,
    pub file_kind: String,
    pub sheet_name: Option<String>,
    pub fields: String,
    pub total: i64,
    pub entities: i64,
    pub done: i64,
    pub succeeded: i64,
    pub failed: i64,
    pub warnings: i64,
    pub error: Option<String>,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

const IMPORT_COLS: &str = "id, organization_id, mapping_id, entity_name, status, dry_run, \
    file_name, file_kind, sheet_name, fields, total, done, succeeded, failed, warnings, error, \
    created_at, started_at, finished_at, entities";

/// Records a new import and its file (base64).
pub async fn insert_import(
    conn: &mut AnyConnection,
    i: &ImportRow,
    content: &str,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO imports ({IMPORT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
           $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
    ))
    .bind(&i.id)
    .bind(&i.organization_id)
    .bind(&i.mapping_id)
    .bind(&i.entity_name)
    .bind(&i.status)
    .bind(i.dry_run)
    .bind(&i.file_name)
    .bind(&i.file_kind)
    .bind(&i.sheet_name)
    .bind(&i.fields)
    .bind(i.total)
    .bind(i.done)
    .bind(i.succeeded)
    .bind(i.failed)
    .bind(i.warnings)
    .bind(&i.error)
    .bind(&i.created_at)
    .bind(&i.started_at)
    .bind(&i.finished_at)
    .bind(i.entities)
    .execute(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO import_files (import_id, content) VALUES ($1, $2)")
        .bind(&i.id)
        .bind(content)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn get_import<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<ImportRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {IMPORT_COLS} FROM imports WHERE organization_id = $1 AND id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// The import, locked for a change of status (PostgreSQL; SQLite writers
/// are serialized).
pub async fn lock_import(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
) -> Result<Option<ImportRow>, StoreError> {
    let lock = crate::sql::lock(crate::sql::backend_of(conn), crate::sql::Lock::Update);
    Ok(sqlx::query_as(&format!(
        "SELECT {IMPORT_COLS} FROM imports WHERE organization_id = $1 AND id = $2{lock}"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A page of imports (newest first) and how many there are.
pub async fn list_imports(
    conn: &mut AnyConnection,
    org: &OrgId,
    offset: i64,
    limit: i64,
) -> Result<(Vec<ImportRow>, i64), StoreError> {
    let rows = sqlx::query_as(&format!(
        "SELECT {IMPORT_COLS} FROM imports WHERE organization_id = $1 \
         ORDER BY id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(org)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    let (total,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM imports WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&mut *conn)
            .await?;
    Ok((rows, total))
}

/// The uploaded file of an import (base64).
pub async fn import_file<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
) -> Result<Option<String>, StoreError> {
    let r: Option<(String,)> =
        sqlx::query_as("SELECT content FROM import_files WHERE import_id = $1")
            .bind(id)
            .fetch_optional(e)
            .await?;
    Ok(r.map(|(c,)| c))
}

/// Saves the import's status, counts and times as `i` has them, if its
/// status and rows done are still `from` (another node may have taken it
/// over): false when they are not.
pub async fn update_import(
    conn: &mut AnyConnection,
    i: &ImportRow,
    from: (&str, i64),
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE imports SET status = $3, total = $4, done = $5, succeeded = $6, failed = $7, \
           warnings = $8, error = $9, started_at = $10, finished_at = $11 \
         WHERE organization_id = $1 AND id = $2 AND status = $12 AND done = $13",
    )
    .bind(&i.organization_id)
    .bind(&i.id)
    .bind(&i.status)
    .bind(i.total)
    .bind(i.done)
    .bind(i.succeeded)
    .bind(i.failed)
    .bind(i.warnings)
    .bind(&i.error)
    .bind(&i.started_at)
    .bind(&i.finished_at)
    .bind(from.0)
    .bind(from.1)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// How many imports of the organizations of `tenant` finished.
pub async fn successful_imports<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant: &str,
) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM imports i JOIN organizations o ON o.id = i.organization_id \
         WHERE o.tenant_id = $1 AND i.dry_run = 0 \
           AND i.status IN ('FINISHED', 'FINISHED_WITH_WARNINGS')",
    )
    .bind(tenant)
    .fetch_one(e)
    .await?;
    Ok(n)
}

/// How many imports (dry runs aside) the organization started since `at`.
pub async fn imports_since<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    at: &str,
) -> Result<(i64, Option<String>), StoreError> {
    let r: (i64, Option<String>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(created_at) FROM imports \
         WHERE organization_id = $1 AND created_at > $2 AND dry_run = 0",
    )
    .bind(org)
    .bind(at)
    .fetch_one(e)
    .await?;
    Ok(r)
}

/// One row of an import's results.
#[derive(Debug, Clone, FromRow, Default)]
pub struct ResultRow {
    pub import_id: String,
    pub seq: i64,
    pub order_number: i64,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub text: String,
    pub object_kind: Option<String>,
    pub object_id: Option<String>,
    pub object_info: Option<String>,
    pub is_reverted: i64,
    pub is_updated: i64,
}

const RESULT_COLS: &[&str] = &[
    "import_id",
    "seq",
    "order_number",
    "type",
    "text",
    "object_kind",
    "object_id",
    "object_info",
    "is_reverted",
    "is_updated",
];

/// Adds result rows in one statement (per chunk).
pub async fn insert_results(
    conn: &mut AnyConnection,
    rows: &[ResultRow],
) -> Result<(), StoreError> {
    let mut ins = Insert::new("import_results", RESULT_COLS);
    for r in rows {
        ins.row(vec![
            Arg::from(&r.import_id),
            Arg::from(r.seq),
            Arg::from(r.order_number),
            Arg::from(&r.kind),
            Arg::from(&r.text),
            Arg::from(&r.object_kind),
            Arg::from(&r.object_id),
            Arg::from(&r.object_info),
            Arg::from(r.is_reverted),
            Arg::from(r.is_updated),
        ]);
    }
    run_inserts(conn, vec![ins]).await
}

/// A page of an import's results (of one type, when given) in order, and
/// how many there are.
pub async fn list_results(
    conn: &mut AnyConnection,
    import: &str,
    kind: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<ResultRow>, i64), StoreError> {
    let cols = RESULT_COLS.join(", ");
    let filter = if kind.is_some() { " AND type = $4" } else { "" };
    let sql = format!(
        "SELECT {cols} FROM import_results WHERE import_id = $1{filter} \
         ORDER BY seq LIMIT $2 OFFSET $3"
    );
    let mut q = sqlx::query_as(&sql).bind(import).bind(limit).bind(offset);
    if let Some(k) = kind {
        q = q.bind(k);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let filter = if kind.is_some() { " AND type = $2" } else { "" };
    let sql = format!("SELECT COUNT(*) FROM import_results WHERE import_id = $1{filter}");
    let mut q = sqlx::query_as(&sql).bind(import);
    if let Some(k) = kind {
        q = q.bind(k);
    }
    let (total,): (i64,) = q.fetch_one(&mut *conn).await?;
    Ok((rows, total))
}

/// What the import created and has not taken back, newest first (the
/// order to undo it in).
pub async fn created_objects(
    conn: &mut AnyConnection,
    import: &str,
    limit: i64,
) -> Result<Vec<ResultRow>, StoreError> {
    let cols = RESULT_COLS.join(", ");
    Ok(sqlx::query_as(&format!(
        "SELECT {cols} FROM import_results WHERE import_id = $1 AND object_id IS NOT NULL \
           AND is_reverted = 0 AND is_updated = 0 ORDER BY seq DESC LIMIT $2"
    ))
    .bind(import)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Marks result rows taken back.
pub async fn mark_reverted(
    conn: &mut AnyConnection,
    import: &str,
    seqs: &[i64],
) -> Result<(), StoreError> {
    for chunk in seqs.chunks(500) {
        let list = crate::sql::list(2, chunk.len());
        let sql = format!(
            "UPDATE import_results SET is_reverted = 1 WHERE import_id = $1 AND seq IN ({list})"
        );
        let mut q = sqlx::query(&sql).bind(import);
        for s in chunk {
            q = q.bind(*s);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The highest result number written so far (0 when none).
pub async fn last_result_seq(conn: &mut AnyConnection, import: &str) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM import_results WHERE import_id = $1",
    )
    .bind(import)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// The organizations of a tenant, oldest first.
pub async fn tenant_organizations<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant: &str,
) -> Result<Vec<crate::tenancy::OrganizationRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM organizations WHERE tenant_id = $1 ORDER BY created_at, id",
        crate::tenancy::ORG_COLS
    ))
    .bind(tenant)
    .fetch_all(e)
    .await?)
}

/// The tenant's name.
pub async fn tenant_name<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant: &str,
) -> Result<Option<String>, StoreError> {
    let r: Option<(String,)> = sqlx::query_as("SELECT name FROM tenants WHERE id = $1")
        .bind(tenant)
        .fetch_optional(e)
        .await?;
    Ok(r.map(|(n,)| n))
}

/// Which of an organization's rows names resolve against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Customers,
    Vendors,
    Products,
    Taxes,
    /// By code and by name.
    Accounts,
}

/// Every live row of `what` in the organization as (id, name); accounts
/// give (id, code) too, as a second row.
pub async fn names_of(
    conn: &mut AnyConnection,
    org: &OrgId,
    what: Named,
) -> Result<Vec<(String, String)>, StoreError> {
    let sql = match what {
        Named::Customers => {
            "SELECT id, name FROM customers WHERE organization_id = $1 AND deleted_at IS NULL"
        }
        Named::Vendors => {
            "SELECT id, name FROM vendors WHERE organization_id = $1 AND deleted_at IS NULL"
        }
        Named::Products => {
            "SELECT id, name FROM products WHERE organization_id = $1 AND deleted_at IS NULL"
        }
        Named::Taxes => {
            "SELECT id, name FROM taxes WHERE organization_id = $1 AND deleted_at IS NULL"
        }
        Named::Accounts => {
            "SELECT id, name FROM accounts WHERE organization_id = $1 AND deleted_at IS NULL \
             UNION ALL SELECT id, code FROM accounts WHERE organization_id = $1 AND deleted_at IS NULL"
        }
    };
    Ok(sqlx::query_as(sql).bind(org).fetch_all(&mut *conn).await?)
}

/// The organization's documents of `doc_type` numbered among `numbers`:
/// (number, id, status).
pub async fn documents_numbered(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_type: &str,
    numbers: &[String],
) -> Result<Vec<(String, String, String)>, StoreError> {
    among(
        conn,
        "SELECT d.number, d.id, d.status",
        "documents d",
        "d.organization_id = $1 AND d.doc_type = $2",
        &[org.as_str(), doc_type],
        "d.number",
        numbers,
    )
    .await
}

/// The organization's live journal entries (not void, not deleted) whose
/// reference is among `references`: (reference, id).
pub async fn journals_referenced(
    conn: &mut AnyConnection,
    org: &OrgId,
    references: &[String],
) -> Result<Vec<(String, String)>, StoreError> {
    among(
        conn,
        "SELECT j.reference, j.id",
        "journal_entries j",
        "j.organization_id = $1 AND j.status <> 'void' AND j.deleted_at IS NULL",
        &[org.as_str()],
        "j.reference",
        references,
    )
    .await
}

/// The organization's live payments of `side` (`sale`, `purchase`) whose
/// reference is among `references`: (reference, contact id, id).
pub async fn payments_referenced(
    conn: &mut AnyConnection,
    org: &OrgId,
    side: &str,
    references: &[String],
) -> Result<Vec<(String, String, String)>, StoreError> {
    among(
        conn,
        "SELECT p.reference, p.contact_id, p.id",
        "payments p",
        "p.organization_id = $1 AND p.side = $2 AND p.deleted_at IS NULL",
        &[org.as_str(), side],
        "p.reference",
        references,
    )
    .await
}

/// `select` of the rows of `table` meeting `cond` (its parameters `args`,
/// `$1`...) whose `column` is among `values`. On PostgreSQL the values are
/// rows joined to the column's index, one probe each whatever the planner
/// believes of a table an import is filling (an `IN` list read against
/// stale statistics scanned every row of the organization); on SQLite an
/// `IN` list, 500 at a time.
async fn among<T>(
    conn: &mut AnyConnection,
    select: &str,
    table: &str,
    cond: &str,
    args: &[&str],
    column: &str,
    values: &[String],
) -> Result<Vec<T>, StoreError>
where
    T: for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut out = Vec::new();
    if values.is_empty() {
        return Ok(out);
    }
    let next = args.len() + 1;
    if crate::sql::backend_of(conn) == crate::Backend::Postgres {
        let list = serde_json::Value::from(values.to_vec()).to_string();
        let sql = format!(
            "{select} FROM json_array_elements_text(${next}::json) AS n(v) \
             JOIN {table} ON {cond} AND {column} = n.v"
        );
        let mut q = sqlx::query_as(&sql);
        for a in args {
            q = q.bind(*a);
        }
        return Ok(q.bind(list).fetch_all(&mut *conn).await?);
    }
    for chunk in values.chunks(500) {
        let sql = format!(
            "{select} FROM {table} WHERE {cond} AND {column} IN ({})",
            crate::sql::list(next, chunk.len())
        );
        let mut q = sqlx::query_as(&sql);
        for a in args {
            q = q.bind(*a);
        }
        for v in chunk {
            q = q.bind(v);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}
