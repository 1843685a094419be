//! Journal entries, their lines, the per-day balances they feed, and the
//! outbox events written with them.
//!
//! Every posting goes through [`insert_entries`] or [`post_existing`], which
//! write entries, lines, balances and events as multi-row statements: one
//! round trip per table however many entries a group commit carries.

use std::collections::BTreeMap;
use std::sync::Arc;

use ferrobooks_domain::{EntryLine, Foreign};
use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::sql::Insert;
use crate::{OrgId, StoreError, sql};

/// Status values of a journal entry as stored.
pub mod status {
    pub const DRAFT: &str = "draft";
    pub const POSTED: &str = "posted";
    pub const VOID: &str = "void";
}

#[derive(Debug, Clone, FromRow)]
pub struct EntryRow {
    pub id: String,
    pub organization_id: OrgId,
    pub number: Option<String>,
    pub date: String,
    pub memo: Option<String>,
    pub reference: Option<String>,
    pub status: String,
    pub currency: String,
    pub total: i64,
    pub reversal_of: Option<String>,
    pub reversed_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub posted_at: Option<String>,
    pub voided_at: Option<String>,
    /// The document or payment that posted the entry (`invoice inv_...`);
    /// none for entries of the journal API.
    pub source: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct LineRow {
    pub entry_id: String,
    pub line_no: i64,
    pub account_id: String,
    pub debit: i64,
    pub credit: i64,
    pub description: Option<String>,
    pub contact_id: Option<String>,
    /// The account's currency, on a line of an account kept in another
    /// currency than the base; with the amount in it.
    pub currency: Option<String>,
    pub foreign_amount: Option<i64>,
}

/// Renders an event's JSON payload from the entry row as finally written
/// (with the number allocated at posting).
pub type RenderPayload = Arc<dyn Fn(&EntryRow) -> String + Send + Sync>;

/// An event for the outbox, rendered once the entry's number is known.
#[derive(Clone)]
pub struct NewEvent {
    pub event_type: &'static str,
    pub render: RenderPayload,
}

impl std::fmt::Debug for NewEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewEvent")
            .field("event_type", &self.event_type)
            .finish_non_exhaustive()
    }
}

/// An entry to write: its row (number empty; allocated when posted), its
/// checked lines, the events to emit with it, and, for a request with an
/// Idempotency-Key, the response to store in the same transaction.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub row: EntryRow,
    pub lines: Vec<EntryLine>,
    pub events: Vec<NewEvent>,
    pub idempotent: Option<IdempotentReply>,
}

/// The response an idempotent request stores with its effect.
#[derive(Clone)]
pub struct IdempotentReply {
    pub claim: crate::idempotency::Claim,
    /// The reply as the serving surface sends it, from the row as written.
    pub render: Arc<dyn Fn(&EntryRow) -> crate::idempotency::StoredReply + Send + Sync>,
}

impl std::fmt::Debug for IdempotentReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdempotentReply")
            .field("claim", &self.claim)
            .finish_non_exhaustive()
    }
}

const ENTRY_COLS: &str = "id, organization_id, number, date, memo, reference, status, currency, \
    total, reversal_of, reversed_by, created_at, updated_at, posted_at, voided_at, source";
const LINE_COLS: &str = "entry_id, line_no, account_id, debit, credit, description, contact_id, currency, foreign_amount";

