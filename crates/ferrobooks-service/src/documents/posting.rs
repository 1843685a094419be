//! What sales documents post (../shared/DOMAIN.md section 1), and the
//! stock they move.
//!
//! The rule is the document engine's
//! ([`ferrobooks_domain::document::posting`]); this module resolves the
//! accounts it names (receivable, round-off, the receipt's bank) and
//! converts each line to the base currency, then posts the entry.

use crate::Code;

use ferrobooks_domain::document::posting::{Control, LinePosting, TaxPosting, Treatment, post};
use ferrobooks_domain::document::settlement::to_base;
use ferrobooks_domain::{BalancedEntry, Currency, EntryLine, Minor};

pub(crate) use ferrobooks_domain::document::posting::line;
use ferrobooks_store::documents::{DocLineRow, DocRow};
use ferrobooks_store::journal::{self as jstore, EntryRow, NewEntry, status};
use ferrobooks_store::{Conn, new_id, now};

use super::model::{DocKind, LineTax, dec, doc_currency};
use crate::{AuthContext, ServiceError, ServiceResult};

/// The account with a system key, or a clear error if the chart lacks it.
pub(crate) async fn system_account(
    conn: &mut Conn,
    ctx: &AuthContext,
    key: &str,
) -> ServiceResult<String> {
    ferrobooks_store::taxes::account_by_key(&mut *conn, ctx.org_id(), key)
        .await?
        .ok_or_else(|| {
            ServiceError::new(
                Code::ChartIncomplete,
                format!("the chart of accounts has no account with system key {key}"),
            )
        })
}

/// A bank, cash, card or undeposited-funds account that money moves
/// through, with the currency it is kept in.
#[derive(Debug, Clone)]
pub(crate) struct MoneyAccount {
    pub id: String,
    currency: Currency,
}

impl MoneyAccount {
    /// Checks that money in `money` can move through the account: it is
    /// kept in the base currency (the money is converted) or in `money`
    /// itself (the line also carries the amount in it).
    pub(crate) fn new(
        row: &ferrobooks_store::accounts::AccountRow,
        ctx: &AuthContext,
        money: Currency,
        field: &str,
    ) -> ServiceResult<MoneyAccount> {
        let currency = Currency::parse(&row.currency)
            .map_err(|_| ServiceError::internal("stored currency is corrupt"))?;
        let base = ctx.currency()?;
        if currency != base && currency != money {
            return Err(ServiceError::invalid(
                field,
                format!(
                    "{} is kept in {}; it takes money in {} or the base currency {}, not {}",
                    row.id,
                    currency.code(),
                    currency.code(),
                    base.code(),
                    money.code()
                ),
            ));
        }
        Ok(MoneyAccount {
            id: row.id.clone(),
            currency,
        })
    }

    /// The account's line for money worth `base_amount` in the base
    /// currency and `amount` in the money's own: an account kept in that
    /// currency also keeps the amount in it.
    pub(crate) fn line(
        &self,
        ctx: &AuthContext,
        base_amount: Minor,
        amount: Minor,
        debit: bool,
        description: Option<&str>,
    ) -> ServiceResult<EntryLine> {
        let l = line(&self.id, base_amount, debit, None, description);
        Ok(if self.currency == ctx.currency()? {
            l
        } else {
            l.in_currency(self.currency.code(), amount.abs())
        })
    }
}

/// The money account `id` names, checked to be `pick`'s kind and to take
/// money in `money`.
async fn money_account(
    conn: &mut Conn,
    ctx: &AuthContext,
    id: &str,
    money: Currency,
    field: &str,
    pick: impl Fn(&ferrobooks_store::accounts::AccountRow) -> bool,
    what: &str,
) -> ServiceResult<MoneyAccount> {
    let found =
        ferrobooks_store::accounts::accounts_by_ids(&mut *conn, ctx.org_id(), &[id]).await?;
    match found.first() {
        Some(a) if a.active == 1 && pick(a) => MoneyAccount::new(a, ctx, money, field),
        _ => Err(ServiceError::invalid(
            field,
            format!("{id} is not an active {what} account"),
        )),
    }
}

