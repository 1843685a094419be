//! Reconciliation: the ledger lines of a bank account up to a statement's
//! date, cleared one by one (or all at once) until what is cleared equals
//! the statement's closing balance, then finished.
//!
//! Balances are on the account's normal side in its own currency (money
//! in a bank, what is owed on a card). A finished reconciliation's lines
//! are locked: voiding their entry is refused naming it, until the
//! reconciliation is undone (only the newest can be).

use ferrobooks_domain::Currency;
use ferrobooks_store::reconciliations::{self as store, ReconciliationRow, status};
use ferrobooks_store::{Conn, new_id, now};
use serde::{Deserialize, Serialize};

use super::transactions::bank_account_currency;
use crate::amount::{Amount, DecimalText};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, parse_date};

/// A reconciliation as answered.
#[derive(Debug, Clone, Serialize)]
pub struct ReconciliationView {
    pub id: String,
    pub bank_account_id: String,
    pub statement_date: String,
    /// The previous reconciliation's closing balance (0 for the first).
    pub opening_balance: Amount,
    pub closing_balance: Amount,
    /// Opening balance plus the lines cleared.
    pub cleared_balance: Amount,
    /// closing - cleared: finishing needs exactly zero.
    pub difference: Amount,
    pub cleared_count: i64,
    /// in_progress or finished.
    pub status: String,
    pub finished_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A ledger line of the account, as the reconciliation lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ReconciliationLine {
    /// `{entry_id}:{line_no}`: what `clear` and `unclear` name.
    pub line_id: String,
    pub entry_id: String,
    pub date: String,
    pub number: Option<String>,
    pub memo: Option<String>,
    pub description: Option<String>,
    /// In the account's currency: positive is a debit (money in a bank, a
    /// payment to a card).
    pub amount: Amount,
    pub cleared: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReconciliation {
    pub statement_date: String,
    /// On the account's normal side, in its currency.
    pub closing_balance: DecimalText,
}

/// Lines to clear or unclear, by `line_id`; `clear_all` clears every open
/// line up to the statement date first.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClearLines {
    #[serde(default)]
    pub clear_all: bool,
    #[serde(default)]
    pub clear: Vec<String>,
    #[serde(default)]
    pub unclear: Vec<String>,
}

/// Whether the account keeps a credit balance (a card): its balances are
/// read the other way round.
async fn is_card(conn: &mut Conn, ctx: &AuthContext, id: &str) -> ServiceResult<bool> {
    Ok(
        ferrobooks_store::accounts::accounts_by_ids(&mut *conn, ctx.org_id(), &[id])
            .await?
            .first()
            .is_some_and(|a| a.subtype == "credit_card"),
    )
}

fn parse_line_id(field: &str, s: &str) -> ServiceResult<(String, i64)> {
    s.rsplit_once(':')
        .and_then(|(e, n)| Some((e.to_owned(), n.parse().ok()?)))
        .ok_or_else(|| {
            ServiceError::invalid(field, format!("'{s}' is not a line id (entry_id:line_no)"))
        })
}

impl Services {
    async fn reconciliation_view(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        r: ReconciliationRow,
        cur: Currency,
        card: bool,
    ) -> ServiceResult<ReconciliationView> {
        let (cleared, count) = store::cleared_total(&mut *conn, ctx.org_id(), &r.id).await?;
        let cleared_balance = r.opening_balance + if card { -cleared } else { cleared };
        Ok(ReconciliationView {
            opening_balance: Amount::new(r.opening_balance, cur),
            closing_balance: Amount::new(r.closing_balance, cur),
            cleared_balance: Amount::new(cleared_balance, cur),
            difference: Amount::new(r.closing_balance - cleared_balance, cur),
            cleared_count: count,
            id: r.id,
            bank_account_id: r.account_id,
            statement_date: r.statement_date,
            status: r.status,
            finished_at: r.finished_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }

    /// The account's currency and card flag, and the reconciliation
    /// `rid` of it, held for the change.
    async fn reconciliation_for(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        account: &str,
        rid: &str,
    ) -> ServiceResult<(ReconciliationRow, Vec<ReconciliationRow>, Currency, bool)> {
        let cur = bank_account_currency(conn, ctx, account, "id")
            .await
            .map_err(|_| ServiceError::not_found("bank account"))?;
        let card = is_card(conn, ctx, account).await?;
        let all = store::reconciliations_of(conn, ctx.org_id(), account, true).await?;
        let r = all
            .iter()
            .find(|r| r.id == rid)
            .cloned()
            .ok_or(ServiceError::not_found("reconciliation"))?;
        Ok((r, all, cur, card))
    }

    pub async fn start_reconciliation(
        &self,
        ctx: &AuthContext,
        account: &str,
        input: NewReconciliation,
    ) -> ServiceResult<ReconciliationView> {
        let date = parse_date("statement_date", &input.statement_date)?.to_string();
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let cur = bank_account_currency(conn, ctx, account, "id")
            .await
            .map_err(|_| ServiceError::not_found("bank account"))?;
        let card = is_card(conn, ctx, account).await?;
        let closing = input.closing_balance.minor(cur, "closing_balance")?;
        let all = store::reconciliations_of(conn, ctx.org_id(), account, true).await?;
        if let Some(open) = all.iter().find(|r| r.status == status::IN_PROGRESS) {
            return Err(ServiceError::wrong_status(
                status::IN_PROGRESS,
                format!(
                    "reconciliation {} of this account is in progress; finish or undo it first",
                    open.id
                ),
            ));
        }
        let last = all.first();
        if let Some(l) = last
            && date <= l.statement_date
        {
            return Err(ServiceError::invalid(
                "statement_date",
                format!(
                    "must be after the last reconciled statement ({})",
                    l.statement_date
                ),
            ));
        }
        let at = now();
        let row = ReconciliationRow {
            id: new_id("rec"),
            organization_id: ctx.org_id().to_owned(),
            account_id: account.to_owned(),
            statement_date: date,
            closing_balance: closing,
            opening_balance: last.map_or(0, |l| l.closing_balance),
            status: status::IN_PROGRESS.into(),
            finished_at: None,
            created_at: at.clone(),
            updated_at: at,
        };
        store::save_reconciliation(conn, &row).await?;
        let v = self.reconciliation_view(conn, ctx, row, cur, card).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn list_reconciliations(
        &self,
        ctx: &AuthContext,
        account: &str,
    ) -> ServiceResult<Vec<ReconciliationView>> {
        let mut conn = self.store.read_conn().await?;
        let cur = bank_account_currency(&mut conn, ctx, account, "id")
            .await
            .map_err(|_| ServiceError::not_found("bank account"))?;
        let card = is_card(&mut conn, ctx, account).await?;
        let mut out = Vec::new();
        for r in store::reconciliations_of(&mut conn, ctx.org_id(), account, false).await? {
            out.push(
                self.reconciliation_view(&mut conn, ctx, r, cur, card)
                    .await?,
            );
        }
        Ok(out)
    }

    pub async fn get_reconciliation(
        &self,
        ctx: &AuthContext,
        account: &str,
        rid: &str,
    ) -> ServiceResult<ReconciliationView> {
        let mut conn = self.store.read_conn().await?;
        let cur = bank_account_currency(&mut conn, ctx, account, "id")
            .await
            .map_err(|_| ServiceError::not_found("bank account"))?;
        let card = is_card(&mut conn, ctx, account).await?;
        let r = store::reconciliations_of(&mut conn, ctx.org_id(), account, false)
            .await?
            .into_iter()
            .find(|r| r.id == rid)
            .ok_or(ServiceError::not_found("reconciliation"))?;
        self.reconciliation_view(&mut conn, ctx, r, cur, card).await
    }

    /// The account's lines up to the statement date that no other
    /// reconciliation cleared, each with whether this one did.
    pub async fn reconciliation_lines(
        &self,
        ctx: &AuthContext,
        account: &str,
        rid: &str,
    ) -> ServiceResult<Vec<ReconciliationLine>> {
        let mut conn = self.store.read_conn().await?;
        let cur = bank_account_currency(&mut conn, ctx, account, "id")
            .await
            .map_err(|_| ServiceError::not_found("bank account"))?;
        let r = store::reconciliations_of(&mut conn, ctx.org_id(), account, false)
            .await?
            .into_iter()
            .find(|r| r.id == rid)
            .ok_or(ServiceError::not_found("reconciliation"))?;
        let foreign = cur != ctx.currency()?;
        let lines = store::open_lines(
            &mut *conn,
            ctx.org_id(),
            account,
            &r.statement_date,
            &r.id,
            foreign,
        )
        .await?;
        Ok(lines
            .into_iter()
            .map(|l| ReconciliationLine {
                line_id: format!("{}:{}", l.entry_id, l.line_no),
                cleared: l.reconciliation_id.is_some(),
                entry_id: l.entry_id,
                date: l.date,
                number: l.number,
                memo: l.memo,
                description: l.description,
                amount: Amount::new(l.amount, cur),
            })
            .collect())
    }

    /// Clears and unclears lines of an in-progress reconciliation.
    pub async fn clear_reconciliation_lines(
        &self,
        ctx: &AuthContext,
        account: &str,
        rid: &str,
        input: ClearLines,
    ) -> ServiceResult<ReconciliationView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (r, _, cur, card) = self.reconciliation_for(conn, ctx, account, rid).await?;
        if r.status != status::IN_PROGRESS {
            return Err(ServiceError::wrong_status(
                r.status.clone(),
                format!("reconciliation {rid} is finished; undo it to change its lines"),
            ));
        }
        let foreign = cur != ctx.currency()?;
        let open = store::open_lines(
            &mut *conn,
            ctx.org_id(),
            account,
            &r.statement_date,
            &r.id,
            foreign,
        )
        .await?;
        let find = |field: &str, id: &str| -> ServiceResult<(String, i64, i64)> {
            let (entry, line_no) = parse_line_id(field, id)?;
            open.iter()
                .find(|l| l.entry_id == entry && l.line_no == line_no)
                .map(|l| (entry.clone(), line_no, l.amount))
                .ok_or_else(|| {
                    ServiceError::invalid(
                        field,
                        format!(
                            "{id} is not an open line of this account dated on or before {}",
                            r.statement_date
                        ),
                    )
                })
        };
        let mut clear: Vec<(String, i64, i64)> = Vec::new();
        if input.clear_all {
            clear.extend(
                open.iter()
                    .filter(|l| l.reconciliation_id.is_none())
                    .map(|l| (l.entry_id.clone(), l.line_no, l.amount)),
            );
        }
        for (i, id) in input.clear.iter().enumerate() {
            clear.push(find(&format!("clear[{i}]"), id)?);
        }
        let mut unclear = Vec::new();
        for (i, id) in input.unclear.iter().enumerate() {
            let (e, n, _) = find(&format!("unclear[{i}]"), id)?;
            unclear.push((e, n));
        }
        let rows: Vec<(&str, i64, i64)> =
            clear.iter().map(|(e, n, a)| (e.as_str(), *n, *a)).collect();
        store::clear_lines(conn, ctx.org_id(), &r.id, account, &rows).await?;
        let gone: Vec<(&str, i64)> = unclear.iter().map(|(e, n)| (e.as_str(), *n)).collect();
        store::unclear_lines(conn, ctx.org_id(), &r.id, &gone).await?;
        let mut r = r;
        r.updated_at = now();
        store::save_reconciliation(conn, &r).await?;
        let v = self.reconciliation_view(conn, ctx, r, cur, card).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Finishes a reconciliation whose difference is exactly zero.
    pub async fn finish_reconciliation(
        &self,
        ctx: &AuthContext,
        account: &str,
        rid: &str,
    ) -> ServiceResult<ReconciliationView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut r, _, cur, card) = self.reconciliation_for(conn, ctx, account, rid).await?;
        if r.status != status::IN_PROGRESS {
            return Err(ServiceError::wrong_status(
                r.status.clone(),
                format!("reconciliation {rid} is already finished"),
            ));
        }
        let (cleared, _) = store::cleared_total(&mut *conn, ctx.org_id(), &r.id).await?;
        let cleared_balance = r.opening_balance + if card { -cleared } else { cleared };
        if cleared_balance != r.closing_balance {
            return Err(ServiceError::wrong_status(
                status::IN_PROGRESS,
                format!(
                    "the cleared balance {} differs from the statement's closing balance {} by {}; \
                     clear or unclear lines until the difference is zero",
                    cur.format(cleared_balance),
                    cur.format(r.closing_balance),
                    cur.format(r.closing_balance - cleared_balance)
                ),
            ));
        }
        let at = now();
        r.status = status::FINISHED.into();
        r.finished_at = Some(at.clone());
        r.updated_at = at;
        store::save_reconciliation(conn, &r).await?;
        let v = self.reconciliation_view(conn, ctx, r, cur, card).await?;
        self.emit(conn, ctx, "reconciliation.finished", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Done, &v).await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Undoes the account's newest reconciliation (finished or in
    /// progress): its lines are open again.
    pub async fn undo_reconciliation(
        &self,
        ctx: &AuthContext,
        account: &str,
        rid: &str,
    ) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (r, all, _, _) = self.reconciliation_for(conn, ctx, account, rid).await?;
        if all.first().is_some_and(|newest| newest.id != r.id) {
            return Err(ServiceError::wrong_status(
                r.status.clone(),
                format!(
                    "only the newest reconciliation of the account ({}) can be undone",
                    all[0].id
                ),
            ));
        }
        store::delete_reconciliation(conn, ctx.org_id(), &r.id).await?;
        wtx.commit().await?;
        Ok(())
    }
}
