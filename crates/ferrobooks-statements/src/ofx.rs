//! OFX: 1.x (SGML with unclosed leaf tags) and 2.x (XML).
//!
//! Both generations are read into the same element tree ([`crate::xml`]):
//! 2.x through quick-xml, 1.x through a small winnow tokenizer whose tags
//! and text feed the same [`TreeBuilder`]. Everything after that is shared.

use chrono::NaiveDate;
use winnow::Parser;
use winnow::combinator::{alt, delimited, preceded, terminated};
use winnow::token::{take_till, take_until, take_while};

use crate::amount::{self, Style};
use crate::xml::{self, Node, TreeBuilder};
use crate::{Balance, Format, Merger, Refused, Section, Statement, StatementError, StatementLine};

fn malformed(reason: impl Into<String>) -> StatementError {
    StatementError::Malformed {
        format: Format::Ofx,
        reason: reason.into(),
    }
}

pub(crate) fn parse(text: &str) -> Result<Statement, StatementError> {
    let ofx = read_tree(text).map_err(malformed)?;
    read_statements(&ofx)
}

/// The `<OFX>` element of either generation.
fn read_tree(text: &str) -> Result<Node, String> {
    // ASCII upper-casing keeps byte offsets, so `start` indexes `text` too.
    let start = text
        .to_ascii_uppercase()
        .find("<OFX>")
        .ok_or("no <OFX> element")?;
    let header = &text[..start];
    let roots = if header.contains("<?xml") || header.contains("<?OFX") {
        // A 2.x header, but producers exist that write 2.x headers over
        // SGML-ish bodies (unclosed leaves, bare `&`): the SGML reader,
        // which is the more lenient, gets a second chance.
        xml::parse(text).or_else(|xml_error| sgml(&text[start..]).map_err(|_| xml_error))?
    } else {
        sgml(&text[start..])?
    };
    roots
        .into_iter()
        .find(|n| n.name == "OFX")
        .ok_or_else(|| "no <OFX> element".to_owned())
}

/// One piece of OFX 1.x SGML markup.
#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Start(&'a str),
    End(&'a str),
    Text(&'a str),
    /// `<!...>` declarations and `<?...?>` instructions: nothing to read.
    Skip,
}

fn tag_name<'a>(i: &mut &'a str) -> winnow::Result<&'a str> {
    take_while(1.., |c: char| {
        c.is_ascii_alphanumeric() || c == '.' || c == '_'
    })
    .parse_next(i)
}

fn token<'a>(i: &mut &'a str) -> winnow::Result<Token<'a>> {
    let blank = |i: &mut &'a str| take_while(0.., char::is_whitespace).parse_next(i);
    alt((
        delimited("</", tag_name, (blank, '>')).map(Token::End),
        terminated(preceded(alt(("<!", "<?")), take_until(0.., ">")), '>').value(Token::Skip),
        // OFX 1.x has no attributes; anything before `>` is skipped.
        delimited('<', tag_name, (take_till(0.., ['>', '<']), '>')).map(Token::Start),
        take_till(1.., '<').map(Token::Text),
    ))
    .parse_next(i)
}

/// Reads an SGML body (from `<OFX>` on) into its root elements.
fn sgml(body: &str) -> Result<Vec<Node>, String> {
    let mut input = body;
    let mut tree = TreeBuilder::new(true);
    while !input.is_empty() {
        let offset = body.len() - input.len();
        let tok = token(&mut input).map_err(|_| format!("unreadable markup at byte {offset}"))?;
        match tok {
            Token::Start(name) => tree.start(&name.to_ascii_uppercase(), Vec::new()),
            Token::End(name) => tree.end(&name.to_ascii_uppercase())?,
            // SGML producers write bare `&` as often as `&amp;`: keep the
            // text as written when it is not valid entity syntax.
            Token::Text(raw) => {
                tree.text(&quick_xml::escape::unescape(raw).unwrap_or(raw.into()))?
            }
            Token::Skip => {}
        }
    }
    tree.finish()
}

/// The two kinds of statement response, with their account aggregate.
const STATEMENT_KINDS: [(&str, &str, &str, &str); 2] = [
    ("BANKMSGSRSV1", "STMTTRNRS", "STMTRS", "BANKACCTFROM"),
    (
        "CREDITCARDMSGSRSV1",
        "CCSTMTTRNRS",
        "CCSTMTRS",
        "CCACCTFROM",
    ),
];

