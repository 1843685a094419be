//! The import job: reads the stored file, groups its rows into entities
//! and makes them a batch at a time, each batch one transaction whose
//! last statement counts its rows done (only if the import is still
//! running as this job last saw it). A crash loses at most the batch in
//! hand, which runs again; a cancel stops the job at its next batch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use ferrobooks_domain::import::{Entity, ImportAction, ImportStatus, Target};
use ferrobooks_store::imports::{self as store, ImportRow, Named, ResultRow, SettingsRow};
use ferrobooks_store::{OrgId, StoreError, now};
use futures::FutureExt;
use serde::{Deserialize, Serialize};

use super::build::{self, Draft, RowError};
use super::file::{self, Sheet};
use super::mappings::parse_fields;
use crate::documents::DocKind;
use crate::{AuthContext, Code, ServiceError, ServiceResult, Services};
use ferrobooks_store::contacts::Party;

/// The job's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    pub organization_id: OrgId,
    pub import_id: String,
}

/// Entities per transaction.
const BATCH: usize = 250;

/// Why an entity was not made: the row to blame and what to say.
#[derive(Debug, Clone)]
pub(crate) struct ItemError {
    pub row: Option<i64>,
    pub text: String,
    pub code: Code,
}

impl From<StoreError> for ItemError {
    fn from(e: StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

impl From<ServiceError> for ItemError {
    fn from(e: ServiceError) -> Self {
        let text = if e.code == Code::Internal {
            tracing::error!(error = %e.message, "import entity failed");
            "the entity could not be saved (the server logged why)".to_owned()
        } else {
            e.message
        };
        ItemError {
            row: None,
            text,
            code: e.code,
        }
    }
}

impl From<ItemError> for ServiceError {
    fn from(e: ItemError) -> Self {
        ServiceError::new(e.code, e.text)
    }
}

/// A use case's refusal as the entity's ERROR: a line's problem
/// (`lines[2].account_id`, `applications[1].amount`) is that line's row's,
/// anything else the entity's first row's.
pub(super) fn line_error(e: ServiceError, line_rows: &[i64], row: i64) -> ItemError {
    let at = e
        .fields
        .first()
        .and_then(|(f, _)| {
            f.strip_prefix("lines[")
                .or_else(|| f.strip_prefix("applications["))
        })
        .and_then(|f| f.split(']').next())
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| line_rows.get(i).copied())
        .unwrap_or(row);
    let mut ie = ItemError::from(e);
    ie.row = Some(at);
    ie
}

fn at_row(row: i64) -> impl FnOnce(RowError) -> ItemError {
    move |e| ItemError {
        row: Some(if e.row > 0 { e.row } else { row }),
        text: e.text,
        code: Code::ValidationFailed,
    }
}

/// One entity to make: its rows and its draft (or why it has none).
pub(crate) struct Item {
    /// The file row of its first line.
    pub row: i64,
    pub rows: i64,
    pub draft: Result<Draft, RowError>,
    /// Its number is taken by this document (id).
    pub taken: Option<String>,
}

/// What making an entity did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Made {
    pub results: Vec<ResultRow>,
    pub warnings: bool,
}

/// The organization's names, lowercased, to ids.
#[derive(Debug, Default)]
pub(crate) struct Names {
    maps: HashMap<NameKind, HashMap<String, Vec<String>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NameKind {
    Customer,
    Vendor,
    Product,
    Tax,
    Account,
}

impl NameKind {
    pub(super) fn noun(self) -> &'static str {
        match self {
            NameKind::Customer => "Customer",
            NameKind::Vendor => "Vendor",
            NameKind::Product => "Item",
            NameKind::Tax => "Tax",
            NameKind::Account => "Account",
        }
    }

