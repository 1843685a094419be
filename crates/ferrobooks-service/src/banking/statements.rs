//! Statement imports: a bank's file (CSV with a column mapping, OFX 1.x
//! and 2.x, CAMT.053, MT940) read into statement lines of one account.
//!
//! Importing the same or an overlapping statement again adds nothing: a
//! line is known by the bank's own id when the file gives one, else by
//! its date, amount, description and occurrence among identical lines of
//! its statement ([`dedupe_key`]). Lines the file holds but that cannot be
//! read are refused one by one, with the reason; the rest are imported.

use std::collections::{HashMap, HashSet};

use ferrobooks_statements::{CsvMapping, Format, StatementError};
use ferrobooks_store::banking::{self as store, BankTxRow, ImportRow, status};
use ferrobooks_store::outbox::{self, OutboxRow};
use ferrobooks_store::{new_id, now};
use serde::Serialize;

use super::transactions::{bank_account_currency, dedupe_key, view};
use crate::amount::Amount;
use crate::{AuthContext, Code, Outcome, ServiceError, ServiceResult, Services};

/// An uploaded statement, as the surface received it.
#[derive(Debug, Clone, Default)]
pub struct StatementUpload {
    pub bytes: Vec<u8>,
    pub filename: Option<String>,
    /// csv, ofx, camt053 or mt940; read from the file when absent (a CSV
    /// must be named).
    pub format: Option<String>,
    /// For CSV: the column mapping, as JSON.
    pub mapping: Option<String>,
}

