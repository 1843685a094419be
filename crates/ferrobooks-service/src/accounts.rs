//! The chart of accounts: create, list, read, change, archive, delete.

use crate::Code;
use ferrobooks_domain::account::parse_name;
use ferrobooks_domain::{AccountCode, AccountType, Currency};
use ferrobooks_store::accounts::{self as store, AccountFilter, AccountRow, AccountWithBalance};
use ferrobooks_store::outbox::{self, OutboxRow};
use ferrobooks_store::{new_id, now};
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::page::{Page, paginate};
use crate::{AuthContext, ServiceError, ServiceResult, Services, opt_text};

/// An account, as a use case answers it (each surface shapes it). `balance` is on the account's
/// normal side: positive for a debit balance on asset and expense accounts,
/// and for a credit balance on liability, equity and income accounts.
#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub id: String,
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub account_type: String,
    pub subtype: String,
    pub currency: String,
    pub description: Option<String>,
    /// Set on accounts of the default chart that documents post to
    /// (`accounts_receivable`, `output_cgst`, ...); such accounts cannot be
    /// deleted.
    pub system_key: Option<String>,
    /// The parent account (same type): the statements show it with a
    /// subtotal of the accounts under it.
    pub parent_id: Option<String>,
    pub active: bool,
    /// In the account's own currency.
    pub balance: Amount,
    /// The same balance in the organization's base currency (what the
    /// trial balance shows); equal to `balance` on a base-currency account.
    pub base_balance: Amount,
    pub created_at: String,
    pub updated_at: String,
}

pub(crate) fn view(a: AccountWithBalance, base: Currency) -> ServiceResult<AccountView> {
    let t = AccountType::parse(&a.account.account_type)
        .map_err(|_| ServiceError::internal("stored account type is corrupt"))?;
    let cur = Currency::parse(&a.account.currency)
        .map_err(|_| ServiceError::internal("stored currency is corrupt"))?;
    let base_balance = t.natural_balance(a.debit - a.credit);
    let own = if cur == base {
        base_balance
    } else {
        t.natural_balance(a.foreign_debit - a.foreign_credit)
    };
    let a_ = a.account;
    Ok(AccountView {
        balance: Amount::new(own, cur),
        base_balance: Amount::new(base_balance, base),
        id: a_.id,
        code: a_.code,
        name: a_.name,
        account_type: a_.account_type,
        subtype: a_.subtype,
        currency: a_.currency,
        description: a_.description,
        system_key: a_.system_key,
        parent_id: a_.parent_id,
        active: a_.active == 1,
        created_at: a_.created_at,
        updated_at: a_.updated_at,
    })
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub account_type: String,
    pub subtype: Option<String>,
    pub currency: Option<String>,
    pub description: Option<String>,
    pub parent_id: Option<String>,
}

/// Changes to an account; absent fields stay. `type` may change only while
/// nothing has been written to the account.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountUpdate {
    pub code: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub account_type: Option<String>,
    pub subtype: Option<String>,
    pub description: Option<String>,
    pub active: Option<bool>,
    /// Some(None) (JSON null) takes the account from under its parent.
    #[serde(default, deserialize_with = "present")]
    pub parent_id: Option<Option<String>>,
}

/// A field that may be given as null: present (Some), then its value.
pub fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// How deep accounts may nest (a parent's parent's... parent).
const MAX_DEPTH: usize = 5;

