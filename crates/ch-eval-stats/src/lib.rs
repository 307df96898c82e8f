//! Statistics an evaluation result reports by default, so that every score comes
//! with an honest interval:
//!
//! * [`proportion`]: a success rate over a fixed set of tasks, with a 95 % interval:
//!   Wilson's score interval, and Clopper–Pearson's exact bound where every or no
//!   task succeeded (where Wilson's interval is known to be too narrow).
//! * [`pass_at_k`]: the unbiased estimator of pass@k from `n` attempts with `c`
//!   successes (Chen et al. 2021), computed as a product so that it never overflows.
//! * [`cluster_bootstrap`]: a mean over tasks with repeated epochs, with a percentile
//!   interval from resampling tasks, then epochs within each task; seeded, so the same
//!   result file always gives the same interval.
//!
//! Pure functions; no IO.

use serde::{Deserialize, Serialize};

/// An estimate and its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

/// The standard normal quantile for a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// `k` successes out of `n` tasks: the rate with a 95 % interval. Wilson's score
/// interval, except that with no success the upper bound (and with all successes the
/// lower bound) is Clopper–Pearson's exact one, `1 − (α/2)^(1/n)`.
///
/// `None` when `n` is 0 or `k > n`.
pub fn proportion(k: u64, n: u64) -> Option<Interval> {
    if n == 0 || k > n {
        return None;
    }
    let (kf, nf) = (k as f64, n as f64);
    let p = kf / nf;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denominator;
    let half = Z95 * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denominator;
    let exact = 0.025f64.powf(1.0 / nf);
    let (low, high) = if k == 0 {
        (0.0, 1.0 - exact)
    } else if k == n {
        (exact, 1.0)
    } else {
        ((centre - half).max(0.0), (centre + half).min(1.0))
    };
    Some(Interval {
        estimate: p,
        low,
        high,
    })
}

/// The unbiased estimate of pass@k from `n` attempts of which `c` succeeded:
/// `1 − C(n−c, k) / C(n, k)`. `None` when `k` is 0, `k > n` or `c > n` (pass@k needs
/// at least `k` attempts; never compare pass@k across different `k`).
pub fn pass_at_k(n: u64, c: u64, k: u64) -> Option<f64> {
    if k == 0 || k > n || c > n {
        return None;
    }
    if n - c < k {
        return Some(1.0);
    }
    // C(n−c, k) / C(n, k) = Π_{i = n−c+1}^{n} (1 − k / i)
    let mut ratio = 1.0;
    for i in (n - c + 1)..=n {
        ratio *= 1.0 - k as f64 / i as f64;
    }
    Some(1.0 - ratio)
}

/// A small, fixed pseudo-random generator (SplitMix64), so that intervals do not
/// change with a dependency's version: the same scores and seed give the same
/// interval everywhere.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by rejection so that no value is favoured.
    fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }
}

/// The mean over tasks of each task's mean score over its epochs, with a 95 %
/// percentile interval from a two-stage (cluster) bootstrap: resample tasks with
/// replacement, then epochs within each resampled task. `tasks[i]` holds task `i`'s
/// scores, one per epoch. `None` when there is no task or a task has no epoch.
pub fn cluster_bootstrap(tasks: &[Vec<f64>], resamples: usize, seed: u64) -> Option<Interval> {
    if tasks.is_empty() || tasks.iter().any(Vec::is_empty) || resamples == 0 {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let estimate = tasks.iter().map(|t| mean(t)).sum::<f64>() / tasks.len() as f64;
    let mut rng = SplitMix64(seed);
    let mut means = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let mut total = 0.0;
        for _ in 0..tasks.len() {
            let task = &tasks[rng.below(tasks.len())];
            let mut sum = 0.0;
            for _ in 0..task.len() {
                sum += task[rng.below(task.len())];
            }
            total += sum / task.len() as f64;
        }
        means.push(total / tasks.len() as f64);
    }
    means.sort_by(f64::total_cmp);
    let at = |q: f64| means[((q * (resamples - 1) as f64).round() as usize).min(resamples - 1)];
    Some(Interval {
        estimate,
        low: at(0.025),
        high: at(0.975),
    })
}
