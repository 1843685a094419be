//! Where a document is in its life, and the moves it may make.
//!
//! A document's status is a [`Status`]; an action a user asks for is an
//! [`Action`]; [`check`] is the only judge of whether the action may be
//! taken from the status, and refuses with a [`WrongStatus`] that says
//! which status refused it. Statuses that follow from money (an invoice
//! paid in part, a credit note used up) are not actions: [`settled`]
//! derives them from the document's [`Standing`].

use super::Kind;

/// Every status a document of any kind can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Draft,
    /// Approved and posted (invoices, bills, credit notes, vendor credits).
    Approved,
    Sent,
    PartiallyPaid,
    Paid,
    Overdue,
    Void,
    Accepted,
    Declined,
    Expired,
    /// A credit note or vendor credit with credit left.
    Open,
    /// A credit note or vendor credit used up.
    Closed,
    /// A receipt, paid on the spot.
    Completed,
    /// A purchase order sent to the vendor.
    Issued,
    PartiallyBilled,
    Billed,
    Cancelled,
    /// An expense waiting for approval.
    Submitted,
    Rejected,
}

impl Status {
    pub const ALL: &'static [Status] = &[
        Status::Draft,
        Status::Approved,
        Status::Sent,
        Status::PartiallyPaid,
        Status::Paid,
        Status::Overdue,
        Status::Void,
        Status::Accepted,
        Status::Declined,
        Status::Expired,
        Status::Open,
        Status::Closed,
        Status::Completed,
        Status::Issued,
        Status::PartiallyBilled,
        Status::Billed,
        Status::Cancelled,
        Status::Submitted,
        Status::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Approved => "approved",
            Status::Sent => "sent",
            Status::PartiallyPaid => "partially_paid",
            Status::Paid => "paid",
            Status::Overdue => "overdue",
            Status::Void => "void",
            Status::Accepted => "accepted",
            Status::Declined => "declined",
            Status::Expired => "expired",
            Status::Open => "open",
            Status::Closed => "closed",
            Status::Completed => "completed",
            Status::Issued => "issued",
            Status::PartiallyBilled => "partially_billed",
            Status::Billed => "billed",
            Status::Cancelled => "cancelled",
            Status::Submitted => "submitted",
            Status::Rejected => "rejected",
        }
    }

    /// The status a stored name stands for.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.iter().copied().find(|st| st.as_str() == s)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a user asks a document to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Edit,
    Delete,
    Approve,
    Send,
    Void,
    Accept,
    Decline,
    /// Turn an estimate into an invoice, or a purchase order into a bill.
    Convert,
    Cancel,
    Reject,
    /// Apply a payment or credit to it, or apply its credit elsewhere.
    Settle,
    /// Refund what is left of a credit in cash.
    Refund,
    /// Pay an approved expense.
    Pay,
    /// An estimate's offer lapses unanswered (the due-date job).
    Expire,
    /// Correct a posted document in place: what it posted is reversed on
    /// its own date and the corrected document posts again, same number.
    /// Only while nothing settles it (the service checks the money).
    Revise,
}

impl Action {
    /// The verb in messages ("only a draft can be approved").
    fn verb(self) -> &'static str {
        match self {
            Action::Edit => "edited",
            Action::Delete => "deleted",
            Action::Approve => "approved",
            Action::Send => "sent",
            Action::Void => "voided",
            Action::Accept => "accepted",
            Action::Decline => "declined",
            Action::Convert => "converted",
            Action::Cancel => "cancelled",
            Action::Reject => "rejected",
            Action::Settle => "settled",
            Action::Refund => "refunded",
            Action::Pay => "paid",
            Action::Expire => "expired",
            Action::Revise => "revised",
        }
    }
}

/// An action the document's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{noun} is {status}; {rule}")]
pub struct WrongStatus {
    pub noun: &'static str,
    pub status: Status,
    pub action: Action,
    /// Which statuses would have allowed it, in words.
    pub rule: String,
}

use Status as S;

