//! Lines written out as a bank would, then read back: the reader must give
//! exactly the lines written, amounts digit for digit.

use chrono::{Datelike, Days, NaiveDate};
use ferrobooks_statements::{CsvMapping, Format, StatementLine, parse};
use proptest::prelude::*;

/// A signed amount in the crate's grammar, with what is needed to write it.
#[derive(Debug, Clone)]
struct Amount {
    negative: bool,
    integer: u64,
    fraction: String,
}

impl Amount {
    fn is_zero(&self) -> bool {
        self.integer == 0 && self.fraction.bytes().all(|b| b == b'0')
    }

    fn unsigned(&self) -> String {
        match self.fraction.as_str() {
            "" => self.integer.to_string(),
            f => format!("{}.{f}", self.integer),
        }
    }

    /// What `parse` must return.
    fn normalized(&self) -> String {
        if self.negative && !self.is_zero() {
            format!("-{}", self.unsigned())
        } else {
            self.unsigned()
        }
    }

    /// `1234567` -> `1,234,567` (or with `.` for decimal-comma files).
    fn grouped(&self, sep: char) -> String {
        let digits = self.integer.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }
}

fn amount() -> impl Strategy<Value = Amount> {
    (
        any::<bool>(),
        prop_oneof![0u64..1000, 0u64..10_000_000_000_000],
        "[0-9]{0,4}",
    )
        .prop_map(|(negative, integer, fraction)| Amount {
            negative,
            integer,
            fraction,
        })
}

fn date() -> impl Strategy<Value = NaiveDate> {
    // MT940 years are two digits, 1980-2079; keep a margin for value dates.
    (0u64..36_000).prop_map(|days| {
        NaiveDate::from_ymd_opt(1980, 2, 1)
            .and_then(|d| d.checked_add_days(Days::new(days)))
            .unwrap_or_default()
    })
}

fn word() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{1,9}"
}

fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..max).prop_map(|w| w.join(" "))
}

#[derive(Debug, Clone)]
struct Generated {
    date: NaiveDate,
    amount: Amount,
    description: String,
    payee: Option<String>,
    reference: Option<String>,
    bank_id: Option<String>,
    /// How to write it: the CSV amount style, the MT940 value date offset.
    style: u8,
    offset: i8,
}

fn generated() -> impl Strategy<Value = Generated> {
    (
        date(),
        amount(),
        (words(12), "[ ,;\"'€é]{0,3}", words(3)),
        prop::option::of(words(4).prop_filter("non-empty", |p| !p.is_empty())),
        prop::option::of("[A-Z0-9-]{1,16}".prop_filter("not NONREF", |r| r != "NONREF")),
        prop::option::of("[A-Z0-9]{1,16}"),
        (0u8..4, -3i8..=3),
    )
        .prop_map(
            |(date, amount, (d1, odd, d2), payee, reference, bank_id, (style, offset))| {
                let description = format!("{d1}{odd}{d2}").trim().to_owned();
                Generated {
                    date,
                    amount,
                    description,
                    payee,
                    reference,
                    bank_id,
                    style,
                    offset,
                }
            },
        )
}

