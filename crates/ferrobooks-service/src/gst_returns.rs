//! India's GST returns from the books: GSTR-1 and GSTR-3B of a month, in
//! the portal's JSON layout (the domain's [`gst_return`] does the
//! sections), with the documents behind each section. Filing one goes
//! through [`Services::file_return`] like any return.

use std::collections::BTreeMap;

use ferrobooks_domain::Currency;
use ferrobooks_domain::document::Side;
use ferrobooks_domain::document::purchase_tax::ItcEligibility;
use ferrobooks_domain::gst_return::{
    self as gst, Class, Doc, Item, Period,
    gstr1::{Gstr1, Issued},
    gstr3b::{Gstr3b, Payment},
};
use ferrobooks_store::tax_returns::{self as store, TaxedLine};
use serde::Serialize;

use crate::amount::Amount;
use crate::documents::model::{DocKind, dec};
use crate::tax_returns::{BaseLine, ReturnDocument, sign, to_base_lines};
use crate::{AuthContext, Code, ServiceError, ServiceResult, Services};

/// A GST return period (`YYYYMM`), checked.
pub fn period(s: &str) -> ServiceResult<Period> {
    Ok(Period::parse("period", s)?)
}

#[derive(Debug, Clone, Serialize)]
pub struct Gstr1Return {
    pub period: String,
    pub date_from: String,
    pub date_to: String,
    /// What to upload to the portal, as it is.
    pub submission: Gstr1,
    /// What the portal will refuse that the books cannot say (a line
    /// without an HSN code).
    pub warnings: Vec<String>,
    /// The documents behind the sections, with `detail`.
    pub documents: Option<Vec<ReturnDocument>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gstr3bReturn {
    pub period: String,
    pub date_from: String,
    pub date_to: String,
    pub submission: Gstr3b,
    /// Table 6.1: the tax payable set off against the month's credit in
    /// the rule 88A order, the rest in cash.
    pub payment: Vec<Payment>,
    pub documents: Option<Vec<ReturnDocument>>,
}

/// The organization's GSTIN and state, or why it files no GST return.
fn registration(ctx: &AuthContext) -> ServiceResult<(String, String)> {
    let o = &ctx.org;
    if o.country != "IN" {
        return Err(ServiceError::new(
            Code::InvalidState,
            format!(
                "GST returns are for organizations in IN; this one is in {}",
                o.country
            ),
        ));
    }
    match (&o.tax_id, &o.state) {
        (Some(g), Some(s)) => Ok((g.clone(), s.clone())),
        _ => Err(ServiceError::new(
            Code::InvalidState,
            "set the organization's GSTIN (tax_id) and state before making a GST return",
        )),
    }
}

/// How GST treats a line, from its tax.
fn class_of(l: &TaxedLine) -> Class {
    match (l.tax_kind.as_deref(), l.tax_exempt, l.tax_rate.as_deref()) {
        (Some("gst"), Some(1), _) => Class::Exempt,
        (Some("gst"), _, Some(r)) if dec(r).is_zero() => Class::Nil,
        (Some("gst"), ..) => Class::Taxable,
        _ => Class::NonGst,
    }
}

fn item(b: &BaseLine<'_>) -> ServiceResult<Item> {
    let l = b.line;
    let class = class_of(l);
    let mut i = Item {
        class,
        rate: match class {
            Class::NonGst => Default::default(),
            _ => dec(l.tax_rate.as_deref().unwrap_or("0")),
        },
        txval: b.net,
        iamt: 0,
        camt: 0,
        samt: 0,
        csamt: 0,
        hsn: l.hsn_sac.clone(),
        desc: l
            .product_name
            .clone()
            .or_else(|| l.description.clone())
            .unwrap_or_default(),
        // A line without a product is taken for a service.
        goods: l.product_type.as_deref() == Some("goods"),
        qty: dec(&l.quantity),
        reverse_charge: l.reverse_charge == 1,
        itc: match &l.itc_eligibility {
            Some(e) => ItcEligibility::parse("itc_eligibility", e)?,
            None => ItcEligibility::Eligible,
        },
    };
    if class != Class::NonGst {
        for (t, amount) in &b.taxes {
            match t.name.as_str() {
                "igst" => i.iamt += amount,
                "cgst" => i.camt += amount,
                "sgst" => i.samt += amount,
                "cess" => i.csamt += amount,
                _ => {}
            }
        }
    }
    Ok(i)
}

/// The period's posted documents of `side` as the GST returns read them.
fn docs_of(lines: &[BaseLine<'_>], org_state: &str) -> ServiceResult<Vec<(Doc, DocKind)>> {
    let mut docs: Vec<(Doc, DocKind)> = Vec::new();
    for b in lines {
        let l = b.line;
        if docs.last().is_none_or(|(d, _)| d.id != l.document_id) {
            docs.push((
                Doc {
                    id: l.document_id.clone(),
                    note: sign(b.kind) == Some(-1),
                    number: l.number.clone().unwrap_or_else(|| l.document_id.clone()),
                    date: crate::parse_date("date", &l.date)?,
                    gstin: l.contact_tax_id.clone().filter(|g| !g.is_empty()),
                    sez: l.contact_sez == Some(1),
                    pos: l
                        .place_of_supply
                        .clone()
                        .unwrap_or_else(|| org_state.to_owned()),
                    value: l.base_total,
                    items: Vec::new(),
                },
                b.kind,
            ));
        }
        if let Some((d, _)) = docs.last_mut() {
            d.items.push(item(b)?);
        }
    }
    Ok(docs)
}

fn drill_down(
    docs: &[(Doc, DocKind)],
    feeds: &[Vec<&'static str>],
    cur: Currency,
) -> Vec<ReturnDocument> {
    docs.iter()
        .zip(feeds)
        .filter(|(_, f)| !f.is_empty())
        .map(|((d, kind), f)| {
            let s = if d.note { -1 } else { 1 };
            ReturnDocument {
                kind: kind.doc_type().into(),
                id: d.id.clone(),
                number: Some(d.number.clone()),
                date: d.date.to_string(),
                net: Amount::new(s * d.items.iter().map(|i| i.txval).sum::<i64>(), cur),
                tax: Amount::new(s * d.items.iter().map(Item::tax).sum::<i64>(), cur),
                feeds: f.iter().map(|f| (*f).to_owned()).collect(),
            }
        })
        .collect()
}

impl Services {
    async fn gst_docs(
        &self,
        ctx: &AuthContext,
        side: Side,
        p: Period,
        org_state: &str,
    ) -> ServiceResult<Vec<(Doc, DocKind)>> {
        let (from, to) = (p.first.to_string(), p.last.to_string());
        let rows = self.taxed_lines(ctx, Some(side), (&from, &to)).await?;
        docs_of(&to_base_lines(&rows, ctx.currency()?)?, org_state)
    }

    /// GSTR-1 of the month `p`.
    pub async fn gstr1(
        &self,
        ctx: &AuthContext,
        p: Period,
        detail: bool,
    ) -> ServiceResult<Gstr1Return> {
        let (gstin, state) = registration(ctx)?;
        let cur = ctx.currency()?;
        let docs = self.gst_docs(ctx, Side::Sale, p, &state).await?;
        let types = [
            DocKind::Invoice,
            DocKind::SalesReceipt,
            DocKind::CreditNote,
            DocKind::RefundReceipt,
        ];
        let names: Vec<&str> = types.iter().map(|k| k.doc_type()).collect();
        let (from, to) = (p.first.to_string(), p.last.to_string());
        let issued = {
            let mut conn = self.store.read_conn().await?;
            store::issued_numbers(&mut conn, ctx.org_id(), &names, (&from, &to)).await?
        };
        let issued: Vec<Issued> = issued
            .into_iter()
            .map(|n| Issued {
                note: DocKind::parse(&n.doc_type).and_then(sign) == Some(-1),
                cancelled: n.status == "void",
                number: n.number,
            })
            .collect();
        let plain: Vec<Doc> = docs.iter().map(|(d, _)| d.clone()).collect();
        let made = gst::gstr1::gstr1(&gstin, &state, p, &plain, &issued);
        Ok(Gstr1Return {
            period: format!("{}", p.first.format("%Y%m")),
            date_from: from,
            date_to: to,
            submission: made.gstr1,
            warnings: made.warnings,
            documents: detail.then(|| drill_down(&docs, &made.feeds, cur)),
        })
    }

    /// GSTR-3B of the month `p`.
    pub async fn gstr3b(
        &self,
        ctx: &AuthContext,
        p: Period,
        detail: bool,
    ) -> ServiceResult<Gstr3bReturn> {
        let (gstin, state) = registration(ctx)?;
        let sales = self.gst_docs(ctx, Side::Sale, p, &state).await?;
        let purchases = self.gst_docs(ctx, Side::Purchase, p, &state).await?;
        let plain = |d: &[(Doc, DocKind)]| d.iter().map(|(d, _)| d.clone()).collect::<Vec<_>>();
        let made = gst::gstr3b::gstr3b(&gstin, &state, p, &plain(&sales), &plain(&purchases));
        let cur = ctx.currency()?;
        let documents = detail.then(|| {
            let mut all: BTreeMap<(String, String), ReturnDocument> = BTreeMap::new();
            let both: Vec<(Doc, DocKind)> = sales.into_iter().chain(purchases).collect();
            for d in drill_down(&both, &made.feeds, cur) {
                all.insert((d.date.clone(), d.id.clone()), d);
            }
            all.into_values().collect()
        });
        Ok(Gstr3bReturn {
            period: format!("{}", p.first.format("%Y%m")),
            date_from: p.first.to_string(),
            date_to: p.last.to_string(),
            submission: made.gstr3b,
            payment: made.payment,
            documents,
        })
    }
}
