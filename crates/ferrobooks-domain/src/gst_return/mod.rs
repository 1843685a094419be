//! India's GST returns (DOMAIN.md section 3): GSTR-1 (outward supplies,
//! document by document, in the GST portal's JSON layout) and GSTR-3B (the
//! monthly summary, input tax credit by eligibility, and the tax paid
//! through credit in the rule 88A order, the rest in cash).
//!
//! Both are made from the same input: the posted documents of the period,
//! each with its counterparty's GSTIN, place (or source) of supply and its
//! lines as the GST engine taxed them, in paise of the base currency.
//! Nothing here reads the books; the service gathers the documents.

pub mod gstr1;
pub mod gstr3b;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use crate::document::purchase_tax::ItcEligibility;
use crate::{DomainError, Minor};

/// An amount in paise, written as the portal reads it: a JSON number in
/// rupees with two decimals (`1180.00`), exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Paise(pub Minor);

impl Serialize for Paise {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        raw(crate::money::format_minor(self.0, 2), s)
    }
}

impl std::ops::AddAssign<Minor> for Paise {
    fn add_assign(&mut self, m: Minor) {
        self.0 += m;
    }
}

/// An exact decimal that is not money (a rate, a quantity), written as a
/// JSON number (`18`, `0.25`, `2.5`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Num(pub Decimal);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        raw(self.0.normalize().to_string(), s)
    }
}

fn raw<S: Serializer>(text: String, s: S) -> Result<S::Ok, S::Error> {
    RawValue::from_string(text)
        .map_err(serde::ser::Error::custom)?
        .serialize(s)
}

/// How GST treats a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A GST rate above zero.
    Taxable,
    /// GST at 0%: nil-rated at home, zero-rated in an export or to an SEZ.
    Nil,
    /// An exempt GST rate.
    Exempt,
    /// No GST on the line: a non-GST supply.
    NonGst,
}

/// One taxed line, in paise of the base currency, unsigned (a credit
/// note's lines are as positive as an invoice's; [`Doc::note`] says which).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub class: Class,
    /// The GST rate (`18`), zero for a non-GST line.
    pub rate: Decimal,
    /// Taxable value: the line's net.
    pub txval: Minor,
    pub iamt: Minor,
    pub camt: Minor,
    pub samt: Minor,
    pub csamt: Minor,
    /// HSN or SAC code of the line's product.
    pub hsn: Option<String>,
    pub desc: String,
    /// Goods (not a service): decides the unit code and, for an import,
    /// 4(A)(1) over 4(A)(2).
    pub goods: bool,
    pub qty: Decimal,
    /// Purchases: the line is under reverse charge.
    pub reverse_charge: bool,
    /// Purchases: its input tax credit eligibility.
    pub itc: ItcEligibility,
}

impl Item {
    pub fn tax(&self) -> Minor {
        self.iamt + self.camt + self.samt + self.csamt
    }

    /// The unit quantity code: products carry no unit, so goods are
    /// counted in numbers and services have none (`NA`), as the portal
    /// asks of a SAC.
    pub fn uqc(&self) -> &'static str {
        let service = !self.goods || self.hsn.as_deref().is_some_and(|h| h.starts_with("99"));
        if service { "NA" } else { "NOS" }
    }
}

/// One posted document of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The document's id, for drill-down.
    pub id: String,
    /// A credit note, refund receipt or vendor credit: takes back what
    /// its sale or purchase gave.
    pub note: bool,
    pub number: String,
    pub date: NaiveDate,
    /// The counterparty's GSTIN; none when unregistered.
    pub gstin: Option<String>,
    /// The recipient (or supplier) is in a Special Economic Zone.
    pub sez: bool,
    /// Place of supply of a sale, source of supply of a purchase: a GST
    /// state code, `96` abroad.
    pub pos: String,
    /// The document's total in paise, tax included.
    pub value: Minor,
    pub items: Vec<Item>,
}

impl Doc {
    pub fn abroad(&self) -> bool {
        self.pos == "96"
    }

    /// Across states: another state, abroad, or an SEZ.
    pub fn inter_state(&self, org_state: &str) -> bool {
        crate::tax::Supply::for_gst(org_state, &self.pos, self.sez)
            == crate::tax::Supply::InterState
    }

    fn sign(&self) -> Minor {
        if self.note { -1 } else { 1 }
    }
}

