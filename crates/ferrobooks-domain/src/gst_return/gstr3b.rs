//! GSTR-3B: the month's summary return, in the portal's field names.
//!
//! - 3.1 outward supplies: (a) `osup_det` taxable at home, (b) `osup_zero`
//!   exports and supplies to SEZs, (c) `osup_nil_exmp` nil-rated and
//!   exempt, (d) `isup_rev` purchases under reverse charge (the buyer owes
//!   the tax), (e) `osup_nongst`. Credit notes net in.
//! - 3.2 `inter_sup`: inter-state taxable supplies to the unregistered,
//!   by place of supply.
//! - 4 input tax credit from purchases by eligibility: 4(A) available
//!   (imports of goods and of services, reverse charge, all other), 4(B)(2)
//!   temporary reversals, 4(C) net, 4(D)(1) blocked by section 17(5),
//!   4(D)(2) restricted by place of supply. Vendor credits take back.
//! - 5 `inward_sup`: nil-rated, exempt and non-GST purchases, inter- and
//!   intra-state.
//! - 6.1 the tax payable on outward supplies set off against the month's
//!   net credit in the rule 88A order (IGST credit first: against IGST,
//!   then CGST and SGST; CGST credit against CGST then IGST, never SGST;
//!   SGST alike; cess only against cess); the rest, and all reverse
//!   charge tax, in cash.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Class, Doc, Heads, Item, Paise, Period};
use crate::Minor;
use crate::document::purchase_tax::ItcEligibility;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Supplies {
    pub txval: Paise,
    #[serde(flatten)]
    pub tax: Heads,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Value {
    pub txval: Paise,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupDetails {
    pub osup_det: Supplies,
    pub osup_zero: Supplies,
    pub osup_nil_exmp: Value,
    pub isup_rev: Supplies,
    pub osup_nongst: Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceRow {
    pub pos: String,
    pub txval: Paise,
    pub iamt: Paise,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterSup {
    pub unreg_details: Vec<PlaceRow>,
    /// Composition taxable persons and UIN holders: the books keep no
    /// such registration type, so these stay empty.
    pub comp_details: Vec<PlaceRow>,
    pub uin_details: Vec<PlaceRow>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItcRow {
    pub ty: &'static str,
    #[serde(flatten)]
    pub tax: Heads,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItcElg {
    /// 4(A): IMPG, IMPS, ISRC, ISD, OTH.
    pub itc_avl: Vec<ItcRow>,
    /// 4(B): RUL (rules 38, 42, 43 and section 17(5)), OTH.
    pub itc_rev: Vec<ItcRow>,
    /// 4(C) = 4(A) - 4(B).
    pub itc_net: Heads,
    /// 4(D): RUL (section 17(5)), OTH (place of supply and others).
    pub itc_inelg: Vec<ItcRow>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InwardRow {
    pub ty: &'static str,
    pub inter: Paise,
    pub intra: Paise,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InwardSup {
    pub isup_details: Vec<InwardRow>,
}

/// The return, as the portal takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Gstr3b {
    pub gstin: String,
    pub ret_period: String,
    pub sup_details: SupDetails,
    pub inter_sup: InterSup,
    pub itc_elg: ItcElg,
    pub inward_sup: InwardSup,
}

/// What ITC of one head paid of the tax of one head.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThroughItc {
    pub igst: Paise,
    pub cgst: Paise,
    pub sgst: Paise,
    pub cess: Paise,
}

/// 6.1 for one tax head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    /// `igst`, `cgst`, `sgst` or `cess`.
    pub tax: &'static str,
    /// Tax on outward supplies (other than reverse charge) to pay.
    pub payable: Paise,
    /// Paid through the credit of each head.
    pub paid_through_itc: ThroughItc,
    pub paid_in_cash: Paise,
    /// Tax owed under reverse charge: always paid in cash.
    pub reverse_charge_in_cash: Paise,
    /// This head's credit left after the set-off, carried forward.
    pub credit_left: Paise,
}

pub struct Made {
    pub gstr3b: Gstr3b,
    pub payment: Vec<Payment>,
    pub feeds: Vec<Vec<&'static str>>,
}

const AVAILABLE: [&str; 5] = ["IMPG", "IMPS", "ISRC", "ISD", "OTH"];

fn push(feeds: &mut Vec<&'static str>, f: &'static str) {
    if !feeds.contains(&f) {
        feeds.push(f);
    }
}

fn add(s: &mut Supplies, i: &Item, sign: Minor) {
    s.txval += sign * i.txval;
    s.tax.add(i, sign);
}

/// GSTR-3B of `period`, from the period's `sales` and `purchases`.
pub fn gstr3b(
    gstin: &str,
    org_state: &str,
    period: Period,
    sales: &[Doc],
    purchases: &[Doc],
) -> Made {
    let mut sup = SupDetails::default();
    let mut unreg: BTreeMap<String, PlaceRow> = BTreeMap::new();
    let mut feeds = Vec::with_capacity(sales.len() + purchases.len());
    for doc in sales {
        let mut fed = Vec::new();
        let sign = doc.sign();
        let zero_rated = doc.abroad() || doc.sez;
        let inter = doc.inter_state(org_state);
        for i in &doc.items {
            match i.class {
                Class::Taxable | Class::Nil if zero_rated => {
                    add(&mut sup.osup_zero, i, sign);
                    push(&mut fed, "3.1(b)");
                }
                Class::Taxable => {
                    add(&mut sup.osup_det, i, sign);
                    push(&mut fed, "3.1(a)");
                    if inter && doc.gstin.is_none() {
                        let r = unreg.entry(doc.pos.clone()).or_insert_with(|| PlaceRow {
                            pos: doc.pos.clone(),
                            txval: Paise(0),
                            iamt: Paise(0),
                        });
                        r.txval += sign * i.txval;
                        r.iamt += sign * i.iamt;
                        push(&mut fed, "3.2");
                    }
                }
                Class::Nil | Class::Exempt => {
                    sup.osup_nil_exmp.txval += sign * i.txval;
                    push(&mut fed, "3.1(c)");
                }
                Class::NonGst => {
                    sup.osup_nongst.txval += sign * i.txval;
                    push(&mut fed, "3.1(e)");
                }
            }
        }
        feeds.push(fed);
    }
    let mut avl = AVAILABLE.map(|ty| ItcRow {
        ty,
        ..ItcRow::default()
    });
    let mut rev = ["RUL", "OTH"].map(|ty| ItcRow {
        ty,
        ..ItcRow::default()
    });
    let mut inelg = ["RUL", "OTH"].map(|ty| ItcRow {
        ty,
        ..ItcRow::default()
    });
    let mut inward = [("GST", 0, 0), ("NONGST", 0, 0)];
    for doc in purchases {
        let mut fed = Vec::new();
        let sign = doc.sign();
        let inter = doc.inter_state(org_state);
        for i in &doc.items {
            if i.reverse_charge {
                add(&mut sup.isup_rev, i, sign);
                push(&mut fed, "3.1(d)");
            }
            let row = match i.class {
                Class::Nil | Class::Exempt => Some(0),
                Class::NonGst => Some(1),
                Class::Taxable => None,
            };
            if let Some(r) = row {
                let cell = if inter {
                    &mut inward[r].1
                } else {
                    &mut inward[r].2
                };
                *cell += sign * i.txval;
                push(&mut fed, "5");
                continue;
            }
            let source = if doc.abroad() && i.goods {
                0
            } else if doc.abroad() {
                1
            } else if i.reverse_charge {
                2
            } else {
                4
            };
            match i.itc {
                ItcEligibility::Eligible => {
                    avl[source].tax.add(i, sign);
                    push(&mut fed, "4(A)");
                }
                ItcEligibility::TemporaryReversal => {
                    avl[source].tax.add(i, sign);
                    rev[1].tax.add(i, sign);
                    push(&mut fed, "4(A)");
                    push(&mut fed, "4(B)(2)");
                }
                ItcEligibility::Ineligible17_5 => {
                    inelg[0].tax.add(i, sign);
                    push(&mut fed, "4(D)(1)");
                }
                ItcEligibility::PosRestricted => {
                    inelg[1].tax.add(i, sign);
                    push(&mut fed, "4(D)(2)");
                }
            }
        }
        feeds.push(fed);
    }
    let mut net = Heads::default();
    for r in &avl {
        net.plus(&r.tax);
    }
    for r in &rev {
        net.sub(&r.tax);
    }
    let mut owed = sup.osup_det.tax;
    owed.plus(&sup.osup_zero.tax);
    let payment = set_off(owed.array(), net.array(), sup.isup_rev.tax.array());
    Made {
        gstr3b: Gstr3b {
            gstin: gstin.to_owned(),
            ret_period: period.fp(),
            sup_details: sup,
            inter_sup: InterSup {
                unreg_details: unreg.into_values().collect(),
                ..InterSup::default()
            },
            itc_elg: ItcElg {
                itc_avl: avl.to_vec(),
                itc_rev: rev.to_vec(),
                itc_net: net,
                itc_inelg: inelg.to_vec(),
            },
            inward_sup: InwardSup {
                isup_details: inward
                    .into_iter()
                    .map(|(ty, inter, intra)| InwardRow {
                        ty,
                        inter: Paise(inter),
                        intra: Paise(intra),
                    })
                    .collect(),
            },
        },
        payment,
        feeds,
    }
}

const HEADS: [&str; 4] = ["igst", "cgst", "sgst", "cess"];
const IGST: usize = 0;
const CGST: usize = 1;
const SGST: usize = 2;
const CESS: usize = 3;

/// Sets the tax owed (`[igst, cgst, sgst, cess]`) off against the credit
/// in the rule 88A order; what is left is paid in cash. A negative credit
/// (vendor credits beyond the month's purchases) is owed on top; a
/// negative liability (credit notes beyond the month's sales) is nothing
/// to pay.
pub fn set_off(owed: [Minor; 4], credit: [Minor; 4], reverse_charge: [Minor; 4]) -> Vec<Payment> {
    let mut left: [Minor; 4] = std::array::from_fn(|h| (owed[h] - credit[h].min(0)).max(0));
    let payable = left;
    let mut cr: [Minor; 4] = credit.map(|c| c.max(0));
    // used[tax head][credit head]
    let mut used = [[0 as Minor; 4]; 4];
    let mut apply =
        |left: &mut [Minor; 4], cr: &mut [Minor; 4], by: usize, of: usize, cap: Minor| {
            let n = cr[by].min(left[of]).min(cap).max(0);
            cr[by] -= n;
            left[of] -= n;
            used[of][by] += n;
        };
    apply(&mut left, &mut cr, IGST, IGST, Minor::MAX);
    // IGST credit must be used up before any other: first where CGST or
    // SGST credit falls short, then against what is left of either.
    let short = |h: usize, left: &[Minor; 4], cr: &[Minor; 4]| (left[h] - cr[h]).max(0);
    let (sc, ss) = (short(CGST, &left, &cr), short(SGST, &left, &cr));
    apply(&mut left, &mut cr, IGST, CGST, sc);
    apply(&mut left, &mut cr, IGST, SGST, ss);
    apply(&mut left, &mut cr, IGST, CGST, Minor::MAX);
    apply(&mut left, &mut cr, IGST, SGST, Minor::MAX);
    apply(&mut left, &mut cr, CGST, CGST, Minor::MAX);
    apply(&mut left, &mut cr, CGST, IGST, Minor::MAX);
    apply(&mut left, &mut cr, SGST, SGST, Minor::MAX);
    apply(&mut left, &mut cr, SGST, IGST, Minor::MAX);
    apply(&mut left, &mut cr, CESS, CESS, Minor::MAX);
    (0..4)
        .map(|h| Payment {
            tax: HEADS[h],
            payable: Paise(payable[h]),
            paid_through_itc: ThroughItc {
                igst: Paise(used[h][IGST]),
                cgst: Paise(used[h][CGST]),
                sgst: Paise(used[h][SGST]),
                cess: Paise(used[h][CESS]),
            },
            paid_in_cash: Paise(left[h]),
            reverse_charge_in_cash: Paise(reverse_charge[h].max(0)),
            credit_left: Paise(cr[h]),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{doc, item};
    use super::*;

    #[test]
    fn igst_credit_goes_first_and_covers_shortfalls() {
        // Owe IGST 100, CGST 300, SGST 300; credit IGST 400, CGST 100,
        // SGST 300. IGST pays IGST 100, then CGST's shortfall 200, then
        // (it must be used up first) the last 100 CGST too; SGST credit
        // pays SGST; 100 of CGST credit is carried forward.
        let p = set_off([100, 300, 300, 0], [400, 100, 300, 0], [0; 4]);
        assert_eq!(p[0].paid_through_itc.igst, Paise(100));
        assert_eq!(p[1].paid_through_itc.igst, Paise(300));
        assert_eq!(p[1].paid_through_itc.cgst, Paise(0));
        assert_eq!(p[2].paid_through_itc.sgst, Paise(300));
        assert!(p.iter().all(|r| r.paid_in_cash == Paise(0)));
        assert_eq!(p[1].credit_left, Paise(100));
        // Short on both sides: IGST credit covers the gaps, cash the rest.
        let p = set_off([0, 500, 500, 0], [300, 100, 100, 0], [0; 4]);
        let cash: Minor = p.iter().map(|r| r.paid_in_cash.0).sum();
        assert_eq!(cash, 500);
        assert!(p.iter().all(|r| r.credit_left == Paise(0)));
    }

    #[test]
    fn cgst_credit_never_pays_sgst() {
        let p = set_off([0, 0, 500, 0], [0, 500, 0, 0], [0; 4]);
        assert_eq!(p[2].paid_in_cash, Paise(500));
        assert_eq!(p[1].credit_left, Paise(500));
        // But it pays IGST.
        let p = set_off([300, 0, 0, 0], [0, 500, 0, 0], [0; 4]);
        assert_eq!(p[0].paid_through_itc.cgst, Paise(300));
    }

    #[test]
    fn set_off_pays_everything_owed_exactly_once() {
        // Random-ish sweep: payable = ITC used + cash, credit = used + left.
        for seed in 0..500u64 {
            let r = |k: u64| ((seed * 7919 + k * 104_729) % 1000) as Minor - 100;
            let owed = [r(1), r(2), r(3), r(4)];
            let credit = [r(5), r(6), r(7), r(8)];
            let p = set_off(owed, credit, [0; 4]);
            for (h, row) in p.iter().enumerate() {
                let t = row.paid_through_itc;
                let through = t.igst.0 + t.cgst.0 + t.sgst.0 + t.cess.0;
                assert_eq!(row.payable.0, through + row.paid_in_cash.0, "seed {seed}");
                let spent: Minor = p
                    .iter()
                    .map(|x| {
                        let t = x.paid_through_itc;
                        [t.igst.0, t.cgst.0, t.sgst.0, t.cess.0][h]
                    })
                    .sum();
                assert_eq!(credit[h].max(0), spent + row.credit_left.0, "seed {seed}");
            }
            // IGST credit is left only when nothing could take it.
            if p[0].credit_left.0 > 0 {
                assert!(p[..3].iter().all(|x| x.paid_in_cash.0 == 0), "seed {seed}");
            }
        }
    }

    #[test]
    fn itc_by_eligibility() {
        let period = Period::parse("period", "202604").unwrap();
        let mut bill = doc(
            "B1",
            Some("27AAGCB7383J1Z4"),
            "27",
            vec![
                item(Class::Taxable, "18", 10_000, false),
                item(Class::Taxable, "18", 20_000, false),
                item(Class::Taxable, "18", 30_000, false),
                item(Class::Taxable, "18", 40_000, false),
            ],
        );
        bill.items[1].itc = ItcEligibility::Ineligible17_5;
        bill.items[2].itc = ItcEligibility::TemporaryReversal;
        bill.items[3].reverse_charge = true;
        let made = gstr3b("27AAPFU0939F1ZV", "27", period, &[], &[bill]);
        let itc = &made.gstr3b.itc_elg;
        assert_eq!(itc.itc_avl[4].tax.camt, Paise(900 + 2_700));
        assert_eq!(itc.itc_avl[2].tax.camt, Paise(3_600));
        assert_eq!(itc.itc_rev[1].tax.camt, Paise(2_700));
        assert_eq!(itc.itc_inelg[0].tax.camt, Paise(1_800));
        assert_eq!(itc.itc_net.camt, Paise(900 + 3_600));
        assert_eq!(made.gstr3b.sup_details.isup_rev.txval, Paise(40_000));
        assert_eq!(made.payment[1].reverse_charge_in_cash, Paise(3_600));
    }
}
