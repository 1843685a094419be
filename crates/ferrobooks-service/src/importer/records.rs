//! Entities without lines: customers and vendors (updated when the
//! company's settings say so) and products (never updated).

use ferrobooks_store::contacts::Party;
use ferrobooks_store::imports::SettingsRow;

use super::build::{ContactDraft, ItemDraft};
use super::run::{Item, ItemError, Made, NameKind, SharedNames, named, names, result};
use crate::contacts::{Address, ContactInput};
use crate::{AuthContext, Code, ServiceError, Services};

#[expect(clippy::too_many_arguments, reason = "the batch's shared state")]
pub(super) async fn make_contact(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    party: Party,
    c: &ContactDraft,
    item: &Item,
    shared: &SharedNames,
    settings: &SettingsRow,
    dry: bool,
    added: &mut Vec<(NameKind, String, String)>,
) -> Result<Made, ItemError> {
    let kind = NameKind::of(party);
    let noun = kind.noun();
    let existing = names(shared).find(kind, &c.name).map_err(|t| ItemError {
        row: Some(item.row),
        text: t,
        code: Code::ValidationFailed,
    })?;
    let address = [
        &c.line1,
        &c.line2,
        &c.city,
        &c.state,
        &c.postal_code,
        &c.country,
    ]
    .iter()
    .any(|x| x.is_some())
    .then(|| Address {
        line1: c.line1.clone(),
        line2: c.line2.clone(),
        city: c.city.clone(),
        state: c.state.clone(),
        postal_code: c.postal_code.clone(),
        country: c.country.clone().map(|x| x.to_ascii_uppercase()),
    });
    let input = ContactInput {
        name: Some(c.name.clone()),
        email: c.email.clone(),
        phone: c.phone.clone(),
        currency: c.currency.clone(),
        tax_id: c.tax_id.clone(),
        payment_terms: c.payment_terms,
        billing_address: address,
        ..ContactInput::default()
    };
    let fail = |e: ServiceError| ItemError {
        row: Some(item.row),
        text: format!("{noun} '{}': {}", c.name, e.message),
        code: e.code,
    };
    let verb = if dry { "would be" } else { "was" };
    let (v, updated) = match existing {
        Some(id) if settings.update_existing == 1 => (
            s.update_contact_in(conn, ctx, party, &id, input)
                .await
                .map_err(fail)?,
            true,
        ),
        Some(id) => {
            return Err(ItemError {
                row: Some(item.row),
                text: format!("{noun} '{}' already exists ({id})", c.name),
                code: Code::ValidationFailed,
            });
        }
        None => {
            let v = s
                .create_contact_in(conn, ctx, party, input)
                .await
                .map_err(fail)?;
            names(shared).add(kind, &v.name, &v.id);
            added.push((kind, v.name.clone(), v.id.clone()));
            (v, false)
        }
    };
    let mut r = result(
        "INFO",
        item.row,
        format!(
            "{noun} {} {verb} {}",
            v.name,
            if updated { "updated" } else { "created" }
        ),
    );
    r.object_kind = Some(party.noun().to_owned());
    r.object_id = Some(v.id.clone());
    r.object_info = Some(format!("{noun} {}", v.name));
    r.is_updated = i64::from(updated);
    Ok(Made {
        results: vec![r],
        warnings: false,
    })
}

/// Makes a product or service (an existing name is an ERROR: items are
/// not updated by an import).
#[expect(clippy::too_many_arguments, reason = "the batch's shared state")]
pub(super) async fn make_item(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    d: &ItemDraft,
    item: &Item,
    shared: &SharedNames,
    dry: bool,
    added: &mut Vec<(NameKind, String, String)>,
) -> Result<Made, ItemError> {
    let bad = |text: String| ItemError {
        row: Some(item.row),
        text,
        code: Code::ValidationFailed,
    };
    if let Some(id) = names(shared)
        .find(NameKind::Product, &d.name)
        .map_err(&bad)?
    {
        return Err(bad(format!("Item '{}' already exists ({id})", d.name)));
    }
    let product_type = match d
        .item_type
        .as_deref()
        .map(|t| t.trim().to_ascii_lowercase())
    {
        None => None,
        Some(t) if t == "service" => Some("service".to_owned()),
        Some(t)
            if [
                "inventory",
                "goods",
                "noninventory",
                "non-inventory",
                "non inventory",
            ]
            .contains(&t.as_str()) =>
        {
            Some("goods".to_owned())
        }
        Some(t) => {
            return Err(bad(format!(
                "Type '{t}' is not an item type (Service, Inventory or NonInventory)"
            )));
        }
    };
    let income_account_id = named(
        shared,
        NameKind::Account,
        d.income_account.as_deref(),
        item.row,
    )?;
    let tax_id = named(shared, NameKind::Tax, d.tax.as_deref(), item.row)?;
    let v = s
        .create_product_in(
            conn,
            ctx,
            crate::products::ProductInput {
                name: Some(d.name.clone()),
                sku: d.sku.clone(),
                product_type,
                price: d.price.clone().map(crate::amount::DecimalText),
                description: d.description.clone(),
                tax_id,
                income_account_id,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| ItemError {
            row: Some(item.row),
            text: format!("Item '{}': {}", d.name, e.message),
            code: e.code,
        })?;
    names(shared).add(NameKind::Product, &v.name, &v.id);
    added.push((NameKind::Product, v.name.clone(), v.id.clone()));
    let what = format!("Item {}", v.name);
    Ok(created(
        item.row,
        &what,
        "product",
        &v.id,
        what.clone(),
        dry,
    ))
}

/// What making one entity without lines did: its INFO row, "`what` was
/// created" (or, in a dry run, would be), pointing at `id` of
/// `object_kind`.
pub(super) fn created(
    row: i64,
    what: &str,
    object_kind: &str,
    id: &str,
    info: String,
    dry: bool,
) -> Made {
    let verb = if dry {
        "would be created"
    } else {
        "was created"
    };
    let mut r = result("INFO", row, format!("{what} {verb}"));
    r.object_kind = Some(object_kind.into());
    r.object_id = Some(id.to_owned());
    r.object_info = Some(info);
    Made {
        results: vec![r],
        warnings: false,
    }
}
