//! Bank statement imports, `POST /api/v1/bank_accounts/{id}/statements`:
//! every format read into statement lines, re-imports and overlapping
//! statements deduplicated, bad files refused whole with nothing written,
//! bad lines refused one by one, and an upload replayed under its
//! Idempotency-Key.
//!
//! The statements are written here by one generator: line `i` is the same
//! payment (date, amount, description, the bank's id) in every format, so
//! that "lines i..j" can be written as CSV, OFX 1 (SGML), OFX 2 (XML),
//! CAMT.053 or MT940. Amounts are whole cents throughout: the generator's
//! are integers, and the API's are read from its raw JSON text.

use std::ops::Range;

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Value, json};

use ferrobooks_testkit::{Resp, TestApp, backend_test, raw_at};

/// Lines per day: 200 lines span 20 days.
const PER_DAY: usize = 10;
/// The account's balance before line 0 (10,000.00).
const OPENING: i64 = 1_000_000;
/// Line `b` repeats line `a` word for word (same day, amount and
/// description): two real payments. The CSV gives neither a bank id; the
/// other formats give each its own.
const TWINS: [(usize, usize); 2] = [(5, 6), (150, 151)];

/// One payment of the generated statements.
#[derive(Debug, Clone)]
struct Line {
    date: NaiveDate,
    cents: i64,
    description: String,
    payee: String,
    bank_id: String,
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).expect("date")
}

fn day_of(i: usize) -> NaiveDate {
    first_day() + Days::new((i / PER_DAY) as u64)
}

/// Line `i`: deterministic, amounts from 0.01 to 25,000.00, mostly money
/// out, every fourth money in.
fn line(i: usize) -> Line {
    if let Some(&(a, _)) = TWINS.iter().find(|(_, b)| *b == i) {
        return Line {
            bank_id: format!("TX{i:05}"),
            ..line(a)
        };
    }
    const WHAT: [&str; 8] = [
        "Card payment, contactless",
        "Transfer",
        "Direct debit",
        "Standing order",
        "Invoice payment",
        "Bank fee",
        "Refund",
        "Cash deposit",
    ];
    const WHO: [&str; 6] = [
        "Cafe Central",
        "Acme Supplies Inc",
        "City Power",
        "Landlord LLC",
        "Globex Corp",
        "Initech",
    ];
    let mut cents = ((i as i64) * 7919 + 101) % 250_000 + 1;
    if i.is_multiple_of(37) {
        cents *= 10;
    }
    if i % 4 != 1 {
        cents = -cents;
    }
    Line {
        date: day_of(i),
        cents,
        description: format!("{} {}", WHAT[i % WHAT.len()], 1000 + i * 3),
        payee: WHO[i % WHO.len()].to_owned(),
        bank_id: format!("TX{i:05}"),
    }
}

fn lines(r: Range<usize>) -> Vec<Line> {
    r.map(line).collect()
}

fn sum(r: Range<usize>) -> i64 {
    lines(r).iter().map(|l| l.cents).sum()
}

/// `-1234.50` from -123450.
fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// Cents of an amount as the API writes it: a JSON number with exactly
/// two decimals (USD), read as text, never through a float.
fn cents(raw: &str) -> i64 {
    let (neg, digits) = match raw.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, raw),
    };
    let (units, fraction) = digits
        .split_once('.')
        .unwrap_or_else(|| panic!("{raw}: not an amount with decimals"));
    assert!(
        fraction.len() == 2 && fraction.bytes().all(|b| b.is_ascii_digit()),
        "{raw}: not two decimals"
    );
    assert!(units.bytes().all(|b| b.is_ascii_digit()), "{raw}");
    let c = units.parse::<i64>().expect("units") * 100 + fraction.parse::<i64>().expect("cents");
    if neg { -c } else { c }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fmt {
    Csv,
    Ofx1,
    Ofx2,
    Camt,
    Mt940,
}

