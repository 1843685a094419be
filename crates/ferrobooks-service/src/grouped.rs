//! Running a use case's writes through the group-commit writers
//! ([`ferrobooks_store::units`]): the use case is written as a function of
//! the shared transaction's connection, and answered once the commit that
//! holds its writes is durable.

use ferrobooks_store::units::Unit;
use ferrobooks_store::{Conn, StoreError};
use futures::future::BoxFuture;
use tokio::sync::oneshot;
use tracing::Instrument;

use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// A use case's writes and where its answer goes.
struct Job<T, F> {
    writes: F,
    /// The request's span: the writes are its, in traces and counts.
    span: tracing::Span,
    result: Option<ServiceResult<T>>,
    reply: oneshot::Sender<ServiceResult<T>>,
}

impl<T, F> Unit for Job<T, F>
where
    T: Send + 'static,
    F: for<'c> Fn(&'c mut Conn) -> BoxFuture<'c, ServiceResult<T>> + Send + 'static,
{
    fn run<'c>(&'c mut self, conn: &'c mut Conn) -> BoxFuture<'c, bool> {
        let span = self.span.clone();
        Box::pin(
            async move {
                let r = (self.writes)(conn).await;
                let ok = r.is_ok();
                self.result = Some(r);
                ok
            }
            .instrument(span),
        )
    }

    fn span(&self) -> tracing::Span {
        self.span.clone()
    }

    fn finish(self: Box<Self>, committed: Result<(), StoreError>) {
        let answer = match (committed, self.result) {
            (Ok(()), Some(r)) => r,
            (Err(e), _) => Err(e.into()),
            (Ok(()), None) => Err(ServiceError::internal("a unit finished without running")),
        };
        let _ = self.reply.send(answer);
    }
}

/// Pins down the closure's lifetimes: a function of any connection.
pub(crate) fn writes<T, F>(f: F) -> F
where
    F: for<'c> Fn(&'c mut Conn) -> BoxFuture<'c, ServiceResult<T>>,
{
    f
}

impl Services {
    /// Runs `f` on a transaction shared with other requests of the
    /// organization; answers after it commits. `f` may run more than once
    /// (alone, when a shared commit fails), so it reads only what it owns.
    pub(crate) async fn grouped<T, F>(&self, ctx: &AuthContext, f: F) -> ServiceResult<T>
    where
        T: Send + 'static,
        F: for<'c> Fn(&'c mut Conn) -> BoxFuture<'c, ServiceResult<T>> + Send + 'static,
    {
        if self.store.backend() == ferrobooks_store::Backend::Postgres {
            // PostgreSQL runs requests side by side on their own
            // connections; one writer per organization would queue them
            // (the bench measured the queue no faster there).
            return ferrobooks_store::units::run_alone(&self.store, f).await;
        }
        let (reply, answer) = oneshot::channel();
        let job = Job {
            writes: f,
            span: tracing::Span::current(),
            result: None,
            reply,
        };
        self.units
            .submit(ctx.org_id().as_str(), Box::new(job))
            .await?;
        answer
            .await
            .map_err(|_| ServiceError::internal("the group-commit writer stopped"))?
    }
}
