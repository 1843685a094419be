//! Receivables and payables aging: what each customer (or vendor) had open
//! on a day, by how long past due, from the documents and payments
//! themselves (open-item aging), so every amount names the invoice or bill
//! it is on.
//!
//! An item's amount on the day is what is open now with everything dated
//! after the day rolled back: allocations made later are given back,
//! refunds made later are added back, and an item voided or deleted later
//! counts whole. The cost follows the open items and the activity since
//! the day, not the whole history.
//!
//! An allocation that was undone (a deleted payment's, an unapplied
//! credit's) counts as never made, on every day: the payment or credit
//! shows as unapplied until it was deleted, and the invoice as open. So no
//! invoice is ever shown paid beyond its total, whatever order documents
//! were entered in. (An undone allocation between currencies had its
//! exchange difference posted and reversed; until the reversal's day that
//! difference shows in `other`.)
//!
//! The report ties out to the control account by construction: whatever
//! a contact's receivable (payable) holds beyond its open items, such as a
//! journal entry naming the contact or a revaluation, is shown in its
//! `other` column, and lines naming no contact in a row of their own.

use std::collections::{HashMap, HashSet};

use ferrobooks_domain::aging::Bucket;
use ferrobooks_domain::document::Side;
use ferrobooks_store::aging::{self as store, AgingAllocation, OpenItem};
use ferrobooks_store::contacts::Party;
use serde::Serialize;

use crate::amount::Amount;
use crate::documents::posting::system_account;
use crate::{AuthContext, ServiceError, ServiceResult, Services, parse_date, today};

#[derive(Debug, Clone, Serialize)]
pub struct Aging {
    pub as_of: String,
    pub currency: String,
    /// The receivable or payable control account it ties out to.
    pub account_id: String,
    /// One row per contact with anything open (or any balance) on the day.
    pub rows: Vec<AgingRow>,
    pub totals: AgingRow,
    /// The control account's balance on the day; equal to `totals.total`.
    pub control_balance: Amount,
    /// Every open item, when asked for (`detail`).
    pub documents: Option<Vec<AgingItem>>,
}

/// A contact's open amounts by days past due, in the base currency:
/// positive what they owe us (a customer) or we owe them (a vendor).
#[derive(Debug, Clone, Serialize)]
pub struct AgingRow {
    /// None on the totals row and on the row of lines naming no contact.
    pub contact_id: Option<String>,
    pub contact_name: String,
    pub current: Amount,
    pub days_1_30: Amount,
    pub days_31_60: Amount,
    pub days_61_90: Amount,
    pub over_90: Amount,
    /// Payments and credits not yet applied (negative).
    pub unapplied_credits: Amount,
    /// What the control account holds for the contact beyond its open
    /// items: journal entries naming it, revaluations.
    pub other: Amount,
    pub total: Amount,
}

/// One open invoice, bill, credit or payment on the day.
#[derive(Debug, Clone, Serialize)]
pub struct AgingItem {
    pub contact_id: String,
    pub contact_name: String,
    /// invoice, credit_note, payment; bill, vendor_credit, bill_payment.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub number: Option<String>,
    pub date: String,
    pub due_date: Option<String>,
    /// Days past due on the report's day; none for a credit.
    pub days_past_due: Option<i64>,
    /// The column it is in: a bucket, or `unapplied_credits`.
    pub bucket: String,
    /// The document's currency and total in it.
    pub currency: String,
    pub document_total: Amount,
    /// Open on the day in the document's currency, at its own rate (the
    /// base amount open times total / base total).
    pub document_balance: Amount,
    /// Open on the day, in the base currency (negative for a credit).
    pub balance: Amount,
}

/// The running sums of a row, in minor units.
#[derive(Default, Clone, Copy)]
struct Sums {
    buckets: [i64; 5],
    credits: i64,
    other: i64,
}

impl Sums {
    fn items(&self) -> i64 {
        self.buckets.iter().sum::<i64>() + self.credits
    }

