//! The native API's numbering shapes: what `/api/v1` reads and answers, translated field by field
//! from and to the use cases' own types (a field the service adds does not compile here until it is shown or read).

use ferrobooks_service::numbering as svc;
use serde::{Deserialize, Serialize};

/// A series as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NumberSeriesView {
    pub doc_type: String,
    pub template: String,
    /// Whether the template is the default for the organization's country.
    pub is_default: bool,
    /// What the first number of a document dated today would look like.
    pub example: String,
}

impl From<svc::NumberSeriesView> for NumberSeriesView {
    fn from(v: svc::NumberSeriesView) -> Self {
        let svc::NumberSeriesView {
            doc_type,
            template,
            is_default,
            example,
        } = v;
        NumberSeriesView {
            doc_type,
            template,
            is_default,
            example,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"template": "INV/{FY}/{N:5}"}))]
pub struct NumberSeriesInput {
    /// Tokens: `{N}` / `{N:5}` (counter, zero-padded), `{FY}`, `{YY}`,
    /// `{MM}`, `{BR}` (branch code); anything else is literal.
    pub template: String,
}

impl From<NumberSeriesInput> for svc::NumberSeriesInput {
    fn from(v: NumberSeriesInput) -> Self {
        let NumberSeriesInput { template } = v;
        svc::NumberSeriesInput { template }
    }
}
