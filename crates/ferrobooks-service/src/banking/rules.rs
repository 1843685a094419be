//! Bank rules: what a bookkeeper does to the same kind of statement line
//! every month, done on import. Conditions on the line (text in its
//! description or payee, direction, amount range; the domain's
//! `bank_match::RuleConditions`), tried in priority order, the first that
//! holds applies: `categorize` posts the line to an account (as
//! `/categorize` would: with a tax or a contact, as a document paid on the
//! spot; a line the rule does not fit is left for review), `mark` only
//! records the rule on the line for the bookkeeper to review. Every line
//! keeps the rule that applied.

use ferrobooks_domain::Currency;
use ferrobooks_domain::bank_match::RuleConditions;
use ferrobooks_store::bank_rules::{self as store, RuleRow};
use ferrobooks_store::banking::{self as bstore, BankTxRow};
use ferrobooks_store::{Conn, new_id, now};
use serde::{Deserialize, Serialize};

use super::matching::{CategorizeInput, CategoryLine};
use crate::amount::{Amount, DecimalText};
use crate::page::{Page, paginate};
use crate::{AuthContext, Code, Outcome, ServiceError, ServiceResult, Services, opt_text};
use ferrobooks_store::contacts::Party;

/// A rule's actions.
pub const ACTIONS: [&str; 2] = ["categorize", "mark"];