/// Checks that every account each entry names is a live, active account of
/// the entry's organization, and that a line carries an amount in the
/// account's own currency exactly when that is not the entry's (the base).
/// One query per organization in the batch.
pub async fn check_accounts(
    conn: &mut AnyConnection,
    entries: &[NewEntry],
) -> Result<Vec<Result<(), StoreError>>, StoreError> {
    let mut by_org: BTreeMap<&OrgId, Vec<&str>> = BTreeMap::new();
    for e in entries {
        let ids = by_org.entry(&e.row.organization_id).or_default();
        ids.extend(e.lines.iter().map(|l| l.account_id.as_str()));
    }
    // (organization, account) -> (active, currency)
    let mut known: BTreeMap<(OrgId, String), (i64, String)> = BTreeMap::new();
    // Organization -> its lock date and filed periods, for the posted entries.
    let mut locks: BTreeMap<OrgId, crate::periods::PostingLocks> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.row.status == status::POSTED) {
        let org = &e.row.organization_id;
        if !locks.contains_key(org) {
            let l = crate::periods::locks_for_posting(conn, org).await?;
            locks.insert(org.clone(), l);
        }
    }
    for (org, mut ids) in by_org {
        ids.sort_unstable();
        ids.dedup();
        for chunk in ids.chunks(1000) {
            for a in crate::accounts::accounts_by_ids(&mut *conn, org, chunk).await? {
                known.insert((org.clone(), a.id), (a.active, a.currency));
            }
        }
    }
    Ok(entries
        .iter()
        .map(|e| {
            if e.row.status == status::POSTED
                && let Some(refusal) = locks
                    .get(&e.row.organization_id)
                    .and_then(|l| l.refusal(&e.row.date))
            {
                return Err(refusal);
            }
            for (i, l) in e.lines.iter().enumerate() {
                let key = (e.row.organization_id.clone(), l.account_id.clone());
                let unusable = |reason: String| StoreError::AccountUnusable {
                    line: i,
                    account_id: l.account_id.clone(),
                    reason,
                };
                let foreign = l.foreign.as_ref().map(|f| f.currency.as_str());
                match known.get(&key) {
                    None => return Err(unusable("does not exist".into())),
                    Some((0, _)) => return Err(unusable("is archived".into())),
                    Some((_, cur)) if *cur == e.row.currency && foreign.is_some() => {
                        return Err(unusable(format!(
                            "is kept in the base currency {cur}; an amount in another \
                             currency is only for accounts kept in it"
                        )));
                    }
                    Some((_, cur)) if *cur != e.row.currency && foreign != Some(cur) => {
                        return Err(unusable(format!(
                            "is kept in {cur}; the line needs its amount in {cur} \
                             (currency_amount) beside the {} amount",
                            e.row.currency
                        )));
                    }
                    Some(_) => {}
                }
            }
            Ok(())
        })
        .collect())
}

/// Takes `count` consecutive numbers of an organization's series and returns
/// the first. The row lock taken here is held to commit, so concurrent
/// allocators queue and numbers never repeat.
pub async fn allocate_numbers(
    conn: &mut AnyConnection,
    org: &OrgId,
    doc_type: &str,
    count: i64,
) -> Result<i64, StoreError> {
    let (next,): (i64,) = sqlx::query_as(
        "INSERT INTO number_series (organization_id, doc_type, next_value) VALUES ($1, $2, $3) \
         ON CONFLICT (organization_id, doc_type) DO UPDATE \
         SET next_value = number_series.next_value + excluded.next_value - 1 \
         RETURNING next_value",
    )
    .bind(org)
    .bind(doc_type)
    .bind(count + 1)
    .fetch_one(&mut *conn)
    .await?;
    Ok(next - count)
}

/// Adds `debits` to the organization's ledger total (see migration 0014),
/// refusing a posting that would take it past `MAX_LEDGER_TOTAL`. The row
/// lock is held to commit, like the entry-number counter's.
pub async fn add_to_ledger_total(
    conn: &mut AnyConnection,
    org: &OrgId,
    debits: i128,
) -> Result<(), StoreError> {
    use ferrobooks_domain::money::MAX_LEDGER_TOTAL;
    let debits = within_limit(debits)?;
    // The stored total never passes the limit, so neither the sum nor
    // `limit - debits` can overflow.
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO ledger_totals (organization_id, debits) VALUES ($1, $2) \
         ON CONFLICT (organization_id) DO UPDATE \
         SET debits = ledger_totals.debits + excluded.debits \
         WHERE ledger_totals.debits <= $3 - excluded.debits \
         RETURNING debits",
    )
    .bind(org)
    .bind(debits)
    .bind(MAX_LEDGER_TOTAL)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(drop).ok_or_else(ledger_full)
}

fn ledger_full() -> StoreError {
    StoreError::LedgerFull {
        limit: ferrobooks_domain::money::MAX_LEDGER_TOTAL,
    }
}

