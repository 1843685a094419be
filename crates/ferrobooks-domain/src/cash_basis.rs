//! Cash basis: income and expenses count when they are paid, not when they
//! are invoiced or billed.
//!
//! The books are kept on the accrual basis; a cash basis report is the
//! accrual one less what is *deferred* on its day: for every invoice, bill
//! or credit still open then, the share of its entry's lines that is still
//! unpaid. An invoice of 100 plus 18 tax with 59 paid defers half of its
//! income, half of its tax and the 59 still receivable; once it is paid in
//! full nothing is deferred and the two bases agree.
//!
//! [`deferred_share`] is that share of one entry. It is exact: the shares
//! of the lines sum to the open part of the control line, so what is
//! deferred balances and a cash basis balance sheet still balances.

/// The part of an entry's lines still deferred when `open` of its control
/// amount is unpaid.
///
/// `control` is the entry's net on the receivable or payable account
/// (debit less credit: positive for an invoice or a vendor credit, negative
/// for a bill or a credit note), `lines` every other line's net, which sum
/// to `-control`. `open` is the unpaid part, between 0 and `|control|`
/// (clamped into it). Returns the control account's deferred part and each
/// line's, in the order given; together they sum to zero.
///
/// Each line's share is `line * open / |control|` rounded by largest
/// remainder, so no share is off by more than one minor unit and a fully
/// open entry defers exactly its lines.
pub fn deferred_share(control: i64, lines: &[i64], open: i64) -> (i64, Vec<i64>) {
    let whole = i128::from(control).abs();
    if whole == 0 || lines.is_empty() {
        return (0, vec![0; lines.len()]);
    }
    let open = i128::from(open).clamp(0, whole);
    let control_part = i128::from(control.signum()) * open;
    // The lines' shares sum to minus the control's.
    let target = -control_part;
    let mut shares: Vec<i128> = Vec::with_capacity(lines.len());
    let mut rest: Vec<(i128, usize)> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let exact = i128::from(*l) * open;
        shares.push(exact.div_euclid(whole));
        rest.push((exact.rem_euclid(whole), i));
    }
    let mut short = target - shares.iter().sum::<i128>();
    // Largest remainders first; ties to the earlier line, so the result
    // does not depend on sorting details.
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rest {
        if short <= 0 {
            break;
        }
        shares[i] += 1;
        short -= 1;
    }
    let to_i64 = |v: i128| i64::try_from(v).unwrap_or(0);
    (
        to_i64(control_part),
        shares.into_iter().map(to_i64).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn half_paid_invoice_defers_half_of_each_line() {
        // Dr receivable 11800; Cr income 10000, Cr output tax 1800.
        let (c, l) = deferred_share(11_800, &[-10_000, -1_800], 5_900);
        assert_eq!(c, 5_900);
        assert_eq!(l, vec![-5_000, -900]);
    }

    #[test]
    fn fully_open_and_fully_paid() {
        assert_eq!(deferred_share(-300, &[250, 50], 300), (-300, vec![250, 50]));
        assert_eq!(deferred_share(-300, &[250, 50], 0), (0, vec![0, 0]));
        // Beyond the total is clamped to it.
        assert_eq!(deferred_share(-300, &[250, 50], 900).0, -300);
    }

    #[test]
    fn odd_cents_go_to_the_largest_remainders() {
        // 100 over three equal lines, a third open.
        let (c, l) = deferred_share(100, &[-34, -33, -33], 33);
        assert_eq!(c, 33);
        assert_eq!(l.iter().sum::<i64>(), -33);
        assert!(l.iter().all(|v| (-12..=-10).contains(v)), "{l:?}");
    }

    proptest! {
        #[test]
        fn shares_balance_and_stay_within_a_unit(
            parts in proptest::collection::vec(-1_000_000i64..1_000_000, 1..8),
            open_permille in 0i64..=1000,
        ) {
            let control = -parts.iter().sum::<i64>();
            prop_assume!(control != 0);
            let open = control.abs() * open_permille / 1000;
            let (c, shares) = deferred_share(control, &parts, open);
            prop_assert_eq!(c + shares.iter().sum::<i64>(), 0);
            prop_assert_eq!(c.abs(), open);
            for (l, s) in parts.iter().zip(&shares) {
                let exact = i128::from(*l) * i128::from(open);
                let whole = i128::from(control.abs());
                prop_assert!((i128::from(*s) * whole - exact).abs() < 2 * whole);
            }
            if open == control.abs() {
                prop_assert_eq!(&shares, &parts);
            }
        }
    }
}
