//! Organizations: creating one with its chart of accounts, reading and
//! changing its settings.

use crate::Code;
use ferrobooks_domain::Currency;
use ferrobooks_domain::account::parse_name;
use ferrobooks_domain::chart::template_for;
use ferrobooks_domain::org::{
    DATE_FORMATS, default_fiscal_year_start, parse_country, parse_fiscal_year_start, parse_state,
    parse_timezone, validate_gstin,
};
use ferrobooks_store::accounts::{AccountRow, insert_accounts};
use ferrobooks_store::tenancy::{self, OrganizationRow};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use crate::{AuthContext, OrgId, ServiceError, ServiceResult, Services, opt_text};

/// The organization, as a use case answers it (each surface shapes it).
#[derive(Debug, Clone, Serialize)]
pub struct OrganizationView {
    pub id: OrgId,
    pub name: String,
    pub base_currency: String,
    pub country: String,
    pub state: Option<String>,
    pub tax_id: Option<String>,
    pub fiscal_year_start: String,
    pub timezone: String,
    pub date_format: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<OrganizationRow> for OrganizationView {
    fn from(o: OrganizationRow) -> Self {
        OrganizationView {
            id: o.id,
            name: o.name,
            base_currency: o.base_currency,
            country: o.country,
            state: o.state,
            tax_id: o.tax_id,
            fiscal_year_start: o.fiscal_year_start,
            timezone: o.timezone,
            date_format: o.date_format,
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// Settings of a new organization.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrganization {
    pub name: String,
    pub base_currency: String,
    pub country: String,
    pub state: Option<String>,
    pub tax_id: Option<String>,
    pub fiscal_year_start: Option<String>,
    pub timezone: Option<String>,
    pub date_format: Option<String>,
}

/// Changes to an organization's settings; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationUpdate {
    pub name: Option<String>,
    pub base_currency: Option<String>,
    pub country: Option<String>,
    pub state: Option<String>,
    pub tax_id: Option<String>,
    pub fiscal_year_start: Option<String>,
    pub timezone: Option<String>,
    pub date_format: Option<String>,
}

/// Validates and normalises settings in place.
fn check(o: &mut OrganizationRow) -> ServiceResult<()> {
    o.name = parse_name("name", &o.name)?;
    o.base_currency = Currency::parse(&o.base_currency)
        .map_err(|e| ServiceError::invalid("base_currency", e.message()))?
        .code()
        .to_owned();
    o.country = parse_country(&o.country)?;
    o.state = match o.state.take().filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(parse_state(&o.country, &s)?),
        None => None,
    };
    o.tax_id = opt_text("tax_id", o.tax_id.take(), 50)?;
    if o.country == "IN"
        && let Some(gstin) = &o.tax_id
    {
        let gstin = gstin.to_ascii_uppercase();
        validate_gstin(&gstin)?;
        let gst_state = gstin[..2].to_owned();
        match &o.state {
            Some(s) if *s != gst_state => {
                return Err(ServiceError::invalid(
                    "state",
                    format!("state {s} differs from the GSTIN's state {gst_state}"),
                ));
            }
            _ => o.state = Some(gst_state),
        }
        o.tax_id = Some(gstin);
    }
    parse_fiscal_year_start(&o.fiscal_year_start)?;
    o.timezone = parse_timezone(&o.timezone)?;
    if !DATE_FORMATS.contains(&o.date_format.as_str()) {
        return Err(ServiceError::invalid(
            "date_format",
            format!("must be one of {}", DATE_FORMATS.join(", ")),
        ));
    }
    Ok(())
}

impl Services {
    /// Creates an organization under `tenant_id` (or the default tenant,
    /// made if there is none) with its country's chart of accounts, in one
    /// transaction.
    pub async fn create_organization(
        &self,
        tenant_id: Option<&str>,
        input: NewOrganization,
    ) -> ServiceResult<OrganizationView> {
        let at = now();
        let country_guess = input.country.trim().to_ascii_uppercase();
        let mut row = OrganizationRow {
            id: OrgId::new(new_id("org")),
            tenant_id: String::new(),
            name: input.name,
            base_currency: input.base_currency,
            country: input.country,
            state: input.state,
            tax_id: input.tax_id,
            fiscal_year_start: input
                .fiscal_year_start
                .unwrap_or_else(|| default_fiscal_year_start(&country_guess).to_owned()),
            timezone: input.timezone.unwrap_or_else(|| "UTC".into()),
            date_format: input.date_format.unwrap_or_else(|| "YYYY-MM-DD".into()),
            created_at: at.clone(),
            updated_at: at.clone(),
        };
        check(&mut row)?;
        let mut wtx = self.store.begin_write().await?;
        row.tenant_id = match tenant_id {
            Some(t) => t.to_owned(),
            None => tenancy::default_tenant(&mut wtx.tx).await?.id,
        };
        tenancy::insert_organization(&mut *wtx.tx, &row).await?;
        let accounts: Vec<AccountRow> = template_for(&row.country)
            .into_iter()
            .map(|t| AccountRow {
                id: new_id("acc"),
                organization_id: row.id.clone(),
                code: t.code.into(),
                name: t.name.into(),
                account_type: t.account_type.as_str().into(),
                subtype: t.subtype.into(),
                currency: row.base_currency.clone(),
                description: None,
                system_key: Some(t.system_key.into()),
                parent_id: None,
                active: 1,
                created_at: at.clone(),
                updated_at: at.clone(),
            })
            .collect();
        insert_accounts(&mut wtx.tx, &accounts).await?;
        crate::taxes::seed(&mut wtx.tx, &row).await?;
        wtx.commit().await?;
        Ok(row.into())
    }

