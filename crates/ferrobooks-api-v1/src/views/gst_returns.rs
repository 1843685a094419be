//! The native API's shapes of India's GST returns. The `submission` of
//! each is the GST portal's own JSON layout, so it is shown as the domain
//! builds it (its schema derived there); the rest is translated field by
//! field.

use ferrobooks_domain::gst_return::{gstr1::Gstr1, gstr3b::Gstr3b, gstr3b::Payment};
use ferrobooks_service::gst_returns as svc;
use serde::{Deserialize, Serialize};

use crate::views::tax_returns::ReturnDocument;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Gstr1Return {
    /// The month, YYYYMM.
    pub period: String,
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    /// What to upload to the GST portal, in its layout: `gstin`, `fp`
    /// (MMYYYY), `b2b`, `b2cl`, `b2cs`, `cdnr`, `cdnur`, `exp`, `nil`,
    /// `hsn`, `doc_issue`; amounts in rupees, dates DD-MM-YYYY.
    pub submission: Gstr1,
    /// What the portal would refuse that the books cannot say (a line
    /// without an HSN/SAC code).
    pub warnings: Vec<String>,
    /// With `detail=true`: each document and the sections it feeds.
    pub documents: Option<Vec<ReturnDocument>>,
}

impl From<svc::Gstr1Return> for Gstr1Return {
    fn from(v: svc::Gstr1Return) -> Self {
        let svc::Gstr1Return {
            period,
            date_from,
            date_to,
            submission,
            warnings,
            documents,
        } = v;
        Gstr1Return {
            period,
            date_from,
            date_to,
            submission,
            warnings,
            documents: documents.map(crate::views::each),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Gstr3bReturn {
    /// The month, YYYYMM.
    pub period: String,
    #[schema(format = Date)]
    pub date_from: String,
    #[schema(format = Date)]
    pub date_to: String,
    /// The portal's layout: `sup_details` (3.1), `inter_sup` (3.2),
    /// `itc_elg` (4), `inward_sup` (5); amounts in rupees.
    pub submission: Gstr3b,
    /// Table 6.1 per tax head: the tax payable on outward supplies, what
    /// the month's credit pays of it in the rule 88A order, the rest in
    /// cash, the reverse charge tax (cash), and the credit carried
    /// forward.
    pub payment: Vec<Payment>,
    /// With `detail=true`: each document and the tables it feeds.
    pub documents: Option<Vec<ReturnDocument>>,
}

impl From<svc::Gstr3bReturn> for Gstr3bReturn {
    fn from(v: svc::Gstr3bReturn) -> Self {
        let svc::Gstr3bReturn {
            period,
            date_from,
            date_to,
            submission,
            payment,
            documents,
        } = v;
        Gstr3bReturn {
            period,
            date_from,
            date_to,
            submission,
            payment,
            documents: documents.map(crate::views::each),
        }
    }
}

/// Filing a GST return for a month.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GstFileInput {
    /// The month, YYYYMM.
    #[schema(example = "202604")]
    pub period: String,
}
