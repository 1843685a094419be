//! Tax returns made from the books: the UK VAT return and the US sales
//! tax liability, computed from the lines of the period's posted
//! documents (each line's tax converted to the base currency as it was
//! posted, so the boxes tie out to the tax accounts), with the documents
//! behind each figure. Filing one keeps it as filed and closes its period
//! to postings until it is reopened, with a reason.

use std::collections::BTreeMap;

use ferrobooks_domain::Currency;
use ferrobooks_domain::document::Side;
use ferrobooks_domain::document::settlement::to_base;
use ferrobooks_domain::vat_return::{self, Supply, VatLine};
use ferrobooks_store::tax_returns::{self as store, TaxReturnRow, TaxedLine};
use ferrobooks_store::{new_id, now};
use serde::Serialize;

use crate::amount::Amount;
use crate::auth::PrincipalKind;
use crate::documents::model::{DocKind, LineTax, dec};
use crate::{AuthContext, Code, ServiceError, ServiceResult, Services, parse_date};

/// Every kind that posts a taxed supply, and its sign on a return: a
/// credit note, refund or vendor credit takes back what its sale or
/// purchase gave.
pub(crate) fn sign(kind: DocKind) -> Option<i64> {
    match kind {
        DocKind::Invoice
        | DocKind::SalesReceipt
        | DocKind::Bill
        | DocKind::Expense
        | DocKind::Check
        | DocKind::BankPayment
        | DocKind::CardCharge => Some(1),
        DocKind::CreditNote
        | DocKind::RefundReceipt
        | DocKind::VendorCredit
        | DocKind::CardCredit => Some(-1),
        DocKind::Estimate | DocKind::PurchaseOrder => None,
    }
}

pub(crate) fn kinds_of(side: Option<Side>) -> Vec<DocKind> {
    DocKind::ALL
        .iter()
        .copied()
        .filter(|k| sign(*k).is_some() && side.is_none_or(|s| k.side() == s))
        .collect()
}

/// A line converted to the base currency, with its taxes.
pub(crate) struct BaseLine<'a> {
    pub line: &'a TaxedLine,
    pub kind: DocKind,
    pub net: i64,
    pub taxes: Vec<(LineTax, i64)>,
}

pub(crate) fn to_base_lines(
    lines: &[TaxedLine],
    base: Currency,
) -> ServiceResult<Vec<BaseLine<'_>>> {
    lines
        .iter()
        .map(|l| {
            let kind = DocKind::parse(&l.doc_type).ok_or_else(|| {
                ServiceError::internal(format!("document type {} is unknown", l.doc_type))
            })?;
            let cur = Currency::parse(&l.currency)?;
            let rate = dec(&l.exchange_rate);
            let taxes: Vec<LineTax> = serde_json::from_str(&l.taxes).map_err(|_| {
                ServiceError::internal(format!("document {} line taxes corrupt", l.document_id))
            })?;
            let taxes = taxes
                .into_iter()
                .map(|t| {
                    let b = to_base(t.amount, cur, rate, base)?;
                    Ok((t, b))
                })
                .collect::<ServiceResult<_>>()?;
            Ok(BaseLine {
                line: l,
                kind,
                net: to_base(l.net, cur, rate, base)?,
                taxes,
            })
        })
        .collect()
}

/// One document behind a return's figures.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnDocument {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub number: Option<String>,
    pub date: String,
    /// Net of tax and its tax, in the base currency, signed as the return
    /// counts them (a credit note negative).
    pub net: Amount,
    pub tax: Amount,
    /// The boxes (or agencies) it feeds.
    pub feeds: Vec<String>,
}

