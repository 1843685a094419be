//! The importer's shapes as the OpenAPI document shows them, each made
//! from the service's read model by a `From` that names every field (a
//! field added to a read model does not compile until it is shown here).
//! Field order and names are the read model's, so a reply and its
//! idempotent replay are the same bytes.

use ferrobooks_domain::import::Field;
use ferrobooks_service::importer as svc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An error: `code` is one of the reference's (BAD_REQUEST, UNAUTHORIZED,
/// NOT_FOUND, VALIDATION_ERROR, DUPLICATE_REQUEST, CONFLICT,
/// RATE_LIMITED; FORBIDDEN for a key without the scope).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    #[schema(example = "NOT_FOUND")]
    pub code: String,
    #[schema(example = "Company not found: 999")]
    pub message: String,
    /// Each field at fault and what is wrong with it (422 names every
    /// unmapped required field and unknown field id).
    pub details: Option<Vec<FieldProblem>>,
    pub request_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The account (tenant) id.
    pub id: String,
    /// Null until the account has users.
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub name: String,
    #[schema(example = "ACTIVE")]
    pub status: String,
    /// Organizations this key may import into.
    pub companies_amount: i64,
    /// Imports (dry runs aside) that finished, lifetime.
    pub successful_imports: i64,
    pub subscription: Subscription,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Subscription {
    pub plan: Option<String>,
    pub active: bool,
}

