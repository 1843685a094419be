use ferrobooks_statements::{Format, Refused, Statement, StatementError, StatementLine, parse};

use crate::{balance, day, line, some};

const V02: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2024-03-01T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-2024-02</Id>
      <Acct>
        <Id><IBAN>DE89370400440532013000</IBAN></Id>
        <Ccy>EUR</Ccy>
      </Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">1000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2024-02-01</Dt></Dt>
      </Bal>
      <Bal>
        <Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">50.25</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Dt><Dt>2024-02-29</Dt></Dt>
      </Bal>
      <Ntry>
        <NtryRef>N-1</NtryRef>
        <Amt Ccy="EUR">1234.50</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2024-02-05</Dt></BookgDt>
        <ValDt><Dt>2024-02-06</Dt></ValDt>
        <AcctSvcrRef>BANKREF-0001</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>E2E-RENT-02</EndToEndId></Refs>
          <RltdPties>
            <Dbtr><Nm>Our Company GmbH</Nm></Dbtr>
            <Cdtr><Nm>Landlord &amp; Sons</Nm></Cdtr>
          </RltdPties>
          <RmtInf><Ustrd>Rent February</Ustrd><Ustrd>Unit 4</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
        <AddtlNtryInf>SEPA transfer</AddtlNtryInf>
      </Ntry>
      <Ntry>
        <NtryRef>N-2</NtryRef>
        <Amt Ccy="EUR">184.25</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <BookgDt><DtTm>2024-02-20T14:30:00+01:00</DtTm></BookgDt>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties>
            <Dbtr><Nm>Customer AB</Nm></Dbtr>
            <Cdtr><Nm>Our Company GmbH</Nm></Cdtr>
          </RltdPties>
        </TxDtls></NtryDtls>
        <AddtlNtryInf>Invoice 2024-017</AddtlNtryInf>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#;

/// Version 08 style: a namespace prefix, `Othr/Id`, names under `Pty`,
/// PRCD instead of OPBD, no `Acct/Ccy`, and one statement per day.
const V08: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
<ns2:BkToCstmrStmt>
  <ns2:Stmt>
    <ns2:Acct><ns2:Id><ns2:Othr><ns2:Id>12-3456-7</ns2:Id></ns2:Othr></ns2:Id></ns2:Acct>
    <ns2:Bal><ns2:Tp><ns2:CdOrPrtry><ns2:Cd>PRCD</ns2:Cd></ns2:CdOrPrtry></ns2:Tp>
      <ns2:Amt Ccy="CHF">10</ns2:Amt><ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd><ns2:Dt><ns2:Dt>2024-05-01</ns2:Dt></ns2:Dt></ns2:Bal>
    <ns2:Bal><ns2:Tp><ns2:CdOrPrtry><ns2:Cd>CLBD</ns2:Cd></ns2:CdOrPrtry></ns2:Tp>
      <ns2:Amt Ccy="CHF">5.5</ns2:Amt><ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd><ns2:Dt><ns2:Dt>2024-05-01</ns2:Dt></ns2:Dt></ns2:Bal>
    <ns2:Ntry>
      <ns2:Amt Ccy="CHF">4.5</ns2:Amt><ns2:CdtDbtInd>DBIT</ns2:CdtDbtInd>
      <ns2:BookgDt><ns2:Dt>2024-05-01</ns2:Dt></ns2:BookgDt>
      <ns2:AcctSvcrRef>A1</ns2:AcctSvcrRef>
      <ns2:NtryDtls><ns2:TxDtls><ns2:RltdPties>
        <ns2:Cdtr><ns2:Pty><ns2:Nm>Post CH</ns2:Nm></ns2:Pty></ns2:Cdtr>
      </ns2:RltdPties></ns2:TxDtls></ns2:NtryDtls>
    </ns2:Ntry>
  </ns2:Stmt>
  <ns2:Stmt>
    <ns2:Acct><ns2:Id><ns2:Othr><ns2:Id>12-3456-7</ns2:Id></ns2:Othr></ns2:Id></ns2:Acct>
    <ns2:Bal><ns2:Tp><ns2:CdOrPrtry><ns2:Cd>CLBD</ns2:Cd></ns2:CdOrPrtry></ns2:Tp>
      <ns2:Amt Ccy="CHF">105.5</ns2:Amt><ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd><ns2:Dt><ns2:Dt>2024-05-02</ns2:Dt></ns2:Dt></ns2:Bal>
    <ns2:Ntry>
      <ns2:Amt Ccy="CHF">100.00</ns2:Amt><ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd>
      <ns2:BookgDt><ns2:Dt>2024-05-02</ns2:Dt></ns2:BookgDt>
      <ns2:NtryDtls><ns2:TxDtls><ns2:RltdPties>
        <ns2:Dbtr><ns2:Pty><ns2:Nm>Client SA</ns2:Nm></ns2:Pty></ns2:Dbtr>
      </ns2:RltdPties></ns2:TxDtls></ns2:NtryDtls>
    </ns2:Ntry>
  </ns2:Stmt>
