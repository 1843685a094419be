//! ISO 20022 CAMT.053 (bank-to-customer statement), any `camt.053.001.XX`.
//!
//! Elements are looked up by local name, so the namespace version and
//! prefix do not matter; the paths below exist in every published version
//! (counterparty names moved under `Pty` in version 08, both are read).

use chrono::NaiveDate;

use crate::amount::{self, Style};
use crate::xml::{self, Node};
use crate::{Balance, Format, Merger, Refused, Section, Statement, StatementError, StatementLine};

fn malformed(reason: impl Into<String>) -> StatementError {
    StatementError::Malformed {
        format: Format::Camt053,
        reason: reason.into(),
    }
}

pub(crate) fn parse(text: &str) -> Result<Statement, StatementError> {
    let roots = xml::parse(text).map_err(malformed)?;
    let statements = roots
        .iter()
        .find(|n| n.name == "Document")
        .and_then(|doc| doc.child("BkToCstmrStmt"))
        .ok_or_else(|| malformed("no Document/BkToCstmrStmt element"))?;
    let mut merger = Merger::default();
    let mut row = 0;
    for stmt in statements.children("Stmt") {
        merger.add(Format::Camt053, section(stmt))?;
        for entry in stmt.children("Ntry") {
            row += 1;
            match line(entry, row) {
                Ok(line) => merger.statement.lines.push(line),
                Err(reason) => merger.statement.refused.push(Refused { row, reason }),
            }
        }
    }
    if !merger.seen_any {
        return Err(malformed("no Stmt element"));
    }
    Ok(merger.statement)
}

fn section(stmt: &Node) -> Section {
    let acct = stmt.child("Acct");
    let account = acct
        .and_then(|a| {
            a.text_at(&["Id", "IBAN"])
                .or_else(|| a.text_at(&["Id", "Othr", "Id"]))
        })
        .map(str::to_owned);
    // Many banks leave Acct/Ccy out; the balances' currency is the same.
    let currency = acct
        .and_then(|a| a.text_at(&["Ccy"]))
        .or_else(|| {
            stmt.children("Bal")
                .find_map(|b| b.child("Amt")?.attr("Ccy"))
        })
        .map(str::to_owned);
    let balance_of = |code: &str| {
        stmt.children("Bal")
            .find(|b| b.text_at(&["Tp", "CdOrPrtry", "Cd"]) == Some(code))
            .and_then(balance)
    };
    Section {
        account,
        currency,
        // PRCD (previously closed booked) is what many banks send instead of OPBD.
        opening: balance_of("OPBD").or_else(|| balance_of("PRCD")),
        closing: balance_of("CLBD"),
    }
}

/// `Dt` or the date part of `DtTm` (`2024-01-05T10:00:00+01:00`).
fn date(node: Option<&Node>) -> Result<NaiveDate, String> {
    let node = node.ok_or("no date")?;
    let raw = node
        .text_at(&["Dt"])
        .or_else(|| node.text_at(&["DtTm"]))
        .ok_or("no date")?;
    raw.get(..10)
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .ok_or_else(|| format!("unreadable date {raw:?}"))
}

/// `Amt` (unsigned) made signed by `CdtDbtInd`: CRDT is money in, DBIT out.
fn signed_amount(node: &Node) -> Result<String, String> {
    let raw = node.text_at(&["Amt"]).ok_or("no Amt")?;
    let amount = amount::normalize(raw, Style::POINT)?;
    if amount.starts_with('-') {
        return Err(format!(
            "negative Amt {raw:?}: the sign belongs in CdtDbtInd"
        ));
    }
    match node.text_at(&["CdtDbtInd"]) {
        Some("CRDT") => Ok(amount),
        Some("DBIT") => Ok(amount::negate(&amount)),
        other => Err(format!("CdtDbtInd is {other:?}, not CRDT or DBIT")),
    }
}

/// Unreadable balances are left out: they check an import, they are not part of it.
fn balance(bal: &Node) -> Option<Balance> {
    Some(Balance {
        date: date(bal.child("Dt")).ok()?,
        amount: signed_amount(bal).ok()?,
    })
}

fn line(entry: &Node, row: usize) -> Result<StatementLine, String> {
    let amount = signed_amount(entry)?;
    let date = date(entry.child("BookgDt").or_else(|| entry.child("ValDt")))?;
    let details: Vec<&Node> = entry
        .children("NtryDtls")
        .flat_map(|d| d.children("TxDtls"))
        .collect();
    let remittance: Vec<&str> = details
        .iter()
        .flat_map(|tx| tx.children("RmtInf").flat_map(|r| r.children("Ustrd")))
        .map(|u| u.text.trim())
        .filter(|u| !u.is_empty())
        .collect();
    let description = if remittance.is_empty() {
        entry
            .text_at(&["AddtlNtryInf"])
            .unwrap_or_default()
            .to_owned()
    } else {
        remittance.join(" ")
    };
    // The counterparty: whom we paid on a debit, who paid us on a credit.
    let party = if entry.text_at(&["CdtDbtInd"]) == Some("DBIT") {
        "Cdtr"
    } else {
        "Dbtr"
    };
    let payee = details.iter().find_map(|tx| {
        tx.text_at(&["RltdPties", party, "Nm"])
            .or_else(|| tx.text_at(&["RltdPties", party, "Pty", "Nm"]))
    });
    let reference = details.iter().find_map(|tx| {
        tx.text_at(&["Refs", "EndToEndId"])
            .filter(|id| !id.eq_ignore_ascii_case("NOTPROVIDED"))
    });
    Ok(StatementLine {
        row,
        date,
        amount,
        description,
        payee: payee.map(str::to_owned),
        reference: reference.map(str::to_owned),
        bank_id: entry
            .text_at(&["AcctSvcrRef"])
            .or_else(|| entry.text_at(&["NtryRef"]))
            .map(str::to_owned),
    })
}
