use ferrobooks_statements::{Format, Refused, Statement, StatementError, StatementLine, parse};

use crate::{balance, day, line, some};

/// Two messages in SWIFT envelopes, across a year end.
const TWO_MESSAGES: &str = "\
{1:F01BANKDEFFAXXX0000000000}{2:O9401200240102BANKDEFFAXXX00000000002401021200N}{3:{108:STMT}}{4:
:20:STMT-2023-12-31
:25:DE89370400440532013000
:28C:00001/001
:60F:C231231EUR1000,00
:61:2312310102D25,50NTRFNONREF//BK0001
:86:Card payment
 at Cafe Central
 Vienna
:61:231231RD5,00NCHGREF-77//BK0002
/OCMT/EUR5,00/
:61:231231RC1,25NMSCCUST-9
:86:Reversal of interest
:62F:C231231EUR978,25
-}
{1:F01BANKDEFFAXXX0000000000}{2:O9401200240102BANKDEFFAXXX00000000002401021200N}{4:
:20:STMT-2024-01-02
:25:DE89370400440532013000
:28C:00002/001
:60F:C231231EUR978,25
:61:240102CR1234,NTRFINV-2024-001//BK0003
:86:166?00GUTSCHRIFT?109310?20EREF+INV-2024-001?21SVWZ+Invoice 2024-001 th
?22anks?32ACME SOFTWARE ENGINEERING G?33MBH
:62F:C240102EUR2212,25
-}{5:{CHK:123456789ABC}}
";

fn read(text: &str) -> Result<Statement, StatementError> {
    parse(text.as_bytes(), Format::Mt940, None)
}

#[test]
fn two_messages_across_the_year_end() {
    let expected = Statement {
        lines: vec![
            StatementLine {
                bank_id: some("BK0001"),
                ..line(
                    1,
                    day(2024, 1, 2),
                    "-25.50",
                    "Card payment at Cafe Central Vienna",
                )
            },
            StatementLine {
                reference: some("REF-77"),
                bank_id: some("BK0002"),
                ..line(2, day(2023, 12, 31), "5.00", "/OCMT/EUR5,00/")
            },
            StatementLine {
                reference: some("CUST-9"),
                ..line(3, day(2023, 12, 31), "-1.25", "Reversal of interest")
            },
            StatementLine {
                payee: some("ACME SOFTWARE ENGINEERING GMBH"),
                reference: some("INV-2024-001"),
                bank_id: some("BK0003"),
                ..line(
                    4,
                    day(2024, 1, 2),
                    "1234",
                    "EREF+INV-2024-001 SVWZ+Invoice 2024-001 thanks",
                )
            },
        ],
        refused: vec![],
        currency: some("EUR"),
        account: some("DE89370400440532013000"),
        opening_balance: balance(day(2023, 12, 31), "1000.00"),
        closing_balance: balance(day(2024, 1, 2), "2212.25"),
    };
    assert_eq!(read(TWO_MESSAGES), Ok(expected));
}

#[test]
fn bare_message_with_crlf_and_intermediate_balances() {
    let text = ":20:940\r\n:25:12345678/0001234567\r\n:28C:7/2\r\n:60M:D991230USD0,5\r\n\
        :61:9912301230DD100,NCHK1042\r\n:86:Cheque 1042\r\n\
        :61:991230C,75NTRF\r\n\
        :62M:D991230USD99,75\r\n-\r\n";
    let expected = Statement {
        lines: vec![
            StatementLine {
                reference: some("1042"),
                ..line(1, day(1999, 12, 30), "-100", "Cheque 1042")
            },
            line(2, day(1999, 12, 30), "0.75", ""),
        ],
        refused: vec![],
        currency: some("USD"),
        account: some("12345678/0001234567"),
        opening_balance: balance(day(1999, 12, 30), "-0.5"),
        closing_balance: balance(day(1999, 12, 30), "-99.75"),
    };
    assert_eq!(read(text), Ok(expected));
}

#[test]
fn unreadable_statement_lines_are_refused() {
    let text = ":20:X\n:25:ACC\n:60F:C240101EUR0,\n\
        :61:240101C1,00NTRFA\n\
        :61:240231C1,00NTRFB\n\
        :61:240102X1,00NTRFC\n:86:the information of a refused line is dropped\n\
        :61:240103D2,00NTRFD\n:62F:D240103EUR1,00\n";
    let st = read(text).expect("readable");
    assert_eq!(
        st.lines,
        [
            StatementLine {
                reference: some("A"),
                ..line(1, day(2024, 1, 1), "1.00", "")
            },
            StatementLine {
                reference: some("D"),
                ..line(4, day(2024, 1, 3), "-2.00", "")
            },
        ]
    );
    assert_eq!(
        st.refused,
        [
            Refused {
                row: 2,
                reason: "impossible value date".into()
            },
            Refused {
                row: 3,
                reason: "unreadable :61: line \"240102X1,00NTRFC\"".into()
            },
        ]
    );
}

#[test]
fn not_an_mt940_message() {
    for text in ["just text\n", ":21:X\n:61:240101C1,00NTRF\n", "%PDF-1.4\n"] {
        assert!(
            matches!(
                read(text),
                Err(StatementError::Malformed {
                    format: Format::Mt940,
                    ..
                })
            ),
            "{text:?}: {:?}",
            read(text)
        );
    }
    let two_accounts = TWO_MESSAGES.replacen(
        ":25:DE89370400440532013000",
        ":25:DE00000000000000000000",
        1,
    );
    assert!(matches!(
        read(&two_accounts),
        Err(StatementError::Malformed { .. })
    ));
}
