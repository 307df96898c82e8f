//! Maven versions, ordered as Maven 3.8.7's `ComparableVersion`, made a total order.
//!
//! # Reference
//!
//! Maven's own `org.apache.maven.artifact.versioning.ComparableVersion`, exactly as
//! the maven-artifact 3.8.7 jar implements it (running on Java 17). We deliberately
//! do not follow osv.dev's port (`osv/ecosystems/maven.py` in google/osv.dev): it is
//! not a total order (`1` < `1.x` < `1.0.alpha` < `1`), so no sort, binary search or
//! interval index can use it.
//!
//! Maven 3.8.7 is not a total order either, in a narrower set of versions (see
//! [Totality](#totality)). [`MavenVersion::cmp_maven_3_8_7`] answers exactly as the jar
//! does, pair by pair; `Ord` is that answer except where the jar contradicts itself,
//! where it takes the answer the jar's own comparisons with a shorter version force.
//!
//! # Parsing
//!
//! The string is lowercased as Java's `String.toLowerCase(Locale.ENGLISH)` does (full
//! Unicode 13 mappings: `İ` becomes `i̇`; `Σ` becomes `ς` at the end of a word as Java's
//! word `BreakIterator` finds words, `σ` elsewhere). It is then read left to right into
//! nested lists of items, starting with one (root) list:
//!
//! * `.` ends the current token; `-` ends it and opens a new sub-list, appended to the
//!   current list, that receives everything after it. An empty token (`1..2`, `-1`,
//!   `1.-2`) is the number 0.
//! * A digit is a character for which Java's `Character.isDigit(char)` holds (Unicode 13
//!   decimal digits of the Basic Multilingual Plane, any script; a surrogate pair is
//!   never a digit). A change from digits to other characters ends a number token and
//!   opens a sub-list. A change from other characters to digits ends a qualifier token:
//!   if the current list already has items the qualifier goes into a new sub-list, and
//!   the digits always go into a new sub-list after it (`1.0.0.rc1` = `1.0.0-rc-1`).
//! * The last token, when it is a qualifier and the current list has items, also goes
//!   into a new sub-list (`1.0.ga` = `1.0-ga`; a qualifier followed by `.` stays in its
//!   list: `1.sp.1`).
//! * A number token is an `int` if at most 9 characters remain after removing leading
//!   ASCII zeros, a `long` if at most 18, otherwise a big integer (a token of ASCII
//!   zeros only keeps its length). Its value is read in any script (`١٢` is 12).
//! * A qualifier token directly followed by a digit and consisting of `a`, `b` or `m`
//!   becomes `alpha`, `beta` or `milestone`. Then `ga`, `final` and `release` become the
//!   empty qualifier (the release) and `cr` becomes `rc`.
//!
//! Then each list, innermost first, is normalised: from its end, items that are null
//! (a number of value 0, the empty qualifier, an empty list) are removed; the walk goes
//! past a non-empty sub-list and stops at the first other non-null item. So `1.0.0` =
//! `1`, `1-0.0` = `1`, `1.0-1` = `1-1`, but `1.0.1` and `1.ga.1` keep their null middle
//! item.
//!
//! Every string parses; [`MavenVersion::parse`] never fails. A sub-list is always the
//! last item of its parent, so the nesting is a chain and is stored flat: no input,
//! however deep, recurses.
//!
//! Java's text rules are reproduced with small tables (module `java`): its digits and
//! the letters it does not know yet (Unicode 14 and later) exactly; its word
//! `BreakIterator`, used only for `Σ`, with Rust's Unicode properties and the Java
//! categories that matter (checked against Java on about 530,000 contexts of `Σ`). A
//! `Σ` next to letters of other scripts added after Unicode 13, or next to marks
//! outside the main combining blocks, may still lowercase differently; so may letters
//! that a later Rust (past Unicode 17) knows and Java 17 does not.
//!
//! # Comparison (Maven 3.8.7)
//!
//! Two lists are compared item by item; the shorter one is padded with a *missing*
//! item. Items of the same kind compare by value:
//!
//! * numbers: an `int` < a `long` < a big integer, whatever the values (this only
//!   shows with non-ASCII leading zeros: `١` (an `int` 1) < `٠٠٠٠٠٠٠٠٠١` (a `long` 1));
//!   within a kind by value;
//! * qualifiers: `alpha` < `beta` < `milestone` < `rc` < `snapshot` < `` (release) <
//!   `sp` < every other qualifier, those compared with each other by UTF-16 code units
//!   (Java's `String.compareTo`, after lowercasing);
//! * lists: recursively.
//!
//! Across kinds: qualifier < list < number (`1-sp` < `1-1` < `1.1`). Against a missing
//! item: a number is equal if 0, greater otherwise; a qualifier compares as against the
//! release qualifier (`1-rc` < `1` < `1-sp`); a list compares as its first item that is
//! not equal to a missing one.
//!
//! # Totality
//!
//! The missing item is equal to three different items (0, the release qualifier and the
//! empty list), and it sits in the middle of the qualifiers and among lists, while the
//! rules across kinds ignore it. So Maven 3.8.7 answers, for example, all of
//! `1-alpha` < `1` < `1.sp.1` < `1-alpha`, and `1.0.alpha.1` < `1` < `1-1` <
//! `1.0.alpha.1` (checked against the jar). `Ord` keeps every rule above and places
//! the missing item at one point of the order between items of different kinds:
//!
//! 1. qualifiers before the release (`alpha` … `snapshot`);
//! 2. the release qualifier followed, in its list, by items that compare below a
//!    missing one;
//! 3. lists below a missing item;
//! 4. 0 followed, in its list, by items below a missing one (`int` < `long` < big);
//! 5. **the missing item**;
//! 6. the release qualifier followed by items above a missing one;
//! 7. `sp` and the other qualifiers;
//! 8. lists above a missing item;
//! 9. numbers, including 0 followed by items above a missing one.
//!
//! (A null item that survived normalisation is always followed by a non-null one, so it
//! is never equal to the missing item.) Items in the same class compare as in Maven.
//! Every answer of `Ord` that differs from the jar is one the jar's own answers force:
//! for `a` and `b` that differ first at item `k`, the version made of their common first
//! `k` items lies, in the jar's own answers, strictly between them (the differential
//! test checks this for each difference). `Ord` differs from the jar only where the
//! first differing items are `sp` or another qualifier after the release against a list
//! below a missing item, or a release qualifier or a 0 that is not trailing (and so
//! stands for what follows it) against an item of another kind or a number of another
//! width; in the examples above, `1.sp.1` > `1-alpha` and `1.0.alpha.1` < `1-1`.
//!
//! # Newer Maven
//!
//! Maven changed `ComparableVersion` after 3.8.7; we do not follow these changes.
//! From apache/maven's source:
//!
//! * Maven 3.9 (MNG-7559): a qualifier directly followed by a number, and `X-1` where
//!   `X` is a qualifier, is one combined item (`rc1`), ordered after the bare qualifier;
//!   `ga`, `final` and `release` are no longer replaced by the empty qualifier when
//!   parsing (they compare equal to it but are not trimmed); a null item is trimmed only
//!   at the end of a list or before a qualifier; `-` opens no sub-list in an empty list.
//! * Maven 4: digits are ASCII only; supplementary characters are read as code points;
//!   versions longer than 256 characters are rejected; a list and a qualifier compare
//!   item by item (the list's first item against the qualifier, its other items against
//!   missing ones) instead of the list always winning; a list left with a single
//!   sub-list is flattened.
//!
//! # Differences from osv.dev
//!
//! osv.dev flattens the lists into tokens with a `.` or `-` prefix and pads the shorter
//! version with a token of the other's prefix. It therefore orders `.qualifier` <
//! `-qualifier` < `-number` < `.number` by prefix (Maven: `1.RC1` = `1-RC1`), compares
//! padding `.0` against a `.qualifier` as the unknown qualifier `0` (`4.3` > `4.3.SP2`;
//! Maven: `<`), keeps `.0` before a trailing qualifier (`1.0.alpha`), trims null parts
//! before a `-` anywhere (`1-ga-1` = `1-1`; Maven: `<`), never trims the first part (`a`
//! < `0`; Maven: `>`), and rejects digits Python's `int()` refuses (`1.²`) and numbers of
//! more than 4,300 digits, which Maven accepts.

