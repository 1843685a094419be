//! The native API's orgs shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use ferrobooks_service::OrgId;
use ferrobooks_service::orgs as svc;
use serde::{Deserialize, Serialize};

/// The organization.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrganizationView {
    #[schema(value_type = String)]
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

impl From<svc::OrganizationView> for OrganizationView {
    fn from(v: svc::OrganizationView) -> Self {
        let svc::OrganizationView {
            id,
            name,
            base_currency,
            country,
            state,
            tax_id,
            fiscal_year_start,
            timezone,
            date_format,
            created_at,
            updated_at,
        } = v;
        OrganizationView {
            id,
            name,
            base_currency,
            country,
            state,
            tax_id,
            fiscal_year_start,
            timezone,
            date_format,
            created_at,
            updated_at,
        }
    }
}

/// Settings of a new organization.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
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

impl From<NewOrganization> for svc::NewOrganization {
    fn from(v: NewOrganization) -> Self {
        let NewOrganization {
            name,
            base_currency,
            country,
            state,
            tax_id,
            fiscal_year_start,
            timezone,
            date_format,
        } = v;
        svc::NewOrganization {
            name,
            base_currency,
            country,
            state,
            tax_id,
            fiscal_year_start,
            timezone,
            date_format,
        }
    }
}

/// Changes to an organization's settings; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Acme Books", "timezone": "America/Chicago", "state": "IL"}))]
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

impl From<OrganizationUpdate> for svc::OrganizationUpdate {
    fn from(v: OrganizationUpdate) -> Self {
        let OrganizationUpdate {
            name,
            base_currency,
            country,
            state,
            tax_id,
            fiscal_year_start,
            timezone,
            date_format,
        } = v;
        svc::OrganizationUpdate {
            name,
            base_currency,
            country,
            state,
            tax_id,
            fiscal_year_start,
            timezone,
            date_format,
        }
    }
}