    pub fn organization(&self, ctx: &AuthContext) -> OrganizationView {
        ctx.org.clone().into()
    }

    /// Changes settings. The base currency is fixed once the journal has
    /// entries: every posted amount is in it.
    pub async fn update_organization(
        &self,
        ctx: &AuthContext,
        input: OrganizationUpdate,
    ) -> ServiceResult<OrganizationView> {
        let mut wtx = self.store.begin_write().await?;
        let mut row = tenancy::get_organization(&mut *wtx.tx, ctx.org_id())
            .await?
            .ok_or(ServiceError::not_found("organization"))?;
        if let Some(c) = input.base_currency {
            let c = c.trim().to_ascii_uppercase();
            if c != row.base_currency && tenancy::has_journal_entries(&mut *wtx.tx, &row.id).await?
            {
                return Err(ServiceError::new(
                    Code::HasTransactions,
                    "base_currency cannot change once the journal has entries",
                ));
            }
            row.base_currency = c;
        }
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = input.$f { row.$f = v; } )* };
        }
        set!(name, country, fiscal_year_start, timezone, date_format);
        if let Some(s) = input.state {
            row.state = Some(s);
        }
        if let Some(t) = input.tax_id {
            row.tax_id = Some(t);
        }
        check(&mut row)?;
        row.updated_at = now();
        tenancy::update_organization(&mut *wtx.tx, &row).await?;
        wtx.commit().await?;
        self.auth_cache.forget_org(&row.id);
        Ok(row.into())
    }

    /// On an empty database, creates a demo organization, a full-access
    /// key for it and a demo owner (`demo@ferrobooks.local`) with a
    /// generated password; otherwise `None`. The key and the password are
    /// answered once and stored only as hashes.
    pub async fn bootstrap_demo(&self) -> ServiceResult<Option<DemoBootstrap>> {
        if tenancy::count_organizations(self.store.pool()).await? > 0 {
            return Ok(None);
        }
        let org = self
            .create_organization(
                None,
                NewOrganization {
                    name: "Demo Company".into(),
                    base_currency: "USD".into(),
                    country: "US".into(),
                    state: None,
                    tax_id: None,
                    fiscal_year_start: None,
                    timezone: None,
                    date_format: None,
                },
            )
            .await?;
        let tenant = tenancy::get_organization(self.store.pool(), &org.id)
            .await?
            .ok_or(ServiceError::not_found("organization"))?
            .tenant_id;
        let key = self
            .create_key(&tenant, Some(&org.id), "Demo key", Some("enterprise"), None)
            .await?;
        let user = self
            .create_user(
                &tenant,
                ferrobooks_domain::access::Role::Owner,
                None,
                crate::users::UserInput {
                    email: Some(DEMO_EMAIL.into()),
                    name: Some("Demo Owner".into()),
                    role: Some("owner".into()),
                    ..Default::default()
                },
            )
            .await?;
        Ok(Some(DemoBootstrap {
            org,
            key: key.raw,
            email: user.user.email,
            password: user.password.unwrap_or_default(),
        }))
    }
}

/// The demo user's email.
pub const DEMO_EMAIL: &str = "demo@ferrobooks.local";

/// What the first start on an empty database made, with the secrets it
/// shows once.
#[derive(Debug)]
pub struct DemoBootstrap {
    pub org: OrganizationView,
    pub key: String,
    pub email: String,
    pub password: String,
}