/// Debits a posting may add: no more than the limit itself.
fn within_limit(debits: i128) -> Result<i64, StoreError> {
    i64::try_from(debits)
        .ok()
        .filter(|d| *d <= ferrobooks_domain::money::MAX_LEDGER_TOTAL)
        .ok_or_else(ledger_full)
}

/// Adds posted entries' debits to the ledger total ([`add_to_ledger_total`])
/// and takes their numbers ([`allocate_numbers`]); the first. On
/// PostgreSQL one statement does both (a round trip less for every posting
/// transaction, and the two hot rows are locked together).
async fn count_and_number(
    conn: &mut AnyConnection,
    org: &OrgId,
    debits: i128,
    count: i64,
) -> Result<i64, StoreError> {
    use ferrobooks_domain::money::MAX_LEDGER_TOTAL;
    if sql::backend_of(conn) == crate::Backend::Sqlite {
        add_to_ledger_total(conn, org, debits).await?;
        return allocate_numbers(conn, org, "journal_entry", count).await;
    }
    let debits = within_limit(debits)?;
    // The number row is written only when the total took the debits.
    let row: Option<(i64,)> = sqlx::query_as(
        "WITH t AS (INSERT INTO ledger_totals (organization_id, debits) VALUES ($1, $2) \
         ON CONFLICT (organization_id) DO UPDATE \
         SET debits = ledger_totals.debits + excluded.debits \
         WHERE ledger_totals.debits <= $3 - excluded.debits \
         RETURNING debits) \
         INSERT INTO number_series (organization_id, doc_type, next_value) \
         SELECT $1, 'journal_entry', $4 WHERE EXISTS (SELECT 1 FROM t) \
         ON CONFLICT (organization_id, doc_type) DO UPDATE \
         SET next_value = number_series.next_value + excluded.next_value - 1 \
         RETURNING next_value",
    )
    .bind(org)
    .bind(debits)
    .bind(MAX_LEDGER_TOTAL)
    .bind(count + 1)
    .fetch_optional(&mut *conn)
    .await?;
    let (next,) = row.ok_or_else(ledger_full)?;
    Ok(next - count)
}

/// The display number of the n-th journal entry.
pub fn entry_number(n: i64) -> String {
    format!("JE-{n:06}")
}

/// Writes new entries (drafts and posted) with their lines, balances and
/// events. Posted entries get their numbers here; the rows are updated in
/// place so the caller sees them.
pub async fn insert_entries(
    conn: &mut AnyConnection,
    entries: &mut [NewEntry],
) -> Result<(), StoreError> {
    insert_entries_with(conn, entries, Vec::new()).await
}

/// [`insert_entries`], with other rows written in the same statements (on
/// PostgreSQL, the one statement): a group commit's held documents and
/// events.
pub(crate) async fn insert_entries_with(
    conn: &mut AnyConnection,
    entries: &mut [NewEntry],
    extra: Vec<Insert>,
) -> Result<(), StoreError> {
    // Numbers, per organization, in a stable order (no lock-order deadlocks).
    let mut posted_by_org: BTreeMap<OrgId, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if e.row.status == status::POSTED && e.row.number.is_none() {
            posted_by_org
                .entry(e.row.organization_id.clone())
                .or_default()
                .push(i);
        }
    }
    for (org, idx) in &posted_by_org {
        let debits = idx.iter().map(|&i| entry_debits(&entries[i].lines)).sum();
        let first = count_and_number(conn, org, debits, idx.len() as i64).await?;
        for (k, &i) in idx.iter().enumerate() {
            entries[i].row.number = Some(entry_number(first + k as i64));
        }
    }

    let mut inserts = vec![
        entry_insert(),
        line_insert(),
        balance_insert(),
        outbox_insert(),
        contact_balance_insert(),
    ];
    for e in entries.iter() {
        add_entry_row(&mut inserts[0], &e.row);
        add_line_rows(&mut inserts[1], &e.row, &e.lines);
        add_event_rows(conn, &mut inserts[3], &e.row, &e.events);
    }
    let posted: Vec<(&EntryRow, &EntryLine)> = entries
        .iter()
        .filter(|e| e.row.status == status::POSTED)
        .flat_map(|e| e.lines.iter().map(move |l| (&e.row, l)))
        .collect();
    add_balance_rows(&mut inserts[2], &posted);
    add_contact_balance_rows(&mut inserts[4], &posted);
    inserts.extend(extra);
    sql::run_inserts(conn, inserts).await?;
    for e in entries.iter() {
        if let Some(reply) = &e.idempotent {
            let stored = (reply.render)(&e.row);
            if !crate::idempotency::complete(conn, &reply.claim, &stored).await? {
                return Err(StoreError::ClaimLost(reply.claim.key.clone()));
            }
        }
    }
    Ok(())
}

