//! Customers: create, list, read, change, delete.

use crate::Code;
use ferrobooks_domain::Currency;
use ferrobooks_domain::account::parse_name;
use ferrobooks_domain::org::{parse_state, validate_gstin};
use ferrobooks_store::customers::{self as store, CustomerRow, CustomerWithBalance};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text};

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// Someone to talk to at the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactPerson {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(default)]
    pub is_primary: bool,
}

/// A customer, as a use case answers it (each surface shapes it). `balance` is what the customer
/// owes: the receivable lines naming it, debits minus credits.
#[derive(Debug, Clone, Serialize)]
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

/// A new customer, or (for PUT/PATCH) changes: in an update absent fields
/// stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Default: the organization's base currency.
    pub currency: Option<String>,
    pub tax_id: Option<String>,
    pub place_of_supply: Option<String>,
    /// 0 to 365 days (default 30).
    #[serde(default, deserialize_with = "crate::amount::opt_whole_number")]
    pub payment_terms: Option<i64>,
    /// Indian organizations: a Special Economic Zone customer (IGST always).
    pub sez: Option<bool>,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub contact_persons: Option<Vec<ContactPerson>>,
}

fn json<T: Serialize>(v: &T) -> ServiceResult<String> {
    serde_json::to_string(v).map_err(ServiceError::internal)
}