    pub(super) fn of(p: Party) -> NameKind {
        match p {
            Party::Customer => NameKind::Customer,
            Party::Vendor => NameKind::Vendor,
        }
    }
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Names {
    pub(crate) async fn load(
        conn: &mut ferrobooks_store::Conn,
        org: &OrgId,
    ) -> ServiceResult<Names> {
        let mut n = Names::default();
        for (kind, named) in [
            (NameKind::Customer, Named::Customers),
            (NameKind::Vendor, Named::Vendors),
            (NameKind::Product, Named::Products),
            (NameKind::Tax, Named::Taxes),
            (NameKind::Account, Named::Accounts),
        ] {
            let map = n.maps.entry(kind).or_default();
            for (id, name) in store::names_of(conn, org, named).await? {
                let ids = map.entry(key(&name)).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        Ok(n)
    }

    /// The one id `name` has, None when it names nothing, or why not.
    pub(super) fn find(&self, kind: NameKind, name: &str) -> Result<Option<String>, String> {
        match self
            .maps
            .get(&kind)
            .and_then(|m| m.get(&key(name)))
            .map(Vec::as_slice)
        {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(one.clone())),
            Some(_) => Err(format!(
                "{} '{name}' is ambiguous: several have that name",
                kind.noun()
            )),
        }
    }

    /// The one id `name` has, or why none (unknown or ambiguous).
    fn require(&self, kind: NameKind, name: &str) -> Result<String, String> {
        self.find(kind, name)?
            .ok_or_else(|| format!("{} '{name}' not found", kind.noun()))
    }

    pub(super) fn add(&mut self, kind: NameKind, name: &str, id: &str) {
        self.maps
            .entry(kind)
            .or_default()
            .entry(key(name))
            .or_default()
            .push(id.to_owned());
    }

    fn remove(&mut self, kind: NameKind, name: &str, id: &str) {
        if let Some(ids) = self.maps.get_mut(&kind).and_then(|m| m.get_mut(&key(name))) {
            ids.retain(|x| x != id);
        }
    }
}

pub(super) type SharedNames = Arc<Mutex<Names>>;

pub(super) fn names(n: &SharedNames) -> std::sync::MutexGuard<'_, Names> {
    n.lock().unwrap_or_else(|p| p.into_inner())
}

/// The id of the account, tax... a row names, if it names one; an ERROR
/// at `row` when the name is unknown or ambiguous.
pub(super) fn named(
    shared: &SharedNames,
    kind: NameKind,
    name: Option<&str>,
    row: i64,
) -> Result<Option<String>, ItemError> {
    name.map(|n| names(shared).require(kind, n))
        .transpose()
        .map_err(|text| ItemError {
            row: Some(row),
            text,
            code: Code::ValidationFailed,
        })
}

/// Runs the job: the import, or its revert, as its status says.
pub(crate) async fn run(s: &Services, j: &ImportJob) -> ServiceResult<()> {
    let pool = s.store.pool();
    let Some(org) = ferrobooks_store::tenancy::get_organization(pool, &j.organization_id).await?
    else {
        return Ok(());
    };
    let ctx = AuthContext::system(org);
    let Some(row) = store::get_import(pool, ctx.org_id(), &j.import_id).await? else {
        return Ok(());
    };
    match ImportStatus::parse(&row.status) {
        Some(ImportStatus::Scheduled | ImportStatus::InProgress) => import(s, &ctx, row).await,
        Some(ImportStatus::Reverting) => super::revert::revert(s, &ctx, row).await,
        _ => Ok(()),
    }
}

/// Saves `next` if the import is still as `from` was; false when another
/// node or a cancel changed it.
async fn save(s: &Services, next: &ImportRow, from: &ImportRow) -> ServiceResult<bool> {
    let mut wtx = s.store.begin_write().await?;
    let ok = store::update_import(&mut wtx.tx, next, (&from.status, from.done)).await?;
    wtx.commit().await?;
    Ok(ok)
}

fn moved(row: &ImportRow, action: ImportAction) -> ServiceResult<ImportStatus> {
    ImportStatus::parse(&row.status)
        .ok_or_else(|| ServiceError::internal("stored import status"))?
        .after(action)
        .map_err(|e| ServiceError::internal(e.to_string()))
}

async fn import(s: &Services, ctx: &AuthContext, mut row: ImportRow) -> ServiceResult<()> {
    if row.status == ImportStatus::Scheduled.as_str() {
        let mut next = row.clone();
        next.status = moved(&row, ImportAction::Start)?.as_str().into();
        next.started_at = Some(now());
        if !save(s, &next, &row).await? {
            return Ok(());
        }
        row = next;
    }
    let content = store::import_file(s.store.pool(), &row.id)
        .await?
        .unwrap_or_default();
    let sheet = base64::engine::general_purpose::STANDARD
        .decode(content)
        .map_err(|_| ServiceError::internal("stored import file is not base64"))
        .and_then(|bytes| file::read(&bytes, row.sheet_name.as_deref()));
    let sheet = match sheet {
        Ok(sh) => sh,
        Err(e) => {
            let mut next = row.clone();
            next.status = moved(&row, ImportAction::Fail)?.as_str().into();
            next.error = Some(e.message);
            next.finished_at = Some(now());
            save(s, &next, &row).await?;
            return Ok(());
        }
    };
    let entity = super::entity(&row.entity_name)?;
    let fields = parse_fields(&row.fields)?;
    let cols = build::columns(&sheet, entity, &fields);
    let groups = build::groups(&sheet, &cols);
    // Entities already made (their rows counted) are passed over.
    let mut start = 0;
    let mut skipped = 0i64;
    while start < groups.len() && skipped < row.done {
        skipped += i64::try_from(groups[start].len()).unwrap_or(i64::MAX);
        start += 1;
    }
    let settings = s.import_settings_row(ctx).await?;
    let mut conn = s.store.read_conn().await?;
    let shared = Arc::new(Mutex::new(Names::load(&mut conn, ctx.org_id()).await?));
    let mut seq = store::last_result_seq(&mut conn, &row.id).await?;
    drop(conn);
    for chunk in groups[start..].chunks(BATCH) {
        let items = items(s, ctx, &sheet, &cols, chunk, entity, &settings).await?;
        let dry = row.dry_run == 1;
        let base = row.clone();
        // The batch's transaction is the import's alone: a contact, tax or
        // account one entity read (and on PostgreSQL locked) stays as read
        // until it commits, so every entity of the batch may share it (an
        // import that updates contacts names each once).
        let share = true;
        let meta: Vec<(i64, i64)> = items.iter().map(|i| (i.row, i.rows)).collect();
        let (s2, c2, n2, st2) = (s.clone(), ctx.clone(), shared.clone(), settings.clone());
        let outcome = ferrobooks_store::units::run_each(
            &s.store,
            share,
            !dry,
            &items,
            move |conn, item: &Item| {
                let (s, ctx, names, settings) = (s2.clone(), c2.clone(), n2.clone(), st2.clone());
                async move { make(&s, &ctx, conn, entity, item, &names, &settings, dry).await }
                    .boxed()
            },
            || ItemError {
                row: None,
                text: "the entity met another of its batch; import it again".into(),
                code: Code::InvalidState,
            },
            move |conn, outcomes| {
                async move {
                    let (next, results) = tally(&base, &meta, outcomes, seq, dry);
                    if !dry {
                        store::insert_results(conn, &results).await?;
                        if !store::update_import(conn, &next, (&base.status, base.done)).await? {
                            return Err(ItemError {
                                row: None,
                                text: "the import was canceled or taken over".into(),
                                code: Code::InvalidState,
                            });
                        }
                    }
                    Ok((next, results))
                }
                .boxed()
            },
        )
        .await;
        match outcome {
            Ok((next, results)) => {
                seq += i64::try_from(results.len()).unwrap_or(0);
                if dry {
                    let mut wtx = s.store.begin_write().await?;
                    store::insert_results(&mut wtx.tx, &results).await?;
                    let ok =
                        store::update_import(&mut wtx.tx, &next, (&row.status, row.done)).await?;
                    wtx.commit().await?;
                    if !ok {
                        return Ok(());
                    }
                }
                row = next;
            }
            Err(e) if e.code == Code::InvalidState => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
    let mut next = row.clone();
    next.status = moved(
        &row,
        ImportAction::Finish {
            created: row.succeeded > 0,
            errors: row.failed > 0,
            warnings: row.warnings > 0,
        },
    )?
    .as_str()
    .into();
    next.finished_at = Some(now());
    save(s, &next, &row).await?;
    Ok(())
}

/// The entities of `chunk` (groups of row indexes) with their drafts and
/// whether their numbers are taken.
async fn items(
    s: &Services,
    ctx: &AuthContext,
    sheet: &Sheet,
    cols: &build::Columns,
    chunk: &[Vec<usize>],
    entity: &Entity,
    settings: &SettingsRow,
) -> ServiceResult<Vec<Item>> {
    let mut items: Vec<Item> = chunk
        .iter()
        .map(|g| Item {
            row: Sheet::row_number(g[0]),
            rows: i64::try_from(g.len()).unwrap_or(i64::MAX),
            draft: build::read_group(sheet, cols, g, entity, &ctx.org.date_format),
            taken: None,
        })
        .collect();
    if matches!(entity.target, Target::JournalEntry | Target::Deposit) {
        let numbers: Vec<String> = items
            .iter()
            .filter_map(|i| match &i.draft {
                Ok(Draft::Journal(d)) => Some(d.number.clone()),
                Ok(Draft::Deposit(d)) => d.number.clone(),
                _ => None,
            })
            .collect();
        let mut conn = s.store.read_conn().await?;
        let taken: HashMap<String, String> =
            store::journals_referenced(&mut conn, ctx.org_id(), &numbers)
                .await?
                .into_iter()
                .collect();
        for i in &mut items {
            let number = match &i.draft {
                Ok(Draft::Journal(d)) => Some(&d.number),
                Ok(Draft::Deposit(d)) => d.number.as_ref(),
                _ => None,
            };
            i.taken = number.and_then(|n| taken.get(n)).cloned();
        }
    }
    if let Target::Document(k) = entity.target {
        let numbers: Vec<String> = items
            .iter()
            .filter_map(|i| match &i.draft {
                Ok(Draft::Document(d)) => d.number.clone(),
                _ => None,
            })
            .collect();
        if settings.send_doc_number == 1 && !numbers.is_empty() {
            let mut conn = s.store.read_conn().await?;
            let kind = DocKind::from_kind(k);
            let taken: HashMap<String, String> =
                store::documents_numbered(&mut conn, ctx.org_id(), kind.doc_type(), &numbers)
                    .await?
                    .into_iter()
                    .map(|(n, id, _)| (n, id))
                    .collect();
            for i in &mut items {
                if let Ok(Draft::Document(d)) = &i.draft {
                    i.taken = d.number.as_ref().and_then(|n| taken.get(n)).cloned();
                }
            }
        }
    }
    Ok(items)
}

/// The import after a batch, and the batch's result rows.
fn tally(
    base: &ImportRow,
    meta: &[(i64, i64)],
    outcomes: Vec<Result<Made, ItemError>>,
    mut seq: i64,
    dry: bool,
) -> (ImportRow, Vec<ResultRow>) {
    let mut next = base.clone();
    let mut results = Vec::new();
    for ((row, rows), o) in meta.iter().zip(outcomes) {
        next.done += rows;
        match o {
            Ok(made) => {
                next.succeeded += 1;
                if made.warnings {
                    next.warnings += 1;
                }
                for mut r in made.results {
                    seq += 1;
                    r.import_id = base.id.clone();
                    r.seq = seq;
                    if dry {
                        // Nothing was kept: nothing to point at.
                        r.object_id = None;
                    }
                    results.push(r);
                }
            }
            Err(e) => {
                next.failed += 1;
                seq += 1;
                results.push(ResultRow {
                    import_id: base.id.clone(),
                    seq,
                    order_number: e.row.unwrap_or(*row),
                    kind: "ERROR".into(),
                    text: e.text,
                    ..ResultRow::default()
                });
            }
        }
    }
    (next, results)
}

pub(super) fn result(kind: &str, row: i64, text: String) -> ResultRow {
    ResultRow {
        order_number: row,
        kind: kind.into(),
        text,
        ..ResultRow::default()
    }
}

/// Makes one entity in the batch's transaction.
#[expect(clippy::too_many_arguments, reason = "the batch's shared state")]
async fn make(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    entity: &Entity,
    item: &Item,
    shared: &SharedNames,
    settings: &SettingsRow,
    dry: bool,
) -> Result<Made, ItemError> {
    let draft = item.draft.clone().map_err(at_row(item.row))?;
    // Names this entity added, taken back if it fails.
    let mut added: Vec<(NameKind, String, String)> = Vec::new();
    let r = match (entity.target, draft) {
        (Target::Document(k), Draft::Document(d)) => {
            super::document::make_document(
                s,
                ctx,
                conn,
                DocKind::from_kind(k),
                &d,
                item,
                shared,
                settings,
                dry,
                &mut added,
            )
            .await
        }
        (Target::BankTransaction, Draft::Document(d)) => {
            super::money::make_bank_transaction(
                s, ctx, conn, d, item, shared, settings, dry, &mut added,
            )
            .await
        }
        (Target::Payment(side), Draft::Payment(d)) => {
            super::money::make_payment(
                s, ctx, conn, side, &d, item, shared, settings, dry, &mut added,
            )
            .await
        }
        (Target::Transfer, Draft::Transfer(d)) => {
            super::money::make_transfer(s, ctx, conn, &d, item, shared, dry).await
        }
        (Target::Deposit, Draft::Deposit(d)) => {
            super::money::make_deposit(s, ctx, conn, &d, item, shared, dry).await
        }
        (Target::Account, Draft::Account(d)) => {
            super::account::make_account(s, ctx, conn, &d, item, shared, dry, &mut added).await
        }
        (Target::JournalEntry, Draft::Journal(d)) => {
            super::journal::make_journal(s, ctx, conn, &d, item, shared, dry).await
        }
        (Target::Item, Draft::Item(d)) => {
            super::records::make_item(s, ctx, conn, &d, item, shared, dry, &mut added).await
        }
        (Target::Customer, Draft::Contact(c)) => {
            super::records::make_contact(
                s,
                ctx,
                conn,
                Party::Customer,
                &c,
                item,
                shared,
                settings,
                dry,
                &mut added,
            )
            .await
        }
        (Target::Vendor, Draft::Contact(c)) => {
            super::records::make_contact(
                s,
                ctx,
                conn,
                Party::Vendor,
                &c,
                item,
                shared,
                settings,
                dry,
                &mut added,
            )
            .await
        }
        _ => Err(ItemError {
            row: Some(item.row),
            text: "the entity's fields do not fit it".into(),
            code: Code::Internal,
        }),
    };
    if r.is_err() {
        let mut n = names(shared);
        for (kind, name, id) in added {
            n.remove(kind, &name, &id);
        }
    }
    r
}