impl Fmt {
    /// The format the import reports.
    fn name(self) -> &'static str {
        match self {
            Fmt::Csv => "csv",
            Fmt::Ofx1 | Fmt::Ofx2 => "ofx",
            Fmt::Camt => "camt053",
            Fmt::Mt940 => "mt940",
        }
    }

    fn filename(self) -> &'static str {
        match self {
            Fmt::Csv => "statement.csv",
            Fmt::Ofx1 => "statement.ofx",
            Fmt::Ofx2 => "statement.qfx",
            Fmt::Camt => "camt053.xml",
            Fmt::Mt940 => "statement.sta",
        }
    }

    /// Lines `r` as a statement of this format, in `currency`, the account
    /// holding [`OPENING`] before line 0.
    fn write(self, r: Range<usize>, currency: &str) -> String {
        match self {
            Fmt::Csv => csv(r),
            Fmt::Ofx1 => ofx_sgml(r, currency),
            Fmt::Ofx2 => ofx_xml(r, currency),
            Fmt::Camt => camt(r, currency),
            Fmt::Mt940 => mt940(r, currency),
        }
    }

    /// The form of an upload of `file` (format and mapping for CSV only:
    /// the others are recognized).
    fn form(self, file: String) -> Vec<(&'static str, Option<&'static str>, Vec<u8>)> {
        let mut parts = vec![("file", Some(self.filename()), file.into_bytes())];
        if self == Fmt::Csv {
            parts.push(("format", None, b"csv".to_vec()));
            parts.push(("mapping", None, CSV_MAPPING.as_bytes().to_vec()));
        }
        parts
    }

    fn upload(self, r: Range<usize>) -> Vec<(&'static str, Option<&'static str>, Vec<u8>)> {
        self.form(self.write(r, "USD"))
    }
}

const CSV_MAPPING: &str = r#"{"date": "Date", "date_format": "%d/%m/%Y", "amount": "Amount",
    "description": "Details", "payee": "Counterparty", "transaction_id": "Id"}"#;

fn csv_field(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A bank's CSV export; the bank id is given for even lines only (the
/// rest are known by date, amount, description and occurrence), never for
/// the twins.
fn csv(r: Range<usize>) -> String {
    let mut out = String::from("Date,Details,Counterparty,Amount,Id\r\n");
    for i in r {
        let l = line(i);
        let twin = TWINS.iter().any(|&(a, b)| i == a || i == b);
        let id = if i % 2 == 0 && !twin {
            l.bank_id.as_str()
        } else {
            ""
        };
        out.push_str(&format!(
            "{},{},{},{},{id}\r\n",
            l.date.format("%d/%m/%Y"),
            csv_field(&l.description),
            csv_field(&l.payee),
            money(l.cents),
        ));
    }
    out
}

fn ofx_transactions(r: Range<usize>, xml: bool) -> String {
    let close = |tag: &str| {
        if xml {
            format!("</{tag}>")
        } else {
            String::new()
        }
    };
    let mut out = String::new();
    for l in lines(r) {
        let kind = if l.cents < 0 { "DEBIT" } else { "CREDIT" };
        for (tag, value) in [
            ("TRNTYPE", kind.to_owned()),
            (
                "DTPOSTED",
                format!("{}120000.000[-5:EST]", l.date.format("%Y%m%d")),
            ),
            ("TRNAMT", money(l.cents)),
            ("FITID", l.bank_id.clone()),
            ("NAME", l.payee.clone()),
            ("MEMO", l.description.clone()),
        ] {
            if tag == "TRNTYPE" {
                out.push_str("<STMTTRN>\n");
            }
            out.push_str(&format!("<{tag}>{value}{}\n", close(tag)));
        }
        out.push_str("</STMTTRN>\n");
    }
    out
}

/// The OFX body (from `<OFX>`), leaves closed or not.
fn ofx_body(r: Range<usize>, currency: &str, xml: bool) -> String {
    let c = |tag: &str| {
        if xml {
            format!("</{tag}>")
        } else {
            String::new()
        }
    };
    let last = day_of(r.end - 1);
    let balance = OPENING + sum(0..r.end);
    format!(
        "<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>0{}\n<SEVERITY>INFO{}\n</STATUS>\n\
         <DTSERVER>20260401120000{}\n<LANGUAGE>ENG{}\n</SONRS>\n</SIGNONMSGSRSV1>\n\
         <BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>1{}\n<STATUS>\n<CODE>0{}\n<SEVERITY>INFO{}\n</STATUS>\n\
         <STMTRS>\n<CURDEF>{currency}{}\n<BANKACCTFROM>\n<BANKID>121000248{}\n<ACCTID>000123456789{}\n\
         <ACCTTYPE>CHECKING{}\n</BANKACCTFROM>\n<BANKTRANLIST>\n<DTSTART>{}{}\n<DTEND>{}{}\n\
         {}</BANKTRANLIST>\n<LEDGERBAL>\n<BALAMT>{}{}\n<DTASOF>{}235959{}\n</LEDGERBAL>\n\
         </STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n",
        c("CODE"),
        c("SEVERITY"),
        c("DTSERVER"),
        c("LANGUAGE"),
        c("TRNUID"),
        c("CODE"),
        c("SEVERITY"),
        c("CURDEF"),
        c("BANKID"),
        c("ACCTID"),
        c("ACCTTYPE"),
        day_of(r.start).format("%Y%m%d"),
        c("DTSTART"),
        last.format("%Y%m%d"),
        c("DTEND"),
        ofx_transactions(r, xml),
        money(balance),
        c("BALAMT"),
        last.format("%Y%m%d"),
        c("DTASOF"),
    )
}

/// OFX 1.02 as US banks send it: SGML header, unclosed leaves.
fn ofx_sgml(r: Range<usize>, currency: &str) -> String {
    format!(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n\
         CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n{}",
        ofx_body(r, currency, false)
    )
}

/// OFX 2.2: XML, every element closed.
fn ofx_xml(r: Range<usize>, currency: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
         <?OFX OFXHEADER=\"200\" VERSION=\"220\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n{}",
        ofx_body(r, currency, true)
    )
}

