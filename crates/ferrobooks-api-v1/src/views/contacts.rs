//! The native API's customer and vendor shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use crate::views::money::Amount;
use ferrobooks_service::contacts as svc;
use serde::{Deserialize, Serialize};

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
}

impl From<svc::Address> for Address {
    fn from(v: svc::Address) -> Self {
        let svc::Address {
            line1,
            line2,
            city,
            state,
            postal_code,
            country,
        } = v;
        Address {
            line1,
            line2,
            city,
            state,
            postal_code,
            country,
        }
    }
}

impl From<Address> for svc::Address {
    fn from(v: Address) -> Self {
        let Address {
            line1,
            line2,
            city,
            state,
            postal_code,
            country,
        } = v;
        svc::Address {
            line1,
            line2,
            city,
            state,
            postal_code,
            country,
        }
    }
}

/// Someone to talk to at the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactPerson {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(default)]
    pub is_primary: bool,
}

impl From<svc::ContactPerson> for ContactPerson {
    fn from(v: svc::ContactPerson) -> Self {
        let svc::ContactPerson {
            name,
            email,
            phone,
            is_primary,
        } = v;
        ContactPerson {
            name,
            email,
            phone,
            is_primary,
        }
    }
}

impl From<ContactPerson> for svc::ContactPerson {
    fn from(v: ContactPerson) -> Self {
        let ContactPerson {
            name,
            email,
            phone,
            is_primary,
        } = v;
        svc::ContactPerson {
            name,
            email,
            phone,
            is_primary,
        }
    }
}

/// A customer. `balance` is what the customer owes: the receivable lines
/// naming it, debits minus credits.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CustomerView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub currency: String,
    /// For Indian organizations, a GSTIN (checked, with its check character).
    pub tax_id: Option<String>,
    /// For Indian organizations, the GST state code of the place of supply.
    pub place_of_supply: Option<String>,
    /// Days from invoice date to due date.
    pub payment_terms: i64,
    /// Indian GST: the customer is in a Special Economic Zone, so its
    /// invoices carry IGST whatever the place of supply.
    pub sez: bool,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub contact_persons: Vec<ContactPerson>,
    pub balance: Amount,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::ContactView> for CustomerView {
    fn from(v: svc::ContactView) -> Self {
        let svc::ContactView {
            party: _,
            id,
            name,
            email,
            phone,
            currency,
            tax_id,
            place_of_supply,
            payment_terms,
            sez,
            track_1099: _,
            billing_address,
            shipping_address,
            contact_persons,
            balance,
            created_at,
            updated_at,
        } = v;
        CustomerView {
            id,
            name,
            email,
            phone,
            currency,
            tax_id,
            place_of_supply,
            payment_terms,
            sez,
            billing_address: billing_address.map(Into::into),
            shipping_address: shipping_address.map(Into::into),
            contact_persons: contact_persons.into_iter().map(Into::into).collect(),
            balance: balance.into(),
            created_at,
            updated_at,
        }
    }
}

/// A new customer, or (for PUT/PATCH) changes: in an update absent fields
/// stay as they are.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Acme Ltd", "email": "ap@acme.example", "currency": "USD", "payment_terms": 30, "billing_address": {"line1": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701", "country": "US"}}))]
pub struct CustomerInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Default: the organization's base currency.
    pub currency: Option<String>,
    pub tax_id: Option<String>,
    pub place_of_supply: Option<String>,
    /// 0 to 365 days (default 30).
    #[serde(
        default,
        deserialize_with = "ferrobooks_service::amount::opt_whole_number"
    )]
    #[schema(minimum = 0, maximum = 365)]
    pub payment_terms: Option<i64>,
    /// Indian organizations: a Special Economic Zone customer (IGST always).
    pub sez: Option<bool>,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub contact_persons: Option<Vec<ContactPerson>>,
}

