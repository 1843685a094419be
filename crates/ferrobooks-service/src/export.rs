//! `ferrobooks export`: an organization's books as a ledger-cli, hledger
//! or beancount journal, for users who keep a plain-text copy and as the
//! cross-check of our own reports against those tools.
//!
//! Every posted entry becomes one transaction in the base currency (a
//! voided entry stays, with its reversal beside it, as in our ledger). A
//! range starts with one `Opening balances` transaction holding each
//! account's balance before it, so the tools' balances on the range's last
//! day equal our trial balance.

use std::collections::HashMap;
use std::io::Write;

use ferrobooks_domain::AccountType;
use ferrobooks_domain::calendar::MIN_DATE;
use ferrobooks_domain::money::Currency;
use ferrobooks_domain::plaintext::{self, Account, Dialect, Posting, Transaction};
use ferrobooks_store::export as store;
use ferrobooks_store::tenancy::OrganizationRow;

use crate::{ServiceError, ServiceResult, parse_date};

/// Entries read per query.
const PAGE: i64 = 2_000;

/// Writes the organization's books dated in `[from, to]` (default: all)
/// to `out`; returns the number of transactions written.
pub async fn export_journal(
    store: &ferrobooks_store::Store,
    org: &OrganizationRow,
    dialect: Dialect,
    from: Option<&str>,
    to: Option<&str>,
    out: &mut impl Write,
) -> ServiceResult<u64> {
    let cur = Currency::parse(&org.base_currency)?;
    let from = from.map(|d| parse_date("from", d)).transpose()?;
    let to = to.map(|d| parse_date("to", d)).transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(ServiceError::invalid("from", "must not be after --to"));
    }
    let io = |e: std::io::Error| ServiceError::internal(format!("writing the journal: {e}"));
    let mut tx = store.begin_read().await?;
    let conn = &mut *tx;
    let mut names = HashMap::new();
    for a in store::accounts(conn, &org.id).await? {
        let account_type = AccountType::parse(&a.account_type)
            .map_err(|_| ServiceError::internal("stored account type is corrupt"))?;
        let acc = Account {
            code: a.code,
            name: a.name,
            account_type,
        };
        names.insert(a.id, acc.journal_name(dialect));
    }
    let contacts: HashMap<String, String> = store::contact_names(conn, &org.id)
        .await?
        .into_iter()
        .collect();
    let name = |id: &str| -> ServiceResult<&String> {
        names
            .get(id)
            .ok_or_else(|| ServiceError::internal(format!("line on unknown account {id}")))
    };
    let mut listed: Vec<&String> = names.values().collect();
    listed.sort();
    listed.dedup();
    let listed: Vec<String> = listed.into_iter().cloned().collect();
    out.write_all(plaintext::header(dialect, cur, &listed, &MIN_DATE.to_string()).as_bytes())
        .map_err(io)?;

    let mut written = 0u64;
    if let Some(f) = from.filter(|f| *f > MIN_DATE) {
        let before = f.pred_opt().unwrap_or(MIN_DATE).to_string();
        let totals =
            ferrobooks_store::reports::account_totals(&mut *conn, &org.id, None, &before).await?;
        let postings: Vec<Posting> = totals
            .iter()
            .filter(|t| t.debit != t.credit)
            .map(|t| {
                Ok(Posting {
                    account: name(&t.account_id)?.clone(),
                    amount: t.debit - t.credit,
                    comment: None,
                })
            })
            .collect::<ServiceResult<_>>()?;
        if !postings.is_empty() {
            let t = Transaction {
                date: before,
                code: None,
                payee: None,
                narration: "Opening balances".into(),
                postings,
            };
            out.write_all(plaintext::transaction(dialect, cur, &t).as_bytes())
                .map_err(io)?;
            written += 1;
        }
    }

    let range = (
        from.unwrap_or(MIN_DATE).to_string(),
        to.unwrap_or(ferrobooks_domain::calendar::MAX_DATE)
            .to_string(),
    );
    let mut after = (String::new(), String::new());
    loop {
        let (entries, lines) = store::entries_page(
            conn,
            &org.id,
            (&range.0, &range.1),
            (&after.0, &after.1),
            PAGE,
        )
        .await?;
        let Some(last) = entries.last() else {
            break;
        };
        after = (last.date.clone(), last.id.clone());
        let mut by_entry: HashMap<&str, Vec<&store::ExportLine>> = HashMap::new();
        for l in &lines {
            by_entry.entry(&l.entry_id).or_default().push(l);
        }
        for e in &entries {
            let lines = by_entry.remove(e.id.as_str()).unwrap_or_default();
            // The payee: the contact the entry's lines name, when one does.
            let payee = lines
                .iter()
                .find_map(|l| l.contact_id.as_deref())
                .and_then(|c| contacts.get(c))
                .cloned();
            let postings = lines
                .iter()
                .map(|l| {
                    Ok(Posting {
                        account: name(&l.account_id)?.clone(),
                        amount: l.debit - l.credit,
                        comment: l.description.clone(),
                    })
                })
                .collect::<ServiceResult<_>>()?;
            let narration = e
                .memo
                .clone()
                .or_else(|| e.reference.clone())
                .unwrap_or_else(|| format!("Journal entry {}", e.id));
            let t = Transaction {
                date: e.date.clone(),
                code: e.number.clone(),
                payee,
                narration,
                postings,
            };
            out.write_all(plaintext::transaction(dialect, cur, &t).as_bytes())
                .map_err(io)?;
            written += 1;
        }
    }
    out.flush().map_err(io)?;
    Ok(written)
}
