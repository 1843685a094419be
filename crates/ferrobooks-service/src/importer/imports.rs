//! Imports as a client sees them: upload (checked at once, run by a job),
//! status and progress, cancel, revert, results, and auto-mapping.

use base64::Engine;
use ferrobooks_domain::import::{ImportAction, ImportStatus, automap};
use ferrobooks_store::imports::{self as store, ImportRow};
use ferrobooks_store::{new_id, now};
use serde::Serialize;

use super::file::{self, FileKind, Sheet};
use super::mappings::{MappingField, MappingFieldInput, MappingView, check_fields, parse_fields};
use super::run::ImportJob;
use super::{PageAsk, Paged, entity, paged};
use crate::jobs::Job;
use crate::{AuthContext, Code, Outcome, ServiceError, ServiceResult, Services};

/// Imports (dry runs aside) an organization may start per hour.
pub const IMPORTS_PER_HOUR: i64 = 30;

/// An upload to import.
#[derive(Debug, Clone, Default)]
pub struct NewImport {
    pub file: Vec<u8>,
    pub file_name: Option<String>,
    pub mapping_id: String,
    pub sheet_name: Option<String>,
    pub dry_run: bool,
}

/// How far an import got.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    /// Entities in the file (rows sharing a document number are one).
    pub total: i64,
    pub succeeded: i64,
    pub failed: i64,
    pub warnings: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportView {
    pub id: String,
    pub status: &'static str,
    pub mapping_id: Option<String>,
    pub entity_name: String,
    pub company: CompanyRef,
    pub dry_run: bool,
    pub file_name: Option<String>,
    pub sheet_name: Option<String>,
    pub date_created: String,
    pub date_started: Option<String>,
    pub date_finished: Option<String>,
    pub progress: Progress,
    pub summary: ImportSummary,
    /// Why the import failed as a whole (an unreadable file...).
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompanyRef {
    pub id: String,
    pub name: String,
}

/// Data rows in the file, and how many are done.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub rows_done: i64,
    pub rows_total: i64,
}

/// One result row.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultView {
    pub order_number: i64,
    /// INFO, WARNING or ERROR.
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    #[serde(rename = "objectProviderId")]
    pub object_id: Option<String>,
    pub object_info: Option<String>,
    pub is_reverted: bool,
    pub is_updated: bool,
}

/// Which result rows to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFilter {
    All,
    Info,
    Warning,
    Error,
}

impl ResultFilter {
    pub fn parse(s: Option<&str>) -> ServiceResult<ResultFilter> {
        Ok(match s {
            None => ResultFilter::All,
            Some("INFO") => ResultFilter::Info,
            Some("WARNING") => ResultFilter::Warning,
            Some("ERROR") => ResultFilter::Error,
            Some(other) => {
                return Err(ServiceError::new(
                    Code::InvalidQuery,
                    format!("type must be INFO, WARNING or ERROR, not '{other}'"),
                )
                .with_field("type", "INFO, WARNING or ERROR"));
            }
        })
    }

    fn as_str(self) -> Option<&'static str> {
        match self {
            ResultFilter::All => None,
            ResultFilter::Info => Some("INFO"),
            ResultFilter::Warning => Some("WARNING"),
            ResultFilter::Error => Some("ERROR"),
        }
    }
}

/// A header matched to a field by auto-mapping.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoProposal {
    pub source_field_title: String,
    pub target_field_id: String,
    pub target_field_name: &'static str,
    pub confidence: &'static str,
}

/// What auto-mapping made of a file; with `dry_run` false, the mapping it
/// saved and the import it started.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoImport {
    pub entity_name: String,
    pub file_headers: Vec<String>,
    pub proposed_fields: Vec<AutoProposal>,
    pub missing_required: Vec<&'static str>,
    pub total_fields_mapped: usize,
    pub total_entity_fields: usize,
    pub dry_run: bool,
    pub mapping: Option<MappingView>,
    pub import: Option<ImportView>,
}

