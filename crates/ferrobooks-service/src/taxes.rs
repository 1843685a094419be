//! The tax catalogue: seeded per country with each organization, extended
//! by the organization, and a calculator that shows what a tax charges on
//! an amount (the same engine invoices use).

use ferrobooks_domain::Currency;
use ferrobooks_domain::money::parse_decimal;
use ferrobooks_domain::tax::{GST_RATES, Supply, TaxKind, TaxRule};
use ferrobooks_store::taxes::{self as store, TaxRow};
use ferrobooks_store::tenancy::OrganizationRow;
use ferrobooks_store::{Conn, new_id, now};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText, Number};
use crate::page::{Page, paginate};
use crate::{AuthContext, OrgId, Outcome, ServiceError, ServiceResult, Services, parse_date};

/// One component of a tax and the account it posts to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredComponent {
    name: String,
    rate: String,
    account_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComponentView {
    /// `cgst`, `sgst`, `igst`, `cess`, `vat`, or a sales-tax agency.
    pub name: String,
    pub rate: Number,
    /// The liability account the component is credited to on sales.
    pub account_id: String,
}

/// A tax, as a use case answers it (each surface shapes it). For GST the components list every
/// way the rate can split (CGST + SGST within the state, IGST across
/// states); an invoice uses one or the other by its place of supply.
#[derive(Debug, Clone, Serialize)]
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
    pub effective_from: Option<String>,
    pub effective_to: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentInput {
    /// The agency (`CA State`, `Alameda County`).
    pub name: String,
    pub rate: DecimalText,
    /// Default: the sales tax payable account.
    pub account_id: Option<String>,
}

/// A new tax. `gst` needs an Indian organization, `vat` one with the VAT
/// accounts (UK chart); `sales_tax` takes its rates as `components`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTax {
    pub name: String,
    /// gst, vat or sales_tax.
    pub kind: String,
    /// Percent (gst, vat).
    pub rate: Option<DecimalText>,
    pub cess_rate: Option<DecimalText>,
    pub cess_per_unit: Option<DecimalText>,
    #[serde(default)]
    pub exempt: bool,
    /// sales_tax: one rate per agency.
    pub components: Option<Vec<ComponentInput>>,
    pub effective_from: Option<String>,
    pub effective_to: Option<String>,
}

/// Changes to a tax: its name, validity and whether it is offered. Rates
/// do not change: make a new tax with its own dates, so documents keep
/// the rate they were issued with.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxUpdate {
    pub name: Option<String>,
    pub effective_from: Option<String>,
    pub effective_to: Option<String>,
    pub active: Option<bool>,
}

