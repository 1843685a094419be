//! What a document posts (../shared/DOMAIN.md section 1), in the base
//! currency, as lines a [`BalancedEntry`](crate::BalancedEntry) takes.
//!
//! A sale (invoice, sales receipt): Dr the control account (receivable,
//! with the customer, or the bank for a receipt) for the grand total; Cr
//! income per account; Cr each output tax account; the round-off account
//! takes the rounding on the side its sign decides. A purchase (bill): Dr
//! cost per account (expense, asset or inventory), with any tax that
//! becomes cost (blocked input credit, US sales tax) added to the line's
//! account; Dr each input tax account the organization may claim; Cr the
//! payable (with the vendor) for what the vendor is owed. A
//! reverse-charge tax is owed to the government, not the vendor: Dr
//! input tax, Cr its payable account, outside the vendor's total. A
//! return (credit note, refund receipt, vendor credit) posts the mirror.
//!
//! Amounts arrive already in the base currency (each line converted at the
//! document's rate and rounded by the caller), and the control line is
//! their sum, so the entry balances exactly whatever the rate.

use std::collections::BTreeMap;

use super::{Kind, Side};
use crate::{EntryLine, Minor};

/// A line on `account`: a debit when `amount` is positive and `debit` is
/// true, else a credit (a negative amount flips the side).
pub fn line(
    account: &str,
    amount: Minor,
    debit: bool,
    contact: Option<&str>,
    description: Option<&str>,
) -> EntryLine {
    let (d, c) = if (amount >= 0) == debit {
        (amount.abs(), 0)
    } else {
        (0, amount.abs())
    };
    EntryLine {
        account_id: account.to_owned(),
        debit: d,
        credit: c,
        description: description.map(str::to_owned),
        contact_id: contact.map(str::to_owned),
        foreign: None,
    }
}

/// How a tax on a line posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Treatment {
    /// Charged to the customer: output tax (sales).
    Output,
    /// Paid to the vendor and claimed back: input tax (purchases).
    Claimed,
    /// Paid to the vendor and not claimable (blocked credit, US sales tax
    /// on purchases): part of the line's cost.
    Cost,
    /// Not paid to the vendor: the buyer owes it (reverse charge). Dr the
    /// tax's (input) account, Cr `payable`.
    ReverseCharge { payable: String },
    /// Owed by the buyer under reverse charge and not claimable: part of
    /// the line's cost, Cr `payable` (the tax's own account is unused).
    ReverseChargeCost { payable: String },
}

/// One tax component of a line as it posts, in the base currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxPosting {
    pub account_id: String,
    pub amount: Minor,
    pub treatment: Treatment,
}

/// One document line as it posts, in the base currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinePosting {
    /// Income for a sale; expense, asset or inventory for a purchase.
    pub account_id: String,
    pub net: Minor,
    pub taxes: Vec<TaxPosting>,
}

/// The account the document settles against: receivable or payable (with
/// its contact), or the bank for a document paid on the spot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    pub account_id: String,
    pub contact_id: Option<String>,
    /// The control line's description (the document's number).
    pub label: String,
}

/// A document's entry, and the base amount of its control line (what the
/// customer owes or the vendor is owed, in the base currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub lines: Vec<EntryLine>,
    pub control_total: Minor,
}

