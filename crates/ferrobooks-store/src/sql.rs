//! Small helpers for building portable SQL.

use std::fmt::Write;

use sqlx::AnyConnection;

use crate::Backend;

/// The backend a connection talks to.
pub fn backend_of(conn: &AnyConnection) -> Backend {
    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    }
}

/// How a `SELECT` locks the rows it reads until its transaction ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Others wait to change or lock the rows.
    Update,
    /// Others may read-lock them too, but not change them.
    Share,
    /// Rows another transaction holds are passed over (work queues).
    UpdateSkipLocked,
}

/// The clause that ends a `SELECT` taking `lock`. SQLite has no row locks
/// and needs none: the store's write lock serializes its writers.
pub fn lock(backend: Backend, lock: Lock) -> &'static str {
    match (backend, lock) {
        (Backend::Sqlite, _) => "",
        (Backend::Postgres, Lock::Update) => " FOR UPDATE",
        (Backend::Postgres, Lock::Share) => " FOR SHARE",
        (Backend::Postgres, Lock::UpdateSkipLocked) => " FOR UPDATE SKIP LOCKED",
    }
}

/// The `VALUES` tuples of a multi-row insert: `rows` rows of `cols`
/// parameters, bound in order.
///
/// On PostgreSQL they are `($1,$2,..),(..)`. On SQLite they are plain `?`:
/// SQLite looks up a named parameter (`$N`, `?N`) by scanning a list, so
/// binding a thousand of them costs a million steps, while anonymous `?`
/// parameters bind by position.
pub fn values(conn: &AnyConnection, rows: usize, cols: usize) -> String {
    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        let row = format!("({})", vec!["?"; cols].join(","));
        return vec![row; rows].join(",");
    }
    let mut s = String::with_capacity(rows * cols * 5);
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            let _ = write!(s, "${n}");
            n += 1;
        }
        s.push(')');
    }
    s
}

/// The `LIKE` pattern that finds `search` anywhere in lower-cased text,
/// with `%`, `_` and `\` taken literally: every `LIKE` that uses it says
/// `ESCAPE '\'` (both databases read that the same way).
pub fn contains_pattern(search: &str) -> String {
    let mut p = String::with_capacity(search.len() + 2);
    p.push('%');
    for c in search.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// `$s,$s+1,...` for an `IN (...)` list of `n` items.
pub fn list(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Rows per multi-row statement, so no statement passes SQLite's limit of
/// 32,766 bound parameters.
pub fn chunk_rows(cols: usize) -> usize {
    (30_000 / cols).max(1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn builds_placeholders() {
        assert_eq!(super::list(3, 2), "$3,$4");
    }
}

/// A value bound to a multi-row insert.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}
impl From<&Option<String>> for Arg {
    fn from(s: &Option<String>) -> Arg {
        Arg::OptText(s.clone())
    }
}
impl From<Option<&str>> for Arg {
    fn from(s: Option<&str>) -> Arg {
        Arg::OptText(s.map(str::to_owned))
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Int(n)
    }
}
impl From<Option<i64>> for Arg {
    fn from(n: Option<i64>) -> Arg {
        Arg::OptInt(n)
    }
}

/// One multi-row insert: `head` (`INSERT INTO t (a, b)`), the rows, and an
/// optional `tail` (`ON CONFLICT ...`).
#[derive(Debug)]
pub struct Insert {
    head: String,
    tail: String,
    cols: usize,
    args: Vec<Arg>,
}

impl Insert {
    pub fn new(table: &str, cols: &[&str]) -> Insert {
        Insert {
            head: format!("INSERT INTO {table} ({})", cols.join(", ")),
            tail: String::new(),
            cols: cols.len(),
            args: Vec::new(),
        }
    }

    pub fn tail(mut self, tail: impl Into<String>) -> Insert {
        self.tail = tail.into();
        self
    }

    /// Adds one row; it must have one value per column.
    pub fn row(&mut self, values: Vec<Arg>) {
        debug_assert_eq!(values.len(), self.cols);
        self.args.extend(values);
    }

    pub fn rows(&self) -> usize {
        self.args.len() / self.cols
    }

    /// Drops the rows after the first `n`.
    pub fn truncate_rows(&mut self, n: usize) {
        self.args.truncate(n * self.cols);
    }
}

impl Arg {
    /// The PostgreSQL type the value is read as (every column is `TEXT` or
    /// `BIGINT`).
    fn pg_type(&self) -> &'static str {
        match self {
            Arg::Text(_) | Arg::OptText(_) => "text",
            Arg::Int(_) | Arg::OptInt(_) => "bigint",
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Arg::Text(s) | Arg::OptText(Some(s)) => serde_json::Value::from(s.as_str()),
            Arg::Int(n) | Arg::OptInt(Some(n)) => serde_json::Value::from(*n),
            Arg::OptText(None) | Arg::OptInt(None) => serde_json::Value::Null,
        }
    }
}

impl Insert {
    /// The rows as a JSON array of objects keyed `c0`, `c1`, ...
    fn json_rows(&self) -> String {
        let rows: Vec<serde_json::Value> = self
            .args
            .chunks(self.cols)
            .map(|row| {
                serde_json::Value::Object(
                    row.iter()
                        .enumerate()
                        .map(|(c, a)| (format!("c{c}"), a.json()))
                        .collect(),
                )
            })
            .collect();
        serde_json::Value::Array(rows).to_string()
    }
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    args: impl IntoIterator<Item = Arg>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Text(s) => q.bind(s),
            Arg::OptText(s) => q.bind(s),
            Arg::Int(n) => q.bind(n),
            Arg::OptInt(n) => q.bind(n),
        };
    }
    q
}