/// HMRC's VAT return body, field for field as its MTD API takes it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VatSubmission {
    pub period_key: String,
    pub vat_due_sales: Amount,
    pub vat_due_acquisitions: Amount,
    pub total_vat_due: Amount,
    pub vat_reclaimed_curr_period: Amount,
    pub net_vat_due: Amount,
    #[serde(rename = "totalValueSalesExVAT")]
    pub total_value_sales_ex_vat: Amount,
    #[serde(rename = "totalValuePurchasesExVAT")]
    pub total_value_purchases_ex_vat: Amount,
    #[serde(rename = "totalValueGoodsSuppliedExVAT")]
    pub total_value_goods_supplied_ex_vat: Amount,
    #[serde(rename = "totalAcquisitionsExVAT")]
    pub total_acquisitions_ex_vat: Amount,
    pub finalised: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct VatReturn {
    pub date_from: String,
    pub date_to: String,
    pub currency: String,
    /// What to send HMRC, as it is (`finalised` true once filed here).
    pub submission: VatSubmission,
    /// The VAT reclaimed on bad debts written off in the period, part of
    /// box 4.
    pub bad_debt_relief: Amount,
    /// The documents behind the boxes, with `detail`.
    pub documents: Option<Vec<ReturnDocument>>,
}

/// Tax collected for one agency at one rate.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyLine {
    pub agency: String,
    pub rate: String,
    pub taxable_sales: Amount,
    pub tax_collected: Amount,
}

#[derive(Debug, Clone, Serialize)]
pub struct SalesTaxLiability {
    pub date_from: String,
    pub date_to: String,
    pub currency: String,
    pub agencies: Vec<AgencyLine>,
    /// Sales with no tax or an exempt one.
    pub exempt_sales: Amount,
    pub total_sales: Amount,
    pub total_tax: Amount,
    pub documents: Option<Vec<ReturnDocument>>,
}

/// A filed return, as kept.
#[derive(Debug, Clone, Serialize)]
pub struct FiledReturn {
    pub id: String,
    /// vat_return or sales_tax_liability.
    pub kind: String,
    pub period_key: Option<String>,
    pub date_from: String,
    pub date_to: String,
    /// filed, or reopened.
    pub status: String,
    pub filed_at: String,
    pub reopened_at: Option<String>,
    pub reopen_reason: Option<String>,
    /// The return as it was filed, its amounts exactly as written.
    pub body: Box<serde_json::value::RawValue>,
}

fn filed_view(r: TaxReturnRow) -> ServiceResult<FiledReturn> {
    Ok(FiledReturn {
        body: serde_json::value::RawValue::from_string(r.body)
            .map_err(|e| ServiceError::internal(format!("a tax return is corrupt: {e}")))?,
        id: r.id,
        kind: r.kind,
        period_key: r.period_key,
        date_from: r.date_from,
        date_to: r.date_to,
        status: r.status,
        filed_at: r.filed_at,
        reopened_at: r.reopened_at,
        reopen_reason: r.reopen_reason,
    })
}

/// The kinds of return that can be filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnKind {
    Vat,
    SalesTax,
    Gstr1,
    Gstr3b,
}

impl ReturnKind {
    /// Its name in words.
    pub fn label(self) -> &'static str {
        match self {
            ReturnKind::Vat => "VAT return",
            ReturnKind::SalesTax => "sales tax liability",
            ReturnKind::Gstr1 => "GSTR-1",
            ReturnKind::Gstr3b => "GSTR-3B",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReturnKind::Vat => "vat_return",
            ReturnKind::SalesTax => "sales_tax_liability",
            ReturnKind::Gstr1 => "gstr1",
            ReturnKind::Gstr3b => "gstr3b",
        }
    }
}

/// The GST month `[from, to]` spans, when it spans exactly one.
fn month_of(from: &str, to: &str) -> ServiceResult<ferrobooks_domain::gst_return::Period> {
    let p = crate::gst_returns::period(&format!("{}{}", &from[..4], &from[5..7]))?;
    if p.first.to_string() != from || p.last.to_string() != to {
        return Err(ServiceError::invalid(
            "period",
            "a GST return files one calendar month",
        ));
    }
    Ok(p)
}

/// A return's period: both days given, the first not after the second.
fn period(from: &str, to: &str) -> ServiceResult<(String, String)> {
    let (f, t) = (parse_date("date_from", from)?, parse_date("date_to", to)?);
    if f > t {
        return Err(ServiceError::invalid(
            "date_from",
            "must not be after date_to",
        ));
    }
    Ok((f.to_string(), t.to_string()))
}

