//! Subscriptions: a customer on a plan of invoice lines, invoiced every
//! week, month, quarter or year from a start date, until an end date or a
//! number of invoices. Each period's invoice is issued once (the period is
//! a row keyed by subscription and period), by the request that makes or
//! resumes the subscription for periods already due and by the job every
//! fifteen minutes after that, which catches up on every period missed
//! while no node ran. Invoices are approved and sent as the subscription
//! says and emit the usual `invoice.*` events.

use std::sync::Arc;

use chrono::NaiveDate;
use futures::FutureExt;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use ferrobooks_domain::subscription::{
    Interval, Schedule, SubscriptionAction, SubscriptionStatus, period_date,
};
use ferrobooks_store::subscriptions::{self as store, IssuedRow, SubscriptionRow};
use ferrobooks_store::{Conn, OrgId, new_id, now};

use crate::amount::{DecimalText, Number};
use crate::documents::model::{DocKind, DocLineInput, DocumentInput};
use crate::jobs::sweep::{Each, PageFn, sweep};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

/// One line of a plan, as an invoice line takes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanLineInput {
    pub product_id: Option<String>,
    pub description: Option<String>,
    pub quantity: Option<DecimalText>,
    pub unit_price: Option<DecimalText>,
    pub discount: Option<DecimalText>,
    pub account_id: Option<String>,
    pub tax_id: Option<String>,
}

/// A plan line as kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PlanLine {
    product_id: Option<String>,
    description: Option<String>,
    quantity: Option<String>,
    unit_price: Option<String>,
    discount: Option<String>,
    account_id: Option<String>,
    tax_id: Option<String>,
}

/// A plan line as shown.
#[derive(Debug, Clone, Serialize)]
pub struct PlanLineView {
    pub product_id: Option<String>,
    pub description: Option<String>,
    pub quantity: Option<Number>,
    pub unit_price: Option<Number>,
    pub discount: Option<Number>,
    pub account_id: Option<String>,
    pub tax_id: Option<String>,
}

/// A new subscription.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSubscription {
    pub customer_id: String,
    pub name: Option<String>,
    pub lines: Vec<PlanLineInput>,
    /// weekly, monthly, quarterly or yearly.
    pub interval: String,
    /// The first invoice's date; default today.
    pub start_date: Option<String>,
    /// No invoice after this date.
    pub end_date: Option<String>,
    /// At most this many invoices.
    pub count: Option<i64>,
    /// Approve (post) each invoice; default true.
    pub auto_approve: Option<bool>,
    /// Mark each approved invoice sent; default false.
    pub auto_send: Option<bool>,
    pub reference: Option<String>,
}

/// A subscription.
#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionView {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub lines: Vec<PlanLineView>,
    pub interval: String,
    pub start_date: String,
    pub end_date: Option<String>,
    pub count: Option<i64>,
    pub auto_approve: bool,
    pub auto_send: bool,
    pub reference: Option<String>,
    /// active, paused, cancelled or expired.
    pub status: String,
    pub invoices_issued: i64,
    /// The invoices issued, by period.
    pub invoice_ids: Vec<String>,
    /// When the next invoice is due (none once it ends).
    pub next_invoice_date: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Resuming a paused subscription.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resume {
    /// Default today: periods before it (those of the pause) are skipped.
    pub date: Option<String>,
}

fn schedule(r: &SubscriptionRow) -> ServiceResult<Schedule> {
    let corrupt = || ServiceError::internal("stored subscription is corrupt");
    Ok(Schedule {
        start: parse_date("start_date", &r.start_date)?,
        interval: Interval::from_name(&r.interval_unit).ok_or_else(corrupt)?,
        count: r
            .invoice_count
            .map(|c| u32::try_from(c).unwrap_or(u32::MAX)),
        end: r
            .end_date
            .as_deref()
            .map(|d| parse_date("end_date", d))
            .transpose()?,
    })
}

fn status(r: &SubscriptionRow) -> ServiceResult<SubscriptionStatus> {
    SubscriptionStatus::from_name(&r.status)
        .ok_or_else(|| ServiceError::internal("stored subscription status is corrupt"))
}

