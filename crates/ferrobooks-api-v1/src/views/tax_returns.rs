//! The native API's shapes of tax returns, translated field by field from
//! the use cases' own types.

use crate::views::money::Amount;
use ferrobooks_service::tax_returns as svc;
use serde::{Deserialize, Serialize};

/// One document behind a return's figures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReturnDocument {
    /// The document's type (invoice, credit_note, bill, expense...).
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub number: Option<String>,
    #[schema(format = Date)]
    pub date: String,
    /// Net of tax, in the base currency, signed as the return counts it
    /// (a credit note negative).
    pub net: Amount,
    pub tax: Amount,
    /// What it feeds: VAT boxes (`box1`, `box6`...), sales tax agencies
    /// and `exempt`, GSTR-1 sections (`b2b`, `hsn`...) or GSTR-3B tables
    /// (`3.1(a)`, `4(A)`...).
    pub feeds: Vec<String>,
}

impl From<svc::ReturnDocument> for ReturnDocument {
    fn from(v: svc::ReturnDocument) -> Self {
        let svc::ReturnDocument {
            kind,
            id,
            number,
            date,
            net,
            tax,
            feeds,
        } = v;
        ReturnDocument {
            kind,
            id,
            number,
            date,
            net: net.into(),
            tax: tax.into(),
            feeds,
        }
    }
}

/// HMRC's VAT return body, field for field as its Making Tax Digital API
/// takes it: boxes 1 to 5 in pounds and pence, 6 to 9 in whole pounds.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VatSubmission {
    /// The obligation's period key.
    pub period_key: String,
    /// Box 1: VAT due on sales (net of credit notes), and on reverse
    /// charge purchases.
    pub vat_due_sales: Amount,
    /// Box 2: VAT on acquisitions into Northern Ireland from the EU
    /// (always 0: the books record no such movements).
    pub vat_due_acquisitions: Amount,
    /// Box 3: box 1 + box 2.
    pub total_vat_due: Amount,
    /// Box 4: VAT reclaimed on purchases and expenses (reverse charge
    /// included).
    pub vat_reclaimed_curr_period: Amount,
    /// Box 5: the difference of boxes 3 and 4, as a positive amount.
    pub net_vat_due: Amount,
    /// Box 6: sales excluding VAT (zero-rated and exempt included).
    #[serde(rename = "totalValueSalesExVAT")]
    pub total_value_sales_ex_vat: Amount,
    /// Box 7: purchases excluding VAT (exempt and reverse charge
    /// included).
    #[serde(rename = "totalValuePurchasesExVAT")]
    pub total_value_purchases_ex_vat: Amount,
    /// Box 8: goods supplied from Northern Ireland to the EU (0).
    #[serde(rename = "totalValueGoodsSuppliedExVAT")]
    pub total_value_goods_supplied_ex_vat: Amount,
    /// Box 9: goods acquired into Northern Ireland from the EU (0).
    #[serde(rename = "totalAcquisitionsExVAT")]
    pub total_acquisitions_ex_vat: Amount,
    /// true once filed here (the declaration HMRC asks for).
    pub finalised: bool,
}

