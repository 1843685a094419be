//! Pay items: earnings added to gross, deductions withheld from it, and
//! employer contributions on top, each a percent or a fixed amount posted
//! to its account. A country template gives sensible starting rates
//! (configurable; not statutory tables).

use ferrobooks_domain::payroll::{Calculation, Item, ItemKind};
use ferrobooks_store::accounts::AccountRow;
use ferrobooks_store::payroll::{self as store, PayItemRow};
use ferrobooks_store::{Conn, new_id, now};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText, Number};
use crate::documents::posting::{chosen_account, system_account};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text};

/// A pay item.
#[derive(Debug, Clone, Serialize)]
pub struct PayItemView {
    pub id: String,
    pub name: String,
    /// earning, deduction or employer_contribution.
    pub kind: String,
    /// percent or fixed.
    pub calculation: String,
    /// Percent of base pay (earnings) or of gross (the others).
    pub percent: Option<Number>,
    /// A fixed amount per employee per run.
    pub amount: Option<Amount>,
    /// Earnings: the expense account; the others: the liability account.
    pub account_id: String,
    /// Employer contributions: the expense account.
    pub expense_account_id: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A new pay item, or (every field optional) what changes on one; the
/// kind does not change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayItemInput {
    pub name: Option<String>,
    pub kind: Option<String>,
    /// Give one of `percent` and `amount`.
    pub percent: Option<DecimalText>,
    pub amount: Option<DecimalText>,
    pub account_id: Option<String>,
    pub expense_account_id: Option<String>,
    pub active: Option<bool>,
}

