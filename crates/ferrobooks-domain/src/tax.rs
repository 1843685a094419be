//! Tax on a line: India GST (split by place of supply), UK VAT, US sales tax.
//!
//! A [`TaxRule`] says what a tax is; [`TaxRule::apply`] turns a line's net
//! amount (after discount) and the supply's situation into the amounts each
//! component posts to its account. Rounding is stated once: every
//! component of every line is rounded half away from zero to the
//! currency's minor unit, on its own (so CGST and SGST are each rounded,
//! and their sum may differ by one minor unit from rounding the full rate).

use rust_decimal::Decimal;
use rust_decimal::prelude::RoundingStrategy;
use serde::{Deserialize, Serialize};

use crate::{DomainError, Minor};

/// Which regime a tax belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxKind {
    Gst,
    Vat,
    SalesTax,
    Other,
}

/// What a tax is. Rates are percentages (`18` is 18%), exact decimals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaxRule {
    /// India GST: one rate, split into CGST + SGST (half each) within the
    /// supplier's state and charged as IGST across states, plus optional
    /// compensation cess (a percentage, and/or an amount per unit).
    Gst {
        rate: Decimal,
        cess_rate: Decimal,
        cess_per_unit: Minor,
    },
    /// UK VAT at one rate (20, 5, or 0 for zero-rated); `exempt` supplies
    /// carry no VAT at all and stay out of boxes 1-4.
    Vat { rate: Decimal, exempt: bool },
    /// A code of rates, each owed to its own agency (state, county, city).
    SalesTax { rates: Vec<(String, Decimal)> },
}

/// Where the supply happens, for GST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supply {
    /// Place of supply in the supplier's state.
    IntraState,
    /// Another state, an SEZ, or an export.
    InterState,
}

impl Supply {
    /// Intra-state when the place of supply is the supplier's state, unless
    /// the recipient is in an SEZ (always inter-state). `96` (foreign) is
    /// never the supplier's state.
    pub fn for_gst(supplier_state: &str, place_of_supply: &str, sez: bool) -> Supply {
        if !sez && supplier_state == place_of_supply && place_of_supply != "96" {
            Supply::IntraState
        } else {
            Supply::InterState
        }
    }
}

/// One component's tax on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxAmount {
    /// `cgst`, `sgst`, `igst`, `cess`, `vat`, or the sales-tax agency.
    pub component: String,
    pub rate: Decimal,
    pub amount: Minor,
}

/// Rounds half away from zero to `exp` decimal places, in minor units.
pub fn round_to_minor(value: Decimal, exp: u32) -> Result<Minor, DomainError> {
    let rounded = value.round_dp_with_strategy(exp, RoundingStrategy::MidpointAwayFromZero);
    let scaled = rounded * Decimal::from(10i64.pow(exp));
    i64::try_from(scaled.trunc().mantissa() / 10i128.pow(scaled.trunc().scale()))
        .map_err(|_| DomainError::invalid("amount", "tax amount is too large"))
}

fn check_rate(field: &str, r: Decimal) -> Result<(), DomainError> {
    if r < Decimal::ZERO || r > Decimal::from(100) {
        return Err(DomainError::invalid(
            field,
            "a rate is a percentage from 0 to 100",
        ));
    }
    Ok(())
}

impl TaxRule {
    /// Checks rates (0 to 100) and amounts (not negative).
    pub fn validate(&self) -> Result<(), DomainError> {
        match self {
            TaxRule::Gst {
                rate,
                cess_rate,
                cess_per_unit,
            } => {
                check_rate("rate", *rate)?;
                check_rate("cess_rate", *cess_rate)?;
                if *cess_per_unit < 0 {
                    return Err(DomainError::invalid(
                        "cess_per_unit",
                        "must not be negative",
                    ));
                }
                Ok(())
            }
            TaxRule::Vat { rate, exempt } => {
                check_rate("rate", *rate)?;
                if *exempt && !rate.is_zero() {
                    return Err(DomainError::invalid("rate", "an exempt VAT rate is 0"));
                }
                Ok(())
            }
            TaxRule::SalesTax { rates } => {
                if rates.is_empty() {
                    return Err(DomainError::invalid(
                        "components",
                        "a sales tax code has at least one rate",
                    ));
                }
                for (i, (agency, r)) in rates.iter().enumerate() {
                    if agency.trim().is_empty() {
                        return Err(DomainError::invalid(
                            format!("components[{i}].name"),
                            "must not be blank",
                        ));
                    }
                    check_rate(&format!("components[{i}].rate"), *r)?;
                }
                Ok(())
            }
        }
    }

