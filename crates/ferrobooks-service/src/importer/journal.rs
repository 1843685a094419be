//! Journal entries from a spreadsheet (QuickBooks' JournalEntry, Xero's
//! ManualJournal): each posted through the journal's own use case, its
//! number kept as the entry's reference (entries are numbered by the
//! books), its lines' accounts and contacts resolved by name.

use crate::journal::{JournalEntryView, LineInput, NewJournalEntry};
use crate::{AuthContext, Code, Services};

use super::build::JournalDraft;
use super::run::{Item, ItemError, Made, NameKind, SharedNames, line_error, named, names, result};

/// The customer or vendor a journal line names: a name both have is
/// ambiguous, one neither has is not found.
fn line_contact(shared: &SharedNames, name: &str, row: i64) -> Result<String, ItemError> {
    let n = names(shared);
    let bad = |text: String| ItemError {
        row: Some(row),
        text,
        code: Code::ValidationFailed,
    };
    let customer = n.find(NameKind::Customer, name).map_err(bad)?;
    let vendor = n.find(NameKind::Vendor, name).map_err(bad)?;
    match (customer, vendor) {
        (Some(c), None) => Ok(c),
        (None, Some(v)) => Ok(v),
        (Some(_), Some(_)) => Err(bad(format!(
            "'{name}' is both a customer and a vendor: rename one"
        ))),
        (None, None) => Err(bad(format!("Customer or vendor '{name}' not found"))),
    }
}

/// Posts one journal entry in the batch's transaction.
pub(super) async fn make_journal(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    d: &JournalDraft,
    item: &Item,
    shared: &SharedNames,
    dry: bool,
) -> Result<Made, ItemError> {
    if let Some(id) = &item.taken {
        return Err(ItemError {
            row: Some(item.row),
            text: format!("Journal entry #{} already exists ({id})", d.number),
            code: Code::NumberTaken,
        });
    }
    let v = post(s, ctx, conn, d, item, shared).await?;
    Ok(posted("Journal entry", &d.number, &v, item.row, dry))
}

/// Posts `d` (its number kept as the entry's reference), lines' names
/// resolved; a line's refusal is its row's ERROR.
pub(super) async fn post(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    d: &JournalDraft,
    item: &Item,
    shared: &SharedNames,
) -> Result<JournalEntryView, ItemError> {
    let mut lines = Vec::with_capacity(d.lines.len());
    for l in &d.lines {
        let account_id =
            named(shared, NameKind::Account, Some(&l.account), l.row)?.unwrap_or_default();
        let contact_id = l
            .contact
            .as_deref()
            .map(|c| line_contact(shared, c, l.row))
            .transpose()?;
        lines.push(LineInput {
            account_id,
            debit: l.debit.clone().map(crate::amount::DecimalText),
            credit: l.credit.clone().map(crate::amount::DecimalText),
            description: l.description.clone(),
            contact_id,
            currency_amount: None,
        });
    }
    let input = NewJournalEntry {
        date: d.date.map(|x| x.to_string()).unwrap_or_default(),
        memo: d.memo.clone(),
        reference: (!d.number.is_empty()).then(|| d.number.clone()),
        currency: None,
        post: true,
        lines,
    };
    let line_rows: Vec<i64> = d.lines.iter().map(|l| l.row).collect();
    s.create_journal_entry_in(conn, ctx, input)
        .await
        .map_err(|e| line_error(e, &line_rows, item.row))
}

/// The INFO row of a posted entry: "`what` #`number` posted successfully".
pub(super) fn posted(what: &str, number: &str, v: &JournalEntryView, row: i64, dry: bool) -> Made {
    let verb = if dry {
        "would be posted"
    } else {
        "posted successfully"
    };
    let named = if number.is_empty() {
        what.to_owned()
    } else {
        format!("{what} #{number}")
    };
    let mut r = result("INFO", row, format!("{named} {verb}"));
    r.object_kind = Some("journal_entry".into());
    r.object_id = Some(v.id.clone());
    r.object_info = Some(format!(
        "{named} of {}, {} {}",
        v.date,
        v.total.as_str(),
        v.currency
    ));
    Made {
        results: vec![r],
        warnings: false,
    }
}
