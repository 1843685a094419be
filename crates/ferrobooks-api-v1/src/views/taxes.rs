//! The native API's taxes shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use crate::views::money::{Amount, DecimalText, Number};
use ferrobooks_service::taxes as svc;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComponentView {
    /// `cgst`, `sgst`, `igst`, `cess`, `vat`, or a sales-tax agency.
    pub name: String,
    pub rate: Number,
    /// The liability account the component is credited to on sales.
    pub account_id: String,
}

impl From<svc::ComponentView> for ComponentView {
    fn from(v: svc::ComponentView) -> Self {
        let svc::ComponentView {
            name,
            rate,
            account_id,
        } = v;
        ComponentView {
            name,
            rate: rate.into(),
            account_id,
        }
    }
}

/// A tax. For GST the components list every
/// way the rate can split (CGST + SGST within the state, IGST across
/// states); an invoice uses one or the other by its place of supply.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaxView {
    pub id: String,
    pub name: String,
    /// gst, vat or sales_tax.
    pub kind: String,
    /// Percent: the GST rate, the VAT rate, or the sum of a sales-tax code.
    pub rate: Number,
    /// GST compensation cess, percent.
    pub cess_rate: Number,
    /// GST compensation cess per unit, in the base currency.
    pub cess_per_unit: Amount,
    /// VAT or GST at 0%: the supply is exempt (VAT: outside boxes 1-4;
    /// GST: an exempt supply in GSTR-1 and GSTR-3B, not a nil-rated one).
    pub exempt: bool,
    pub components: Vec<ComponentView>,
    #[schema(format = Date)]
    pub effective_from: Option<String>,
    #[schema(format = Date)]
    pub effective_to: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<svc::TaxView> for TaxView {
    fn from(v: svc::TaxView) -> Self {
        let svc::TaxView {
            id,
            name,
            kind,
            rate,
            cess_rate,
            cess_per_unit,
            exempt,
            components,
            effective_from,
            effective_to,
            active,
            created_at,
            updated_at,
        } = v;
        TaxView {
            id,
            name,
            kind,
            rate: rate.into(),
            cess_rate: cess_rate.into(),
            cess_per_unit: cess_per_unit.into(),
            exempt,
            components: components.into_iter().map(Into::into).collect(),
            effective_from,
            effective_to,
            active,
            created_at,
            updated_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentInput {
    /// The agency (`CA State`, `Alameda County`).
    pub name: String,
    pub rate: DecimalText,
    /// Default: the sales tax payable account.
    pub account_id: Option<String>,
}

impl From<ComponentInput> for svc::ComponentInput {
    fn from(v: ComponentInput) -> Self {
        let ComponentInput {
            name,
            rate,
            account_id,
        } = v;
        svc::ComponentInput {
            name,
            rate: rate.into(),
            account_id,
        }
    }
}

/// A new tax. `gst` needs an Indian organization, `vat` one with the VAT
/// accounts (UK chart); `sales_tax` takes its rates as `components`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "City sales tax", "kind": "sales_tax", "components": [{"name": "State", "rate": "6.25"}, {"name": "City", "rate": "2.5"}]}))]
pub struct NewTax {
    pub name: String,
    /// gst, vat or sales_tax.
    pub kind: String,
    /// Percent (gst, vat).
    pub rate: Option<DecimalText>,
    pub cess_rate: Option<DecimalText>,
    pub cess_per_unit: Option<DecimalText>,
    /// vat, or gst at rate 0: an exempt supply rather than a zero-rated
    /// (nil-rated) one.
    #[serde(default)]
    pub exempt: bool,
    /// sales_tax: one rate per agency.
    pub components: Option<Vec<ComponentInput>>,
    #[schema(format = Date)]
    pub effective_from: Option<String>,
    #[schema(format = Date)]
    pub effective_to: Option<String>,
}

impl From<NewTax> for svc::NewTax {
    fn from(v: NewTax) -> Self {
        let NewTax {
            name,
            kind,
            rate,
            cess_rate,
            cess_per_unit,
            exempt,
            components,
            effective_from,
            effective_to,
        } = v;
        svc::NewTax {
            name,
            kind,
            rate: rate.map(Into::into),
            cess_rate: cess_rate.map(Into::into),
            cess_per_unit: cess_per_unit.map(Into::into),
            exempt,
            components: components.map(|v| v.into_iter().map(Into::into).collect()),
            effective_from,
            effective_to,
        }
    }
}

/// Changes to a tax: its name, validity and whether it is offered. Rates
/// do not change: make a new tax with its own dates, so documents keep
/// the rate they were issued with.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Sales tax (IL)"}))]
pub struct TaxUpdate {
    pub name: Option<String>,
    #[schema(format = Date)]
    pub effective_from: Option<String>,
    #[schema(format = Date)]
    pub effective_to: Option<String>,
    pub active: Option<bool>,
}

impl From<TaxUpdate> for svc::TaxUpdate {
    fn from(v: TaxUpdate) -> Self {
        let TaxUpdate {
            name,
            effective_from,
            effective_to,
            active,
        } = v;
        svc::TaxUpdate {
            name,
            effective_from,
            effective_to,
            active,
        }
    }
}

/// What a tax charges on an amount.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaxCalculation {
    pub tax_id: String,
    pub net: Amount,
    pub lines: Vec<TaxLine>,
    pub total_tax: Amount,
    pub gross: Amount,
}

impl From<svc::TaxCalculation> for TaxCalculation {
    fn from(v: svc::TaxCalculation) -> Self {
        let svc::TaxCalculation {
            tax_id,
            net,
            lines,
            total_tax,
            gross,
        } = v;
        TaxCalculation {
            tax_id,
            net: net.into(),
            lines: lines.into_iter().map(Into::into).collect(),
            total_tax: total_tax.into(),
            gross: gross.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaxLine {
    pub name: String,
    pub rate: Number,
    pub account_id: String,
    pub amount: Amount,
}

impl From<svc::TaxLine> for TaxLine {
    fn from(v: svc::TaxLine) -> Self {
        let svc::TaxLine {
            name,
            rate,
            account_id,
            amount,
        } = v;
        TaxLine {
            name,
            rate: rate.into(),
            account_id,
            amount: amount.into(),
        }
    }
}