/// The entry of a document of `kind`. `rounding` is the round-off account
/// and the base amount rounding added to the grand total. Accounts are
/// summed (income and cost per account, each tax account once), so an
/// entry has a handful of lines however many the document has; the
/// control line comes first, then lines in account order, then taxes,
/// then the round-off.
pub fn post(
    kind: Kind,
    control: &Control,
    lines: &[LinePosting],
    rounding: Option<(&str, Minor)>,
) -> Posting {
    // The side the document's own lines take: a sale credits income, a
    // purchase debits cost; a return takes the other side.
    let lines_debit = (kind.side() == Side::Purchase) != kind.is_return();
    let mut by_account: BTreeMap<&str, Minor> = BTreeMap::new();
    let mut taxes: BTreeMap<&str, Minor> = BTreeMap::new();
    let mut reverse: BTreeMap<&str, Minor> = BTreeMap::new();
    // What the counterparty is owed (or owes): everything but the tax the
    // buyer owes the government under reverse charge.
    let mut total: Minor = 0;
    for l in lines {
        let mut cost = l.net;
        let mut owed_cost = l.net;
        for t in &l.taxes {
            match &t.treatment {
                Treatment::Output | Treatment::Claimed => {
                    *taxes.entry(&t.account_id).or_default() += t.amount;
                    total += t.amount;
                }
                Treatment::Cost => {
                    cost += t.amount;
                    owed_cost += t.amount;
                }
                Treatment::ReverseCharge { payable } => {
                    *taxes.entry(&t.account_id).or_default() += t.amount;
                    *reverse.entry(payable).or_default() += t.amount;
                }
                Treatment::ReverseChargeCost { payable } => {
                    cost += t.amount;
                    *reverse.entry(payable).or_default() += t.amount;
                }
            }
        }
        *by_account.entry(&l.account_id).or_default() += cost;
        total += owed_cost;
    }
    let mut other = Vec::new();
    for (account, amount) in by_account {
        other.push(line(account, amount, lines_debit, None, None));
    }
    for (account, amount) in taxes {
        other.push(line(account, amount, lines_debit, None, Some("Tax")));
    }
    for (account, amount) in reverse {
        other.push(line(
            account,
            amount,
            !lines_debit,
            None,
            Some("Reverse charge"),
        ));
    }
    if let Some((account, amount)) = rounding.filter(|(_, a)| *a != 0) {
        total += amount;
        other.push(line(account, amount, lines_debit, None, Some("Round-off")));
    }
    let mut out = vec![line(
        &control.account_id,
        total,
        !lines_debit,
        control.contact_id.as_deref(),
        Some(&control.label),
    )];
    out.extend(other);
    Posting {
        lines: out,
        control_total: total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn control() -> Control {
        Control {
            account_id: "ar".into(),
            contact_id: Some("cus".into()),
            label: "INV-1".into(),
        }
    }

    fn sides(p: &Posting) -> Vec<(String, Minor, Minor)> {
        p.lines
            .iter()
            .map(|l| (l.account_id.clone(), l.debit, l.credit))
            .collect()
    }

    fn tax(account: &str, amount: Minor, treatment: Treatment) -> TaxPosting {
        TaxPosting {
            account_id: account.into(),
            amount,
            treatment,
        }
    }

    #[test]
    fn a_sale_credits_income_and_output_tax() {
        let lines = [
            LinePosting {
                account_id: "sales".into(),
                net: 10_000,
                taxes: vec![
                    tax("cgst", 900, Treatment::Output),
                    tax("sgst", 900, Treatment::Output),
                ],
            },
            LinePosting {
                account_id: "sales".into(),
                net: 49,
                taxes: vec![],
            },
        ];
        let p = post(Kind::Invoice, &control(), &lines, Some(("round", 51)));
        assert_eq!(p.control_total, 11_900);
        assert_eq!(
            sides(&p),
            [
                ("ar".into(), 11_900, 0),
                ("sales".into(), 0, 10_049),
                ("cgst".into(), 0, 900),
                ("sgst".into(), 0, 900),
                ("round".into(), 0, 51),
            ]
        );
        assert_eq!(p.lines[0].contact_id.as_deref(), Some("cus"));
        let r = post(Kind::CreditNote, &control(), &lines, Some(("round", 51)));
        assert_eq!(r.lines[0].credit, 11_900);
        assert_eq!(r.lines[1].debit, 10_049);
    }

    #[test]
    fn a_bill_splits_claimed_cost_and_reverse_charge() {
        let lines = [
            // Eligible input credit.
            LinePosting {
                account_id: "rent".into(),
                net: 10_000,
                taxes: vec![tax("igst_in", 1_800, Treatment::Claimed)],
            },
            // Blocked credit: the tax is cost.
            LinePosting {
                account_id: "meals".into(),
                net: 1_000,
                taxes: vec![tax("igst_in", 50, Treatment::Cost)],
            },
            // Reverse charge: the vendor is owed the net only.
            LinePosting {
                account_id: "legal".into(),
                net: 5_000,
                taxes: vec![tax(
                    "igst_in",
                    900,
                    Treatment::ReverseCharge {
                        payable: "rcm_payable".into(),
                    },
                )],
            },
        ];
        let p = post(Kind::Bill, &control(), &lines, None);
        assert_eq!(
            sides(&p),
            [
                ("ar".into(), 0, 17_850),
                ("legal".into(), 5_000, 0),
                ("meals".into(), 1_050, 0),
                ("rent".into(), 10_000, 0),
                ("igst_in".into(), 2_700, 0),
                ("rcm_payable".into(), 0, 900),
            ]
        );
        let debits: Minor = p.lines.iter().map(|l| l.debit).sum();
        let credits: Minor = p.lines.iter().map(|l| l.credit).sum();
        assert_eq!(debits, credits);
        let v = post(Kind::VendorCredit, &control(), &lines, None);
        assert_eq!(v.lines[0].debit, 17_850);
    }

    #[test]
    fn unclaimable_reverse_charge_is_cost_owed_to_the_government() {
        let lines = [LinePosting {
            account_id: "meals".into(),
            net: 1_000,
            taxes: vec![tax(
                "igst_in",
                50,
                Treatment::ReverseChargeCost {
                    payable: "rcm_payable".into(),
                },
            )],
        }];
        let p = post(Kind::Bill, &control(), &lines, None);
        assert_eq!(
            sides(&p),
            [
                ("ar".into(), 0, 1_000),
                ("meals".into(), 1_050, 0),
                ("rcm_payable".into(), 0, 50),
            ]
        );
    }

    #[test]
    fn negative_rounding_takes_the_other_side() {
        let lines = [LinePosting {
            account_id: "sales".into(),
            net: 1_049,
            taxes: vec![],
        }];
        let p = post(Kind::Invoice, &control(), &lines, Some(("round", -49)));
        assert_eq!(p.control_total, 1_000);
        assert_eq!(p.lines[2].debit, 49);
    }
}
