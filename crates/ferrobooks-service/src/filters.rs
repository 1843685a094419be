//! How a statement is read: on which basis (`basis=accrual|cash`, see
//! [`crate::basis`]) and narrowed to some accounts, one contact or one
//! branch (`account_id=`, `contact_id=`, `branch=` on the trial balance,
//! the profit and loss and the balance sheet).
//!
//! - Accounts: only those accounts and the accounts under them are shown,
//!   and the totals are of what is shown (a balance sheet so narrowed need
//!   not balance, and shows no computed earnings).
//! - A contact: the entries with a line naming it (its invoices, bills,
//!   credits, payments, and journal entries naming it).
//! - A branch: the entries its documents posted (payments belong to no
//!   branch).
//!
//! Unfiltered statements read the per-day balances; a contact or branch
//! reads the lines of its own entries, so its cost follows them.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use ferrobooks_store::contacts::Party;
use ferrobooks_store::reports::AccountTotals;

use chrono::NaiveDate;
use ferrobooks_store::reports as store;

use crate::basis::{Basis, Deferred, Narrow};
use crate::hierarchy::Tree;
use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// The basis and filter of a statement, as asked for.
#[derive(Debug, Clone, Default)]
pub struct StatementFilter {
    /// `accrual` (default) or `cash`.
    pub basis: Option<String>,
    /// Comma-separated account ids.
    pub account_id: Option<String>,
    pub contact_id: Option<String>,
    pub branch: Option<String>,
}

/// A checked filter: the accounts with everything under them. It lives
/// for one request and keeps what the cash basis deferred on each day it
/// was asked for: a balance sheet asks for its day twice, and comparison
/// columns share their ends.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    basis: Basis,
    accounts: Option<HashSet<String>>,
    contact_id: Option<String>,
    branch: Option<String>,
    deferred: Mutex<HashMap<NaiveDate, Deferred>>,
}

impl Filter {
    /// The accrual basis over the whole chart, of one branch's entries
    /// when given (a budget's).
    pub(crate) fn of_branch(branch: Option<String>) -> Filter {
        Filter {
            branch,
            ..Filter::default()
        }
    }

    pub(crate) fn narrow(&self) -> Narrow<'_> {
        Narrow {
            contact_id: self.contact_id.as_deref(),
            branch: self.branch.as_deref(),
        }
    }

    /// Whether some accounts are left out, so computed lines (earnings)
    /// would not add up to anything shown.
    pub(crate) fn by_account(&self) -> bool {
        self.accounts.is_some()
    }

    /// Drops the accounts the filter leaves out.
    fn keep(&self, totals: &mut Vec<AccountTotals>) {
        if let Some(keep) = &self.accounts {
            totals.retain(|t| keep.contains(&t.account_id));
        }
    }
}

impl Services {
    /// Checks a statement's filter: every account and the contact must
    /// exist (400 naming the field otherwise); a branch is a code.
    pub(crate) async fn statement_filter(
        &self,
        ctx: &AuthContext,
        f: &StatementFilter,
        tree: &Tree,
    ) -> ServiceResult<Filter> {
        let pool = self.store.pool();
        let org = ctx.org_id();
        let accounts = match f.account_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(list) => {
                let ids: Vec<&str> = list.split(',').map(str::trim).collect();
                if ids.len() > 100 || ids.iter().any(|id| id.is_empty()) {
                    return Err(ServiceError::invalid(
                        "account_id",
                        "is 1 to 100 account ids separated by commas",
                    ));
                }
                let mut keep: HashSet<String> =
                    ferrobooks_store::accounts::accounts_by_ids(pool, org, &ids)
                        .await?
                        .into_iter()
                        .map(|a| a.id)
                        .collect();
                if let Some(id) = ids.iter().find(|id| !keep.contains(**id)) {
                    return Err(ServiceError::invalid(
                        "account_id",
                        format!("account {id} does not exist"),
                    ));
                }
                // And every account under them.
                for id in tree.keys() {
                    let mut at = tree.get(id).and_then(|(p, ..)| p.as_ref());
                    let mut depth = 0;
                    while let Some(p) = at.filter(|_| depth < 16) {
                        if keep.contains(p) {
                            keep.insert(id.clone());
                            break;
                        }
                        at = tree.get(p).and_then(|(p, ..)| p.as_ref());
                        depth += 1;
                    }
                }
                Some(keep)
            }
        };
        let contact_id = match f.contact_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => {
                let mut found = false;
                for party in [Party::Customer, Party::Vendor] {
                    found |= ferrobooks_store::contacts::get_contact(pool, party, org, c)
                        .await?
                        .is_some();
                }
                if !found {
                    return Err(ServiceError::invalid(
                        "contact_id",
                        format!("no customer or vendor {c}"),
                    ));
                }
                Some(c.to_owned())
            }
        };
        let branch = crate::documents::lifecycle::branch(f.branch.as_deref())?;
        Ok(Filter {
            basis: Basis::parse(f.basis.as_deref())?,
            accounts,
            contact_id,
            branch,
            deferred: Mutex::default(),
        })
    }
}

impl Services {
    /// The per account totals of `[from, to]` (from the beginning when
    /// `from` is none) on the filter's basis, of what it keeps.
    pub(crate) async fn totals_on(
        &self,
        ctx: &AuthContext,
        from: Option<NaiveDate>,
        to: NaiveDate,
        filter: &Filter,
    ) -> ServiceResult<Vec<AccountTotals>> {
        let n = filter.narrow();
        let (pool, org) = (self.store.pool(), ctx.org_id());
        let (f, t) = (from.map(|f| f.to_string()), to.to_string());
        let totals = if n.contact_id.is_none() && n.branch.is_none() {
            store::account_totals(pool, org, f.as_deref(), &t).await?
        } else {
            store::filtered_totals(pool, org, f.as_deref(), &t, n.contact_id, n.branch).await?
        };
        let mut deferred = self.deferred_on(ctx, filter, Some(to)).await?;
        if let Some(f) = from {
            let before = self.deferred_on(ctx, filter, f.pred_opt()).await?;
            deferred = deferred.since(&before);
        }
        let mut totals = self.less_deferred(ctx, totals, &deferred).await?;
        filter.keep(&mut totals);
        Ok(totals)
    }
}

impl Services {
    /// [`Services::deferred`] on `day` for the filter, once per request.
    async fn deferred_on(
        &self,
        ctx: &AuthContext,
        filter: &Filter,
        day: Option<NaiveDate>,
    ) -> ServiceResult<Deferred> {
        let Some(day) = day.filter(|_| filter.basis == Basis::Cash) else {
            return Ok(Deferred::default());
        };
        let known = filter
            .deferred
            .lock()
            .ok()
            .and_then(|m| m.get(&day).cloned());
        if let Some(d) = known {
            return Ok(d);
        }
        let d = self
            .deferred(ctx, filter.basis, Some(day), filter.narrow())
            .await?;
        if let Ok(mut m) = filter.deferred.lock() {
            m.insert(day, d.clone());
        }
        Ok(d)
    }
}
