//! SWIFT MT940 customer statements, with or without the `{1:}{2:}{4:`
//! envelope, one or several messages per file.
//!
//! Reading goes in two steps, both winnow grammars: lines become tagged
//! fields (a field runs until the next `:NN[A]:` line), then each field's
//! content is parsed by the grammar of its tag.

use chrono::{Datelike, NaiveDate};
use winnow::Parser;
use winnow::combinator::{alt, opt, preceded, repeat};
use winnow::token::{one_of, rest, take, take_till, take_while};

use crate::amount::{self, Style};
use crate::{Balance, Format, Merger, Refused, Section, Statement, StatementError, StatementLine};

fn malformed(reason: impl Into<String>) -> StatementError {
    StatementError::Malformed {
        format: Format::Mt940,
        reason: reason.into(),
    }
}

fn digits<'a>(n: usize) -> impl Parser<&'a str, &'a str, winnow::error::ContextError> {
    take_while(n, |c: char| c.is_ascii_digit())
}

/// One line of the file, once envelope blocks are taken off its front.
#[derive(Debug, Clone, PartialEq)]
enum Line<'a> {
    /// `:61:content` — a field starts.
    Tag(&'a str, &'a str),
    /// `-` or `-}`: the message's text block ends.
    End,
    /// Anything else: continues the current field (or is ignored between messages).
    Other(&'a str),
}

/// `{1:...}`, `{3:{108:...}}`: a header block, braces nested.
fn block(i: &mut &str) -> winnow::Result<()> {
    let inner = |i: &mut &str| take_till(0.., ['{', '}']).void().parse_next(i);
    (
        '{',
        inner,
        repeat::<_, _, (), _, _>(0.., (block, inner)),
        '}',
    )
        .void()
        .parse_next(i)
}

fn line<'a>(i: &mut &'a str) -> winnow::Result<Line<'a>> {
    (repeat::<_, _, (), _, _>(0.., block), opt("{4:"))
        .void()
        .parse_next(i)?;
    let tag = (digits(2), opt(one_of(|c: char| c.is_ascii_uppercase()))).take();
    alt((
        (preceded(':', tag), preceded(':', rest)).map(|(t, c)| Line::Tag(t, c)),
        ('-', opt('}'), rest).value(Line::End),
        rest.map(Line::Other),
    ))
    .parse_next(i)
}

/// A field of a message: its tag and its lines joined with `\n`.
struct Field<'a> {
    tag: &'a str,
    content: String,
}

fn fields(text: &str) -> Vec<Field<'_>> {
    let mut out: Vec<Field<'_>> = Vec::new();
    let mut open = false;
    for raw in text.lines() {
        // `line` cannot fail: its last branch takes any rest.
        let parsed = line.parse(raw.trim_end()).unwrap_or(Line::Other(raw));
        match (parsed, out.last_mut()) {
            (Line::Tag(tag, content), _) => {
                out.push(Field {
                    tag,
                    content: content.to_owned(),
                });
                open = true;
            }
            (Line::End, _) => open = false,
            (Line::Other(more), Some(field)) if open => {
                field.content.push('\n');
                field.content.push_str(more);
            }
            (Line::Other(_), _) => {}
        }
    }
    out
}

/// `YYMMDD`; years above 79 are 19YY, the others 20YY.
fn date6(i: &mut &str) -> winnow::Result<Option<NaiveDate>> {
    let (yy, mm, dd) = (digits(2), digits(2), digits(2)).parse_next(i)?;
    let yy: i32 = yy.parse().unwrap_or_default();
    let year = if yy > 79 { 1900 + yy } else { 2000 + yy };
    Ok(NaiveDate::from_ymd_opt(
        year,
        mm.parse().unwrap_or_default(),
        dd.parse().unwrap_or_default(),
    ))
}

/// `:60F:`/`:62F:` content: `C240131EUR1234,56`.
fn balance(content: &str) -> Option<(Balance, String)> {
    let (mark, date, currency, raw) = (
        one_of(['C', 'D']),
        date6,
        take_while(3, |c: char| c.is_ascii_alphabetic()),
        rest,
    )
        .parse(content.trim())
        .ok()?;
    let amount = amount::normalize(raw, Style::COMMA).ok()?;
    let amount = if mark == 'D' {
        amount::negate(&amount)
    } else {
        amount
    };
    Some((
        Balance {
            date: date?,
            amount,
        },
        currency.to_owned(),
    ))
}

