//! The document engine: what every sales and purchase document shares,
//! with no I/O. A document is of a [`Kind`] on a [`Side`]; its life is a
//! [`Status`] moved by [`Action`]s that [`status::check`] allows or
//! refuses; its lines are priced by [`lines`]; what it posts is
//! [`posting`]'s; settling it against payments and credits, with the
//! realized exchange difference, is [`settlement`]'s. The service loads a
//! document, asks these, and saves the result in one transaction.

pub mod lines;
pub mod posting;
pub mod purchase_tax;
pub mod settlement;
pub mod status;

pub use status::{Action, Standing, Status, WrongStatus};

/// Which side of the books a document is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Receivables: income and output tax.
    Sale,
    /// Payables: cost and input tax.
    Purchase,
}

impl Side {
    /// `sale` or `purchase`, as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Sale => "sale",
            Side::Purchase => "purchase",
        }
    }

    /// The side a stored name stands for.
    pub fn parse(s: &str) -> Option<Side> {
        [Side::Sale, Side::Purchase]
            .into_iter()
            .find(|side| side.as_str() == s)
    }

    /// The system account of the side's control account: every open
    /// document of the side and every unapplied credit sits in it, with
    /// its contact.
    pub fn control_account(self) -> &'static str {
        match self {
            Side::Sale => "accounts_receivable",
            Side::Purchase => "accounts_payable",
        }
    }

    /// The document payments and credits settle: invoices on the sale
    /// side, bills on the purchase side.
    pub fn settled_kind(self) -> Kind {
        match self {
            Side::Sale => Kind::Invoice,
            Side::Purchase => Kind::Bill,
        }
    }

    /// Whether the control account is debited when the side's documents
    /// post (a receivable is an asset, a payable a liability); a payment
    /// or credit takes it the other way.
    pub fn control_debit(self) -> bool {
        self == Side::Sale
    }
}

/// Every kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Invoice,
    Estimate,
    CreditNote,
    SalesReceipt,
    RefundReceipt,
    Bill,
    VendorCredit,
    PurchaseOrder,
    Expense,
    /// Money paid out of a bank account by check: an expense paid on the
    /// spot, numbered in its own series.
    Check,
    /// A purchase on a credit card: owed to the card at once.
    CardCharge,
    /// A refund to a credit card: the mirror of a charge.
    CardCredit,
    /// Money paid out of a bank or cash account other than by check (a
    /// debit card, a direct debit, a bank transfer to a vendor).
    BankPayment,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Invoice,
        Kind::Estimate,
        Kind::CreditNote,
        Kind::SalesReceipt,
        Kind::RefundReceipt,
        Kind::Bill,
        Kind::VendorCredit,
        Kind::PurchaseOrder,
        Kind::Expense,
        Kind::Check,
        Kind::CardCharge,
        Kind::CardCredit,
        Kind::BankPayment,
    ];

    pub fn side(self) -> Side {
        match self {
            Kind::Invoice
            | Kind::Estimate
            | Kind::CreditNote
            | Kind::SalesReceipt
            | Kind::RefundReceipt => Side::Sale,
            Kind::Bill
            | Kind::VendorCredit
            | Kind::PurchaseOrder
            | Kind::Expense
            | Kind::Check
            | Kind::CardCharge
            | Kind::CardCredit
            | Kind::BankPayment => Side::Purchase,
        }
    }

    /// The name in messages (and of a 404).
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Invoice => "invoice",
            Kind::Estimate => "estimate",
            Kind::CreditNote => "credit note",
            Kind::SalesReceipt => "sales receipt",
            Kind::RefundReceipt => "refund receipt",
            Kind::Bill => "bill",
            Kind::VendorCredit => "vendor credit",
            Kind::PurchaseOrder => "purchase order",
            Kind::Expense => "expense",
            Kind::Check => "check",
            Kind::CardCharge => "credit card charge",
            Kind::CardCredit => "credit card credit",
            Kind::BankPayment => "bank payment",
        }
    }

    /// Credit notes, refund receipts, vendor credits and card credits post
    /// the mirror of their side's document.
    pub fn is_return(self) -> bool {
        matches!(
            self,
            Kind::CreditNote | Kind::RefundReceipt | Kind::VendorCredit | Kind::CardCredit
        )
    }

    /// Receipts, checks and card charges and credits are paid on the spot:
    /// they post to a bank or card account, never to the receivable or
    /// payable, and are complete as made.
    pub fn is_paid_on_the_spot(self) -> bool {
        matches!(
            self,
            Kind::SalesReceipt
                | Kind::RefundReceipt
                | Kind::Check
                | Kind::CardCharge
                | Kind::CardCredit
                | Kind::BankPayment
        )
    }

    /// Expenses, checks and card documents need not name a vendor (a
    /// coffee on the card); every other document names its contact.
    pub fn contact_optional(self) -> bool {
        matches!(
            self,
            Kind::Expense | Kind::Check | Kind::CardCharge | Kind::CardCredit | Kind::BankPayment
        )
    }

    /// Estimates and purchase orders never post.
    pub fn posts(self) -> bool {
        !matches!(self, Kind::Estimate | Kind::PurchaseOrder)
    }

    /// The status a new document starts in.
    pub fn initial(self) -> Status {
        match self {
            k if k.is_paid_on_the_spot() => Status::Completed,
            Kind::Expense => Status::Submitted,
            _ => Status::Draft,
        }
    }

    /// Every status a document of this kind can be in, in life order.
    pub fn statuses(self) -> &'static [Status] {
        use Status as S;
        match self {
            Kind::Bill => &[
                S::Draft,
                S::Approved,
                S::PartiallyPaid,
                S::Paid,
                S::Overdue,
                S::Void,
            ],
            Kind::Invoice => &[
                S::Draft,
                S::Approved,
                S::Sent,
                S::PartiallyPaid,
                S::Paid,
                S::Overdue,
                S::Void,
            ],
            Kind::Estimate => &[S::Draft, S::Sent, S::Accepted, S::Declined, S::Expired],
            Kind::CreditNote | Kind::VendorCredit => &[S::Draft, S::Open, S::Closed, S::Void],
            Kind::SalesReceipt
            | Kind::RefundReceipt
            | Kind::Check
            | Kind::CardCharge
            | Kind::CardCredit
            | Kind::BankPayment => &[S::Completed, S::Void],
            Kind::PurchaseOrder => &[
                S::Draft,
                S::Issued,
                S::PartiallyBilled,
                S::Billed,
                S::Cancelled,
            ],
            Kind::Expense => &[S::Submitted, S::Approved, S::Rejected, S::Paid, S::Void],
        }
    }
}