/// The debits of one entry's lines, summed wide: a batch of many entries
/// may pass `i64` before the limit refuses it.
fn entry_debits(lines: &[EntryLine]) -> i128 {
    lines.iter().map(|l| i128::from(l.debit)).sum()
}

fn entry_insert() -> Insert {
    Insert::new(
        "journal_entries",
        &[
            "id",
            "organization_id",
            "number",
            "date",
            "memo",
            "reference",
            "status",
            "currency",
            "total",
            "reversal_of",
            "reversed_by",
            "created_at",
            "updated_at",
            "posted_at",
            "voided_at",
            "source",
        ],
    )
}

fn add_entry_row(ins: &mut Insert, r: &EntryRow) {
    ins.row(vec![
        (&r.id).into(),
        (&r.organization_id).into(),
        (&r.number).into(),
        (&r.date).into(),
        (&r.memo).into(),
        (&r.reference).into(),
        (&r.status).into(),
        (&r.currency).into(),
        r.total.into(),
        (&r.reversal_of).into(),
        (&r.reversed_by).into(),
        (&r.created_at).into(),
        (&r.updated_at).into(),
        (&r.posted_at).into(),
        (&r.voided_at).into(),
        (&r.source).into(),
    ]);
}

fn line_insert() -> Insert {
    Insert::new(
        "journal_lines",
        &[
            "entry_id",
            "line_no",
            "organization_id",
            "account_id",
            "date",
            "debit",
            "credit",
            "description",
            "contact_id",
            "currency",
            "foreign_amount",
        ],
    )
}

fn add_line_rows(ins: &mut Insert, r: &EntryRow, lines: &[EntryLine]) {
    for (i, l) in lines.iter().enumerate() {
        ins.row(vec![
            (&r.id).into(),
            (i as i64).into(),
            (&r.organization_id).into(),
            (&l.account_id).into(),
            (&r.date).into(),
            l.debit.into(),
            l.credit.into(),
            (&l.description).into(),
            (&l.contact_id).into(),
            l.foreign.as_ref().map(|f| f.currency.as_str()).into(),
            l.foreign.as_ref().map(|f| f.amount).into(),
        ]);
    }
}

fn balance_insert() -> Insert {
    Insert::new(
        "account_balances",
        &[
            "organization_id",
            "account_id",
            "day",
            "debit",
            "credit",
            "foreign_debit",
            "foreign_credit",
        ],
    )
    .tail(
        "ON CONFLICT (organization_id, account_id, day) DO UPDATE \
         SET debit = account_balances.debit + excluded.debit, \
             credit = account_balances.credit + excluded.credit, \
             foreign_debit = account_balances.foreign_debit + excluded.foreign_debit, \
             foreign_credit = account_balances.foreign_credit + excluded.foreign_credit",
    )
}

