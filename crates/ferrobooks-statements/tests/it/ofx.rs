use ferrobooks_statements::{Format, Refused, Statement, StatementError, StatementLine, parse};

use crate::{balance, day, line, some};

/// OFX 1.02 as US banks send it: SGML header, unclosed leaf tags.
const SGML: &str = "OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1>
<SONRS>
<STATUS>
<CODE>0
<SEVERITY>INFO
</STATUS>
<DTSERVER>20240131120000[-5:EST]
<LANGUAGE>ENG
</SONRS>
</SIGNONMSGSRSV1>
<BANKMSGSRSV1>
<STMTTRNRS>
<TRNUID>1
<STATUS>
<CODE>0
<SEVERITY>INFO
</STATUS>
<STMTRS>
<CURDEF>USD
<BANKACCTFROM>
<BANKID>121000248
<ACCTID>000123456789
<ACCTTYPE>CHECKING
</BANKACCTFROM>
<BANKTRANLIST>
<DTSTART>20240101
<DTEND>20240131
<STMTTRN>
<TRNTYPE>DEBIT
<DTPOSTED>20240105120000.000[-5:EST]
<TRNAMT>-12.50
<FITID>2024010501
<NAME>AT&amp;T Wireless
<MEMO>Monthly bill
</STMTTRN>
<STMTTRN>
<TRNTYPE>CHECK
<DTPOSTED>20240110
<TRNAMT>-100.00
<FITID>2024011001
<CHECKNUM>1042
<PAYEE>
<NAME>Jane Roe
<ADDR1>1 Main St
<CITY>Springfield
<STATE>IL
<POSTALCODE>62701
</PAYEE>
</STMTTRN>
<STMTTRN>
<TRNTYPE>CREDIT
<DTPOSTED>20240131
<TRNAMT>+2500.00
<FITID>2024013101
<NAME>PAYROLL
<MEMO>PAYROLL
<REFNUM>PR-77
</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL>
<BALAMT>1234.56
<DTASOF>20240131235959
</LEDGERBAL>
</STMTRS>
</STMTTRNRS>
</BANKMSGSRSV1>
</OFX>
";

/// The same statement as OFX 2.2 XML.
const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX>
  <SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
    <DTSERVER>20240131120000[-5:EST]</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>
  <BANKMSGSRSV1>
    <STMTTRNRS>
      <TRNUID>1</TRNUID>
      <STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
      <STMTRS>
        <CURDEF>USD</CURDEF>
        <BANKACCTFROM><BANKID>121000248</BANKID><ACCTID>000123456789</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>
        <BANKTRANLIST>
          <DTSTART>20240101</DTSTART><DTEND>20240131</DTEND>
          <STMTTRN>
            <TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240105120000.000[-5:EST]</DTPOSTED><TRNAMT>-12.50</TRNAMT>
            <FITID>2024010501</FITID><NAME>AT&amp;T Wireless</NAME><MEMO>Monthly bill</MEMO>
          </STMTTRN>
          <STMTTRN>
            <TRNTYPE>CHECK</TRNTYPE><DTPOSTED>20240110</DTPOSTED><TRNAMT>-100.00</TRNAMT>
            <FITID>2024011001</FITID><CHECKNUM>1042</CHECKNUM>
            <PAYEE><NAME>Jane Roe</NAME><ADDR1>1 Main St</ADDR1><CITY>Springfield</CITY><STATE>IL</STATE><POSTALCODE>62701</POSTALCODE></PAYEE>
          </STMTTRN>
          <STMTTRN>
            <TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20240131</DTPOSTED><TRNAMT>+2500.00</TRNAMT>
            <FITID>2024013101</FITID><NAME>PAYROLL</NAME><MEMO>PAYROLL</MEMO><REFNUM>PR-77</REFNUM>
          </STMTTRN>
        </BANKTRANLIST>
        <LEDGERBAL><BALAMT>1234.56</BALAMT><DTASOF>20240131235959</DTASOF></LEDGERBAL>
      </STMTRS>
    </STMTTRNRS>
  </BANKMSGSRSV1>
</OFX>
"#;

fn expected() -> Statement {
    Statement {
        lines: vec![
            StatementLine {
                payee: some("AT&T Wireless"),
                bank_id: some("2024010501"),
                ..line(1, day(2024, 1, 5), "-12.50", "AT&T Wireless / Monthly bill")
            },
            StatementLine {
                payee: some("Jane Roe"),
                reference: some("1042"),
                bank_id: some("2024011001"),
                ..line(2, day(2024, 1, 10), "-100.00", "Jane Roe")
            },
            StatementLine {
                payee: some("PAYROLL"),
                reference: some("PR-77"),
                bank_id: some("2024013101"),
                ..line(3, day(2024, 1, 31), "2500.00", "PAYROLL")
            },
        ],
        refused: vec![],
        currency: some("USD"),
        account: some("000123456789"),
        opening_balance: None,
        closing_balance: balance(day(2024, 1, 31), "1234.56"),
    }
}

