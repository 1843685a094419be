//! Property tests of the document engine: whatever the lines, taxes,
//! treatments, rates and kind, a document's entry balances exactly, its
//! control line is what the counterparty owes, and settling a document in
//! random pieces at another rate leaves nothing behind. Each test prints
//! its seed (FERROBOOKS_TEST_SEED=<seed> replays it); proptest shrinks a
//! failing case; PROPTEST_CASES raises the count.

use ferrobooks_domain::document::lines::{Totals, price};
use ferrobooks_domain::document::posting::{Control, LinePosting, TaxPosting, Treatment, post};
use ferrobooks_domain::document::settlement::{Open, allocate, to_base};
use ferrobooks_domain::document::{Kind, Side};
use ferrobooks_domain::{BalancedEntry, Currency, Minor};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn treatment(side: Side, pick: u8) -> Treatment {
    match (side, pick % 4) {
        (Side::Sale, _) => Treatment::Output,
        (Side::Purchase, 0) => Treatment::Claimed,
        (Side::Purchase, 1) => Treatment::Cost,
        (Side::Purchase, 2) => Treatment::ReverseCharge {
            payable: "rcm_payable".into(),
        },
        (Side::Purchase, _) => Treatment::ReverseChargeCost {
            payable: "rcm_payable".into(),
        },
    }
}

fn kinds() -> impl Strategy<Value = Kind> {
    prop::sample::select(vec![
        Kind::Invoice,
        Kind::CreditNote,
        Kind::SalesReceipt,
        Kind::RefundReceipt,
        Kind::Bill,
        Kind::VendorCredit,
        Kind::Expense,
    ])
}

/// A fixed seed per run, printed, so a failure in CI replays here.
fn config() -> ProptestConfig {
    let seed: u64 = std::env::var("FERROBOOKS_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand_seed);
    eprintln!("document properties seed: {seed} (FERROBOOKS_TEST_SEED={seed} to replay)");
    ProptestConfig {
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        // The printed seed replays a failure; no file is written.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn rand_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::process::id().into());
    h.finish()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_document_entry_balances(
        kind in kinds(),
        raw in prop::collection::vec(
            (0usize..4, 0i64..10_000_000, prop::collection::vec((0usize..3, 0i64..2_000_000, any::<u8>()), 0..4)),
            1..12,
        ),
        rounding in -99i64..100,
    ) {
        let side = kind.side();
        let lines: Vec<LinePosting> = raw
            .iter()
            .map(|(acc, net, taxes)| LinePosting {
                account_id: format!("acct{acc}"),
                net: *net,
                taxes: taxes
                    .iter()
                    .map(|(t, amount, pick)| TaxPosting {
                        account_id: format!("tax{t}"),
                        amount: *amount,
                        treatment: treatment(side, *pick),
                    })
                    .collect(),
            })
            .collect();
        let control = Control {
            account_id: "control".into(),
            contact_id: Some("contact".into()),
            label: "DOC-1".into(),
        };
        let p = post(kind, &control, &lines, Some(("round_off", rounding)));
        let debits: Minor = p.lines.iter().map(|l| l.debit).sum();
        let credits: Minor = p.lines.iter().map(|l| l.credit).sum();
        prop_assert_eq!(debits, credits);
        // The counterparty is owed everything but reverse-charge tax.
        let owed: Minor = lines
            .iter()
            .map(|l| {
                l.net
                    + l.taxes
                        .iter()
                        .filter(|t| {
                            !matches!(
                                t.treatment,
                                Treatment::ReverseCharge { .. } | Treatment::ReverseChargeCost { .. }
                            )
                        })
                        .map(|t| t.amount)
                        .sum::<Minor>()
            })
            .sum::<Minor>()
            + rounding;
        prop_assert_eq!(p.control_total, owed);
        prop_assert_eq!(p.lines[0].account_id.as_str(), "control");
        // The engine's lines are what the ledger takes.
        let nonzero: Vec<_> = p.lines.into_iter().filter(|l| l.debit != 0 || l.credit != 0).collect();
        if !nonzero.is_empty() {
            prop_assert!(BalancedEntry::new(nonzero, 2).is_ok());
        }
    }

    #[test]
    fn settling_in_pieces_leaves_nothing_behind(
        total in 1i64..100_000_000,
        cuts in prop::collection::vec(1u32..1000, 1..8),
        doc_rate in 1u32..2_000_000,
        pay_rate in 1u32..2_000_000,
    ) {
        let (usd, inr) = (Currency::parse("USD").unwrap(), Currency::parse("INR").unwrap());
        let doc_rate = Decimal::new(i64::from(doc_rate), 4);
        let pay_rate = Decimal::new(i64::from(pay_rate), 4);
        let mut doc = Open { amount: total, base: to_base(total, usd, doc_rate, inr).unwrap(), rate: doc_rate };
        let mut credit = Open { amount: total, base: to_base(total, usd, pay_rate, inr).unwrap(), rate: pay_rate };
        let (doc_base, credit_base) = (doc.base, credit.base);
        let weight: i64 = cuts.iter().map(|c| i64::from(*c)).sum();
        let (mut settled, mut released, mut fx) = (0, 0, 0);
        for (i, c) in cuts.iter().enumerate() {
            let amount = if i + 1 == cuts.len() { doc.amount } else { total * i64::from(*c) / weight };
            if amount == 0 { continue; }
            let a = allocate(amount, &credit, &doc, usd, inr).unwrap();
            doc = Open { amount: doc.amount - amount, base: doc.base - a.settled, ..doc };
            credit = Open { amount: credit.amount - amount, base: credit.base - a.released, ..credit };
            settled += a.settled;
            released += a.released;
            for l in a.fx_lines(Side::Sale, "ar", "fx", None, "x") {
                if l.account_id == "ar" { fx += l.debit - l.credit; }
            }
        }
        prop_assert_eq!(doc.amount, 0);
        prop_assert_eq!(settled, doc_base);
        prop_assert_eq!(released, credit_base);
        // Receivable: released by the credit minus corrected by FX equals
        // what the document held.
        prop_assert_eq!(released - fx, doc_base);
    }

    #[test]
    fn totals_add_up(
        raw in prop::collection::vec((1i64..1_000_000, 1u32..10_000, 0u32..100, 0i64..100_000), 1..30),
        round in any::<bool>(),
    ) {
        let usd = Currency::parse("USD").unwrap();
        let mut t = Totals::default();
        let mut nets = 0;
        for (i, (unit, qty, disc_pct, tax)) in raw.iter().enumerate() {
            let qty = Decimal::new(i64::from(*qty), 2);
            let gross = price(i, qty, *unit, 0, usd).unwrap().gross;
            let discount = gross * i64::from(*disc_pct) / 100;
            let p = price(i, qty, *unit, discount, usd).unwrap();
            prop_assert_eq!(p.net, p.gross - p.discount);
            nets += p.net + tax;
            t.add(p, *tax);
        }
        let t = t.finish(round, usd).unwrap();
        prop_assert_eq!(t.total, nets + t.rounding);
        prop_assert!(t.rounding.abs() <= 50);
        if round { prop_assert_eq!(t.total % 100, 0); } else { prop_assert_eq!(t.rounding, 0); }
    }
}
