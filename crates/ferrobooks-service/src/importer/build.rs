//! From a file's rows to entities: which column (or fixed value) fills
//! each field, rows grouped by their document number, and each group
//! read into a draft of the entity with every cell checked (dates in the
//! organization's format, numbers in the one decimal grammar, lengths).
//! Names (customer, item, account, tax) stay names here; the run
//! resolves them in the books.

use std::collections::HashMap;

use chrono::NaiveDate;
use ferrobooks_domain::import::{Entity, Field, FieldType, Slot, Target, values};
use rust_decimal::Decimal;

use super::file::{Cell, Sheet};
use super::mappings::MappingField;

/// Where a field's value comes from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Column(usize),
    Fixed(String),
}

/// The mapped fields of an entity, each with its source.
pub(crate) type Columns = Vec<(&'static Field, Source)>;

/// The mapped fields with their columns in `sheet` (a mapped column the
/// file lacks was refused at upload; it reads as empty here).
pub(crate) fn columns(sheet: &Sheet, entity: &'static Entity, fields: &[MappingField]) -> Columns {
    fields
        .iter()
        .filter_map(|m| {
            let f = entity.field(m.field_id)?;
            let src = match (&m.source, &m.fixed) {
                (Some(s), _) => Source::Column(sheet.column(s).unwrap_or(usize::MAX)),
                (None, Some(v)) => Source::Fixed(v.clone()),
                (None, None) => return None,
            };
            Some((f, src))
        })
        .collect()
}

fn cell<'a>(row: &'a [Cell], src: &'a Source) -> std::borrow::Cow<'a, Cell> {
    match src {
        Source::Column(i) => std::borrow::Cow::Borrowed(row.get(*i).unwrap_or(&Cell::Empty)),
        Source::Fixed(v) => std::borrow::Cow::Owned(if v.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(v.clone())
        }),
    }
}

/// The data rows of each entity, in the order entities first appear:
/// rows sharing the grouping fields' values are one; a row without a
/// value there is one of its own.
pub(crate) fn groups(sheet: &Sheet, cols: &Columns) -> Vec<Vec<usize>> {
    let keys: Vec<&Source> = cols
        .iter()
        .filter(|(f, _)| f.grouping)
        .map(|(_, s)| s)
        .collect();
    let mut index: HashMap<Vec<String>, usize> = HashMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, row) in sheet.rows.iter().enumerate() {
        let key: Vec<String> = keys.iter().map(|s| cell(row, s).text()).collect();
        if keys.is_empty() || key.iter().all(String::is_empty) {
            out.push(vec![i]);
            continue;
        }
        match index.get(&key) {
            Some(&g) => out[g].push(i),
            None => {
                index.insert(key, out.len());
                out.push(vec![i]);
            }
        }
    }
    out
}

/// A problem with a row: its number in the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RowError {
    pub row: i64,
    pub text: String,
}

/// One line of a document, names unresolved.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineDraft {
    pub row: i64,
    pub item: Option<String>,
    pub account: Option<String>,
    pub description: Option<String>,
    pub qty: Option<Decimal>,
    pub unit_price: Option<String>,
    pub amount: Option<String>,
    pub discount: Option<String>,
    pub tax: Option<String>,
}

/// A document read from its rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocDraft {
    pub number: Option<String>,
    pub party: String,
    pub date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    pub memo: Option<String>,
    pub private_note: Option<String>,
    pub currency: Option<String>,
    pub exchange_rate: Option<String>,
    pub credited: Option<String>,
    /// The bank, cash or card account it was paid into or from.
    pub money_account: Option<String>,
    /// A bank transaction's SPEND or RECEIVE.
    pub txn_type: Option<String>,
    pub lines: Vec<LineDraft>,
}

/// A customer or vendor read from its row.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContactDraft {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub currency: Option<String>,
    pub tax_id: Option<String>,
    pub payment_terms: Option<i64>,
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

/// A product or service read from its row.
#[derive(Debug, Clone, Default)]
pub(crate) struct ItemDraft {
    pub name: String,
    pub item_type: Option<String>,
    pub price: Option<String>,
    pub description: Option<String>,
    pub sku: Option<String>,
    pub income_account: Option<String>,
    pub tax: Option<String>,
}