/// A return period: a calendar month, written `YYYYMM` (`202604`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    pub fn parse(field: &str, s: &str) -> Result<Period, DomainError> {
        let bad = || {
            DomainError::invalid(
                field,
                format!("'{s}' is not a month: write YYYYMM, such as 202604"),
            )
        };
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let y: i32 = s[..4].parse().map_err(|_| bad())?;
        let m: u32 = s[4..].parse().map_err(|_| bad())?;
        let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .ok_or_else(bad)?;
        Ok(Period {
            first,
            last: next.pred_opt().ok_or_else(bad)?,
        })
    }

    /// The portal's `fp` / `ret_period`: `MMYYYY`.
    pub fn fp(&self) -> String {
        format!("{:02}{}", self.first.month(), self.first.year())
    }
}

/// The portal's date: `DD-MM-YYYY`.
pub fn portal_date(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// Tax by head, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Heads {
    pub iamt: Paise,
    pub camt: Paise,
    pub samt: Paise,
    pub csamt: Paise,
}

impl Heads {
    fn add(&mut self, i: &Item, sign: Minor) {
        self.iamt += sign * i.iamt;
        self.camt += sign * i.camt;
        self.samt += sign * i.samt;
        self.csamt += sign * i.csamt;
    }

    fn sub(&mut self, o: &Heads) {
        self.iamt.0 -= o.iamt.0;
        self.camt.0 -= o.camt.0;
        self.samt.0 -= o.samt.0;
        self.csamt.0 -= o.csamt.0;
    }

    fn plus(&mut self, o: &Heads) {
        self.iamt.0 += o.iamt.0;
        self.camt.0 += o.camt.0;
        self.samt.0 += o.samt.0;
        self.csamt.0 += o.csamt.0;
    }

    /// `[igst, cgst, sgst, cess]`.
    pub fn array(&self) -> [Minor; 4] {
        [self.iamt.0, self.camt.0, self.samt.0, self.csamt.0]
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub fn item(class: Class, rate: &str, txval: Minor, inter: bool) -> Item {
        let rate: Decimal = rate.parse().unwrap();
        let tax = crate::tax::round_to_minor(Decimal::new(txval, 2) * rate / Decimal::from(100), 2)
            .unwrap();
        let half =
            crate::tax::round_to_minor(Decimal::new(txval, 2) * rate / Decimal::from(200), 2)
                .unwrap();
        Item {
            class,
            rate,
            txval,
            iamt: if inter { tax } else { 0 },
            camt: if inter { 0 } else { half },
            samt: if inter { 0 } else { half },
            csamt: 0,
            hsn: Some("8471".into()),
            desc: "Laptop".into(),
            goods: true,
            qty: Decimal::ONE,
            reverse_charge: false,
            itc: ItcEligibility::Eligible,
        }
    }

    pub fn doc(number: &str, gstin: Option<&str>, pos: &str, items: Vec<Item>) -> Doc {
        let value = items.iter().map(|i| i.txval + i.tax()).sum();
        Doc {
            id: format!("doc_{number}"),
            note: false,
            number: number.into(),
            date: NaiveDate::from_ymd_opt(2026, 4, 10).unwrap(),
            gstin: gstin.map(Into::into),
            sez: false,
            pos: pos.into(),
            value,
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paise_are_rupee_numbers() {
        assert_eq!(serde_json::to_string(&Paise(118000)).unwrap(), "1180.00");
        assert_eq!(serde_json::to_string(&Paise(-5)).unwrap(), "-0.05");
        assert_eq!(
            serde_json::to_string(&Num("0.250".parse().unwrap())).unwrap(),
            "0.25"
        );
    }

    #[test]
    fn periods() {
        let p = Period::parse("period", "202602").unwrap();
        assert_eq!(p.last, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(p.fp(), "022026");
        for bad in ["2026-02", "202613", "202600", "20260", "abcdef"] {
            assert!(Period::parse("period", bad).is_err(), "{bad}");
        }
    }
}

#[cfg(feature = "openapi")]
mod schemas {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

    impl utoipa::PartialSchema for super::Paise {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .description(Some(
                    "Rupees with two decimals, exact (as the GST portal reads amounts).",
                ))
                .into()
        }
    }

    impl utoipa::ToSchema for super::Paise {}

    impl utoipa::PartialSchema for super::Num {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .description(Some("An exact decimal (a rate in percent, a quantity)."))
                .into()
        }
    }

    impl utoipa::ToSchema for super::Num {}
}