impl From<svc::VatSubmission> for VatSubmission {
    fn from(v: svc::VatSubmission) -> Self {
        let svc::VatSubmission {
            period_key,
            vat_due_sales,
            vat_due_acquisitions,
            total_vat_due,
            vat_reclaimed_curr_period,
            net_vat_due,
            total_value_sales_ex_vat,
            total_value_purchases_ex_vat,
            total_value_goods_supplied_ex_vat,
            total_acquisitions_ex_vat,
            finalised,
        } = v;
        VatSubmission {
            period_key,
            vat_due_sales: vat_due_sales.into(),
            vat_due_acquisitions: vat_due_acquisitions.into(),
            total_vat_due: total_vat_due.into(),
            vat_reclaimed_curr_period: vat_reclaimed_curr_period.into(),
            net_vat_due: net_vat_due.into(),
            total_value_sales_ex_vat: total_value_sales_ex_vat.into(),
            total_value_purchases_ex_vat: total_value_purchases_ex_vat.into(),
            total_value_goods_supplied_ex_vat: total_value_goods_supplied_ex_vat.into(),
            total_acquisitions_ex_vat: total_acquisitions_ex_vat.into(),
            finalised,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VatReturn {
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    pub currency: String,
    /// What to send HMRC, as it is.
    pub submission: VatSubmission,
    /// The VAT reclaimed on bad debts written off in the period (at least
    /// six months past due), part of `vatReclaimedCurrPeriod`.
    pub bad_debt_relief: Amount,
    /// The documents behind the boxes, with `detail=true`.
    pub documents: Option<Vec<ReturnDocument>>,
}

impl From<svc::VatReturn> for VatReturn {
    fn from(v: svc::VatReturn) -> Self {
        let svc::VatReturn {
            date_from,
            date_to,
            currency,
            submission,
            bad_debt_relief,
            documents,
        } = v;
        VatReturn {
            date_from,
            date_to,
            currency,
            submission: submission.into(),
            bad_debt_relief: bad_debt_relief.into(),
            documents: documents.map(crate::views::each),
        }
    }
}

/// Sales tax collected for one agency at one rate.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgencyLine {
    pub agency: String,
    /// Percent.
    pub rate: String,
    pub taxable_sales: Amount,
    pub tax_collected: Amount,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SalesTaxLiability {
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    pub currency: String,
    pub agencies: Vec<AgencyLine>,
    /// Sales with no tax, or an exempt one.
    pub exempt_sales: Amount,
    pub total_sales: Amount,
    pub total_tax: Amount,
    /// The documents behind the figures, with `detail=true`.
    pub documents: Option<Vec<ReturnDocument>>,
}

impl From<svc::SalesTaxLiability> for SalesTaxLiability {
    fn from(v: svc::SalesTaxLiability) -> Self {
        let svc::SalesTaxLiability {
            date_from,
            date_to,
            currency,
            agencies,
            exempt_sales,
            total_sales,
            total_tax,
            documents,
        } = v;
        SalesTaxLiability {
            date_from,
            date_to,
            currency,
            agencies: agencies
                .into_iter()
                .map(
                    |svc::AgencyLine {
                         agency,
                         rate,
                         taxable_sales,
                         tax_collected,
                     }| AgencyLine {
                        agency,
                        rate,
                        taxable_sales: taxable_sales.into(),
                        tax_collected: tax_collected.into(),
                    },
                )
                .collect(),
            exempt_sales: exempt_sales.into(),
            total_sales: total_sales.into(),
            total_tax: total_tax.into(),
            documents: documents.map(crate::views::each),
        }
    }
}

/// A return filed for its period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FiledReturn {
    pub id: String,
    /// vat_return, sales_tax_liability, gstr1 or gstr3b.
    pub kind: String,
    /// A VAT return's HMRC period key; a GST return's month (YYYYMM).
    pub period_key: Option<String>,
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    /// filed (its period takes no postings) or reopened.
    pub status: String,
    pub filed_at: String,
    pub reopened_at: Option<String>,
    pub reopen_reason: Option<String>,
    /// The return as it was filed: the VatReturn, SalesTaxLiability,
    /// Gstr1Return or Gstr3bReturn.
    #[schema(value_type = Object)]
    pub body: Box<serde_json::value::RawValue>,
}

impl From<svc::FiledReturn> for FiledReturn {
    fn from(v: svc::FiledReturn) -> Self {
        let svc::FiledReturn {
            id,
            kind,
            period_key,
            date_from,
            date_to,
            status,
            filed_at,
            reopened_at,
            reopen_reason,
            body,
        } = v;
        FiledReturn {
            id,
            kind,
            period_key,
            date_from,
            date_to,
            status,
            filed_at,
            reopened_at,
            reopen_reason,
            body,
        }
    }
}

/// The filed returns, latest period first: all of them in one page (a
/// few a year), so `has_more` is false.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FiledReturns {
    pub data: Vec<FiledReturn>,
    pub has_more: bool,
    pub next_cursor: Option<String>,
}

/// Filing a return for a period.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileInput {
    #[schema(format = Date, example = "2026-01-01")]
    pub date_from: String,
    #[schema(format = Date, example = "2026-03-31")]
    pub date_to: String,
    /// VAT return: HMRC's period key of the obligation (default: the
    /// year and month of `date_to`, `26M3`).
    pub period_key: Option<String>,
}

/// Reopening a filed return's period.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenReturnInput {
    /// Why (kept with the return).
    pub reason: String,
}
