//! Journal entries: create (draft or posted), list, read, edit drafts, post,
//! void (posting the reversal) and delete drafts.
//!
//! Entries balance in the organization's base currency; a line on an
//! account kept in another currency also carries its amount in that
//! currency (`currency_amount`). New entries go through the group-commit
//! [`PostingQueue`](ferrobooks_store::batch::PostingQueue).

use crate::Code;
use ferrobooks_store::contacts::{self, Party};
use std::sync::Arc;

use ferrobooks_domain::{BalancedEntry, Currency, EntryLine, Foreign};
use ferrobooks_store::journal::{
    self as store, EntryFilter, EntryRow, IdempotentReply, LineRow, NewEntry, NewEvent, status,
};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::amount::{Amount, DecimalText};
use crate::page::{Page, paginate};
use crate::{AuthContext, ServiceError, ServiceResult, Services, opt_text, parse_date, today};

/// The statuses of a journal entry.
pub const ENTRY_STATUSES: [&str; 3] = [status::DRAFT, status::POSTED, status::VOID];

/// A journal entry, as a use case answers it (each surface shapes it).
#[derive(Debug, Clone, Serialize)]
pub struct JournalEntryView {
    pub id: String,
    /// Given when the entry is posted (`JE-000042`); drafts have none.
    pub number: Option<String>,
    pub date: String,
    pub memo: Option<String>,
    pub reference: Option<String>,
    /// draft, posted or void.
    pub status: String,
    pub currency: String,
    /// Sum of the debits (equal to the sum of the credits).
    pub total: Amount,
    pub lines: Vec<LineView>,
    /// For a reversal: the entry it reverses.
    pub reversal_of: Option<String>,
    /// For a voided entry: the reversal that voided it.
    pub reversed_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub posted_at: Option<String>,
    pub voided_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub account_id: String,
    pub debit: Amount,
    pub credit: Amount,
    pub description: Option<String>,
    pub contact_id: Option<String>,
    /// The account's currency, on a line of an account kept in another
    /// currency than the base.
    pub currency: Option<String>,
    /// The line's amount in that currency (on the line's side).
    pub currency_amount: Option<Amount>,
}

/// A new entry. `post: true` posts it at once; otherwise it is a draft,
/// which posts nothing until `POST /journal_entries/{id}/post`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewJournalEntry {
    pub date: String,
    pub memo: Option<String>,
    pub reference: Option<String>,
    /// Must be the organization's base currency when given.
    pub currency: Option<String>,
    #[serde(default)]
    pub post: bool,
    pub lines: Vec<LineInput>,
}

/// Replaces a draft's date, memo, reference and lines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalEntryUpdate {
    pub date: String,
    pub memo: Option<String>,
    pub reference: Option<String>,
    pub currency: Option<String>,
    pub lines: Vec<LineInput>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    pub account_id: String,
    pub debit: Option<DecimalText>,
    pub credit: Option<DecimalText>,
    pub description: Option<String>,
    /// A customer of the organization; its receivable balance counts the
    /// lines that name it on receivable accounts.
    pub contact_id: Option<String>,
    /// Required on an account kept in another currency than the base, and
    /// only there: the amount in the account's currency, on the same side
    /// as `debit` or `credit` (which stay in base and balance the entry).
    pub currency_amount: Option<DecimalText>,
}

/// Options of a void: the reversal's date, today when absent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoidRequest {
    pub date: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct EntryQuery {
    pub after: Option<String>,
    pub limit: i64,
    pub status: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub updated_since: Option<String>,
    pub account_id: Option<String>,
    pub search: Option<String>,
}

fn view(row: &EntryRow, lines: &[EntryLine], cur: Currency) -> JournalEntryView {
    JournalEntryView {
        id: row.id.clone(),
        number: row.number.clone(),
        date: row.date.clone(),
        memo: row.memo.clone(),
        reference: row.reference.clone(),
        status: row.status.clone(),
        currency: row.currency.clone(),
        total: Amount::new(row.total, cur),
        lines: lines.iter().map(|l| line_view(l, cur)).collect(),
        reversal_of: row.reversal_of.clone(),
        reversed_by: row.reversed_by.clone(),
        created_at: row.created_at.clone(),
        updated_at: row.updated_at.clone(),
        posted_at: row.posted_at.clone(),
        voided_at: row.voided_at.clone(),
    }
}