</ns2:BkToCstmrStmt>
</ns2:Document>
"#;

fn read(text: &str) -> Result<Statement, StatementError> {
    parse(text.as_bytes(), Format::Camt053, None)
}

#[test]
fn debit_and_credit_entries_with_balances() {
    let expected = Statement {
        lines: vec![
            StatementLine {
                payee: some("Landlord & Sons"),
                reference: some("E2E-RENT-02"),
                bank_id: some("BANKREF-0001"),
                ..line(1, day(2024, 2, 5), "-1234.50", "Rent February Unit 4")
            },
            StatementLine {
                payee: some("Customer AB"),
                bank_id: some("N-2"),
                ..line(2, day(2024, 2, 20), "184.25", "Invoice 2024-017")
            },
        ],
        refused: vec![],
        currency: some("EUR"),
        account: some("DE89370400440532013000"),
        opening_balance: balance(day(2024, 2, 1), "1000.00"),
        closing_balance: balance(day(2024, 2, 29), "-50.25"),
    };
    assert_eq!(read(V02), Ok(expected));
}

#[test]
fn several_statements_of_a_later_version() {
    let expected = Statement {
        lines: vec![
            StatementLine {
                payee: some("Post CH"),
                bank_id: some("A1"),
                ..line(1, day(2024, 5, 1), "-4.5", "")
            },
            StatementLine {
                payee: some("Client SA"),
                ..line(2, day(2024, 5, 2), "100.00", "")
            },
        ],
        refused: vec![],
        currency: some("CHF"),
        account: some("12-3456-7"),
        opening_balance: balance(day(2024, 5, 1), "10"),
        closing_balance: balance(day(2024, 5, 2), "105.5"),
    };
    assert_eq!(read(V08), Ok(expected));
}

#[test]
fn statements_of_two_accounts_are_not_merged() {
    let mixed = V08.replacen("12-3456-7", "99-0000-1", 1);
    assert!(
        matches!(read(&mixed), Err(StatementError::Malformed { format: Format::Camt053, ref reason }) if reason.contains("different accounts")),
        "{:?}",
        read(&mixed)
    );
}

#[test]
fn unreadable_entries_are_refused() {
    let bad = V02.replacen(
        "<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>",
        "<CdtDbtInd>X</CdtDbtInd>\n        <Sts>",
        1,
    );
    let st = read(&bad).expect("readable");
    assert_eq!(
        st.refused,
        [Refused {
            row: 1,
            reason: "CdtDbtInd is Some(\"X\"), not CRDT or DBIT".into()
        }]
    );
    assert_eq!(st.lines.len(), 1);
    assert_eq!(st.lines[0].row, 2);
}

#[test]
fn malformed_files() {
    for text in [
        &V02[..V02.len() / 2],
        "<Document><BkToCstmrStmt><Stmt></BkToCstmrStmt></Document>",
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"><CstmrCdtTrfInitn/></Document>",
        "<Document><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>",
        "not xml at all",
    ] {
        assert!(
            matches!(
                read(text),
                Err(StatementError::Malformed {
                    format: Format::Camt053,
                    ..
                })
            ),
            "{text}: {:?}",
            read(text)
        );
    }
}
