//! GSTR-1: the outward supplies of a month, in the GST portal's JSON
//! layout (its offline tool's field names), from the month's sales.
//!
//! Where a document goes:
//! - abroad (place of supply `96`): `exp`, with IGST paid (`WPAY`) or
//!   under LUT (`WOPAY`); a credit note `cdnur` (`EXPWP` / `EXPWOP`);
//! - a registered recipient (GSTIN): `b2b` (`inv_typ` `R`, or `SEWP` /
//!   `SEWOP` to an SEZ); a credit note `cdnr`;
//! - unregistered, across states, worth more than the B2C large limit on
//!   its date (1,00,000 from 1 August 2024, 2,50,000 before): `b2cl`; a
//!   credit note `cdnur` (`B2CL`);
//! - any other sale to the unregistered: `b2cs`, summed by supply type,
//!   place of supply and rate; its credit notes net there.
//!
//! Nil-rated, exempt and non-GST lines go to `nil` (the rest of their
//! document stays where it goes); at 0% in an export or to an SEZ a line
//! is zero-rated and stays with its document. Every line feeds `hsn`,
//! split B2B / B2C from May 2025. `doc_issue` counts the numbers issued
//! in each series, voided ones as cancelled.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Class, Doc, Item, Num, Paise, Period, portal_date};
use crate::Minor;

