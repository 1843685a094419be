//! Counts the SQL statements the server runs while answering requests:
//! sqlx reports each statement as a `sqlx::query` event, and an event
//! inside a `request` span (the edge's, one per HTTP request) is one that
//! request ran. Background work (job runner, webhook delivery) runs outside
//! any request span and is not counted. `FERROBOOKS_BENCH_SQL=1` prints
//! each counted statement.

use std::sync::atomic::{AtomicU64, Ordering};

use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

static STATEMENTS: AtomicU64 = AtomicU64::new(0);

struct Count;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Count {
    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let in_request = ctx
            .event_scope(event)
            .is_some_and(|mut scope| scope.any(|span| span.name() == "request"));
        if in_request {
            STATEMENTS.fetch_add(1, Ordering::Relaxed);
            if std::env::var_os("FERROBOOKS_BENCH_SQL").is_some() {
                let mut v = Statement(String::new());
                event.record(&mut v);
                eprintln!("sql: {}", v.0);
            }
        }
    }
}

/// The statement's text, for `FERROBOOKS_BENCH_SQL=1`.
struct Statement(String);

impl tracing::field::Visit for Statement {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "db.statement" || field.name() == "summary" {
            let text = format!("{value:?}");
            let first: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            self.0 = first.chars().take(110).collect();
        }
    }
}

/// Installs the counter as the process's subscriber (nothing is printed).
pub(crate) fn install() {
    let filter = tracing_subscriber::filter::Targets::new()
        .with_target("sqlx::query", tracing::Level::DEBUG)
        .with_target("ferrobooks_edge", tracing::Level::INFO);
    let _ = tracing_subscriber::registry()
        .with(Count.with_filter(filter))
        .try_init();
}

/// Statements counted so far.
pub(crate) fn count() -> u64 {
    STATEMENTS.load(Ordering::Relaxed)
}