/// `<Amt>` and `<CdtDbtInd>` of a signed amount.
fn camt_amount(cents: i64, currency: &str) -> String {
    let ind = if cents < 0 { "DBIT" } else { "CRDT" };
    format!(
        "<Amt Ccy=\"{currency}\">{}</Amt><CdtDbtInd>{ind}</CdtDbtInd>",
        money(cents.abs())
    )
}

fn camt_balance(code: &str, cents: i64, date: NaiveDate, currency: &str) -> String {
    format!(
        "      <Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>{}<Dt><Dt>{date}</Dt></Dt></Bal>\n",
        camt_amount(cents, currency)
    )
}

/// One CAMT.053.001.02 statement, the bank's ref in `AcctSvcrRef`.
fn camt(r: Range<usize>, currency: &str) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n\
         <BkToCstmrStmt>\n  <GrpHdr><MsgId>MSG-{0}</MsgId><CreDtTm>2026-04-01T06:00:00</CreDtTm></GrpHdr>\n\
         \x20 <Stmt>\n      <Id>STMT-{0}</Id>\n\
         \x20     <Acct><Id><Othr><Id>000123456789</Id></Othr></Id><Ccy>{currency}</Ccy></Acct>\n",
        r.start
    );
    out.push_str(&camt_balance(
        "OPBD",
        OPENING + sum(0..r.start),
        day_of(r.start),
        currency,
    ));
    out.push_str(&camt_balance(
        "CLBD",
        OPENING + sum(0..r.end),
        day_of(r.end - 1),
        currency,
    ));
    for (i, l) in r.clone().zip(lines(r)) {
        let party = if l.cents < 0 { "Cdtr" } else { "Dbtr" };
        out.push_str(&format!(
            "      <Ntry>\n        <NtryRef>N-{i}</NtryRef>{}<Sts>BOOK</Sts>\n\
             \x20       <BookgDt><Dt>{1}</Dt></BookgDt><ValDt><Dt>{1}</Dt></ValDt>\n\
             \x20       <AcctSvcrRef>{2}</AcctSvcrRef>\n\
             \x20       <NtryDtls><TxDtls><RltdPties><{party}><Nm>{3}</Nm></{party}></RltdPties>\n\
             \x20         <RmtInf><Ustrd>{4}</Ustrd></RmtInf></TxDtls></NtryDtls>\n      </Ntry>\n",
            camt_amount(l.cents, currency),
            l.date,
            l.bank_id,
            l.payee,
            l.description,
        ));
    }
    out.push_str("  </Stmt>\n</BkToCstmrStmt>\n</Document>\n");
    out
}

/// `C260301USD1234,50`: mark, date, currency and amount of a balance.
fn mt940_balance(cents: i64, date: NaiveDate, currency: &str) -> String {
    let mark = if cents < 0 { 'D' } else { 'C' };
    format!(
        "{mark}{}{currency}{}",
        date.format("%y%m%d"),
        money(cents.abs()).replace('.', ",")
    )
}