/// The statuses from which `kind` may take `action`; empty when the kind
/// never takes it.
pub fn allowed_from(kind: Kind, action: Action) -> &'static [Status] {
    use Action as A;
    use Kind as K;
    match (kind, action) {
        (_, A::Edit | A::Delete) if kind.is_paid_on_the_spot() => &[],
        (K::Expense, A::Edit | A::Delete) => &[S::Submitted, S::Rejected],
        (_, A::Edit | A::Delete) => &[S::Draft],
        (K::Invoice | K::CreditNote | K::Bill | K::VendorCredit, A::Approve) => &[S::Draft],
        (K::Expense, A::Approve | A::Reject) => &[S::Submitted],
        (K::Expense, A::Pay) => &[S::Approved],
        (K::Invoice, A::Send) => &[S::Approved, S::Sent, S::PartiallyPaid, S::Paid, S::Overdue],
        (K::Estimate, A::Send) => &[S::Draft, S::Sent],
        (K::Estimate, A::Accept | A::Decline | A::Expire) => &[S::Draft, S::Sent],
        (K::Estimate, A::Convert) => &[S::Draft, S::Sent, S::Accepted],
        (K::PurchaseOrder, A::Send) => &[S::Draft, S::Issued],
        (K::PurchaseOrder, A::Convert) => &[S::Issued, S::PartiallyBilled],
        (K::PurchaseOrder, A::Cancel) => &[S::Draft, S::Issued],
        (K::Invoice, A::Settle) => &[S::Approved, S::Sent, S::PartiallyPaid, S::Overdue],
        (K::Bill, A::Settle) => &[S::Approved, S::PartiallyPaid, S::Overdue],
        (K::CreditNote | K::VendorCredit, A::Settle | A::Refund) => &[S::Open],
        (K::Invoice, A::Void) => &[S::Approved, S::Sent, S::PartiallyPaid, S::Paid, S::Overdue],
        (K::Bill, A::Void) => &[S::Approved, S::PartiallyPaid, S::Paid, S::Overdue],
        (K::CreditNote | K::VendorCredit, A::Void) => &[S::Open, S::Closed],
        (_, A::Void) if kind.is_paid_on_the_spot() => &[S::Completed],
        (K::Expense, A::Void) => &[S::Approved, S::Paid],
        (K::Invoice, A::Revise) => &[S::Approved, S::Sent, S::Overdue],
        (K::Bill, A::Revise) => &[S::Approved, S::Overdue],
        (K::CreditNote | K::VendorCredit, A::Revise) => &[S::Open],
        (_, A::Revise) if kind.is_paid_on_the_spot() => &[S::Completed],
        _ => &[],
    }
}

/// Whether `kind` in `status` may take `action`.
pub fn check(kind: Kind, status: Status, action: Action) -> Result<(), WrongStatus> {
    let from = allowed_from(kind, action);
    if from.contains(&status) {
        return Ok(());
    }
    let noun = kind.noun();
    let rule = match from {
        [] => format!("{} is never {}", a(noun), action.verb()),
        [one] => format!("only {} {noun} can be {}", article(*one), action.verb()),
        many => format!(
            "it can be {} only when {}",
            action.verb(),
            many.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(WrongStatus {
        noun,
        status,
        action,
        rule,
    })
}

/// "a draft", "an open", "an approved".
fn article(s: Status) -> String {
    a(&s.as_str().replace('_', " "))
}

/// `word` with its indefinite article: "a bill", "an estimate".
fn a(word: &str) -> String {
    let an = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if an { "an" } else { "a" })
}

/// What a posted document's status follows from: its money and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    /// What is left to pay or to use (document currency).
    pub balance: i64,
    /// Taken off by payments and by credits.
    pub settled: i64,
    /// Past its due date (flagged once by the due-date job).
    pub overdue: bool,
    pub sent: bool,
}