use std::cmp::Ordering;
use std::fmt;

/// A Maven version: Maven 3.8.7's `ComparableVersion` items.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    /// `lists[0]` is the root list; `lists[i + 1]`, when present, is the last item of
    /// `lists[i]`.
    lists: Vec<List>,
}

#[derive(Debug, Clone)]
struct List {
    /// The items before the sub-list.
    items: Vec<Item>,
    /// How this list (with its sub-lists) compares with a missing item; `Equal` only
    /// for an empty root.
    sign: Ordering,
}

#[derive(Debug, Clone)]
struct Item {
    value: Value,
    /// The class of this item in `Ord` (see the module documentation).
    class: Class,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Number(Number),
    Qualifier(Qualifier),
}

/// Java's item type for a number: `IntItem`, `LongItem`, `BigIntegerItem`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Width {
    Int,
    Long,
    Big,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Number {
    width: Width,
    /// The value in ASCII digits without leading zeros (empty for 0).
    digits: Box<str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Qualifier {
    /// An index into [`KNOWN`].
    Known(u8),
    Other(Box<str>),
}

/// The known qualifiers, in order.
const KNOWN: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

/// The index of the release (empty) qualifier in [`KNOWN`].
const RELEASE: u8 = 5;

/// An item's place in `Ord` relative to the other kinds and to a missing item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    PreRelease,
    ReleaseBelow,
    ListBelow,
    ZeroBelow,
    Missing,
    ReleaseAbove,
    PostRelease,
    ListAbove,
    Number,
}

impl Number {
    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Maven 3.8.7: `IntItem` < `LongItem` < `BigIntegerItem`, then by value.
    fn cmp(&self, other: &Self) -> Ordering {
        self.width.cmp(&other.width).then_with(|| {
            let (a, b) = (&*self.digits, &*other.digits);
            a.len().cmp(&b.len()).then_with(|| a.cmp(b))
        })
    }
}

impl Qualifier {
    fn new(text: &str, followed_by_digit: bool) -> Self {
        let text = match text {
            "a" if followed_by_digit => "alpha",
            "b" if followed_by_digit => "beta",
            "m" if followed_by_digit => "milestone",
            "ga" | "final" | "release" => "",
            "cr" => "rc",
            other => other,
        };
        match KNOWN.iter().position(|k| *k == text) {
            Some(i) => Qualifier::Known(i as u8),
            None => Qualifier::Other(text.into()),
        }
    }

    /// Java's `comparableQualifier(a).compareTo(comparableQualifier(b))`, by sign.
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Qualifier::Known(a), Qualifier::Known(b)) => a.cmp(b),
            (Qualifier::Known(_), Qualifier::Other(_)) => Ordering::Less,
            (Qualifier::Other(_), Qualifier::Known(_)) => Ordering::Greater,
            (Qualifier::Other(a), Qualifier::Other(b)) => a.encode_utf16().cmp(b.encode_utf16()),
        }
    }

    fn text(&self) -> &str {
        match self {
            Qualifier::Known(i) => KNOWN.get(usize::from(*i)).copied().unwrap_or_default(),
            Qualifier::Other(s) => s,
        }
    }
}

impl Value {
    fn is_null(&self) -> bool {
        match self {
            Value::Number(n) => n.is_zero(),
            Value::Qualifier(q) => *q == Qualifier::Known(RELEASE),
        }
    }

