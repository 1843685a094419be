//! Contacts: customers and vendors, one set of use cases told apart by
//! [`Party`]. Create, list, read, change, delete; a vendor of a US
//! organization may be tracked for 1099 reporting, with its TIN.

use crate::Code;
use ferrobooks_domain::Currency;
use ferrobooks_domain::account::parse_name;
use ferrobooks_domain::org::{parse_state, validate_gstin};
use ferrobooks_store::contacts::{self as store, ContactFilter, ContactRow, ContactWithBalance};

pub use ferrobooks_store::contacts::Party;
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

/// A customer or vendor, as a use case answers it (each surface shapes
/// it). `balance` is what a customer owes (the receivable lines naming
/// it, debits minus credits) or what is owed to a vendor (the payable
/// lines, credits minus debits). Its JSON (webhook `data` in payload
/// version one) is the party's own: a vendor's `place_of_supply` is
/// written `source_of_supply` and only a vendor has `track_1099`.
#[derive(Debug, Clone)]
pub struct ContactView {
    pub party: Party,
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
    /// A US vendor whose payments are reported on a 1099 (always false
    /// for customers).
    pub track_1099: bool,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub contact_persons: Vec<ContactPerson>,
    pub balance: Amount,
    pub created_at: String,
    pub updated_at: String,
}

impl Serialize for ContactView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let vendor = self.party == Party::Vendor;
        let mut m = s.serialize_struct("ContactView", if vendor { 16 } else { 15 })?;
        m.serialize_field("id", &self.id)?;
        m.serialize_field("name", &self.name)?;
        m.serialize_field("email", &self.email)?;
        m.serialize_field("phone", &self.phone)?;
        m.serialize_field("currency", &self.currency)?;
        m.serialize_field("tax_id", &self.tax_id)?;
        let supply = if vendor {
            "source_of_supply"
        } else {
            "place_of_supply"
        };
        m.serialize_field(supply, &self.place_of_supply)?;
        m.serialize_field("payment_terms", &self.payment_terms)?;
        m.serialize_field("sez", &self.sez)?;
        if vendor {
            m.serialize_field("track_1099", &self.track_1099)?;
        }
        m.serialize_field("billing_address", &self.billing_address)?;
        m.serialize_field("shipping_address", &self.shipping_address)?;
        m.serialize_field("contact_persons", &self.contact_persons)?;
        m.serialize_field("balance", &self.balance)?;
        m.serialize_field("created_at", &self.created_at)?;
        m.serialize_field("updated_at", &self.updated_at)?;
        m.end()
    }
}

/// A new contact, or (for PUT/PATCH) changes: in an update absent fields
/// stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
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
    /// US organizations' vendors: report payments on a 1099.
    #[serde(default)]
    pub track_1099: Option<bool>,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    pub contact_persons: Option<Vec<ContactPerson>>,
}

fn json<T: Serialize>(v: &T) -> ServiceResult<String> {
    serde_json::to_string(v).map_err(ServiceError::internal)
}

