//! Accounts of the chart from a spreadsheet (QuickBooks' and Xero's
//! account lists): each made through the chart's own use case, its type
//! read as either names it, its parent by name or code from the books or
//! an earlier row.

use ferrobooks_domain::import::values;

use super::build::AccountDraft;
use super::records::created;
use super::run::{Item, ItemError, Made, NameKind, SharedNames, named, names};
use crate::accounts::NewAccount;
use crate::{AuthContext, Code, Services};

#[expect(clippy::too_many_arguments, reason = "the batch's shared state")]
pub(super) async fn make_account(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    d: &AccountDraft,
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
    for given in [&d.name, &d.code] {
        if let Some(id) = names(shared).find(NameKind::Account, given).map_err(&bad)? {
            return Err(ItemError {
                code: Code::DuplicateCode,
                ..bad(format!("Account '{given}' already exists ({id})"))
            });
        }
    }
    let (t, implied) = values::account_type(&d.account_type).ok_or_else(|| {
        bad(format!(
            "AccountType '{}' is not an account type (Bank, Accounts Receivable, Other Current Asset, \
             Fixed Asset, Accounts Payable, Credit Card, Other Current Liability, Long Term Liability, \
             Equity, Income, Other Income, Cost of Goods Sold, Expense, Other Expense)",
            d.account_type
        ))
    })?;
    let subtype = d
        .subtype
        .as_deref()
        .map(|s| s.trim().to_lowercase().replace([' ', '-'], "_"))
        .unwrap_or_else(|| implied.to_owned());
    let parent_id = named(shared, NameKind::Account, d.parent.as_deref(), item.row)?;
    let v = s
        .create_account_in(
            conn,
            ctx,
            NewAccount {
                code: d.code.clone(),
                name: d.name.clone(),
                account_type: t.as_str().to_owned(),
                subtype: Some(subtype),
                currency: d.currency.clone(),
                description: d.description.clone(),
                parent_id,
            },
        )
        .await
        .map_err(|e| ItemError {
            row: Some(item.row),
            text: format!("Account '{}': {}", d.name, e.message),
            code: e.code,
        })?;
    {
        let mut n = names(shared);
        for given in [&v.name, &v.code] {
            n.add(NameKind::Account, given, &v.id);
            added.push((NameKind::Account, given.clone(), v.id.clone()));
        }
    }
    Ok(created(
        item.row,
        &format!("Account {} {}", v.code, v.name),
        "account",
        &v.id,
        format!("Account {} {} ({})", v.code, v.name, v.account_type),
        dry,
    ))
}