/// Checks that `parent` can hold account `id` (None for a new one) of type
/// `t`: a live account of the same type, not `id` nor under it, and not
/// nesting deeper than [`MAX_DEPTH`].
async fn check_parent(
    conn: &mut ferrobooks_store::Conn,
    ctx: &AuthContext,
    id: Option<&str>,
    t: AccountType,
    parent: &str,
) -> ServiceResult<()> {
    let bad = |why: String| ServiceError::invalid("parent_id", why);
    let mut at = parent.to_owned();
    for depth in 0.. {
        if Some(at.as_str()) == id {
            return Err(bad(
                "an account cannot sit under itself or an account under it".into(),
            ));
        }
        if depth >= MAX_DEPTH {
            return Err(bad(format!("accounts nest at most {MAX_DEPTH} deep")));
        }
        let a = store::get_account(&mut *conn, ctx.org_id(), &at)
            .await?
            .ok_or_else(|| bad(format!("no account {at}")))?
            .account;
        if depth == 0 && a.account_type != t.as_str() {
            return Err(bad(format!(
                "account {} is {}; a parent has the same type ({})",
                a.code,
                a.account_type,
                t.as_str()
            )));
        }
        match a.parent_id {
            Some(p) => at = p,
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Query filters of the account list.
#[derive(Debug, Clone, Default)]
pub struct AccountQuery {
    pub after: Option<String>,
    pub limit: i64,
    pub account_type: Option<String>,
    pub subtype: Option<String>,
    pub active: Option<bool>,
    pub search: Option<String>,
}

pub(crate) fn conflict_on_code(e: ferrobooks_store::StoreError, code: &str) -> ServiceError {
    if e.is_unique_violation() {
        ServiceError::new(
            Code::DuplicateCode,
            format!("code: an account with code {code} already exists"),
        )
        .with_field("code", format!("{code} is already in use"))
    } else {
        e.into()
    }
}

impl Services {
    pub async fn create_account(
        &self,
        ctx: &AuthContext,
        input: NewAccount,
    ) -> ServiceResult<AccountView> {
        let mut wtx = self.store.begin_write().await?;
        let v = self.create_account_in(&mut wtx.tx, ctx, input).await?;
        self.finish_idempotent(&mut wtx.tx, ctx, crate::Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Makes an account in the caller's transaction (an import's batch).
    pub(crate) async fn create_account_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        input: NewAccount,
    ) -> ServiceResult<AccountView> {
        let t = AccountType::parse(&input.account_type)?;
        let subtype = t.subtype(input.subtype.as_deref())?;
        let code = AccountCode::parse(input.code.trim())?;
        let name = parse_name("name", &input.name)?;
        let currency = match input.currency {
            Some(c) => Currency::parse(&c)?,
            None => ctx.currency()?,
        };
        let at = now();
        let row = AccountRow {
            id: new_id("acc"),
            organization_id: ctx.org_id().to_owned(),
            code: code.as_str().to_owned(),
            name,
            account_type: t.as_str().into(),
            subtype: subtype.into(),
            currency: currency.code().into(),
            description: opt_text("description", input.description, 1000)?,
            system_key: None,
            parent_id: input.parent_id.clone(),
            active: 1,
            created_at: at.clone(),
            updated_at: at,
        };
        let v = view(
            AccountWithBalance {
                account: row.clone(),
                debit: 0,
                credit: 0,
                foreign_debit: 0,
                foreign_credit: 0,
            },
            ctx.currency()?,
        )?;
        if let Some(p) = &row.parent_id {
            check_parent(conn, ctx, None, t, p).await?;
        }
        store::insert_accounts(&mut *conn, std::slice::from_ref(&row))
            .await
            .map_err(|e| conflict_on_code(e, &row.code))?;
        self.emit(conn, ctx, "account.created", &v).await?;
        Ok(v)
    }

    pub async fn list_accounts(
        &self,
        ctx: &AuthContext,
        q: &AccountQuery,
    ) -> ServiceResult<Page<AccountView>> {
        if let Some(t) = &q.account_type {
            AccountType::parse(t)?;
        }
        let rows = store::list_accounts(
            self.store.pool(),
            ctx.org_id(),
            &AccountFilter {
                after: q.after.as_deref(),
                account_type: q.account_type.as_deref(),
                subtype: q.subtype.as_deref(),
                active: q.active,
                search: q.search.as_deref(),
                limit: q.limit + 1,
            },
        )
        .await?;
        let page = paginate(rows, q.limit, |r| &r.account.id);
        let base = ctx.currency()?;
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|a| view(a, base))
                .collect::<Result<_, _>>()?,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    pub async fn get_account(&self, ctx: &AuthContext, id: &str) -> ServiceResult<AccountView> {
        store::get_account(self.store.pool(), ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("account"))
            .and_then(|a| view(a, ctx.currency()?))
    }

    pub async fn update_account(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: AccountUpdate,
    ) -> ServiceResult<AccountView> {
        let mut wtx = self.store.begin_write().await?;
        let current = store::get_account(&mut *wtx.tx, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("account"))?;
        let mut row = current.account.clone();
        if let Some(p) = &input.parent_id {
            row.parent_id = p.clone();
        }
        let mut t = AccountType::parse(&row.account_type)
            .map_err(|_| ServiceError::internal("stored account type is corrupt"))?;
        if let Some(new_t) = &input.account_type {
            let new_t = AccountType::parse(new_t)?;
            if new_t != t {
                if row.system_key.is_some() {
                    return Err(ServiceError::new(
                        Code::SystemAccount,
                        format!(
                            "account {} is a system account; its type cannot change",
                            row.code
                        ),
                    ));
                }
                if store::account_has_lines(&mut *wtx.tx, ctx.org_id(), id).await? {
                    return Err(ServiceError::new(
                        Code::HasTransactions,
                        format!(
                            "account {} has journal lines; its type cannot change",
                            row.code
                        ),
                    ));
                }
                if row.parent_id.is_some()
                    || store::has_children(&mut *wtx.tx, ctx.org_id(), id).await?
                {
                    return Err(ServiceError::invalid(
                        "type",
                        format!(
                            "account {} has a parent or accounts under it, all of one type; \
                             move it out first",
                            row.code
                        ),
                    ));
                }
                t = new_t;
                row.account_type = t.as_str().into();
                if input.subtype.is_none() {
                    row.subtype = t.subtype(None)?.into();
                }
            }
        }
        if let Some(s) = &input.subtype {
            row.subtype = t.subtype(Some(s))?.into();
        }
        if let Some(c) = &input.code {
            row.code = AccountCode::parse(c.trim())?.as_str().to_owned();
        }
        if let Some(n) = &input.name {
            row.name = parse_name("name", n)?;
        }
        if input.description.is_some() {
            row.description = opt_text("description", input.description, 1000)?;
        }
        if let Some(a) = input.active {
            row.active = i64::from(a);
        }
        if input.parent_id.is_some()
            && let Some(p) = &row.parent_id
        {
            check_parent(&mut wtx.tx, ctx, Some(id), t, p).await?;
        }
        row.updated_at = now();
        store::update_account(&mut *wtx.tx, &row)
            .await
            .map_err(|e| conflict_on_code(e, &row.code))?;
        let v = view(
            AccountWithBalance {
                account: row,
                debit: current.debit,
                credit: current.credit,
                foreign_debit: current.foreign_debit,
                foreign_credit: current.foreign_credit,
            },
            ctx.currency()?,
        )?;
        self.emit(&mut wtx.tx, ctx, "account.updated", &v).await?;
        self.finish_idempotent(&mut wtx.tx, ctx, crate::Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Archives (or restores) an account: archived accounts keep their
    /// history but take no new postings.
    pub async fn set_account_active(
        &self,
        ctx: &AuthContext,
        id: &str,
        active: bool,
    ) -> ServiceResult<AccountView> {
        self.update_account(
            ctx,
            id,
            AccountUpdate {
                active: Some(active),
                ..AccountUpdate::default()
            },
        )
        .await
    }

    /// Deletes an account that nothing was ever written to; one with journal
    /// lines, or a system account, is archived instead (409 here).
    pub async fn delete_account(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        self.delete_account_in(&mut wtx.tx, ctx, id).await?;
        wtx.commit().await?;
        Ok(())
    }

    /// [`Services::delete_account`] in the caller's transaction (an
    /// import's revert).
    pub(crate) async fn delete_account_in(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<()> {
        let current = store::get_account(&mut *conn, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("account"))?;
        if current.account.system_key.is_some() {
            return Err(ServiceError::new(
                Code::SystemAccount,
                format!(
                    "account {} is a system account that documents post to; archive it instead",
                    current.account.code
                ),
            ));
        }
        if store::account_has_lines(&mut *conn, ctx.org_id(), id).await? {
            return Err(ServiceError::new(
                Code::HasTransactions,
                format!(
                    "account {} has journal lines and cannot be deleted; archive it instead",
                    current.account.code
                ),
            ));
        }
        if store::has_children(&mut *conn, ctx.org_id(), id).await? {
            return Err(ServiceError::new(
                Code::InvalidState,
                format!(
                    "accounts sit under account {}; move them first",
                    current.account.code
                ),
            ));
        }
        store::delete_account(&mut *conn, ctx.org_id(), id, &now()).await?;
        let v = view(current, ctx.currency()?)?;
        self.emit(conn, ctx, "account.deleted", &v).await?;
        Ok(())
    }

    /// Writes one event for the caller's organization to the outbox.
    pub(crate) async fn emit<T: Serialize>(
        &self,
        conn: &mut ferrobooks_store::Conn,
        ctx: &AuthContext,
        event_type: &'static str,
        data: &T,
    ) -> ServiceResult<()> {
        emit(conn, ctx, event_type, data).await
    }
}

/// Writes one event for the caller's organization to the outbox, in the
/// caller's transaction (for use cases below `Services`).
pub(crate) async fn emit<T: Serialize>(
    conn: &mut ferrobooks_store::Conn,
    ctx: &AuthContext,
    event_type: &'static str,
    data: &T,
) -> ServiceResult<()> {
    let payload = serde_json::to_string(data).map_err(ServiceError::internal)?;
    outbox::insert(
        conn,
        &[OutboxRow {
            organization_id: ctx.org_id(),
            event_type,
            payload,
        }],
    )
    .await?;
    Ok(())
}