fn for_country(ctx: &AuthContext, country: &str, what: &str) -> ServiceResult<()> {
    if ctx.org.country == country {
        return Ok(());
    }
    Err(ServiceError::new(
        Code::InvalidState,
        format!(
            "the {what} is for organizations in {country}; this one is in {}",
            ctx.org.country
        ),
    ))
}

/// HMRC's period key: four letters and digits (or `#` and three digits),
/// as the VAT obligation names it. Default: the year and month of the
/// period's end (`26M3`), for a client that has no obligation at hand.
fn period_key(key: Option<&str>, to: &str) -> ServiceResult<String> {
    match key {
        Some(k) => {
            let ok = k.len() == 4
                && k.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '#');
            if !ok {
                return Err(ServiceError::invalid(
                    "period_key",
                    "is four capital letters, digits or # (as HMRC's obligation names it: 18A1, #001)",
                ));
            }
            Ok(k.to_owned())
        }
        None => {
            let month = to[5..7].parse::<u32>().unwrap_or(1);
            let m = char::from_digit(month, 36)
                .unwrap_or('1')
                .to_ascii_uppercase();
            Ok(format!("{}M{m}", &to[2..4]))
        }
    }
}

/// A document's first line, its net and tax, and what it feeds.
type DocSums<'a> = (&'a TaxedLine, i64, i64, Vec<String>);