    /// The combined rate a customer sees (excluding per-unit cess).
    pub fn total_rate(&self) -> Decimal {
        match self {
            TaxRule::Gst {
                rate, cess_rate, ..
            } => rate + cess_rate,
            TaxRule::Vat { rate, .. } => *rate,
            TaxRule::SalesTax { rates } => rates.iter().map(|(_, r)| *r).sum(),
        }
    }

    /// The tax on a line: `net` minor units (after discount), `quantity`
    /// units (for per-unit cess), in a currency of `exp` digits.
    pub fn apply(
        &self,
        net: Minor,
        quantity: Decimal,
        exp: u32,
        supply: Supply,
    ) -> Result<Vec<TaxAmount>, DomainError> {
        let base = Decimal::new(net, exp);
        let pct = |rate: Decimal| -> Result<Minor, DomainError> {
            round_to_minor(base * rate / Decimal::ONE_HUNDRED, exp)
        };
        let mut out = Vec::new();
        let mut push = |component: &str, rate: Decimal, amount: Minor| {
            if amount != 0 || !rate.is_zero() {
                out.push(TaxAmount {
                    component: component.to_owned(),
                    rate,
                    amount,
                });
            }
        };
        match self {
            TaxRule::Gst {
                rate,
                cess_rate,
                cess_per_unit,
            } => {
                match supply {
                    Supply::IntraState => {
                        let half = rate / Decimal::TWO;
                        push("cgst", half, pct(half)?);
                        push("sgst", half, pct(half)?);
                    }
                    Supply::InterState => push("igst", *rate, pct(*rate)?),
                }
                let per_unit = round_to_minor(quantity * Decimal::from(*cess_per_unit), 0)?;
                let cess = pct(*cess_rate)? + per_unit;
                if cess != 0 {
                    push("cess", *cess_rate, cess);
                }
            }
            TaxRule::Vat { rate, exempt } => {
                if !exempt {
                    out.push(TaxAmount {
                        component: "vat".into(),
                        rate: *rate,
                        amount: pct(*rate)?,
                    });
                }
            }
            TaxRule::SalesTax { rates } => {
                for (agency, r) in rates {
                    push(agency, *r, pct(*r)?);
                }
            }
        }
        Ok(out)
    }
}

impl TaxRule {
    /// The tax inside an amount that includes it (what a bank statement
    /// shows): each component is `gross x rate / (100 + total rate)`,
    /// rounded, and the net is what is left, so net + tax is the gross
    /// exactly (tax from the net could not reach every gross: at 20%, no
    /// net gives 8.97). Per-unit cess has no place in an inclusive amount.
    pub fn apply_inclusive(
        &self,
        gross: Minor,
        exp: u32,
        supply: Supply,
    ) -> Result<Vec<TaxAmount>, DomainError> {
        if let TaxRule::Gst { cess_per_unit, .. } = self
            && *cess_per_unit != 0
        {
            return Err(DomainError::invalid(
                "tax_id",
                "a tax with cess per unit cannot be taken out of an amount that includes it",
            ));
        }
        let divisor = Decimal::ONE_HUNDRED + self.total_rate();
        let base = Decimal::new(gross, exp);
        let mut out = self.apply(0, Decimal::ZERO, exp, supply)?;
        for t in &mut out {
            t.amount = round_to_minor(base * t.rate / divisor, exp)?;
        }
        Ok(out)
    }
}