/// The parts of a `:61:` statement line.
struct Entry<'a> {
    value_date: Option<NaiveDate>,
    entry_date: Option<(&'a str, &'a str)>,
    mark: &'a str,
    amount: &'a str,
    customer_ref: &'a str,
    bank_ref: Option<&'a str>,
    supplementary: Option<&'a str>,
}

/// The rest of `:61:`'s first line: `customer ref[//bank ref]`.
fn references<'a>(i: &mut &'a str) -> winnow::Result<(&'a str, Option<&'a str>)> {
    let first_line = take_till(0.., '\n').parse_next(i)?;
    Ok(match first_line.split_once("//") {
        Some((customer, bank)) => (customer, Some(bank)),
        None => (first_line, None),
    })
}

fn entry<'a>(i: &mut &'a str) -> winnow::Result<Entry<'a>> {
    let (value_date, entry_date, mark, _funds, amount, _type) = (
        date6,
        opt((digits(2), digits(2))),
        alt(("RC", "RD", "C", "D")),
        opt(one_of(|c: char| c.is_ascii_alphabetic())),
        take_while(1.., |c: char| c.is_ascii_digit() || c == ','),
        (one_of(['N', 'F', 'S']), take(3usize)),
    )
        .parse_next(i)?;
    let (customer_ref, bank_ref) = references(i)?;
    let supplementary = opt(preceded('\n', rest)).parse_next(i)?;
    Ok(Entry {
        value_date,
        entry_date,
        mark,
        amount,
        customer_ref,
        bank_ref,
        supplementary,
    })
}

/// The entry date has no year: it is the one of the years around the value
/// date that puts it nearest (a 31 Dec value date booked on 0102 is next year's).
fn entry_date(value: NaiveDate, (mm, dd): (&str, &str)) -> Option<NaiveDate> {
    let (m, d) = (mm.parse().ok()?, dd.parse().ok()?);
    [value.year() - 1, value.year(), value.year() + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
        .min_by_key(|candidate| (*candidate - value).num_days().abs())
}

/// `EREF+`, `SVWZ+`, `KREF+`...: the start of a SEPA purpose part.
fn sepa_keyword<'a>(i: &mut &'a str) -> winnow::Result<&'a str> {
    (take_while(4, |c: char| c.is_ascii_uppercase()), '+')
        .take()
        .parse_next(i)
}

/// Text of `:86:`. German banks structure it as `GVC?00text?20purpose...`;
/// then `?20`–`?29` and `?60`–`?63` are the purpose and `?32`/`?33` the
/// counterparty's name, all wrapped at fixed width, so joined without spaces.
fn information(content: &str) -> (String, Option<String>) {
    let flat: String = content.lines().collect();
    let subfield = preceded('?', (digits(2), take_till(0.., '?')));
    let structured: Result<(&str, Vec<(&str, &str)>), _> =
        (digits(3), repeat(1.., subfield)).parse(flat.as_str());
    let Ok((_gvc, subfields)) = structured else {
        let lines: Vec<&str> = content
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        return (lines.join(" "), None);
    };
    // SEPA keywords (`EREF+`, `SVWZ+`...) start a new part: a space keeps
    // `EREF+123` and `SVWZ+Rent` apart; other subfields are wrapped text.
    let starts_part = |mut text: &str| sepa_keyword(&mut text).is_ok();
    let join = |codes: &[&str]| -> String {
        let mut text = String::new();
        for (_, part) in subfields.iter().filter(|(code, _)| codes.contains(code)) {
            if !text.is_empty() && starts_part(part) {
                text.push(' ');
            }
            text.push_str(part);
        }
        text.trim().to_owned()
    };
    let purpose_codes = [
        "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "60", "61", "62", "63",
    ];
    let mut description = join(&purpose_codes);
    if description.is_empty() {
        description = join(&["00"]);
    }
    let payee = Some(join(&["32", "33"])).filter(|p| !p.is_empty());
    (description, payee)
}

