//! The books as a plain-text journal that ledger-cli, hledger or beancount
//! read: one transaction per posted entry, amounts in the base currency,
//! account names made valid in each tool. Pure text; the caller reads the
//! entries and writes the result.

use std::fmt::Write;

use crate::AccountType;
use crate::money::Currency;

/// Which tool's journal to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Ledger,
    Hledger,
    Beancount,
}

impl Dialect {
    pub fn parse(s: &str) -> Option<Dialect> {
        match s {
            "ledger" => Some(Dialect::Ledger),
            "hledger" => Some(Dialect::Hledger),
            "beancount" => Some(Dialect::Beancount),
            _ => None,
        }
    }
}

/// An account as the journal names it.
#[derive(Debug, Clone)]
pub struct Account {
    pub code: String,
    pub name: String,
    pub account_type: AccountType,
}

/// The top-level name of an account type, the same in all three tools.
fn root(t: AccountType) -> &'static str {
    match t {
        AccountType::Asset => "Assets",
        AccountType::Liability => "Liabilities",
        AccountType::Equity => "Equity",
        AccountType::Income => "Income",
        AccountType::Expense => "Expenses",
    }
}

impl Account {
    /// `Assets:1200 Bank Current Account` for ledger and hledger (no colon,
    /// no double space, which would end the name); for beancount
    /// `Assets:1200-Bank-Current-Account` (letters, digits and hyphens,
    /// starting with a capital or a digit).
    pub fn journal_name(&self, dialect: Dialect) -> String {
        let text = format!("{} {}", self.code, self.name);
        let leaf = match dialect {
            Dialect::Ledger | Dialect::Hledger => text
                .replace([':', ';', '\t', '\n', '\r'], " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            Dialect::Beancount => {
                let mut s = String::new();
                for c in text.chars() {
                    if c.is_ascii_alphanumeric() {
                        s.push(c);
                    } else if !s.ends_with('-') {
                        s.push('-');
                    }
                }
                let s = s.trim_matches('-').to_owned();
                match s.chars().next() {
                    Some(c) if c.is_ascii_digit() || c.is_ascii_uppercase() => s,
                    Some(_) => format!("A{s}"),
                    None => "Account".to_owned(),
                }
            }
        };
        format!("{}:{leaf}", root(self.account_type))
    }
}

/// One posting: the account's journal name and the amount, debit positive.
#[derive(Debug, Clone)]
pub struct Posting {
    pub account: String,
    pub amount: i64,
    pub comment: Option<String>,
}

/// One transaction.
#[derive(Debug, Clone)]
pub struct Transaction {
    pub date: String,
    /// The entry's number (or its document's): the transaction code.
    pub code: Option<String>,
    pub payee: Option<String>,
    pub narration: String,
    pub postings: Vec<Posting>,
}

/// Text on one line, without the characters that end or break it.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ").trim().to_owned()
}

fn quoted(s: &str) -> String {
    format!(
        "\"{}\"",
        one_line(s).replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// The lines that open a journal: the commodity and, for beancount, each
/// account opened on `open_date`.
pub fn header(
    dialect: Dialect,
    currency: Currency,
    accounts: &[String],
    open_date: &str,
) -> String {
    let mut out = format!(
        "; Exported by Ferrobooks; amounts in {}.\n\n",
        currency.code()
    );
    match dialect {
        Dialect::Ledger | Dialect::Hledger => {
            let _ = writeln!(
                out,
                "commodity {} {}\n",
                crate::money::format_minor(
                    100_000 * 10i64.pow(currency.exponent()),
                    currency.exponent()
                )
                .replacen("100000", "100,000", 1),
                currency.code()
            );
        }
        Dialect::Beancount => {
            let _ = writeln!(
                out,
                "option \"operating_currency\" \"{}\"\n",
                currency.code()
            );
            let _ = writeln!(out, "{open_date} commodity {}", currency.code());
            for a in accounts {
                let _ = writeln!(out, "{open_date} open {a}");
            }
            out.push('\n');
        }
    }
    out
}

/// One transaction in the dialect, with a blank line after it.
pub fn transaction(dialect: Dialect, currency: Currency, t: &Transaction) -> String {
    let mut out = String::new();
    match dialect {
        Dialect::Ledger | Dialect::Hledger => {
            let _ = write!(out, "{} *", t.date);
            if let Some(c) = &t.code {
                let _ = write!(out, " ({})", one_line(c).replace(')', "]"));
            }
            let desc = match &t.payee {
                Some(p) => format!("{} | {}", one_line(p), one_line(&t.narration)),
                None => one_line(&t.narration),
            };
            let _ = writeln!(out, " {desc}");
        }
        Dialect::Beancount => {
            let _ = write!(out, "{} *", t.date);
            if let Some(p) = &t.payee {
                let _ = write!(out, " {}", quoted(p));
            }
            let _ = writeln!(out, " {}", quoted(&t.narration));
            if let Some(c) = &t.code {
                let _ = writeln!(out, "  code: {}", quoted(c));
            }
        }
    }
    for p in &t.postings {
        let _ = write!(
            out,
            "  {}  {} {}",
            p.account,
            crate::money::format_minor(p.amount, currency.exponent()),
            currency.code()
        );
        if let Some(c) = p.comment.as_deref().map(one_line).filter(|c| !c.is_empty()) {
            let _ = write!(out, "  ; {c}");
        }
        out.push('\n');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(code: &str, name: &str, t: AccountType) -> Account {
        Account {
            code: code.into(),
            name: name.into(),
            account_type: t,
        }
    }

    #[test]
    fn names_are_valid_in_each_tool() {
        let a = acc("1200", "Bank:  Current\tAccount", AccountType::Asset);
        assert_eq!(
            a.journal_name(Dialect::Hledger),
            "Assets:1200 Bank Current Account"
        );
        assert_eq!(
            a.journal_name(Dialect::Beancount),
            "Assets:1200-Bank-Current-Account"
        );
        let b = acc("x", "Ünïcode & Co", AccountType::Expense);
        assert_eq!(b.journal_name(Dialect::Beancount), "Expenses:Ax-n-code-Co");
    }

    #[test]
    fn a_transaction_in_each_dialect() {
        let usd = Currency::parse("USD").unwrap();
        let t = Transaction {
            date: "2026-01-02".into(),
            code: Some("INV-1".into()),
            payee: Some("Acme \"A\"".into()),
            narration: "Invoice\nINV-1".into(),
            postings: vec![
                Posting {
                    account: "Assets:1100 AR".into(),
                    amount: 12_345,
                    comment: None,
                },
                Posting {
                    account: "Income:4000 Sales".into(),
                    amount: -12_345,
                    comment: Some("line".into()),
                },
            ],
        };
        assert_eq!(
            transaction(Dialect::Ledger, usd, &t),
            "2026-01-02 * (INV-1) Acme \"A\" | Invoice INV-1\n  Assets:1100 AR  123.45 USD\n  Income:4000 Sales  -123.45 USD  ; line\n\n"
        );
        assert_eq!(
            transaction(Dialect::Beancount, usd, &t),
            "2026-01-02 * \"Acme \\\"A\\\"\" \"Invoice INV-1\"\n  code: \"INV-1\"\n  Assets:1100 AR  123.45 USD\n  Income:4000 Sales  -123.45 USD  ; line\n\n"
        );
    }
}