/// One line of a journal entry: a debit or a credit, as decimal text.
#[derive(Debug, Clone, Default)]
pub(crate) struct JournalLineDraft {
    pub row: i64,
    pub account: String,
    pub debit: Option<String>,
    pub credit: Option<String>,
    pub description: Option<String>,
    pub contact: Option<String>,
}

/// A journal entry read from its rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct JournalDraft {
    pub number: String,
    pub date: Option<NaiveDate>,
    pub memo: Option<String>,
    pub lines: Vec<JournalLineDraft>,
}

/// An account of the chart read from its row.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountDraft {
    pub name: String,
    pub code: String,
    pub account_type: String,
    pub subtype: Option<String>,
    pub description: Option<String>,
    pub currency: Option<String>,
    pub parent: Option<String>,
}

/// One row of a payment: what it settles of an invoice or bill.
#[derive(Debug, Clone, Default)]
pub(crate) struct ApplicationDraft {
    pub row: i64,
    /// The invoice's or bill's number.
    pub document: String,
    /// Default: what is open of the document, up to what is left.
    pub amount: Option<Decimal>,
}

/// A payment read from its rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct PaymentDraft {
    pub reference: Option<String>,
    pub party: String,
    pub date: Option<NaiveDate>,
    /// Default: the sum of the applications' amounts.
    pub total: Option<Decimal>,
    pub account: Option<String>,
    pub method: Option<String>,
    pub currency: Option<String>,
    pub exchange_rate: Option<String>,
    pub applications: Vec<ApplicationDraft>,
}

/// A transfer read from its row.
#[derive(Debug, Clone, Default)]
pub(crate) struct TransferDraft {
    pub from: String,
    pub to: String,
    pub amount: String,
    pub to_amount: Option<String>,
    pub exchange_rate: Option<String>,
    pub date: Option<NaiveDate>,
    pub memo: Option<String>,
}

/// A deposit read from its rows: the bank account and what each line
/// brought in from which account.
#[derive(Debug, Clone, Default)]
pub(crate) struct DepositDraft {
    pub number: Option<String>,
    pub account: String,
    pub date: Option<NaiveDate>,
    pub memo: Option<String>,
    /// Each line's account, amount (more than zero) and so on, as a
    /// journal line's credit.
    pub lines: Vec<JournalLineDraft>,
}

#[derive(Debug, Clone)]
pub(crate) enum Draft {
    Document(DocDraft),
    Contact(ContactDraft),
    Item(ItemDraft),
    Journal(JournalDraft),
    Account(AccountDraft),
    Payment(PaymentDraft),
    Transfer(TransferDraft),
    Deposit(DepositDraft),
}

/// A cell read as its field's type.
#[derive(Debug, Clone)]
enum Value {
    Text(String),
    Date(NaiveDate),
    /// Decimal text in the books' grammar.
    Decimal(String),
    Integer(i64),
}

fn read_value(field: &Field, c: &Cell, date_format: &str) -> Result<Option<Value>, String> {
    if c.is_empty() {
        return Ok(None);
    }
    let text = c.text();
    match field.field_type {
        FieldType::Date => match c {
            Cell::Date(d) => Ok(Some(Value::Date(*d))),
            _ => values::parse_date(&text, date_format)
                .filter(|d| ferrobooks_domain::calendar::in_range("date", *d).is_ok())
                .map(|d| Some(Value::Date(d)))
                .ok_or_else(|| {
                    let p = values::importer_pattern(date_format);
                    let formats = if p == "yyyy-MM-dd" {
                        p.to_owned()
                    } else {
                        format!("{p} or yyyy-MM-dd")
                    };
                    format!("{} '{text}' is not a date ({formats})", field.title)
                }),
        },
        FieldType::Decimal => {
            let t = values::decimal_text(&text);
            ferrobooks_domain::money::parse_decimal(&t, field.title)
                .map(|_| Some(Value::Decimal(t)))
                .map_err(|_| format!("{} '{text}' is not a number", field.title))
        }
        FieldType::Integer => text
            .parse::<i64>()
            .map(|n| Some(Value::Integer(n)))
            .map_err(|_| format!("{} '{text}' is not a whole number", field.title)),
        FieldType::Boolean => values::parse_bool(&text)
            .map(|b| Some(Value::Text(b.to_string())))
            .ok_or_else(|| format!("{} '{text}' is not yes or no", field.title)),
        FieldType::String | FieldType::CustomerRef => {
            if let Some(max) = field.max_size
                && text.chars().count() > max as usize
            {
                return Err(format!(
                    "{} '{text}' is longer than {max} characters",
                    field.title
                ));
            }
            Ok(Some(Value::Text(text)))
        }
    }
}