impl From<svc::AccountView> for Account {
    fn from(v: svc::AccountView) -> Self {
        let svc::AccountView {
            id,
            email,
            first_name,
            last_name,
            name,
            status,
            companies_amount,
            successful_imports,
            subscription,
        } = v;
        Account {
            id,
            email,
            first_name,
            last_name,
            name,
            status: status.into(),
            companies_amount,
            successful_imports,
            subscription: Subscription {
                plan: subscription.plan,
                active: subscription.active,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The organization's date format (`MM/dd/yyyy`, `dd/MM/yyyy`,
    /// `yyyy-MM-dd`, `dd-MM-yyyy`, `dd.MM.yyyy`); files' dates are read in
    /// it or as ISO `yyyy-MM-dd`.
    #[schema(example = "MM/dd/yyyy")]
    pub date_format: String,
    /// A file's document number that is taken gets the next number of the
    /// series instead (with a WARNING), rather than an ERROR.
    pub increment_doc_number: bool,
    /// Documents keep the file's numbers; when false each gets the next
    /// number of its series and the file's number becomes its reference.
    pub send_doc_number_to_provider: bool,
    /// A customer or vendor the file names that does not exist is created
    /// (a WARNING says so) rather than an ERROR.
    pub create_missing_contacts: bool,
    /// Likewise for items (created as services).
    pub create_missing_items: bool,
    /// A Customer or Vendor import naming an existing one updates it
    /// (`isUpdated`) rather than an ERROR.
    pub update_existing: bool,
}

impl From<svc::ImportSettings> for Settings {
    fn from(v: svc::ImportSettings) -> Self {
        let svc::ImportSettings {
            date_format,
            increment_doc_number,
            send_doc_number,
            create_missing_contacts,
            create_missing_items,
            update_existing,
        } = v;
        Settings {
            date_format,
            increment_doc_number,
            send_doc_number_to_provider: send_doc_number,
            create_missing_contacts,
            create_missing_items,
            update_existing,
        }
    }
}

/// Changes to a company's import settings; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SettingsInput {
    pub date_format: Option<String>,
    pub increment_doc_number: Option<bool>,
    pub send_doc_number_to_provider: Option<bool>,
    pub create_missing_contacts: Option<bool>,
    pub create_missing_items: Option<bool>,
    pub update_existing: Option<bool>,
}

impl From<SettingsInput> for svc::ImportSettingsInput {
    fn from(v: SettingsInput) -> Self {
        svc::ImportSettingsInput {
            date_format: v.date_format,
            increment_doc_number: v.increment_doc_number,
            send_doc_number: v.send_doc_number_to_provider,
            create_missing_contacts: v.create_missing_contacts,
            create_missing_items: v.create_missing_items,
            update_existing: v.update_existing,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    /// The organization's id: `{companyId}` in every other path.
    pub id: String,
    pub company_name: String,
    #[schema(example = "ferrobooks")]
    pub provider: String,
    #[schema(example = "ACTIVE")]
    pub status: String,
    pub company_address: Option<String>,
    pub settings: Settings,
}

impl From<svc::CompanyView> for Company {
    fn from(v: svc::CompanyView) -> Self {
        let svc::CompanyView {
            id,
            company_name,
            provider,
            status,
            company_address,
            settings,
        } = v;
        Company {
            id,
            company_name,
            provider: provider.into(),
            status: status.into(),
            company_address,
            settings: settings.into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EntityInfo {
    #[schema(example = "Invoice")]
    pub name: String,
    /// What it becomes in the books.
    #[schema(example = "invoice")]
    pub target: String,
    pub fields_amount: usize,
}

impl From<svc::EntityView> for EntityInfo {
    fn from(v: svc::EntityView) -> Self {
        let svc::EntityView {
            name,
            target,
            fields_amount,
        } = v;
        EntityInfo {
            name: name.into(),
            target: target.into(),
            fields_amount,
        }
    }
}

/// One field of an entity.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldInfo {
    /// Stable across companies and releases: `targetFieldId` in mappings.
    #[schema(example = "231")]
    pub id: String,
    #[schema(example = "DocNumber")]
    pub title: String,
    /// String, Boolean, Date, Decimal, Integer or CustomerRef.
    #[serde(rename = "type")]
    pub field_type: String,
    pub is_required: bool,
    /// Rows sharing this field's value become one entity.
    pub is_for_grouping: bool,
    pub max_size: Option<u32>,
    pub order_number: u32,
    pub child_elem_name: Option<String>,
    pub alternative_titles: Vec<String>,
    pub predefined_values: Vec<String>,
    pub enabling_guide_url: Option<String>,
}

impl From<&Field> for FieldInfo {
    fn from(f: &Field) -> Self {
        FieldInfo {
            id: f.id.to_string(),
            title: f.title.into(),
            field_type: f.field_type.as_str().into(),
            is_required: f.required,
            is_for_grouping: f.grouping,
            max_size: f.max_size,
            order_number: f.order,
            child_elem_name: None,
            alternative_titles: f
                .alternative_titles
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
            predefined_values: f
                .predefined_values()
                .iter()
                .map(|v| (*v).to_owned())
                .collect(),
            enabling_guide_url: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MappingField {
    /// The file's column; null with a fixed value.
    pub source_field_title: Option<String>,
    pub target_field_id: String,
    /// The value of every row.
    pub fixed_value: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Mapping {
    pub id: String,
    pub title: String,
    pub entity_name: String,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
    pub fields: Vec<MappingField>,
}

impl From<svc::MappingView> for Mapping {
    fn from(v: svc::MappingView) -> Self {
        let svc::MappingView {
            id,
            title,
            entity_name,
            active,
            created_at,
            updated_at,
            fields,
        } = v;
        Mapping {
            id,
            title,
            entity_name,
            active,
            created_at,
            updated_at,
            fields: fields
                .into_iter()
                .map(|f| {
                    let svc::MappingFieldView {
                        source_field_title,
                        target_field_id,
                        fixed_value,
                    } = f;
                    MappingField {
                        source_field_title,
                        target_field_id,
                        fixed_value,
                    }
                })
                .collect(),
        }
    }
}

/// One field of a mapping: a column or a fixed value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MappingFieldInput {
    /// The file's column (header), or null with `fixedValue`.
    pub source_field_title: Option<String>,
    /// The field's `id` (text or number).
    #[schema(value_type = String, example = "231")]
    pub target_field_id: Option<serde_json::Value>,
    pub fixed_value: Option<String>,
}

/// A mapping; on update, the parts to change (`fields` replaces them all).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MappingInput {
    #[schema(example = "My Invoice Mapping")]
    pub title: Option<String>,
    #[schema(example = "Invoice")]
    pub entity_name: Option<String>,
    pub active: Option<bool>,
    pub fields: Option<Vec<MappingFieldInput>>,
}

impl MappingInput {
    pub fn into_service(self) -> Result<svc::MappingInput, String> {
        let fields = self
            .fields
            .map(|fs| {
                fs.into_iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let id = match f.target_field_id {
                            None | Some(serde_json::Value::Null) => None,
                            Some(serde_json::Value::String(s)) => Some(s),
                            Some(serde_json::Value::Number(n)) if n.is_u64() => Some(n.to_string()),
                            Some(_) => {
                                return Err(format!(
                                    "fields[{i}].targetFieldId: must be a field id (text or a whole number)"
                                ));
                            }
                        };
                        Ok(svc::MappingFieldInput {
                            source_field_title: f.source_field_title,
                            target_field_id: id,
                            fixed_value: f.fixed_value,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()
            })
            .transpose()?;
        Ok(svc::MappingInput {
            title: self.title,
            entity_name: self.entity_name,
            active: self.active,
            fields,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub rows_done: i64,
    pub rows_total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Summary {
    /// Entities in the file (rows sharing a document number are one).
    pub total: i64,
    pub succeeded: i64,
    pub failed: i64,
    pub warnings: i64,
}

/// An import. `status`: SCHEDULED, IN_PROGRESS, FINISHED,
/// FINISHED_WITH_WARNINGS (some rows refused or warned), FAILED (nothing
/// made, or the file unreadable), CANCELED, REVERTING, REVERTED.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Import {
    pub id: String,
    #[schema(example = "SCHEDULED")]
    pub status: String,
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
    pub summary: Summary,
    /// Why it failed as a whole, or what a revert could not take back.
    pub error: Option<String>,
}

impl From<svc::ImportView> for Import {
    fn from(v: svc::ImportView) -> Self {
        let svc::ImportView {
            id,
            status,
            mapping_id,
            entity_name,
            company,
            dry_run,
            file_name,
            sheet_name,
            date_created,
            date_started,
            date_finished,
            progress,
            summary,
            error,
        } = v;
        Import {
            id,
            status: status.into(),
            mapping_id,
            entity_name,
            company: CompanyRef {
                id: company.id,
                name: company.name,
            },
            dry_run,
            file_name,
            sheet_name,
            date_created,
            date_started,
            date_finished,
            progress: Progress {
                rows_done: progress.rows_done,
                rows_total: progress.rows_total,
            },
            summary: Summary {
                total: summary.total,
                succeeded: summary.succeeded,
                failed: summary.failed,
                warnings: summary.warnings,
            },
            error,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResultRow {
    /// The row of the file (the header is row 1).
    pub order_number: i64,
    /// INFO (made), WARNING or ERROR.
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    /// The id of what the row made or updated.
    pub object_provider_id: Option<String>,
    pub object_info: Option<String>,
    pub is_reverted: bool,
    pub is_updated: bool,
}

impl From<svc::ResultView> for ResultRow {
    fn from(v: svc::ResultView) -> Self {
        let svc::ResultView {
            order_number,
            kind,
            text,
            object_id,
            object_info,
            is_reverted,
            is_updated,
        } = v;
        ResultRow {
            order_number,
            kind,
            text,
            object_provider_id: object_id,
            object_info,
            is_reverted,
            is_updated,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    pub total_pages: i64,
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T: ToSchema> {
    pub data: Vec<T>,
    pub pagination: Pagination,
}

impl<S, T: ToSchema + From<S>> From<svc::Paged<S>> for Paged<T> {
    fn from(p: svc::Paged<S>) -> Self {
        let svc::Paged { data, pagination } = p;
        Paged {
            data: data.into_iter().map(T::from).collect(),
            pagination: Pagination {
                page: pagination.page,
                per_page: pagination.per_page,
                total: pagination.total,
                total_pages: pagination.total_pages,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Proposed {
    pub source_field_title: String,
    pub target_field_id: String,
    pub target_field_name: String,
    /// high (title or alternative title), medium (the field's short name),
    /// low (the same without punctuation).
    pub confidence: String,
}

/// What auto-mapping made of a file; with `dryRun=false` also the mapping
/// it saved and the import it started.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AutoResult {
    pub entity_name: String,
    pub file_headers: Vec<String>,
    pub proposed_fields: Vec<Proposed>,
    pub missing_required: Vec<String>,
    pub total_fields_mapped: usize,
    pub total_entity_fields: usize,
    pub dry_run: bool,
    pub mapping: Option<Mapping>,
    pub import: Option<Import>,
}

impl From<svc::AutoImport> for AutoResult {
    fn from(v: svc::AutoImport) -> Self {
        let svc::AutoImport {
            entity_name,
            file_headers,
            proposed_fields,
            missing_required,
            total_fields_mapped,
            total_entity_fields,
            dry_run,
            mapping,
            import,
        } = v;
        AutoResult {
            entity_name,
            file_headers,
            proposed_fields: proposed_fields
                .into_iter()
                .map(|p| {
                    let svc::AutoProposal {
                        source_field_title,
                        target_field_id,
                        target_field_name,
                        confidence,
                    } = p;
                    Proposed {
                        source_field_title,
                        target_field_id,
                        target_field_name: target_field_name.into(),
                        confidence: confidence.into(),
                    }
                })
                .collect(),
            missing_required: missing_required.into_iter().map(str::to_owned).collect(),
            total_fields_mapped,
            total_entity_fields,
            dry_run,
            mapping: mapping.map(Mapping::from),
            import: import.map(Import::from),
        }
    }
}

/// An upload to import (`multipart/form-data`).
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "the document's schema of the form")]
pub struct ImportUpload {
    /// A CSV (UTF-8, commas) or XLSX file with a header row; at most 50 MB
    /// and 100,000 rows.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub mapping_id: String,
    /// XLSX: the sheet to read (default the first).
    pub sheet_name: Option<String>,
    /// `true`: check the mapping and every row, write nothing.
    pub dry_run: Option<bool>,
}

/// An upload to auto-map (`multipart/form-data`).
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "the document's schema of the form")]
pub struct AutoUpload {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    #[schema(example = "Invoice")]
    pub entity_name: String,
    pub sheet_name: Option<String>,
    /// `true` (default): propose the mapping only; `false`: save it and
    /// import at once.
    pub dry_run: Option<bool>,
}