/// MT940 in SWIFT envelopes, one message per day as banks send them, the
/// bank's reference after `//`.
fn mt940(r: Range<usize>, currency: &str) -> String {
    let all = lines(r.clone());
    let mut out = String::new();
    let mut balance = OPENING + sum(0..r.start);
    for (n, day) in all.chunk_by(|a, b| a.date == b.date).enumerate() {
        let date = day[0].date;
        out.push_str(&format!(
            "{{1:F01BANKUS33AXXX0000000000}}{{2:O9401200{0}BANKUS33AXXX00000000002604011200N}}{{4:\n\
             :20:STMT-{0}\n:25:000123456789\n:28C:{1:05}/001\n:60F:{2}\n",
            date.format("%y%m%d"),
            n + 1,
            mt940_balance(balance, date, currency),
        ));
        for l in day {
            let mark = if l.cents < 0 { 'D' } else { 'C' };
            out.push_str(&format!(
                ":61:{}{:02}{:02}{mark}{}NTRFNONREF//{}\n:86:{}\n",
                date.format("%y%m%d"),
                date.month(),
                date.day(),
                money(l.cents.abs()).replace('.', ","),
                l.bank_id,
                l.description,
            ));
            balance += l.cents;
        }
        out.push_str(&format!(
            ":62F:{}\n-}}\n",
            mt940_balance(balance, date, currency)
        ));
    }
    out
}

async fn bank_account(app: &TestApp) -> String {
    app.post(
        "/api/v1/bank_accounts",
        json!({"name": "Current", "currency": "USD"}),
    )
    .await
    .expect(201)
    .str("/id")
}

fn statements_path(account: &str) -> String {
    format!("/api/v1/bank_accounts/{account}/statements")
}

async fn import(
    app: &TestApp,
    account: &str,
    parts: Vec<(&'static str, Option<&'static str>, Vec<u8>)>,
) -> Resp {
    app.post_multipart(&statements_path(account), parts).await
}

/// `(new, duplicates)` of an import's answer.
fn counts(r: &Resp) -> (i64, i64) {
    (
        r.json["new"]
            .as_i64()
            .unwrap_or_else(|| panic!("{}", r.text)),
        r.json["duplicates"]
            .as_i64()
            .unwrap_or_else(|| panic!("{}", r.text)),
    )
}

/// A listed statement line: its JSON and its amount in cents.
struct Listed {
    json: Value,
    cents: i64,
}

/// Every line of `account`, page by page.
async fn listed(app: &TestApp, account: &str) -> Vec<Listed> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get(&format!(
                "/api/v1/bank_transactions?bank_account_id={account}&limit=100&cursor={cursor}"
            ))
            .await
            .expect(200);
        let data = page.json["data"].as_array().expect("data");
        for (k, row) in data.iter().enumerate() {
            out.push(Listed {
                json: row.clone(),
                cents: cents(&raw_at(&page.text, &format!("/data/{k}/amount"))),
            });
        }
        if page.json["has_more"] != json!(true) {
            break;
        }
        cursor = page.str("/next_cursor");
        assert!(out.len() <= 1000, "paging does not end");
    }
    out
}

/// `(date, cents)` of lines, sorted: what the account must hold.
fn expected_days_and_amounts(r: Range<usize>) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = lines(r)
        .iter()
        .map(|l| (l.date.to_string(), l.cents))
        .collect();
    v.sort();
    v
}

fn days_and_amounts(rows: &[Listed]) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = rows
        .iter()
        .map(|l| (l.json["date"].as_str().expect("date").to_owned(), l.cents))
        .collect();
    v.sort();
    v
}

