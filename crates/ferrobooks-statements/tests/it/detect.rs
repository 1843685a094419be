use ferrobooks_statements::{Format, detect};

#[test]
fn each_format_is_recognised() {
    let cases: [(&str, &[u8], Option<Format>); 12] = [
        ("OFX 1 header", b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX>\n</OFX>", Some(Format::Ofx)),
        ("OFX 1 with BOM and blanks", b"\xEF\xBB\xBF\r\n OFXHEADER:100\r\n", Some(Format::Ofx)),
        ("OFX without header", b"<ofx><BANKMSGSRSV1>", Some(Format::Ofx)),
        (
            "OFX 2",
            b"<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n<OFX></OFX>",
            Some(Format::Ofx),
        ),
        (
            "CAMT namespace",
            b"<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">",
            Some(Format::Camt053),
        ),
        ("CAMT prefixed, no namespace seen", b"<ns2:Document><ns2:BkToCstmrStmt>", Some(Format::Camt053)),
        ("MT940 enveloped", b"{1:F01X}{2:O940}{4:\r\n:20:REF\r\n:25:ACC\r\n:61:240101C1,NTRF\r\n-}", Some(Format::Mt940)),
        ("MT940 without lines", b":20:REF\n:25:ACC\n:60F:C240101EUR1,\n:62F:C240101EUR1,\n", Some(Format::Mt940)),
        ("CSV", b"Date,Amount,Description\n2024-01-01,12.00,:20: off\n", None),
        ("PDF", b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", None),
        ("other XML", b"<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\">", None),
        ("random bytes", &[0x00, 0xFF, 0x13, 0x37, 0x80, 0x3A, 0x32, 0x30, 0x3A, 0x9C], None),
    ];
    for (what, bytes, want) in cases {
        assert_eq!(detect(bytes), want, "{what}");
    }
    assert_eq!(detect(b""), None);
}
