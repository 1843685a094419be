//! Small helpers for building portable SQL.

use std::fmt::Write;

use sqlx::AnyConnection;

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