/// A row's values by slot.
type RowValues = HashMap<Slot, Value>;

fn row_values(
    row: &[Cell],
    n: i64,
    cols: &Columns,
    date_format: &str,
) -> Result<RowValues, RowError> {
    let mut out = HashMap::new();
    for (f, src) in cols {
        match read_value(f, &cell(row, src), date_format) {
            Ok(Some(v)) => {
                out.insert(f.slot, v);
            }
            Ok(None) => {}
            Err(text) => return Err(RowError { row: n, text }),
        }
    }
    Ok(out)
}

fn text(v: &RowValues, s: Slot) -> Option<String> {
    match v.get(&s) {
        Some(Value::Text(t) | Value::Decimal(t)) => Some(t.clone()),
        Some(Value::Integer(n)) => Some(n.to_string()),
        Some(Value::Date(d)) => Some(d.to_string()),
        None => None,
    }
}

fn date(v: &RowValues, s: Slot) -> Option<NaiveDate> {
    match v.get(&s) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    }
}

/// Reads the rows of one entity into its draft; the first problem found
/// (with its row) when it cannot be.
pub(crate) fn read_group(
    sheet: &Sheet,
    cols: &Columns,
    rows: &[usize],
    entity: &Entity,
    date_format: &str,
) -> Result<Draft, RowError> {
    let numbered: Vec<(i64, RowValues)> = rows
        .iter()
        .map(|&i| {
            let n = Sheet::row_number(i);
            row_values(&sheet.rows[i], n, cols, date_format).map(|v| (n, v))
        })
        .collect::<Result<_, _>>()?;
    let (first_n, first) = &numbered[0];
    for f in entity.fields.iter().filter(|f| f.required && !f.per_line) {
        if !first.contains_key(&f.slot) {
            return Err(RowError {
                row: *first_n,
                text: format!("{} is required and the row has none", f.title),
            });
        }
    }
    // Header fields are the document's: a later row may repeat them or
    // leave them empty, not say something else.
    for (n, v) in &numbered[1..] {
        for f in entity.fields.iter().filter(|f| !f.per_line) {
            if let (Some(a), Some(b)) = (text(first, f.slot), text(v, f.slot))
                && a != b
            {
                return Err(RowError {
                    row: *n,
                    text: format!(
                        "{} '{b}' differs from '{a}' on row {first_n} of the same document",
                        f.title
                    ),
                });
            }
        }
    }
    match entity.target {
        Target::Item => Ok(Draft::Item(ItemDraft {
            name: text(first, Slot::Name).unwrap_or_default(),
            item_type: text(first, Slot::ItemType),
            price: text(first, Slot::UnitPrice),
            description: text(first, Slot::Description),
            sku: text(first, Slot::Sku),
            income_account: text(first, Slot::IncomeAccount),
            tax: text(first, Slot::Tax),
        })),
        Target::Customer | Target::Vendor => Ok(Draft::Contact(ContactDraft {
            name: text(first, Slot::Name).unwrap_or_default(),
            email: text(first, Slot::Email),
            phone: text(first, Slot::Phone),
            currency: text(first, Slot::Currency),
            tax_id: text(first, Slot::TaxId),
            payment_terms: match first.get(&Slot::PaymentTerms) {
                Some(Value::Integer(n)) => Some(*n),
                _ => None,
            },
            line1: text(first, Slot::AddressLine1),
            line2: text(first, Slot::AddressLine2),
            city: text(first, Slot::City),
            state: text(first, Slot::State),
            postal_code: text(first, Slot::PostalCode),
            country: text(first, Slot::Country),
        })),
        Target::Account => Ok(Draft::Account(AccountDraft {
            name: text(first, Slot::Name).unwrap_or_default(),
            code: text(first, Slot::AccountNumber).unwrap_or_default(),
            account_type: text(first, Slot::AccountType).unwrap_or_default(),
            subtype: text(first, Slot::AccountSubType),
            description: text(first, Slot::Description),
            currency: text(first, Slot::Currency).map(|c| c.to_ascii_uppercase()),
            parent: text(first, Slot::Parent),
        })),
        Target::JournalEntry => {
            let mut lines = Vec::new();
            for (n, v) in &numbered {
                line_required(entity, *n, v)?;
                let (debit, credit) = journal_side(v).map_err(|text| RowError { row: *n, text })?;
                lines.push(JournalLineDraft {
                    row: *n,
                    account: text(v, Slot::LineAccount).unwrap_or_default(),
                    debit,
                    credit,
                    description: text(v, Slot::Description),
                    contact: text(v, Slot::LineContact),
                });
            }
            Ok(Draft::Journal(JournalDraft {
                number: text(first, Slot::DocNumber).unwrap_or_default(),
                date: date(first, Slot::TxnDate),
                memo: text(first, Slot::PrivateNote),
                lines,
            }))
        }
        Target::Payment(_) => {
            let mut applications = Vec::new();
            for (n, v) in &numbered {
                let amount = positive(v, Slot::Amount, "Line.Amount", *n)?;
                match text(v, Slot::Applied) {
                    Some(document) => applications.push(ApplicationDraft {
                        row: *n,
                        document,
                        amount,
                    }),
                    None if amount.is_some() => {
                        return Err(RowError {
                            row: *n,
                            text: "Line.Amount is given but Line.LinkedTxn.DocNumber names no document to apply it to".into(),
                        });
                    }
                    None => {}
                }
            }
            Ok(Draft::Payment(PaymentDraft {
                reference: text(first, Slot::DocNumber),
                party: text(first, Slot::Party).unwrap_or_default(),
                date: date(first, Slot::TxnDate),
                total: positive(first, Slot::Total, "TotalAmt", *first_n)?,
                account: text(first, Slot::MoneyAccount),
                method: text(first, Slot::PaymentMethod),
                currency: text(first, Slot::Currency).map(|c| c.to_ascii_uppercase()),
                exchange_rate: text(first, Slot::ExchangeRate),
                applications,
            }))
        }
        Target::Transfer => Ok(Draft::Transfer(TransferDraft {
            from: text(first, Slot::FromAccount).unwrap_or_default(),
            to: text(first, Slot::ToAccount).unwrap_or_default(),
            amount: text(first, Slot::Amount).unwrap_or_default(),
            to_amount: text(first, Slot::ToAmount),
            exchange_rate: text(first, Slot::ExchangeRate),
            date: date(first, Slot::TxnDate),
            memo: text(first, Slot::PrivateNote),
        })),
        Target::Deposit => {
            let mut lines = Vec::new();
            for (n, v) in &numbered {
                line_required(entity, *n, v)?;
                let amount = positive(v, Slot::Amount, "Line.Amount", *n)?;
                lines.push(JournalLineDraft {
                    row: *n,
                    account: text(v, Slot::LineAccount).unwrap_or_default(),
                    debit: None,
                    credit: amount.map(|a| a.to_string()),
                    description: text(v, Slot::Description),
                    contact: text(v, Slot::LineContact),
                });
            }
            Ok(Draft::Deposit(DepositDraft {
                number: text(first, Slot::DocNumber),
                account: text(first, Slot::MoneyAccount).unwrap_or_default(),
                date: date(first, Slot::TxnDate),
                memo: text(first, Slot::PrivateNote),
                lines,
            }))
        }
        Target::Document(_) | Target::BankTransaction => {
            let mut lines = Vec::new();
            for (n, v) in &numbered {
                line_required(entity, *n, v)?;
                let qty = positive(v, Slot::Qty, "Line.Qty", *n)?;
                lines.push(LineDraft {
                    row: *n,
                    item: text(v, Slot::Item),
                    account: text(v, Slot::LineAccount),
                    description: text(v, Slot::Description),
                    qty,
                    unit_price: text(v, Slot::UnitPrice),
                    amount: text(v, Slot::Amount),
                    discount: text(v, Slot::Discount),
                    tax: text(v, Slot::Tax),
                });
            }
            Ok(Draft::Document(DocDraft {
                number: text(first, Slot::DocNumber),
                party: text(first, Slot::Party).unwrap_or_default(),
                date: date(first, Slot::TxnDate),
                due_date: date(first, Slot::DueDate),
                expiry_date: date(first, Slot::ExpiryDate),
                memo: text(first, Slot::Memo),
                private_note: text(first, Slot::PrivateNote),
                currency: text(first, Slot::Currency).map(|c| c.to_ascii_uppercase()),
                exchange_rate: text(first, Slot::ExchangeRate),
                credited: text(first, Slot::Credited),
                money_account: text(first, Slot::MoneyAccount),
                txn_type: text(first, Slot::TxnType),
                lines,
            }))
        }
    }
}