fn next_period(r: &SubscriptionRow) -> u32 {
    u32::try_from(r.next_period).unwrap_or(u32::MAX)
}

fn plan(r: &SubscriptionRow) -> ServiceResult<Vec<PlanLine>> {
    serde_json::from_str(&r.lines).map_err(ServiceError::internal)
}

fn number(s: &Option<String>) -> Option<Number> {
    s.as_deref()
        .and_then(|v| v.parse::<Decimal>().ok())
        .map(Number::new)
}

fn view(r: SubscriptionRow, issued: Vec<IssuedRow>) -> ServiceResult<SubscriptionView> {
    let sched = schedule(&r)?;
    let live = matches!(
        status(&r)?,
        SubscriptionStatus::Active | SubscriptionStatus::Paused
    );
    let next = next_period(&r);
    let next_invoice_date = (live && sched.has(next))
        .then(|| period_date(sched.start, sched.interval, next).to_string());
    Ok(SubscriptionView {
        lines: plan(&r)?
            .iter()
            .map(|l| PlanLineView {
                product_id: l.product_id.clone(),
                description: l.description.clone(),
                quantity: number(&l.quantity),
                unit_price: number(&l.unit_price),
                discount: number(&l.discount),
                account_id: l.account_id.clone(),
                tax_id: l.tax_id.clone(),
            })
            .collect(),
        invoice_ids: issued.into_iter().map(|i| i.invoice_id).collect(),
        next_invoice_date,
        id: r.id,
        customer_id: r.customer_id,
        name: r.name,
        interval: r.interval_unit,
        start_date: r.start_date,
        end_date: r.end_date,
        count: r.invoice_count,
        auto_approve: r.auto_approve == 1,
        auto_send: r.auto_send == 1,
        reference: r.reference,
        status: r.status,
        invoices_issued: r.issued,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// The invoice of one period.
fn invoice_input(
    r: &SubscriptionRow,
    date: NaiveDate,
    approve: bool,
) -> ServiceResult<DocumentInput> {
    let lines = plan(r)?
        .into_iter()
        .map(|l| DocLineInput {
            product_id: l.product_id,
            description: l.description,
            quantity: l.quantity.map(DecimalText),
            unit_price: l.unit_price.map(DecimalText),
            discount: l.discount.map(DecimalText),
            account_id: l.account_id,
            tax_id: l.tax_id,
            ..DocLineInput::default()
        })
        .collect();
    Ok(DocumentInput {
        contact_id: Some(r.customer_id.clone()),
        date: Some(date.to_string()),
        reference: Some(r.reference.clone().unwrap_or_else(|| r.name.clone())),
        lines: Some(lines),
        approve: Some(approve),
        ..DocumentInput::default()
    })
}

impl Services {
    /// Issues the periods of subscription `id` due by `through`, in the
    /// caller's transaction; the number issued. A subscription that is not
    /// active issues nothing.
    pub(crate) async fn issue_due_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        id: &str,
        through: NaiveDate,
    ) -> ServiceResult<usize> {
        let mut row = store::get_subscription(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("subscription"))?;
        let st = status(&row)?;
        if st != SubscriptionStatus::Active {
            return Ok(0);
        }
        let sched = schedule(&row)?;
        let due = sched.due(next_period(&row), through);
        for (k, date) in &due {
            let input = invoice_input(&row, *date, row.auto_approve == 1)?;
            let inv = self
                .new_document_in(conn, ctx, DocKind::Invoice, input)
                .await?;
            if row.auto_send == 1 && row.auto_approve == 1 {
                self.send_document_in(conn, ctx, DocKind::Invoice, &inv.id)
                    .await?;
            }
            store::insert_issued(
                conn,
                &IssuedRow {
                    subscription_id: row.id.clone(),
                    period: i64::from(*k),
                    organization_id: ctx.org_id().to_owned(),
                    invoice_id: inv.id,
                    date: date.to_string(),
                    created_at: now(),
                },
            )
            .await?;
            row.next_period = i64::from(*k) + 1;
            row.issued += 1;
        }
        let ended = !sched.has(next_period(&row));
        if due.is_empty() && !ended {
            return Ok(0);
        }
        if ended {
            row.status = st
                .after(SubscriptionAction::Expire)
                .map_err(|e| ServiceError::wrong_status(row.status.clone(), e.to_string()))?
                .as_str()
                .into();
        }
        row.updated_at = now();
        store::save_subscription(conn, &row).await?;
        if ended {
            let issued = store::issued(&mut *conn, ctx.org_id(), id).await?;
            let v = view(row, issued)?;
            crate::accounts::emit(conn, ctx, "subscription.expired", &v).await?;
        }
        Ok(due.len())
    }

    /// Starts a subscription: its plan is checked by making (and taking
    /// back) a draft of its invoice, then the periods already due are
    /// issued.
    pub async fn create_subscription(
        &self,
        ctx: &AuthContext,
        input: NewSubscription,
    ) -> ServiceResult<SubscriptionView> {
        let interval = Interval::parse("interval", &input.interval)?;
        let start = match &input.start_date {
            Some(d) => parse_date("start_date", d)?,
            None => crate::today(),
        };
        let end = input
            .end_date
            .as_deref()
            .map(|d| parse_date("end_date", d))
            .transpose()?;
        if end.is_some_and(|e| e < start) {
            return Err(ServiceError::invalid(
                "end_date",
                "must not be before start_date",
            ));
        }
        if input.count.is_some_and(|c| !(1..=100_000).contains(&c)) {
            return Err(ServiceError::invalid("count", "must be 1 to 100000"));
        }
        if input.lines.is_empty() {
            return Err(ServiceError::invalid(
                "lines",
                "a plan has at least one line",
            ));
        }
        let name = opt_text("name", input.name.clone(), 200)?
            .unwrap_or_else(|| format!("{} subscription", interval.as_str()));
        let reference = opt_text("reference", input.reference.clone(), 200)?;
        let lines: Vec<PlanLine> = input
            .lines
            .into_iter()
            .map(|l| PlanLine {
                product_id: l.product_id,
                description: l.description,
                quantity: l.quantity.map(|d| d.0),
                unit_price: l.unit_price.map(|d| d.0),
                discount: l.discount.map(|d| d.0),
                account_id: l.account_id,
                tax_id: l.tax_id,
            })
            .collect();
        let at = now();
        let auto_approve = input.auto_approve.unwrap_or(true);
        let auto_send = input.auto_send.unwrap_or(false);
        if auto_send && !auto_approve {
            return Err(ServiceError::invalid(
                "auto_send",
                "sends approved invoices: set auto_approve too",
            ));
        }
        let row = SubscriptionRow {
            id: new_id("sub"),
            organization_id: ctx.org_id().to_owned(),
            customer_id: input.customer_id,
            name,
            lines: serde_json::to_string(&lines).map_err(ServiceError::internal)?,
            interval_unit: interval.as_str().into(),
            start_date: start.to_string(),
            end_date: end.map(|e| e.to_string()),
            invoice_count: input.count,
            auto_approve: i64::from(auto_approve),
            auto_send: i64::from(auto_send),
            reference,
            next_period: 0,
            issued: 0,
            status: SubscriptionStatus::Active.as_str().into(),
            created_at: at.clone(),
            updated_at: at,
        };
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        // The plan as an invoice: its errors are the subscription's.
        ferrobooks_store::units::savepoint(conn, "plan_check").await?;
        let checked = self
            .new_document_in(
                conn,
                ctx,
                DocKind::Invoice,
                invoice_input(&row, start, false)?,
            )
            .await
            .map_err(|e| e.renamed("contact_id", "customer_id"));
        ferrobooks_store::units::rollback_to(conn, "plan_check").await?;
        checked?;
        store::save_subscription(conn, &row).await?;
        let id = row.id.clone();
        let issued_now = self.issue_due_in(conn, ctx, &id, crate::today()).await?;
        let row = store::get_subscription(conn, ctx.org_id(), &id, false)
            .await?
            .ok_or(ServiceError::not_found("subscription"))?;
        let issued = store::issued(&mut *conn, ctx.org_id(), &id).await?;
        let v = view(row, issued)?;
        self.emit(conn, ctx, "subscription.activated", &v).await?;
        tracing::debug!(subscription = %id, issued_now, "subscription started");
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_subscription(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<SubscriptionView> {
        let mut conn = self.store.read_conn().await?;
        let row = store::get_subscription(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("subscription"))?;
        let issued = store::issued(&mut *conn, ctx.org_id(), id).await?;
        view(row, issued)
    }

    pub async fn list_subscriptions(
        &self,
        ctx: &AuthContext,
        status: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<SubscriptionView>> {
        if let Some(s) = status {
            SubscriptionStatus::parse("status", s).map_err(ServiceError::bad_query)?;
        }
        let mut conn = self.store.read_conn().await?;
        let rows = store::list_subscriptions(
            &mut *conn,
            ctx.org_id(),
            status,
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.id);
        let mut items = Vec::with_capacity(page.items.len());
        for r in page.items {
            let issued = store::issued(&mut *conn, ctx.org_id(), &r.id).await?;
            items.push(view(r, issued)?);
        }
        Ok(Page {
            items,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Pauses, resumes or cancels a subscription.
    pub async fn change_subscription(
        &self,
        ctx: &AuthContext,
        id: &str,
        action: SubscriptionAction,
        resume: Resume,
    ) -> ServiceResult<SubscriptionView> {
        let date = match &resume.date {
            Some(d) => parse_date("date", d)?,
            None => crate::today(),
        };
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut row = store::get_subscription(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("subscription"))?;
        let next = status(&row)?
            .after(action)
            .map_err(|e| ServiceError::wrong_status(row.status.clone(), e.to_string()))?;
        row.status = next.as_str().into();
        if action == SubscriptionAction::Resume {
            row.next_period = i64::from(schedule(&row)?.first_from(next_period(&row), date));
        }
        row.updated_at = now();
        store::save_subscription(conn, &row).await?;
        if action == SubscriptionAction::Resume {
            self.issue_due_in(conn, ctx, id, crate::today()).await?;
        }
        let row = store::get_subscription(conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("subscription"))?;
        let issued = store::issued(&mut *conn, ctx.org_id(), id).await?;
        let v = view(row, issued)?;
        match action {
            SubscriptionAction::Resume => {
                self.emit(conn, ctx, "subscription.activated", &v).await?
            }
            SubscriptionAction::Cancel => {
                self.emit(conn, ctx, "subscription.cancelled", &v).await?
            }
            _ => {}
        }
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Issues every active subscription's periods due by `through` (of
    /// one organization, or all); the invoices issued.
    pub async fn run_subscriptions(
        &self,
        org: Option<&OrgId>,
        through: NaiveDate,
    ) -> ServiceResult<u64> {
        let s = self.clone();
        let each: Each<usize> = Arc::new(move |conn, ctx, id| {
            let s = s.clone();
            async move { s.issue_due_in(conn, ctx, id, through).await }.boxed()
        });
        let page: PageFn = |st, org, after, limit| {
            store::active_subscriptions(st.pool(), org, after, limit).boxed()
        };
        let mut issued = 0;
        for (id, outcome) in sweep(self, org, page, each).await? {
            match outcome {
                Ok(n) => issued += n as u64,
                Err(e) => {
                    tracing::warn!(subscription = %id, error = %e, "subscription job skipped a subscription")
                }
            }
        }
        Ok(issued)
    }
}

/// The scheduled job: every subscription's periods due by today.
pub(crate) async fn run_job(s: &Services) -> ServiceResult<()> {
    let n = s.run_subscriptions(None, crate::today()).await?;
    if n > 0 {
        tracing::info!(invoices = n, "subscription job");
    }
    Ok(())
}
