use ferrobooks_statements::{CsvMapping, Format, Refused, Statement, StatementError, parse};

use crate::{day, line, some};

fn mapping(json: &str) -> CsvMapping {
    serde_json::from_str(json).expect("test mapping")
}

fn read(csv: &str, mapping: &CsvMapping) -> Result<Statement, StatementError> {
    parse(csv.as_bytes(), Format::Csv, Some(mapping))
}

fn signed() -> CsvMapping {
    mapping(
        r#"{"date": "Date", "date_format": "%d/%m/%Y", "amount": "Amount",
            "description": "Description", "payee": "Payee", "reference": "Ref",
            "transaction_id": "Id"}"#,
    )
}

#[test]
fn signed_amount_column() {
    let csv = "\
 date ,Description,Payee,Amount,Ref,ID
05/01/2024,\"Coffee, large\",\"Cafe \"\"Bean\"\"\",\"-3,450.10\",R1,T-1
06/01/2024,Salary,ACME Ltd,\"$1,234.56\",,T-2
07/01/2024,Refund,,(12.00),,
08/01/2024,Fee,,12.5-,,T-4
09/01/2024,,,£0.999,,
";
    let st = read(csv, &signed()).expect("readable");
    assert_eq!(st.refused, []);
    assert_eq!(
        st.lines,
        [
            ferrobooks_statements::StatementLine {
                payee: some("Cafe \"Bean\""),
                reference: some("R1"),
                bank_id: some("T-1"),
                ..line(1, day(2024, 1, 5), "-3450.10", "Coffee, large")
            },
            ferrobooks_statements::StatementLine {
                payee: some("ACME Ltd"),
                bank_id: some("T-2"),
                ..line(2, day(2024, 1, 6), "1234.56", "Salary")
            },
            line(3, day(2024, 1, 7), "-12.00", "Refund"),
            ferrobooks_statements::StatementLine {
                bank_id: some("T-4"),
                ..line(4, day(2024, 1, 8), "-12.5", "Fee")
            },
            line(5, day(2024, 1, 9), "0.999", ""),
        ]
    );
    assert_eq!(
        (
            st.currency,
            st.account,
            st.opening_balance,
            st.closing_balance
        ),
        (None, None, None, None)
    );
}

#[test]
fn money_in_and_money_out_columns() {
    let m = mapping(
        r#"{"date": "Date", "date_format": "%Y-%m-%d", "money_in": "Paid in",
            "money_out": "Paid out", "description": "Details"}"#,
    );
    let csv = "Date,Details,Paid in,Paid out\r\n\
        2024-02-01,Deposit,100.00,\r\n\
        2024-02-02,Rent,,950.00\r\n\
        2024-02-03,Card,0.00,-4.20\r\n\
        2024-02-04,Both,5.00,6.00\r\n\
        ,,,\r\n\
        2024-02-05,Nothing,,\r\n\
        2024-02-06,Zero,0.00,\r\n\
        \r\n\
        \r\n";
    let st = read(csv, &m).expect("readable");
    assert_eq!(
        st.lines,
        [
            line(1, day(2024, 2, 1), "100.00", "Deposit"),
            line(2, day(2024, 2, 2), "-950.00", "Rent"),
            line(3, day(2024, 2, 3), "-4.20", "Card"),
            line(7, day(2024, 2, 6), "0.00", "Zero"),
        ]
    );
    assert_eq!(
        st.refused,
        [
            Refused {
                row: 4,
                reason: "both money in (5.00) and money out (6.00) are filled".into()
            },
            Refused {
                row: 6,
                reason: "no amount".into()
            },
        ]
    );
}