fn read(text: &str) -> Result<Statement, StatementError> {
    parse(text.as_bytes(), Format::Ofx, None)
}

fn malformed_reason(text: &str) -> String {
    match read(text) {
        Err(StatementError::Malformed {
            format: Format::Ofx,
            reason,
        }) => reason,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn sgml_statement() {
    assert_eq!(read(SGML), Ok(expected()));
}

#[test]
fn xml_statement_reads_the_same_as_sgml() {
    assert_eq!(read(XML), read(SGML));
    assert_eq!(read(XML), Ok(expected()));
}

#[test]
fn xml_header_over_an_sgml_body() {
    let body = &SGML[SGML.find("<OFX>").expect("sample")..];
    let hybrid =
        format!("<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"211\"?>\n{body}");
    assert_eq!(read(&hybrid), Ok(expected()));
}

#[test]
fn sgml_with_closed_and_empty_leaves_and_windows_line_ends() {
    let mixed = SGML
        .replace("<TRNAMT>-12.50\n", "<TRNAMT>-12.50</TRNAMT>\n")
        .replace("<CHECKNUM>1042\n", "<CHECKNUM>1042</CHECKNUM>\n<MEMO>\n")
        .replace("<TRNTYPE>DEBIT", "<trntype>DEBIT")
        .replace('\n', "\r\n");
    assert_eq!(read(&mixed), Ok(expected()));
}

#[test]
fn sgml_in_windows_1252() {
    let latin = SGML
        .replace("Jane Roe", "Caf\u{e9} \u{20ac}")
        .replace("AT&amp;T", "AT&T");
    let bytes: Vec<u8> = latin
        .chars()
        .map(|c| match c {
            '\u{e9}' => 0xE9,
            '\u{20ac}' => 0x80,
            c => u8::try_from(c).expect("ascii"),
        })
        .collect();
    let st = parse(&bytes, Format::Ofx, None).expect("readable");
    assert_eq!(
        st.lines[0].payee.as_deref(),
        Some("AT&T Wireless"),
        "a bare & stays as written"
    );
    assert_eq!(st.lines[1].payee.as_deref(), Some("Caf\u{e9} \u{20ac}"));
}

#[test]
fn credit_card_statement() {
    let cc = SGML
        .replace("BANKMSGSRSV1", "CREDITCARDMSGSRSV1")
        .replace("STMTTRNRS", "CCSTMTTRNRS")
        .replace("STMTRS", "CCSTMTRS")
        .replace("<BANKACCTFROM>\n<BANKID>121000248\n", "<CCACCTFROM>\n")
        .replace("<ACCTTYPE>CHECKING\n</BANKACCTFROM>", "</CCACCTFROM>");
    assert_eq!(read(&cc), Ok(expected()));
}

#[test]
fn unreadable_transactions_are_refused() {
    let bad = SGML
        .replace("<TRNAMT>-100.00", "<TRNAMT>ten")
        .replace("<DTPOSTED>20240131", "<DTPOSTED>2024");
    let st = read(&bad).expect("readable");
    assert_eq!(st.lines, expected().lines[..1]);
    assert_eq!(
        st.refused,
        [
            Refused {
                row: 2,
                reason: "unreadable number in amount \"ten\"".into()
            },
            Refused {
                row: 3,
                reason: "unreadable date \"2024\"".into()
            },
        ]
    );
}

#[test]
fn malformed_files() {
    assert_eq!(
        malformed_reason("OFXHEADER:100\nDATA:OFXSGML\n\n<BANK>"),
        "no <OFX> element"
    );
    let cut = &SGML[..SGML.find("<CHECKNUM>").expect("sample")];
    assert_eq!(malformed_reason(cut), "the file ends inside <STMTTRN>");
    let cut_xml = &XML[..XML.find("<CHECKNUM>").expect("sample")];
    assert_eq!(malformed_reason(cut_xml), "the file ends inside <STMTTRN>");
    let no_list = SGML
        .replace("<BANKTRANLIST>", "<X>")
        .replace("</BANKTRANLIST>", "</X>");
    assert_eq!(malformed_reason(&no_list), "no <BANKTRANLIST>");
    let stray = SGML.replace("</PAYEE>", "</PAYEE>\n</BANKACCTFROM>");
    assert_eq!(
        malformed_reason(&stray),
        "unexpected closing tag </BANKACCTFROM>"
    );
    let refused_by_bank = "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>2000<SEVERITY>ERROR\
        <MESSAGE>General error</STATUS></STMTTRNRS></BANKMSGSRSV1></OFX>";
    assert_eq!(
        malformed_reason(refused_by_bank),
        "the bank answered with status 2000 (General error) and no statement"
    );
    assert_eq!(
        malformed_reason("<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>"),
        "no <STMTRS> or <CCSTMTRS> statement"
    );
}
