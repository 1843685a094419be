//! Closing the books: a lock date on or before which nothing posts (the
//! store refuses such a posting in the transaction that writes it, see
//! `ferrobooks_store::periods`), and nothing dated then is voided. A
//! close moves the date forward; moving it back is a reopen, which needs
//! a reason. Every close and reopen is kept, with the key that did it.

use ferrobooks_store::periods::{self as store, PeriodEventRow};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use crate::auth::PrincipalKind;

use crate::{
    AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date, today,
};

/// The books' lock date and how it came to be.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodsView {
    /// Nothing dated on or before it posts or is voided; none when the
    /// books were never closed (or reopened whole).
    pub lock_date: Option<String>,
    /// Every close and reopen, newest first.
    pub history: Vec<PeriodEventView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodEventView {
    pub id: String,
    /// `close` or `reopen`.
    pub action: String,
    pub lock_date: Option<String>,
    pub previous_lock_date: Option<String>,
    /// Why a period was reopened.
    pub reason: Option<String>,
    /// The API key that did it.
    pub key_id: Option<String>,
    pub created_at: String,
}

/// Closes the books up to a date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    pub lock_date: String,
}

/// Moves the lock date back, saying why.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReopenInput {
    /// The new lock date, before the current one; none opens every period.
    pub lock_date: Option<String>,
    pub reason: String,
}

fn event_view(r: PeriodEventRow) -> PeriodEventView {
    PeriodEventView {
        id: r.id,
        action: r.action,
        lock_date: r.lock_date,
        previous_lock_date: r.previous_lock_date,
        reason: r.reason,
        key_id: r.key_id,
        created_at: r.created_at,
    }
}

impl Services {
    pub async fn get_periods(&self, ctx: &AuthContext) -> ServiceResult<PeriodsView> {
        let mut conn = self.store.read_conn().await?;
        Ok(PeriodsView {
            lock_date: store::lock_date(&mut *conn, ctx.org_id()).await?,
            history: store::events(&mut *conn, ctx.org_id())
                .await?
                .into_iter()
                .map(event_view)
                .collect(),
        })
    }

    /// Closes the books up to `lock_date` (not after today, after the
    /// current lock date). Postings in flight finish first.
    pub async fn close_period(
        &self,
        ctx: &AuthContext,
        input: CloseInput,
    ) -> ServiceResult<PeriodsView> {
        let date = parse_date("lock_date", &input.lock_date)?;
        if date > today() {
            return Err(ServiceError::invalid(
                "lock_date",
                format!("{date} has not ended yet; a period closes once it is over"),
            ));
        }
        let date = date.to_string();
        self.change_lock(
            ctx,
            "close",
            Some(date),
            None,
            |current, new| match current {
                Some(c) if new.is_some_and(|n| n <= c) => Err(ServiceError::invalid(
                    "lock_date",
                    format!("the books are already closed up to {c}; reopen to move the date back"),
                )),
                _ => Ok(()),
            },
        )
        .await
    }

    /// Moves the lock date back to `lock_date` (or opens every period),
    /// recording the reason.
    pub async fn reopen_period(
        &self,
        ctx: &AuthContext,
        input: ReopenInput,
    ) -> ServiceResult<PeriodsView> {
        let reason = opt_text("reason", Some(input.reason), 1000)?
            .ok_or_else(|| ServiceError::invalid("reason", "must not be empty: say why"))?;
        let date = input
            .lock_date
            .as_deref()
            .map(|d| parse_date("lock_date", d).map(|d| d.to_string()))
            .transpose()?;
        self.change_lock(
            ctx,
            "reopen",
            date,
            Some(reason),
            |current, new| match current {
                None => Err(ServiceError::wrong_status(
                    "open",
                    "the books are not closed: there is nothing to reopen",
                )),
                Some(c) if new.is_some_and(|n| n >= c) => Err(ServiceError::invalid(
                    "lock_date",
                    format!("must be before the current lock date {c} (a later date is a close)"),
                )),
                _ => Ok(()),
            },
        )
        .await
    }

    async fn change_lock(
        &self,
        ctx: &AuthContext,
        action: &str,
        lock_date: Option<String>,
        reason: Option<String>,
        allowed: impl Fn(Option<&str>, Option<&str>) -> ServiceResult<()>,
    ) -> ServiceResult<PeriodsView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let current = store::lock_for_change(conn, ctx.org_id()).await?;
        allowed(current.as_deref(), lock_date.as_deref())?;
        let ev = PeriodEventRow {
            id: new_id("plock"),
            organization_id: ctx.org_id().to_owned(),
            action: action.to_owned(),
            lock_date,
            previous_lock_date: current,
            reason,
            key_id: (ctx.principal.kind == PrincipalKind::ApiKey).then(|| ctx.principal.id.clone()),
            created_at: now(),
        };
        store::set_lock_date(conn, &ev).await?;
        let history = store::events(&mut *conn, ctx.org_id())
            .await?
            .into_iter()
            .map(event_view)
            .collect();
        let v = PeriodsView {
            lock_date: ev.lock_date.clone(),
            history,
        };
        let event = if action == "close" {
            "period.closed"
        } else {
            "period.reopened"
        };
        self.emit(conn, ctx, event, &event_view(ev)).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }
}