/// Adds posted lines to the per-day balances (a void posts a reversal
/// entry, so balances only ever grow by new lines), in base and, for
/// foreign-currency accounts, in the account's currency. Keys are summed
/// first and written in sorted order, so concurrent writers lock rows in
/// one order and PostgreSQL never sees one key twice in a statement.
fn add_balance_rows(ins: &mut Insert, lines: &[(&EntryRow, &EntryLine)]) {
    let mut sums: BTreeMap<(&str, &str, &str), [i64; 4]> = BTreeMap::new();
    for (r, l) in lines {
        let s = sums
            .entry((r.organization_id.as_str(), &l.account_id, &r.date))
            .or_default();
        s[0] += l.debit;
        s[1] += l.credit;
        if let Some(f) = &l.foreign {
            s[if l.debit > 0 { 2 } else { 3 }] += f.amount;
        }
    }
    for ((org, acc, day), [d, c, fd, fc]) in sums {
        ins.row(vec![
            org.into(),
            acc.into(),
            day.into(),
            d.into(),
            c.into(),
            fd.into(),
            fc.into(),
        ]);
    }
}

fn contact_balance_insert() -> Insert {
    Insert::new(
        "contact_balances",
        &[
            "organization_id",
            "contact_id",
            "account_id",
            "debit",
            "credit",
        ],
    )
    .tail(
        "ON CONFLICT (organization_id, contact_id, account_id) DO UPDATE \
         SET debit = contact_balances.debit + excluded.debit, \
             credit = contact_balances.credit + excluded.credit",
    )
}

/// Adds posted lines naming a contact to the per-contact balances, summed
/// per key and in key order (as [`add_balance_rows`]).
fn add_contact_balance_rows(ins: &mut Insert, lines: &[(&EntryRow, &EntryLine)]) {
    let mut sums: BTreeMap<(&str, &str, &str), (i64, i64)> = BTreeMap::new();
    for (r, l) in lines {
        let Some(contact) = l.contact_id.as_deref() else {
            continue;
        };
        let s = sums
            .entry((r.organization_id.as_str(), contact, &l.account_id))
            .or_default();
        s.0 += l.debit;
        s.1 += l.credit;
    }
    for ((org, contact, acc), (d, c)) in sums {
        ins.row(vec![
            org.into(),
            contact.into(),
            acc.into(),
            d.into(),
            c.into(),
        ]);
    }
}

fn outbox_insert() -> Insert {
    crate::outbox::insert_statement()
}

fn add_event_rows(conn: &AnyConnection, ins: &mut Insert, r: &EntryRow, events: &[NewEvent]) {
    let now = crate::now();
    for ev in events {
        crate::outbox::add_row(
            conn,
            ins,
            &r.organization_id,
            ev.event_type,
            (ev.render)(r),
            &now,
        );
    }
}

/// Writes events to the outbox, rendered from the rows as written.
pub async fn insert_events(
    conn: &mut AnyConnection,
    events: &[(&EntryRow, &NewEvent)],
) -> Result<(), StoreError> {
    let mut ins = outbox_insert();
    for (r, ev) in events {
        add_event_rows(conn, &mut ins, r, std::slice::from_ref(*ev));
    }
    sql::run_inserts(conn, vec![ins]).await
}

/// Moves a draft to posted: allocates its number and adds its lines to the
/// balances. Refused (Conflict) unless the entry is a draft right now.
pub async fn post_existing(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    at: &str,
    events: &[NewEvent],
) -> Result<EntryRow, StoreError> {
    let first = allocate_numbers(conn, org, "journal_entry", 1).await?;
    let number = entry_number(first);
    let r = sqlx::query(
        "UPDATE journal_entries SET status = $3, number = $4, posted_at = $5, updated_at = $5 \
         WHERE organization_id = $1 AND id = $2 AND status = $6 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(status::POSTED)
    .bind(&number)
    .bind(at)
    .bind(status::DRAFT)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Err(match get_entry(&mut *conn, org, id).await? {
            None => StoreError::NotFound("journal entry"),
            Some(e) => StoreError::WrongStatus {
                message: format!(
                    "journal entry {id} is {}; only a draft can be posted",
                    e.status
                ),
                status: e.status,
            },
        });
    }
    let row = get_entry(&mut *conn, org, id)
        .await?
        .ok_or(StoreError::NotFound("journal entry"))?;
    let lines = lines_of(&mut *conn, org, &[id]).await?;
    let domain_lines: Vec<EntryLine> = lines.into_iter().map(line_to_domain).collect();
    add_to_ledger_total(conn, org, entry_debits(&domain_lines)).await?;
    let pairs: Vec<(&EntryRow, &EntryLine)> = domain_lines.iter().map(|l| (&row, l)).collect();
    let mut balances = balance_insert();
    add_balance_rows(&mut balances, &pairs);
    let mut contacts = contact_balance_insert();
    add_contact_balance_rows(&mut contacts, &pairs);
    let mut outbox = outbox_insert();
    add_event_rows(conn, &mut outbox, &row, events);
    sql::run_inserts(conn, vec![balances, contacts, outbox]).await?;
    Ok(row)
}

