//! Categorizing a statement line: the entry that explains it (the bank
//! against one or several accounts, split as given) or, with a contact or
//! a tax, the document paid on the spot that does (a bank payment, a sales
//! receipt, a card charge or credit; amounts include their tax).
//! Uncategorize undoes it exactly: the entry is voided by its mirror, the
//! document is voided.

use ferrobooks_domain::document::settlement::to_base;
use ferrobooks_domain::{Currency, EntryLine};
use ferrobooks_store::Conn;
use ferrobooks_store::bank_matches::{self as store, MatchRow};
use ferrobooks_store::banking::{BankTxRow, status};
use serde::Deserialize;

use super::transactions::BankTransactionView;
use crate::amount::DecimalText;
use crate::documents::DocKind;
use crate::documents::model::{DocLineInput, DocumentInput, parse_rate};
use crate::documents::posting::{line, post_lines};
use crate::{AuthContext, ServiceError, ServiceResult, Services, opt_text};

/// One account of a categorization.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryLine {
    pub account_id: String,
    /// Positive, in the statement line's currency, tax included; may be
    /// left out on a single line (the whole amount).
    pub amount: Option<DecimalText>,
    pub description: Option<String>,
    /// A tax included in the amount: taken out of it and posted as the
    /// tax's input (money out) or output (money in) components.
    pub tax_id: Option<String>,
}

/// Explains a statement line by an entry of its own, or with a contact or
/// tax, by a document paid on the spot.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorizeInput {
    pub lines: Vec<CategoryLine>,
    /// The vendor (money out; money in on a card) or customer (money in
    /// on a bank account) the line is with.
    pub contact_id: Option<String>,
    pub memo: Option<String>,
    /// Base per unit of the account's currency: required for an account
    /// kept in another currency than the base.
    pub exchange_rate: Option<DecimalText>,
}

impl Services {
    pub async fn categorize_bank_transaction(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: CategorizeInput,
    ) -> ServiceResult<BankTransactionView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut row, cur) = self.statement_line(conn, ctx, id).await?;
        self.categorize_in(conn, ctx, &mut row, cur, input).await?;
        self.review_done(wtx, ctx, row, cur).await
    }

    /// Takes a categorization back: its entry is voided by its mirror and
    /// the line is unreviewed again.
    pub async fn uncategorize_bank_transaction(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<BankTransactionView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut row, cur) = self.statement_line(conn, ctx, id).await?;
        if row.status != status::CATEGORIZED {
            return Err(ServiceError::wrong_status(
                row.status.clone(),
                format!(
                    "a {} bank transaction has no categorization to take back",
                    row.status
                ),
            ));
        }
        let links = store::matches_of(&mut *conn, ctx.org_id(), id).await?;
        store::delete_matches(conn, ctx.org_id(), id).await?;
        for l in links.iter().filter(|l| l.kind == "categorize") {
            // A document made for the line is voided whole; an entry of
            // its own, by its mirror.
            let source =
                ferrobooks_store::journal::get_entry(&mut *conn, ctx.org_id(), &l.entry_id)
                    .await?
                    .and_then(|e| e.source);
            let document =
                source
                    .as_deref()
                    .and_then(|s| s.split_once(' '))
                    .and_then(|(doc_type, doc_id)| {
                        let kind = DocKind::of(doc_type);
                        (kind.doc_type() == doc_type).then(|| (kind, doc_id.to_owned()))
                    });
            match document {
                Some((kind, doc_id)) => {
                    let (doc, lines) = self
                        .void_document_in(conn, ctx, kind, &doc_id, Some(&row.date))
                        .await?;
                    self.record_document_in(conn, ctx, kind, &doc, &lines, &["voided"])
                        .await?;
                }
                None => {
                    crate::journal::reverse_entry(conn, ctx, &l.entry_id, Some(&row.date), false)
                        .await?;
                }
            }
        }
        row.status = status::UNREVIEWED.into();
        self.review_done(wtx, ctx, row, cur).await
    }
}