/// A bank rule.
#[derive(Debug, Clone, Serialize)]
pub struct BankRuleView {
    pub id: String,
    pub name: String,
    /// Rules are tried lowest first; the first that holds applies.
    pub priority: i64,
    /// Only lines of this account; every bank account when none.
    pub bank_account_id: Option<String>,
    pub description_contains: Option<String>,
    pub payee_contains: Option<String>,
    /// in or out.
    pub direction: Option<String>,
    /// Bounds on the line's amount without its sign.
    pub amount_min: Option<Amount>,
    pub amount_max: Option<Amount>,
    /// categorize or mark.
    pub action: String,
    /// For `categorize`: the account the line posts to.
    pub account_id: Option<String>,
    pub memo: Option<String>,
    /// Categorize rules: the tax the line's amount includes.
    pub tax_id: Option<String>,
    /// Categorize rules: the vendor or customer the line is with.
    pub contact_id: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A new rule, or the whole of a changed one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankRuleInput {
    pub name: String,
    /// Default 100; 0 to 1,000,000.
    #[serde(default, deserialize_with = "crate::amount::opt_whole_number")]
    pub priority: Option<i64>,
    pub bank_account_id: Option<String>,
    pub description_contains: Option<String>,
    pub payee_contains: Option<String>,
    pub direction: Option<String>,
    pub amount_min: Option<DecimalText>,
    pub amount_max: Option<DecimalText>,
    pub action: String,
    pub account_id: Option<String>,
    pub memo: Option<String>,
    pub tax_id: Option<String>,
    pub contact_id: Option<String>,
    /// Default true.
    pub active: Option<bool>,
}

fn view(r: RuleRow, base: Currency) -> BankRuleView {
    BankRuleView {
        id: r.id,
        name: r.name,
        priority: r.priority,
        bank_account_id: r.bank_account_id,
        description_contains: r.description_contains,
        payee_contains: r.payee_contains,
        direction: r.direction,
        amount_min: r.amount_min.map(|a| Amount::new(a, base)),
        amount_max: r.amount_max.map(|a| Amount::new(a, base)),
        action: r.action,
        account_id: r.account_id,
        memo: r.memo,
        tax_id: r.tax_id,
        contact_id: r.contact_id,
        active: r.active == 1,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

fn conditions(r: &RuleRow) -> RuleConditions<'_> {
    RuleConditions {
        description_contains: r.description_contains.as_deref(),
        payee_contains: r.payee_contains.as_deref(),
        money_in: r.direction.as_deref().map(|d| d == "in"),
        amount_min: r.amount_min,
        amount_max: r.amount_max,
    }
}

/// Checks an input into `row` (its id and times kept).
async fn apply_input(
    conn: &mut Conn,
    ctx: &AuthContext,
    row: &mut RuleRow,
    input: BankRuleInput,
) -> ServiceResult<()> {
    let base = ctx.currency()?;
    row.name = opt_text("name", Some(input.name), 200)?
        .ok_or_else(|| ServiceError::invalid("name", "must not be empty"))?;
    row.priority = input.priority.unwrap_or(100);
    if !(0..=1_000_000).contains(&row.priority) {
        return Err(ServiceError::invalid(
            "priority",
            "must be a whole number from 0 to 1000000",
        ));
    }
    if let Some(a) = &input.bank_account_id {
        super::transactions::bank_account_currency(conn, ctx, a, "bank_account_id").await?;
    }
    row.bank_account_id = input.bank_account_id;
    row.description_contains = opt_text("description_contains", input.description_contains, 200)?;
    row.payee_contains = opt_text("payee_contains", input.payee_contains, 200)?;
    row.direction = match input.direction.as_deref() {
        None => None,
        Some(d @ ("in" | "out")) => Some(d.to_owned()),
        Some(d) => {
            return Err(ServiceError::invalid(
                "direction",
                format!("'{d}' is not one of in, out"),
            ));
        }
    };
    let bound = |d: &Option<DecimalText>, f: &str| -> ServiceResult<Option<i64>> {
        match d {
            None => Ok(None),
            Some(d) => {
                let v = d.minor(base, f)?;
                if v < 0 {
                    return Err(ServiceError::invalid(f, "must not be negative"));
                }
                Ok(Some(v))
            }
        }
    };
    row.amount_min = bound(&input.amount_min, "amount_min")?;
    row.amount_max = bound(&input.amount_max, "amount_max")?;
    if let (Some(lo), Some(hi)) = (row.amount_min, row.amount_max)
        && lo > hi
    {
        return Err(ServiceError::invalid(
            "amount_max",
            "must not be below amount_min",
        ));
    }
    if row.description_contains.is_none()
        && row.payee_contains.is_none()
        && row.direction.is_none()
        && row.amount_min.is_none()
        && row.amount_max.is_none()
    {
        return Err(ServiceError::invalid(
            "description_contains",
            "a rule needs at least one condition (text, direction or amount)",
        ));
    }
    match input.action.as_str() {
        "categorize" => {
            let id = input
                .account_id
                .as_deref()
                .ok_or_else(|| ServiceError::invalid("account_id", "is required to categorize"))?;
            let found =
                ferrobooks_store::accounts::accounts_by_ids(&mut *conn, ctx.org_id(), &[id])
                    .await?;
            if !found
                .first()
                .is_some_and(|a| a.active == 1 && a.currency == base.code())
            {
                return Err(ServiceError::invalid(
                    "account_id",
                    format!("{id} is not an active account in the base currency"),
                ));
            }
        }
        "mark"
            if input.account_id.is_some()
                || input.tax_id.is_some()
                || input.contact_id.is_some() =>
        {
            let field = if input.account_id.is_some() {
                "account_id"
            } else if input.tax_id.is_some() {
                "tax_id"
            } else {
                "contact_id"
            };
            return Err(ServiceError::invalid(
                field,
                "only a categorize rule posts to an account, with a tax and a contact",
            ));
        }
        "mark" => {}
        other => {
            return Err(ServiceError::invalid(
                "action",
                format!("'{other}' is not one of {}", ACTIONS.join(", ")),
            ));
        }
    }
    if let Some(t) = &input.tax_id
        && ferrobooks_store::taxes::get_tax(&mut *conn, ctx.org_id(), t)
            .await?
            .is_none()
    {
        return Err(ServiceError::invalid(
            "tax_id",
            format!("tax {t} does not exist"),
        ));
    }
    if let Some(c) = &input.contact_id {
        let mut known = false;
        for party in [Party::Customer, Party::Vendor] {
            known |= ferrobooks_store::contacts::lock_contact(conn, party, ctx.org_id(), c, false)
                .await?
                .is_some();
        }
        if !known {
            return Err(ServiceError::invalid(
                "contact_id",
                format!("{c} is not a customer or vendor"),
            ));
        }
    }
    row.action = input.action;
    row.account_id = input.account_id;
    row.tax_id = input.tax_id;
    row.contact_id = input.contact_id;
    row.memo = opt_text("memo", input.memo, 1000)?;
    row.active = i64::from(input.active.unwrap_or(true));
    Ok(())
}

/// Applies the account's rules to new lines in the caller's transaction:
/// each line gets the first rule that holds, and a `categorize` rule
/// posts it. Lines of an account kept in another currency are only
/// marked (categorizing them needs a rate).
impl Services {
    pub(crate) async fn apply_rules(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        account: &str,
        cur: Currency,
        rows: &mut [BankTxRow],
    ) -> ServiceResult<()> {
        let rules = store::rules_for(&mut *conn, ctx.org_id(), account).await?;
        if rules.is_empty() {
            return Ok(());
        }
        let foreign = cur != ctx.currency()?;
        // A line dated in closed books is only marked: nothing posts there.
        let lock_date = ferrobooks_store::periods::lock_date(&mut *conn, ctx.org_id()).await?;
        for row in rows.iter_mut() {
            let Some(rule) = rules
                .iter()
                .find(|r| conditions(r).hold(row.amount, &row.description, row.payee.as_deref()))
            else {
                continue;
            };
            row.rule_id = Some(rule.id.clone());
            if rule.action == "categorize"
                && !foreign
                && lock_date.as_ref().is_none_or(|l| row.date > *l)
                && let Some(account_id) = &rule.account_id
            {
                let input = CategorizeInput {
                    lines: vec![CategoryLine {
                        account_id: account_id.clone(),
                        amount: None,
                        description: None,
                        tax_id: rule.tax_id.clone(),
                    }],
                    contact_id: rule.contact_id.clone(),
                    memo: rule.memo.clone(),
                    exchange_rate: None,
                };
                match self.categorize_in(conn, ctx, row, cur, input).await {
                    Ok(()) => {}
                    // What the rule says does not fit this line (money in
                    // with a vendor, an account closed since): it waits
                    // for review, marked with the rule. Refusals come
                    // before anything is written.
                    Err(e) if e.code == Code::ValidationFailed => {}
                    Err(e) => return Err(e),
                }
            }
            row.updated_at = now();
            bstore::set_bank_transaction_rule(conn, ctx.org_id(), &row.id, &row.status, &rule.id)
                .await?;
        }
        Ok(())
    }
}

impl Services {
    pub async fn create_bank_rule(
        &self,
        ctx: &AuthContext,
        input: BankRuleInput,
    ) -> ServiceResult<BankRuleView> {
        let at = now();
        let mut row = RuleRow {
            id: new_id("brule"),
            organization_id: ctx.org_id().to_owned(),
            name: String::new(),
            priority: 100,
            bank_account_id: None,
            description_contains: None,
            payee_contains: None,
            direction: None,
            amount_min: None,
            amount_max: None,
            action: String::new(),
            account_id: None,
            memo: None,
            active: 1,
            created_at: at.clone(),
            updated_at: at,
            tax_id: None,
            contact_id: None,
        };
        let mut wtx = self.store.begin_write().await?;
        apply_input(&mut wtx.tx, ctx, &mut row, input).await?;
        store::save_rule(&mut wtx.tx, &row).await?;
        let v = view(row, ctx.currency()?);
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_bank_rule(&self, ctx: &AuthContext, id: &str) -> ServiceResult<BankRuleView> {
        let row = store::get_rule(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("bank rule"))?;
        Ok(view(row, ctx.currency()?))
    }

    pub async fn list_bank_rules(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<BankRuleView>> {
        let base = ctx.currency()?;
        let rows = store::list_rules(
            self.store.pool(),
            ctx.org_id(),
            after.unwrap_or(""),
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.id);
        Ok(Page {
            items: page.items.into_iter().map(|r| view(r, base)).collect(),
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Replaces a rule's conditions and action.
    pub async fn update_bank_rule(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: BankRuleInput,
    ) -> ServiceResult<BankRuleView> {
        let mut wtx = self.store.begin_write().await?;
        let mut row = store::get_rule(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("bank rule"))?;
        apply_input(&mut wtx.tx, ctx, &mut row, input).await?;
        row.updated_at = now();
        store::save_rule(&mut wtx.tx, &row).await?;
        let v = view(row, ctx.currency()?);
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn delete_bank_rule(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        store::soft_delete_rule(&mut wtx.tx, ctx.org_id(), id).await?;
        wtx.commit().await?;
        Ok(())
    }
}
