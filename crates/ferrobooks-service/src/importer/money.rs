//! Money moved, from a spreadsheet: payments received and made (applied
//! to invoices or bills by their numbers), transfers between accounts,
//! deposits of other money into a bank account, and Xero's bank
//! transactions. Each goes through its own use case in the import's
//! batch, as the API's would.

use ferrobooks_domain::Currency;
use ferrobooks_domain::document::Side;
use ferrobooks_store::imports::{self as store, SettingsRow};
use rust_decimal::Decimal;

use super::build::{
    DepositDraft, DocDraft, JournalDraft, JournalLineDraft, PaymentDraft, TransferDraft,
};
use super::run::{Item, ItemError, Made, NameKind, SharedNames, line_error, named, result};
use crate::amount::DecimalText;
use crate::banking::transfers::NewTransfer;
use crate::documents::DocKind;
use crate::documents::payments::PaymentInput;
use crate::documents::posting::capitalized;
use crate::documents::settle::ApplicationInput;
use crate::{AuthContext, Code, Services};

fn bad(row: i64, text: String) -> ItemError {
    ItemError {
        row: Some(row),
        text,
        code: Code::ValidationFailed,
    }
}

/// Records one payment: its contact and account resolved, each row's
/// invoice or bill found by number and settled by the row's amount (by
/// default what is open of it, up to what the payment has left); what is
/// not applied stays as the contact's credit. A reference the contact
/// already has a payment under is an ERROR (the payment was imported).
#[expect(clippy::too_many_arguments, reason = "the batch's shared state")]
pub(super) async fn make_payment(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    side: Side,
    d: &PaymentDraft,
    item: &Item,
    shared: &SharedNames,
    settings: &SettingsRow,
    dry: bool,
    added: &mut Vec<(NameKind, String, String)>,
) -> Result<Made, ItemError> {
    let of = DocKind::settled_on(side);
    let noun = match side {
        Side::Sale => "Payment",
        Side::Purchase => "Bill payment",
    };
    let mut warnings = Vec::new();
    let contact_id = super::document::resolve(
        s,
        ctx,
        conn,
        NameKind::of(of.party()),
        &d.party,
        item.row,
        shared,
        settings.create_missing_contacts == 1,
        d.currency.as_deref(),
        added,
        &mut warnings,
    )
    .await?;
    if let Some(r) = &d.reference {
        let found =
            store::payments_referenced(conn, ctx.org_id(), side.as_str(), std::slice::from_ref(r))
                .await?;
        if let Some((_, _, id)) = found.iter().find(|(_, c, _)| *c == contact_id) {
            return Err(ItemError {
                row: Some(item.row),
                text: format!("{noun} {r} of {} already exists ({id})", d.party.trim()),
                code: Code::NumberTaken,
            });
        }
    }
    let account_id = named(shared, NameKind::Account, d.account.as_deref(), item.row)?;
    let numbers: Vec<String> = d.applications.iter().map(|a| a.document.clone()).collect();
    let docs = store::documents_numbered(conn, ctx.org_id(), of.doc_type(), &numbers).await?;
    // Explicit amounts first; what is left of the total settles the rest.
    let explicit: Decimal = d.applications.iter().filter_map(|a| a.amount).sum();
    let mut left = d.total.map(|t| t - explicit);
    let mut applications = Vec::with_capacity(d.applications.len());
    // The row of each application made, for its errors.
    let mut rows = Vec::with_capacity(d.applications.len());
    let mut total = Decimal::ZERO;
    for a in &d.applications {
        let Some((_, doc_id, _)) = docs.iter().find(|(n, _, _)| *n == a.document) else {
            return Err(bad(
                a.row,
                format!("{} #{} not found", capitalized(of.noun()), a.document),
            ));
        };
        let amount = match a.amount {
            Some(x) => x,
            None => {
                let doc = ferrobooks_store::documents::get_doc(
                    &mut *conn,
                    ctx.org_id(),
                    of.doc_type(),
                    doc_id,
                )
                .await?
                .ok_or_else(|| bad(a.row, format!("{} #{} not found", of.noun(), a.document)))?;
                let cur = Currency::parse(&doc.currency)
                    .map_err(|_| bad(a.row, format!("currency {}", doc.currency)))?;
                let open: Decimal = cur.format(doc.balance()).parse().unwrap_or_default();
                let x = left.map_or(open, |l| open.min(l.max(Decimal::ZERO)));
                if let Some(l) = &mut left {
                    *l -= x;
                }
                x
            }
        };
        total += amount;
        if amount > Decimal::ZERO {
            rows.push(a.row);
            applications.push(ApplicationInput {
                document_id: doc_id.clone(),
                amount: DecimalText(amount.to_string()),
            });
        }
    }
    let amount = match d.total {
        Some(t) => t,
        None if total > Decimal::ZERO => total,
        None => {
            return Err(bad(
                item.row,
                "the payment has no TotalAmt and applies nothing: map TotalAmt or Line.LinkedTxn.DocNumber".into(),
            ));
        }
    };
    let input = PaymentInput {
        contact_id,
        date: d.date.map(|x| x.to_string()),
        amount: DecimalText(amount.to_string()),
        currency: d.currency.clone(),
        exchange_rate: d.exchange_rate.clone().map(DecimalText),
        account_id,
        method: d.method.clone(),
        reference: d.reference.clone(),
        applications,
    };
    let v = s
        .create_payment_in(conn, ctx, side, input)
        .await
        .map_err(|e| line_error(e, &rows, item.row))?;
    let number = v.number.clone().unwrap_or_default();
    let verb = if dry {
        "would be recorded"
    } else {
        "recorded successfully"
    };
    let mut r = result("INFO", item.row, format!("{noun} #{number} {verb}"));
    r.object_kind = Some(of_payment(side).into());
    r.object_id = Some(v.id.clone());
    r.object_info = Some(format!(
        "{noun} #{number} {} {}, {} {} ({} applied)",
        if side == Side::Sale { "from" } else { "to" },
        d.party.trim(),
        v.amount.as_str(),
        v.currency,
        v.applied.as_str()
    ));
    let warned = !warnings.is_empty();
    let mut results = vec![r];
    results.extend(warnings);
    Ok(Made {
        results,
        warnings: warned,
    })
}