/// 200 lines imported, the same statement again, then one that overlaps
/// its last 10 days and adds 10 new ones.
async fn round_trip(app: &TestApp, fmt: Fmt) {
    let account = bank_account(app).await;
    let path = statements_path(&account);
    let first = app
        .post_multipart(&path, fmt.upload(0..200))
        .await
        .expect(201);
    assert_eq!(counts(&first), (200, 0), "{}", first.text);
    assert_eq!(first.json["refused"], json!([]), "{}", first.text);
    assert_eq!(
        (
            first.str("/format"),
            first.str("/bank_account_id"),
            first.str("/filename")
        ),
        (
            fmt.name().to_owned(),
            account.clone(),
            fmt.filename().to_owned()
        )
    );
    assert!(first.str("/id").len() > 4 && !first.str("/created_at").is_empty());
    // What the file says the account holds at its end.
    if fmt == Fmt::Csv {
        assert!(
            first.json["closing_balance"].is_null() && first.json["closing_date"].is_null(),
            "{}",
            first.text
        );
    } else {
        assert_eq!(
            (first.raw("/closing_balance"), first.str("/closing_date")),
            (money(OPENING + sum(0..200)), "2026-03-20".to_owned()),
            "{}",
            first.text
        );
    }

    let rows = listed(app, &account).await;
    assert_eq!(rows.len(), 200);
    assert_eq!(rows.iter().map(|l| l.cents).sum::<i64>(), sum(0..200));
    assert_eq!(days_and_amounts(&rows), expected_days_and_amounts(0..200));
    let import_id = first.str("/id");
    for l in &rows {
        let j = &l.json;
        assert_eq!(
            (
                &j["bank_account_id"],
                &j["currency"],
                &j["status"],
                &j["source"],
                &j["import_id"]
            ),
            (
                &json!(account),
                &json!("USD"),
                &json!("unreviewed"),
                &json!("import"),
                &json!(import_id)
            ),
            "{j}"
        );
    }
    // The bank's ids are kept: all of them, or the CSV's even lines'.
    let mut ids: Vec<&str> = rows
        .iter()
        .filter_map(|l| l.json["bank_transaction_id"].as_str())
        .collect();
    ids.sort_unstable();
    let mut want: Vec<String> = (0..200)
        .filter(|i| {
            fmt != Fmt::Csv || (i % 2 == 0 && !TWINS.iter().any(|&(a, b)| *i == a || *i == b))
        })
        .map(|i| line(i).bank_id)
        .collect();
    want.sort_unstable();
    assert_eq!(ids, want);
    // Both twins are there, identical but for the id the bank gave them.
    for (a, _) in TWINS {
        let l = line(a);
        let twins: Vec<&Listed> = rows
            .iter()
            .filter(|r| r.json["date"] == json!(l.date.to_string()) && r.cents == l.cents)
            .collect();
        assert_eq!(twins.len(), 2, "line {a} and its twin");
        assert_eq!(twins[0].json["description"], twins[1].json["description"]);
        if fmt != Fmt::Mt940 {
            assert_eq!(twins[0].json["payee"], json!(l.payee));
        }
    }

    // The same statement again: nothing new.
    let again = app
        .post_multipart(&path, fmt.upload(0..200))
        .await
        .expect(201);
    assert_eq!(counts(&again), (0, 200), "{}", again.text);
    assert_eq!(again.json["refused"], json!([]));
    assert_eq!(listed(app, &account).await.len(), 200);

    // The last 10 days of the first and 10 new ones.
    let overlap = app
        .post_multipart(&path, fmt.upload(100..300))
        .await
        .expect(201);
    assert_eq!(counts(&overlap), (100, 100), "{}", overlap.text);
    if fmt != Fmt::Csv {
        assert_eq!(
            (
                overlap.raw("/closing_balance"),
                overlap.str("/closing_date")
            ),
            (money(OPENING + sum(0..300)), "2026-03-30".to_owned())
        );
    }
    let rows = listed(app, &account).await;
    assert_eq!(rows.len(), 300);
    assert_eq!(rows.iter().map(|l| l.cents).sum::<i64>(), sum(0..300));
    assert_eq!(days_and_amounts(&rows), expected_days_and_amounts(0..300));
    let overlap_id = overlap.str("/id");
    let from_overlap = rows
        .iter()
        .filter(|l| l.json["import_id"] == json!(overlap_id))
        .count();
    assert_eq!(from_overlap, 100);
    assert!(
        rows.iter()
            .filter(|l| l.json["import_id"] == json!(overlap_id))
            .all(|l| l.json["date"].as_str().expect("date") >= "2026-03-21"),
        "only the new days come from the overlapping statement"
    );
    assert_eq!(app.count("bank_statement_imports").await, 3);
}

backend_test! {
    async fn csv_statements_import_once(app: TestApp) {
        round_trip(&app, Fmt::Csv).await;
    }
}