/// What a tax charges on an amount.
#[derive(Debug, Clone, Serialize)]
pub struct TaxCalculation {
    pub tax_id: String,
    pub net: Amount,
    pub lines: Vec<TaxLine>,
    pub total_tax: Amount,
    pub gross: Amount,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaxLine {
    pub name: String,
    pub rate: Number,
    pub account_id: String,
    pub amount: Amount,
}

fn dec(field: &str, s: &str) -> ServiceResult<Decimal> {
    Ok(parse_decimal(s, field)?)
}

/// The kinds of tax, as the `kind` field and filter name them.
pub const TAX_KINDS: [&str; 3] = ["gst", "vat", "sales_tax"];

fn kind(s: &str) -> ServiceResult<TaxKind> {
    match s {
        "gst" => Ok(TaxKind::Gst),
        "vat" => Ok(TaxKind::Vat),
        "sales_tax" => Ok(TaxKind::SalesTax),
        _ => Err(ServiceError::invalid(
            "kind",
            format!("must be one of {}", TAX_KINDS.join(", ")),
        )),
    }
}

/// The domain rule of a stored tax.
fn rule(t: &TaxRow) -> ServiceResult<TaxRule> {
    let corrupt = |_| ServiceError::internal(format!("tax {} is corrupt", t.id));
    Ok(match t.kind.as_str() {
        "gst" => TaxRule::Gst {
            rate: t.rate.parse().map_err(corrupt)?,
            cess_rate: t.cess_rate.parse().map_err(corrupt)?,
            cess_per_unit: t.cess_per_unit,
        },
        "vat" => TaxRule::Vat {
            rate: t.rate.parse().map_err(corrupt)?,
            exempt: t.exempt == 1,
        },
        _ => {
            let comps: Vec<StoredComponent> = serde_json::from_str(&t.components)
                .map_err(|_| ServiceError::internal(format!("tax {} is corrupt", t.id)))?;
            TaxRule::SalesTax {
                rates: comps
                    .into_iter()
                    .map(|c| Ok((c.name, c.rate.parse().map_err(corrupt)?)))
                    .collect::<ServiceResult<_>>()?,
            }
        }
    })
}

fn view(t: TaxRow, cur: Currency) -> ServiceResult<TaxView> {
    let comps: Vec<StoredComponent> = serde_json::from_str(&t.components)
        .map_err(|_| ServiceError::internal(format!("tax {} is corrupt", t.id)))?;
    let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
    Ok(TaxView {
        rate: Number::new(d(&t.rate)),
        cess_rate: Number::new(d(&t.cess_rate)),
        cess_per_unit: Amount::new(t.cess_per_unit, cur),
        exempt: t.exempt == 1,
        components: comps
            .into_iter()
            .map(|c| ComponentView {
                rate: Number::new(d(&c.rate)),
                name: c.name,
                account_id: c.account_id,
            })
            .collect(),
        id: t.id,
        name: t.name,
        kind: t.kind,
        effective_from: t.effective_from,
        effective_to: t.effective_to,
        active: t.active == 1,
        created_at: t.created_at,
        updated_at: t.updated_at,
    })
}

/// The accounts a GST or VAT tax posts to, found by system key.
async fn system_account(
    conn: &mut Conn,
    org: &OrgId,
    key: &str,
    kind: &str,
) -> ServiceResult<String> {
    store::account_by_key(&mut *conn, org, key)
        .await?
        .ok_or_else(|| {
            ServiceError::invalid(
                "kind",
                format!("this organization's chart has no {key} account, which {kind} posts to"),
            )
        })
}

/// Builds a tax row from checked parts.
async fn build(conn: &mut Conn, org: &OrganizationRow, input: NewTax) -> ServiceResult<TaxRow> {
    let k = kind(&input.kind)?;
    let name = ferrobooks_domain::account::parse_name("name", &input.name)?;
    let cur = Currency::parse(&org.base_currency)?;
    let rate = match &input.rate {
        Some(r) => dec("rate", &r.0)?,
        None if k == TaxKind::SalesTax => Decimal::ZERO,
        None => {
            return Err(ServiceError::invalid(
                "rate",
                "a GST or VAT tax needs its rate (only a sales tax may leave it out)",
            ));
        }
    };
    let cess_rate = match &input.cess_rate {
        Some(r) => dec("cess_rate", &r.0)?,
        None => Decimal::ZERO,
    };
    let cess_per_unit = match &input.cess_per_unit {
        Some(a) => a.minor(cur, "cess_per_unit")?,
        None => 0,
    };
    if k != TaxKind::Gst && (!cess_rate.is_zero() || cess_per_unit != 0) {
        return Err(ServiceError::invalid(
            "cess_rate",
            "cess applies to GST only",
        ));
    }
    if !matches!(k, TaxKind::Vat | TaxKind::Gst) && input.exempt {
        return Err(ServiceError::invalid(
            "exempt",
            "exempt applies to VAT and GST only",
        ));
    }
    if k == TaxKind::Gst && input.exempt && !rate.is_zero() {
        return Err(ServiceError::invalid("rate", "an exempt GST rate is 0"));
    }
    if k != TaxKind::SalesTax && input.components.is_some() {
        return Err(ServiceError::invalid(
            "components",
            "only a sales tax takes components",
        ));
    }
    let oid = &org.id;
    let comp = |name: &str, rate: Decimal, account_id: String| StoredComponent {
        name: name.into(),
        rate: rate.normalize().to_string(),
        account_id,
    };
    let (rule, components) = match k {
        TaxKind::Gst => {
            if org.country != "IN" {
                return Err(ServiceError::invalid(
                    "kind",
                    "GST is for Indian organizations",
                ));
            }
            let half = rate / Decimal::TWO;
            let mut c = vec![
                comp(
                    "cgst",
                    half,
                    system_account(conn, oid, "output_cgst", "GST").await?,
                ),
                comp(
                    "sgst",
                    half,
                    system_account(conn, oid, "output_sgst", "GST").await?,
                ),
                comp(
                    "igst",
                    rate,
                    system_account(conn, oid, "output_igst", "GST").await?,
                ),
            ];
            if !cess_rate.is_zero() || cess_per_unit != 0 {
                c.push(comp(
                    "cess",
                    cess_rate,
                    system_account(conn, oid, "output_cess", "GST").await?,
                ));
            }
            (
                TaxRule::Gst {
                    rate,
                    cess_rate,
                    cess_per_unit,
                },
                c,
            )
        }
        TaxKind::Vat => {
            let account = system_account(conn, oid, "vat_on_sales", "VAT").await?;
            let c = if input.exempt {
                vec![]
            } else {
                vec![comp("vat", rate, account)]
            };
            (
                TaxRule::Vat {
                    rate,
                    exempt: input.exempt,
                },
                c,
            )
        }
        TaxKind::SalesTax | TaxKind::Other => {
            let given = input.components.ok_or_else(|| {
                ServiceError::invalid("components", "a sales tax lists its rates, one per agency")
            })?;
            let default_account =
                store::account_by_key(&mut *conn, oid, "sales_tax_payable").await?;
            let mut rates = Vec::new();
            let mut c = Vec::new();
            for (i, g) in given.into_iter().enumerate() {
                let r = dec(&format!("components[{i}].rate"), &g.rate.0)?;
                let account = match g.account_id {
                    Some(a) => {
                        let found = ferrobooks_store::accounts::accounts_by_ids(
                            &mut *conn,
                            oid,
                            &[a.as_str()],
                        )
                        .await?;
                        match found.first() {
                            Some(acc) if acc.account_type == "liability" && acc.active == 1 => a,
                            _ => {
                                return Err(ServiceError::invalid(
                                    format!("components[{i}].account_id"),
                                    "must be an active liability account of this organization",
                                ));
                            }
                        }
                    }
                    None => default_account.clone().ok_or_else(|| {
                        ServiceError::invalid(
                            format!("components[{i}].account_id"),
                            "is required: the chart has no sales tax payable account",
                        )
                    })?,
                };
                rates.push((g.name.trim().to_owned(), r));
                c.push(comp(g.name.trim(), r, account));
            }
            (TaxRule::SalesTax { rates }, c)
        }
    };
    rule.validate()?;
    let (from, to) = dates(input.effective_from, input.effective_to)?;
    let at = now();
    Ok(TaxRow {
        id: new_id("tax"),
        organization_id: org.id.clone(),
        name,
        kind: input.kind,
        rate: match &rule {
            TaxRule::SalesTax { .. } => rule.total_rate(),
            _ => rate,
        }
        .normalize()
        .to_string(),
        cess_rate: cess_rate.normalize().to_string(),
        cess_per_unit,
        exempt: i64::from(input.exempt),
        components: serde_json::to_string(&components).map_err(ServiceError::internal)?,
        effective_from: from,
        effective_to: to,
        active: 1,
        created_at: at.clone(),
        updated_at: at,
    })
}

/// Checks optional validity dates.
fn dates(
    from: Option<String>,
    to: Option<String>,
) -> ServiceResult<(Option<String>, Option<String>)> {
    let from = from.map(|d| parse_date("effective_from", &d)).transpose()?;
    let to = to.map(|d| parse_date("effective_to", &d)).transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(ServiceError::invalid(
            "effective_to",
            "must not be before effective_from",
        ));
    }
    Ok((from.map(|d| d.to_string()), to.map(|d| d.to_string())))
}

