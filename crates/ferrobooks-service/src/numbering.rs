//! Number series of documents: each organization may choose a template per
//! document type; numbers are allocated in the transaction that uses them.

use crate::Code;
use chrono::NaiveDate;
use ferrobooks_domain::numbering::SeriesTemplate;
use ferrobooks_domain::org::parse_fiscal_year_start;
use ferrobooks_store::series::{SeriesKey, allocate};
use ferrobooks_store::{Conn, now};
use serde::{Deserialize, Serialize};

use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, today};

/// Document types that take numbers.
pub const DOC_TYPES: &[&str] = &[
    "invoice",
    "estimate",
    "credit_note",
    "sales_receipt",
    "refund_receipt",
    "payment",
    "bill",
    "bill_payment",
    "vendor_credit",
    "purchase_order",
    "expense",
    "check",
    "credit_card_charge",
    "credit_card_credit",
    "bank_payment",
];

/// The template used when an organization has not chosen one. Indian
/// organizations get a fiscal-year series within the GST limit of 16
/// characters (`INV/25-26/00042`).
pub fn default_template(doc_type: &str, country: &str) -> String {
    if doc_type == "check" {
        // What is printed on the check: a plain number, the same series
        // whatever the fiscal year.
        return "{N}".into();
    }
    let prefix = match doc_type {
        "invoice" => "INV",
        "estimate" => "EST",
        "credit_note" => "CN",
        "sales_receipt" => "SR",
        "refund_receipt" => "RR",
        "payment" => "PAY",
        "bill" => "BILL",
        "bill_payment" => "BPAY",
        "vendor_credit" => "VC",
        "purchase_order" => "PO",
        "expense" => "EXP",
        "credit_card_charge" => "CC",
        "credit_card_credit" => "CCR",
        "bank_payment" => "BP",
        _ => "DOC",
    };
    if country == "IN" {
        format!("{prefix}/{{FY}}/{{N:5}}")
    } else {
        format!("{prefix}-{{N:5}}")
    }
}

/// A series as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct NumberSeriesView {
    pub doc_type: String,
    pub template: String,
    /// Whether the template is the default for the organization's country.
    pub is_default: bool,
    /// What the first number of a document dated today would look like.
    pub example: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberSeriesInput {
    /// Tokens: `{N}` / `{N:5}` (counter, zero-padded), `{FY}`, `{YY}`,
    /// `{MM}`, `{BR}` (branch code); anything else is literal.
    pub template: String,
}

fn fy_start(ctx: &AuthContext) -> ServiceResult<(u32, u32)> {
    Ok(parse_fiscal_year_start(&ctx.org.fiscal_year_start)?)
}

/// Takes the next number of a series for a document dated `date`: returns
/// the number and the period it counts in (the fiscal year for templates
/// with `{FY}`; see `SeriesTemplate::counter_key`). The counter's row
/// lock is held to commit, so concurrent documents get consecutive numbers
/// and a rolled-back one gives its number back.
pub(crate) async fn assign(
    conn: &mut Conn,
    ctx: &AuthContext,
    doc_type: &str,
    date: NaiveDate,
    branch: &str,
) -> ServiceResult<(String, String)> {
    let start = fy_start(ctx)?;
    let chosen =
        ferrobooks_store::series::template_for_numbering(&mut *conn, ctx.org_id(), doc_type)
            .await?;
    // A template once chosen is never removed: without one, every number
    // came from the default template, whose counter never repeats a number.
    let may_repeat = chosen.is_some();
    let text = chosen.unwrap_or_else(|| default_template(doc_type, &ctx.org.country));
    let template = SeriesTemplate::parse(&text)
        .map_err(|e| ServiceError::internal(format!("stored template '{text}': {e}")))?;
    let (branch_key, period) = template.counter_key(date, start, branch);
    let key = SeriesKey {
        organization_id: ctx.org_id(),
        doc_type,
        branch: &branch_key,
        fiscal_year: &period,
    };
    // A template change can make a counter print a number an earlier
    // template already gave; such numbers are skipped, never given twice.
    let mut skipped = 0;
    let number = loop {
        let n = allocate(conn, &key, 1).await?;
        let number = template
            .format(n, date, start, branch, ctx.org.country == "IN")
            .map_err(|e| ServiceError::invalid("number", e.to_string()))?;
        if !may_repeat
            || !ferrobooks_store::series::number_taken(conn, ctx.org_id(), doc_type, &number)
                .await?
        {
            break number;
        }
        skipped += 1;
        if skipped >= 1000 {
            return Err(ServiceError::new(
                Code::NumberTaken,
                format!(
                    "the {doc_type} template '{text}' keeps giving numbers already used; \
                     change the template of the {doc_type} number series"
                ),
            ));
        }
    };
    Ok((number, period))
}

impl Services {
    pub async fn list_number_series(
        &self,
        ctx: &AuthContext,
    ) -> ServiceResult<Vec<NumberSeriesView>> {
        let mut conn = self.store.read_conn().await?;
        let start = fy_start(ctx)?;
        let mut out = Vec::new();
        for t in DOC_TYPES {
            let chosen = ferrobooks_store::series::template(&mut *conn, ctx.org_id(), t).await?;
            let template = chosen
                .clone()
                .unwrap_or_else(|| default_template(t, &ctx.org.country));
            let example = SeriesTemplate::parse(&template)
                .and_then(|p| p.format(1, today(), start, "BR", false))
                .unwrap_or_default();
            out.push(NumberSeriesView {
                doc_type: (*t).to_owned(),
                is_default: chosen.is_none(),
                template,
                example,
            });
        }
        Ok(out)
    }

    /// Sets the template of a document type. Numbers already given stay;
    /// the counter is not reset (it resets with each fiscal year).
    pub async fn set_number_series(
        &self,
        ctx: &AuthContext,
        doc_type: &str,
        input: NumberSeriesInput,
    ) -> ServiceResult<NumberSeriesView> {
        if !DOC_TYPES.contains(&doc_type) {
            return Err(ServiceError::not_found("number series"));
        }
        let text = input.template.trim().to_owned();
        if text.len() > 40 {
            return Err(ServiceError::invalid(
                "template",
                "must be at most 40 characters",
            ));
        }
        let parsed = SeriesTemplate::parse(&text)?;
        let start = fy_start(ctx)?;
        // A plausible number (a three-letter branch code) must fit the GST
        // rule for Indian organizations; a longer branch is checked when a
        // document takes its number.
        let example = parsed.format(1, today(), start, "BR1", ctx.org.country == "IN")?;
        let mut wtx = self.store.begin_write().await?;
        ferrobooks_store::series::set_template(&mut wtx.tx, ctx.org_id(), doc_type, &text, &now())
            .await?;
        let v = NumberSeriesView {
            doc_type: doc_type.to_owned(),
            template: text,
            is_default: false,
            example,
        };
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }
}