/// The active account `id` names (absent: the chart's account with system
/// key `default`, or an error naming `field` as required), checked to be
/// `pick`'s kind.
pub(crate) async fn chosen_account(
    conn: &mut Conn,
    ctx: &AuthContext,
    id: Option<&str>,
    default: Option<&str>,
    field: &str,
    pick: impl Fn(&ferrobooks_store::accounts::AccountRow) -> bool,
    what: &str,
) -> ServiceResult<ferrobooks_store::accounts::AccountRow> {
    let id = match (id, default) {
        (Some(i), _) => i.to_owned(),
        (None, Some(key)) => system_account(conn, ctx, key).await?,
        (None, None) => {
            return Err(ServiceError::invalid(
                field,
                format!("is required: name an active {what} account"),
            ));
        }
    };
    let found =
        ferrobooks_store::accounts::accounts_by_ids(&mut *conn, ctx.org_id(), &[&id]).await?;
    match found.into_iter().next() {
        Some(a) if a.active == 1 && pick(&a) => Ok(a),
        _ => Err(ServiceError::invalid(
            field,
            format!("{id} is not an active {what} account"),
        )),
    }
}

/// Checks that `id` is an active asset account money in `money` can be
/// deposited in.
pub(crate) async fn deposit_account(
    conn: &mut Conn,
    ctx: &AuthContext,
    id: Option<&str>,
    money: Currency,
    field: &str,
) -> ServiceResult<MoneyAccount> {
    let id = match id {
        Some(i) => i.to_owned(),
        None => match ferrobooks_store::taxes::account_by_key(
            &mut *conn,
            ctx.org_id(),
            "undeposited_funds",
        )
        .await?
        {
            Some(a) => a,
            None => system_account(conn, ctx, "bank_current").await?,
        },
    };
    money_account(
        conn,
        ctx,
        &id,
        money,
        field,
        |a| a.account_type == "asset" && a.subtype != "receivable",
        "bank, cash or undeposited-funds",
    )
    .await
}

/// The account a document paid on the spot goes through, checked for its
/// kind: a check, a bank account (default: the current account); a bank
/// payment, a bank or cash account (the same default); a card
/// charge or credit, a credit-card account (default: the chart's credit
/// card); a receipt, any account money is deposited in.
pub(crate) async fn spot_account(
    conn: &mut Conn,
    ctx: &AuthContext,
    kind: DocKind,
    id: Option<&str>,
    money: Currency,
) -> ServiceResult<MoneyAccount> {
    let field = kind.money_field();
    let (key, subtypes, what): (_, &[&str], _) = match kind {
        DocKind::Check => ("bank_current", &["bank"], "bank"),
        DocKind::BankPayment => ("bank_current", &["bank", "cash"], "bank or cash"),
        DocKind::CardCharge | DocKind::CardCredit => {
            ("credit_card", &["credit_card"], "credit-card")
        }
        _ => return deposit_account(conn, ctx, id, money, field).await,
    };
    let id = match id {
        Some(i) => i.to_owned(),
        None => system_account(conn, ctx, key).await?,
    };
    money_account(
        conn,
        ctx,
        &id,
        money,
        field,
        |a| subtypes.contains(&a.subtype.as_str()),
        what,
    )
    .await
}

/// The account a payment to a vendor (or a refund from one) in `money`
/// goes through: an active bank, cash or credit-card account. Default: the
/// current account.
pub(crate) async fn paid_from_account(
    conn: &mut Conn,
    ctx: &AuthContext,
    id: Option<&str>,
    money: Currency,
    field: &str,
) -> ServiceResult<MoneyAccount> {
    let id = match id {
        Some(i) => i.to_owned(),
        None => system_account(conn, ctx, "bank_current").await?,
    };
    money_account(
        conn,
        ctx,
        &id,
        money,
        field,
        |a| matches!(a.subtype.as_str(), "bank" | "cash" | "credit_card"),
        "bank, cash or credit-card",
    )
    .await
}

/// Posts a balanced entry built from `lines` (base currency) and returns
/// its id; zero lines are dropped, and nothing is posted when nothing is
/// left.
pub(crate) async fn post_lines(
    conn: &mut Conn,
    ctx: &AuthContext,
    source: &str,
    date: &str,
    memo: String,
    reference: Option<String>,
    lines: Vec<EntryLine>,
) -> ServiceResult<Option<String>> {
    let base = ctx.currency()?;
    let lines: Vec<EntryLine> = lines
        .into_iter()
        .filter(|l| l.debit != 0 || l.credit != 0)
        .collect();
    if lines.is_empty() {
        return Ok(None);
    }
    let entry = BalancedEntry::new(lines, base.exponent())?;
    let at = now();
    let row = EntryRow {
        id: new_id("je"),
        organization_id: ctx.org_id().to_owned(),
        number: None,
        date: date.to_owned(),
        memo: Some(memo),
        reference,
        status: status::POSTED.into(),
        currency: base.code().into(),
        total: entry.total(),
        reversal_of: None,
        reversed_by: None,
        created_at: at.clone(),
        updated_at: at.clone(),
        posted_at: Some(at),
        voided_at: None,
        source: Some(source.to_owned()),
    };
    let id = row.id.clone();
    let batch = vec![NewEntry {
        row,
        lines: entry.into_lines(),
        events: vec![],
        idempotent: None,
    }];
    for check in jstore::check_accounts(conn, &batch).await? {
        check?;
    }
    // In a group commit the entry is written with the batch's others.
    ferrobooks_store::units::post(conn, batch).await?;
    Ok(Some(id))
}

