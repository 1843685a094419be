//! Property tests of the ledger's invariants. proptest prints the failing
//! seed and a shrunk case on failure; PROPTEST_CASES raises the count.

use ferrobooks_domain::trial_balance::Ledger;
use ferrobooks_domain::{BalancedEntry, EntryLine};
use proptest::prelude::*;

/// A random balanced entry over accounts a0..a7: random debits, and the same
/// total split randomly across credit lines.
fn entry() -> impl Strategy<Value = BalancedEntry> {
    (
        prop::collection::vec((0usize..8, 1i64..10_000_000), 1..5),
        prop::collection::vec((0usize..8, 1u32..100), 1..5),
    )
        .prop_map(|(debits, credit_weights)| {
            let total: i64 = debits.iter().map(|(_, a)| a).sum();
            let weight_sum: i64 = credit_weights.iter().map(|(_, w)| i64::from(*w)).sum();
            let mut lines: Vec<EntryLine> = debits
                .iter()
                .map(|(acc, amt)| line(*acc, *amt, 0))
                .collect();
            let mut left = total;
            for (i, (acc, w)) in credit_weights.iter().enumerate() {
                let amt = if i + 1 == credit_weights.len() {
                    left
                } else {
                    total * i64::from(*w) / weight_sum
                };
                left -= amt;
                if amt > 0 {
                    lines.push(line(*acc, 0, amt));
                }
            }
            BalancedEntry::new(lines, 2).expect("generated entries balance")
        })
}

fn line(acc: usize, debit: i64, credit: i64) -> EntryLine {
    EntryLine {
        account_id: format!("a{acc}"),
        debit,
        credit,
        description: None,
        contact_id: None,
        foreign: None,
    }
}

proptest! {
    #[test]
    fn trial_balance_nets_to_zero(entries in prop::collection::vec(entry(), 1..40)) {
        let mut ledger = Ledger::default();
        for e in &entries {
            ledger.post(e);
        }
        let (d, c) = ledger.column_totals();
        prop_assert_eq!(d, c);
        let net: i64 = ledger.nets().values().sum();
        prop_assert_eq!(net, 0);
    }

    #[test]
    fn reversal_restores_every_balance(
        before in prop::collection::vec(entry(), 0..20),
        target in entry(),
    ) {
        let mut ledger = Ledger::default();
        for e in &before {
            ledger.post(e);
        }
        let snapshot = ledger.nets();
        ledger.post(&target);
        ledger.post(&target.reversal());
        prop_assert_eq!(ledger.nets(), snapshot);
    }

    #[test]
    fn unbalanced_lines_are_refused(a in 1i64..1_000_000, b in 1i64..1_000_000) {
        prop_assume!(a != b);
        let r = BalancedEntry::new(vec![line(0, a, 0), line(1, 0, b)], 2);
        prop_assert!(r.is_err());
    }
}