fn documents_of(
    lines: Vec<(BaseLine<'_>, i64, i64, Vec<String>)>,
    cur: Currency,
) -> Vec<ReturnDocument> {
    let mut by_doc: BTreeMap<(String, String), DocSums<'_>> = BTreeMap::new();
    for (b, net, tax, feeds) in lines {
        let l = b.line;
        let d = by_doc
            .entry((l.date.clone(), l.document_id.clone()))
            .or_insert_with(|| (l, 0, 0, Vec::new()));
        d.1 += net;
        d.2 += tax;
        for f in feeds {
            if !d.3.contains(&f) {
                d.3.push(f);
            }
        }
    }
    by_doc
        .into_values()
        .filter(|d| !d.3.is_empty())
        .map(|(l, net, tax, mut feeds)| {
            feeds.sort();
            ReturnDocument {
                kind: l.doc_type.clone(),
                id: l.document_id.clone(),
                number: l.number.clone(),
                date: l.date.clone(),
                net: Amount::new(net, cur),
                tax: Amount::new(tax, cur),
                feeds,
            }
        })
        .collect()
}

impl Services {
    pub(crate) async fn taxed_lines(
        &self,
        ctx: &AuthContext,
        side: Option<Side>,
        (from, to): (&str, &str),
    ) -> ServiceResult<Vec<TaxedLine>> {
        let types: Vec<&str> = kinds_of(side).iter().map(|k| k.doc_type()).collect();
        let mut conn = self.store.read_conn().await?;
        Ok(store::taxed_lines(&mut conn, ctx.org_id(), &types, (from, to)).await?)
    }

    /// The UK VAT return of `[date_from, date_to]`.
    pub async fn vat_return(
        &self,
        ctx: &AuthContext,
        (date_from, date_to): (&str, &str),
        key: Option<&str>,
        detail: bool,
    ) -> ServiceResult<VatReturn> {
        for_country(ctx, "GB", "VAT return")?;
        let cur = ctx.currency()?;
        let (from, to) = period(date_from, date_to)?;
        let key = period_key(key, &to)?;
        let rows = self.taxed_lines(ctx, None, (&from, &to)).await?;
        let mut vat_lines = Vec::with_capacity(rows.len());
        let mut fed = Vec::new();
        for b in to_base_lines(&rows, cur)? {
            let side = b.kind.side();
            let s = sign(b.kind).unwrap_or(1);
            let vat: i64 = b
                .taxes
                .iter()
                .filter(|(t, _)| t.treatment.as_deref() != Some("cost"))
                .map(|(_, v)| v)
                .sum();
            let supply = match (b.line.tax_id.as_ref(), b.line.tax_exempt) {
                (None, _) => Supply::OutsideScope,
                (Some(_), Some(1)) => Supply::Exempt,
                _ => Supply::Taxable,
            };
            let v = VatLine {
                side,
                sign: s,
                net: b.net,
                vat,
                supply,
                reverse_charge: b.line.reverse_charge == 1,
            };
            let feeds = vat_return::boxes_of(&v)
                .iter()
                .map(|n| format!("box{n}"))
                .collect();
            vat_lines.push(v);
            fed.push((b, s * v.net, s * vat, feeds));
        }
        let relief = {
            let mut conn = self.store.read_conn().await?;
            let vat = ferrobooks_store::taxes::account_by_key(
                &mut *conn,
                ctx.org_id(),
                "vat_on_purchases",
            )
            .await?;
            match vat {
                Some(a) => {
                    store::bad_debt_relief(&mut conn, ctx.org_id(), &a, (&from, &to)).await?
                }
                None => 0,
            }
        };
        let boxes = vat_return::boxes(&vat_lines, relief);
        let a = |m| Amount::new(m, cur);
        Ok(VatReturn {
            date_from: from,
            date_to: to,
            currency: cur.code().into(),
            submission: VatSubmission {
                period_key: key,
                vat_due_sales: a(boxes.box1),
                vat_due_acquisitions: a(boxes.box2),
                total_vat_due: a(boxes.box3),
                vat_reclaimed_curr_period: a(boxes.box4),
                net_vat_due: a(boxes.box5),
                total_value_sales_ex_vat: a(boxes.box6),
                total_value_purchases_ex_vat: a(boxes.box7),
                total_value_goods_supplied_ex_vat: a(boxes.box8),
                total_acquisitions_ex_vat: a(boxes.box9),
                finalised: false,
            },
            bad_debt_relief: a(relief),
            documents: detail.then(|| documents_of(fed, cur)),
        })
    }

    /// The US sales tax collected in `[date_from, date_to]`, per agency
    /// and rate, with the taxable and exempt sales.
    pub async fn sales_tax_liability(
        &self,
        ctx: &AuthContext,
        (date_from, date_to): (&str, &str),
        detail: bool,
    ) -> ServiceResult<SalesTaxLiability> {
        for_country(ctx, "US", "sales tax liability report")?;
        let cur = ctx.currency()?;
        let (from, to) = period(date_from, date_to)?;
        let rows = self
            .taxed_lines(ctx, Some(Side::Sale), (&from, &to))
            .await?;
        let mut agencies: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        let (mut exempt, mut total, mut tax_total) = (0i64, 0i64, 0i64);
        let mut fed = Vec::new();
        for b in to_base_lines(&rows, cur)? {
            let s = sign(b.kind).unwrap_or(1);
            let net = s * b.net;
            total += net;
            let taxed: Vec<&(LineTax, i64)> = b.taxes.iter().collect();
            let mut feeds = Vec::new();
            let mut line_tax = 0;
            if b.line.tax_id.is_none() || b.line.tax_exempt == Some(1) || taxed.is_empty() {
                exempt += net;
                feeds.push("exempt".to_owned());
            }
            for (t, amount) in taxed {
                let e = agencies
                    .entry((t.name.clone(), t.rate.clone()))
                    .or_default();
                e.0 += net;
                e.1 += s * amount;
                line_tax += s * amount;
                feeds.push(t.name.clone());
            }
            tax_total += line_tax;
            fed.push((b, net, line_tax, feeds));
        }
        let a = |m| Amount::new(m, cur);
        Ok(SalesTaxLiability {
            date_from: from,
            date_to: to,
            currency: cur.code().into(),
            agencies: agencies
                .into_iter()
                .map(|((agency, rate), (taxable, tax))| AgencyLine {
                    agency,
                    rate,
                    taxable_sales: a(taxable),
                    tax_collected: a(tax),
                })
                .collect(),
            exempt_sales: a(exempt),
            total_sales: a(total),
            total_tax: a(tax_total),
            documents: detail.then(|| documents_of(fed, cur)),
        })
    }

    /// Files a return for its period: keeps it as filed (a VAT return
    /// with `finalised` true) and closes the period to postings. Refused
    /// while a filed return of the kind overlaps the period.
    pub async fn file_return(
        &self,
        ctx: &AuthContext,
        kind: ReturnKind,
        (date_from, date_to): (&str, &str),
        key: Option<&str>,
    ) -> ServiceResult<FiledReturn> {
        let (from, to) = period(date_from, date_to)?;
        let mut wtx = self.store.begin_write().await?;
        // Postings in flight finish first and later ones wait for the
        // filing, so the return filed is the books as they stand.
        ferrobooks_store::periods::lock_for_change(&mut wtx.tx, ctx.org_id()).await?;
        let (period_key, body) = match kind {
            ReturnKind::Vat => {
                let mut r = self
                    .vat_return(ctx, (date_from, date_to), key, false)
                    .await?;
                r.submission.finalised = true;
                (
                    Some(r.submission.period_key.clone()),
                    serde_json::to_string(&r),
                )
            }
            ReturnKind::SalesTax => {
                let r = self
                    .sales_tax_liability(ctx, (date_from, date_to), false)
                    .await?;
                (None, serde_json::to_string(&r))
            }
            ReturnKind::Gstr1 => {
                let p = month_of(&from, &to)?;
                let r = self.gstr1(ctx, p, false).await?;
                (Some(r.period.clone()), serde_json::to_string(&r))
            }
            ReturnKind::Gstr3b => {
                let p = month_of(&from, &to)?;
                let r = self.gstr3b(ctx, p, false).await?;
                (Some(r.period.clone()), serde_json::to_string(&r))
            }
        };
        let body = body.map_err(ServiceError::internal)?;
        if let Some(f) =
            store::filed_overlapping(&mut wtx.tx, ctx.org_id(), kind.as_str(), (&from, &to)).await?
        {
            return Err(ServiceError::new(
                Code::InvalidState,
                format!(
                    "{} {} already files {} to {}; reopen it first",
                    kind.label(),
                    f.id,
                    f.date_from,
                    f.date_to
                ),
            ));
        }
        let row = TaxReturnRow {
            id: new_id("txr"),
            organization_id: ctx.org_id().clone(),
            kind: kind.as_str().into(),
            period_key,
            date_from: from,
            date_to: to,
            body,
            status: "filed".into(),
            filed_at: now(),
            filed_by: key_of(ctx),
            reopened_at: None,
            reopen_reason: None,
            reopened_by: None,
        };
        store::insert_return(&mut wtx.tx, &row).await?;
        let view = filed_view(row)?;
        self.emit(&mut wtx.tx, ctx, "tax_return.filed", &view)
            .await?;
        wtx.commit().await?;
        Ok(view)
    }

    /// Reopens a filed return's period, with the reason (kept).
    pub async fn reopen_return(
        &self,
        ctx: &AuthContext,
        id: &str,
        reason: &str,
    ) -> ServiceResult<FiledReturn> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ServiceError::invalid(
                "reason",
                "say why the filed period is reopened",
            ));
        }
        let mut wtx = self.store.begin_write().await?;
        ferrobooks_store::periods::lock_for_change(&mut wtx.tx, ctx.org_id()).await?;
        let r = store::get_return(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("tax return"))?;
        let by = key_of(ctx);
        if !store::reopen_return(
            &mut wtx.tx,
            ctx.org_id(),
            id,
            (&now(), reason, by.as_deref()),
        )
        .await?
        {
            return Err(ServiceError::new(
                Code::InvalidState,
                format!(
                    "tax return {id} is {}; only a filed return reopens",
                    r.status
                ),
            ));
        }
        let r = store::get_return(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("tax return"))?;
        let view = filed_view(r)?;
        self.emit(&mut wtx.tx, ctx, "tax_return.reopened", &view)
            .await?;
        wtx.commit().await?;
        Ok(view)
    }

    pub async fn list_returns(&self, ctx: &AuthContext) -> ServiceResult<Vec<FiledReturn>> {
        store::list_returns(self.store.pool(), ctx.org_id())
            .await?
            .into_iter()
            .map(filed_view)
            .collect()
    }

    pub async fn get_return(&self, ctx: &AuthContext, id: &str) -> ServiceResult<FiledReturn> {
        filed_view(
            store::get_return(self.store.pool(), ctx.org_id(), id)
                .await?
                .ok_or(ServiceError::not_found("tax return"))?,
        )
    }
}

fn key_of(ctx: &AuthContext) -> Option<String> {
    (ctx.principal.kind == PrincipalKind::ApiKey).then(|| ctx.principal.id.clone())
}