pub(crate) fn line_view(l: &EntryLine, base: Currency) -> LineView {
    let foreign = l
        .foreign
        .as_ref()
        .and_then(|f| Some((f, Currency::parse(&f.currency).ok()?)));
    LineView {
        account_id: l.account_id.clone(),
        debit: Amount::new(l.debit, base),
        credit: Amount::new(l.credit, base),
        description: l.description.clone(),
        contact_id: l.contact_id.clone(),
        currency: foreign.map(|(f, _)| f.currency.clone()),
        currency_amount: foreign.map(|(f, c)| Amount::new(f.amount, c)),
    }
}

/// An event whose payload is the entry as the API shows it, rendered from
/// the row as written (so it carries the number given at posting).
fn event(event_type: &'static str, lines: &[EntryLine], cur: Currency) -> NewEvent {
    let lines = lines.to_vec();
    NewEvent {
        event_type,
        render: Arc::new(move |row: &EntryRow| {
            serde_json::to_string(&view(row, &lines, cur)).unwrap_or_default()
        }),
    }
}

/// The header and checked lines shared by create and update.
struct Checked {
    date: String,
    memo: Option<String>,
    reference: Option<String>,
    entry: BalancedEntry,
}

fn check(
    ctx: &AuthContext,
    date: &str,
    memo: Option<String>,
    reference: Option<String>,
    currency: Option<&str>,
    lines: Vec<LineInput>,
    foreign: &HashMap<String, Currency>,
) -> ServiceResult<Checked> {
    let cur = ctx.currency()?;
    if let Some(c) = currency
        && !c.eq_ignore_ascii_case(cur.code())
    {
        return Err(ServiceError::invalid(
            "currency",
            format!(
                "journal entries are in the base currency {}; {c} is not supported here",
                cur.code()
            ),
        ));
    }
    let date = parse_date("date", date)?.to_string();
    let mut out = Vec::with_capacity(lines.len());
    for (i, l) in lines.into_iter().enumerate() {
        let f = |name: &str| format!("lines[{i}].{name}");
        if l.account_id.trim().is_empty() {
            return Err(ServiceError::invalid(
                f("account_id"),
                "must name an account",
            ));
        }
        let amount = |v: &Option<DecimalText>, name: &str| -> ServiceResult<i64> {
            v.as_ref().map_or(Ok(0), |d| d.minor(cur, &f(name)))
        };
        let account_id = l.account_id.trim().to_owned();
        let foreign = match (&l.currency_amount, foreign.get(&account_id)) {
            (None, _) => None,
            (Some(_), None) => {
                return Err(ServiceError::invalid(
                    f("currency_amount"),
                    format!(
                        "only for accounts kept in another currency than {}; \
                         {account_id} is not one",
                        cur.code()
                    ),
                ));
            }
            (Some(d), Some(c)) => Some(Foreign {
                currency: c.code().to_owned(),
                amount: d.minor(*c, &f("currency_amount"))?,
            }),
        };
        out.push(EntryLine {
            account_id,
            debit: amount(&l.debit, "debit")?,
            credit: amount(&l.credit, "credit")?,
            description: opt_text(&f("description"), l.description, 500)?,
            contact_id: opt_text(&f("contact_id"), l.contact_id, 100)?,
            foreign,
        });
    }
    Ok(Checked {
        date,
        memo: opt_text("memo", memo, 1000)?,
        reference: opt_text("reference", reference, 200)?,
        entry: BalancedEntry::new(out, cur.exponent())?,
    })
}