fn csv_text(lines: &[Generated], decimal_comma: bool) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(if decimal_comma { b';' } else { b',' })
        .from_writer(Vec::new());
    let record = |w: &mut csv::Writer<Vec<u8>>, fields: [&str; 6]| {
        w.write_record(fields).map_err(|e| e.to_string())
    };
    record(
        &mut w,
        ["Date", "Amount", "Description", "Payee", "Reference", "Id"],
    )
    .unwrap_or_default();
    let (dec, sep) = if decimal_comma {
        (",", '.')
    } else {
        (".", ',')
    };
    for l in lines {
        let frac = if l.amount.fraction.is_empty() {
            String::new()
        } else {
            format!("{dec}{}", l.amount.fraction)
        };
        let unsigned = match l.style {
            0 => format!("{}{frac}", l.amount.integer),
            _ => format!("{}{frac}", l.amount.grouped(sep)),
        };
        let written = match (l.amount.negative, l.style) {
            (false, 3) => format!("€{unsigned}"),
            (false, _) => unsigned,
            (true, 2) => format!("({unsigned})"),
            (true, 3) => format!("{unsigned}-"),
            (true, _) => format!("-{unsigned}"),
        };
        let date = l.date.format("%d/%m/%Y").to_string();
        let fields = [
            date.as_str(),
            written.as_str(),
            l.description.as_str(),
            l.payee.as_deref().unwrap_or(""),
            l.reference.as_deref().unwrap_or(""),
            l.bank_id.as_deref().unwrap_or(""),
        ];
        record(&mut w, fields).unwrap_or_default();
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn mt940_text(lines: &[Generated]) -> String {
    let mut out =
        String::from(":20:PROPTEST\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C800101EUR0,\n");
    for l in lines {
        let value = if l.offset >= 0 {
            l.date
                .checked_add_days(Days::new(l.offset.unsigned_abs().into()))
        } else {
            l.date
                .checked_sub_days(Days::new(l.offset.unsigned_abs().into()))
        }
        .unwrap_or(l.date);
        let entry = if l.offset == 0 && l.style % 2 == 0 {
            String::new()
        } else {
            l.date.format("%m%d").to_string()
        };
        let mark = if l.amount.negative { "D" } else { "C" };
        let amount = format!("{},{}", l.amount.integer, l.amount.fraction);
        let reference = l.reference.as_deref().unwrap_or("NONREF");
        let bank = l
            .bank_id
            .as_deref()
            .map(|b| format!("//{b}"))
            .unwrap_or_default();
        out.push_str(&format!(
            ":61:{}{entry}{mark}{amount}NTRF{reference}{bank}\n",
            value.format("%y%m%d")
        ));
        // Unstructured information wrapped at word boundaries, as banks do.
        let mut text_lines: Vec<String> = Vec::new();
        for w in l.description.split(' ') {
            match text_lines.last_mut() {
                Some(last) if last.len() + 1 + w.len() <= 30 => {
                    last.push(' ');
                    last.push_str(w);
                }
                _ => text_lines.push(w.to_owned()),
            }
        }
        if !l.description.is_empty() {
            out.push_str(&format!(":86:{}\n", text_lines.join("\n")));
        }
    }
    out.push_str(":62F:C800101EUR0,\n-\n");
    out
}

fn expected(lines: &[Generated], with_payee: bool) -> Vec<StatementLine> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| StatementLine {
            row: i + 1,
            date: l.date,
            amount: l.amount.normalized(),
            description: l.description.clone(),
            payee: l.payee.clone().filter(|_| with_payee),
            reference: l.reference.clone(),
            bank_id: l.bank_id.clone(),
        })
        .collect()
}

proptest! {
    #[test]
    fn csv_lines_round_trip(lines in prop::collection::vec(generated(), 0..12), decimal_comma in any::<bool>()) {
        let mapping = CsvMapping {
            date: "date".into(),
            date_format: "%d/%m/%Y".into(),
            amount: Some("AMOUNT".into()),
            money_in: None,
            money_out: None,
            description: Some("Description".into()),
            payee: Some("Payee".into()),
            reference: Some("Reference".into()),
            transaction_id: Some("Id".into()),
            delimiter: Some(if decimal_comma { ';' } else { ',' }),
            decimal_comma: Some(decimal_comma),
        };
        let text = csv_text(&lines, decimal_comma);
        let st = parse(text.as_bytes(), Format::Csv, Some(&mapping));
        let st = st.map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(st.refused, vec![]);
        prop_assert_eq!(st.lines, expected(&lines, true));
    }

    #[test]
    fn mt940_lines_round_trip(lines in prop::collection::vec(generated(), 1..12)) {
        // MT940 free text has no quotes or symbols, and its year has two digits.
        let lines: Vec<Generated> = lines
            .into_iter()
            .map(|mut l| {
                l.description = l.description.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
                l
            })
            .collect();
        prop_assume!(lines.iter().all(|l| (1980..2080).contains(&l.date.year())));
        let text = mt940_text(&lines);
        let st = parse(text.as_bytes(), Format::Mt940, None);
        let st = st.map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(st.refused, vec![]);
        prop_assert_eq!(st.lines, expected(&lines, false));
    }
}