fn read_statements(ofx: &Node) -> Result<Statement, StatementError> {
    let mut merger = Merger::default();
    let mut row = 0;
    let mut bank_error = None;
    for (msgs, trnrs, rs, acct) in STATEMENT_KINDS {
        for transaction in ofx.children(msgs).flat_map(|m| m.children(trnrs)) {
            if transaction.child(rs).is_none() {
                bank_error = bank_error.or_else(|| status_error(transaction));
            }
            for st in transaction.children(rs) {
                let list = st
                    .child("BANKTRANLIST")
                    .ok_or_else(|| malformed("no <BANKTRANLIST>"))?;
                merger.add(
                    Format::Ofx,
                    Section {
                        account: st.text_at(&[acct, "ACCTID"]).map(str::to_owned),
                        currency: st.text_at(&["CURDEF"]).map(str::to_owned),
                        opening: None,
                        closing: balance(st.child("LEDGERBAL")),
                    },
                )?;
                for trn in list.children("STMTTRN") {
                    row += 1;
                    match line(trn, row) {
                        Ok(line) => merger.statement.lines.push(line),
                        Err(reason) => merger.statement.refused.push(Refused { row, reason }),
                    }
                }
            }
        }
    }
    if !merger.seen_any {
        return Err(malformed(
            bank_error.unwrap_or_else(|| "no <STMTRS> or <CCSTMTRS> statement".into()),
        ));
    }
    Ok(merger.statement)
}

/// The bank's own explanation when a response carries no statement.
fn status_error(transaction: &Node) -> Option<String> {
    let code = transaction.text_at(&["STATUS", "CODE"])?;
    let message = transaction
        .text_at(&["STATUS", "MESSAGE"])
        .unwrap_or("no message");
    Some(format!(
        "the bank answered with status {code} ({message}) and no statement"
    ))
}

/// `YYYYMMDD[HHMMSS[.XXX]][[+-N:TZ]]`: the day as the bank wrote it. The
/// time zone is not applied — the bank's calendar day is the booking day.
fn date(raw: &str) -> Result<NaiveDate, String> {
    raw.get(..8)
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y%m%d").ok())
        .ok_or_else(|| format!("unreadable date {raw:?}"))
}

/// OFX amounts use a point, but the spec allows a comma too.
fn ofx_amount(raw: &str) -> Result<String, String> {
    amount::normalize(raw, Style::POINT)
        .or_else(|e| amount::normalize(raw, Style::COMMA).map_err(|_| e))
}

/// A balance is a check on the import, not part of it: one the bank wrote
/// unreadably is left out rather than failing the file.
fn balance(node: Option<&Node>) -> Option<Balance> {
    let node = node?;
    Some(Balance {
        date: date(node.text_at(&["DTASOF"])?).ok()?,
        amount: ofx_amount(node.text_at(&["BALAMT"])?).ok()?,
    })
}

fn line(trn: &Node, row: usize) -> Result<StatementLine, String> {
    let date = date(trn.text_at(&["DTPOSTED"]).ok_or("no DTPOSTED")?)?;
    let amount = ofx_amount(trn.text_at(&["TRNAMT"]).ok_or("no TRNAMT")?)?;
    let name = trn
        .text_at(&["NAME"])
        .or_else(|| trn.text_at(&["PAYEE", "NAME"]));
    let memo = trn.text_at(&["MEMO"]);
    let description = match (name, memo) {
        (Some(n), Some(m)) if n != m => format!("{n} / {m}"),
        (Some(one), _) | (None, Some(one)) => one.to_owned(),
        (None, None) => String::new(),
    };
    Ok(StatementLine {
        row,
        date,
        amount,
        description,
        payee: name.map(str::to_owned),
        reference: trn
            .text_at(&["CHECKNUM"])
            .or_else(|| trn.text_at(&["REFNUM"]))
            .map(str::to_owned),
        bank_id: trn.text_at(&["FITID"]).map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_sgml() {
        let mut input = "<TRNAMT>-1.5\n</STMTTRN ><!-- x --><a b>";
        let mut tokens = Vec::new();
        while !input.is_empty() {
            tokens.push(token(&mut input).unwrap_or(Token::Text("ERROR")));
        }
        assert_eq!(
            tokens,
            [
                Token::Start("TRNAMT"),
                Token::Text("-1.5\n"),
                Token::End("STMTTRN"),
                Token::Skip,
                Token::Start("a")
            ]
        );
    }

    #[test]
    fn dates_take_the_day() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 5);
        assert_eq!(date("20240105").ok(), d);
        assert_eq!(date("20240105235959.000[-5:EST]").ok(), d);
        assert!(date("2024-01-05").is_err());
        assert!(date("2024").is_err());
    }
}
