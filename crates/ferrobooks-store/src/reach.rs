//! Checks that the database can be reached before the pool is built, so an
//! operator reads the cause ("connection refused at 127.0.0.1:5999", "the
//! directory /srv/books does not exist") within seconds. The pool's own
//! retry loop would wait its whole acquire timeout and then only say that
//! it timed out.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

use crate::StoreError;

/// How long the first PostgreSQL connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects once to PostgreSQL at `url` and explains a failure.
pub async fn postgres(url: &str) -> Result<(), StoreError> {
    let opts = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Config(format!("the PostgreSQL URL is not valid: {e}")))?;
    let at = format!("{}:{}", opts.get_host(), opts.get_port());
    let fail = |why: String| {
        StoreError::Unreachable(format!("cannot connect to PostgreSQL at {at}: {why}"))
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&opts)).await {
        Err(_) => Err(fail(format!(
            "no answer within {} s",
            CONNECT_TIMEOUT.as_secs()
        ))),
        Ok(Err(e)) => Err(fail(describe(&e))),
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Ok(())
        }
    }
}

/// A connection error in plain words.
fn describe(e: &sqlx::Error) -> String {
    use std::io::ErrorKind;
    match e {
        sqlx::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => "connection refused".into(),
            ErrorKind::TimedOut => "connection timed out".into(),
            ErrorKind::NotFound => "no such host".into(),
            _ => io.to_string(),
        },
        sqlx::Error::Database(db) => db.message().to_owned(),
        sqlx::Error::Tls(t) => format!("TLS: {t}"),
        other => other.to_string(),
    }
}

/// The file of a `sqlite:` URL, or None for an in-memory database.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" || url.contains("mode=memory") {
        return None;
    }
    Some(PathBuf::from(path))
}

/// Checks that the SQLite file at `path` can be opened for writing, or made.
pub fn sqlite(path: &Path) -> Result<(), StoreError> {
    let fail = |why: String| {
        StoreError::Unreachable(format!(
            "cannot open the SQLite database {}: {why}",
            path.display()
        ))
    };
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => return Err(fail("it is a directory".into())),
        // Refused on the mode bits too, so that a file an operator made
        // read-only is never written, not even by root.
        Ok(m) if m.permissions().readonly() => {
            return Err(fail("the file is read-only".into()));
        }
        Ok(_) => {
            return std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(path)
                .map(drop)
                .map_err(|e| fail(e.to_string()));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(e.to_string())),
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(fail(format!("{} is not a directory", dir.display()))),
        Err(_) => Err(fail(format!(
            "the directory {} does not exist",
            dir.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite://books.db"),
            Some(PathBuf::from("books.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///srv/b.db?mode=rwc"),
            Some(PathBuf::from("/srv/b.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }

    #[test]
    fn sqlite_problems_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope").join("b.db");
        let e = sqlite(&missing).unwrap_err().to_string();
        assert!(e.contains("does not exist"), "{e}");
        let file = dir.path().join("ro.db");
        std::fs::write(&file, b"").unwrap();
        let mut perm = std::fs::metadata(&file).unwrap().permissions();
        perm.set_readonly(true);
        std::fs::set_permissions(&file, perm).unwrap();
        let e = sqlite(&file).unwrap_err().to_string();
        assert!(e.contains("read-only"), "{e}");
        assert!(sqlite(&dir.path().join("new.db")).is_ok());
    }
}
