//! Bank accounts: ledger accounts of subtype bank, cash or credit card,
//! with the institution, the last digits of the number and the opening
//! balance a bank statement starts from.
//!
//! Every bank-type account of the chart is a bank account (the chart's
//! current account included); opening one here also makes its ledger
//! account, and posts its opening balance against Opening Balance Equity.

use ferrobooks_domain::document::settlement::to_base;
use ferrobooks_domain::{AccountCode, AccountType, Currency};
use ferrobooks_store::accounts::{self as astore, AccountRow, AccountWithBalance};
use ferrobooks_store::banking::{self as store, BankAccountRow, BankDetailsRow};
use ferrobooks_store::{Conn, new_id, now};
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText};
use crate::documents::model::currency_and_rate;
use crate::documents::posting::{line, post_lines, system_account};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

/// A bank, cash or credit-card account.
#[derive(Debug, Clone, Serialize)]
pub struct BankAccountView {
    /// The ledger account's id: journal lines, payments and statement
    /// lines name it.
    pub id: String,
    pub code: String,
    pub name: String,
    /// bank, cash or credit_card.
    #[serde(rename = "type")]
    pub kind: String,
    pub currency: String,
    pub institution: Option<String>,
    /// The last four characters of the account number, masked (`****6789`);
    /// the full number is never kept.
    pub account_number: Option<String>,
    pub opening_balance: Amount,
    pub opening_date: Option<String>,
    /// In the account's currency; for a credit card, what is owed.
    pub balance: Amount,
    /// The same in the organization's base currency.
    pub base_balance: Amount,
    /// Statement lines not yet matched, categorized or excluded.
    pub unreviewed_count: i64,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// Opens a bank account: its ledger account and its details.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBankAccount {
    pub name: String,
    /// The ledger account's code; the next free one from 1201 (2151 for a
    /// card) when absent.
    pub code: Option<String>,
    /// bank (default), cash or credit_card.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Default: the organization's base currency.
    pub currency: Option<String>,
    pub institution: Option<String>,
    pub account_number: Option<String>,
    /// In the account's currency: money in the account (owed on a card).
    pub opening_balance: Option<DecimalText>,
    /// Required with an opening balance.
    pub opening_date: Option<String>,
    /// Required with an opening balance in another currency than the base.
    pub opening_exchange_rate: Option<DecimalText>,
}

/// Changes to a bank account; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankAccountUpdate {
    pub name: Option<String>,
    pub institution: Option<String>,
    pub account_number: Option<String>,
}

/// The ledger type and subtype of a bank account kind.
fn ledger_kind(kind: &str) -> ServiceResult<(AccountType, &'static str)> {
    match kind {
        "bank" => Ok((AccountType::Asset, "bank")),
        "cash" => Ok((AccountType::Asset, "cash")),
        "credit_card" => Ok((AccountType::Liability, "credit_card")),
        other => Err(ServiceError::invalid(
            "type",
            format!("'{other}' is not one of bank, cash, credit_card"),
        )),
    }
}

/// `****` and the last four characters of an account number.
fn masked(number: &str) -> ServiceResult<String> {
    let kept: Vec<char> = number
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if kept.len() < 4 || !kept.iter().all(char::is_ascii_alphanumeric) {
        return Err(ServiceError::invalid(
            "account_number",
            "must be at least four letters or digits (spaces and dashes allowed)",
        ));
    }
    Ok(kept[kept.len() - 4..].iter().collect())
}