impl From<CustomerInput> for svc::ContactInput {
    fn from(v: CustomerInput) -> Self {
        let CustomerInput {
            name,
            email,
            phone,
            currency,
            tax_id,
            place_of_supply,
            payment_terms,
            sez,
            billing_address,
            shipping_address,
            contact_persons,
        } = v;
        svc::ContactInput {
            name,
            email,
            phone,
            currency,
            tax_id,
            place_of_supply,
            payment_terms,
            sez,
            track_1099: None,
            billing_address: billing_address.map(Into::into),
            shipping_address: shipping_address.map(Into::into),
            contact_persons: contact_persons.map(|v| v.into_iter().map(Into::into).collect()),
        }
    }
}

/// The service's field names a vendor's errors name, as the native API
/// spells them.
pub const VENDOR_FIELDS: &[(&str, &str)] = &[("place_of_supply", "source_of_supply")];

/// A vendor. `balance` is what the organization owes it: the payable
/// lines naming it, credits minus debits.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VendorView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The currency its bills are in by default.
    pub currency: String,
    /// For Indian organizations a GSTIN; for US organizations its TIN (an
    /// EIN or SSN).
    pub tax_id: Option<String>,
    /// For Indian organizations, the GST state code the vendor supplies
    /// from (the GSTIN's state by default): it decides IGST against CGST
    /// and SGST on its bills.
    pub source_of_supply: Option<String>,
    /// Days from bill date to due date.
    pub payment_terms: i64,
    /// Indian GST: the vendor is in a Special Economic Zone.
    pub sez: bool,
    /// US organizations: payments to it are reported on a 1099.
    pub track_1099: bool,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub contact_persons: Vec<ContactPerson>,
    pub balance: Amount,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::ContactView> for VendorView {
    fn from(v: svc::ContactView) -> Self {
        let svc::ContactView {
            party: _,
            id,
            name,
            email,
            phone,
            currency,
            tax_id,
            place_of_supply,
            payment_terms,
            sez,
            track_1099,
            billing_address,
            shipping_address,
            contact_persons,
            balance,
            created_at,
            updated_at,
        } = v;
        VendorView {
            id,
            name,
            email,
            phone,
            currency,
            tax_id,
            source_of_supply: place_of_supply,
            payment_terms,
            sez,
            track_1099,
            billing_address: billing_address.map(Into::into),
            shipping_address: shipping_address.map(Into::into),
            contact_persons: contact_persons.into_iter().map(Into::into).collect(),
            balance: balance.into(),
            created_at,
            updated_at,
        }
    }
}

/// A new vendor, or (for PUT/PATCH) changes: in an update absent fields
/// stay as they are.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Paper Supply Co", "email": "billing@paper.example", "payment_terms": 30, "tax_id": "12-3456789", "track_1099": true}))]
pub struct VendorInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Default: the organization's base currency.
    pub currency: Option<String>,
    /// A GSTIN for Indian organizations, a TIN (EIN 12-3456789 or SSN
    /// 123-45-6789) for US ones.
    pub tax_id: Option<String>,
    /// Indian organizations: a GST state code.
    pub source_of_supply: Option<String>,
    /// 0 to 365 days (default 30).
    #[serde(
        default,
        deserialize_with = "ferrobooks_service::amount::opt_whole_number"
    )]
    #[schema(minimum = 0, maximum = 365)]
    pub payment_terms: Option<i64>,
    /// Indian organizations: a Special Economic Zone vendor.
    pub sez: Option<bool>,
    /// US organizations only.
    pub track_1099: Option<bool>,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub contact_persons: Option<Vec<ContactPerson>>,
}

impl From<VendorInput> for svc::ContactInput {
    fn from(v: VendorInput) -> Self {
        let VendorInput {
            name,
            email,
            phone,
            currency,
            tax_id,
            source_of_supply,
            payment_terms,
            sez,
            track_1099,
            billing_address,
            shipping_address,
            contact_persons,
        } = v;
        svc::ContactInput {
            name,
            email,
            phone,
            currency,
            tax_id,
            place_of_supply: source_of_supply,
            payment_terms,
            sez,
            track_1099,
            billing_address: billing_address.map(Into::into),
            shipping_address: shipping_address.map(Into::into),
            contact_persons: contact_persons.map(|v| v.into_iter().map(Into::into).collect()),
        }
    }
}
