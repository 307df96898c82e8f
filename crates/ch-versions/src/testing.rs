//! Assertions the schemes' unit tests share.

use std::cmp::Ordering;
use std::fmt::Debug;

/// Every version of `list` equals itself and is below every later one, in both
/// directions of the comparison.
pub(crate) fn assert_increasing<T: Ord + Debug>(parse: impl Fn(&str) -> T, list: &[&str]) {
    for (i, a) in list.iter().enumerate() {
        assert_eq!(parse(a).cmp(&parse(a)), Ordering::Equal, "{a} = {a}");
        for b in &list[i + 1..] {
            assert!(parse(a) < parse(b), "{a} < {b}");
            assert!(parse(b) > parse(a), "{b} > {a}");
        }
    }
}

/// Each pair compares equal, both ways.
pub(crate) fn assert_equal_pairs<T: Ord + Debug>(
    parse: impl Fn(&str) -> T,
    pairs: &[(&str, &str)],
) {
    for (a, b) in pairs {
        assert_eq!(parse(a).cmp(&parse(b)), Ordering::Equal, "{a} = {b}");
        assert_eq!(parse(b).cmp(&parse(a)), Ordering::Equal, "{b} = {a}");
    }
}

/// Every version of each group equals every other of its group.
pub(crate) fn assert_equal_groups<T: Ord + Debug>(parse: impl Fn(&str) -> T, groups: &[&[&str]]) {
    for group in groups {
        for a in *group {
            for b in *group {
                assert_eq!(parse(a).cmp(&parse(b)), Ordering::Equal, "{a:?} == {b:?}");
            }
        }
    }
}