fn view(c: CustomerWithBalance) -> ServiceResult<CustomerView> {
    let cur = Currency::parse(&c.customer.currency)
        .map_err(|_| ServiceError::internal("stored currency is corrupt"))?;
    let r = c.customer;
    let addr = |t: &Option<String>| t.as_deref().and_then(|t| serde_json::from_str(t).ok());
    Ok(CustomerView {
        balance: Amount::new(c.balance, cur),
        billing_address: addr(&r.billing_address),
        shipping_address: addr(&r.shipping_address),
        contact_persons: serde_json::from_str(&r.contact_persons).unwrap_or_default(),
        id: r.id,
        name: r.name,
        email: r.email,
        phone: r.phone,
        currency: r.currency,
        tax_id: r.tax_id,
        place_of_supply: r.place_of_supply,
        payment_terms: r.payment_terms,
        sez: r.sez == 1,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

fn check_email(field: &str, e: Option<String>) -> ServiceResult<Option<String>> {
    let e = opt_text(field, e, 254)?;
    if let Some(v) = &e {
        let ok = v.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !v.contains(' ')
        });
        if !ok {
            return Err(ServiceError::invalid(
                field,
                format!("'{v}' is not an email address"),
            ));
        }
    }
    Ok(e)
}

/// Applies `input` to `row`, checking every field against the organization.
fn apply(ctx: &AuthContext, row: &mut CustomerRow, input: CustomerInput) -> ServiceResult<()> {
    let india = ctx.org.country == "IN";
    if let Some(n) = input.name {
        row.name = parse_name("name", &n)?;
    }
    if input.email.is_some() {
        row.email = check_email("email", input.email)?;
    }
    if input.phone.is_some() {
        row.phone = opt_text("phone", input.phone, 40)?;
    }
    if let Some(c) = input.currency {
        row.currency = Currency::parse(&c)?.code().to_owned();
    }
    if input.tax_id.is_some() {
        row.tax_id = opt_text("tax_id", input.tax_id, 50)?.map(|t| t.to_ascii_uppercase());
        if let (true, Some(gstin)) = (india, &row.tax_id) {
            validate_gstin(gstin)?;
            if row.place_of_supply.is_none() {
                row.place_of_supply = Some(gstin[..2].to_owned());
            }
        }
    }
    if let Some(p) = input.place_of_supply {
        row.place_of_supply = if india {
            Some(parse_state("IN", &p).map_err(|_| {
                ServiceError::invalid("place_of_supply", format!("'{p}' is not a GST state code"))
            })?)
        } else {
            opt_text("place_of_supply", Some(p), 50)?
        };
    }
    if let Some(z) = input.sez {
        if z && !india {
            return Err(ServiceError::invalid(
                "sez",
                "Special Economic Zones are an Indian GST notion",
            ));
        }
        row.sez = i64::from(z);
    }
    if let Some(t) = input.payment_terms {
        if !(0..=365).contains(&t) {
            return Err(ServiceError::invalid(
                "payment_terms",
                "must be 0 to 365 days",
            ));
        }
        row.payment_terms = t;
    }
    if let Some(a) = input.billing_address {
        row.billing_address = Some(json(&a)?);
    }
    if let Some(a) = input.shipping_address {
        row.shipping_address = Some(json(&a)?);
    }
    if let Some(people) = input.contact_persons {
        for (i, p) in people.iter().enumerate() {
            parse_name(&format!("contact_persons[{i}].name"), &p.name)?;
            check_email(&format!("contact_persons[{i}].email"), p.email.clone())?;
        }
        if people.iter().filter(|p| p.is_primary).count() > 1 {
            return Err(ServiceError::invalid(
                "contact_persons",
                "at most one contact person is primary",
            ));
        }
        row.contact_persons = json(&people)?;
    }
    Ok(())
}

impl Services {
    pub async fn create_customer(
        &self,
        ctx: &AuthContext,
        input: CustomerInput,
    ) -> ServiceResult<CustomerView> {
        if input.name.is_none() {
            return Err(ServiceError::invalid("name", "is required"));
        }
        let at = now();
        let mut row = CustomerRow {
            id: new_id("cus"),
            organization_id: ctx.org_id().to_owned(),
            name: String::new(),
            email: None,
            phone: None,
            currency: ctx.currency()?.code().to_owned(),
            tax_id: None,
            place_of_supply: None,
            payment_terms: 30,
            sez: 0,
            billing_address: None,
            shipping_address: None,
            contact_persons: "[]".into(),
            created_at: at.clone(),
            updated_at: at,
        };
        apply(ctx, &mut row, input)?;
        let v = view(CustomerWithBalance {
            customer: row.clone(),
            balance: 0,
        })?;
        let mut wtx = self.store.begin_write().await?;
        store::insert_customer(&mut *wtx.tx, &row).await?;
        self.emit(&mut wtx.tx, ctx, "customer.created", &v).await?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_customer(&self, ctx: &AuthContext, id: &str) -> ServiceResult<CustomerView> {
        store::get_customer(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("customer"))
            .and_then(view)
    }

    pub async fn list_customers(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        search: Option<&str>,
        updated_since: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<CustomerView>> {
        let since = crate::parse_since("updated_since", updated_since)?;
        let rows = store::list_customers(
            self.store.pool(),
            ctx.org_id(),
            after.unwrap_or(""),
            search.unwrap_or(""),
            since.as_deref().unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.customer.id);
        Ok(Page {
            items: page.items.into_iter().map(view).collect::<Result<_, _>>()?,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    pub async fn update_customer(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: CustomerInput,
    ) -> ServiceResult<CustomerView> {
        let mut wtx = self.store.begin_write().await?;
        let current = store::get_customer(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("customer"))?;
        let mut row = current.customer;
        if input
            .currency
            .as_ref()
            .is_some_and(|c| !c.eq_ignore_ascii_case(&row.currency))
            && store::customer_has_lines(&mut *wtx.tx, ctx.org_id(), id).await?
        {
            return Err(ServiceError::new(
                Code::HasTransactions,
                "the currency of a customer with transactions cannot change",
            ));
        }
        apply(ctx, &mut row, input)?;
        row.updated_at = now();
        store::update_customer(&mut *wtx.tx, &row).await?;
        let v = view(CustomerWithBalance {
            customer: row,
            balance: current.balance,
        })?;
        self.emit(&mut wtx.tx, ctx, "customer.updated", &v).await?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Deletes a customer that no journal line names; one with transactions
    /// is refused (409).
    pub async fn delete_customer(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        // Locked first: a document being made for the customer holds a
        // shared lock, so the checks below see it once it commits.
        store::lock_customer(&mut wtx.tx, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("customer"))?;
        let current = store::get_customer(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("customer"))?;
        if store::customer_has_lines(&mut *wtx.tx, ctx.org_id(), id).await?
            || ferrobooks_store::sales::customer_has_documents(&mut *wtx.tx, ctx.org_id(), id)
                .await?
        {
            return Err(ServiceError::new(
                Code::HasTransactions,
                format!(
                    "customer {} has documents or transactions and cannot be deleted",
                    current.customer.name
                ),
            ));
        }
        store::soft_delete_customer(&mut *wtx.tx, ctx.org_id(), id).await?;
        let v = view(current)?;
        self.emit(&mut wtx.tx, ctx, "customer.deleted", &v).await?;
        wtx.commit().await?;
        Ok(())
    }
}