/// Every `contact_id` a line names must be a customer of the organization
/// (the receivable balances per customer are kept from these lines).
/// Called inside the writing transaction.
async fn check_contacts(
    conn: &mut ferrobooks_store::Conn,
    ctx: &AuthContext,
    lines: &[EntryLine],
) -> ServiceResult<()> {
    let mut ids: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.contact_id.as_deref())
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    ids.sort_unstable();
    ids.dedup();
    // Shared row locks, in id order, held to commit: a contact cannot be
    // deleted between this check and the entry's commit. A contact is a
    // customer or a vendor (ids are prefixed `cus_` or `ven_`).
    let mut known = Vec::with_capacity(ids.len());
    for id in ids {
        let party = if id.starts_with("ven_") {
            Party::Vendor
        } else {
            Party::Customer
        };
        if contacts::lock_contact(&mut *conn, party, ctx.org_id(), id, false)
            .await?
            .is_some()
        {
            known.push(id.to_owned());
        }
    }
    for (i, l) in lines.iter().enumerate() {
        if let Some(c) = &l.contact_id
            && !known.contains(c)
        {
            return Err(ServiceError::invalid(
                format!("lines[{i}].contact_id"),
                format!("no customer or vendor {c} exists"),
            ));
        }
    }
    Ok(())
}

/// The accounts kept in another currency than the base among those whose
/// lines give a `currency_amount` (read only when one does), with their
/// currencies: the amounts are parsed in them.
async fn foreign_accounts(
    conn: &mut ferrobooks_store::Conn,
    ctx: &AuthContext,
    lines: &[LineInput],
) -> ServiceResult<HashMap<String, Currency>> {
    let ids: Vec<&str> = lines
        .iter()
        .filter(|l| l.currency_amount.is_some())
        .map(|l| l.account_id.trim())
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let base = ctx.currency()?;
    let mut out = HashMap::new();
    for a in ferrobooks_store::accounts::accounts_by_ids(&mut *conn, ctx.org_id(), &ids).await? {
        let c = Currency::parse(&a.currency)
            .map_err(|_| ServiceError::internal("stored currency is corrupt"))?;
        if c != base {
            out.insert(a.id, c);
        }
    }
    Ok(out)
}

/// A new entry from its input (checked, balanced), with its events and,
/// under an Idempotency-Key, the reply it stores.
fn new_entry(
    ctx: &AuthContext,
    input: NewJournalEntry,
    foreign: &HashMap<String, Currency>,
) -> ServiceResult<(NewEntry, Vec<EntryLine>)> {
    let cur = ctx.currency()?;
    let c = check(
        ctx,
        &input.date,
        input.memo,
        input.reference,
        input.currency.as_deref(),
        input.lines,
        foreign,
    )?;
    let at = now();
    let st = if input.post {
        status::POSTED
    } else {
        status::DRAFT
    };
    let row = EntryRow {
        id: new_id("je"),
        organization_id: ctx.org_id().to_owned(),
        number: None,
        date: c.date,
        memo: c.memo,
        reference: c.reference,
        status: st.into(),
        currency: cur.code().into(),
        total: c.entry.total(),
        reversal_of: None,
        reversed_by: None,
        created_at: at.clone(),
        updated_at: at.clone(),
        posted_at: input.post.then(|| at.clone()),
        voided_at: None,
        source: None,
    };
    let lines = c.entry.into_lines();
    let mut events = vec![event("journal_entry.created", &lines, cur)];
    if input.post {
        events.push(event("journal_entry.posted", &lines, cur));
    }
    let idempotent = ctx.request.idempotency.clone().map(|req| {
        let lines = lines.clone();
        let status = crate::Outcome::Created.status();
        IdempotentReply {
            claim: req.claim,
            render: Arc::new(move |row: &EntryRow| {
                let json = serde_json::to_string(&view(row, &lines, cur)).unwrap_or_default();
                (req.render)(status, json)
            }),
        }
    });
    let entry = NewEntry {
        row,
        lines: lines.clone(),
        events,
        idempotent,
    };
    Ok((entry, lines))
}

fn lines_by_entry(rows: Vec<LineRow>) -> std::collections::HashMap<String, Vec<EntryLine>> {
    let mut map: std::collections::HashMap<String, Vec<EntryLine>> = Default::default();
    for l in rows {
        map.entry(l.entry_id.clone())
            .or_default()
            .push(store::line_to_domain(l));
    }
    map
}

impl Services {
    /// [`foreign_accounts`] on a connection of the pool (none taken when
    /// no line gives a currency amount).
    async fn foreign_accounts(
        &self,
        ctx: &AuthContext,
        lines: &[LineInput],
    ) -> ServiceResult<HashMap<String, Currency>> {
        if lines.iter().all(|l| l.currency_amount.is_none()) {
            return Ok(HashMap::new());
        }
        let mut conn = self.store.read_conn().await?;
        foreign_accounts(&mut conn, ctx, lines).await
    }