/// Runs a set of inserts. On PostgreSQL they go as one statement of
/// data-modifying CTEs (`WITH a AS (INSERT ...), b AS (INSERT ...) SELECT 1`):
/// one round trip however many tables a posting touches, each table's rows
/// bound as one JSON array (`json_to_recordset`), so a batch of thousands
/// of rows is one short statement to parse and plan, with no parameter
/// limit. On SQLite, which runs in-process and has no DML in CTEs, each
/// insert runs alone, split to stay under its parameter limit.
pub async fn run_inserts(
    conn: &mut AnyConnection,
    inserts: Vec<Insert>,
) -> Result<(), crate::StoreError> {
    let inserts: Vec<Insert> = inserts.into_iter().filter(|i| !i.args.is_empty()).collect();
    if inserts.is_empty() {
        return Ok(());
    }
    if !conn.backend_name().eq_ignore_ascii_case("sqlite") {
        let mut sql = String::from("WITH ");
        let mut rows = Vec::with_capacity(inserts.len());
        for (k, ins) in inserts.iter().enumerate() {
            if k > 0 {
                sql.push_str(", ");
            }
            let names: Vec<String> = (0..ins.cols).map(|c| format!("c{c}")).collect();
            let types: Vec<String> = ins.args[..ins.cols]
                .iter()
                .zip(&names)
                .map(|(a, n)| format!("{n} {}", a.pg_type()))
                .collect();
            // `WHERE true` keeps a tail's `ON CONFLICT` from reading as a
            // join's `ON`.
            let _ = write!(
                sql,
                "i{k} AS ({} SELECT {} FROM json_to_recordset(${}::json) AS x({}) WHERE true {})",
                ins.head,
                names.join(", "),
                k + 1,
                types.join(", "),
                ins.tail
            );
            rows.push(ins.json_rows());
        }
        sql.push_str(" SELECT 1");
        let mut q = sqlx::query(&sql);
        for r in rows {
            q = q.bind(r);
        }
        q.execute(&mut *conn).await?;
        return Ok(());
    }
    for mut ins in inserts {
        let per = chunk_rows(ins.cols) * ins.cols;
        while !ins.args.is_empty() {
            let chunk: Vec<Arg> = ins.args.drain(..per.min(ins.args.len())).collect();
            let sql = format!(
                "{} VALUES {} {}",
                ins.head,
                values(conn, chunk.len() / ins.cols, ins.cols),
                ins.tail
            );
            bind_all(sqlx::query(&sql), chunk)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