fn view(party: Party, c: ContactWithBalance) -> ServiceResult<ContactView> {
    let cur = Currency::parse(&c.contact.currency)
        .map_err(|_| ServiceError::internal("stored currency is corrupt"))?;
    let r = c.contact;
    let addr = |t: &Option<String>| t.as_deref().and_then(|t| serde_json::from_str(t).ok());
    Ok(ContactView {
        party,
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
        track_1099: r.track_1099 == 1,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

pub(crate) fn check_email(field: &str, e: Option<String>) -> ServiceResult<Option<String>> {
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

/// A US taxpayer identification number: an EIN (`12-3456789`) or an SSN
/// or ITIN (`123-45-6789`), or nine digits; kept as written.
fn check_us_tin(tin: &str) -> ServiceResult<()> {
    let digits: String = tin.chars().filter(char::is_ascii_digit).collect();
    let shape_ok = tin.chars().all(|c| c.is_ascii_digit() || c == '-')
        && match tin.len() {
            9 => true,
            10 => tin.find('-') == Some(2),
            11 => tin.find('-') == Some(3) && tin.rfind('-') == Some(6),
            _ => false,
        };
    if digits.len() != 9 || !shape_ok {
        return Err(ServiceError::invalid(
            "tax_id",
            format!("'{tin}' is not a US TIN (an EIN 12-3456789 or an SSN 123-45-6789)"),
        ));
    }
    Ok(())
}

/// Applies `input` to `row`, checking every field against the organization.
fn apply(
    ctx: &AuthContext,
    party: Party,
    row: &mut ContactRow,
    input: ContactInput,
) -> ServiceResult<()> {
    let india = ctx.org.country == "IN";
    let us = ctx.org.country == "US";
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
        if let (true, Party::Vendor, Some(tin)) = (us, party, &row.tax_id) {
            check_us_tin(tin)?;
        }
    }
    if let Some(t) = input.track_1099 {
        if party != Party::Vendor {
            return Err(ServiceError::invalid(
                "track_1099",
                "only vendors are reported on a 1099",
            ));
        }
        if t && !us {
            return Err(ServiceError::invalid(
                "track_1099",
                "1099 reporting is for US organizations",
            ));
        }
        row.track_1099 = i64::from(t);
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

/// Filters of a contact list.
#[derive(Debug, Clone, Default)]
pub struct ContactQuery {
    pub after: Option<String>,
    pub search: Option<String>,
    pub updated_since: Option<String>,
    pub limit: i64,
}

fn id_prefix(party: Party) -> &'static str {
    match party {
        Party::Customer => "cus",
        Party::Vendor => "ven",
    }
}

/// `customer.created` and the like.
fn event(party: Party, action: &str) -> &'static str {
    let name = format!("{}.{action}", party.noun());
    crate::webhooks::events::EVENTS
        .iter()
        .find(|e| **e == name)
        .copied()
        .unwrap_or("test")
}

impl Services {
    pub async fn create_contact(
        &self,
        ctx: &AuthContext,
        party: Party,
        input: ContactInput,
    ) -> ServiceResult<ContactView> {
        let mut wtx = self.store.begin_write().await?;
        let v = self
            .create_contact_in(&mut wtx.tx, ctx, party, input)
            .await?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Makes a contact in the caller's transaction, with its event.
    pub(crate) async fn create_contact_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        party: Party,
        input: ContactInput,
    ) -> ServiceResult<ContactView> {
        if input.name.is_none() {
            return Err(ServiceError::invalid("name", "is required"));
        }
        let at = now();
        let mut row = ContactRow {
            id: new_id(id_prefix(party)),
            organization_id: ctx.org_id().to_owned(),
            name: String::new(),
            email: None,
            phone: None,
            currency: ctx.currency()?.code().to_owned(),
            tax_id: None,
            place_of_supply: None,
            payment_terms: 30,
            sez: 0,
            track_1099: 0,
            billing_address: None,
            shipping_address: None,
            contact_persons: "[]".into(),
            created_at: at.clone(),
            updated_at: at,
        };
        apply(ctx, party, &mut row, input)?;
        let v = view(
            party,
            ContactWithBalance {
                contact: row.clone(),
                balance: 0,
            },
        )?;
        store::insert_contact(&mut *conn, party, &row).await?;
        self.emit(conn, ctx, event(party, "created"), &v).await?;
        Ok(v)
    }

    pub async fn get_contact(
        &self,
        ctx: &AuthContext,
        party: Party,
        id: &str,
    ) -> ServiceResult<ContactView> {
        store::get_contact(self.store.pool(), party, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found(party.noun()))
            .and_then(|c| view(party, c))
    }

    pub async fn list_contacts(
        &self,
        ctx: &AuthContext,
        party: Party,
        q: &ContactQuery,
    ) -> ServiceResult<Page<ContactView>> {
        let since = crate::parse_since("updated_since", q.updated_since.as_deref())?;
        let rows = store::list_contacts(
            self.store.pool(),
            party,
            ctx.org_id(),
            ContactFilter {
                after: q.after.as_deref().unwrap_or(""),
                search: q.search.as_deref().unwrap_or(""),
                updated_since: since.as_deref().unwrap_or(""),
                limit: q.limit + 1,
            },
        )
        .await?;
        let page = paginate(rows, q.limit, |r| &r.contact.id);
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|c| view(party, c))
                .collect::<Result<_, _>>()?,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    pub async fn update_contact(
        &self,
        ctx: &AuthContext,
        party: Party,
        id: &str,
        input: ContactInput,
    ) -> ServiceResult<ContactView> {
        let mut wtx = self.store.begin_write().await?;
        let v = self
            .update_contact_in(&mut wtx.tx, ctx, party, id, input)
            .await?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Changes a contact in the caller's transaction, with its event.
    pub(crate) async fn update_contact_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        party: Party,
        id: &str,
        input: ContactInput,
    ) -> ServiceResult<ContactView> {
        let current = store::get_contact(&mut *conn, party, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found(party.noun()))?;
        let mut row = current.contact;
        if input
            .currency
            .as_ref()
            .is_some_and(|c| !c.eq_ignore_ascii_case(&row.currency))
            && store::contact_has_lines(&mut *conn, ctx.org_id(), id).await?
        {
            return Err(ServiceError::new(
                Code::HasTransactions,
                format!(
                    "the currency of a {} with transactions cannot change",
                    party.noun()
                ),
            ));
        }
        apply(ctx, party, &mut row, input)?;
        row.updated_at = now();
        store::update_contact(&mut *conn, party, &row).await?;
        let v = view(
            party,
            ContactWithBalance {
                contact: row,
                balance: current.balance,
            },
        )?;
        self.emit(conn, ctx, event(party, "updated"), &v).await?;
        Ok(v)
    }

    /// Deletes a contact that no journal line or document names; one with
    /// transactions is refused (409).
    pub async fn delete_contact(
        &self,
        ctx: &AuthContext,
        party: Party,
        id: &str,
    ) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        self.delete_contact_in(&mut wtx.tx, ctx, party, id).await?;
        wtx.commit().await?;
        Ok(())
    }

    /// Deletes a contact in the caller's transaction, with its event.
    pub(crate) async fn delete_contact_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        party: Party,
        id: &str,
    ) -> ServiceResult<()> {
        // Locked first: a document being made for the contact holds a
        // shared lock, so the checks below see it once it commits.
        store::lock_contact(&mut *conn, party, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found(party.noun()))?;
        let current = store::get_contact(&mut *conn, party, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found(party.noun()))?;
        let has_documents = match party {
            Party::Customer => {
                ferrobooks_store::documents::customer_has_documents(&mut *conn, ctx.org_id(), id)
                    .await?
            }
            Party::Vendor => false,
        };
        if has_documents || store::contact_has_lines(&mut *conn, ctx.org_id(), id).await? {
            return Err(ServiceError::new(
                Code::HasTransactions,
                format!(
                    "{} {} has documents or transactions and cannot be deleted",
                    party.noun(),
                    current.contact.name
                ),
            ));
        }
        store::soft_delete_contact(&mut *conn, party, ctx.org_id(), id).await?;
        let v = view(party, current)?;
        self.emit(conn, ctx, event(party, "deleted"), &v).await?;
        Ok(())
    }
}