    fn add(&mut self, o: &Sums) {
        for (a, b) in self.buckets.iter_mut().zip(o.buckets) {
            *a += b;
        }
        self.credits += o.credits;
        self.other += o.other;
    }

    fn row(
        &self,
        contact_id: Option<String>,
        name: String,
        cur: ferrobooks_domain::Currency,
    ) -> AgingRow {
        let a = |v| Amount::new(v, cur);
        AgingRow {
            contact_id,
            contact_name: name,
            current: a(self.buckets[0]),
            days_1_30: a(self.buckets[1]),
            days_31_60: a(self.buckets[2]),
            days_61_90: a(self.buckets[3]),
            over_90: a(self.buckets[4]),
            unapplied_credits: a(self.credits),
            other: a(self.other),
            total: a(self.items() + self.other),
        }
    }
}

/// Which items a side ages: the documents it settles and credits, and its
/// payments.
pub(crate) struct SideKinds {
    pub(crate) side: Side,
    owed: &'static str,
    credit: &'static str,
    payment_kind: &'static str,
}

pub(crate) fn kinds(party: Party) -> SideKinds {
    match party {
        Party::Customer => SideKinds {
            side: Side::Sale,
            owed: "invoice",
            credit: "credit_note",
            payment_kind: "payment",
        },
        Party::Vendor => SideKinds {
            side: Side::Purchase,
            owed: "bill",
            credit: "vendor_credit",
            payment_kind: "bill_payment",
        },
    }
}