    pub async fn create_journal_entry(
        &self,
        ctx: &AuthContext,
        input: NewJournalEntry,
    ) -> ServiceResult<JournalEntryView> {
        let cur = ctx.currency()?;
        let foreign = self.foreign_accounts(ctx, &input.lines).await?;
        let (entry, lines) = new_entry(ctx, input, &foreign)?;
        if lines.iter().all(|l| l.contact_id.is_none()) {
            let saved = self.queue.submit(entry).await?;
            return Ok(view(&saved, &lines, cur));
        }
        // Lines naming customers are written in a transaction of their own
        // that holds the customers' rows (rare; the group-commit writer
        // keeps no per-entry locks).
        let mut wtx = self.store.begin_write().await?;
        check_contacts(&mut wtx.tx, ctx, &lines).await?;
        let mut batch = [entry];
        for check in store::check_accounts(&mut wtx.tx, &batch).await? {
            check?;
        }
        store::insert_entries(&mut wtx.tx, &mut batch).await?;
        wtx.commit().await?;
        let [saved] = batch;
        Ok(view(&saved.row, &lines, cur))
    }

    /// Makes a journal entry in the caller's transaction (an import's
    /// batch, which writes it with the batch's other rows).
    pub(crate) async fn create_journal_entry_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        input: NewJournalEntry,
    ) -> ServiceResult<JournalEntryView> {
        let cur = ctx.currency()?;
        let foreign = foreign_accounts(conn, ctx, &input.lines).await?;
        let (entry, lines) = new_entry(ctx, input, &foreign)?;
        check_contacts(conn, ctx, &lines).await?;
        let batch = vec![entry];
        for check in store::check_accounts(conn, &batch).await? {
            check?;
        }
        let v = view(&batch[0].row, &lines, cur);
        ferrobooks_store::units::post(conn, batch).await?;
        Ok(v)
    }

    pub async fn get_journal_entry(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<JournalEntryView> {
        let cur = ctx.currency()?;
        let row = store::get_entry(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("journal entry"))?;
        let lines = store::lines_of(self.store.pool(), ctx.org_id(), &[id]).await?;
        let lines: Vec<EntryLine> = lines.into_iter().map(store::line_to_domain).collect();
        Ok(view(&row, &lines, cur))
    }

    pub async fn list_journal_entries(
        &self,
        ctx: &AuthContext,
        q: &EntryQuery,
    ) -> ServiceResult<Page<JournalEntryView>> {
        let cur = ctx.currency()?;
        if let Some(s) = &q.status
            && !ENTRY_STATUSES.contains(&s.as_str())
        {
            return Err(ServiceError::invalid(
                "status",
                "must be one of draft, posted, void",
            ));
        }
        let date_from = q
            .date_from
            .as_deref()
            .map(|d| parse_date("date_from", d))
            .transpose()?
            .map(|d| d.to_string());
        let date_to = q
            .date_to
            .as_deref()
            .map(|d| parse_date("date_to", d))
            .transpose()?
            .map(|d| d.to_string());
        let since = crate::parse_since("updated_since", q.updated_since.as_deref())?;
        let rows = store::list_entries(
            self.store.pool(),
            ctx.org_id(),
            &EntryFilter {
                after: q.after.as_deref(),
                status: q.status.as_deref(),
                date_from: date_from.as_deref(),
                date_to: date_to.as_deref(),
                updated_since: since.as_deref(),
                account_id: q.account_id.as_deref(),
                search: q.search.as_deref(),
                limit: q.limit + 1,
            },
        )
        .await?;
        let page = paginate(rows, q.limit, |r| &r.id);
        let ids: Vec<&str> = page.items.iter().map(|r| r.id.as_str()).collect();
        let mut lines =
            lines_by_entry(store::lines_of(self.store.pool(), ctx.org_id(), &ids).await?);
        Ok(Page {
            items: page
                .items
                .iter()
                .map(|r| view(r, &lines.remove(&r.id).unwrap_or_default(), cur))
                .collect(),
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    pub async fn update_journal_entry(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: JournalEntryUpdate,
    ) -> ServiceResult<JournalEntryView> {
        let cur = ctx.currency()?;
        let foreign = self.foreign_accounts(ctx, &input.lines).await?;
        let c = check(
            ctx,
            &input.date,
            input.memo,
            input.reference,
            input.currency.as_deref(),
            input.lines,
            &foreign,
        )?;
        let mut wtx = self.store.begin_write().await?;
        check_contacts(&mut wtx.tx, ctx, c.entry.lines()).await?;
        let mut row = store::get_entry(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("journal entry"))?;
        row.date = c.date;
        row.memo = c.memo;
        row.reference = c.reference;
        row.total = c.entry.total();
        row.updated_at = now();
        let lines = c.entry.into_lines();
        let entry = NewEntry {
            events: vec![],
            row: row.clone(),
            lines: lines.clone(),
            idempotent: None,
        };
        for check in store::check_accounts(&mut wtx.tx, std::slice::from_ref(&entry)).await? {
            check?;
        }
        store::replace_draft(&mut wtx.tx, &entry).await?;
        wtx.commit().await?;
        Ok(view(&row, &lines, cur))
    }

    /// Posts a draft: it gets its number and its lines reach the balances.
    pub async fn post_journal_entry(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<JournalEntryView> {
        let cur = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let row = store::get_entry(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("journal entry"))?;
        let lines: Vec<EntryLine> = store::lines_of(&mut *wtx.tx, ctx.org_id(), &[id])
            .await?
            .into_iter()
            .map(store::line_to_domain)
            .collect();
        if row.status == status::DRAFT {
            let probe = NewEntry {
                row: row.clone(),
                lines: lines.clone(),
                events: vec![],
                idempotent: None,
            };
            for check in store::check_accounts(&mut wtx.tx, std::slice::from_ref(&probe)).await? {
                check?;
            }
            check_contacts(&mut wtx.tx, ctx, &lines).await?;
        }
        let at = now();
        let posted = store::post_existing(
            &mut wtx.tx,
            ctx.org_id(),
            id,
            &at,
            &[event("journal_entry.posted", &lines, cur)],
        )
        .await?;
        let v = view(&posted, &lines, cur);
        self.finish_idempotent(&mut wtx.tx, ctx, crate::Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Voids a posted entry: posts its exact mirror, dated the void date, and
    /// marks the original void. The number is kept, never reused.
    pub async fn void_journal_entry(
        &self,
        ctx: &AuthContext,
        id: &str,
        req: VoidRequest,
    ) -> ServiceResult<JournalEntryView> {
        let cur = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        reverse_entry(&mut wtx.tx, ctx, id, req.date.as_deref(), true).await?;
        let voided = store::get_entry(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("journal entry"))?;
        let lines: Vec<EntryLine> = store::lines_of(&mut *wtx.tx, ctx.org_id(), &[id])
            .await?
            .into_iter()
            .map(store::line_to_domain)
            .collect();
        let v = view(&voided, &lines, cur);
        self.finish_idempotent(&mut wtx.tx, ctx, crate::Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Deletes a draft (soft: it answers 404 from then on).
    pub async fn delete_journal_entry(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        store::delete_draft(&mut wtx.tx, ctx.org_id(), id, &now()).await?;
        wtx.commit().await?;
        Ok(())
    }
}

/// Posts the exact mirror of a posted entry, dated `date` (default: today,
/// or the entry's date if later), and marks the entry void. Returns the
/// reversal's id. `via_journal_api`: the journal API: it sends the
/// journal-entry events of the reversal, and refuses an entry a document
/// posted (that one is voided through its document).
pub(crate) async fn reverse_entry(
    conn: &mut ferrobooks_store::Conn,
    ctx: &AuthContext,
    id: &str,
    date: Option<&str>,
    via_journal_api: bool,
) -> ServiceResult<String> {
    let cur = ctx.currency()?;
    let original = store::get_entry(&mut *conn, ctx.org_id(), id)
        .await?
        .ok_or(ServiceError::not_found("journal entry"))?;
    let date = match date {
        Some(d) => parse_date("date", d)?.to_string(),
        None => today().to_string().max(original.date.clone()),
    };
    if date < original.date {
        return Err(ServiceError::invalid(
            "date",
            format!(
                "the reversal cannot be dated before the entry it voids ({})",
                original.date
            ),
        ));
    }
    let source = original.source.clone();
    if let (true, Some(src)) = (via_journal_api, &source) {
        // Through the journal API: a document's entry moves with its document.
        return Err(ServiceError::new(
            Code::PostedBySource,
            format!("journal entry {id} was posted by {src}; void or delete that instead"),
        ));
    }
    // What the closed books hold stays as it is: neither the entry nor its
    // reversal may fall on or before the lock date.
    let locks = ferrobooks_store::periods::locks_for_posting(conn, ctx.org_id()).await?;
    if let Some(refusal) = locks
        .refusal(&original.date)
        .or_else(|| locks.refusal(&date))
    {
        return Err(refusal.into());
    }
    if let Some((rec, statement)) =
        ferrobooks_store::reconciliations::finished_reconciliation_of_entry(
            &mut *conn,
            ctx.org_id(),
            id,
        )
        .await?
    {
        // A reconciled line stays as the bank statement showed it.
        return Err(ServiceError::wrong_status(
            "reconciled",
            format!(
                "journal entry {id} has a line reconciled in {rec} (statement of {statement}); \
                 undo that reconciliation first"
            ),
        ));
    }
    // A statement line the entry explained is open for review again.
    if let Some((tx, _)) =
        ferrobooks_store::bank_matches::transaction_of_entry(&mut *conn, ctx.org_id(), id).await?
    {
        ferrobooks_store::bank_matches::delete_matches(conn, ctx.org_id(), &tx).await?;
        ferrobooks_store::banking::set_bank_transaction_status(
            conn,
            ctx.org_id(),
            &tx,
            ferrobooks_store::banking::status::UNREVIEWED,
        )
        .await?;
        // Integrators following the line hear of it as of any change.
        let row = ferrobooks_store::banking::get_bank_transaction(&mut *conn, ctx.org_id(), &tx)
            .await?
            .ok_or_else(|| ServiceError::internal(format!("bank transaction {tx} is gone")))?;
        let account_cur = crate::banking::transactions::bank_account_currency(
            conn,
            ctx,
            &row.bank_account_id,
            "id",
        )
        .await?;
        let v = crate::banking::transactions::view(row, account_cur);
        crate::accounts::emit(conn, ctx, "bank_transaction.updated", &v).await?;
    }
    let lines: Vec<EntryLine> = store::lines_of(&mut *conn, ctx.org_id(), &[id])
        .await?
        .into_iter()
        .map(store::line_to_domain)
        .collect();
    let reversal = BalancedEntry::new(lines, cur.exponent())
        .map_err(|e| ServiceError::internal(format!("stored entry {id} is corrupt: {e}")))?
        .reversal();
    let at = now();
    let rev_row = EntryRow {
        id: new_id("je"),
        organization_id: ctx.org_id().to_owned(),
        number: None,
        date,
        memo: Some(format!(
            "Reversal of {}",
            original.number.as_deref().unwrap_or(id)
        )),
        reference: original.reference.clone(),
        status: status::POSTED.into(),
        currency: original.currency.clone(),
        total: reversal.total(),
        reversal_of: Some(id.to_owned()),
        reversed_by: None,
        created_at: at.clone(),
        updated_at: at.clone(),
        posted_at: Some(at.clone()),
        voided_at: None,
        source: original.source.clone(),
    };
    store::mark_void(&mut *conn, ctx.org_id(), id, &rev_row.id, &at).await?;
    let rev_lines = reversal.into_lines();
    let rev_id = rev_row.id.clone();
    let mut batch = [NewEntry {
        events: if via_journal_api {
            vec![
                event("journal_entry.created", &rev_lines, cur),
                event("journal_entry.posted", &rev_lines, cur),
            ]
        } else {
            vec![]
        },
        row: rev_row,
        lines: rev_lines,
        idempotent: None,
    }];
    store::insert_entries(&mut *conn, &mut batch).await?;
    Ok(rev_id)
}