    /// Maven 3.8.7's `item.compareTo(null)`.
    fn cmp_missing(&self) -> Ordering {
        match self {
            Value::Number(n) if n.is_zero() => Ordering::Equal,
            Value::Number(_) => Ordering::Greater,
            Value::Qualifier(q) => q.cmp(&Qualifier::Known(RELEASE)),
        }
    }

    /// Maven 3.8.7's `compareTo` between two items that are not lists.
    fn cmp_maven(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Value::Number(a), Value::Number(b)) => a.cmp(b),
            (Value::Number(_), Value::Qualifier(_)) => Ordering::Greater,
            (Value::Qualifier(_), Value::Number(_)) => Ordering::Less,
            (Value::Qualifier(a), Value::Qualifier(b)) => a.cmp(b),
        }
    }
}

/// One position of a list during a comparison.
#[derive(Clone, Copy)]
enum Slot<'a> {
    Missing,
    Item(&'a Item),
    /// The sub-list, with how it compares with a missing item.
    List(Ordering),
}

impl MavenVersion {
    /// Parses a version as Maven 3.8.7's `ComparableVersion` does. Every string
    /// parses (the `Result` is for the common `parse` signature).
    pub fn parse(input: &str) -> Result<Self, String> {
        let lower = java::lowercase(input);
        let chars: Vec<char> = lower.chars().collect();
        let mut lists: Vec<Vec<Value>> = vec![Vec::new()];
        let mut is_digit = false;
        let mut start = 0;
        for (i, &c) in chars.iter().enumerate() {
            if c == '.' || c == '-' {
                let value = if i == start {
                    Value::Number(zero(Width::Int))
                } else {
                    parse_item(is_digit, &chars[start..i])
                };
                push(&mut lists, value);
                start = i + 1;
                if c == '-' {
                    lists.push(Vec::new());
                }
            } else if java::digit(c).is_some() {
                if !is_digit && i > start {
                    if !current_is_empty(&lists) {
                        lists.push(Vec::new());
                    }
                    let text: String = chars[start..i].iter().collect();
                    push(&mut lists, Value::Qualifier(Qualifier::new(&text, true)));
                    start = i;
                    lists.push(Vec::new());
                }
                is_digit = true;
            } else {
                if is_digit && i > start {
                    push(&mut lists, parse_item(true, &chars[start..i]));
                    start = i;
                    lists.push(Vec::new());
                }
                is_digit = false;
            }
        }
        if chars.len() > start {
            if !is_digit && !current_is_empty(&lists) {
                lists.push(Vec::new());
            }
            push(&mut lists, parse_item(is_digit, &chars[start..]));
        }
        normalize(&mut lists);
        Ok(MavenVersion {
            lists: classify(lists),
        })
    }

    /// Maven 3.8.7's `ComparableVersion.compareTo`, answer for answer. **Not a total
    /// order** (`1-alpha` < `1` < `1.sp.1` < `1-alpha`): for sorting, searching and
    /// indexing use `Ord`, which differs from this only where this contradicts itself.
    pub fn cmp_maven_3_8_7(&self, other: &Self) -> Ordering {
        let mut depth = 0;
        loop {
            let width = self.slots(depth).max(other.slots(depth));
            let mut descend = false;
            for k in 0..width {
                let result = match (self.slot(depth, k), other.slot(depth, k)) {
                    (Slot::Missing, Slot::Missing) => Ordering::Equal,
                    (Slot::Item(a), Slot::Missing) => a.value.cmp_missing(),
                    (Slot::Missing, Slot::Item(b)) => b.value.cmp_missing().reverse(),
                    (Slot::List(sign), Slot::Missing) => sign,
                    (Slot::Missing, Slot::List(sign)) => sign.reverse(),
                    (Slot::Item(a), Slot::Item(b)) => a.value.cmp_maven(&b.value),
                    (Slot::Item(a), Slot::List(_)) => match a.value {
                        Value::Number(_) => Ordering::Greater,
                        Value::Qualifier(_) => Ordering::Less,
                    },
                    (Slot::List(_), Slot::Item(b)) => match b.value {
                        Value::Number(_) => Ordering::Less,
                        Value::Qualifier(_) => Ordering::Greater,
                    },
                    (Slot::List(_), Slot::List(_)) => {
                        descend = true;
                        break;
                    }
                };
                if result.is_ne() {
                    return result;
                }
            }
            if !descend {
                return Ordering::Equal;
            }
            depth += 1;
        }
    }

    /// How many positions list `depth` has (its items and its sub-list).
    fn slots(&self, depth: usize) -> usize {
        self.lists.get(depth).map_or(0, |l| {
            l.items.len() + usize::from(depth + 1 < self.lists.len())
        })
    }

    fn slot(&self, depth: usize, k: usize) -> Slot<'_> {
        let Some(list) = self.lists.get(depth) else {
            return Slot::Missing;
        };
        if let Some(item) = list.items.get(k) {
            return Slot::Item(item);
        }
        match self.lists.get(depth + 1) {
            Some(sub) if k == list.items.len() => Slot::List(sub.sign),
            _ => Slot::Missing,
        }
    }
}

fn zero(width: Width) -> Number {
    Number {
        width,
        digits: "".into(),
    }
}

fn push(lists: &mut [Vec<Value>], value: Value) {
    if let Some(current) = lists.last_mut() {
        current.push(value);
    }
}

fn current_is_empty(lists: &[Vec<Value>]) -> bool {
    lists.last().is_none_or(Vec::is_empty)
}

/// Java's `parseItem`: a number (`IntItem`, `LongItem` or `BigIntegerItem`) or a
/// qualifier not followed by a digit.
fn parse_item(is_digit: bool, token: &[char]) -> Value {
    if !is_digit {
        let text: String = token.iter().collect();
        return Value::Qualifier(Qualifier::new(&text, false));
    }
    // `stripLeadingZeroes` removes ASCII zeros only, and keeps an all-zero token whole.
    let stripped = token.iter().skip_while(|&&c| c == '0').count();
    let length = if stripped == 0 { token.len() } else { stripped };
    let width = match length {
        0..=9 => Width::Int,
        10..=18 => Width::Long,
        _ => Width::Big,
    };
    let digits: String = token
        .iter()
        .map(|&c| char::from(b'0' + java::digit(c).unwrap_or(0)))
        .skip_while(|&c| c == '0')
        .collect();
    Value::Number(Number {
        width,
        digits: digits.into(),
    })
}