/// Checks an HSN (goods) or SAC (services) code: digits only, 4, 6 or 8
/// long; a SAC starts with 99 and an HSN does not.
pub fn validate_hsn_sac(code: &str, service: bool) -> Result<(), DomainError> {
    let ok_shape = matches!(code.len(), 4 | 6 | 8) && code.bytes().all(|b| b.is_ascii_digit());
    if !ok_shape {
        return Err(DomainError::invalid(
            "hsn_sac",
            format!("'{code}' is not an HSN/SAC code: 4, 6 or 8 digits"),
        ));
    }
    match (service, code.starts_with("99")) {
        (true, false) => Err(DomainError::invalid(
            "hsn_sac",
            format!("'{code}' is not a SAC code: services take a SAC starting with 99"),
        )),
        (false, true) => Err(DomainError::invalid(
            "hsn_sac",
            format!("'{code}' is a SAC code: goods take an HSN code"),
        )),
        _ => Ok(()),
    }
}

/// The GST slabs in force from 22 September 2025 (DOMAIN.md section 3),
/// plus the special rates, for seeding a catalogue.
pub const GST_RATES: &[&str] = &["0", "0.25", "1.5", "3", "5", "12", "18", "28", "40"];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn gst(rate: &str) -> TaxRule {
        TaxRule::Gst {
            rate: d(rate),
            cess_rate: Decimal::ZERO,
            cess_per_unit: 0,
        }
    }

    #[test]
    fn gst_splits_by_place_of_supply() {
        // 10,000.00 at 18%: intra-state 900 + 900, inter-state 1,800.
        let intra = gst("18")
            .apply(1_000_000, Decimal::ONE, 2, Supply::IntraState)
            .unwrap();
        assert_eq!(
            intra
                .iter()
                .map(|t| (t.component.as_str(), t.amount))
                .collect::<Vec<_>>(),
            [("cgst", 90_000), ("sgst", 90_000)]
        );
        let inter = gst("18")
            .apply(1_000_000, Decimal::ONE, 2, Supply::InterState)
            .unwrap();
        assert_eq!(inter[0].component, "igst");
        assert_eq!(inter[0].amount, 180_000);
        assert_eq!(Supply::for_gst("27", "27", false), Supply::IntraState);
        assert_eq!(Supply::for_gst("27", "29", false), Supply::InterState);
        assert_eq!(Supply::for_gst("27", "27", true), Supply::InterState);
        assert_eq!(Supply::for_gst("27", "96", false), Supply::InterState);
    }

    #[test]
    fn each_component_rounds_half_away_from_zero() {
        // 0.33 at 5% intra: 2.5% of 0.33 = 0.00825 -> 0.01 each.
        let t = gst("5")
            .apply(33, Decimal::ONE, 2, Supply::IntraState)
            .unwrap();
        assert_eq!(t[0].amount, 1);
        assert_eq!(t[1].amount, 1);
        // 10.10 at 12.5% = 1.2625 -> 1.26; 10.20 = 1.275 -> 1.28.
        let vat = TaxRule::Vat {
            rate: d("12.5"),
            exempt: false,
        };
        assert_eq!(
            vat.apply(1010, Decimal::ONE, 2, Supply::InterState)
                .unwrap()[0]
                .amount,
            126
        );
        assert_eq!(
            vat.apply(1020, Decimal::ONE, 2, Supply::InterState)
                .unwrap()[0]
                .amount,
            128
        );
        // Negative nets (credit notes) round symmetrically.
        assert_eq!(
            vat.apply(-1020, Decimal::ONE, 2, Supply::InterState)
                .unwrap()[0]
                .amount,
            -128
        );
        // JPY has no minor unit.
        assert_eq!(
            TaxRule::Vat {
                rate: d("10"),
                exempt: false
            }
            .apply(155, Decimal::ONE, 0, Supply::InterState)
            .unwrap()[0]
                .amount,
            16
        );
    }

    #[test]
    fn cess_by_rate_and_per_unit() {
        let t = TaxRule::Gst {
            rate: d("28"),
            cess_rate: d("12"),
            cess_per_unit: 400,
        };
        let r = t.apply(100_000, d("3"), 2, Supply::InterState).unwrap();
        assert_eq!(r[0].amount, 28_000);
        assert_eq!(r[1].component, "cess");
        assert_eq!(r[1].amount, 12_000 + 1_200);
    }

    #[test]
    fn vat_zero_rated_and_exempt() {
        let zero = TaxRule::Vat {
            rate: Decimal::ZERO,
            exempt: false,
        };
        let z = zero
            .apply(5000, Decimal::ONE, 2, Supply::InterState)
            .unwrap();
        assert_eq!(z.len(), 1, "zero-rated is taxable at 0 and reported");
        assert_eq!(z[0].amount, 0);
        let exempt = TaxRule::Vat {
            rate: Decimal::ZERO,
            exempt: true,
        };
        assert!(
            exempt
                .apply(5000, Decimal::ONE, 2, Supply::InterState)
                .unwrap()
                .is_empty()
        );
        assert!(
            TaxRule::Vat {
                rate: d("20"),
                exempt: true
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn hsn_and_sac_codes() {
        assert!(validate_hsn_sac("8471", false).is_ok());
        assert!(validate_hsn_sac("84713010", false).is_ok());
        assert!(validate_hsn_sac("998314", true).is_ok());
        assert!(validate_hsn_sac("84A1", false).is_err());
        assert!(validate_hsn_sac("84711", false).is_err());
        assert!(validate_hsn_sac("8471", true).is_err());
        assert!(validate_hsn_sac("998314", false).is_err());
    }

    #[test]
    fn sales_tax_owes_each_agency() {
        let code = TaxRule::SalesTax {
            rates: vec![
                ("CA State".into(), d("6")),
                ("Alameda County".into(), d("0.25")),
                ("Oakland".into(), d("3")),
            ],
        };
        let r = code
            .apply(10_000, Decimal::ONE, 2, Supply::InterState)
            .unwrap();
        assert_eq!(
            r.iter().map(|t| t.amount).collect::<Vec<_>>(),
            [600, 25, 300]
        );
        assert_eq!(code.total_rate(), d("9.25"));
        assert!(TaxRule::SalesTax { rates: vec![] }.validate().is_err());
        assert!(
            TaxRule::SalesTax {
                rates: vec![("X".into(), d("101"))]
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn tax_taken_out_of_an_inclusive_amount_leaves_the_gross_whole() {
        let vat = TaxRule::Vat {
            rate: d("20"),
            exempt: false,
        };
        // 8.97 is no net plus 20% of it; inclusive, it is 7.47 + 1.50.
        let t = vat.apply_inclusive(897, 2, Supply::IntraState).unwrap();
        assert_eq!((t.len(), t[0].amount), (1, 150));
        let gst = TaxRule::Gst {
            rate: d("18"),
            cess_rate: Decimal::ZERO,
            cess_per_unit: 0,
        };
        let t = gst.apply_inclusive(11_800, 2, Supply::IntraState).unwrap();
        assert_eq!(
            t.iter()
                .map(|t| (t.component.as_str(), t.amount))
                .collect::<Vec<_>>(),
            [("cgst", 900), ("sgst", 900)]
        );
        let cess = TaxRule::Gst {
            rate: d("28"),
            cess_rate: Decimal::ZERO,
            cess_per_unit: 400,
        };
        assert!(cess.apply_inclusive(10_000, 2, Supply::IntraState).is_err());
        let exempt = TaxRule::Vat {
            rate: Decimal::ZERO,
            exempt: true,
        };
        assert!(
            exempt
                .apply_inclusive(500, 2, Supply::IntraState)
                .unwrap()
                .is_empty()
        );
    }
}