/// Marks a posted entry void and links it to its reversal. Refused
/// (Conflict) unless the entry is posted and is not itself a reversal.
pub async fn mark_void(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    reversal_id: &str,
    at: &str,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE journal_entries SET status = $3, reversed_by = $4, voided_at = $5, updated_at = $5 \
         WHERE organization_id = $1 AND id = $2 AND status = $6 AND reversal_of IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(status::VOID)
    .bind(reversal_id)
    .bind(at)
    .bind(status::POSTED)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Err(match get_entry(&mut *conn, org, id).await? {
            None => StoreError::NotFound("journal entry"),
            Some(e) if e.reversal_of.is_some() => StoreError::WrongStatus {
                message: format!(
                    "journal entry {id} is the reversal of {}; it cannot be voided",
                    e.reversal_of.unwrap_or_default()
                ),
                status: e.status,
            },
            Some(e) => StoreError::WrongStatus {
                message: format!(
                    "journal entry {id} is {}; only a posted entry can be voided",
                    e.status
                ),
                status: e.status,
            },
        });
    }
    Ok(())
}

/// Soft-deletes a draft. Posted entries are never deleted.
pub async fn delete_draft(
    conn: &mut AnyConnection,
    org: &OrgId,
    id: &str,
    at: &str,
) -> Result<(), StoreError> {
    let r = sqlx::query(
        "UPDATE journal_entries SET deleted_at = $3, updated_at = $3 \
         WHERE organization_id = $1 AND id = $2 AND status = $4 AND deleted_at IS NULL",
    )
    .bind(org)
    .bind(id)
    .bind(at)
    .bind(status::DRAFT)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 0 {
        return Err(match get_entry(&mut *conn, org, id).await? {
            None => StoreError::NotFound("journal entry"),
            Some(e) => StoreError::WrongStatus {
                message: format!(
                    "journal entry {id} is {}; only drafts can be deleted (void a posted entry instead)",
                    e.status
                ),
                status: e.status,
            },
        });
    }
    Ok(())
}

/// Replaces a draft's header and lines.
pub async fn replace_draft(conn: &mut AnyConnection, entry: &NewEntry) -> Result<(), StoreError> {
    let r = &entry.row;
    let res = sqlx::query(
        "UPDATE journal_entries SET date = $3, memo = $4, reference = $5, total = $6, \
         updated_at = $7 WHERE organization_id = $1 AND id = $2 AND status = $8 \
         AND deleted_at IS NULL",
    )
    .bind(&r.organization_id)
    .bind(&r.id)
    .bind(&r.date)
    .bind(&r.memo)
    .bind(&r.reference)
    .bind(r.total)
    .bind(&r.updated_at)
    .bind(status::DRAFT)
    .execute(&mut *conn)
    .await?;
    if res.rows_affected() == 0 {
        return Err(
            match get_entry(&mut *conn, &r.organization_id, &r.id).await? {
                None => StoreError::NotFound("journal entry"),
                Some(e) => StoreError::WrongStatus {
                    message: format!(
                        "journal entry {} is {}; only drafts can be edited",
                        r.id, e.status
                    ),
                    status: e.status,
                },
            },
        );
    }
    sqlx::query("DELETE FROM journal_lines WHERE organization_id = $1 AND entry_id = $2")
        .bind(&r.organization_id)
        .bind(&r.id)
        .execute(&mut *conn)
        .await?;
    let mut lines = line_insert();
    add_line_rows(&mut lines, r, &entry.lines);
    let mut outbox = outbox_insert();
    add_event_rows(conn, &mut outbox, r, &entry.events);
    sql::run_inserts(conn, vec![lines, outbox]).await
}

