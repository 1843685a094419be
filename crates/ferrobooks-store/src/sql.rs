//! Small helpers for building portable SQL.

use std::fmt::Write;

/// `($s,$s+1,..),(..)` for `rows` rows of `cols` columns, numbering from
/// `start`.
pub fn values(start: usize, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    let mut n = start;
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
        assert_eq!(super::values(1, 2, 2), "($1,$2),($3,$4)");
        assert_eq!(super::list(3, 2), "$3,$4");
    }
}
