//! Documents from a spreadsheet (invoices, bills, receipts, checks...):
//! names resolved (contacts and items made when the company allows), the
//! number kept or the next of its series given, each made and posted
//! through the documents' own use case in the import's batch.

use ferrobooks_store::contacts::Party;
use ferrobooks_store::imports::{self as store, ResultRow, SettingsRow};

use super::build::{self, DocDraft};
use super::run::{Item, ItemError, Made, NameKind, SharedNames, line_error, named, names, result};
use crate::contacts::ContactInput;
use crate::documents::DocKind;
use crate::documents::model::{DocLineInput, DocumentInput};
use crate::documents::posting::capitalized;
use crate::{AuthContext, Code, ServiceError, Services};

/// Resolves `name` of `kind`, making it when allowed: its id and, when
/// made, a warning row.
#[expect(clippy::too_many_arguments, reason = "the batch's shared state")]
pub(super) async fn resolve(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    kind: NameKind,
    name: &str,
    row: i64,
    shared: &SharedNames,
    create: bool,
    currency: Option<&str>,
    added: &mut Vec<(NameKind, String, String)>,
    warnings: &mut Vec<ResultRow>,
) -> Result<String, ItemError> {
    let found = names(shared).find(kind, name).map_err(|t| ItemError {
        row: Some(row),
        text: t,
        code: Code::ValidationFailed,
    })?;
    if let Some(id) = found {
        return Ok(id);
    }
    let missing = || ItemError {
        row: Some(row),
        text: format!("{} '{name}' not found", kind.noun()),
        code: Code::ValidationFailed,
    };
    if !create {
        return Err(missing());
    }
    let fail = |e: ServiceError| ItemError {
        row: Some(row),
        text: format!(
            "{} '{name}' could not be created: {}",
            kind.noun(),
            e.message
        ),
        code: e.code,
    };
    let (id, object) = match kind {
        NameKind::Customer | NameKind::Vendor => {
            let party = if kind == NameKind::Customer {
                Party::Customer
            } else {
                Party::Vendor
            };
            let v = s
                .create_contact_in(
                    conn,
                    ctx,
                    party,
                    ContactInput {
                        name: Some(name.trim().to_owned()),
                        currency: currency.map(str::to_owned),
                        ..ContactInput::default()
                    },
                )
                .await
                .map_err(fail)?;
            (v.id, party.noun())
        }
        NameKind::Product => {
            let v = s
                .create_product_in(
                    conn,
                    ctx,
                    crate::products::ProductInput {
                        name: Some(name.trim().to_owned()),
                        product_type: Some("service".into()),
                        ..Default::default()
                    },
                )
                .await
                .map_err(fail)?;
            (v.id, "product")
        }
        NameKind::Tax | NameKind::Account => return Err(missing()),
    };
    names(shared).add(kind, name, &id);
    added.push((kind, name.to_owned(), id.clone()));
    let mut w = result(
        "WARNING",
        row,
        format!("{} '{name}' was not found and was created", kind.noun()),
    );
    w.object_kind = Some(object.to_owned());
    w.object_id = Some(id.clone());
    w.object_info = Some(format!("{} {name}", kind.noun()));
    warnings.push(w);
    Ok(id)
}