impl Services {
    /// The aging of receivables (`Party::Customer`) or payables
    /// (`Party::Vendor`) on `as_of` (default today), optionally for one
    /// contact, with every open item when `detail`.
    pub async fn aging(
        &self,
        ctx: &AuthContext,
        party: Party,
        as_of: Option<&str>,
        contact_id: Option<&str>,
        detail: bool,
    ) -> ServiceResult<Aging> {
        let cur = ctx.currency()?;
        let day = match as_of {
            Some(d) => parse_date("as_of", d)?,
            None => today(),
        };
        let d = day.to_string();
        let k = kinds(party);
        let org = ctx.org_id();
        let mut tx = self.store.begin_read().await?;
        let conn = &mut *tx;
        if let Some(c) = contact_id {
            ferrobooks_store::contacts::get_contact(&mut *conn, party, org, c)
                .await?
                .ok_or_else(|| {
                    let field = match party {
                        Party::Customer => "customer_id",
                        Party::Vendor => "vendor_id",
                    };
                    ServiceError::invalid(field, format!("{} {c} does not exist", party.noun()))
                })?;
        }
        let control = system_account(conn, ctx, k.side.control_account()).await?;
        // +1 when the control account's normal balance is a debit.
        let nat = if k.side.control_debit() { 1 } else { -1 };

        let (items, open) = open_on(conn, org, &k, &control, &d).await?;

        // Per contact: the items, then what else the control account holds.
        let mut sums: HashMap<Option<String>, Sums> = HashMap::new();
        let mut listed = Vec::new();
        for (id, amount) in open.iter().filter(|(_, v)| **v != 0) {
            let i = &items[id];
            let s = sums.entry(Some(i.contact_id.clone())).or_default();
            let signed = item_sign(i, &k) * amount;
            let (days, bucket) = if item_sign(i, &k) > 0 {
                let due = i.due_date.as_deref().unwrap_or(&i.date);
                let (days, b) = Bucket::of(parse_date("due_date", due)?, day);
                s.buckets[b.index()] += signed;
                (Some(days), b.key())
            } else {
                s.credits += signed;
                (None, "unapplied_credits")
            };
            if detail {
                listed.push((i, days, bucket, signed));
            }
        }
        let (now, later_lines) = store::control_by_contact(conn, org, &control, &d).await?;
        let mut control_of: HashMap<Option<String>, i64> = HashMap::new();
        for c in now {
            *control_of.entry(c.contact_id).or_default() += nat * (c.debit - c.credit);
        }
        for c in later_lines {
            *control_of.entry(c.contact_id).or_default() -= nat * (c.debit - c.credit);
        }
        // Lines naming no contact: the account's balance less the contacts'.
        let total = nat * store::account_net(conn, org, &control, &d).await?;
        let named: i64 = control_of
            .iter()
            .filter(|(c, _)| c.is_some())
            .map(|(_, v)| v)
            .sum();
        control_of.insert(None, total - named);
        for (contact, balance) in &control_of {
            let s = sums.entry(contact.clone()).or_default();
            s.other = balance - s.items();
        }

        let ids: Vec<&str> = sums.keys().filter_map(|c| c.as_deref()).collect();
        let names: HashMap<String, String> =
            ferrobooks_store::names::names(conn, org, party.into(), &ids)
                .await?
                .into_iter()
                .collect();
        let name_of = |c: &str| names.get(c).cloned().unwrap_or_else(|| c.to_owned());
        let mut keyed: Vec<(Option<String>, Sums)> = sums
            .into_iter()
            .filter(|(c, s)| {
                (s.items() != 0 || s.other != 0)
                    && contact_id.is_none_or(|f| c.as_deref() == Some(f))
            })
            .collect();
        keyed.sort_by_key(|(c, _)| (c.is_none(), c.as_deref().map(&name_of), c.clone()));
        let mut all = Sums::default();
        let rows = keyed
            .iter()
            .map(|(c, s)| {
                all.add(s);
                let name = c.as_deref().map_or_else(|| "No contact".into(), &name_of);
                s.row(c.clone(), name, cur)
            })
            .collect();
        let doc_cur = |i: &OpenItem| ferrobooks_domain::Currency::parse(&i.currency).unwrap_or(cur);
        let documents = detail.then(|| {
            let mut v: Vec<AgingItem> = listed
                .into_iter()
                .filter(|(i, ..)| contact_id.is_none_or(|f| i.contact_id == f))
                .map(|(i, days, bucket, signed)| AgingItem {
                    contact_id: i.contact_id.clone(),
                    contact_name: name_of(&i.contact_id),
                    kind: if i.kind == "payment" {
                        k.payment_kind.into()
                    } else {
                        i.kind.clone()
                    },
                    id: i.id.clone(),
                    number: i.number.clone(),
                    date: i.date.clone(),
                    due_date: i.due_date.clone(),
                    days_past_due: days,
                    bucket: bucket.into(),
                    currency: i.currency.clone(),
                    document_total: Amount::new(i.total, doc_cur(i)),
                    document_balance: Amount::new(in_document_currency(signed, i), doc_cur(i)),
                    balance: Amount::new(signed, cur),
                })
                .collect();
            v.sort_by(|a, b| {
                (&a.contact_name, &a.date, &a.id).cmp(&(&b.contact_name, &b.date, &b.id))
            });
            v
        });
        let control_balance = match contact_id {
            Some(c) => control_of.get(&Some(c.to_owned())).copied().unwrap_or(0),
            None => total,
        };
        Ok(Aging {
            as_of: d,
            currency: cur.code().into(),
            account_id: control,
            rows,
            totals: all.row(None, "Total".into(), cur),
            control_balance: Amount::new(control_balance, cur),
            documents,
        })
    }
}