/// The object kind a payment of `side` is recorded as (and reverted by).
pub(super) fn of_payment(side: Side) -> &'static str {
    match side {
        Side::Sale => "payment",
        Side::Purchase => "bill_payment",
    }
}

/// Records one transfer between two bank, cash or card accounts.
pub(super) async fn make_transfer(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    d: &TransferDraft,
    item: &Item,
    shared: &SharedNames,
    dry: bool,
) -> Result<Made, ItemError> {
    let from = named(shared, NameKind::Account, Some(&d.from), item.row)?.unwrap_or_default();
    let to = named(shared, NameKind::Account, Some(&d.to), item.row)?.unwrap_or_default();
    let v = s
        .create_transfer_in(
            conn,
            ctx,
            NewTransfer {
                date: d.date.map(|x| x.to_string()),
                from_account_id: from,
                to_account_id: to,
                amount: DecimalText(d.amount.clone()),
                to_amount: d.to_amount.clone().map(DecimalText),
                exchange_rate: d.exchange_rate.clone().map(DecimalText),
                memo: d.memo.clone(),
                reference: None,
            },
        )
        .await
        .map_err(|e| line_error(e, &[], item.row))?;
    let what = format!("Transfer of {} {}", v.amount.as_str(), v.currency);
    let verb = if dry {
        "would be posted"
    } else {
        "posted successfully"
    };
    let mut r = result(
        "INFO",
        item.row,
        format!("{what} from {} to {} {verb}", d.from.trim(), d.to.trim()),
    );
    r.object_kind = Some("transfer".into());
    r.object_id = Some(v.id.clone());
    r.object_info = Some(format!("{what} on {}", v.date));
    Ok(Made {
        results: vec![r],
        warnings: false,
    })
}

/// Posts one deposit of other money: Dr the bank account the sum of the
/// lines, Cr each line's account (with its customer or vendor), as one
/// journal entry whose reference is the deposit's number.
pub(super) async fn make_deposit(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    d: &DepositDraft,
    item: &Item,
    shared: &SharedNames,
    dry: bool,
) -> Result<Made, ItemError> {
    let number = d.number.clone().unwrap_or_default();
    if let Some(id) = &item.taken {
        return Err(ItemError {
            row: Some(item.row),
            text: format!("Deposit #{number} already exists ({id})"),
            code: Code::NumberTaken,
        });
    }
    let mut total = Decimal::ZERO;
    for l in &d.lines {
        total += l
            .credit
            .as_deref()
            .and_then(|c| c.parse::<Decimal>().ok())
            .unwrap_or_default();
    }
    let mut lines = vec![JournalLineDraft {
        row: item.row,
        account: d.account.clone(),
        debit: Some(total.to_string()),
        credit: None,
        description: d.memo.clone(),
        contact: None,
    }];
    lines.extend(d.lines.iter().cloned());
    let journal = JournalDraft {
        number: number.clone(),
        date: d.date,
        memo: Some(d.memo.clone().unwrap_or_else(|| "Deposit".into())),
        lines,
    };
    let v = super::journal::post(s, ctx, conn, &journal, item, shared).await?;
    Ok(super::journal::posted(
        "Deposit", &number, &v, item.row, dry,
    ))
}

/// Xero's spend or receive money, as its type says: SPEND a bank payment
/// (Dr each line, Cr the bank), RECEIVE a sales receipt (Dr the bank, Cr
/// each line). Its reference is kept as the document's reference; the
/// document takes the next number of its series.
#[expect(clippy::too_many_arguments, reason = "the batch's shared state")]
pub(super) async fn make_bank_transaction(
    s: &Services,
    ctx: &AuthContext,
    conn: &mut ferrobooks_store::Conn,
    d: DocDraft,
    item: &Item,
    shared: &SharedNames,
    settings: &SettingsRow,
    dry: bool,
    added: &mut Vec<(NameKind, String, String)>,
) -> Result<Made, ItemError> {
    let t = d.txn_type.as_deref().unwrap_or_default().trim();
    let kind = match t.to_ascii_uppercase().as_str() {
        "SPEND" => DocKind::BankPayment,
        "RECEIVE" => DocKind::SalesReceipt,
        _ => {
            return Err(bad(
                item.row,
                format!(
                    "Type '{t}' is not SPEND or RECEIVE (prepayments and overpayments are not imported)"
                ),
            ));
        }
    };
    let d = DocDraft {
        private_note: d.private_note.clone().or_else(|| d.number.clone()),
        number: None,
        ..d
    };
    super::document::make_document(s, ctx, conn, kind, &d, item, shared, settings, dry, added).await
}