#[expect(clippy::too_many_arguments, reason = "the batch's shared state")]
pub(super) async fn make_document(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    kind: DocKind,
    d: &DocDraft,
    item: &Item,
    shared: &SharedNames,
    settings: &SettingsRow,
    dry: bool,
    added: &mut Vec<(NameKind, String, String)>,
) -> Result<Made, ItemError> {
    let noun = capitalized(kind.noun());
    let mut warnings: Vec<ResultRow> = Vec::new();
    let party = kind.party();
    // A check or card charge may pay nobody in particular.
    let contact_id = if d.party.trim().is_empty() && kind.contact_optional() {
        None
    } else {
        Some(
            resolve(
                s,
                ctx,
                conn,
                NameKind::of(party),
                &d.party,
                item.row,
                shared,
                settings.create_missing_contacts == 1,
                d.currency.as_deref(),
                added,
                &mut warnings,
            )
            .await?,
        )
    };
    let mut lines = Vec::with_capacity(d.lines.len());
    for l in &d.lines {
        let bad = |t: String| ItemError {
            row: Some(l.row),
            text: t,
            code: Code::ValidationFailed,
        };
        let product_id = match &l.item {
            Some(name) => Some(
                resolve(
                    s,
                    ctx,
                    conn,
                    NameKind::Product,
                    name,
                    l.row,
                    shared,
                    settings.create_missing_items == 1,
                    None,
                    added,
                    &mut warnings,
                )
                .await?,
            ),
            None => None,
        };
        let account_id = named(shared, NameKind::Account, l.account.as_deref(), l.row)?;
        let tax_id = named(shared, NameKind::Tax, l.tax.as_deref(), l.row)?;
        if product_id.is_none() && account_id.is_none() {
            return Err(bad("the line names no item and no account".into()));
        }
        let (qty, price) = build::price_of(l).map_err(&bad)?;
        lines.push(DocLineInput {
            product_id,
            description: l.description.clone(),
            quantity: Some(crate::amount::DecimalText(qty.normalize().to_string())),
            unit_price: Some(crate::amount::DecimalText(price)),
            discount: l.discount.clone().map(crate::amount::DecimalText),
            account_id,
            tax_id,
            ..DocLineInput::default()
        });
    }
    let mut number = None;
    // The document this row corrects, when its number exists and the
    // company updates existing documents.
    let mut update = None;
    let mut reference = d.private_note.clone();
    if settings.send_doc_number == 1 {
        match (&d.number, &item.taken) {
            (Some(_), Some(id)) if settings.update_existing == 1 => update = Some(id.clone()),
            (Some(n), Some(id)) if settings.increment_doc_number == 1 => {
                warnings.push(result(
                    "WARNING",
                    item.row,
                    format!("{noun} #{n} exists ({id}): given the next number of its series"),
                ));
                reference = reference.or_else(|| Some(n.clone()));
            }
            (Some(n), Some(id)) => {
                return Err(ItemError {
                    row: Some(item.row),
                    text: format!("{noun} #{n} already exists ({id})"),
                    code: Code::NumberTaken,
                });
            }
            (n, _) => number = n.clone(),
        }
    } else {
        reference = reference.or_else(|| d.number.clone());
    }
    let credited_id = match &d.credited {
        Some(n) => {
            let of = DocKind::settled_on(kind.side());
            let found = store::documents_numbered(
                conn,
                ctx.org_id(),
                of.doc_type(),
                std::slice::from_ref(n),
            )
            .await?;
            Some(
                found
                    .into_iter()
                    .next()
                    .map(|(_, id, _)| id)
                    .ok_or_else(|| ItemError {
                        row: Some(item.row),
                        text: format!("{} #{n} (credited) not found", capitalized(of.noun())),
                        code: Code::ValidationFailed,
                    })?,
            )
        }
        None => None,
    };
    let deposit_account_id = named(
        shared,
        NameKind::Account,
        d.money_account.as_deref(),
        item.row,
    )?;
    let approve = !ferrobooks_domain::document::status::allowed_from(
        kind.kind(),
        ferrobooks_domain::document::status::Action::Approve,
    )
    .is_empty();
    let input = DocumentInput {
        contact_id,
        date: d.date.map(|x| x.to_string()),
        due_date: d.due_date.map(|x| x.to_string()),
        expiry_date: d.expiry_date.map(|x| x.to_string()),
        currency: d.currency.clone(),
        exchange_rate: d.exchange_rate.clone().map(crate::amount::DecimalText),
        reference,
        notes: d.memo.clone(),
        credited_id,
        deposit_account_id,
        money_fields: if d.money_account.is_some() {
            vec![kind.money_field()]
        } else {
            Vec::new()
        },
        lines: Some(lines),
        approve: approve.then_some(true),
        number,
        ..DocumentInput::default()
    };
    let line_rows: Vec<i64> = d.lines.iter().map(|l| l.row).collect();
    let v = match &update {
        Some(id) => {
            let input = DocumentInput {
                approve: None,
                number: None,
                ..input
            };
            s.revise_document_in(conn, ctx, kind, id, input).await
        }
        None => s.new_document_in(conn, ctx, kind, input).await,
    }
    .map_err(|e| line_error(e, &line_rows, item.row))?;
    let number = v.number.clone().unwrap_or_else(|| "(draft)".into());
    let verb = match (dry, update.is_some()) {
        (true, false) => "would be created",
        (false, false) => "created successfully",
        (true, true) => "would be updated",
        (false, true) => "updated successfully",
    };
    let mut r = result("INFO", item.row, format!("{noun} #{number} {verb}"));
    r.is_updated = i64::from(update.is_some());
    r.object_kind = Some(kind.doc_type().to_owned());
    r.object_id = Some(v.id.clone());
    let party = match d.party.trim() {
        "" => String::new(),
        p => format!(" for {p}"),
    };
    r.object_info = Some(format!(
        "{noun} #{number}{party}, {} {}",
        v.total.as_str(),
        v.currency
    ));
    let warned = !warnings.is_empty();
    let mut results = vec![r];
    results.extend(warnings);
    Ok(Made {
        results,
        warnings: warned,
    })
}
