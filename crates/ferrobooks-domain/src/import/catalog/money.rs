//! Money moved without a document of its own: payments received and made
//! (applied to invoices or bills by number), transfers between accounts,
//! and deposits into a bank account.

use super::{Entity, FieldType, Slot, Target, fields, on_header, spec};
use crate::document::Side;

/// Payment (from customers) or BillPayment (to vendors): rows sharing a
/// reference are one payment, each row applying some of it to an invoice
/// or bill; a row without one is a payment of its own.
pub(super) fn payment(name: &'static str, side: Side, b: u32) -> Entity {
    use FieldType::{CustomerRef, Date, Decimal, String as Text};
    let sale = side == Side::Sale;
    Entity {
        name,
        target: Target::Payment(side),
        fields: fields(vec![
            spec(
                b + 1,
                "PaymentRefNum",
                Slot::DocNumber,
                Text,
                false,
                Some(21),
                if sale {
                    &["Ref No", "Payment #", "Reference", "Payment Ref"]
                } else {
                    &["Ref No", "Payment #", "Check #", "Reference"]
                },
                false,
            ),
            on_header(
                b + 2,
                if sale {
                    "CustomerRef.name"
                } else {
                    "VendorRef.name"
                },
                Slot::Party,
                CustomerRef,
                true,
                Some(100),
                if sale {
                    &["Customer", "Client", "Customer Name", "Received From"]
                } else {
                    &["Vendor", "Supplier", "Vendor Name", "Payee"]
                },
            ),
            on_header(
                b + 3,
                "TxnDate",
                Slot::TxnDate,
                Date,
                false,
                None,
                &["Date", "Payment Date", "Transaction Date"],
            ),
            on_header(
                b + 4,
                "TotalAmt",
                Slot::Total,
                Decimal,
                false,
                None,
                &["Total", "Amount Received", "Amount Paid", "Payment Amount"],
            ),
            on_header(
                b + 5,
                if sale {
                    "DepositToAccountRef.name"
                } else {
                    "CheckPayment.BankAccountRef.name"
                },
                Slot::MoneyAccount,
                Text,
                false,
                Some(100),
                if sale {
                    &["Deposit To", "Deposit Account", "Bank Account"]
                } else {
                    &["Bank Account", "Payment Account", "Paid From"]
                },
            ),
            on_header(
                b + 6,
                "PaymentMethodRef.name",
                Slot::PaymentMethod,
                Text,
                false,
                Some(50),
                &["Payment Method", "Method"],
            ),
            spec(
                b + 7,
                "Line.LinkedTxn.DocNumber",
                Slot::Applied,
                Text,
                false,
                Some(21),
                if sale {
                    &["Invoice #", "Invoice No", "Invoice Number", "Applied To"]
                } else {
                    &["Bill #", "Bill No", "Bill Number", "Applied To"]
                },
                true,
            ),
            spec(
                b + 8,
                "Line.Amount",
                Slot::Amount,
                Decimal,
                false,
                None,
                &["Amount Applied", "Applied Amount", "Line Amount"],
                true,
            ),
            on_header(
                b + 9,
                "CurrencyRef.value",
                Slot::Currency,
                Text,
                false,
                Some(3),
                &["Currency", "Currency Code"],
            ),
            on_header(
                b + 10,
                "ExchangeRate",
                Slot::ExchangeRate,
                Decimal,
                false,
                None,
                &["Exchange Rate", "FX Rate"],
            ),
        ]),
    }
}

/// Transfer: one row, one transfer.
pub(super) fn transfer() -> Entity {
    use FieldType::{Date, Decimal, String as Text};
    Entity {
        name: "Transfer",
        target: Target::Transfer,
        fields: fields(vec![
            on_header(
                2101,
                "FromAccountRef.name",
                Slot::FromAccount,
                Text,
                true,
                Some(100),
                &["From Account", "Transfer From", "From"],
            ),
            on_header(
                2102,
                "ToAccountRef.name",
                Slot::ToAccount,
                Text,
                true,
                Some(100),
                &["To Account", "Transfer To", "To"],
            ),
            on_header(
                2103,
                "Amount",
                Slot::Amount,
                Decimal,
                true,
                None,
                &["Transfer Amount", "Amount Sent"],
            ),
            on_header(
                2104,
                "TxnDate",
                Slot::TxnDate,
                Date,
                false,
                None,
                &["Date", "Transfer Date", "Transaction Date"],
            ),
            on_header(
                2105,
                "PrivateNote",
                Slot::PrivateNote,
                Text,
                false,
                Some(1000),
                &["Memo", "Note", "Description"],
            ),
            on_header(
                2106,
                "ToAmount",
                Slot::ToAmount,
                Decimal,
                false,
                None,
                &["Amount Received", "To Amount"],
            ),
            on_header(
                2107,
                "ExchangeRate",
                Slot::ExchangeRate,
                Decimal,
                false,
                None,
                &["Exchange Rate", "FX Rate"],
            ),
        ]),
    }
}

/// Deposit: rows sharing a number are one deposit, each row an account
/// (and the customer or vendor) the money came from.
pub(super) fn deposit() -> Entity {
    use FieldType::{Date, Decimal, String as Text};
    Entity {
        name: "Deposit",
        target: Target::Deposit,
        fields: fields(vec![
            spec(
                2201,
                "DocNumber",
                Slot::DocNumber,
                Text,
                false,
                Some(21),
                &["Deposit #", "Deposit No", "Ref No", "Reference"],
                false,
            ),
            on_header(
                2202,
                "DepositToAccountRef.name",
                Slot::MoneyAccount,
                Text,
                true,
                Some(100),
                &["Deposit To", "Deposit Account", "Bank Account"],
            ),
            on_header(
                2203,
                "TxnDate",
                Slot::TxnDate,
                Date,
                true,
                None,
                &["Date", "Deposit Date", "Transaction Date"],
            ),
            on_header(
                2204,
                "PrivateNote",
                Slot::PrivateNote,
                Text,
                false,
                Some(500),
                &["Memo", "Deposit Memo"],
            ),
            spec(
                2205,
                "Line.DepositLineDetail.AccountRef.name",
                Slot::LineAccount,
                Text,
                true,
                Some(100),
                &[
                    "Account",
                    "From Account",
                    "Received From Account",
                    "Category",
                ],
                true,
            ),
            spec(
                2206,
                "Line.Amount",
                Slot::Amount,
                Decimal,
                true,
                None,
                &["Amount", "Line Amount"],
                true,
            ),
            spec(
                2207,
                "Line.Description",
                Slot::Description,
                Text,
                false,
                Some(500),
                &["Description", "Line Description"],
                true,
            ),
            spec(
                2208,
                "Line.DepositLineDetail.Entity.name",
                Slot::LineContact,
                Text,
                false,
                Some(100),
                &["Received From", "Customer", "Vendor", "Name"],
                true,
            ),
        ]),
    }
}