/// A line of the file that was not imported, and why.
#[derive(Debug, Clone, Serialize)]
pub struct RefusedLine {
    /// The line's position among the file's transactions (CSV: its data
    /// row), from 1.
    pub row: usize,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct StatementImportView {
    pub id: String,
    pub bank_account_id: String,
    pub format: String,
    pub filename: Option<String>,
    /// Lines added.
    pub new: i64,
    /// Lines the account already had (from an earlier import of the same
    /// or an overlapping statement).
    pub duplicates: i64,
    pub refused: Vec<RefusedLine>,
    /// The statement's closing balance, when the file gives one.
    pub closing_date: Option<String>,
    pub closing_balance: Option<Amount>,
    pub created_at: String,
}

fn read_error(e: StatementError) -> ServiceError {
    match e {
        StatementError::MissingColumn { name } => ServiceError::invalid(
            "mapping",
            format!("names the column '{name}', which the file's header does not have"),
        ),
        StatementError::BadMapping { reason } => ServiceError::invalid("mapping", reason),
        StatementError::NoMapping => ServiceError::invalid(
            "mapping",
            "is required for a CSV statement: name its date, amount (or money_in and \
             money_out) and description columns and the date format",
        ),
        other => ServiceError::invalid("file", other.to_string()),
    }
}

impl Services {
    /// Imports a statement into the bank account `account_id`.
    pub async fn import_statement(
        &self,
        ctx: &AuthContext,
        account_id: &str,
        upload: StatementUpload,
    ) -> ServiceResult<StatementImportView> {
        if upload.bytes.is_empty() {
            return Err(ServiceError::invalid(
                "file",
                "is required: the statement file",
            ));
        }
        let format = match upload.format.as_deref() {
            Some(f) => f.parse::<Format>().map_err(|_| {
                ServiceError::invalid("format", format!("'{f}' is not one of csv, ofx, camt053, mt940"))
            })?,
            None => ferrobooks_statements::detect(&upload.bytes).ok_or_else(|| {
                ServiceError::new(
                    Code::ValidationFailed,
                    "file: not a statement format we read (OFX, CAMT.053, MT940; a CSV needs format=csv and a mapping)",
                )
                .with_field(
                    "file",
                    "is not a statement format we read (OFX, CAMT.053, MT940; a CSV needs format=csv and a mapping)",
                )
            })?,
        };
        let mapping: Option<CsvMapping> = upload
            .mapping
            .as_deref()
            .map(|m| {
                serde_json::from_str(m).map_err(|e| {
                    ServiceError::invalid("mapping", format!("is not a column mapping: {e}"))
                })
            })
            .transpose()?;
        let statement = ferrobooks_statements::parse(&upload.bytes, format, mapping.as_ref())
            .map_err(read_error)?;

        let mut wtx = self.store.begin_write().await?;
        let conn = &mut *wtx.tx;
        let cur = bank_account_currency(conn, ctx, account_id, "id")
            .await
            .map_err(|_| ServiceError::not_found("bank account"))?;
        if let Some(c) = &statement.currency
            && !c.eq_ignore_ascii_case(cur.code())
        {
            return Err(ServiceError::invalid(
                "file",
                format!(
                    "the statement is in {c}; the account is kept in {}",
                    cur.code()
                ),
            ));
        }
        store::lock_bank_account(conn, ctx.org_id(), account_id).await?;

        let mut refused: Vec<RefusedLine> = statement
            .refused
            .iter()
            .map(|r| RefusedLine {
                row: r.row,
                reason: r.reason.clone(),
            })
            .collect();
        let at = now();
        let import_id = new_id("bimp");
        let mut occurrences: HashMap<(String, i64, String), usize> = HashMap::new();
        let mut rows: Vec<BankTxRow> = Vec::with_capacity(statement.lines.len());
        for l in &statement.lines {
            let amount = match cur.parse_amount(&l.amount, "amount") {
                Ok(0) => {
                    refused.push(RefusedLine {
                        row: l.row,
                        reason: "the amount is zero".into(),
                    });
                    continue;
                }
                Ok(a) => a,
                Err(e) => {
                    refused.push(RefusedLine {
                        row: l.row,
                        reason: format!("amount {}: {e}", l.amount),
                    });
                    continue;
                }
            };
            let date = match crate::parse_date("date", &l.date.to_string()) {
                Ok(d) => d.to_string(),
                Err(e) => {
                    refused.push(RefusedLine {
                        row: l.row,
                        reason: e.message,
                    });
                    continue;
                }
            };
            let description: String = l.description.trim().chars().take(1000).collect();
            let bank_id = l
                .bank_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            // Counted among identical lines without the bank's id only: a
            // line with one is known by it, wherever it stands in the file.
            let n = match bank_id {
                Some(_) => 0,
                None => {
                    let n = occurrences
                        .entry((date.clone(), amount, description.clone()))
                        .or_default();
                    *n += 1;
                    *n
                }
            };
            rows.push(BankTxRow {
                id: new_id("btx"),
                organization_id: ctx.org_id().to_owned(),
                bank_account_id: account_id.to_owned(),
                dedupe_key: dedupe_key(bank_id, &date, amount, &description, n),
                date,
                amount,
                description,
                payee: l
                    .payee
                    .as_ref()
                    .map(|p| p.trim().chars().take(200).collect()),
                reference: l
                    .reference
                    .as_ref()
                    .map(|p| p.trim().chars().take(200).collect()),
                bank_transaction_id: bank_id.map(str::to_owned),
                status: status::UNREVIEWED.into(),
                source: "import".into(),
                import_id: Some(import_id.clone()),
                created_at: at.clone(),
                updated_at: at.clone(),
                rule_id: None,
            });
        }
        refused.sort_by_key(|r| r.row);
        let keys: Vec<&str> = rows.iter().map(|r| r.dedupe_key.as_str()).collect();
        let known = store::known_dedupe_keys(conn, ctx.org_id(), account_id, &keys).await?;
        // A bank id given twice in one file is one line.
        let mut seen: HashSet<String> = HashSet::new();
        let total = rows.len();
        let new: Vec<BankTxRow> = rows
            .into_iter()
            .filter(|r| !known.contains(&r.dedupe_key) && seen.insert(r.dedupe_key.clone()))
            .collect();
        let duplicates = (total - new.len()) as i64;
        let mut new = new;
        store::insert_bank_transactions(conn, &new).await?;
        self.apply_rules(conn, ctx, account_id, cur, &mut new)
            .await?;
        let payloads: Vec<String> = new
            .iter()
            .map(|r| serde_json::to_string(&view(r.clone(), cur)))
            .collect::<Result<_, _>>()
            .map_err(ServiceError::internal)?;
        let events: Vec<OutboxRow<'_>> = payloads
            .into_iter()
            .map(|payload| OutboxRow {
                organization_id: ctx.org_id(),
                event_type: "bank_transaction.created",
                payload,
            })
            .collect();
        outbox::insert(conn, &events).await?;
        let closing = match &statement.closing_balance {
            Some(b) => Some((
                b.date.to_string(),
                cur.parse_amount(&b.amount, "closing_balance")
                    .map_err(|e| {
                        ServiceError::invalid(
                            "file",
                            format!("the closing balance {}: {e}", b.amount),
                        )
                    })?,
            )),
            None => None,
        };
        let row = ImportRow {
            id: import_id,
            organization_id: ctx.org_id().to_owned(),
            bank_account_id: account_id.to_owned(),
            format: format.as_str().to_owned(),
            filename: upload.filename.map(|f| f.chars().take(255).collect()),
            new_count: new.len() as i64,
            duplicate_count: duplicates,
            refused: serde_json::to_string(&refused).map_err(ServiceError::internal)?,
            closing_date: closing.as_ref().map(|(d, _)| d.clone()),
            closing_balance: closing.as_ref().map(|(_, b)| *b),
            created_at: at,
        };
        store::insert_import(conn, &row).await?;
        let v = StatementImportView {
            id: row.id,
            bank_account_id: row.bank_account_id,
            format: row.format,
            filename: row.filename,
            new: row.new_count,
            duplicates,
            refused,
            closing_date: row.closing_date,
            closing_balance: row.closing_balance.map(|b| Amount::new(b, cur)),
            created_at: row.created_at,
        };
        self.finish_idempotent(conn, ctx, Outcome::Created, &v)
            .await?;
        wtx.commit().await?;
        Ok(v)
    }
}
