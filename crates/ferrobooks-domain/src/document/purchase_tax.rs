//! How the tax on a purchase line posts (DOMAIN.md sections 1, 3-5): the
//! tax engine ([`crate::tax`]) says how much each component is; this says
//! where it goes, from the organization's country, the line's reverse
//! charge flag and, in India, its input tax credit eligibility.
//!
//! - India GST: eligible credit is claimed on the input account of the
//!   component (CGST, SGST, IGST, cess); blocked credit (section 17(5))
//!   and place-of-supply restricted credit become part of the line's cost;
//!   a temporary reversal is still input tax in the books (the return
//!   reports it as reversed). Under reverse charge the vendor is not paid
//!   the tax: the buyer owes it as GST RCM payable, and claims it when
//!   eligible.
//! - UK VAT: input VAT is claimed on VAT on purchases; under the domestic
//!   reverse charge the buyer accounts for it both ways (Dr VAT on
//!   purchases, Cr VAT on sales) and pays the vendor the net.
//! - US sales tax paid on purchases is part of cost.
//!
//! Accounts are named by their chart system keys.

use crate::DomainError;
use crate::tax::TaxKind;

/// A bill line's input tax credit eligibility (India).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ItcEligibility {
    #[default]
    Eligible,
    /// Blocked by section 17(5) (motor vehicles, food, club memberships...).
    Ineligible17_5,
    /// Place of supply in another state than the registration's.
    PosRestricted,
    /// Reversed for now (rule 37/37A), reclaimable later.
    TemporaryReversal,
}

impl ItcEligibility {
    pub const ALL: &'static [ItcEligibility] = &[
        ItcEligibility::Eligible,
        ItcEligibility::Ineligible17_5,
        ItcEligibility::PosRestricted,
        ItcEligibility::TemporaryReversal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItcEligibility::Eligible => "eligible",
            ItcEligibility::Ineligible17_5 => "ineligible_17_5",
            ItcEligibility::PosRestricted => "pos_restricted",
            ItcEligibility::TemporaryReversal => "temporary_reversal",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<ItcEligibility, DomainError> {
        ItcEligibility::ALL
            .iter()
            .copied()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| {
                DomainError::invalid(
                    field,
                    format!(
                        "'{s}' is not one of {}",
                        ItcEligibility::ALL
                            .iter()
                            .map(|e| e.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }

    fn claimable(self) -> bool {
        matches!(
            self,
            ItcEligibility::Eligible | ItcEligibility::TemporaryReversal
        )
    }
}

/// What a purchase line says about its tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PurchaseLine {
    pub reverse_charge: bool,
    /// Indian organizations only; None is eligible.
    pub itc: Option<ItcEligibility>,
}

/// Where one component of a purchase line's tax posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputTax {
    /// Claimed: Dr the input account (paid to the vendor).
    Claim { input: &'static str },
    /// Part of the line's cost (paid to the vendor).
    Cost,
    /// Owed by the buyer, not paid to the vendor: Dr `input`, Cr `payable`.
    ReverseCharge {
        input: &'static str,
        payable: &'static str,
    },
    /// Owed by the buyer and not claimable: Dr the line's cost, Cr
    /// `payable`.
    ReverseChargeCost { payable: &'static str },
}

/// Checks what line `i` says against the organization's `country`.
pub fn check_line(country: &str, i: usize, line: PurchaseLine) -> Result<(), DomainError> {
    if line.reverse_charge && !matches!(country, "IN" | "GB") {
        return Err(DomainError::invalid(
            super::lines::field(i, "reverse_charge"),
            "the reverse charge is for Indian GST and UK VAT",
        ));
    }
    if line.itc.is_some() && country != "IN" {
        return Err(DomainError::invalid(
            super::lines::field(i, "itc_eligibility"),
            "input tax credit eligibility is an Indian GST notion",
        ));
    }
    Ok(())
}

/// Where `component` of a tax of `kind` on a purchase line posts, for an
/// organization in `country`.
pub fn input_tax(country: &str, kind: TaxKind, component: &str, line: PurchaseLine) -> InputTax {
    match (country, kind) {
        ("IN", TaxKind::Gst) => {
            let input = match component {
                "cgst" => "input_cgst",
                "sgst" => "input_sgst",
                "cess" => "input_cess",
                _ => "input_igst",
            };
            let claimable = line.itc.unwrap_or_default().claimable();
            match (line.reverse_charge, claimable) {
                (false, true) => InputTax::Claim { input },
                (false, false) => InputTax::Cost,
                (true, true) => InputTax::ReverseCharge {
                    input,
                    payable: "gst_rcm_payable",
                },
                (true, false) => InputTax::ReverseChargeCost {
                    payable: "gst_rcm_payable",
                },
            }
        }
        ("GB" | "UK", TaxKind::Vat) if line.reverse_charge => InputTax::ReverseCharge {
            input: "vat_on_purchases",
            payable: "vat_on_sales",
        },
        ("GB" | "UK", TaxKind::Vat) => InputTax::Claim {
            input: "vat_on_purchases",
        },
        // US sales tax, and any tax the books cannot reclaim.
        _ => InputTax::Cost,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(reverse_charge: bool, itc: Option<ItcEligibility>) -> PurchaseLine {
        PurchaseLine {
            reverse_charge,
            itc,
        }
    }

    #[test]
    fn indian_credit_follows_eligibility_and_reverse_charge() {
        assert_eq!(
            input_tax("IN", TaxKind::Gst, "igst", line(false, None)),
            InputTax::Claim {
                input: "input_igst"
            }
        );
        assert_eq!(
            input_tax(
                "IN",
                TaxKind::Gst,
                "cgst",
                line(false, Some(ItcEligibility::Ineligible17_5))
            ),
            InputTax::Cost
        );
        assert_eq!(
            input_tax("IN", TaxKind::Gst, "sgst", line(true, None)),
            InputTax::ReverseCharge {
                input: "input_sgst",
                payable: "gst_rcm_payable"
            }
        );
        assert_eq!(
            input_tax(
                "IN",
                TaxKind::Gst,
                "igst",
                line(true, Some(ItcEligibility::PosRestricted))
            ),
            InputTax::ReverseChargeCost {
                payable: "gst_rcm_payable"
            }
        );
        assert_eq!(
            input_tax(
                "IN",
                TaxKind::Gst,
                "cess",
                line(false, Some(ItcEligibility::TemporaryReversal))
            ),
            InputTax::Claim {
                input: "input_cess"
            }
        );
    }

    #[test]
    fn uk_reverse_charge_is_both_ways_and_us_tax_is_cost() {
        assert_eq!(
            input_tax("GB", TaxKind::Vat, "vat", line(true, None)),
            InputTax::ReverseCharge {
                input: "vat_on_purchases",
                payable: "vat_on_sales"
            }
        );
        assert_eq!(
            input_tax("US", TaxKind::SalesTax, "State", line(false, None)),
            InputTax::Cost
        );
    }

    #[test]
    fn lines_are_checked_against_the_country() {
        assert!(check_line("US", 0, line(true, None)).is_err());
        assert!(check_line("GB", 0, line(true, None)).is_ok());
        let e = check_line("GB", 3, line(false, Some(ItcEligibility::Eligible))).unwrap_err();
        assert_eq!(e.field(), Some("lines[3].itc_eligibility"));
        assert!(ItcEligibility::parse("x", "nope").is_err());
        assert_eq!(
            ItcEligibility::parse("x", "ineligible_17_5").unwrap(),
            ItcEligibility::Ineligible17_5
        );
    }
}
