use thiserror::Error;

/// Errors of the persistence layer.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("configuration: {0}")]
    Config(String),
    /// The database cannot be reached or opened; the message says why.
    #[error("{0}")]
    Unreachable(String),
    #[error("migration {version} failed: {message}")]
    Migration { version: i64, message: String },
    /// A row the caller named does not exist (in its organization).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The row exists but its status does not allow the change.
    #[error("{message}")]
    WrongStatus { status: String, message: String },
    /// The idempotency claim the write carries passed to another request.
    #[error("idempotency key {0} was taken over by another request")]
    ClaimLost(String),
    /// A line of a posting names an account that cannot take it.
    #[error("line {line}: account {account_id} {reason}")]
    AccountUnusable {
        line: usize,
        account_id: String,
        reason: String,
    },
    /// A posting is dated on or before the organization's lock date.
    #[error(
        "the books are closed up to {lock_date}: nothing posts on {date}; reopen the period first"
    )]
    PeriodClosed { date: String, lock_date: String },
    /// A posting is dated in the period of a filed tax return.
    #[error(
        "{date} is in the period of the {kind} filed for {from} to {to}: nothing posts in it; \
         reopen the return first"
    )]
    PeriodFiled {
        date: String,
        kind: String,
        from: String,
        to: String,
    },
    /// A posting would take the organization's total debits past
    /// [`ferrobooks_domain::money::MAX_LEDGER_TOTAL`].
    #[error(
        "this posting would take the books past {limit} minor units of debits in all, the most \
         one organization's books can hold"
    )]
    LedgerFull { limit: i64 },
    /// Two requests committed together wrote the same unique number (a
    /// vendor's bill number, a document number): the one that lost retries.
    #[error("another document took the same number at the same moment; send the request again")]
    Taken,
    /// A unit of a group commit reached a document another unit of its
    /// batch changed; it runs again in the next batch (never answered).
    #[error("the document is being changed by another request of the same commit")]
    Busy,
    /// The write queue is gone (the server is shutting down).
    #[error("the write queue is closed")]
    QueueClosed,
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// True when the error is a unique-constraint violation.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(e)) => e.is_unique_violation(),
            _ => false,
        }
    }
}