#[test]
fn decimal_comma_and_semicolons() {
    let m = mapping(
        r#"{"date": "Buchungstag", "date_format": "%d.%m.%Y", "amount": "Betrag",
            "description": "Verwendungszweck", "delimiter": ";", "decimal_comma": true}"#,
    );
    let csv = "Buchungstag;Verwendungszweck;Betrag\n\
        31.01.2024;Miete Januar;-1.234,56\n\
        01.02.2024;Erstattung;12,00 €\n\
        02.02.2024;Falsch;1,234.56\n";
    let st = read(csv, &m).expect("readable");
    assert_eq!(
        st.lines,
        [
            line(1, day(2024, 1, 31), "-1234.56", "Miete Januar"),
            line(2, day(2024, 2, 1), "12.00", "Erstattung")
        ]
    );
    assert_eq!(st.refused.len(), 1);
    assert_eq!(st.refused[0].row, 3);
}

#[test]
fn missing_column_is_named() {
    let m = mapping(
        r#"{"date": "Date", "date_format": "%Y-%m-%d", "amount": "Amount", "payee": "Payee"}"#,
    );
    assert_eq!(
        read("Date,Amount\n2024-01-01,1\n", &m),
        Err(StatementError::MissingColumn {
            name: "Payee".into()
        })
    );
    assert_eq!(
        read("Date,Value\n2024-01-01,1\n", &m),
        Err(StatementError::MissingColumn {
            name: "Amount".into()
        })
    );
}

#[test]
fn bad_rows_are_refused_and_the_rest_read() {
    let m = mapping(r#"{"date": "Date", "date_format": "%d %b %Y", "amount": "Amount"}"#);
    let csv = "Date,Amount\n05 Jan 2024,1.00\n32 Jan 2024,2.00\n07 Jan 2024,abc\n08 Jan 2024,4.00,extra\n09 Jan 2024,5.00\n";
    let st = read(csv, &m).expect("readable");
    assert_eq!(
        st.lines,
        [
            line(1, day(2024, 1, 5), "1.00", ""),
            line(5, day(2024, 1, 9), "5.00", "")
        ]
    );
    let rows: Vec<usize> = st.refused.iter().map(|r| r.row).collect();
    assert_eq!(rows, [2, 3, 4]);
    assert!(
        st.refused[0].reason.contains("32 Jan 2024"),
        "{:?}",
        st.refused[0]
    );
    assert!(st.refused[1].reason.contains("abc"), "{:?}", st.refused[1]);
    assert_eq!(st.refused[2].reason, "expected 2 fields, found 3");
}

#[test]
fn byte_order_mark_is_dropped() {
    let m = mapping(r#"{"date": "Date", "date_format": "%m/%d/%Y", "amount": "Amount"}"#);
    let st = parse(
        b"\xEF\xBB\xBFDate,Amount\n12/31/2023,-0.01\n",
        Format::Csv,
        Some(&m),
    )
    .expect("readable");
    assert_eq!(st.lines, [line(1, day(2023, 12, 31), "-0.01", "")]);
}

#[test]
fn header_only_is_an_empty_statement() {
    let st = read(
        "Date,Amount\n",
        &mapping(r#"{"date": "date", "date_format": "%Y", "amount": "amount"}"#),
    );
    assert_eq!(st, Ok(Statement::default()));
}

#[test]
fn mappings_that_cannot_work() {
    assert_eq!(
        parse(b"Date,Amount\n", Format::Csv, None),
        Err(StatementError::NoMapping)
    );
    let bad = [
        r#"{"date": "D", "date_format": "", "amount": "A"}"#,
        r#"{"date": "D", "date_format": "%Y-%m-%", "amount": "A"}"#,
        r#"{"date": "D", "date_format": "%Y"}"#,
        r#"{"date": "D", "date_format": "%Y", "amount": "A", "money_in": "I", "money_out": "O"}"#,
        r#"{"date": "D", "date_format": "%Y", "money_in": "I"}"#,
        r#"{"date": "D", "date_format": "%Y", "amount": "A", "delimiter": "é"}"#,
    ];
    for json in bad {
        let result = read("D,A,I,O\n", &mapping(json));
        assert!(
            matches!(result, Err(StatementError::BadMapping { .. })),
            "{json}: {result:?}"
        );
    }
    let unknown =
        serde_json::from_str::<CsvMapping>(r#"{"date": "D", "date_format": "%Y", "amout": "A"}"#);
    assert!(unknown.is_err(), "a misspelt key must not be ignored");
}
