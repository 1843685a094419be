//! Foreign-currency balances valued in the base currency: what money
//! leaving an account kept in another currency is worth in base, and what
//! a revaluation at a closing rate moves.

use rust_decimal::Decimal;

use crate::document::settlement::to_base;
use crate::{Currency, DomainError, Minor};

/// The base value of `amount` taken out of a balance of `held` (the
/// account's currency) carried at `held_base` (base): its share of the
/// carried value, rounded half away from zero, and all of it when all is
/// taken, so nothing is left behind in base. `None` when the balance does
/// not hold `amount` (nothing carried to take it from).
pub fn carried_value(amount: Minor, held: Minor, held_base: Minor) -> Option<Minor> {
    if amount <= 0 || held <= 0 || amount > held {
        return None;
    }
    if amount == held {
        return Some(held_base);
    }
    let num = i128::from(amount) * i128::from(held_base);
    let den = i128::from(held);
    let q = num / den;
    let r = num % den;
    // Half away from zero.
    let rounded = if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    };
    Minor::try_from(rounded).ok()
}

/// What revaluing a balance of `balance` (in `cur`) carried at
/// `base_balance` to the closing `rate` moves in base: positive raises the
/// carried value. Balances are signed debit-positive.
pub fn revaluation(
    balance: Minor,
    base_balance: Minor,
    cur: Currency,
    rate: Decimal,
    base: Currency,
) -> Result<Minor, DomainError> {
    let revalued = if balance < 0 {
        -to_base(-balance, cur, rate, base)?
    } else {
        to_base(balance, cur, rate, base)?
    };
    Ok(revalued - base_balance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carried_value_takes_a_share_and_all_at_the_end() {
        // 1,000.00 EUR carried at 1,085.00: 333.33 of it is 361.66.
        assert_eq!(carried_value(33_333, 100_000, 108_500), Some(36_166));
        assert_eq!(carried_value(100_000, 100_000, 108_500), Some(108_500));
        assert_eq!(carried_value(1, 0, 0), None);
        assert_eq!(carried_value(200, 100, 100), None);
    }

    #[test]
    fn revaluation_moves_the_difference() {
        let eur = Currency::parse("EUR").unwrap();
        let gbp = Currency::parse("GBP").unwrap();
        // 1,000.00 EUR carried at 850.00 GBP, revalued at 0.87: +20.00.
        let rate = Decimal::new(87, 2);
        assert_eq!(revaluation(100_000, 85_000, eur, rate, gbp).unwrap(), 2_000);
        // An overdraft of 100.00 EUR carried at -85.00: -2.00.
        assert_eq!(revaluation(-10_000, -8_500, eur, rate, gbp).unwrap(), -200);
    }
}