pub(crate) fn view(r: BankAccountRow, base: Currency) -> ServiceResult<BankAccountView> {
    let cur = Currency::parse(&r.currency)
        .map_err(|_| ServiceError::internal("stored currency is corrupt"))?;
    // A card is a liability: what is owed is its balance.
    let t = if r.subtype == "credit_card" {
        AccountType::Liability
    } else {
        AccountType::Asset
    };
    let base_balance = t.natural_balance(r.debit - r.credit);
    let own = if cur == base {
        base_balance
    } else {
        t.natural_balance(r.foreign_debit - r.foreign_credit)
    };
    Ok(BankAccountView {
        id: r.id,
        code: r.code,
        name: r.name,
        kind: r.subtype,
        currency: r.currency,
        institution: r.institution,
        account_number: r.account_number_last4.map(|l| format!("****{l}")),
        opening_balance: Amount::new(r.opening_balance.unwrap_or(0), cur),
        opening_date: r.opening_date,
        balance: Amount::new(own, cur),
        base_balance: Amount::new(base_balance, base),
        unreviewed_count: r.unreviewed,
        active: r.active == 1,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// The next code from `start` no live account of the organization uses.
async fn next_free_code(conn: &mut Conn, ctx: &AuthContext, start: u32) -> ServiceResult<String> {
    let taken = astore::account_codes(&mut *conn, ctx.org_id()).await?;
    (start..start + 1000)
        .map(|n| n.to_string())
        .find(|c| !taken.contains(c))
        .ok_or_else(|| ServiceError::invalid("code", "no free code is left; give one"))
}

impl Services {
    pub async fn create_bank_account(
        &self,
        ctx: &AuthContext,
        input: NewBankAccount,
    ) -> ServiceResult<BankAccountView> {
        let base = ctx.currency()?;
        let kind = input.kind.as_deref().unwrap_or("bank");
        let (account_type, subtype) = ledger_kind(kind)?;
        let name = ferrobooks_domain::account::parse_name("name", &input.name)?;
        let currency = match &input.currency {
            Some(c) => Currency::parse(c)?,
            None => base,
        };
        let number = input.account_number.as_deref().map(masked).transpose()?;
        let opening = match &input.opening_balance {
            Some(d) => d.minor(currency, "opening_balance")?,
            None => 0,
        };
        let opening_date = match (&input.opening_date, opening) {
            (Some(d), _) => Some(parse_date("opening_date", d)?.to_string()),
            (None, 0) => None,
            (None, _) => {
                return Err(ServiceError::invalid(
                    "opening_date",
                    "is required with an opening balance",
                ));
            }
        };
        // A rate is needed only to value an opening balance in base.
        let rate = if opening == 0 && input.opening_exchange_rate.is_none() {
            rust_decimal::Decimal::ONE
        } else {
            currency_and_rate(
                ctx,
                currency.code(),
                input.opening_exchange_rate.as_ref(),
                None,
                "opening balance",
            )
            .map_err(|e| e.renamed("exchange_rate", "opening_exchange_rate"))?
            .1
        };
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let code = match &input.code {
            Some(c) => AccountCode::parse(c.trim())?.as_str().to_owned(),
            None => {
                next_free_code(conn, ctx, if kind == "credit_card" { 2151 } else { 1201 }).await?
            }
        };
        let at = now();
        let account = AccountRow {
            id: new_id("acc"),
            organization_id: ctx.org_id().to_owned(),
            code: code.clone(),
            name,
            account_type: account_type.as_str().into(),
            subtype: subtype.into(),
            currency: currency.code().into(),
            description: None,
            system_key: None,
            parent_id: None,
            active: 1,
            created_at: at.clone(),
            updated_at: at.clone(),
        };
        astore::insert_accounts(conn, std::slice::from_ref(&account))
            .await
            .map_err(|e| crate::accounts::conflict_on_code(e, &code))?;
        let account_view = crate::accounts::view(
            AccountWithBalance {
                account: account.clone(),
                debit: 0,
                credit: 0,
                foreign_debit: 0,
                foreign_credit: 0,
            },
            base,
        )?;
        self.emit(conn, ctx, "account.created", &account_view)
            .await?;
        let opening_entry_id = match (opening, &opening_date) {
            (0, _) | (_, None) => None,
            (amount, Some(date)) => {
                let base_amount = to_base(amount.abs(), currency, rate, base)?;
                let equity = system_account(conn, ctx, "opening_balance_equity").await?;
                // Money in the account is a debit of a bank, a debt on a
                // card a credit; a negative opening balance the reverse.
                let debit = (amount > 0) == (account_type == AccountType::Asset);
                let mut own = line(
                    &account.id,
                    base_amount,
                    debit,
                    None,
                    Some("Opening balance"),
                );
                if currency != base {
                    own = own.in_currency(currency.code(), amount.abs());
                }
                post_lines(
                    conn,
                    ctx,
                    &format!("bank_account {}", account.id),
                    date,
                    format!("Opening balance of {}", account.name),
                    None,
                    vec![
                        own,
                        line(&equity, base_amount, !debit, None, Some("Opening balance")),
                    ],
                )
                .await?
            }
        };
        store::save_bank_details(
            conn,
            &BankDetailsRow {
                account_id: account.id.clone(),
                organization_id: ctx.org_id().to_owned(),
                institution: opt_text("institution", input.institution, 200)?,
                account_number_last4: number,
                opening_balance: opening,
                opening_date,
                opening_entry_id,
                created_at: at.clone(),
                updated_at: at,
            },
        )
        .await?;
        let v = self.bank_account_in(conn, ctx, &account.id).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    async fn bank_account_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<BankAccountView> {
        let row = store::list_bank_accounts(&mut *conn, ctx.org_id(), "", Some(id), 1)
            .await?
            .pop()
            .ok_or(ServiceError::not_found("bank account"))?;
        view(row, ctx.currency()?)
    }

    pub async fn get_bank_account(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<BankAccountView> {
        let row = store::list_bank_accounts(self.store.pool(), ctx.org_id(), "", Some(id), 1)
            .await?
            .pop()
            .ok_or(ServiceError::not_found("bank account"))?;
        view(row, ctx.currency()?)
    }

    pub async fn list_bank_accounts(
        &self,
        ctx: &AuthContext,
        after: Option<&str>,
        limit: i64,
    ) -> ServiceResult<Page<BankAccountView>> {
        let base = ctx.currency()?;
        let rows = store::list_bank_accounts(
            self.store.pool(),
            ctx.org_id(),
            after.unwrap_or(""),
            None,
            limit + 1,
        )
        .await?;
        let page = paginate(rows, limit, |r| &r.id);
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|r| view(r, base))
                .collect::<Result<_, _>>()?,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Renames the account or changes its bank details.
    pub async fn update_bank_account(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: BankAccountUpdate,
    ) -> ServiceResult<BankAccountView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        self.bank_account_in(conn, ctx, id).await?;
        let at = now();
        if let Some(name) = &input.name {
            let mut acc = astore::get_account(&mut *conn, ctx.org_id(), id)
                .await?
                .ok_or(ServiceError::not_found("bank account"))?
                .account;
            acc.name = ferrobooks_domain::account::parse_name("name", name)?;
            acc.updated_at = at.clone();
            astore::update_account(&mut *conn, &acc).await?;
        }
        let mut details = store::get_bank_details(&mut *conn, ctx.org_id(), id)
            .await?
            .unwrap_or(BankDetailsRow {
                account_id: id.to_owned(),
                organization_id: ctx.org_id().to_owned(),
                institution: None,
                account_number_last4: None,
                opening_balance: 0,
                opening_date: None,
                opening_entry_id: None,
                created_at: at.clone(),
                updated_at: at.clone(),
            });
        if let Some(i) = input.institution {
            details.institution = opt_text("institution", Some(i), 200)?;
        }
        if let Some(n) = &input.account_number {
            details.account_number_last4 = Some(masked(n)?);
        }
        details.updated_at = at;
        store::save_bank_details(conn, &details).await?;
        let v = self.bank_account_in(conn, ctx, id).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }
}