pub(crate) fn view(i: &ImportRow, ctx_org_name: &str) -> ServiceResult<ImportView> {
    let status = ImportStatus::parse(&i.status)
        .ok_or_else(|| ServiceError::internal(format!("stored import status '{}'", i.status)))?;
    Ok(ImportView {
        id: i.id.clone(),
        status: status.as_str(),
        mapping_id: i.mapping_id.clone(),
        entity_name: i.entity_name.clone(),
        company: CompanyRef {
            id: i.organization_id.to_string(),
            name: ctx_org_name.to_owned(),
        },
        dry_run: i.dry_run == 1,
        file_name: i.file_name.clone(),
        sheet_name: i.sheet_name.clone(),
        date_created: i.created_at.clone(),
        date_started: i.started_at.clone(),
        date_finished: i.finished_at.clone(),
        progress: Progress {
            rows_done: i.done,
            rows_total: i.total,
        },
        summary: ImportSummary {
            total: i.entities,
            succeeded: i.succeeded,
            failed: i.failed,
            warnings: i.warnings,
        },
        error: i.error.clone(),
    })
}

/// The columns `fields` read that the file lacks, as 422.
fn check_columns(
    sheet: &Sheet,
    entity: &ferrobooks_domain::import::Entity,
    fields: &[MappingField],
) -> ServiceResult<()> {
    let mut problems = Vec::new();
    for f in fields {
        if let Some(src) = &f.source
            && !sheet
                .headers
                .iter()
                .any(|h| h.eq_ignore_ascii_case(src.trim()))
        {
            let title = entity.field(f.field_id).map_or("?", |x| x.title);
            problems.push((
                "file".to_owned(),
                format!("the file has no column '{src}' (mapped to {title})"),
            ));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let msg = problems
        .iter()
        .map(|(_, m)| m.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let mut e = ServiceError::new(
        Code::Unprocessable,
        format!(
            "{msg}; the file's columns are: {}",
            sheet.headers.join(", ")
        ),
    );
    e.fields = problems;
    Err(e)
}

impl Services {
    /// Checks an upload (its mapping, file and columns), records it and
    /// queues the job that runs it (202).
    pub async fn create_import(
        &self,
        ctx: &AuthContext,
        input: NewImport,
    ) -> ServiceResult<ImportView> {
        let mapping = self.mapping_row(ctx, &input.mapping_id).await?;
        if mapping.active != 1 {
            return Err(ServiceError::invalid_with(
                Code::Unprocessable,
                "mappingId",
                format!("mapping {} is inactive", mapping.id),
            ));
        }
        let entity = entity(&mapping.entity_name)?;
        let fields = parse_fields(&mapping.fields)?;
        self.start_import(ctx, input, entity, &fields, Some(mapping.id), Clone::clone)
            .await
    }

    /// Records the import and queues its job; the request's answer is
    /// `answer` of the import, stored for replay with the import.
    async fn start_import<R: Serialize>(
        &self,
        ctx: &AuthContext,
        input: NewImport,
        entity: &'static ferrobooks_domain::import::Entity,
        fields: &[MappingField],
        mapping_id: Option<String>,
        answer: impl FnOnce(&ImportView) -> R,
    ) -> ServiceResult<R> {
        let kind = FileKind::of(&input.file);
        let sheet = file::read(&input.file, input.sheet_name.as_deref())?;
        check_columns(&sheet, entity, fields)?;
        let mut wtx = self.store.begin_write().await?;
        if !input.dry_run {
            let hour_ago =
                ferrobooks_store::format_time(chrono::Utc::now() - chrono::Duration::hours(1));
            let (n, oldest) = store::imports_since(&mut *wtx.tx, ctx.org_id(), &hour_ago).await?;
            if n >= IMPORTS_PER_HOUR {
                let wait = oldest
                    .and_then(|o| chrono::DateTime::parse_from_rfc3339(&o).ok())
                    .map_or(3600, |o| {
                        (o.timestamp() + 3600 - chrono::Utc::now().timestamp()).max(1)
                    });
                let mut e = ServiceError::new(
                    Code::RateLimited,
                    format!("{IMPORTS_PER_HOUR} imports per hour per company; retry in {wait} s"),
                );
                e.state = Some(wait.to_string());
                return Err(e);
            }
        }
        let row = ImportRow {
            id: new_id("imp"),
            organization_id: ctx.org_id().to_owned(),
            mapping_id,
            entity_name: entity.name.to_owned(),
            status: ImportStatus::Scheduled.as_str().into(),
            dry_run: i64::from(input.dry_run),
            file_name: input.file_name.map(|n| n.chars().take(255).collect()),
            file_kind: kind.as_str().into(),
            sheet_name: input.sheet_name,
            fields: serde_json::to_string(fields).map_err(ServiceError::internal)?,
            total: i64::try_from(sheet.rows.len()).unwrap_or(i64::MAX),
            entities: i64::try_from(
                super::build::groups(&sheet, &super::build::columns(&sheet, entity, fields)).len(),
            )
            .unwrap_or(i64::MAX),
            created_at: now(),
            ..ImportRow::default()
        };
        let content = base64::engine::general_purpose::STANDARD.encode(&input.file);
        store::insert_import(&mut wtx.tx, &row, &content).await?;
        crate::jobs::runner::enqueue_in(
            &mut wtx.tx,
            &Job::Import(ImportJob {
                organization_id: ctx.org_id().to_owned(),
                import_id: row.id.clone(),
            }),
        )
        .await?;
        let v = answer(&view(&row, &ctx.org.name)?);
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Accepted, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Runs an import (or its revert) in this process now, as its job
    /// would, and answers how it ended: the command line's way. A runner
    /// that claims the job meanwhile makes nothing twice (each batch
    /// counts its rows only if no one else did).
    pub async fn run_import(&self, ctx: &AuthContext, id: &str) -> ServiceResult<ImportView> {
        let row = self.import_row(ctx, id).await?;
        super::run::run(
            self,
            &ImportJob {
                organization_id: row.organization_id.clone(),
                import_id: row.id.clone(),
            },
        )
        .await?;
        self.get_import(ctx, id).await
    }

    pub async fn get_import(&self, ctx: &AuthContext, id: &str) -> ServiceResult<ImportView> {
        let row = self.import_row(ctx, id).await?;
        view(&row, &ctx.org.name)
    }

    async fn import_row(&self, ctx: &AuthContext, id: &str) -> ServiceResult<ImportRow> {
        store::get_import(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or_else(|| ServiceError::new(Code::NotFound, format!("Import not found: {id}")))
    }

    pub async fn list_imports(
        &self,
        ctx: &AuthContext,
        ask: PageAsk,
    ) -> ServiceResult<Paged<ImportView>> {
        let (page, per, offset) = ask.resolve()?;
        let mut conn = self.store.read_conn().await?;
        let (rows, total) = store::list_imports(&mut conn, ctx.org_id(), offset, per).await?;
        let data = rows
            .iter()
            .map(|r| view(r, &ctx.org.name))
            .collect::<ServiceResult<_>>()?;
        Ok(paged(data, page, per, total))
    }

    /// Moves an import by `action` (cancel, revert) under its row lock;
    /// 409 when its status does not allow it.
    async fn move_import(
        &self,
        ctx: &AuthContext,
        id: &str,
        action: ImportAction,
    ) -> ServiceResult<ImportView> {
        let mut wtx = self.store.begin_write().await?;
        let mut row = store::lock_import(&mut wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or_else(|| ServiceError::new(Code::NotFound, format!("Import not found: {id}")))?;
        let from = ImportStatus::parse(&row.status)
            .ok_or_else(|| ServiceError::internal("stored import status"))?;
        if action == ImportAction::Revert && row.dry_run == 1 {
            return Err(ServiceError::wrong_status(
                from.as_str(),
                "a dry run wrote nothing to the books: there is nothing to revert",
            ));
        }
        let to = from
            .after(action)
            .map_err(|e| ServiceError::wrong_status(from.as_str(), e.to_string()))?;
        row.status = to.as_str().into();
        if to.is_terminal() {
            row.finished_at = Some(now());
        }
        if !store::update_import(&mut wtx.tx, &row, (from.as_str(), row.done)).await? {
            return Err(ServiceError::wrong_status(
                from.as_str(),
                "the import changed meanwhile; try again",
            ));
        }
        if to == ImportStatus::Reverting {
            crate::jobs::runner::enqueue_in(
                &mut wtx.tx,
                &Job::Import(ImportJob {
                    organization_id: ctx.org_id().to_owned(),
                    import_id: row.id.clone(),
                }),
            )
            .await?;
        }
        let v = view(&row, &ctx.org.name)?;
        let outcome = if to == ImportStatus::Reverting {
            Outcome::Accepted
        } else {
            Outcome::Done
        };
        self.finish_idempotent(&mut wtx.tx, ctx, outcome, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Stops a queued or running import: what it created so far stays
    /// (revert takes it back).
    pub async fn cancel_import(&self, ctx: &AuthContext, id: &str) -> ServiceResult<ImportView> {
        self.move_import(ctx, id, ImportAction::Cancel).await
    }

    /// Queues taking back everything the import created (202).
    pub async fn revert_import(&self, ctx: &AuthContext, id: &str) -> ServiceResult<ImportView> {
        self.move_import(ctx, id, ImportAction::Revert).await
    }

    pub async fn import_results(
        &self,
        ctx: &AuthContext,
        id: &str,
        filter: ResultFilter,
        ask: PageAsk,
    ) -> ServiceResult<Paged<ResultView>> {
        let (page, per, offset) = ask.resolve()?;
        let row = self.import_row(ctx, id).await?;
        let mut conn = self.store.read_conn().await?;
        let (rows, total) =
            store::list_results(&mut conn, &row.id, filter.as_str(), offset, per).await?;
        let data = rows
            .into_iter()
            .map(|r| ResultView {
                order_number: r.order_number,
                kind: r.kind,
                text: r.text,
                object_id: r.object_id,
                object_info: r.object_info,
                is_reverted: r.is_reverted == 1,
                is_updated: r.is_updated == 1,
            })
            .collect();
        Ok(paged(data, page, per, total))
    }

    /// Matches the file's headers to the entity's fields; unless
    /// `dry_run`, saves the mapping and starts the import at once (422
    /// when a required field found no column).
    pub async fn auto_import(
        &self,
        ctx: &AuthContext,
        entity_name: &str,
        input: NewImport,
    ) -> ServiceResult<AutoImport> {
        let entity = entity(entity_name)?;
        let sheet = file::read(&input.file, input.sheet_name.as_deref())?;
        let proposed = automap::propose(&sheet.headers, entity);
        let missing: Vec<&'static str> = entity
            .fields
            .iter()
            .filter(|f| f.required && !proposed.iter().any(|p| p.field_id == f.id))
            .map(|f| f.title)
            .collect();
        let mut out = AutoImport {
            entity_name: entity.name.to_owned(),
            file_headers: sheet.headers.clone(),
            proposed_fields: proposed
                .iter()
                .map(|p| AutoProposal {
                    source_field_title: p.header.clone(),
                    target_field_id: p.field_id.to_string(),
                    target_field_name: entity.field(p.field_id).map_or("", |f| f.title),
                    confidence: p.confidence.as_str(),
                })
                .collect(),
            missing_required: missing,
            total_fields_mapped: proposed.len(),
            total_entity_fields: entity.fields.len(),
            dry_run: input.dry_run,
            mapping: None,
            import: None,
        };
        if input.dry_run {
            return Ok(out);
        }
        if !out.missing_required.is_empty() {
            let mut e = ServiceError::new(
                Code::Unprocessable,
                format!(
                    "no column of the file matches the required field(s) {}: map them yourself",
                    out.missing_required.join(", ")
                ),
            );
            e.fields = out
                .missing_required
                .iter()
                .map(|t| ("file".to_owned(), format!("no column for {t}")))
                .collect();
            return Err(e);
        }
        let fields: Vec<MappingFieldInput> = proposed
            .iter()
            .map(|p| MappingFieldInput {
                source_field_title: Some(p.header.clone()),
                target_field_id: Some(p.field_id.to_string()),
                fixed_value: None,
            })
            .collect();
        let checked = check_fields(entity, &fields)?;
        let title = format!(
            "{} (auto, {})",
            entity.name,
            input.file_name.as_deref().unwrap_or("upload")
        );
        // The mapping is saved without its own idempotent answer: the
        // import's answer below is the request's.
        let quiet = AuthContext {
            request: crate::RequestMeta::default(),
            ..ctx.clone()
        };
        let mapping = self
            .create_mapping(
                &quiet,
                super::MappingInput {
                    title: Some(title.chars().take(200).collect()),
                    entity_name: Some(entity.name.to_owned()),
                    active: Some(true),
                    fields: Some(fields),
                },
            )
            .await?;
        out.mapping = Some(mapping.clone());
        self.start_import(ctx, input, entity, &checked, Some(mapping.id), |v| {
            AutoImport {
                import: Some(v.clone()),
                ..out
            }
        })
        .await
    }
}