impl Services {
    /// Categorizes an unreviewed line in the caller's transaction: posts
    /// its entry (or, with a contact or a tax, makes the document paid on
    /// the spot that explains it), links it and sets the line categorized
    /// (the caller saves it).
    pub(crate) async fn categorize_in(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        row: &mut BankTxRow,
        cur: Currency,
        input: CategorizeInput,
    ) -> ServiceResult<()> {
        if input.lines.is_empty() {
            return Err(ServiceError::invalid("lines", "name at least one account"));
        }
        if row.status != status::UNREVIEWED {
            return Err(ServiceError::wrong_status(
                row.status.clone(),
                format!("a {} bank transaction cannot be categorized", row.status),
            ));
        }
        let (entry, line_no) =
            if input.contact_id.is_some() || input.lines.iter().any(|l| l.tax_id.is_some()) {
                self.categorize_by_document(conn, ctx, row, cur, input)
                    .await?
            } else {
                (categorize_by_entry(conn, ctx, row, cur, input).await?, 0)
            };
        store::insert_matches(
            conn,
            ctx.org_id(),
            &[MatchRow {
                bank_transaction_id: row.id.clone(),
                entry_id: entry,
                line_no,
                amount: row.amount,
                kind: "categorize".into(),
            }],
        )
        .await?;
        row.status = status::CATEGORIZED.into();
        Ok(())
    }

    /// The document that explains a line with a contact or a tax: money
    /// out of a bank or cash account is a bank payment, in a sales receipt
    /// (of the customer named); on a card, a charge or a credit. Amounts
    /// include their tax. Returns its entry and the bank's line in it.
    async fn categorize_by_document(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        row: &BankTxRow,
        cur: Currency,
        input: CategorizeInput,
    ) -> ServiceResult<(String, i64)> {
        let bank = ferrobooks_store::accounts::accounts_by_ids(
            &mut *conn,
            ctx.org_id(),
            &[&row.bank_account_id],
        )
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ServiceError::internal("a statement line without its account"))?;
        let card = bank.subtype == "credit_card";
        let kind = match (row.amount > 0, card) {
            (false, false) => DocKind::BankPayment,
            (true, false) => DocKind::SalesReceipt,
            (false, true) => DocKind::CardCharge,
            (true, true) => DocKind::CardCredit,
        };
        let party = kind.party();
        let known = match &input.contact_id {
            None => kind.contact_optional(),
            Some(c) => {
                ferrobooks_store::contacts::lock_contact(conn, party, ctx.org_id(), c, false)
                    .await?
                    .is_some()
            }
        };
        if !known {
            let said = match &input.contact_id {
                None => "money in with a tax is a sales receipt: name its customer".to_owned(),
                Some(c) => format!(
                    "{c} is not a {} (this line is a {})",
                    party.noun(),
                    kind.noun()
                ),
            };
            return Err(ServiceError::invalid("contact_id", said));
        }
        let whole = row.amount.abs();
        let single = input.lines.len() == 1;
        let mut lines = Vec::with_capacity(input.lines.len());
        let mut given = 0;
        for (i, l) in input.lines.iter().enumerate() {
            let field = |f: &str| format!("lines[{i}].{f}");
            let amount = line_amount(l, single, whole, cur, &field)?;
            given += amount;
            lines.push(DocLineInput {
                description: Some(
                    opt_text(&field("description"), l.description.clone(), 500)?
                        .unwrap_or_else(|| row.description.clone()),
                ),
                unit_price: Some(DecimalText(cur.format(amount))),
                account_id: Some(l.account_id.clone()),
                tax_id: Some(l.tax_id.clone().unwrap_or_default()),
                tax_inclusive: true,
                ..DocLineInput::default()
            });
        }
        // Checked before anything is written (a rule leaves a line it
        // does not fit for review and goes on).
        if given != whole {
            return Err(ServiceError::invalid(
                "lines",
                format!(
                    "add up to {}; the statement line is {}",
                    cur.format(given),
                    cur.format(whole)
                ),
            ));
        }
        let doc = self
            .new_document_in(
                conn,
                ctx,
                kind,
                DocumentInput {
                    contact_id: input.contact_id,
                    date: Some(row.date.clone()),
                    currency: Some(cur.code().to_owned()),
                    exchange_rate: input.exchange_rate,
                    reference: row.reference.clone(),
                    notes: opt_text("memo", input.memo, 1000)?,
                    deposit_account_id: Some(row.bank_account_id.clone()),
                    money_fields: vec![kind.money_field()],
                    lines: Some(lines),
                    ..DocumentInput::default()
                },
            )
            .await?;
        if doc.total.as_str() != cur.format(whole) {
            return Err(ServiceError::internal(format!(
                "a categorized line's document totals {}, not {}",
                doc.total.as_str(),
                cur.format(whole)
            )));
        }
        let entry = doc.journal_entry_id.ok_or_else(|| {
            ServiceError::internal("a document paid on the spot without its entry")
        })?;
        let line_no = ferrobooks_store::journal::lines_of(&mut *conn, ctx.org_id(), &[&entry])
            .await?
            .into_iter()
            .find(|l| l.account_id == row.bank_account_id)
            .map(|l| l.line_no)
            .ok_or_else(|| ServiceError::internal("a spot document's entry without its bank"))?;
        Ok((entry, line_no))
    }
}