/// Java's `ListItem.normalize`, innermost list first: trailing null items go (a
/// non-empty sub-list is skipped over), and an emptied sub-list is itself null.
fn normalize(lists: &mut Vec<Vec<Value>>) {
    for depth in (0..lists.len()).rev() {
        let innermost = depth + 1 == lists.len();
        let Some(list) = lists.get_mut(depth) else {
            continue;
        };
        while list.last().is_some_and(Value::is_null) {
            list.pop();
        }
        if depth > 0 && innermost && list.is_empty() {
            lists.pop();
        }
    }
}

/// Computes each list's comparison with a missing item and each item's class.
fn classify(lists: Vec<Vec<Value>>) -> Vec<List> {
    let mut out: Vec<List> = Vec::with_capacity(lists.len());
    let mut below = Ordering::Equal;
    for values in lists.into_iter().rev() {
        // `tail`: how the rest of this list, after the current item, compares with
        // missing items.
        let mut tail = below;
        let mut items: Vec<Item> = values
            .into_iter()
            .rev()
            .map(|value| {
                let class = match &value {
                    Value::Number(n) if n.is_zero() && tail.is_lt() => Class::ZeroBelow,
                    Value::Number(_) => Class::Number,
                    Value::Qualifier(q) => match q.cmp(&Qualifier::Known(RELEASE)) {
                        Ordering::Less => Class::PreRelease,
                        Ordering::Equal if tail.is_lt() => Class::ReleaseBelow,
                        Ordering::Equal => Class::ReleaseAbove,
                        Ordering::Greater => Class::PostRelease,
                    },
                };
                let own = value.cmp_missing();
                if own.is_ne() {
                    tail = own;
                }
                Item { value, class }
            })
            .collect();
        items.reverse();
        below = tail;
        out.push(List { items, sign: tail });
    }
    out.reverse();
    out
}

fn slot_class(slot: Slot<'_>) -> Class {
    match slot {
        Slot::Missing => Class::Missing,
        Slot::Item(item) => item.class,
        Slot::List(sign) if sign.is_lt() => Class::ListBelow,
        Slot::List(_) => Class::ListAbove,
    }
}

impl Ord for MavenVersion {
    /// Maven 3.8.7's order, made total (see the module documentation).
    fn cmp(&self, other: &Self) -> Ordering {
        let mut depth = 0;
        loop {
            let width = self.slots(depth).max(other.slots(depth));
            let mut descend = false;
            for k in 0..width {
                let (a, b) = (self.slot(depth, k), other.slot(depth, k));
                let by_class = slot_class(a).cmp(&slot_class(b));
                if by_class.is_ne() {
                    return by_class;
                }
                let result = match (a, b) {
                    (Slot::Item(x), Slot::Item(y)) => match (&x.value, &y.value) {
                        (Value::Number(m), Value::Number(n)) => m.cmp(n),
                        (Value::Qualifier(p), Value::Qualifier(q)) => p.cmp(q),
                        _ => Ordering::Equal,
                    },
                    (Slot::List(_), Slot::List(_)) => {
                        descend = true;
                        break;
                    }
                    _ => Ordering::Equal,
                };
                if result.is_ne() {
                    return result;
                }
            }
            if !descend {
                return Ordering::Equal;
            }
            depth += 1;
        }
    }
}

crate::ord_from_cmp!(MavenVersion);

impl fmt::Display for MavenVersion {
    /// Maven's canonical form (`ComparableVersion.getCanonical()`): items joined by
    /// `.`, a sub-list by `-` (no separator after an empty rendering), numbers in ASCII.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut previous_empty = true;
        for (depth, list) in self.lists.iter().enumerate() {
            if depth > 0 && !previous_empty {
                f.write_str("-")?;
            }
            let mut empty = true;
            for item in &list.items {
                if !empty {
                    f.write_str(".")?;
                }
                let text = match &item.value {
                    Value::Number(n) if n.is_zero() => "0",
                    Value::Number(n) => &n.digits,
                    Value::Qualifier(q) => q.text(),
                };
                f.write_str(text)?;
                empty = empty && text.is_empty();
            }
            previous_empty = empty;
        }
        Ok(())
    }
}

/// The pieces of Java 17's text handling that `ComparableVersion` depends on.
mod java {
    /// The first code point (the zero) of each run of ten digits for which Java 17's
    /// `Character.isDigit(char)` holds. `ComparableVersion` tests UTF-16 code units,
    /// so supplementary digits (surrogate pairs) are never digits.
    const DIGIT_ZEROS: [u32; 37] = [
        0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
        0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946,
        0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
        0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    ];

    /// `Character.digit(c, 10)` when `Character.isDigit(c)` holds.
    pub(super) fn digit(c: char) -> Option<u8> {
        let cp = u32::from(c);
        let i = DIGIT_ZEROS.partition_point(|&z| z <= cp).checked_sub(1)?;
        let offset = cp - DIGIT_ZEROS.get(i)?;
        u8::try_from(offset).ok().filter(|&d| d < 10)
    }

    /// Letters that Java 17 (Unicode 13) does not know but Rust does (added in Unicode
    /// 14 and later): for Java they are unassigned, neither letters nor cased, and
    /// lowercase to themselves.
    const UNASSIGNED: [(u32, u32); 12] = [
        (0x1C89, 0x1C8A),
        (0x2C2F, 0x2C2F),
        (0x2C5F, 0x2C5F),
        (0xA7C0, 0xA7C1),
        (0xA7CB, 0xA7DC),
        (0xA7F1, 0xA7F4),
        (0x10570, 0x105BC),
        (0x10780, 0x107BA),
        (0x10D50, 0x10D85),
        (0x16EA0, 0x16ED3),
        (0x1DF00, 0x1DF2A),
        (0x1E030, 0x1E06D),
    ];

    fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
        let cp = u32::from(c);
        table.iter().any(|&(a, b)| a <= cp && cp <= b)
    }

    /// Java 17's `String.toLowerCase(Locale.ENGLISH)`: each code point's full lower-case
    /// mapping, except that `Σ` is `ς` when [`final_sigma`] holds.
    pub(super) fn lowercase(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut words: Option<(Vec<char>, Vec<bool>)> = None;
        for (i, c) in s.chars().enumerate() {
            if c == '\u{3A3}' {
                let (text, boundaries) = words.get_or_insert_with(|| {
                    let text: Vec<char> = s.chars().collect();
                    let boundaries = word_boundaries(&text);
                    (text, boundaries)
                });
                let sigma = if final_sigma(text, boundaries, i) {
                    '\u{3C2}'
                } else {
                    '\u{3C3}'
                };
                out.push(sigma);
            } else if in_ranges(&UNASSIGNED, c) {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
        }
        out
    }

    /// Java's `ConditionalSpecialCasing.isFinalCased`: in the word around `index` (as
    /// Java's word `BreakIterator` delimits it), a cased character precedes it and none
    /// follows it. (Java's `isBoundary` also answers yes right after a supplementary
    /// character that does not start the text: it backs up from the middle of the
    /// surrogate pair.)
    fn final_sigma(text: &[char], boundaries: &[bool], index: usize) -> bool {
        let boundary = |i: usize| {
            boundaries.get(i).copied().unwrap_or(true)
                || (i >= 2 && text.get(i - 1).is_some_and(|&c| u32::from(c) > 0xFFFF))
        };
        let mut start = index;
        while start > 0 && !boundary(start) {
            start -= 1;
        }
        let mut end = index + 1;
        while end < text.len() && !boundary(end) {
            end += 1;
        }
        let cased = |range: Option<&[char]>| range.unwrap_or_default().iter().any(|&c| is_cased(c));
        cased(text.get(start..index)) && !cased(text.get(index + 1..end))
    }

    /// Where Java 17's cased test (categories Lu, Ll, Lt and a fixed list of other
    /// characters) differs from Rust's `is_lowercase() || is_uppercase()` on characters
    /// both know: `true` for characters only Java counts (the title-case letters and
    /// U+0295), `false` for those only Rust counts.
    const CASED_DIFF: [(u32, u32, bool); 27] = [
        (0x00AA, 0x00AA, false),
        (0x00BA, 0x00BA, false),
        (0x01C5, 0x01C5, true),
        (0x01C8, 0x01C8, true),
        (0x01CB, 0x01CB, true),
        (0x01F2, 0x01F2, true),
        (0x0295, 0x0295, true),
        (0x10FC, 0x10FC, false),
        (0x1D62, 0x1D6A, false),
        (0x1D78, 0x1D78, false),
        (0x1D9B, 0x1DBF, false),
        (0x1F88, 0x1F8F, true),
        (0x1F98, 0x1F9F, true),
        (0x1FA8, 0x1FAF, true),
        (0x1FBC, 0x1FBC, true),
        (0x1FCC, 0x1FCC, true),
        (0x1FFC, 0x1FFC, true),
        (0x2071, 0x2071, false),
        (0x207F, 0x207F, false),
        (0x2090, 0x209C, false),
        (0x2C7C, 0x2C7D, false),
        (0xA69C, 0xA69D, false),
        (0xA770, 0xA770, false),
        (0xA7F8, 0xA7F9, false),
        (0xAB5C, 0xAB5F, false),
        (0xAB69, 0xAB69, false),
        (0x1F130, 0x1F189, false),
    ];

    fn is_cased(c: char) -> bool {
        let cp = u32::from(c);
        if in_ranges(&UNASSIGNED, c) {
            return false;
        }
        match CASED_DIFF.iter().find(|&&(a, b, _)| a <= cp && cp <= b) {
            Some(&(_, _, java)) => java,
            None => c.is_lowercase() || c.is_uppercase(),
        }
    }

    // Java's word `BreakIterator` (the JRE's rule-based one): a token is the longest
    // match of letters and numbers alternating (letters joined by single mid-word
    // punctuation, digits by single mid-number punctuation, an optional number suffix),
    // a number prefix followed by such a run, white space (with one line end), a run of
    // kanji, katakana or hiragana, or one other character. Format characters are
    // skipped inside a token, marks only after a letter or a digit; either starting a
    // token makes a token of its own. Letters, digits and marks are approximated with Rust's
    // Unicode properties (exact for the scripts the tests cover).

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Kind {
        Letter,
        Digit,
        Danda,
        Kanji,
        Katakana,
        Hiragana,
        Space,
        Cr,
        LineEnd,
        Format,
        Mark,
        Other,
    }

    /// Format characters (Cf, except the soft hyphen).
    const FORMATS: [(u32, u32); 14] = [
        (0x0600, 0x0605),
        (0x061C, 0x061C),
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x08E2, 0x08E2),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
    ];

    /// Enclosing marks (Me) and the main blocks of non-spacing marks (Mn).
    const MARKS: [(u32, u32); 10] = [
        (0x0300, 0x036F),
        (0x0483, 0x0489),
        (0x0591, 0x05BD),
        (0x1AB0, 0x1AFF),
        (0x1DC0, 0x1DFF),
        (0x20D0, 0x20F0),
        (0xA670, 0xA672),
        (0xFE00, 0xFE0F),
        (0xFE20, 0xFE2F),
        (0xE0100, 0xE01EF),
    ];

    /// Dash punctuation (Pd).
    const DASHES: [(u32, u32); 18] = [
        (0x002D, 0x002D),
        (0x058A, 0x058A),
        (0x05BE, 0x05BE),
        (0x1400, 0x1400),
        (0x1806, 0x1806),
        (0x2010, 0x2015),
        (0x2E17, 0x2E17),
        (0x2E1A, 0x2E1A),
        (0x2E3A, 0x2E3B),
        (0x2E40, 0x2E40),
        (0x301C, 0x301C),
        (0x3030, 0x3030),
        (0x30A0, 0x30A0),
        (0xFE31, 0xFE32),
        (0xFE58, 0xFE58),
        (0xFE63, 0xFE63),
        (0xFF0D, 0xFF0D),
        (0x10EAD, 0x10EAD),
    ];

    /// Currency symbols (Sc).
    const CURRENCY: [(u32, u32); 21] = [
        (0x0024, 0x0024),
        (0x00A2, 0x00A5),
        (0x058F, 0x058F),
        (0x060B, 0x060B),
        (0x07FE, 0x07FF),
        (0x09F2, 0x09F3),
        (0x09FB, 0x09FB),
        (0x0AF1, 0x0AF1),
        (0x0BF9, 0x0BF9),
        (0x0E3F, 0x0E3F),
        (0x17DB, 0x17DB),
        (0x20A0, 0x20BF),
        (0xA838, 0xA838),
        (0xFDFC, 0xFDFC),
        (0xFE69, 0xFE69),
        (0xFF04, 0xFF04),
        (0xFFE0, 0xFFE1),
        (0xFFE5, 0xFFE6),
        (0x11FDD, 0x11FE0),
        (0x1E2FF, 0x1E2FF),
        (0x1ECB0, 0x1ECB0),
    ];

    /// Space separators (Zs).
    const SPACES: [(u32, u32); 7] = [
        (0x0020, 0x0020),
        (0x00A0, 0x00A0),
        (0x1680, 0x1680),
        (0x2000, 0x200A),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
    ];

    fn kind(c: char) -> Kind {
        match u32::from(c) {
            0x3005 | 0x4E00..=0x9FA5 | 0xF900..=0xFA2D => Kind::Kanji,
            0x30A1..=0x30FE => Kind::Katakana,
            0x3041..=0x309E => Kind::Hiragana,
            0x0964 | 0x0965 => Kind::Danda,
            0x09 => Kind::Space,
            0x0D => Kind::Cr,
            0x0A | 0x0C | 0x2028 | 0x2029 => Kind::LineEnd,
            // Circled and squared letters are symbols (So) for Java.
            0x24B6..=0x24E9 | 0x1F130..=0x1F189 => Kind::Other,
            _ if in_ranges(&UNASSIGNED, c) => Kind::Other,
            _ if in_ranges(&SPACES, c) => Kind::Space,
            _ if in_ranges(&FORMATS, c) => Kind::Format,
            _ if in_ranges(&MARKS, c) => Kind::Mark,
            _ if c.is_numeric() => Kind::Digit,
            _ if c.is_alphabetic() => Kind::Letter,
            _ => Kind::Other,
        }
    }

    /// Dashes (Pd), connectors (Pc), the soft hyphen, U+2027, quotes and the period.
    fn is_mid_word(c: char) -> bool {
        matches!(
            c,
            '\u{AD}'
                | '\u{2027}'
                | '"'
                | '\''
                | '.'
                | '_'
                | '\u{203F}'
                | '\u{2040}'
                | '\u{2054}'
                | '\u{FE33}'
                | '\u{FE34}'
                | '\u{FE4D}'..='\u{FE4F}' | '\u{FF3F}'
        ) || in_ranges(&DASHES, c)
    }

    fn is_mid_number(c: char) -> bool {
        matches!(c, '"' | '\'' | ',' | '\u{66B}' | '.')
    }

    fn is_number_prefix(c: char) -> bool {
        matches!(c, '#' | '.') || (c != '\u{A2}' && in_ranges(&CURRENCY, c))
    }

    fn is_number_suffix(c: char) -> bool {
        matches!(
            c,
            '%' | '&' | '\u{A2}' | '\u{66A}' | '\u{2030}' | '\u{2031}'
        )
    }

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        Start,
        Word,
        WordMid,
        Danda,
        Number,
        NumberMid,
        NumberPrefix,
        NumberSuffix,
        Space,
        Cr,
        LineEnd,
        Kanji,
        Katakana,
        Hiragana,
        Single,
    }

    /// The end of the longest token that starts at `start`.
    fn token_end(text: &[char], start: usize) -> usize {
        let mut state = State::Start;
        let mut end = start + 1;
        for (i, &c) in text.iter().enumerate().skip(start) {
            let k = kind(c);
            let next = match (state, k) {
                (State::Start, Kind::Format | Kind::Mark) => State::Single,
                (
                    State::WordMid
                    | State::Danda
                    | State::NumberMid
                    | State::NumberPrefix
                    | State::Space
                    | State::Cr
                    | State::LineEnd
                    | State::Single,
                    Kind::Mark,
                ) => break,
                (_, Kind::Format | Kind::Mark) => state,
                (State::Start, Kind::Letter) => State::Word,
                (State::Start, Kind::Digit) => State::Number,
                (State::Start, _) if is_number_prefix(c) => State::NumberPrefix,
                (State::Start, Kind::Space) => State::Space,
                (State::Start, Kind::Cr) => State::Cr,
                (State::Start, Kind::LineEnd) => State::LineEnd,
                (State::Start, Kind::Kanji) => State::Kanji,
                (State::Start, Kind::Katakana) => State::Katakana,
                (State::Start, Kind::Hiragana) => State::Hiragana,
                (State::Start, _) => State::Single,
                (State::Word | State::WordMid, Kind::Letter) => State::Word,
                (State::Word, Kind::Digit) => State::Number,
                (State::Word, Kind::Danda) => State::Danda,
                (State::Word, _) if is_mid_word(c) => State::WordMid,
                (State::Danda | State::NumberPrefix | State::NumberMid, Kind::Digit) => {
                    State::Number
                }
                (State::Number, Kind::Digit) => State::Number,
                (State::Number, Kind::Letter) => State::Word,
                (State::Number, _) if is_mid_number(c) => State::NumberMid,
                (State::Number, _) if is_number_suffix(c) => State::NumberSuffix,
                (State::Space, Kind::Space) => State::Space,
                (State::Space, Kind::Cr) => State::Cr,
                (State::Space | State::Cr, Kind::LineEnd) => State::LineEnd,
                (State::Kanji, Kind::Kanji) => State::Kanji,
                (State::Katakana, Kind::Katakana) => State::Katakana,
                (State::Hiragana, Kind::Hiragana) => State::Hiragana,
                _ => break,
            };
            state = next;
            if !matches!(state, State::WordMid | State::NumberMid) {
                end = i + 1;
            }
        }
        end
    }

    /// `boundaries[i]`: whether Java's word `BreakIterator` puts a boundary before
    /// `text[i]` (and at the end).
    fn word_boundaries(text: &[char]) -> Vec<bool> {
        let mut boundaries = vec![false; text.len() + 1];
        let mut i = 0;
        while i < text.len() {
            if let Some(b) = boundaries.get_mut(i) {
                *b = true;
            }
            i = token_end(text, i).max(i + 1);
        }
        if let Some(last) = boundaries.last_mut() {
            *last = true;
        }
        boundaries
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(s: &str) -> MavenVersion {
        MavenVersion::parse(s).unwrap()
    }

    /// Each version is less than every later one, in `Ord` and in Maven 3.8.7.
    fn check_order(versions: &[&str]) {
        for (i, a) in versions.iter().enumerate() {
            for b in &versions[i + 1..] {
                let (x, y) = (v(a), v(b));
                assert_eq!(x.cmp(&y), Ordering::Less, "{a:?} < {b:?}");
                assert_eq!(y.cmp(&x), Ordering::Greater, "{b:?} > {a:?}");
                assert_eq!(x.cmp_maven_3_8_7(&y), Ordering::Less, "maven {a:?} < {b:?}");
                assert_eq!(
                    y.cmp_maven_3_8_7(&x),
                    Ordering::Greater,
                    "maven {b:?} > {a:?}"
                );
            }
        }
    }

    fn check_equal(versions: &[&str]) {
        for a in versions {
            for b in versions {
                assert_eq!(v(a), v(b), "{a:?} == {b:?}");
                assert_eq!(
                    v(a).cmp_maven_3_8_7(&v(b)),
                    Ordering::Equal,
                    "maven {a:?} == {b:?}"
                );
            }
        }
    }

    #[test]
    fn maven_test_qualifier_and_number_orders() {
        // Maven's ComparableVersionTest: VERSIONS_QUALIFIER and VERSIONS_NUMBER.
        check_order(&[
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ]);
        // (Maven 3.8.7 reads a trailing `.a` as `-a`: `2.0.a` = `2.0.0.a` < `2-1`.)
        check_order(&[
            "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1",
            "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11",
            "11", "11.a", "11b", "11c", "11m",
        ]);
        check_equal(&["2.0.a", "2.0.0.a", "2-a"]);
    }

    #[test]
    fn maven_test_equalities() {
        // Maven's ComparableVersionTest: testVersionsEqual, testLocaleIndependent and the
        // leading-zero tests.
        for group in [
            &[
                "1", "1.0", "1.0.0", "1-0", "1.0-0", "1ga", "1release", "1final", "1Ga", "1GA",
            ][..],
            &["1RELEASE", "1RELeaSE", "1Final", "1FinaL", "1FINAL", "1"],
            &["1a", "1-a", "1.0-a", "1.0.0-a", "1.0a", "1.0.0a", "1A"],
            &["1x", "1-x", "1.0-x", "1.0.0-x", "1.0x", "1.0.0x", "1X"],
            &["1cr", "1rc", "1Cr", "1Rc", "1cR", "1rC"],
            &["1a1", "1-alpha-1"],
            &["1b2", "1-beta-2", "1B2"],
            &[
                "1m3",
                "1-milestone-3",
                "1Milestone3",
                "1MileStone3",
                "1MILESTONE3",
                "1M3",
            ],
            &[
                "1-abcdefghijklmnopqrstuvwxyz",
                "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            ],
            &["1", "01", "001", "000000001", "0000000000000000001"],
            &[
                "0",
                "00",
                "0000000000",
                "0000000000000000000",
                "",
                "0.0.0-0.0",
                "0-final-ga",
            ],
            &["1.0.0.RC1", "1.0.0-RC1", "1-cr-1", "1rc1"],
        ] {
            check_equal(group);
        }
    }

    #[test]
    fn maven_test_comparing() {
        // Maven's ComparableVersionTest: testVersionComparing, MNG-5568, MNG-6572 and
        // MNG-6964.
        for pair in [
            ["1", "2"],
            ["1.5", "2"],
            ["1", "2.5"],
            ["1.0", "1.1"],
            ["1.1", "1.2"],
            ["1.0.0", "1.1"],
            ["1.0.1", "1.1"],
            ["1.1", "1.2.0"],
            ["1.0-alpha-1", "1.0"],
            ["1.0-alpha-1", "1.0-alpha-2"],
            ["1.0-alpha-1", "1.0-beta-1"],
            ["1.0-beta-1", "1.0-SNAPSHOT"],
            ["1.0-SNAPSHOT", "1.0"],
            ["1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"],
            ["1.0", "1.0-1"],
            ["1.0-1", "1.0-2"],
            ["1.0.0", "1.0-1"],
            ["2.0-1", "2.0.1"],
            ["2.0.1-klm", "2.0.1-lmn"],
            ["2.0.1", "2.0.1-xyz"],
            ["2.0.1", "2.0.1-123"],
            ["2.0.1-xyz", "2.0.1-123"],
        ] {
            check_order(&pair);
        }
        check_order(&["6.1.0rc3", "6.1.0", "6.1H.5-beta"]);
        check_order(&[
            "20190126.230843",
            "1234567890.12345",
            "123456789012345.1H.5-beta",
            "12345678901234567890.1H.5-beta",
        ]);
        check_order(&["1-0.alpha", "1-0.beta", "1"]);
    }

    #[test]
    fn canonical_form() {
        for (input, canonical) in [
            ("1.0.0", "1"),
            ("1.0-1", "1-1"),
            ("1-0-1", "1-1"),
            ("1.0.0.RC1", "1-rc-1"),
            ("1.ga.1", "1..1"),
            ("ga.1", "1"),
            ("1.0.alpha.1", "1.0.alpha.1"),
            ("1.sp.1", "1.sp.1"),
            ("1a1", "1-alpha-1"),
            ("1A", "1-a"),
            ("1-CR2", "1-rc-2"),
            ("", ""),
            ("-", ""),
            ("..", ""),
            ("١٢.٠٣", "12.3"),
            ("00012345678901234567890", "12345678901234567890"),
            ("İ", "i\u{307}"),
            ("ΑΣ", "ας"),
            ("ΑΣ1", "ας-1"),
            ("Σ", "σ"),
        ] {
            assert_eq!(v(input).to_string(), canonical, "canonical of {input:?}");
        }
    }

    #[test]
    fn number_widths_as_in_maven() {
        // `int` < `long` < big integer whatever the value: only non-ASCII leading zeros
        // make a narrower value wider.
        let long_one = format!("{}1", "\u{660}".repeat(9));
        assert!(v("999999999") < v(&long_one));
        assert!(v("1") < v(&long_one));
        assert_eq!(v("١"), v("1"));
        // ASCII zeros only: every width of zero is trimmed.
        assert_eq!(v("1.0000000000000000000"), v("1"));
        // Not trimmed in the middle: a big-integer 0 is wider than an `int` 0.
        assert!(v("1.0.1") < v("1.0000000000000000000.1"));
        // Large numbers by value.
        let big = "9".repeat(5000);
        assert!(v(&big) > v(&big[1..]));
        assert!(v(&format!("1.{big}")) < v(&format!("2.{big}")));
        assert_eq!(v(&format!("0000{big}")), v(&big));
    }

    #[test]
    fn maven_3_8_7_is_not_transitive_and_ord_is() {
        let (a, b, c) = (v("1-alpha"), v("1"), v("1.sp.1"));
        assert_eq!(a.cmp_maven_3_8_7(&b), Ordering::Less);
        assert_eq!(b.cmp_maven_3_8_7(&c), Ordering::Less);
        assert_eq!(a.cmp_maven_3_8_7(&c), Ordering::Greater);
        assert!(a < b && b < c && a < c);

        let (a, b, c) = (v("1.0.alpha.1"), v("1"), v("1-1"));
        assert_eq!(a.cmp_maven_3_8_7(&b), Ordering::Less);
        assert_eq!(b.cmp_maven_3_8_7(&c), Ordering::Less);
        assert_eq!(a.cmp_maven_3_8_7(&c), Ordering::Greater);
        assert!(a < b && b < c && a < c);

        let (a, b, c) = (v("1-alpha"), v("1"), v("1.ga.1"));
        assert_eq!(a.cmp_maven_3_8_7(&c), Ordering::Greater);
        assert!(a < b && b < c && a < c);

        // osv.dev's cycle is no cycle here.
        assert!(v("1.0.alpha") < v("1") && v("1") < v("1.x") && v("1.0.alpha") < v("1.x"));
    }

    #[test]
    fn ord_is_total_on_a_dense_set() {
        let tokens = [
            "", "0", "1", "2", "alpha", "a", "beta", "rc", "snapshot", "ga", "sp", "x", "foo",
        ];
        let mut versions = vec![v("")];
        for t1 in tokens {
            for s1 in [".", "-", ""] {
                for t2 in tokens {
                    for s2 in [".", "-"] {
                        versions.push(v(&format!("1{s1}{t1}{s2}{t2}")));
                        versions.push(v(&format!("{t1}{s1}{t2}{s2}1")));
                    }
                }
            }
        }
        versions.sort();
        for w in versions.windows(2) {
            assert!(w[0] <= w[1]);
            assert_eq!(w[0].cmp(&w[1]), w[1].cmp(&w[0]).reverse());
        }
        // Every triple of a sample: a <= b and b <= c imply a <= c (and strictness).
        let n = versions.len();
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let (i, j, k) = (
                (state % n as u64) as usize,
                ((state >> 20) % n as u64) as usize,
                ((state >> 40) % n as u64) as usize,
            );
            let (a, b, c) = (&versions[i], &versions[j], &versions[k]);
            if a <= b && b <= c {
                assert!(a <= c, "{a} <= {b} <= {c}");
                if a < b || b < c {
                    assert!(a < c, "{a} < {c}");
                }
            }
        }
    }

    #[test]
    fn any_input_parses_without_panicking() {
        let deep = "-".repeat(100_000);
        let dotted = "1.".repeat(50_000);
        let mixed = "a1".repeat(50_000);
        for s in [
            "💥",
            "-",
            ".",
            "--..--",
            "\u{0}",
            "ǅ1ǆ",
            "1.²",
            "Σ",
            "ΣΣ.Σ-Σ",
            "a\u{301}Σ",
            &deep,
            &dotted,
            &mixed,
        ] {
            let x = v(s);
            assert_eq!(x.cmp(&x), Ordering::Equal);
            assert_eq!(x.cmp_maven_3_8_7(&x), Ordering::Equal);
            let _ = x.to_string();
        }
        assert!(v(&deep) == v(""));
        // `a1a1` < `a1` as `1-alpha` < `1`.
        assert!(v(&mixed) < v(&"a1".repeat(49_999)));
    }
}
