//! Worked numbers (from the evaluation guide's table, checked by hand) and the
//! properties every interval and estimator must keep.
#![allow(clippy::unwrap_used)]

use ch_eval_stats::{cluster_bootstrap, pass_at_k, proportion};
use proptest::prelude::*;

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[test]
fn proportions_match_the_worked_numbers() {
    let check = |k, n, low: f64, high: f64| {
        let i = proportion(k, n).unwrap();
        assert_eq!(
            (round2(i.low), round2(i.high)),
            (low, high),
            "{k}/{n}: {i:?}"
        );
    };
    check(20, 40, 0.35, 0.65);
    check(4, 40, 0.04, 0.23);
    check(3, 13, 0.08, 0.50);
    // No success: Clopper–Pearson's exact upper bound, 1 − 0.025^(1/40) = 0.0881.
    let none = proportion(0, 40).unwrap();
    assert_eq!((none.estimate, none.low), (0.0, 0.0));
    assert!((none.high - 0.0881).abs() < 1e-4, "{none:?}");
    let all = proportion(40, 40).unwrap();
    assert!((all.low - (1.0 - 0.0881)).abs() < 1e-4, "{all:?}");
    assert_eq!(proportion(1, 0), None);
    assert_eq!(proportion(5, 4), None);
}

#[test]
fn pass_at_k_matches_the_worked_numbers() {
    assert!((pass_at_k(10, 2, 1).unwrap() - 0.2).abs() < 1e-12);
    assert!((pass_at_k(10, 2, 5).unwrap() - 7.0 / 9.0).abs() < 1e-12); // 1 − 56/252
    assert_eq!(pass_at_k(10, 2, 10), Some(1.0));
    assert_eq!(pass_at_k(10, 0, 3), Some(0.0));
    assert_eq!(pass_at_k(3, 1, 4), None, "pass@4 needs 4 attempts");
    assert_eq!(pass_at_k(3, 1, 0), None);
}

#[test]
fn the_bootstrap_is_reproducible_and_brackets_the_mean() {
    let tasks: Vec<Vec<f64>> = (0..30)
        .map(|t| {
            (0..5)
                .map(|e| f64::from(u8::from((t * 7 + e * 3) % 10 < 4)))
                .collect()
        })
        .collect();
    let a = cluster_bootstrap(&tasks, 10_000, 42).unwrap();
    let b = cluster_bootstrap(&tasks, 10_000, 42).unwrap();
    assert_eq!(a, b, "same seed, same interval");
    assert!(a.low < a.estimate && a.estimate < a.high, "{a:?}");
    assert!(a.high - a.low < 0.5);
    // Identical tasks: no spread.
    let same = vec![vec![1.0, 0.0]; 10];
    let c = cluster_bootstrap(&same, 1000, 1).unwrap();
    assert_eq!(c.estimate, 0.5);
    assert!(c.low <= 0.5 && c.high >= 0.5);
    assert_eq!(cluster_bootstrap(&[], 100, 1), None);
    assert_eq!(cluster_bootstrap(&[vec![]], 100, 1), None);
}

proptest! {
    #[test]
    fn intervals_hold_the_estimate_and_mirror(n in 1u64..500, k_frac in 0.0f64..=1.0) {
        let k = ((n as f64) * k_frac).round() as u64;
        let i = proportion(k, n).unwrap();
        prop_assert!(0.0 <= i.low && i.low <= i.estimate && i.estimate <= i.high && i.high <= 1.0, "{:?}", i);
        // Failures counted as successes mirror the interval.
        let m = proportion(n - k, n).unwrap();
        prop_assert!((i.low - (1.0 - m.high)).abs() < 1e-9 && (i.high - (1.0 - m.low)).abs() < 1e-9);
    }

    #[test]
    fn more_successes_never_lower_the_interval(n in 2u64..300, k in 0u64..299) {
        prop_assume!(k < n);
        let (a, b) = (proportion(k, n).unwrap(), proportion(k + 1, n).unwrap());
        prop_assert!(b.low >= a.low - 1e-12 && b.high >= a.high - 1e-12);
    }

    #[test]
    fn pass_at_k_is_c_over_n_at_1_and_grows_with_k(n in 1u64..60, c_frac in 0.0f64..=1.0) {
        let c = ((n as f64) * c_frac).round() as u64;
        prop_assert!((pass_at_k(n, c, 1).unwrap() - c as f64 / n as f64).abs() < 1e-9);
        for k in 1..n {
            prop_assert!(pass_at_k(n, c, k + 1).unwrap() >= pass_at_k(n, c, k).unwrap() - 1e-12);
        }
    }
}