/// A category line's amount: given, or on a single line the whole.
fn line_amount(
    l: &CategoryLine,
    single: bool,
    whole: i64,
    cur: Currency,
    field: &dyn Fn(&str) -> String,
) -> ServiceResult<i64> {
    let amount = match (&l.amount, single) {
        (Some(a), _) => a.minor(cur, &field("amount"))?,
        (None, true) => whole,
        (None, false) => {
            return Err(ServiceError::invalid(
                field("amount"),
                "is required when the line is split",
            ));
        }
    };
    if amount <= 0 {
        return Err(ServiceError::invalid(
            field("amount"),
            "must be greater than zero",
        ));
    }
    Ok(amount)
}

/// Posts the entry that explains a line with neither contact nor tax: the
/// bank against each account, split as given. Returns the entry; the
/// bank's line is its first.
async fn categorize_by_entry(
    conn: &mut Conn,
    ctx: &AuthContext,
    row: &BankTxRow,
    cur: Currency,
    input: CategorizeInput,
) -> ServiceResult<String> {
    let base = ctx.currency()?;
    let id = row.id.clone();
    let rate = match (cur == base, &input.exchange_rate) {
        (true, None) => rust_decimal::Decimal::ONE,
        (true, Some(_)) => {
            return Err(ServiceError::invalid(
                "exchange_rate",
                format!("the account is kept in the base currency {}", base.code()),
            ));
        }
        (false, Some(r)) => parse_rate(r)?,
        (false, None) => {
            return Err(ServiceError::invalid(
                "exchange_rate",
                format!("is required: the account is kept in {}", cur.code()),
            ));
        }
    };
    let whole = row.amount.abs();
    let single = input.lines.len() == 1;
    let ids: Vec<&str> = input.lines.iter().map(|l| l.account_id.as_str()).collect();
    let accounts =
        ferrobooks_store::accounts::accounts_by_ids(&mut *conn, ctx.org_id(), &ids).await?;
    // Money in: Dr the bank / Cr each account; money out the reverse.
    let money_in = row.amount > 0;
    let mut lines: Vec<EntryLine> = Vec::with_capacity(input.lines.len() + 1);
    let (mut own_total, mut base_total) = (0i64, 0i64);
    for (i, l) in input.lines.iter().enumerate() {
        let field = |f: &str| format!("lines[{i}].{f}");
        let usable = accounts
            .iter()
            .find(|a| a.id == l.account_id)
            .filter(|a| a.active == 1 && a.id != row.bank_account_id && a.currency == base.code());
        if usable.is_none() {
            return Err(ServiceError::invalid(
                field("account_id"),
                format!(
                    "{} is not an active account in the base currency other than the bank's own",
                    l.account_id
                ),
            ));
        }
        let amount = line_amount(l, single, whole, cur, &field)?;
        let base_amount = to_base(amount, cur, rate, base)?;
        own_total += amount;
        base_total += base_amount;
        lines.push(line(
            &l.account_id,
            base_amount,
            !money_in,
            None,
            opt_text(&field("description"), l.description.clone(), 500)?
                .as_deref()
                .or(Some(row.description.as_str())),
        ));
    }
    if own_total != whole {
        return Err(ServiceError::invalid(
            "lines",
            format!(
                "add up to {}; the statement line is {}",
                cur.format(own_total),
                cur.format(whole)
            ),
        ));
    }
    let mut bank = line(
        &row.bank_account_id,
        base_total,
        money_in,
        None,
        Some(row.description.as_str()),
    );
    if cur != base {
        bank = bank.in_currency(cur.code(), whole);
    }
    lines.insert(0, bank);
    let memo =
        opt_text("memo", input.memo, 1000)?.unwrap_or_else(|| format!("Bank: {}", row.description));
    let entry = post_lines(
        conn,
        ctx,
        &format!("bank_transaction {id}"),
        &row.date,
        memo,
        row.reference.clone(),
        lines,
    )
    .await?
    .ok_or_else(|| ServiceError::invalid("lines", "nothing to post"))?;
    Ok(entry)
}