/// The taxes an organization starts with: the GST slabs in India, the VAT
/// rates in the UK; elsewhere none (US sales tax codes are per place).
pub(crate) async fn seed(conn: &mut Conn, org: &OrganizationRow) -> ServiceResult<()> {
    let mut rows = Vec::new();
    let text = |s: &str| DecimalText(s.to_owned());
    match org.country.as_str() {
        "IN" => {
            for r in GST_RATES {
                rows.push(NewTax {
                    name: format!("GST {r}%"),
                    kind: "gst".into(),
                    rate: Some(text(r)),
                    cess_rate: None,
                    cess_per_unit: None,
                    exempt: false,
                    components: None,
                    effective_from: None,
                    effective_to: None,
                });
            }
        }
        "GB" | "UK" => {
            for (name, r, exempt) in [
                ("VAT Standard 20%", "20", false),
                ("VAT Reduced 5%", "5", false),
                ("VAT Zero 0%", "0", false),
                ("VAT Exempt", "0", true),
            ] {
                rows.push(NewTax {
                    name: name.into(),
                    kind: "vat".into(),
                    rate: Some(text(r)),
                    cess_rate: None,
                    cess_per_unit: None,
                    exempt,
                    components: None,
                    effective_from: None,
                    effective_to: None,
                });
            }
        }
        _ => {}
    }
    let mut built = Vec::with_capacity(rows.len());
    for r in rows {
        built.push(build(conn, org, r).await?);
    }
    store::insert_tax(conn, &built).await?;
    Ok(())
}

