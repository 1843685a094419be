//! Reports on the cash basis (`basis=cash`): the accrual totals less what
//! is deferred on the report's days (`ferrobooks_domain::cash_basis`).
//!
//! What is deferred on a day comes from the invoices, bills and credits
//! open on it, found the way the aging finds them (what is open now, with
//! everything dated later rolled back), so its cost follows the open items
//! and the activity since the day, not the size of the ledger. Payments,
//! sales receipts, expenses and journal entries are cash already and pass
//! through unchanged; an unapplied payment stays in the receivable as the
//! customer's credit.

use std::collections::HashMap;

use chrono::NaiveDate;
use ferrobooks_domain::cash_basis::deferred_share;
use ferrobooks_store::contacts::Party;
use ferrobooks_store::reports::{self as store, AccountTotals};

use crate::aging::{kinds, open_on};
use crate::documents::posting::system_account;
use crate::{AuthContext, ServiceError, ServiceResult, Services};

/// When income and expenses count: when invoiced or billed (`accrual`,
/// the books as kept) or when paid (`cash`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Basis {
    #[default]
    Accrual,
    Cash,
}

impl Basis {
    pub fn parse(s: Option<&str>) -> ServiceResult<Basis> {
        match s {
            None | Some("accrual") => Ok(Basis::Accrual),
            Some("cash") => Ok(Basis::Cash),
            Some(_) => Err(ServiceError::invalid("basis", "must be accrual or cash")),
        }
    }
}

/// Per account, the net (debit less credit) the accrual books hold that the
/// cash basis does not yet.
#[derive(Debug, Clone, Default)]
pub(crate) struct Deferred(HashMap<String, i64>);

impl Deferred {
    /// What was deferred on `self`'s day and recognized by `earlier`'s:
    /// the adjustment of the range between them.
    pub(crate) fn since(mut self, earlier: &Deferred) -> Deferred {
        for (a, v) in &earlier.0 {
            *self.0.entry(a.clone()).or_default() -= v;
        }
        self
    }
}

/// Optional narrowing of what is deferred to one contact's documents or
/// one branch's, to match a filtered statement.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Narrow<'a> {
    pub contact_id: Option<&'a str>,
    pub branch: Option<&'a str>,
}

impl Services {
    /// What the cash basis defers at the end of `day` (nothing on the
    /// accrual basis, or before the books begin).
    pub(crate) async fn deferred(
        &self,
        ctx: &AuthContext,
        basis: Basis,
        day: Option<NaiveDate>,
        narrow: Narrow<'_>,
    ) -> ServiceResult<Deferred> {
        let (Basis::Cash, Some(day)) = (basis, day) else {
            return Ok(Deferred::default());
        };
        let d = day.to_string();
        let org = ctx.org_id();
        let mut tx = self.store.begin_read().await?;
        let conn = &mut *tx;
        let mut out: HashMap<String, i64> = HashMap::new();
        for party in [Party::Customer, Party::Vendor] {
            let k = kinds(party);
            let control = system_account(conn, ctx, k.side.control_account()).await?;
            let (items, open) = open_on(conn, org, &k, &control, &d).await?;
            // Entry id -> the open amount of its document.
            let mut entries: HashMap<&str, i64> = HashMap::new();
            for (id, amount) in open.iter().filter(|(_, v)| **v != 0) {
                let i = &items[id];
                if i.kind == "payment"
                    || narrow.contact_id.is_some_and(|c| c != i.contact_id)
                    || narrow.branch.is_some_and(|b| b != i.branch)
                {
                    continue;
                }
                if let Some(e) = i.journal_entry_id.as_deref() {
                    entries.insert(e, *amount);
                }
            }
            let ids: Vec<&str> = entries.keys().copied().collect();
            for chunk in ids.chunks(1000) {
                let lines = ferrobooks_store::journal::lines_of(&mut *conn, org, chunk).await?;
                for entry in lines.chunk_by(|a, b| a.entry_id == b.entry_id) {
                    let (on_control, rest): (Vec<_>, Vec<_>) =
                        entry.iter().partition(|l| l.account_id == control);
                    let net: i64 = on_control.iter().map(|l| l.debit - l.credit).sum();
                    let nets: Vec<i64> = rest.iter().map(|l| l.debit - l.credit).collect();
                    let (c, shares) =
                        deferred_share(net, &nets, entries[entry[0].entry_id.as_str()]);
                    *out.entry(control.clone()).or_default() += c;
                    for (l, s) in rest.iter().zip(shares) {
                        *out.entry(l.account_id.clone()).or_default() += s;
                    }
                }
            }
        }
        out.retain(|_, v| *v != 0);
        Ok(Deferred(out))
    }

    /// `totals` less what `deferred` holds, with rows added for accounts
    /// the adjustment reaches that had no line of their own.
    pub(crate) async fn less_deferred(
        &self,
        ctx: &AuthContext,
        mut totals: Vec<AccountTotals>,
        deferred: &Deferred,
    ) -> ServiceResult<Vec<AccountTotals>> {
        if deferred.0.is_empty() {
            return Ok(totals);
        }
        let missing: Vec<&str> = deferred
            .0
            .keys()
            .filter(|a| !totals.iter().any(|t| &t.account_id == *a))
            .map(String::as_str)
            .collect();
        totals.extend(store::accounts_as_totals(self.store.pool(), ctx.org_id(), &missing).await?);
        for t in &mut totals {
            if let Some(v) = deferred.0.get(&t.account_id) {
                // Only the net is reported; keep it on one side.
                let net = t.debit - t.credit - v;
                (t.debit, t.credit) = (net.max(0), (-net).max(0));
            }
        }
        totals.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(totals)
    }
}