/// Every item of a side (documents, credits and payments) with what was
/// open of it on day `d` in the base currency, unsigned: what is open now
/// with everything dated after `d` rolled back.
pub(crate) async fn open_on(
    conn: &mut ferrobooks_store::Conn,
    org: &crate::OrgId,
    k: &SideKinds,
    control: &str,
    d: &str,
) -> ServiceResult<(HashMap<String, OpenItem>, HashMap<String, i64>)> {
    // +1 when the control account's normal balance is a debit.
    let nat = if k.side.control_debit() { 1 } else { -1 };
    let side = k.side.as_str();
    let doc_types = [k.owed, k.credit];
    let mut items: HashMap<String, OpenItem> = HashMap::new();
    for i in store::open_documents(conn, org, doc_types).await? {
        items.insert(i.id.clone(), i);
    }
    for i in store::open_payments(conn, org, side).await? {
        items.insert(i.id.clone(), i);
    }
    let allocs = store::allocations_since(conn, org, d).await?;
    let later = store::entries_since(conn, org, control, d).await?;

    // Items touched after the day that are not open now.
    let (mut docs, mut pays) = (HashSet::new(), HashSet::new());
    for a in &allocs {
        if a.source_type == "payment" {
            pays.insert(a.source_id.as_str());
        } else {
            docs.insert(a.source_id.as_str());
        }
        docs.insert(a.document_id.as_str());
    }
    for e in &later {
        match e.source.split_once(' ') {
            Some(("payment", id)) => {
                pays.insert(id);
            }
            Some((t, id)) if doc_types.contains(&t) => {
                docs.insert(id);
            }
            _ => {}
        }
    }
    let docs: Vec<&str> = docs
        .into_iter()
        .filter(|i| !items.contains_key(*i))
        .collect();
    let pays: Vec<&str> = pays
        .into_iter()
        .filter(|i| !items.contains_key(*i))
        .collect();
    for i in store::documents_by_ids(conn, org, doc_types, &docs).await? {
        items.insert(i.id.clone(), i);
    }
    for i in store::payments_by_ids(conn, org, side, &pays).await? {
        items.insert(i.id.clone(), i);
    }

    // Voided or deleted after the day: whole on it (a voided document
    // had nothing applied, and a deleted payment's allocations went with
    // it).
    let reversed_later: HashSet<&str> = later
        .iter()
        .filter_map(|e| e.reversal_of.as_deref())
        .collect();
    let fx_entries: HashSet<&str> = allocs
        .iter()
        .filter_map(|a| a.journal_entry_id.as_deref())
        .collect();
    let mut open: HashMap<String, i64> = HashMap::new();
    for i in items.values().filter(|i| i.date.as_str() <= d) {
        let amount = if i.dead == 1 {
            let reversed = i
                .journal_entry_id
                .as_deref()
                .is_some_and(|e| reversed_later.contains(e));
            if !reversed {
                continue;
            }
            i.base
        } else {
            i.open_now
        };
        open.insert(i.id.clone(), amount);
    }
    // Allocations made after the day are given back.
    for a in allocs.iter().filter(|a| a.deleted_at.is_none()) {
        for id in [&a.source_id, &a.document_id] {
            if let Some(v) = open.get_mut(id.as_str())
                && items.get(id.as_str()).is_some_and(|i| i.dead == 0)
            {
                *v += taken(a, id);
            }
        }
    }
    for e in &later {
        let Some((_, id)) = e.source.split_once(' ') else {
            continue;
        };
        let Some(i) = items.get(id).filter(|i| i.dead == 0) else {
            continue;
        };
        let refund = e.reversal_of.is_none()
            && i.journal_entry_id.as_deref() != Some(e.id.as_str())
            && !fx_entries.contains(e.id.as_str());
        if let (true, Some(v)) = (refund, open.get_mut(id)) {
            // A refund moved the control account against the item.
            *v -= item_sign(i, k) * nat * e.control;
        }
    }

    Ok((items, open))
}

/// The base amount `base` of an item in its own currency, at its own
/// rate (half away from zero).
fn in_document_currency(base: i64, i: &OpenItem) -> i64 {
    if i.base == 0 || i.base == i.total {
        return base;
    }
    let (n, d) = (i128::from(base) * i128::from(i.total), i128::from(i.base));
    let q = (2 * n.abs() + d.abs()) / (2 * d.abs());
    i64::try_from(q * (n.signum() * d.signum())).unwrap_or(0)
}

/// +1 for what the contact owes on (an invoice, a bill), -1 for a credit.
fn item_sign(i: &OpenItem, k: &SideKinds) -> i64 {
    if i.kind == k.owed { 1 } else { -1 }
}

/// What an allocation took from `id`: released from its source, settled
/// on its document.
fn taken(a: &AgingAllocation, id: &str) -> i64 {
    if a.source_id == id {
        a.base_released
    } else if a.document_id == id {
        a.base_settled
    } else {
        0
    }
}