impl Services {
    pub async fn create_tax(&self, ctx: &AuthContext, input: NewTax) -> ServiceResult<TaxView> {
        let cur = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let row = build(&mut wtx.tx, &ctx.org, input).await?;
        store::insert_tax(&mut wtx.tx, std::slice::from_ref(&row)).await?;
        let v = view(row, cur)?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn list_taxes(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        kind_filter: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<TaxView>> {
        if let Some(k) = kind_filter {
            kind(k)?;
        }
        let cur = ctx.currency()?;
        let rows = store::list_taxes(
            self.store.pool(),
            ctx.org_id(),
            after.unwrap_or(""),
            kind_filter.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.id);
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|t| view(t, cur))
                .collect::<Result<_, _>>()?,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    pub async fn get_tax(&self, ctx: &AuthContext, id: &str) -> ServiceResult<TaxView> {
        let row = store::get_tax(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("tax"))?;
        view(row, ctx.currency()?)
    }

    pub async fn update_tax(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: TaxUpdate,
    ) -> ServiceResult<TaxView> {
        let mut wtx = self.store.begin_write().await?;
        let mut row = store::get_tax(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("tax"))?;
        if let Some(n) = input.name {
            row.name = ferrobooks_domain::account::parse_name("name", &n)?;
        }
        let (from, to) = dates(
            input.effective_from.or(row.effective_from.clone()),
            input.effective_to.or(row.effective_to.clone()),
        )?;
        row.effective_from = from;
        row.effective_to = to;
        if let Some(a) = input.active {
            row.active = i64::from(a);
        }
        row.updated_at = now();
        store::update_tax(&mut *wtx.tx, &row).await?;
        let v = view(row, ctx.currency()?)?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Deletes a tax. (Once documents use taxes, a tax in use is made
    /// inactive instead.)
    pub async fn delete_tax(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        store::soft_delete_tax(&mut *wtx.tx, ctx.org_id(), id).await?;
        wtx.commit().await?;
        Ok(())
    }

    /// What the tax charges on `amount` (net of discount): for GST, split
    /// by `place_of_supply` against the organization's state.
    pub async fn calculate_tax(
        &self,
        ctx: &AuthContext,
        id: &str,
        amount: &str,
        quantity: Option<&str>,
        place_of_supply: Option<&str>,
    ) -> ServiceResult<TaxCalculation> {
        let cur = ctx.currency()?;
        let row = store::get_tax(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("tax"))?;
        let net = cur.parse_amount(amount, "amount")?;
        let qty = match quantity {
            Some(q) => dec("quantity", q)?,
            None => Decimal::ONE,
        };
        if qty < Decimal::ZERO {
            return Err(ServiceError::invalid("quantity", "must not be negative"));
        }
        let supply = match (row.kind.as_str(), place_of_supply) {
            ("gst", Some(p)) => {
                let pos = ferrobooks_domain::org::parse_state("IN", p).map_err(|_| {
                    ServiceError::invalid(
                        "place_of_supply",
                        format!("'{p}' is not a GST state code"),
                    )
                })?;
                Supply::for_gst(ctx.org.state.as_deref().unwrap_or(""), &pos, false)
            }
            ("gst", None) => {
                return Err(ServiceError::invalid(
                    "place_of_supply",
                    "GST needs the place of supply to split CGST/SGST from IGST",
                ));
            }
            _ => Supply::InterState,
        };
        let mut lines = Vec::new();
        let mut total = 0;
        for (name, rate, account_id, amount) in charge(&row, net, qty, cur.exponent(), supply)? {
            total += amount;
            lines.push(TaxLine {
                name,
                rate: Number::new(rate),
                account_id,
                amount: Amount::new(amount, cur),
            });
        }
        Ok(TaxCalculation {
            tax_id: row.id,
            net: Amount::new(net, cur),
            lines,
            total_tax: Amount::new(total, cur),
            gross: Amount::new(net + total, cur),
        })
    }
}

/// What a stored tax charges on a line of `net` minor units and `qty`
/// units: (component, rate, account, amount) per component. The same
/// engine for the calculator and for documents.
pub(crate) fn charge(
    row: &TaxRow,
    net: ferrobooks_domain::Minor,
    qty: Decimal,
    exp: u32,
    supply: Supply,
) -> ServiceResult<Vec<(String, Decimal, String, ferrobooks_domain::Minor)>> {
    accounts_of(row, rule(row)?.apply(net, qty, exp, supply)?)
}

/// The tax inside `gross`, an amount that includes it, per component with
/// its account (`TaxRule::apply_inclusive`).
pub(crate) fn charge_inclusive(
    row: &TaxRow,
    gross: ferrobooks_domain::Minor,
    exp: u32,
    supply: Supply,
) -> ServiceResult<Vec<(String, Decimal, String, ferrobooks_domain::Minor)>> {
    accounts_of(row, rule(row)?.apply_inclusive(gross, exp, supply)?)
}

fn accounts_of(
    row: &TaxRow,
    amounts: Vec<ferrobooks_domain::tax::TaxAmount>,
) -> ServiceResult<Vec<(String, Decimal, String, ferrobooks_domain::Minor)>> {
    let comps: Vec<StoredComponent> = serde_json::from_str(&row.components)
        .map_err(|_| ServiceError::internal(format!("tax {} is corrupt", row.id)))?;
    Ok(amounts
        .into_iter()
        .map(|a| {
            let account_id = comps
                .iter()
                .find(|c| c.name == a.component)
                .map(|c| c.account_id.clone())
                .unwrap_or_default();
            (a.component, a.rate, account_id, a.amount)
        })
        .collect())
}