pub fn line_to_domain(l: LineRow) -> EntryLine {
    EntryLine {
        account_id: l.account_id,
        debit: l.debit,
        credit: l.credit,
        description: l.description,
        contact_id: l.contact_id,
        foreign: l
            .currency
            .zip(l.foreign_amount)
            .map(|(currency, amount)| Foreign { currency, amount }),
    }
}

pub async fn get_entry<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    id: &str,
) -> Result<Option<EntryRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ENTRY_COLS} FROM journal_entries \
         WHERE organization_id = $1 AND id = $2 AND deleted_at IS NULL"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?)
}

/// Lines of the given entries, in entry and line order.
pub async fn lines_of<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    entry_ids: &[&str],
) -> Result<Vec<LineRow>, StoreError> {
    if entry_ids.is_empty() {
        return Ok(Vec::new());
    }
    // By the primary key only: with the organization beside it in the
    // WHERE, both planners were seen to take an organization index and
    // filter every line of the organization. The organization is checked
    // on each entry instead.
    let q = format!(
        "SELECT {LINE_COLS} FROM journal_lines l WHERE l.entry_id IN ({}) \
           AND EXISTS (SELECT 1 FROM journal_entries j \
             WHERE j.id = l.entry_id AND j.organization_id = $1) \
         ORDER BY l.entry_id, l.line_no",
        sql::list(2, entry_ids.len())
    );
    let mut query = sqlx::query_as(&q).bind(org);
    for id in entry_ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(e).await?)
}

/// Filters of the journal entry list.
#[derive(Debug, Default)]
pub struct EntryFilter<'a> {
    pub after: Option<&'a str>,
    pub status: Option<&'a str>,
    pub date_from: Option<&'a str>,
    pub date_to: Option<&'a str>,
    pub updated_since: Option<&'a str>,
    pub account_id: Option<&'a str>,
    pub search: Option<&'a str>,
    pub limit: i64,
}

pub async fn list_entries<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    f: &EntryFilter<'_>,
) -> Result<Vec<EntryRow>, StoreError> {
    let search = f
        .search
        .map(crate::sql::contains_pattern)
        .unwrap_or_default();
    Ok(sqlx::query_as(&format!(
        "SELECT {ENTRY_COLS} FROM journal_entries j \
         WHERE organization_id = $1 AND deleted_at IS NULL AND id > $2 \
           AND ($3 = '' OR status = $3) \
           AND ($4 = '' OR date >= $4) AND ($5 = '' OR date <= $5) \
           AND ($6 = '' OR updated_at >= $6) \
           AND ($7 = '' OR EXISTS (SELECT 1 FROM journal_lines l WHERE l.organization_id = $1 \
                AND l.entry_id = j.id AND l.account_id = $7)) \
           AND ($8 = '' OR LOWER(COALESCE(memo, '')) LIKE $8 ESCAPE '\\' \
                OR LOWER(COALESCE(reference, '')) LIKE $8 ESCAPE '\\' OR LOWER(COALESCE(number, '')) LIKE $8 ESCAPE '\\') \
         ORDER BY id LIMIT $9"
    ))
    .bind(org)
    .bind(f.after.unwrap_or(""))
    .bind(f.status.unwrap_or(""))
    .bind(f.date_from.unwrap_or(""))
    .bind(f.date_to.unwrap_or(""))
    .bind(f.updated_since.unwrap_or(""))
    .bind(f.account_id.unwrap_or(""))
    .bind(search)
    .bind(f.limit)
    .fetch_all(e)
    .await?)
}

/// Posted entries with this source that are not reversals and not yet
/// voided, oldest first.
pub async fn live_entries_of_source<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: &OrgId,
    source: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_as::<_, (String,)>(
        "SELECT id FROM journal_entries WHERE organization_id = $1 AND source = $2 \
         AND status = 'posted' AND reversal_of IS NULL ORDER BY id",
    )
    .bind(org)
    .bind(source)
    .fetch_all(e)
    .await?
    .into_iter()
    .map(|r| r.0)
    .collect())
}
