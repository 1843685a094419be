//! Spreadsheet imports into the books: the key's account and the
//! organizations ("companies") it may import into, their import settings,
//! the catalog of importable entities, saved mappings, and imports that
//! run as background jobs ([`run`]) and can be taken back ([`revert`]).
//!
//! A row becomes an entity through the same use cases as the API (an
//! invoice is made and posted by `new_document_in`), many entities per
//! transaction, each under a savepoint of its own
//! ([`ferrobooks_store::units::run_each`]); the rows done are counted in
//! the same transaction, so an import stopped by a crash resumes where it
//! committed and creates nothing twice.

mod account;
mod build;
mod document;
pub mod file;
mod imports;
mod journal;
mod mappings;
mod money;
mod records;
mod revert;
pub(crate) mod run;

use std::sync::Arc;

use ferrobooks_domain::import::{self as domain, Entity};
use ferrobooks_store::imports::{self as store, SettingsRow};
use serde::{Deserialize, Serialize};

use crate::{AuthContext, Principal, ServiceError, ServiceResult, Services};

pub use imports::{AutoImport, AutoProposal, NewImport, ResultFilter};
pub use imports::{CompanyRef, ImportSummary, ImportView, Progress, ResultView};
pub use mappings::{MappingFieldInput, MappingFieldView, MappingInput, MappingView};

// The importer's read models serialize in the importer's own spelling
// (camelCase, ids as strings), as the native API's read models serialize
// in its: the JSON is the canonical form a replay repeats.

/// The account a key belongs to.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    /// The account's people arrive with users (not yet): null.
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub name: String,
    pub status: &'static str,
    /// Organizations the key may import into.
    pub companies_amount: i64,
    /// Imports (dry runs aside) that finished, in all of them.
    pub successful_imports: i64,
    pub subscription: Subscription,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    pub plan: Option<String>,
    pub active: bool,
}

/// What an organization's imports do where a file leaves a choice.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSettings {
    /// The organization's own date format, in the importer's pattern
    /// letters (`MM/dd/yyyy`): dates in files are read in it (or as ISO
    /// `yyyy-MM-dd`).
    pub date_format: String,
    /// When a file's document number is taken: give the document the next
    /// number of its series instead (with a warning) rather than refuse it.
    pub increment_doc_number: bool,
    /// Documents keep the file's numbers; when false, each gets the next
    /// number of its series (the file's number still groups rows and is
    /// kept as the reference).
    #[serde(rename = "sendDocNumberToProvider")]
    pub send_doc_number: bool,
    pub create_missing_contacts: bool,
    pub create_missing_items: bool,
    /// A contact the file names that exists is updated (else an error).
    pub update_existing: bool,
}

/// Changes to the import settings; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ImportSettingsInput {
    pub date_format: Option<String>,
    pub increment_doc_number: Option<bool>,
    #[serde(rename = "sendDocNumberToProvider")]
    pub send_doc_number: Option<bool>,
    pub create_missing_contacts: Option<bool>,
    pub create_missing_items: Option<bool>,
    pub update_existing: Option<bool>,
}

/// An organization as the importer shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyView {
    pub id: String,
    pub company_name: String,
    /// Where imports go: Ferrobooks' own books.
    pub provider: &'static str,
    pub status: &'static str,
    pub company_address: Option<String>,
    pub settings: ImportSettings,
}

/// A page of a list, by page number.
#[derive(Debug, Clone, Serialize)]
pub struct Paged<T> {
    pub data: Vec<T>,
    pub pagination: Pagination,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    pub total_pages: i64,
}

