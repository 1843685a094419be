//! Bank transactions: the lines of a bank statement, imported or entered by
//! hand, each waiting to be matched to what the books hold, categorized
//! into a new document, or excluded.
//!
//! A line posts nothing by itself. Only an unreviewed line can be changed
//! or deleted; an excluded one can be restored.

use ferrobooks_domain::Currency;
use ferrobooks_store::banking::{self as store, BankTxRow, TxFilter, status};
use ferrobooks_store::{Conn, new_id, now};
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, DecimalText};
use crate::page::{Page, paginate};
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, opt_text, parse_date};

/// The statuses of a statement line.
pub const STATUSES: [&str; 4] = status::ALL;

/// A statement line.
#[derive(Debug, Clone, Serialize)]
pub struct BankTransactionView {
    pub id: String,
    pub bank_account_id: String,
    pub date: String,
    /// In the account's currency: positive is money in, negative money out.
    pub amount: Amount,
    pub currency: String,
    pub description: String,
    pub payee: Option<String>,
    pub reference: Option<String>,
    /// The bank's own id of the line, when its statement gives one.
    pub bank_transaction_id: Option<String>,
    /// unreviewed, matched, categorized or excluded.
    pub status: String,
    /// manual or import.
    pub source: String,
    /// The statement import that brought the line.
    pub import_id: Option<String>,
    /// The bank rule that applied to the line when it was imported.
    pub rule_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A line entered by hand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBankTransaction {
    pub bank_account_id: String,
    pub date: String,
    pub amount: DecimalText,
    pub description: Option<String>,
    pub payee: Option<String>,
    pub reference: Option<String>,
}

/// Changes to an unreviewed line; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankTransactionUpdate {
    pub date: Option<String>,
    pub amount: Option<DecimalText>,
    pub description: Option<String>,
    pub payee: Option<String>,
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct BankTransactionQuery {
    pub after: Option<String>,
    pub limit: i64,
    pub bank_account_id: Option<String>,
    pub status: Option<String>,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub search: Option<String>,
}

pub(crate) fn view(r: BankTxRow, cur: Currency) -> BankTransactionView {
    BankTransactionView {
        id: r.id,
        bank_account_id: r.bank_account_id,
        date: r.date,
        amount: Amount::new(r.amount, cur),
        currency: cur.code().to_owned(),
        description: r.description,
        payee: r.payee,
        reference: r.reference,
        bank_transaction_id: r.bank_transaction_id,
        status: r.status,
        source: r.source,
        import_id: r.import_id,
        rule_id: r.rule_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// The currency of a bank account of the organization, or a clear error
/// naming `field` when `id` is not one.
pub(crate) async fn bank_account_currency(
    conn: &mut Conn,
    ctx: &AuthContext,
    id: &str,
    field: &str,
) -> ServiceResult<Currency> {
    let found =
        ferrobooks_store::accounts::accounts_by_ids(&mut *conn, ctx.org_id(), &[id]).await?;
    match found.first() {
        Some(a) if store::BANK_SUBTYPES.contains(&a.subtype.as_str()) => {
            Currency::parse(&a.currency)
                .map_err(|_| ServiceError::internal("stored currency is corrupt"))
        }
        _ => Err(ServiceError::invalid(
            field,
            format!("{id} is not a bank, cash or credit-card account"),
        )),
    }
}

/// A statement amount: not zero (a statement line moves money).
pub(crate) fn statement_amount(d: &DecimalText, cur: Currency, field: &str) -> ServiceResult<i64> {
    let amount = d.minor(cur, field)?;
    if amount == 0 {
        return Err(ServiceError::invalid(field, "must not be zero"));
    }
    Ok(amount)
}

/// The key that makes a line imported twice the same line: the bank's own
/// id when it gives one, else the date, amount, description and the
/// line's occurrence among identical ones on its statement (so two real
/// identical lines on one statement are both kept).
pub(crate) fn dedupe_key(
    bank_id: Option<&str>,
    date: &str,
    amount: i64,
    description: &str,
    occurrence: usize,
) -> String {
    match bank_id {
        Some(id) => format!("id:{id}"),
        None => {
            let text = format!(
                "{date}\u{1f}{amount}\u{1f}{}\u{1f}{occurrence}",
                description.trim()
            );
            format!("h:{}", &blake3::hash(text.as_bytes()).to_hex()[..32])
        }
    }
}

impl Services {
    pub async fn create_bank_transaction(
        &self,
        ctx: &AuthContext,
        input: NewBankTransaction,
    ) -> ServiceResult<BankTransactionView> {
        let date = parse_date("date", &input.date)?.to_string();
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let cur =
            bank_account_currency(conn, ctx, &input.bank_account_id, "bank_account_id").await?;
        let amount = statement_amount(&input.amount, cur, "amount")?;
        let at = now();
        let id = new_id("btx");
        let row = BankTxRow {
            organization_id: ctx.org_id().to_owned(),
            bank_account_id: input.bank_account_id,
            date,
            amount,
            description: opt_text("description", input.description, 1000)?.unwrap_or_default(),
            payee: opt_text("payee", input.payee, 200)?,
            reference: opt_text("reference", input.reference, 200)?,
            bank_transaction_id: None,
            // A line entered by hand is never a duplicate of another.
            dedupe_key: format!("manual:{id}"),
            id,
            status: status::UNREVIEWED.into(),
            source: "manual".into(),
            import_id: None,
            created_at: at.clone(),
            updated_at: at,
            rule_id: None,
        };
        store::insert_bank_transactions(conn, std::slice::from_ref(&row)).await?;
        let v = view(row, cur);
        self.emit(conn, ctx, "bank_transaction.created", &v).await?;
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    pub async fn get_bank_transaction(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<BankTransactionView> {
        let mut conn = self.store.read_conn().await?;
        let row = store::get_bank_transaction(&mut *conn, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("bank transaction"))?;
        let cur = bank_account_currency(&mut conn, ctx, &row.bank_account_id, "id").await?;
        Ok(view(row, cur))
    }

    pub async fn list_bank_transactions(
        &self,
        ctx: &AuthContext,
        q: &BankTransactionQuery,
    ) -> ServiceResult<Page<BankTransactionView>> {
        if let Some(s) = &q.status
            && !status::ALL.contains(&s.as_str())
        {
            return Err(ServiceError::invalid(
                "status",
                format!("must be one of {}", status::ALL.join(", ")),
            ));
        }
        let day = |field: &str, d: &Option<String>| {
            d.as_deref()
                .map(|d| parse_date(field, d).map(|d| d.to_string()))
                .transpose()
        };
        let (from, to) = (day("date_from", &q.date_from)?, day("date_to", &q.date_to)?);
        let mut conn = self.store.read_conn().await?;
        let rows = store::list_bank_transactions(
            &mut *conn,
            ctx.org_id(),
            &TxFilter {
                after: q.after.as_deref().unwrap_or(""),
                bank_account_id: q.bank_account_id.as_deref(),
                status: q.status.as_deref(),
                date_from: from.as_deref(),
                date_to: to.as_deref(),
                search: q.search.as_deref(),
                limit: q.limit + 1,
            },
        )
        .await?;
        let page = paginate(rows, q.limit, |r| &r.id);
        // The accounts' currencies, read once per page.
        let mut ids: Vec<&str> = page
            .items
            .iter()
            .map(|r| r.bank_account_id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let accounts =
            ferrobooks_store::accounts::accounts_by_ids(&mut *conn, ctx.org_id(), &ids).await?;
        let currency_of = |id: &str| -> ServiceResult<Currency> {
            let a = accounts
                .iter()
                .find(|a| a.id == id)
                .ok_or_else(|| ServiceError::internal("a statement line's account is gone"))?;
            Currency::parse(&a.currency)
                .map_err(|_| ServiceError::internal("stored currency is corrupt"))
        };
        let mut items = Vec::with_capacity(page.items.len());
        for r in page.items {
            let cur = currency_of(&r.bank_account_id)?;
            items.push(view(r, cur));
        }
        Ok(Page {
            items,
            has_more: page.has_more,
            next_after: page.next_after,
        })
    }

    /// Loads a line for a change, refusing one whose status does not allow
    /// it.
    async fn line_for_change(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        id: &str,
        allowed: &[&str],
        what: &str,
    ) -> ServiceResult<(BankTxRow, Currency)> {
        let row = store::get_bank_transaction(&mut *conn, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("bank transaction"))?;
        if !allowed.contains(&row.status.as_str()) {
            return Err(ServiceError::wrong_status(
                row.status.clone(),
                format!("a {} bank transaction cannot be {what}", row.status),
            ));
        }
        let cur = bank_account_currency(conn, ctx, &row.bank_account_id, "id").await?;
        Ok((row, cur))
    }

    pub async fn update_bank_transaction(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: BankTransactionUpdate,
    ) -> ServiceResult<BankTransactionView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut row, cur) = self
            .line_for_change(conn, ctx, id, &[status::UNREVIEWED], "changed")
            .await?;
        if let Some(d) = &input.date {
            row.date = parse_date("date", d)?.to_string();
        }
        if let Some(a) = &input.amount {
            row.amount = statement_amount(a, cur, "amount")?;
        }
        if let Some(d) = input.description {
            row.description = opt_text("description", Some(d), 1000)?.unwrap_or_default();
        }
        if input.payee.is_some() {
            row.payee = opt_text("payee", input.payee, 200)?;
        }
        if input.reference.is_some() {
            row.reference = opt_text("reference", input.reference, 200)?;
        }
        self.save_line(wtx, ctx, row, cur, "bank_transaction.updated")
            .await
    }

    /// Sets a line aside: it is not on the books (a duplicate the bank
    /// sent, a transfer already recorded elsewhere).
    pub async fn exclude_bank_transaction(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<BankTransactionView> {
        self.move_line(ctx, id, status::UNREVIEWED, status::EXCLUDED, "excluded")
            .await
    }

    /// Takes an excluded line back to unreviewed.
    pub async fn restore_bank_transaction(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<BankTransactionView> {
        self.move_line(ctx, id, status::EXCLUDED, status::UNREVIEWED, "restored")
            .await
    }

    async fn move_line(
        &self,
        ctx: &AuthContext,
        id: &str,
        from: &str,
        to: &str,
        what: &str,
    ) -> ServiceResult<BankTransactionView> {
        let mut wtx = self.store.begin_write().await?;
        let (mut row, cur) = self
            .line_for_change(&mut wtx.tx, ctx, id, &[from], what)
            .await?;
        row.status = to.into();
        self.save_line(wtx, ctx, row, cur, "bank_transaction.updated")
            .await
    }

    async fn save_line(
        &self,
        mut wtx: ferrobooks_store::WriteTx,
        ctx: &AuthContext,
        mut row: BankTxRow,
        cur: Currency,
        event: &'static str,
    ) -> ServiceResult<BankTransactionView> {
        row.updated_at = now();
        store::update_bank_transaction(&mut wtx.tx, &row).await?;
        let v = view(row, cur);
        self.emit(&mut wtx.tx, ctx, event, &v).await?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }

    /// Deletes an unreviewed or excluded line (soft: it answers 404, and
    /// importing its statement again does not bring it back).
    pub async fn delete_bank_transaction(&self, ctx: &AuthContext, id: &str) -> ServiceResult<()> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (row, cur) = self
            .line_for_change(
                conn,
                ctx,
                id,
                &[status::UNREVIEWED, status::EXCLUDED],
                "deleted",
            )
            .await?;
        store::soft_delete_bank_transaction(conn, ctx.org_id(), id).await?;
        self.emit(conn, ctx, "bank_transaction.deleted", &view(row, cur))
            .await?;
        wtx.commit().await?;
        Ok(())
    }
}