/// Posts an approved document: sets its `journal_entry_id` and
/// `base_total`.
pub(crate) async fn post_document(
    conn: &mut Conn,
    ctx: &AuthContext,
    kind: DocKind,
    doc: &mut DocRow,
    lines: &[DocLineRow],
    cost_of_sales: Vec<EntryLine>,
) -> ServiceResult<()> {
    let base = ctx.currency()?;
    let cur = doc_currency(doc)?;
    let rate = dec(&doc.exchange_rate);
    // Each line and tax converted to the base currency and rounded on its
    // own; the engine sums them per account.
    let mut postings = Vec::with_capacity(lines.len());
    for l in lines {
        let ts: Vec<LineTax> = serde_json::from_str(&l.taxes).map_err(|_| {
            ServiceError::internal(format!("document {} line taxes corrupt", doc.id))
        })?;
        let mut taxes = Vec::with_capacity(ts.len());
        for t in ts {
            let payable = || {
                t.payable_account_id
                    .clone()
                    .ok_or_else(|| ServiceError::internal("reverse charge without a payable"))
            };
            let treatment = match t.treatment.as_deref() {
                None => Treatment::Output,
                Some("claimed") => Treatment::Claimed,
                Some("cost") => Treatment::Cost,
                Some("reverse_charge") => Treatment::ReverseCharge {
                    payable: payable()?,
                },
                Some("reverse_charge_cost") => Treatment::ReverseChargeCost {
                    payable: payable()?,
                },
                Some(other) => {
                    return Err(ServiceError::internal(format!(
                        "document {} has a tax treated as {other}",
                        doc.id
                    )));
                }
            };
            taxes.push(TaxPosting {
                account_id: t.account_id,
                amount: to_base(t.amount, cur, rate, base)?,
                treatment,
            });
        }
        postings.push(LinePosting {
            account_id: l.account_id.clone(),
            net: to_base(l.net, cur, rate, base)?,
            taxes,
        });
    }
    let rounding = if doc.rounding != 0 {
        Some((
            system_account(conn, ctx, "round_off").await?,
            to_base(doc.rounding, cur, rate, base)?,
        ))
    } else {
        None
    };
    let mut deposit = None;
    let (account_id, contact_id) = if kind == DocKind::Expense {
        // Approved and not yet paid (or to reimburse): accrued, with no
        // vendor in the payables.
        (system_account(conn, ctx, "accruals").await?, None)
    } else if kind.is_receipt() {
        let id = doc
            .deposit_account_id
            .clone()
            .ok_or_else(|| ServiceError::internal("receipt without an account"))?;
        // Checked again here: the receipt's currency may have changed since
        // the account was chosen.
        deposit = Some(spot_account(conn, ctx, kind, Some(&id), cur).await?);
        (id, None)
    } else {
        (
            system_account(conn, ctx, kind.side().control_account()).await?,
            Some(doc.contact_id.clone()),
        )
    };
    let label = doc.number.clone().unwrap_or_else(|| doc.id.clone());
    let control = Control {
        account_id,
        contact_id,
        label: label.clone(),
    };
    let posting = post(
        kind.kind(),
        &control,
        &postings,
        rounding.as_ref().map(|(a, m)| (a.as_str(), *m)),
    );
    doc.base_total = posting.control_total;
    let mut entry = posting.lines;
    if let Some(bank) = deposit.filter(|d| d.currency != base && posting.control_total != 0) {
        // The receipt's money line (the engine's control line, first) is
        // on an account kept in the receipt's currency.
        let first = entry
            .first_mut()
            .filter(|l| l.account_id == bank.id)
            .ok_or_else(|| ServiceError::internal("a receipt's entry starts with its bank"))?;
        *first = first.clone().in_currency(bank.currency.code(), doc.total);
    }
    entry.extend(cost_of_sales);
    let memo = format!("{} {label}", capitalized(kind.noun()));
    doc.journal_entry_id = post_lines(
        conn,
        ctx,
        &format!("{} {}", kind.doc_type(), doc.id),
        &doc.date,
        memo,
        doc.number.clone(),
        entry,
    )
    .await?;
    Ok(())
}

/// `s` with its first letter in capitals ("Invoice" of "invoice").
pub(crate) fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