pub(crate) fn view(r: PayItemRow, ctx: &AuthContext) -> ServiceResult<PayItemView> {
    let cur = ctx.currency()?;
    let value: Decimal = r
        .value
        .parse()
        .map_err(|_| ServiceError::internal("stored pay item value is corrupt"))?;
    let fixed = r.calculation == Calculation::Fixed.as_str();
    Ok(PayItemView {
        percent: (!fixed).then(|| Number::new(value)),
        amount: fixed
            .then(|| Amount::new(i64::try_from(value.trunc().mantissa()).unwrap_or(0), cur)),
        id: r.id,
        name: r.name,
        kind: r.kind,
        calculation: r.calculation,
        account_id: r.account_id,
        expense_account_id: r.expense_account_id,
        active: r.active == 1,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// The item as the arithmetic needs it.
pub(crate) fn item(r: &PayItemRow) -> ServiceResult<Item> {
    let corrupt = || ServiceError::internal("stored pay item is corrupt");
    Ok(Item {
        id: r.id.clone(),
        kind: ItemKind::from_name(&r.kind).ok_or_else(corrupt)?,
        calculation: Calculation::from_name(&r.calculation).ok_or_else(corrupt)?,
        value: r.value.parse().map_err(|_| corrupt())?,
    })
}

/// The account a pay item of `kind` posts to (and an employer
/// contribution's expense), checked for its type.
async fn accounts(
    conn: &mut Conn,
    ctx: &AuthContext,
    kind: ItemKind,
    account: Option<&str>,
    expense: Option<&str>,
) -> ServiceResult<(AccountRow, Option<AccountRow>)> {
    let liability = |a: &AccountRow| a.account_type == "liability";
    let expense_type = |a: &AccountRow| a.account_type == "expense";
    Ok(match kind {
        ItemKind::Earning => {
            if expense.is_some() {
                return Err(ServiceError::invalid(
                    "expense_account_id",
                    "is for employer contributions; an earning posts to account_id",
                ));
            }
            let a = chosen_account(
                conn,
                ctx,
                account,
                Some("gross_wages"),
                "account_id",
                expense_type,
                "expense",
            )
            .await?;
            (a, None)
        }
        ItemKind::Deduction => {
            if expense.is_some() {
                return Err(ServiceError::invalid(
                    "expense_account_id",
                    "is for employer contributions; a deduction is owed on account_id",
                ));
            }
            let a = chosen_account(
                conn,
                ctx,
                account,
                Some("income_tax_withheld"),
                "account_id",
                liability,
                "liability",
            )
            .await?;
            (a, None)
        }
        ItemKind::EmployerContribution => {
            let a = chosen_account(
                conn,
                ctx,
                account,
                Some("social_security_payable"),
                "account_id",
                liability,
                "liability",
            )
            .await?;
            let e = chosen_account(
                conn,
                ctx,
                expense,
                Some("employer_payroll_taxes"),
                "expense_account_id",
                expense_type,
                "expense",
            )
            .await?;
            (a, Some(e))
        }
    })
}

/// The calculation and stored value `percent` or `amount` gives.
fn value(
    ctx: &AuthContext,
    percent: Option<&DecimalText>,
    amount: Option<&DecimalText>,
) -> ServiceResult<Option<(Calculation, String)>> {
    match (percent, amount) {
        (Some(_), Some(_)) => Err(ServiceError::invalid(
            "amount",
            "give percent or amount, not both",
        )),
        (Some(p), None) => {
            let v = ferrobooks_domain::money::parse_decimal(&p.0, "percent")?;
            if v < Decimal::ZERO || v > Decimal::from(100) || v.normalize().scale() > 4 {
                return Err(ServiceError::invalid(
                    "percent",
                    "must be 0 to 100, with at most 4 decimals",
                ));
            }
            Ok(Some((Calculation::Percent, v.normalize().to_string())))
        }
        (None, Some(a)) => {
            let v = a.minor(ctx.currency()?, "amount")?;
            if v < 0 {
                return Err(ServiceError::invalid("amount", "must not be negative"));
            }
            Ok(Some((Calculation::Fixed, v.to_string())))
        }
        (None, None) => Ok(None),
    }
}

/// One item of a country's template: name, kind, percent (or fixed
/// amount in major units when `fixed`), the system key of its account.
struct Template(&'static str, ItemKind, &'static str, bool, &'static str);

fn template(country: &str) -> &'static [Template] {
    use ItemKind::{Deduction as D, EmployerContribution as E};
    match country {
        "IN" => &[
            Template(
                "Provident Fund (employee)",
                D,
                "12",
                false,
                "social_security_payable",
            ),
            Template(
                "Provident Fund (employer)",
                E,
                "12",
                false,
                "social_security_payable",
            ),
            Template(
                "ESI (employee)",
                D,
                "0.75",
                false,
                "social_security_payable",
            ),
            Template(
                "ESI (employer)",
                E,
                "3.25",
                false,
                "social_security_payable",
            ),
            Template("Professional tax", D, "200", true, "income_tax_withheld"),
            Template("TDS on salary", D, "10", false, "income_tax_withheld"),
        ],
        "GB" => &[
            Template("PAYE income tax", D, "20", false, "income_tax_withheld"),
            Template(
                "Employee National Insurance",
                D,
                "8",
                false,
                "social_security_payable",
            ),
            Template(
                "Employer National Insurance",
                E,
                "13.8",
                false,
                "social_security_payable",
            ),
        ],
        "US" => &[
            Template(
                "Federal income tax withholding",
                D,
                "12",
                false,
                "income_tax_withheld",
            ),
            Template(
                "State income tax withholding",
                D,
                "5",
                false,
                "income_tax_withheld",
            ),
            Template(
                "Social Security (employee)",
                D,
                "6.2",
                false,
                "social_security_payable",
            ),
            Template(
                "Medicare (employee)",
                D,
                "1.45",
                false,
                "social_security_payable",
            ),
            Template(
                "Social Security (employer)",
                E,
                "6.2",
                false,
                "social_security_payable",
            ),
            Template(
                "Medicare (employer)",
                E,
                "1.45",
                false,
                "social_security_payable",
            ),
            Template("FUTA", E, "0.6", false, "social_security_payable"),
        ],
        _ => &[],
    }
}

impl Services {
    pub async fn create_pay_item(
        &self,
        ctx: &AuthContext,
        input: PayItemInput,
    ) -> ServiceResult<PayItemView> {
        let name = opt_text("name", input.name.clone(), 100)?
            .ok_or_else(|| ServiceError::invalid("name", "must not be blank"))?;
        let kind = ItemKind::parse(
            "kind",
            input
                .kind
                .as_deref()
                .ok_or_else(|| ServiceError::invalid("kind", "is required"))?,
        )?;
        let (calculation, value) = value(ctx, input.percent.as_ref(), input.amount.as_ref())?
            .ok_or_else(|| ServiceError::invalid("percent", "give percent or amount"))?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (account, expense) = accounts(
            conn,
            ctx,
            kind,
            input.account_id.as_deref(),
            input.expense_account_id.as_deref(),
        )
        .await?;
        if store::pay_item_name_taken(conn, ctx.org_id(), &name, "").await? {
            return Err(ServiceError::invalid(
                "name",
                format!("another pay item is named '{name}'"),
            ));
        }
        let at = now();
        let row = PayItemRow {
            id: new_id("pit"),
            organization_id: ctx.org_id().to_owned(),
            name,
            kind: kind.as_str().into(),
            calculation: calculation.as_str().into(),
            value,
            account_id: account.id,
            expense_account_id: expense.map(|e| e.id),
            active: i64::from(input.active.unwrap_or(true)),
            created_at: at.clone(),
            updated_at: at,
        };
        store::save_pay_item(conn, &row).await?;
        let v = view(row, ctx)?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn update_pay_item(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: PayItemInput,
    ) -> ServiceResult<PayItemView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut row = store::get_pay_item(conn, ctx.org_id(), id, true)
            .await?
            .ok_or(ServiceError::not_found("pay item"))?;
        let kind = item(&row)?.kind;
        if let Some(k) = &input.kind
            && k != kind.as_str()
        {
            return Err(ServiceError::invalid(
                "kind",
                "does not change: make another pay item",
            ));
        }
        if let Some(n) = input.name {
            let n = opt_text("name", Some(n), 100)?
                .ok_or_else(|| ServiceError::invalid("name", "must not be blank"))?;
            if store::pay_item_name_taken(conn, ctx.org_id(), &n, id).await? {
                return Err(ServiceError::invalid(
                    "name",
                    format!("another pay item is named '{n}'"),
                ));
            }
            row.name = n;
        }
        if let Some((c, v)) = value(ctx, input.percent.as_ref(), input.amount.as_ref())? {
            row.calculation = c.as_str().into();
            row.value = v;
        }
        if input.account_id.is_some() || input.expense_account_id.is_some() {
            let (a, e) = accounts(
                conn,
                ctx,
                kind,
                Some(input.account_id.as_deref().unwrap_or(&row.account_id)),
                input
                    .expense_account_id
                    .as_deref()
                    .or(row.expense_account_id.as_deref()),
            )
            .await?;
            row.account_id = a.id;
            row.expense_account_id = e.map(|e| e.id);
        }
        if let Some(a) = input.active {
            row.active = i64::from(a);
        }
        row.updated_at = now();
        store::save_pay_item(conn, &row).await?;
        let v = view(row, ctx)?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_pay_item(&self, ctx: &AuthContext, id: &str) -> ServiceResult<PayItemView> {
        let mut conn = self.store.read_conn().await?;
        let row = store::get_pay_item(&mut conn, ctx.org_id(), id, false)
            .await?
            .ok_or(ServiceError::not_found("pay item"))?;
        view(row, ctx)
    }

    /// Every pay item (an organization has a handful).
    pub async fn list_pay_items(&self, ctx: &AuthContext) -> ServiceResult<Vec<PayItemView>> {
        let mut conn = self.store.read_conn().await?;
        store::pay_items(&mut *conn, ctx.org_id())
            .await?
            .into_iter()
            .map(|r| view(r, ctx))
            .collect()
    }

    /// Adds the organization's country template, skipping names it has.
    pub async fn install_pay_item_template(
        &self,
        ctx: &AuthContext,
    ) -> ServiceResult<Vec<PayItemView>> {
        let base = ctx.currency()?;
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let mut made = Vec::new();
        for Template(name, kind, value, fixed, key) in template(&ctx.org.country) {
            if store::pay_item_name_taken(conn, ctx.org_id(), name, "").await? {
                continue;
            }
            let owed_on = system_account(conn, ctx, key).await?;
            let (account, expense) = accounts(conn, ctx, *kind, Some(&owed_on), None).await?;
            let value = if *fixed {
                base.parse_amount(value, "amount")?.to_string()
            } else {
                (*value).to_owned()
            };
            let at = now();
            let row = PayItemRow {
                id: new_id("pit"),
                organization_id: ctx.org_id().to_owned(),
                name: (*name).into(),
                kind: kind.as_str().into(),
                calculation: if *fixed {
                    Calculation::Fixed
                } else {
                    Calculation::Percent
                }
                .as_str()
                .into(),
                value,
                account_id: account.id,
                expense_account_id: expense.map(|e| e.id),
                active: 1,
                created_at: at.clone(),
                updated_at: at,
            };
            store::save_pay_item(conn, &row).await?;
            made.push(view(row, ctx)?);
        }
        self.finish_idempotent(conn, ctx, Outcome::Created, &made)
            .await?;
        wtx.commit().await?;
        Ok(made)
    }
}