/// Page number and size asked for (default 1 and 20, at most 100).
#[derive(Debug, Clone, Copy)]
pub struct PageAsk {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl PageAsk {
    /// (page, per page, offset), or which parameter is wrong.
    fn resolve(self) -> ServiceResult<(i64, i64, i64)> {
        let page = self.page.unwrap_or(1);
        let per = self.per_page.unwrap_or(20);
        if page < 1 {
            return Err(ServiceError::invalid("page", "must be 1 or more"));
        }
        if !(1..=100).contains(&per) {
            return Err(ServiceError::invalid("perPage", "must be 1 to 100"));
        }
        let offset = (page - 1)
            .checked_mul(per)
            .ok_or_else(|| ServiceError::invalid("page", "is too large"))?;
        Ok((page, per, offset))
    }
}

fn paged<T>(data: Vec<T>, page: i64, per_page: i64, total: i64) -> Paged<T> {
    Paged {
        data,
        pagination: Pagination {
            page,
            per_page,
            total,
            total_pages: (total + per_page - 1) / per_page,
        },
    }
}

fn settings_view(
    org: &ferrobooks_store::tenancy::OrganizationRow,
    s: &SettingsRow,
) -> ImportSettings {
    ImportSettings {
        date_format: domain::values::importer_pattern(&org.date_format).to_owned(),
        increment_doc_number: s.increment_doc_number == 1,
        send_doc_number: s.send_doc_number == 1,
        create_missing_contacts: s.create_missing_contacts == 1,
        create_missing_items: s.create_missing_items == 1,
        update_existing: s.update_existing == 1,
    }
}

/// The defaults of an organization that never changed its settings.
fn default_settings(org: &crate::OrgId) -> SettingsRow {
    SettingsRow {
        organization_id: org.clone(),
        increment_doc_number: 0,
        send_doc_number: 1,
        create_missing_contacts: 0,
        create_missing_items: 0,
        update_existing: 0,
        updated_at: String::new(),
    }
}

/// One importable entity as listed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityView {
    pub name: &'static str,
    /// What it becomes: `invoice`, `bill`, `customer`...
    pub target: &'static str,
    pub fields_amount: usize,
}

fn target_name(e: &Entity) -> &'static str {
    match e.target {
        domain::Target::Document(k) => crate::documents::DocKind::from_kind(k).doc_type(),
        domain::Target::Customer => "customer",
        domain::Target::Item => "item",
        domain::Target::Vendor => "vendor",
        domain::Target::JournalEntry => "journal_entry",
        domain::Target::Account => "account",
        domain::Target::Payment(side) => match side {
            ferrobooks_domain::document::Side::Sale => "payment",
            ferrobooks_domain::document::Side::Purchase => "bill_payment",
        },
        domain::Target::Transfer => "transfer",
        // Posted as a journal entry with the bank's line.
        domain::Target::Deposit => "journal_entry",
        domain::Target::BankTransaction => "bank_payment or sales_receipt",
    }
}

/// The entity named `name`, or 404.
pub(crate) fn entity(name: &str) -> ServiceResult<&'static Entity> {
    domain::entity(name).ok_or_else(|| {
        ServiceError::new(crate::Code::NotFound, format!("Entity not found: {name}"))
    })
}

impl Services {
    /// The key's account: its organizations and finished imports.
    pub async fn importer_account(&self, p: &Arc<Principal>) -> ServiceResult<AccountView> {
        let pool = self.store.pool();
        let name = store::tenant_name(pool, &p.tenant_id)
            .await?
            .unwrap_or_default();
        let companies = self.importer_orgs(p).await?.len();
        Ok(AccountView {
            id: p.tenant_id.clone(),
            email: None,
            first_name: None,
            last_name: None,
            name,
            status: "ACTIVE",
            companies_amount: i64::try_from(companies).unwrap_or(i64::MAX),
            successful_imports: store::successful_imports(pool, &p.tenant_id).await?,
            subscription: Subscription {
                plan: Some("Self-hosted".into()),
                active: true,
            },
        })
    }