/// The status a document in `status` has given its standing: moves that
/// follow from money and dates, never from an action. Drafts, voids and
/// the statuses actions set (an estimate's, a purchase order's, an
/// expense's) stay as they are.
pub fn settled(kind: Kind, status: Status, st: Standing) -> Status {
    if matches!(status, S::Draft | S::Void) {
        return status;
    }
    match kind {
        Kind::Invoice | Kind::Bill => {
            if st.balance == 0 {
                S::Paid
            } else if st.settled > 0 {
                S::PartiallyPaid
            } else if st.overdue {
                S::Overdue
            } else if st.sent && kind == Kind::Invoice {
                S::Sent
            } else {
                S::Approved
            }
        }
        Kind::CreditNote | Kind::VendorCredit => {
            if st.balance == 0 {
                S::Closed
            } else {
                S::Open
            }
        }
        Kind::SalesReceipt
        | Kind::RefundReceipt
        | Kind::Check
        | Kind::CardCharge
        | Kind::CardCredit
        | Kind::BankPayment => S::Completed,
        Kind::Estimate | Kind::PurchaseOrder | Kind::Expense => status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Status::parse("nonsense"), None);
    }

    #[test]
    fn only_a_draft_is_approved_and_the_refusal_names_the_status() {
        assert!(check(Kind::Invoice, S::Draft, Action::Approve).is_ok());
        let e = check(Kind::Invoice, S::Void, Action::Approve).unwrap_err();
        assert_eq!(e.status, S::Void);
        assert_eq!(
            e.to_string(),
            "invoice is void; only a draft invoice can be approved"
        );
        let e = check(Kind::SalesReceipt, S::Completed, Action::Edit).unwrap_err();
        assert_eq!(
            e.to_string(),
            "sales receipt is completed; a sales receipt is never edited"
        );
    }

    #[test]
    fn a_paid_invoice_is_voidable_only_after_its_payments_go() {
        // The status allows the void; the money check is the service's
        // (payments must be deleted first), so the refusal there is a
        // has-applications conflict, not a status one.
        assert!(check(Kind::Invoice, S::Paid, Action::Void).is_ok());
        assert!(check(Kind::Invoice, S::Void, Action::Void).is_err());
        assert!(check(Kind::Invoice, S::Paid, Action::Settle).is_err());
    }

    #[test]
    fn expenses_are_approved_once() {
        assert!(check(Kind::Expense, S::Submitted, Action::Approve).is_ok());
        let e = check(Kind::Expense, S::Approved, Action::Approve).unwrap_err();
        assert_eq!(e.status, S::Approved);
    }

    #[test]
    fn money_decides_what_follows_approval() {
        let st = |balance, settled| Standing {
            balance,
            settled,
            ..Standing::default()
        };
        assert_eq!(settled(Kind::Bill, S::Approved, st(0, 100)), S::Paid);
        assert_eq!(
            settled(Kind::Invoice, S::Sent, st(50, 50)),
            S::PartiallyPaid
        );
        assert_eq!(
            settled(
                Kind::Invoice,
                S::Approved,
                Standing {
                    balance: 10,
                    overdue: true,
                    ..Standing::default()
                }
            ),
            S::Overdue
        );
        assert_eq!(settled(Kind::VendorCredit, S::Open, st(0, 10)), S::Closed);
        assert_eq!(settled(Kind::Invoice, S::Void, st(0, 0)), S::Void);
        assert_eq!(settled(Kind::Estimate, S::Accepted, st(0, 0)), S::Accepted);
    }

    #[test]
    fn only_a_posted_document_nothing_has_settled_is_revised() {
        assert!(check(Kind::Invoice, S::Sent, Action::Revise).is_ok());
        assert!(check(Kind::Check, S::Completed, Action::Revise).is_ok());
        let e = check(Kind::Invoice, S::PartiallyPaid, Action::Revise).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invoice is partially_paid; it can be revised only when approved, sent, overdue"
        );
        let e = check(Kind::Estimate, S::Sent, Action::Revise).unwrap_err();
        assert_eq!(
            e.to_string(),
            "estimate is sent; an estimate is never revised"
        );
        assert!(check(Kind::Invoice, S::Draft, Action::Revise).is_err());
    }

    #[test]
    fn every_status_an_action_starts_from_is_one_the_kind_has() {
        let actions = [
            Action::Edit,
            Action::Delete,
            Action::Approve,
            Action::Send,
            Action::Void,
            Action::Accept,
            Action::Decline,
            Action::Convert,
            Action::Cancel,
            Action::Reject,
            Action::Settle,
            Action::Refund,
            Action::Pay,
            Action::Expire,
            Action::Revise,
        ];
        for kind in Kind::ALL {
            assert!(kind.statuses().contains(&kind.initial()), "{kind:?}");
            for a in actions {
                for s in allowed_from(*kind, a) {
                    assert!(kind.statuses().contains(s), "{kind:?} {a:?} from {s}");
                }
            }
        }
    }
}
