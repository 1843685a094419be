//! Settling documents against payments and credits, in the base currency.
//!
//! Each allocation takes an amount (in the shared document currency) off a
//! document's balance and off a credit's (a payment's, a credit note's, a
//! vendor credit's). The credit releases the amount at its own rate; the
//! document is settled at its own rate; an allocation that takes all that
//! is left of either takes its exact base remainder, so a settled document
//! leaves nothing behind in the control account. The difference is the
//! realized exchange gain or loss (DOMAIN.md, foreign exchange).

use rust_decimal::Decimal;

use super::Side;
use super::posting::line;
use crate::tax::round_to_minor;
use crate::{Currency, DomainError, EntryLine, Minor};

/// `amount` of `doc` currency in minor units of `base` at `rate` (base
/// units per document unit), rounded half away from zero.
pub fn to_base(
    amount: Minor,
    doc: Currency,
    rate: Decimal,
    base: Currency,
) -> Result<Minor, DomainError> {
    if doc == base && rate == Decimal::ONE {
        return Ok(amount);
    }
    round_to_minor(doc.to_decimal(amount) * rate, base.exponent())
}

/// What is left of a balance, in its currency and in the base currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    pub amount: Minor,
    pub base: Minor,
    pub rate: Decimal,
}

impl Open {
    /// The base amount leaving this balance when `amount` is taken: all
    /// that is left in base when nothing is left after.
    pub fn take(&self, amount: Minor, cur: Currency, base: Currency) -> Result<Minor, DomainError> {
        if amount == self.amount {
            Ok(self.base)
        } else {
            to_base(amount, cur, self.rate, base)
        }
    }
}

/// One allocation of a credit to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    /// The amount, in the document currency.
    pub amount: Minor,
    /// Base amount released from the credit (at the credit's rate).
    pub released: Minor,
    /// Base amount taken off the document (at the document's rate).
    pub settled: Minor,
}

/// Allocates `amount` of `credit` to `document` (both in `cur`).
pub fn allocate(
    amount: Minor,
    credit: &Open,
    document: &Open,
    cur: Currency,
    base: Currency,
) -> Result<Allocation, DomainError> {
    Ok(Allocation {
        amount,
        released: credit.take(amount, cur, base)?,
        settled: document.take(amount, cur, base)?,
    })
}

impl Allocation {
    /// The lines that correct the control account by the exchange
    /// difference, against `fx` (realized gain/loss): none when the rates
    /// agree. On the sale side the credit released more receivable than
    /// the invoice held when the credit's rate was higher (Dr receivable,
    /// Cr gain); on the purchase side more payable was released than the
    /// bill held (Cr payable, Dr loss).
    pub fn fx_lines(
        &self,
        side: Side,
        control: &str,
        fx: &str,
        contact: Option<&str>,
        label: &str,
    ) -> Vec<EntryLine> {
        let diff = self.released - self.settled;
        if diff == 0 {
            return Vec::new();
        }
        let control_debit = side.control_debit();
        vec![
            line(control, diff, control_debit, contact, Some(label)),
            line(
                fx,
                diff,
                !control_debit,
                None,
                Some("Realized FX gain/loss"),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(c: &str) -> Currency {
        Currency::parse(c).unwrap()
    }

    #[test]
    fn the_last_allocation_takes_the_exact_remainder() {
        let (usd, inr) = (cur("USD"), cur("INR"));
        let rate: Decimal = "83.3333".parse().unwrap();
        // An invoice of $100.00 at 83.3333 holds 8,333.33 INR.
        let invoice = Open {
            amount: 10_000,
            base: 833_333,
            rate,
        };
        let payment = Open {
            amount: 10_000,
            base: 850_000,
            rate: "85".parse().unwrap(),
        };
        let a = allocate(3_333, &payment, &invoice, usd, inr).unwrap();
        assert_eq!((a.released, a.settled), (283_305, 277_750));
        let rest = Open {
            amount: invoice.amount - a.amount,
            base: invoice.base - a.settled,
            rate,
        };
        let p_rest = Open {
            amount: payment.amount - a.amount,
            base: payment.base - a.released,
            rate: payment.rate,
        };
        let b = allocate(6_667, &p_rest, &rest, usd, inr).unwrap();
        assert_eq!(a.settled + b.settled, invoice.base);
        assert_eq!(a.released + b.released, payment.base);
    }

    #[test]
    fn fx_lines_balance_and_take_the_right_sides() {
        let a = Allocation {
            amount: 100,
            released: 8_200,
            settled: 8_000,
        };
        let sale = a.fx_lines(Side::Sale, "ar", "fx", Some("c"), "INV-1");
        assert_eq!((sale[0].debit, sale[1].credit), (200, 200));
        let purchase = a.fx_lines(Side::Purchase, "ap", "fx", Some("v"), "BILL-1");
        assert_eq!((purchase[0].credit, purchase[1].debit), (200, 200));
        let same = Allocation {
            settled: 8_200,
            ..a
        };
        assert!(same.fx_lines(Side::Sale, "ar", "fx", None, "x").is_empty());
    }
}
