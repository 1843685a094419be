//! Explaining statement lines by what the books already hold: suggest and
//! match (categorizing a line into an entry or document of its own is
//! `categorize.rs`).
//!
//! A match links the statement line to one or several posted lines of its
//! bank account (a deposit of three payments names three) whose amounts
//! add up to it, and posts nothing; unmatch undoes it exactly. A ledger
//! line explains at most one statement line; voiding an entry that
//! explains one unmatches it.

use chrono::{Datelike, NaiveDate};
use ferrobooks_domain::Currency;
use ferrobooks_domain::bank_match::{self, Candidate};
use ferrobooks_store::bank_matches::{self as store, Amounts, FreeLine, MatchRow};
use ferrobooks_store::banking::{self as bstore, BankTxRow, status};
use ferrobooks_store::{Conn, now};
use serde::{Deserialize, Serialize};

use super::transactions::{BankTransactionView, bank_account_currency, view};
use crate::amount::Amount;
use crate::{AuthContext, Outcome, ServiceError, ServiceResult, Services, parse_date};

pub use super::categorize::{CategorizeInput, CategoryLine};

/// How many suggestions a statement line gets, and how far around its
/// date they are looked for.
const SUGGESTIONS: usize = 5;
const WINDOW_DAYS: u64 = 10;
/// Lines of one amount read for a suggestion; the latest lines before the
/// statement's date searched for groups, and the groups scored.
const SAME_AMOUNT: i64 = 200;
const GROUP_PARTS: i64 = 200;
const GROUPS: usize = 200;

/// A posted line of the account that may explain a statement line.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestedLine {
    /// `{entry_id}:{line_no}`: what `match` names.
    pub line_id: String,
    pub entry_id: String,
    pub date: String,
    /// In the account's currency, positive for money in.
    pub amount: Amount,
    pub number: Option<String>,
    pub memo: Option<String>,
    pub reference: Option<String>,
    pub description: Option<String>,
    /// What posted it (`payment pay_...`, `transfer xfer_...`); none for a
    /// journal entry of the API.
    pub source: Option<String>,
    /// The customer or vendor of the entry, if it names one.
    pub contact_name: Option<String>,
}

/// What may explain a statement line: one posted line of the same amount,
/// or a group of two or three that add up to it (a deposit).
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// 0 to 100. One line: 60 for the amount, up to 25 for the date
    /// (nothing from ten days), up to 15 for shared words of description
    /// and payee. A group: 40 instead of 60, so at most 80.
    pub score: u32,
    /// What `match` takes, in order.
    pub lines: Vec<SuggestedLine>,
}

/// Ledger lines to match, by `line_id`; their amounts add up to the
/// statement line's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchInput {
    pub lines: Vec<String>,
}

/// What a free line says, held for scoring.
struct CandidateText<'a> {
    day: i64,
    amount: i64,
    text: [&'a str; 4],
}

impl CandidateText<'_> {
    fn as_candidate(&self) -> Candidate<'_> {
        Candidate {
            day: self.day,
            amount: self.amount,
            text: &self.text,
        }
    }
}

fn candidate(l: &FreeLine) -> CandidateText<'_> {
    fn t(s: &Option<String>) -> &str {
        s.as_deref().unwrap_or("")
    }
    CandidateText {
        day: day_number(&l.date),
        amount: l.amount,
        text: [
            t(&l.memo),
            t(&l.reference),
            t(&l.description),
            t(&l.contact_name),
        ],
    }
}

fn suggested(l: FreeLine, cur: Currency) -> SuggestedLine {
    SuggestedLine {
        line_id: format!("{}:{}", l.entry_id, l.line_no),
        entry_id: l.entry_id,
        date: l.date,
        amount: Amount::new(l.amount, cur),
        number: l.number,
        memo: l.memo,
        reference: l.reference,
        description: l.description,
        source: l.source,
        contact_name: l.contact_name,
    }
}

fn day_number(date: &str) -> i64 {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| i64::from(d.num_days_from_ce()))
        .unwrap_or(0)
}

fn parse_line_id(field: &str, s: &str) -> ServiceResult<(String, i64)> {
    s.rsplit_once(':')
        .and_then(|(e, n)| Some((e.to_owned(), n.parse().ok()?)))
        .ok_or_else(|| {
            ServiceError::invalid(field, format!("'{s}' is not a line id (entry_id:line_no)"))
        })
}