/// An amount that must be more than zero, when given.
fn positive(v: &RowValues, s: Slot, title: &str, row: i64) -> Result<Option<Decimal>, RowError> {
    text(v, s)
        .map(|t| {
            ferrobooks_domain::money::parse_decimal(&t, title)
                .ok()
                .filter(|d| d.is_sign_positive() && !d.is_zero())
                .ok_or_else(|| RowError {
                    row,
                    text: format!("{title} '{t}' must be more than zero"),
                })
        })
        .transpose()
}

/// The row's values for every required line field, or which is missing.
fn line_required(entity: &Entity, n: i64, v: &RowValues) -> Result<(), RowError> {
    for f in entity.fields.iter().filter(|f| f.required && f.per_line) {
        if !v.contains_key(&f.slot) {
            return Err(RowError {
                row: n,
                text: format!("{} is required and the row has none", f.title),
            });
        }
    }
    Ok(())
}

/// A journal line's debit or credit: from the Debit and Credit columns
/// (one of them, more than zero; the other empty or zero), else from the
/// Amount and its posting type.
fn journal_side(v: &RowValues) -> Result<(Option<String>, Option<String>), String> {
    let amount = |s: Slot| -> Result<Option<Decimal>, String> {
        text(v, s)
            .map(|t| {
                ferrobooks_domain::money::parse_decimal(&t, "amount")
                    .map_err(|_| format!("'{t}' is not a number"))
            })
            .transpose()
    };
    let given = |d: Option<Decimal>| d.filter(|d| !d.is_zero());
    match (given(amount(Slot::Debit)?), given(amount(Slot::Credit)?)) {
        (Some(_), Some(_)) => {
            Err("Line.Debit and Line.Credit are both given: a line is one or the other".into())
        }
        (Some(d), None) | (None, Some(d)) if d.is_sign_negative() => Err(format!(
            "{d} is negative: a line's debit or credit is more than zero"
        )),
        (Some(d), None) => Ok((Some(d.to_string()), None)),
        (None, Some(c)) => Ok((None, Some(c.to_string()))),
        (None, None) => {
            let Some(a) = given(amount(Slot::Amount)?) else {
                return Err(
                    "the line has no Line.Debit, Line.Credit or Line.Amount above zero".into(),
                );
            };
            if a.is_sign_negative() {
                return Err(format!(
                    "Line.Amount {a} is negative: give it as a positive debit or credit"
                ));
            }
            match text(v, Slot::PostingType)
                .map(|t| t.trim().to_ascii_lowercase())
                .as_deref()
            {
                Some("debit" | "dr") => Ok((Some(a.to_string()), None)),
                Some("credit" | "cr") => Ok((None, Some(a.to_string()))),
                Some(other) => Err(format!(
                    "Line.JournalEntryLineDetail.PostingType '{other}' is not Debit or Credit"
                )),
                None => Err(
                    "Line.Amount needs Line.JournalEntryLineDetail.PostingType (Debit or Credit)"
                        .into(),
                ),
            }
        }
    }
}

