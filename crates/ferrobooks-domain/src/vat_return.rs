//! The UK VAT return (DOMAIN.md section 4): its nine boxes from the lines
//! of the period's sales and purchases, in the base currency (pounds).
//!
//! - Sales (invoices, sales receipts; credit notes and refund receipts
//!   negative): their VAT in box 1, their net in box 6, zero-rated and
//!   exempt supplies included.
//! - Purchases (bills, expenses, checks, bank and card payments; vendor
//!   and card credits negative): their claimed VAT in box 4, their net in
//!   box 7, exempt purchases included. Under the domestic reverse charge
//!   the buyer accounts for the VAT both ways: box 1 and box 4.
//! - Lines without a VAT rate are outside the scope of VAT: in no box.
//! - Bad-debt relief: the VAT on a sale written off as a bad debt at
//!   least six months after its due date ([`relief_due`]) is reclaimed in
//!   box 4 of the period it is written off in (and paid back there if the
//!   write-off is undone).
//! - Boxes 2, 8 and 9 (goods moving between Northern Ireland and the EU)
//!   are 0: the books do not record such movements.
//!
//! Boxes 1 to 5 are exact to the penny; 6 to 9 are whole pounds, pence
//! left out (toward zero), as HMRC asks.

use crate::document::Side;

/// How a line's supply stands for VAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supply {
    /// Standard, reduced or zero rate: in the boxes with its VAT.
    Taxable,
    /// Exempt: its value in box 6 or 7, no VAT.
    Exempt,
    /// No VAT rate at all: in no box.
    OutsideScope,
}

/// One document line as the return weighs it, in pence of the base
/// currency.
#[derive(Debug, Clone, Copy)]
pub struct VatLine {
    pub side: Side,
    /// +1, or -1 for a credit note, refund or vendor credit.
    pub sign: i64,
    pub net: i64,
    /// The VAT on the line (output VAT on a sale; the VAT claimed, or
    /// accounted for under reverse charge, on a purchase).
    pub vat: i64,
    pub supply: Supply,
    /// A purchase under the domestic reverse charge.
    pub reverse_charge: bool,
}

/// The boxes a line feeds, for drill-down.
pub fn boxes_of(l: &VatLine) -> &'static [u8] {
    match (l.supply, l.side, l.reverse_charge) {
        (Supply::OutsideScope, ..) => &[],
        (Supply::Exempt, Side::Sale, _) => &[6],
        (Supply::Exempt, Side::Purchase, _) => &[7],
        (Supply::Taxable, Side::Sale, _) => &[1, 6],
        (Supply::Taxable, Side::Purchase, false) => &[4, 7],
        (Supply::Taxable, Side::Purchase, true) => &[1, 4, 7],
    }
}

/// The nine boxes, in pence (6 to 9 whole pounds, so multiples of 100).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VatBoxes {
    pub box1: i64,
    pub box2: i64,
    pub box3: i64,
    pub box4: i64,
    pub box5: i64,
    pub box6: i64,
    pub box7: i64,
    pub box8: i64,
    pub box9: i64,
}

/// Whether a debt written off on `written_off` carries bad-debt relief:
/// six months or more past its due date.
pub fn relief_due(due: chrono::NaiveDate, written_off: chrono::NaiveDate) -> bool {
    due.checked_add_months(chrono::Months::new(6))
        .is_some_and(|d| written_off >= d)
}

/// The return of a period's lines and the bad-debt relief of its
/// write-offs (VAT reclaimed, in pence).
pub fn boxes(lines: &[VatLine], bad_debt_relief: i64) -> VatBoxes {
    let (mut b1, mut b4, mut b6, mut b7) = (0i64, 0i64, 0i64, 0i64);
    for l in lines {
        let (net, vat) = (l.sign * l.net, l.sign * l.vat);
        for b in boxes_of(l) {
            match b {
                1 => b1 += vat,
                4 => b4 += vat,
                6 => b6 += net,
                7 => b7 += net,
                _ => {}
            }
        }
    }
    b4 += bad_debt_relief;
    let pounds = |p: i64| p / 100 * 100;
    let b3 = b1;
    VatBoxes {
        box1: b1,
        box2: 0,
        box3: b3,
        box4: b4,
        box5: (b3 - b4).abs(),
        box6: pounds(b6),
        box7: pounds(b7),
        box8: 0,
        box9: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(side: Side, sign: i64, net: i64, vat: i64, supply: Supply, rc: bool) -> VatLine {
        VatLine {
            side,
            sign,
            net,
            vat,
            supply,
            reverse_charge: rc,
        }
    }

    #[test]
    fn a_quarter_box_by_box() {
        use Side::{Purchase as P, Sale as S};
        use Supply::{Exempt as E, OutsideScope as O, Taxable as T};
        let b = boxes(
            &[
                line(S, 1, 100_000, 20_000, T, false), // standard sale
                line(S, 1, 50_050, 0, T, false),       // zero-rated sale
                line(S, 1, 30_000, 0, E, false),       // exempt sale
                line(S, -1, 10_000, 2_000, T, false),  // credit note
                line(S, 1, 99_999, 0, O, false),       // outside the scope
                line(P, 1, 40_000, 8_000, T, false),   // standard purchase
                line(P, 1, 25_000, 5_000, T, true),    // reverse charge purchase
                line(P, 1, 1_099, 0, E, false),        // exempt purchase
            ],
            0,
        );
        assert_eq!(
            b,
            VatBoxes {
                box1: 20_000 - 2_000 + 5_000,
                box2: 0,
                box3: 23_000,
                box4: 13_000,
                box5: 10_000,
                box6: 170_000, // 1,700.50 less the pence
                box7: 66_000,  // 660.99 less the pence
                box8: 0,
                box9: 0,
            }
        );
    }

    #[test]
    fn a_repayment_is_filed_as_a_positive_box_5_and_pence_go_toward_zero() {
        let b = boxes(
            &[VatLine {
                side: Side::Purchase,
                sign: -1,
                net: 12_345,
                vat: 2_469,
                supply: Supply::Taxable,
                reverse_charge: false,
            }],
            0,
        );
        assert_eq!((b.box4, b.box5, b.box7), (-2_469, 2_469, -12_300));
        let b = boxes(
            &[VatLine {
                side: Side::Purchase,
                sign: 1,
                net: 100,
                vat: 20,
                supply: Supply::Taxable,
                reverse_charge: false,
            }],
            0,
        );
        assert_eq!((b.box1, b.box4, b.box5), (0, 20, 20));
    }

    #[test]
    fn bad_debt_relief_is_reclaimed_in_box_4_from_six_months_past_due() {
        let sale = line(Side::Sale, 1, 100_000, 20_000, Supply::Taxable, false);
        let b = boxes(&[sale], 5_000);
        assert_eq!(
            (b.box1, b.box4, b.box5, b.box6),
            (20_000, 5_000, 15_000, 100_000)
        );
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(!relief_due(d("2026-01-31"), d("2026-07-30")));
        assert!(relief_due(d("2026-01-31"), d("2026-07-31")));
        assert!(relief_due(d("2025-08-31"), d("2026-02-28")));
        assert!(!relief_due(d("2025-08-31"), d("2026-02-27")));
    }
}