/// Over this value (paise) an inter-state sale to the unregistered is B2C
/// large: 1,00,000 rupees from 1 August 2024, 2,50,000 before.
pub fn b2cl_limit(date: NaiveDate) -> Minor {
    let from = NaiveDate::from_ymd_opt(2024, 8, 1).expect("a date");
    if date >= from { 10_000_000 } else { 25_000_000 }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemDetail {
    pub txval: Paise,
    pub rt: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iamt: Option<Paise>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camt: Option<Paise>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samt: Option<Paise>,
    pub csamt: Paise,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Itm {
    pub num: u32,
    pub itm_det: ItemDetail,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub inum: String,
    pub idt: String,
    pub val: Paise,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pos: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rchrg: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inv_typ: Option<&'static str>,
    pub itms: Vec<Itm>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct B2b {
    pub ctin: String,
    pub inv: Vec<Invoice>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct B2cl {
    pub pos: String,
    pub inv: Vec<Invoice>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct B2cs {
    pub sply_ty: &'static str,
    pub pos: String,
    pub typ: &'static str,
    pub rt: Num,
    pub txval: Paise,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iamt: Option<Paise>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camt: Option<Paise>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samt: Option<Paise>,
    pub csamt: Paise,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typ: Option<&'static str>,
    pub ntty: &'static str,
    pub nt_num: String,
    pub nt_dt: String,
    pub val: Paise,
    pub pos: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rchrg: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inv_typ: Option<&'static str>,
    pub itms: Vec<Itm>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cdnr {
    pub ctin: String,
    pub nt: Vec<Note>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exp {
    pub exp_typ: &'static str,
    pub inv: Vec<Invoice>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NilRow {
    pub sply_ty: &'static str,
    pub nil_amt: Paise,
    pub expt_amt: Paise,
    pub ngsup_amt: Paise,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Nil {
    pub inv: Vec<NilRow>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HsnRow {
    pub num: u32,
    pub hsn_sc: String,
    pub desc: String,
    pub uqc: &'static str,
    pub qty: Num,
    pub rt: Num,
    pub txval: Paise,
    pub iamt: Paise,
    pub camt: Paise,
    pub samt: Paise,
    pub csamt: Paise,
}

/// One list before May 2025 (`data`), B2B and B2C apart from then.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hsn {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<HsnRow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hsn_b2b: Option<Vec<HsnRow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hsn_b2c: Option<Vec<HsnRow>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocSeries {
    pub num: u32,
    pub from: String,
    pub to: String,
    pub totnum: u32,
    pub cancel: u32,
    pub net_issue: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocDet {
    pub doc_num: u32,
    pub doc_typ: &'static str,
    pub docs: Vec<DocSeries>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocIssue {
    pub doc_det: Vec<DocDet>,
}

/// The return, as the portal takes it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Gstr1 {
    pub gstin: String,
    pub fp: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub b2b: Vec<B2b>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub b2cl: Vec<B2cl>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub b2cs: Vec<B2cs>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cdnr: Vec<Cdnr>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cdnur: Vec<Note>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exp: Vec<Exp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nil: Option<Nil>,
    pub hsn: Hsn,
    pub doc_issue: DocIssue,
}

/// A number issued in the period, for `doc_issue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// A credit note (or refund receipt) rather than an invoice.
    pub note: bool,
    pub number: String,
    pub cancelled: bool,
}

/// The return, what each document fed (same order as `docs`), and what
/// the portal will refuse that the books cannot say (a line without an
/// HSN code).
pub struct Made {
    pub gstr1: Gstr1,
    pub feeds: Vec<Vec<&'static str>>,
    pub warnings: Vec<String>,
}

/// A line that stays with its document: taxable, or zero-rated.
fn with_document(doc: &Doc, i: &Item) -> bool {
    i.class == Class::Taxable || (i.class == Class::Nil && (doc.abroad() || doc.sez))
}

/// The document's supply lines, summed per rate.
fn itms(doc: &Doc, inter: bool) -> Vec<Itm> {
    let mut by_rate: BTreeMap<Decimal, Item> = BTreeMap::new();
    for i in doc.items.iter().filter(|i| with_document(doc, i)) {
        let e = by_rate.entry(i.rate.normalize()).or_insert_with(|| Item {
            txval: 0,
            iamt: 0,
            camt: 0,
            samt: 0,
            csamt: 0,
            ..i.clone()
        });
        e.txval += i.txval;
        e.iamt += i.iamt;
        e.camt += i.camt;
        e.samt += i.samt;
        e.csamt += i.csamt;
    }
    by_rate
        .into_values()
        .zip(1..)
        .map(|(i, num)| Itm {
            num,
            itm_det: ItemDetail {
                txval: Paise(i.txval),
                rt: Num(i.rate),
                iamt: inter.then_some(Paise(i.iamt)),
                camt: (!inter).then_some(Paise(i.camt)),
                samt: (!inter).then_some(Paise(i.samt)),
                csamt: Paise(i.csamt),
            },
        })
        .collect()
}

fn paid_igst(doc: &Doc) -> bool {
    doc.items.iter().any(|i| i.iamt != 0)
}

/// Where a document of the period goes.
enum Section {
    B2b,
    B2cl,
    B2cs,
    Exp,
}

fn section(doc: &Doc, org_state: &str) -> Section {
    if doc.abroad() {
        Section::Exp
    } else if doc.gstin.is_some() {
        Section::B2b
    } else if doc.inter_state(org_state) && doc.value > b2cl_limit(doc.date) {
        Section::B2cl
    } else {
        Section::B2cs
    }
}

fn inv_typ(doc: &Doc) -> &'static str {
    match (doc.sez, paid_igst(doc)) {
        (false, _) => "R",
        (true, true) => "SEWP",
        (true, false) => "SEWOP",
    }
}

type HsnKey = (bool, String, &'static str, Decimal);

/// GSTR-1 of `period` for the organization registered as `gstin` in
/// `org_state`, from the period's sales `docs` and the numbers `issued`.
pub fn gstr1(
    gstin: &str,
    org_state: &str,
    period: Period,
    docs: &[Doc],
    issued: &[Issued],
) -> Made {
    let mut b2b: BTreeMap<String, Vec<Invoice>> = BTreeMap::new();
    let mut b2cl: BTreeMap<String, Vec<Invoice>> = BTreeMap::new();
    let mut b2cs: BTreeMap<(&'static str, String, Decimal), Item> = BTreeMap::new();
    let mut cdnr: BTreeMap<String, Vec<Note>> = BTreeMap::new();
    let mut cdnur = Vec::new();
    let mut exp: BTreeMap<&'static str, Vec<Invoice>> = BTreeMap::new();
    let mut nil: BTreeMap<&'static str, NilRow> = BTreeMap::new();
    let mut hsn: BTreeMap<HsnKey, (String, Item)> = BTreeMap::new();
    let mut feeds = Vec::with_capacity(docs.len());
    let mut warnings = Vec::new();
    for doc in docs {
        let mut fed: Vec<&'static str> = Vec::new();
        let inter = doc.inter_state(org_state);
        let registered = doc.gstin.is_some() && !doc.abroad();
        let sign = doc.sign();
        let items = itms(doc, inter);
        if !items.is_empty() {
            let sec = section(doc, org_state);
            let invoice = |pos: Option<String>,
                           rchrg: Option<&'static str>,
                           inv_typ: Option<&'static str>| Invoice {
                inum: doc.number.clone(),
                idt: portal_date(doc.date),
                val: Paise(doc.value),
                pos,
                rchrg,
                inv_typ,
                itms: items.clone(),
            };
            let note = |typ: Option<&'static str>, inv_typ: Option<&'static str>| Note {
                typ,
                ntty: "C",
                nt_num: doc.number.clone(),
                nt_dt: portal_date(doc.date),
                val: Paise(doc.value),
                pos: doc.pos.clone(),
                rchrg: inv_typ.map(|_| "N"),
                inv_typ,
                itms: items.clone(),
            };
            let wp = if paid_igst(doc) { "WP" } else { "WOP" };
            match (sec, doc.note) {
                (Section::Exp, false) => {
                    let t = if paid_igst(doc) { "WPAY" } else { "WOPAY" };
                    exp.entry(t).or_default().push(invoice(None, None, None));
                    fed.push("exp");
                }
                (Section::Exp, true) => {
                    let t = if wp == "WP" { "EXPWP" } else { "EXPWOP" };
                    cdnur.push(note(Some(t), None));
                    fed.push("cdnur");
                }
                (Section::B2b, false) => {
                    let ctin = doc.gstin.clone().unwrap_or_default();
                    let inv = invoice(Some(doc.pos.clone()), Some("N"), Some(inv_typ(doc)));
                    b2b.entry(ctin).or_default().push(inv);
                    fed.push("b2b");
                }
                (Section::B2b, true) => {
                    let ctin = doc.gstin.clone().unwrap_or_default();
                    cdnr.entry(ctin)
                        .or_default()
                        .push(note(None, Some(inv_typ(doc))));
                    fed.push("cdnr");
                }
                (Section::B2cl, false) => {
                    b2cl.entry(doc.pos.clone())
                        .or_default()
                        .push(invoice(None, None, None));
                    fed.push("b2cl");
                }
                (Section::B2cl, true) => {
                    cdnur.push(note(Some("B2CL"), None));
                    fed.push("cdnur");
                }
                (Section::B2cs, _) => {
                    let ty = if inter { "INTER" } else { "INTRA" };
                    for i in doc.items.iter().filter(|i| with_document(doc, i)) {
                        let e = b2cs
                            .entry((ty, doc.pos.clone(), i.rate.normalize()))
                            .or_insert_with(|| zero(i));
                        add(e, i, sign);
                    }
                    fed.push("b2cs");
                }
            }
        }
        for i in doc.items.iter().filter(|i| !with_document(doc, i)) {
            let ty = match (inter, registered) {
                (true, true) => "INTRB2B",
                (true, false) => "INTRB2C",
                (false, true) => "INTRAB2B",
                (false, false) => "INTRAB2C",
            };
            let row = nil.entry(ty).or_insert_with(|| NilRow {
                sply_ty: ty,
                ..NilRow::default()
            });
            let v = sign * i.txval;
            match i.class {
                Class::Nil => row.nil_amt += v,
                Class::Exempt => row.expt_amt += v,
                Class::NonGst | Class::Taxable => row.ngsup_amt += v,
            }
            if !fed.contains(&"nil") {
                fed.push("nil");
            }
        }
        for (n, i) in doc.items.iter().enumerate() {
            let code = match &i.hsn {
                Some(h) => h.clone(),
                None => {
                    warnings.push(format!(
                        "{} {} line {} has no HSN/SAC code; the portal needs one in the HSN summary",
                        if doc.note { "credit note" } else { "invoice" },
                        doc.number,
                        n + 1
                    ));
                    String::new()
                }
            };
            let key = (registered, code, i.uqc(), i.rate.normalize());
            let e = hsn.entry(key).or_insert_with(|| (i.desc.clone(), zero(i)));
            add(&mut e.1, i, sign);
            e.1.qty += Decimal::from(sign) * i.qty;
        }
        if !doc.items.is_empty() {
            fed.push("hsn");
        }
        feeds.push(fed);
    }
    let rows = |b2b_side: Option<bool>| {
        hsn.iter()
            .filter(|((b, ..), _)| b2b_side.is_none_or(|s| s == *b))
            .zip(1..)
            .map(|(((_, code, uqc, rate), (desc, i)), num)| HsnRow {
                num,
                hsn_sc: code.clone(),
                desc: desc.chars().take(30).collect(),
                uqc,
                qty: Num(i.qty),
                rt: Num(*rate),
                txval: Paise(i.txval),
                iamt: Paise(i.iamt),
                camt: Paise(i.camt),
                samt: Paise(i.samt),
                csamt: Paise(i.csamt),
            })
            .collect::<Vec<_>>()
    };
    let split_from = NaiveDate::from_ymd_opt(2025, 5, 1).expect("a date");
    let hsn = if period.first >= split_from {
        Hsn {
            data: None,
            hsn_b2b: Some(rows(Some(true))),
            hsn_b2c: Some(rows(Some(false))),
        }
    } else {
        Hsn {
            data: Some(rows(None)),
            ..Hsn::default()
        }
    };
    let gstr1 = Gstr1 {
        gstin: gstin.to_owned(),
        fp: period.fp(),
        b2b: b2b
            .into_iter()
            .map(|(ctin, inv)| B2b { ctin, inv })
            .collect(),
        b2cl: b2cl
            .into_iter()
            .map(|(pos, inv)| B2cl { pos, inv })
            .collect(),
        b2cs: b2cs
            .into_iter()
            .map(|((sply_ty, pos, rt), i)| {
                let inter = sply_ty == "INTER";
                B2cs {
                    sply_ty,
                    pos,
                    typ: "OE",
                    rt: Num(rt),
                    txval: Paise(i.txval),
                    iamt: inter.then_some(Paise(i.iamt)),
                    camt: (!inter).then_some(Paise(i.camt)),
                    samt: (!inter).then_some(Paise(i.samt)),
                    csamt: Paise(i.csamt),
                }
            })
            .collect(),
        cdnr: cdnr
            .into_iter()
            .map(|(ctin, nt)| Cdnr { ctin, nt })
            .collect(),
        cdnur,
        exp: exp
            .into_iter()
            .map(|(exp_typ, inv)| Exp { exp_typ, inv })
            .collect(),
        nil: (!nil.is_empty()).then(|| Nil {
            inv: nil.into_values().collect(),
        }),
        hsn,
        doc_issue: doc_issue(issued),
    };
    Made {
        gstr1,
        feeds,
        warnings,
    }
}

fn zero(i: &Item) -> Item {
    Item {
        txval: 0,
        iamt: 0,
        camt: 0,
        samt: 0,
        csamt: 0,
        qty: Decimal::ZERO,
        ..i.clone()
    }
}

fn add(e: &mut Item, i: &Item, sign: Minor) {
    e.txval += sign * i.txval;
    e.iamt += sign * i.iamt;
    e.camt += sign * i.camt;
    e.samt += sign * i.samt;
    e.csamt += sign * i.csamt;
}

/// A number's series (what comes before its last run of digits) and that
/// run's value: `MUM/25-26/00042` is (`MUM/25-26/`, 42).
fn series_of(number: &str) -> (&str, u64) {
    let digits = number
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let (prefix, tail) = number.split_at(number.len() - digits);
    (prefix, tail.parse().unwrap_or(0))
}

/// Table 13: per document type and series, the first and last number
/// issued, how many, and how many were cancelled.
fn doc_issue(issued: &[Issued]) -> DocIssue {
    let kinds: [(bool, u32, &'static str); 2] = [
        (false, 1, "Invoices for outward supply"),
        (true, 5, "Credit Note"),
    ];
    let doc_det = kinds
        .into_iter()
        .filter_map(|(note, doc_num, doc_typ)| {
            let mut series: BTreeMap<&str, Vec<(u64, &Issued)>> = BTreeMap::new();
            for i in issued.iter().filter(|i| i.note == note) {
                let (prefix, n) = series_of(&i.number);
                series.entry(prefix).or_default().push((n, i));
            }
            if series.is_empty() {
                return None;
            }
            let docs = series
                .into_values()
                .zip(1..)
                .map(|(mut nums, num)| {
                    nums.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.number.cmp(&b.1.number)));
                    let totnum = nums.len() as u32;
                    let cancel = nums.iter().filter(|(_, i)| i.cancelled).count() as u32;
                    DocSeries {
                        num,
                        from: nums
                            .first()
                            .map(|(_, i)| i.number.clone())
                            .unwrap_or_default(),
                        to: nums
                            .last()
                            .map(|(_, i)| i.number.clone())
                            .unwrap_or_default(),
                        totnum,
                        cancel,
                        net_issue: totnum - cancel,
                    }
                })
                .collect();
            Some(DocDet {
                doc_num,
                doc_typ,
                docs,
            })
        })
        .collect();
    DocIssue { doc_det }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{doc, item};
    use super::*;

    const ME: &str = "27AAPFU0939F1ZV";
    const THEM: &str = "29AAGCB7383J1Z4";

    fn period() -> Period {
        Period::parse("period", "202604").unwrap()
    }

    #[test]
    fn b2cl_limit_by_date() {
        assert_eq!(
            b2cl_limit(NaiveDate::from_ymd_opt(2024, 7, 31).unwrap()),
            25_000_000
        );
        assert_eq!(
            b2cl_limit(NaiveDate::from_ymd_opt(2024, 8, 1).unwrap()),
            10_000_000
        );
    }

    #[test]
    fn sections_by_recipient_and_value() {
        let docs = vec![
            doc(
                "A1",
                Some(THEM),
                "29",
                vec![item(Class::Taxable, "18", 100_000, true)],
            ),
            // Unregistered, inter-state, 1,18,000 > 1,00,000: B2C large.
            doc(
                "A2",
                None,
                "29",
                vec![item(Class::Taxable, "18", 10_000_000, true)],
            ),
            // Unregistered, inter-state, small: B2C small.
            doc(
                "A3",
                None,
                "29",
                vec![item(Class::Taxable, "18", 50_000, true)],
            ),
            // Intra-state, large: still B2C small.
            doc(
                "A4",
                None,
                "27",
                vec![item(Class::Taxable, "5", 20_000_000, false)],
            ),
            // Export under LUT, zero-rated.
            doc("A5", None, "96", vec![item(Class::Nil, "0", 500_000, true)]),
            // A nil-rated line on a registered sale.
            doc(
                "A6",
                Some(THEM),
                "27",
                vec![
                    item(Class::Taxable, "12", 10_000, false),
                    item(Class::Nil, "0", 7_000, false),
                ],
            ),
        ];
        let made = gstr1(ME, "27", period(), &docs, &[]);
        let r = &made.gstr1;
        assert_eq!(r.b2b.len(), 1);
        assert_eq!(r.b2b[0].inv.len(), 2);
        assert_eq!(r.b2cl[0].inv[0].inum, "A2");
        assert_eq!(r.b2cs.len(), 2);
        assert_eq!(r.exp[0].exp_typ, "WOPAY");
        let nil = r.nil.as_ref().unwrap();
        assert_eq!(nil.inv[0].sply_ty, "INTRAB2B");
        assert_eq!(nil.inv[0].nil_amt, Paise(7_000));
        assert_eq!(made.feeds[5], vec!["b2b", "nil", "hsn"]);
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(json["b2b"][0]["inv"][0]["idt"], "10-04-2026");
        assert_eq!(
            json["b2b"][0]["inv"][0]["itms"][0]["itm_det"]["iamt"],
            180.0
        );
        assert!(
            json["b2b"][0]["inv"][0]["itms"][0]["itm_det"]
                .get("camt")
                .is_none()
        );
        assert!(json["hsn"].get("hsn_b2b").is_some());
    }

    #[test]
    fn credit_notes_go_where_their_recipient_is() {
        let mut registered = doc(
            "CN1",
            Some(THEM),
            "29",
            vec![item(Class::Taxable, "18", 10_000, true)],
        );
        registered.note = true;
        let mut small = doc(
            "CN2",
            None,
            "27",
            vec![item(Class::Taxable, "18", 10_000, false)],
        );
        small.note = true;
        let sale = doc(
            "A1",
            None,
            "27",
            vec![item(Class::Taxable, "18", 50_000, false)],
        );
        let made = gstr1(ME, "27", period(), &[registered, small, sale], &[]);
        assert_eq!(made.gstr1.cdnr[0].nt[0].ntty, "C");
        // The unregistered credit note nets in b2cs.
        assert_eq!(made.gstr1.b2cs[0].txval, Paise(40_000));
        assert_eq!(made.gstr1.b2cs[0].camt, Some(Paise(3_600)));
    }

    #[test]
    fn doc_issue_counts_cancelled_numbers() {
        let issued: Vec<Issued> = ["INV-00001", "INV-00002", "INV-00010", "CN-00001"]
            .iter()
            .enumerate()
            .map(|(i, n)| Issued {
                note: n.starts_with("CN"),
                number: (*n).into(),
                cancelled: i == 1,
            })
            .collect();
        let d = doc_issue(&issued);
        let inv = &d.doc_det[0].docs[0];
        assert_eq!(
            (inv.from.as_str(), inv.to.as_str()),
            ("INV-00001", "INV-00010")
        );
        assert_eq!((inv.totnum, inv.cancel, inv.net_issue), (3, 1, 2));
        assert_eq!(d.doc_det[1].doc_num, 5);
        assert_eq!(series_of("MUM/25-26/00042"), ("MUM/25-26/", 42));
    }
}