impl Services {
    /// The line, held for a change, and its account's currency.
    pub(super) async fn statement_line(
        &self,
        conn: &mut Conn,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<(BankTxRow, Currency)> {
        let row = bstore::get_bank_transaction(&mut *conn, ctx.org_id(), id)
            .await?
            .ok_or(ServiceError::not_found("bank transaction"))?;
        let cur = bank_account_currency(conn, ctx, &row.bank_account_id, "id").await?;
        Ok((row, cur))
    }

    pub async fn suggest_matches(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<Vec<Suggestion>> {
        let mut conn = self.store.read_conn().await?;
        let (row, cur) = self.statement_line(&mut conn, ctx, id).await?;
        let date = parse_date("date", &row.date)?;
        let from = date
            .checked_sub_days(chrono::Days::new(WINDOW_DAYS))
            .unwrap_or(date);
        let to = date
            .checked_add_days(chrono::Days::new(WINDOW_DAYS))
            .unwrap_or(date);
        let foreign = cur != ctx.currency()?;
        let window = (from.to_string(), to.to_string());
        let singles = store::free_lines(
            &mut *conn,
            ctx.org_id(),
            &row.bank_account_id,
            (&window.0, &window.1),
            Amounts::Exactly(row.amount),
            SAME_AMOUNT,
            foreign,
        )
        .await?;
        // Parts of a deposit are dated on or before it.
        let parts = store::free_lines(
            &mut *conn,
            ctx.org_id(),
            &row.bank_account_id,
            (&window.0, &row.date),
            Amounts::PartsOf(row.amount),
            GROUP_PARTS,
            foreign,
        )
        .await?;
        drop(conn);
        let said = [row.description.as_str(), row.payee.as_deref().unwrap_or("")];
        let statement = bank_match::Statement {
            day: day_number(&row.date),
            amount: row.amount,
            text: &said,
        };
        let mut out: Vec<Suggestion> = singles
            .into_iter()
            .filter_map(|l| {
                let score = bank_match::score(&statement, &candidate(&l).as_candidate())?;
                Some(Suggestion {
                    score,
                    lines: vec![suggested(l, cur)],
                })
            })
            .collect();
        let amounts: Vec<i64> = parts.iter().map(|l| l.amount).collect();
        let texts: Vec<CandidateText> = parts.iter().map(candidate).collect();
        for g in bank_match::groups(row.amount, &amounts, GROUPS) {
            let members: Vec<Candidate> = g.iter().map(|&i| texts[i].as_candidate()).collect();
            if let Some(score) = bank_match::group_score(&statement, &members) {
                out.push(Suggestion {
                    score,
                    lines: g
                        .iter()
                        .map(|&i| suggested(parts[i].clone(), cur))
                        .collect(),
                });
            }
        }
        out.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.lines.len().cmp(&b.lines.len()))
                .then_with(|| a.lines[0].line_id.cmp(&b.lines[0].line_id))
        });
        out.truncate(SUGGESTIONS);
        Ok(out)
    }

    pub async fn match_bank_transaction(
        &self,
        ctx: &AuthContext,
        id: &str,
        input: MatchInput,
    ) -> ServiceResult<BankTransactionView> {
        if input.lines.is_empty() {
            return Err(ServiceError::invalid(
                "lines",
                "name at least one ledger line",
            ));
        }
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut row, cur) = self.statement_line(conn, ctx, id).await?;
        if row.status != status::UNREVIEWED {
            return Err(ServiceError::wrong_status(
                row.status.clone(),
                format!("a {} bank transaction cannot be matched", row.status),
            ));
        }
        let foreign = cur != ctx.currency()?;
        let mut links: Vec<MatchRow> = Vec::new();
        for (i, l) in input.lines.iter().enumerate() {
            let field = format!("lines[{i}]");
            let (entry, line_no) = parse_line_id(&field, l)?;
            if links
                .iter()
                .any(|m| m.entry_id == entry && m.line_no == line_no)
            {
                return Err(ServiceError::invalid(field, format!("{l} is named twice")));
            }
            let amount = store::free_line(
                &mut *conn,
                ctx.org_id(),
                &row.bank_account_id,
                &entry,
                line_no,
                foreign,
            )
            .await?
            .ok_or_else(|| {
                ServiceError::invalid(
                    &field,
                    format!(
                        "{l} is not a posted line of account {} that no statement line explains",
                        row.bank_account_id
                    ),
                )
            })?;
            links.push(MatchRow {
                bank_transaction_id: row.id.clone(),
                entry_id: entry,
                line_no,
                amount,
                kind: "match".into(),
            });
        }
        let total: i64 = links.iter().map(|m| m.amount).sum();
        if total != row.amount {
            return Err(ServiceError::invalid(
                "lines",
                format!(
                    "add up to {}; the statement line is {}",
                    cur.format(total),
                    cur.format(row.amount)
                ),
            ));
        }
        store::insert_matches(conn, ctx.org_id(), &links).await?;
        row.status = status::MATCHED.into();
        self.review_done(wtx, ctx, row, cur).await
    }

    /// Takes a match back: the line is unreviewed again; nothing posts.
    pub async fn unmatch_bank_transaction(
        &self,
        ctx: &AuthContext,
        id: &str,
    ) -> ServiceResult<BankTransactionView> {
        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let (mut row, cur) = self.statement_line(conn, ctx, id).await?;
        if row.status != status::MATCHED {
            return Err(ServiceError::wrong_status(
                row.status.clone(),
                format!(
                    "a {} bank transaction has no match to take back",
                    row.status
                ),
            ));
        }
        store::delete_matches(conn, ctx.org_id(), id).await?;
        row.status = status::UNREVIEWED.into();
        self.review_done(wtx, ctx, row, cur).await
    }

    pub(super) async fn review_done(
        &self,
        mut wtx: ferrobooks_store::WriteTx,
        ctx: &AuthContext,
        mut row: BankTxRow,
        cur: Currency,
    ) -> ServiceResult<BankTransactionView> {
        row.updated_at = now();
        bstore::update_bank_transaction(&mut wtx.tx, &row).await?;
        let v = view(row, cur);
        self.emit(&mut wtx.tx, ctx, "bank_transaction.updated", &v)
            .await?;
        self.finish_idempotent(&mut wtx.tx, ctx, Outcome::Done, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }
}