backend_test! {
    async fn ofx_sgml_statements_import_once(app: TestApp) {
        round_trip(&app, Fmt::Ofx1).await;
    }
}

backend_test! {
    async fn ofx_xml_statements_import_once(app: TestApp) {
        round_trip(&app, Fmt::Ofx2).await;
    }
}

backend_test! {
    async fn camt053_statements_import_once(app: TestApp) {
        round_trip(&app, Fmt::Camt).await;
    }
}

backend_test! {
    async fn mt940_statements_import_once(app: TestApp) {
        round_trip(&app, Fmt::Mt940).await;
    }
}

backend_test! {
    async fn bad_statements_are_refused_whole(app: TestApp) {
        let account = bank_account(&app).await;
        let path = statements_path(&account);
        let before = (app.count("bank_transactions").await, app.count("bank_statement_imports").await);
        let ofx = Fmt::Ofx1.write(0..20, "USD");
        let csv = csv(0..20);
        type Part = (&'static str, Option<&'static str>, Vec<u8>);
        let file = |name: &'static str, text: &str| -> Part { ("file", Some(name), text.as_bytes().to_vec()) };
        let field = |name: &'static str, text: &str| -> Part { (name, None, text.as_bytes().to_vec()) };
        let mapping = |m: &str| field("mapping", m);
        let cases: Vec<(&str, Vec<Part>, &str, &str)> = vec![
            ("a PDF", vec![file("statement.pdf", "%PDF-1.4\n%\u{e2}\u{e3}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")], "file", ""),
            ("an unknown format", vec![file("statement.xls", &ofx), field("format", "xls")], "format", "xls"),
            ("a truncated OFX 1", vec![file("statement.ofx", &ofx[..ofx.len() / 2])], "file", ""),
            ("a truncated OFX 2", vec![{ let x = Fmt::Ofx2.write(0..20, "USD"); file("statement.ofx", &x[..x.len() / 2]) }], "file", ""),
            ("a truncated CAMT", vec![{ let x = Fmt::Camt.write(0..20, "USD"); file("camt.xml", &x[..x.len() / 2]) }], "file", ""),
            ("an empty file", vec![file("statement.ofx", "")], "file", ""),
            ("no file part", vec![field("format", "ofx")], "file", ""),
            ("a file sent as a field", vec![field("statement", &ofx)], "file", ""),
            ("a CSV without format", vec![file("statement.csv", &csv), mapping(CSV_MAPPING)], "file", ""),
            ("a CSV without mapping", vec![file("statement.csv", &csv), field("format", "csv")], "mapping", ""),
            ("a mapping that is not JSON", vec![file("statement.csv", &csv), field("format", "csv"), mapping("date=Date, amount=Amount")], "mapping", ""),
            ("a mapping naming a missing column", vec![
                file("statement.csv", &csv), field("format", "csv"),
                mapping(r#"{"date": "Date", "date_format": "%d/%m/%Y", "amount": "Betrag", "description": "Details"}"#),
            ], "mapping", "Betrag"),
            ("a mapping with both amount kinds", vec![
                file("statement.csv", &csv), field("format", "csv"),
                mapping(r#"{"date": "Date", "date_format": "%d/%m/%Y", "amount": "Amount", "money_in": "Amount", "money_out": "Amount"}"#),
            ], "mapping", ""),
            ("a mapping with an unknown field", vec![
                file("statement.csv", &csv), field("format", "csv"),
                mapping(r#"{"date": "Date", "date_format": "%d/%m/%Y", "amount": "Amount", "memo": "Details"}"#),
            ], "mapping", ""),
            ("an OFX in EUR", vec![file("statement.ofx", &Fmt::Ofx1.write(0..20, "EUR"))], "file", "EUR"),
            ("an OFX 2 in EUR", vec![file("statement.ofx", &Fmt::Ofx2.write(0..20, "EUR"))], "file", "EUR"),
            ("a CAMT in EUR", vec![file("camt.xml", &Fmt::Camt.write(0..20, "EUR"))], "file", "EUR"),
            ("an MT940 in EUR", vec![file("statement.sta", &Fmt::Mt940.write(0..20, "EUR"))], "file", "EUR"),
        ];
        for (what, parts, detail, mentions) in cases {
            let r = app.post_multipart(&path, parts).await;
            assert_eq!(r.status, 400, "{what}: {}", r.text);
            assert_eq!(r.json["code"], "validation_failed", "{what}: {}", r.text);
            let said = r.json["details"][detail]
                .as_str()
                .unwrap_or_else(|| panic!("{what}: no details.{detail} in {}", r.text));
            assert!(said.contains(mentions), "{what}: details.{detail} = {said:?} does not name {mentions:?}");
        }
        // Not a multipart body at all.
        let r = app.post(&path, json!({"file": ofx})).await.expect(415);
        assert_eq!(r.json["code"], "unsupported_media_type", "{}", r.text);
        app.post_body(&path, "application/x-ofx", ofx.clone().into_bytes(), &[]).await.expect(415);
        // A multipart content type over a body that is not one.
        let r = app.post_body(&path, "multipart/form-data; boundary=xyz", b"not a form".to_vec(), &[]).await.expect(400);
        assert_eq!(r.json["code"], "validation_failed", "{}", r.text);
        // An account that is not there, or not a bank account: 404.
        let good = || vec![("file", Some("statement.ofx"), ofx.clone().into_bytes())];
        let r = app.post_multipart(&statements_path("acc_doesnotexist"), good()).await.expect(404);
        assert_eq!(r.json["code"], "not_found", "{}", r.text);
        let sales = app.account("4000").await;
        app.post_multipart(&statements_path(&sales), good()).await.expect(404);
        // Unknown account with a bad body: still 404.
        app.post(&statements_path("acc_doesnotexist"), json!({})).await.expect(404);
        assert_eq!(
            (app.count("bank_transactions").await, app.count("bank_statement_imports").await),
            before,
            "a refused statement wrote nothing"
        );
        // And the good file goes in.
        let r = app.post_multipart(&path, good()).await.expect(201);
        assert_eq!(counts(&r), (20, 0));
    }
}

backend_test! {
    async fn unreadable_csv_rows_are_refused_one_by_one(app: TestApp) {
        let account = bank_account(&app).await;
        // Rows 3 (no 31 February) and 5 (no number) cannot be read; rows 4
        // (zero) and 6 (a tenth of a cent) are read but not taken.
        let csv = "Date,Details,Counterparty,Amount,Id\n\
            01/03/2026,Coffee,Cafe Central,-3.50,A1\n\
            02/03/2026,Rent,Landlord LLC,-1500.00,A2\n\
            31/02/2026,Impossible day,Initech,-10.00,A3\n\
            03/03/2026,Nothing,Initech,0.00,A4\n\
            04/03/2026,Fee,,ten dollars,A5\n\
            04/03/2026,Interest,,0.125,A6\n\
            05/03/2026,Deposit,Globex Corp,\"1,250.00\",A7\n\
            06/03/2026,Refund,Acme Supplies Inc,12.34,A8\n";
        let parts = vec![
            ("file", Some("bank.csv"), csv.as_bytes().to_vec()),
            ("format", None, b"csv".to_vec()),
            ("mapping", None, CSV_MAPPING.as_bytes().to_vec()),
        ];
        let r = import(&app, &account, parts.clone()).await.expect(201);
        assert_eq!(counts(&r), (4, 0), "{}", r.text);
        let refused = r.json["refused"].as_array().expect("refused");
        let rows: Vec<i64> = refused.iter().map(|x| x["row"].as_i64().expect("row")).collect();
        assert_eq!(rows, [3, 4, 5, 6], "{}", r.text);
        assert!(refused.iter().all(|x| !x["reason"].as_str().unwrap_or_default().is_empty()), "{}", r.text);
        assert!(r.json["refused"][1]["reason"].as_str().unwrap_or_default().contains("zero"), "{}", r.text);
        let lines = listed(&app, &account).await;
        let mut got: Vec<(String, i64)> = lines
            .iter()
            .map(|l| (l.json["bank_transaction_id"].as_str().expect("id").to_owned(), l.cents))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [("A1".into(), -350), ("A2".into(), -150_000), ("A7".into(), 125_000), ("A8".into(), 1234)]
        );
        // Again: the good rows are duplicates, the bad ones refused again.
        let again = import(&app, &account, parts.clone()).await.expect(201);
        assert_eq!(counts(&again), (0, 4), "{}", again.text);
        assert_eq!(again.json["refused"], r.json["refused"]);
        // A deleted line does not come back with its statement.
        let a1 = lines.iter().find(|l| l.json["bank_transaction_id"] == "A1").expect("A1");
        app.delete(&format!("/api/v1/bank_transactions/{}", a1.json["id"].as_str().expect("id"))).await.expect(204);
        let third = import(&app, &account, parts).await.expect(201);
        assert_eq!(counts(&third), (0, 4), "{}", third.text);
        assert_eq!(listed(&app, &account).await.len(), 3);
    }
}

backend_test! {
    async fn an_upload_is_replayed_under_its_idempotency_key(app: TestApp) {
        let account = bank_account(&app).await;
        let path = statements_path(&account);
        let first = app.post_multipart_with_key(&path, "stmt-2026-03", Fmt::Mt940.upload(0..50)).await.expect(201);
        assert_eq!(counts(&first), (50, 0), "{}", first.text);
        let again = app.post_multipart_with_key(&path, "stmt-2026-03", Fmt::Mt940.upload(0..50)).await.expect(201);
        assert_eq!(again.text, first.text, "the first answer, byte for byte");
        assert_eq!(again.headers.get("idempotent-replayed").map(|v| v.to_str().unwrap_or_default()), Some("true"));
        // A client that builds the form again draws another boundary: the
        // same parts are the same request.
        let (content_type, body) = ferrobooks_testkit::upload::multipart_body_with("another-boundary-42", &Fmt::Mt940.upload(0..50));
        let rebuilt = app.post_body(&path, &content_type, body, &[("idempotency-key", "stmt-2026-03")]).await.expect(201);
        assert_eq!(rebuilt.text, first.text, "a rebuilt form is replayed too");
        assert_eq!(app.count("bank_transactions").await, 50);
        assert_eq!(app.count("bank_statement_imports").await, 1);
        // The key with another file is refused; a new key imports it.
        let r = app.post_multipart_with_key(&path, "stmt-2026-03", Fmt::Mt940.upload(0..60)).await.expect(422);
        assert_eq!(r.json["code"], "idempotency_key_reused", "{}", r.text);
        let r = app.post_multipart_with_key(&path, "stmt-2026-03b", Fmt::Mt940.upload(0..60)).await.expect(201);
        assert_eq!(counts(&r), (10, 50), "{}", r.text);
        // A refused upload is replayed too, and still wrote nothing.
        let bad = vec![("file", Some("x.pdf"), b"%PDF-1.4\n".to_vec())];
        let b1 = app.post_multipart_with_key(&path, "bad-1", bad.clone()).await.expect(400);
        let b2 = app.post_multipart_with_key(&path, "bad-1", bad).await.expect(400);
        assert_eq!(b1.text, b2.text);
        assert_eq!(app.count("bank_statement_imports").await, 2);
    }
}

backend_test! {
    async fn a_statement_file_has_the_upload_limit_not_the_body_limit(app: TestApp) {
        let account = bank_account(&app).await;
        let path = statements_path(&account);
        // 1.6 MiB of CSV: over the 1 MiB body limit, under the upload limit; with an idempotency key too.
        let lines = 30_000;
        let big = csv(0..lines);
        assert!(big.len() > 3 * 1024 * 1024 / 2, "{} bytes", big.len());
        let parts = vec![
            ("format", None, b"csv".to_vec()),
            ("mapping", None, CSV_MAPPING.as_bytes().to_vec()),
            ("file", Some("year.csv"), big.into_bytes()),
        ];
        let r = app.post_multipart_with_key(&path, "big-1", parts).await.expect(201);
        assert_eq!(counts(&r), (i64::try_from(lines).unwrap(), 0));
        // Over the upload limit (52 MiB): 413, nothing written.
        let before = app.count("bank_transactions").await;
        let huge = vec![b'x'; 53 * 1024 * 1024];
        let r = app.post_multipart(&path, vec![("file", Some("huge.csv"), huge)]).await.expect(413);
        assert_eq!(r.json["code"], "payload_too_large", "{}", r.text);
        assert_eq!(app.count("bank_transactions").await, before);
        // A JSON body keeps the body limit.
        let r = app.post("/api/v1/bank_transactions", json!({"bank_account_id": account, "description": "x".repeat(2 * 1024 * 1024)})).await.expect(413);
        assert_eq!(r.json["code"], "payload_too_large", "{}", r.text);
    }
}