    async fn importer_orgs(
        &self,
        p: &Principal,
    ) -> ServiceResult<Vec<ferrobooks_store::tenancy::OrganizationRow>> {
        let mut orgs = store::tenant_organizations(self.store.pool(), &p.tenant_id).await?;
        if let Some(bound) = &p.organization_id {
            orgs.retain(|o| &o.id == bound);
        }
        Ok(orgs)
    }

    /// The organizations the key may import into, with their settings.
    pub async fn importer_companies(&self, p: &Arc<Principal>) -> ServiceResult<Vec<CompanyView>> {
        let mut out = Vec::new();
        for org in self.importer_orgs(p).await? {
            let s = store::get_settings(self.store.pool(), &org.id)
                .await?
                .unwrap_or_else(|| default_settings(&org.id));
            out.push(company_view(&org, &s));
        }
        Ok(out)
    }

    /// One organization as the importer shows it.
    pub async fn importer_company(&self, ctx: &AuthContext) -> ServiceResult<CompanyView> {
        let s = self.import_settings_row(ctx).await?;
        Ok(company_view(&ctx.org, &s))
    }

    pub(crate) async fn import_settings_row(
        &self,
        ctx: &AuthContext,
    ) -> ServiceResult<SettingsRow> {
        Ok(store::get_settings(self.store.pool(), ctx.org_id())
            .await?
            .unwrap_or_else(|| default_settings(ctx.org_id())))
    }

    /// Changes the organization's import settings (the date format is the
    /// organization's own).
    pub async fn update_import_settings(
        &self,
        ctx: &AuthContext,
        input: ImportSettingsInput,
    ) -> ServiceResult<CompanyView> {
        let mut org = ctx.org.clone();
        if let Some(f) = input.date_format {
            let f = domain::values::org_format(&f).map_or(f, str::to_owned);
            let v = self
                .update_organization(
                    ctx,
                    crate::orgs::OrganizationUpdate {
                        date_format: Some(f),
                        ..Default::default()
                    },
                )
                .await
                .map_err(|e| rename_field(e, "date_format", "dateFormat"))?;
            org.date_format = v.date_format;
        }
        let mut s = self.import_settings_row(ctx).await?;
        let flag = |v: Option<bool>, cur: i64| v.map_or(cur, i64::from);
        s.increment_doc_number = flag(input.increment_doc_number, s.increment_doc_number);
        s.send_doc_number = flag(input.send_doc_number, s.send_doc_number);
        s.create_missing_contacts = flag(input.create_missing_contacts, s.create_missing_contacts);
        s.create_missing_items = flag(input.create_missing_items, s.create_missing_items);
        s.update_existing = flag(input.update_existing, s.update_existing);
        s.updated_at = ferrobooks_store::now();
        let mut wtx = self.store.begin_write().await?;
        store::save_settings(&mut wtx.tx, &s).await?;
        let v = company_view(&org, &s);
        self.finish_idempotent(&mut wtx.tx, ctx, crate::Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Every entity the organization can import.
    pub fn import_entities(&self, _ctx: &AuthContext) -> Vec<EntityView> {
        domain::entities()
            .iter()
            .map(|e| EntityView {
                name: e.name,
                target: target_name(e),
                fields_amount: e.fields.len(),
            })
            .collect()
    }

    /// The fields of entity `name`, in their order.
    pub fn import_fields(
        &self,
        _ctx: &AuthContext,
        name: &str,
    ) -> ServiceResult<&'static [domain::Field]> {
        Ok(&entity(name)?.fields)
    }
}

fn company_view(org: &ferrobooks_store::tenancy::OrganizationRow, s: &SettingsRow) -> CompanyView {
    CompanyView {
        id: org.id.to_string(),
        company_name: org.name.clone(),
        provider: "ferrobooks",
        status: "ACTIVE",
        company_address: None,
        settings: settings_view(org, s),
    }
}

fn rename_field(mut e: ServiceError, from: &str, to: &str) -> ServiceError {
    for (f, _) in &mut e.fields {
        if f == from {
            *f = to.to_owned();
        }
    }
    e
}