/// A line's quantity and unit price from what the row gives: the unit
/// price as given (the amount, when also given, must be quantity x
/// price), else the amount over the quantity, which must come out exact
/// to four places.
pub(crate) fn price_of(l: &LineDraft) -> Result<(Decimal, String), String> {
    let qty = l.qty.unwrap_or(Decimal::ONE);
    let parse =
        |t: &str, f: &str| ferrobooks_domain::money::parse_decimal(t, f).map_err(|e| e.to_string());
    match (&l.unit_price, &l.amount) {
        (Some(p), amount) => {
            if let Some(a) = amount {
                let (pd, ad) = (parse(p, "Line.UnitPrice")?, parse(a, "Line.Amount")?);
                let product = (pd * qty).round_dp(2);
                if product != ad.round_dp(2) {
                    return Err(format!(
                        "Line.Amount {a} is not Line.Qty x Line.UnitPrice ({qty} x {p} = {product})"
                    ));
                }
            }
            Ok((qty, p.clone()))
        }
        (None, Some(a)) => {
            if qty == Decimal::ONE {
                return Ok((qty, a.clone()));
            }
            let ad = parse(a, "Line.Amount")?;
            let price = ad / qty;
            if price.normalize().scale() > 4 || price * qty != ad {
                return Err(format!(
                    "Line.Amount {a} over Line.Qty {qty} is not an exact unit price: map Line.UnitPrice"
                ));
            }
            Ok((qty, price.normalize().to_string()))
        }
        (None, None) => Err("Line.Amount is required and the row has none".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::importer::file::read;
    use ferrobooks_domain::import::entity;

    fn mapping(pairs: &[(&str, u32)]) -> Vec<MappingField> {
        pairs
            .iter()
            .map(|(s, id)| MappingField {
                source: Some((*s).into()),
                field_id: *id,
                fixed: None,
            })
            .collect()
    }

    const SAMPLE: &[u8] = b"Invoice #,Customer,Date,Item,Amount,Memo\n\
1001,Acme Corp,2026-03-01,Consulting,1500.00,Q1 services\n\
1001,Acme Corp,2026-03-01,Travel,350.00,Client site visit\n\
1002,Beta Inc,2026-03-05,Consulting,2000.00,March retainer\n\
1003,Gamma LLC,2026-03-10,Software License,899.99,Annual renewal\n";

    #[test]
    fn the_reference_sample_makes_three_invoices() {
        let sheet = read(SAMPLE, None).unwrap();
        let inv = entity("Invoice").unwrap();
        let m = mapping(&[
            ("Invoice #", 231),
            ("Customer", 176),
            ("Date", 179),
            ("Item", 232),
            ("Amount", 237),
        ]);
        let cols = columns(&sheet, inv, &m);
        let g = groups(&sheet, &cols);
        assert_eq!(g, [vec![0, 1], vec![2], vec![3]]);
        let Draft::Document(d) = read_group(&sheet, &cols, &g[0], inv, "MM/DD/YYYY").unwrap()
        else {
            panic!("a document")
        };
        assert_eq!(d.number.as_deref(), Some("1001"));
        assert_eq!(d.lines.len(), 2);
        assert_eq!(d.lines[1].amount.as_deref(), Some("350.00"));
        assert_eq!(d.lines[1].row, 3);
    }

    #[test]
    fn bad_cells_name_their_row_and_field() {
        let sheet = read(
            b"No,Customer,Date,Item,Amount\n7,A,31/31/2026,X,1\n8,A,2026-01-01,X,abc\n9,,2026-01-01,X,1\n10,A,2026-01-01,X,1\n10,B,2026-01-01,X,1\n",
            None,
        )
        .unwrap();
        let inv = entity("Invoice").unwrap();
        let m = mapping(&[
            ("No", 231),
            ("Customer", 176),
            ("Date", 179),
            ("Item", 232),
            ("Amount", 237),
        ]);
        let cols = columns(&sheet, inv, &m);
        let g = groups(&sheet, &cols);
        let err = |i: usize| read_group(&sheet, &cols, &g[i], inv, "DD/MM/YYYY").unwrap_err();
        assert_eq!(
            err(0),
            RowError {
                row: 2,
                text: "TxnDate '31/31/2026' is not a date (dd/MM/yyyy or yyyy-MM-dd)".into()
            }
        );
        assert_eq!(err(1).text, "Line.Amount 'abc' is not a number");
        assert_eq!(
            err(2).text,
            "CustomerRef.name is required and the row has none"
        );
        assert_eq!(
            err(3),
            RowError {
                row: 6,
                text: "CustomerRef.name 'B' differs from 'A' on row 5 of the same document".into()
            }
        );
    }

    #[test]
    fn prices_from_amounts_and_quantities() {
        let l = |qty: Option<&str>, price: Option<&str>, amount: Option<&str>| LineDraft {
            qty: qty.map(|q| q.parse().unwrap()),
            unit_price: price.map(String::from),
            amount: amount.map(String::from),
            ..LineDraft::default()
        };
        assert_eq!(
            price_of(&l(None, None, Some("1500.00"))).unwrap().1,
            "1500.00"
        );
        assert_eq!(
            price_of(&l(Some("4"), None, Some("10.00"))).unwrap().1,
            "2.5"
        );
        assert!(price_of(&l(Some("3"), None, Some("10.00"))).is_err());
        assert_eq!(
            price_of(&l(Some("3"), Some("3.33"), Some("9.99")))
                .unwrap()
                .1,
            "3.33"
        );
        assert!(price_of(&l(Some("3"), Some("3.33"), Some("10.00"))).is_err());
    }
}