fn statement_line(content: &str, info: Option<&str>, row: usize) -> Result<StatementLine, String> {
    let e = entry
        .parse(content.trim_end())
        .map_err(|_| format!("unreadable :61: line {content:?}"))?;
    let value_date = e.value_date.ok_or("impossible value date")?;
    let date = match e.entry_date {
        Some(md) => entry_date(value_date, md).ok_or("impossible entry date")?,
        None => value_date,
    };
    let amount = amount::normalize(e.amount, Style::COMMA)?;
    let amount = match e.mark {
        "C" | "RD" => amount,
        _ => amount::negate(&amount),
    };
    let (description, payee) = match info {
        Some(text) => information(text),
        None => (e.supplementary.unwrap_or_default().trim().to_owned(), None),
    };
    let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(StatementLine {
        row,
        date,
        amount,
        description,
        payee,
        reference: non_empty(e.customer_ref).filter(|r| !r.eq_ignore_ascii_case("NONREF")),
        bank_id: e.bank_ref.and_then(non_empty),
    })
}

pub(crate) fn parse(text: &str) -> Result<Statement, StatementError> {
    let fields = fields(text);
    if !fields.iter().any(|f| f.tag == "20") {
        return Err(malformed("not an MT940 message: no :20: field"));
    }
    let mut merger = Merger::default();
    let mut row = 0;
    // Each :20: opens a statement; fields before the first one are not MT940.
    for statement in fields.split(|f| f.tag == "20").skip(1) {
        let mut section = Section {
            account: None,
            currency: None,
            opening: None,
            closing: None,
        };
        let mut lines = Vec::new();
        for (i, field) in statement.iter().enumerate() {
            match field.tag {
                "25" => section.account = Some(field.content.trim().to_owned()),
                "60F" | "60M" if section.opening.is_none() => {
                    let (bal, ccy) = balance(&field.content).ok_or_else(|| {
                        malformed(format!("unreadable opening balance {:?}", field.content))
                    })?;
                    section.opening = Some(bal);
                    section.currency = Some(ccy);
                }
                "62F" | "62M" => {
                    let (bal, ccy) = balance(&field.content).ok_or_else(|| {
                        malformed(format!("unreadable closing balance {:?}", field.content))
                    })?;
                    section.closing = Some(bal);
                    section.currency.get_or_insert(ccy);
                }
                "61" => {
                    row += 1;
                    let info = statement
                        .get(i + 1)
                        .filter(|f| f.tag == "86")
                        .map(|f| f.content.as_str());
                    lines.push(
                        statement_line(&field.content, info, row)
                            .map_err(|reason| Refused { row, reason }),
                    );
                }
                _ => {}
            }
        }
        merger.add(Format::Mt940, section)?;
        for line in lines {
            match line {
                Ok(line) => merger.statement.lines.push(line),
                Err(refused) => merger.statement.refused.push(refused),
            }
        }
    }
    Ok(merger.statement)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_drop_the_envelope() {
        assert_eq!(
            line.parse("{1:F01X}{2:I940Y}{3:{108:Z}}{4:"),
            Ok(Line::Other(""))
        );
        assert_eq!(line.parse("{4::20:REF"), Ok(Line::Tag("20", "REF")));
        assert_eq!(line.parse(":28C:1/1"), Ok(Line::Tag("28C", "1/1")));
        assert_eq!(line.parse("-}{5:{CHK:1}}"), Ok(Line::End));
        assert_eq!(line.parse("-"), Ok(Line::End));
        assert_eq!(line.parse("?20text"), Ok(Line::Other("?20text")));
    }

    #[test]
    fn entry_dates_cross_the_year() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(
            entry_date(d(2023, 12, 31).unwrap_or_default(), ("01", "02")),
            d(2024, 1, 2)
        );
        assert_eq!(
            entry_date(d(2024, 1, 1).unwrap_or_default(), ("12", "30")),
            d(2023, 12, 30)
        );
        assert_eq!(
            entry_date(d(2024, 3, 1).unwrap_or_default(), ("02", "29")),
            d(2024, 2, 29)
        );
        assert_eq!(
            entry_date(d(2024, 3, 1).unwrap_or_default(), ("02", "30")),
            None
        );
    }

    #[test]
    fn structured_information() {
        let (description, payee) = information(
            "166?00GUTSCHRIFT?109251?20EREF+ABC?21SVWZ+Miete Hauptstr\n?22asse 5?32MUSTER?33MANN GMBH",
        );
        assert_eq!(description, "EREF+ABC SVWZ+Miete Hauptstrasse 5");
        assert_eq!(payee.as_deref(), Some("MUSTERMANN GMBH"));
        assert_eq!(
            information("plain text\nsecond line").0,
            "plain text second line"
        );
    }
}
