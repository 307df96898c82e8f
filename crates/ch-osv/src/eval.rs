//! Range evaluation, exactly as the OSV schema (1.7) defines it.
//!
//! The schema's normative pseudo-code, which this module follows step by step:
//!
//! ```text
//! IsAffected(v) = v ∈ versions  or  IncludedInRanges(v, ranges)
//! IncludedInRanges: for each range whose BeforeLimits(v) holds:
//!     vulnerable = false
//!     for evt in sorted(events):
//!         introduced and (introduced == "0" or v >= introduced) → vulnerable = true
//!         fixed and v >= fixed                                  → vulnerable = false
//!         last_affected and v > last_affected                   → vulnerable = false
//!     if vulnerable: return true
//! BeforeLimits(v): no limit events, or v < some limit ("*" = infinity)
//! ```
//!
//! Choices the pseudo-code leaves open, and ours:
//! * Events are sorted by the ecosystem's order, `introduced: "0"` first; equal
//!   versions keep their order in the record (a stable sort, as osv.dev's).
//! * Every range is evaluated: a `GIT` range (which orders commits, not versions)
//!   listed first does not stop the `ECOSYSTEM`/`SEMVER` ranges after it.
//! * `SEMVER` ranges use SemVer 2.0.0 precedence for every ecosystem, read leniently
//!   (leading `v` allowed, missing minor/patch padded), as osv.dev does;
//!   `ECOSYSTEM` ranges use the ecosystem's own ordering ([`crate::scheme_for`]).
//! * `versions[]` membership is equality under the ecosystem's ordering (so PyPI
//!   `1.0` matches a listed `1.0.0`), and plain string equality for strings the
//!   ordering cannot parse.
//! * An event whose version cannot be parsed is dropped from its range and reported
//!   as a [`CompileError`], so importing tells the user; the rest of the record
//!   still counts.
//! * `GIT` ranges are evaluated for commits (see [`CompiledAffected::affects_commit`])
//!   given a [`GitAncestry`] oracle: a commit is affected when it descends from an
//!   `introduced` commit (or `introduced` is `"0"`) with no `fixed` commit, and no
//!   `last_affected` commit other than itself, between them; and, when the range has
//!   `limit` events, it is a strict ancestor of one of them.

use std::cmp::Ordering;

use ch_types::Ecosystem;
use ch_versions::{Scheme, Version, VersionError};

use crate::model::{Affected, EventKind, RangeType};

/// A problem found while compiling an affected entry; the entry is still usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("range {range} event `{event}`: {source}")]
pub struct CompileError {
    /// Index of the range in `ranges[]`.
    pub range: usize,
    /// The event key.
    pub event: &'static str,
    /// Why the version was not understood.
    pub source: VersionError,
}

#[derive(Debug, Clone)]
enum Bound {
    /// `introduced: "0"`.
    Zero,
    At(Version),
}

/// The upper end of an [`Interval`].
#[derive(Debug, Clone)]
pub enum Upper {
    /// No upper end.
    Open,
    /// Up to, not including, this version (`fixed`, `limit`).
    Before(Version),
    /// Up to and including this version (`last_affected`).
    Through(Version),
}

impl Upper {
    /// Whether `v` lies below this end.
    pub fn covers(&self, v: &Version) -> bool {
        match self {
            Upper::Open => true,
            Upper::Before(x) => v < x,
            Upper::Through(x) => v <= x,
        }
    }

    /// Orders ends so that a larger end covers every version a smaller one covers.
    pub fn cmp_end(&self, other: &Upper) -> Ordering {
        match (self, other) {
            (Upper::Open, Upper::Open) => Ordering::Equal,
            (Upper::Open, _) => Ordering::Greater,
            (_, Upper::Open) => Ordering::Less,
            (Upper::Before(a), Upper::Before(b)) | (Upper::Through(a), Upper::Through(b)) => {
                a.cmp(b)
            }
            (Upper::Before(a), Upper::Through(b)) => a.cmp(b).then(Ordering::Less),
            (Upper::Through(a), Upper::Before(b)) => a.cmp(b).then(Ordering::Greater),
        }
    }
}

/// A run of affected versions: `lower ≤ v` (no lower end: every version) and `v`
/// below `upper`. A range's events reduce exactly to a union of these (see
/// [`CompiledAffected::intervals`]).
#[derive(Debug, Clone)]
pub struct Interval {
    /// The first affected version, `None` for `introduced: "0"`.
    pub lower: Option<Version>,
    /// Where it ends.
    pub upper: Upper,
}

impl Interval {
    /// Whether `v` is inside.
    pub fn contains(&self, v: &Version) -> bool {
        self.lower.as_ref().is_none_or(|l| l <= v) && self.upper.covers(v)
    }
}

#[derive(Debug, Clone)]
struct VersionRange {
    /// Index in the record's `ranges[]`.
    index: usize,
    scheme: Scheme,
    /// The affected runs, disjoint, ascending.
    intervals: Vec<Interval>,
}

/// Walks a range's sorted events as the schema's pseudo-code does and returns the
/// runs of versions it leaves affected.
///
/// For a version `v`, the walk's answer is fixed by the events at versions below
/// `v` (the last of them decides: `introduced` sets; `fixed` and `last_affected`,
/// being below `v`, clear) and then by the events *at* `v`, in order (`introduced`
/// sets, `fixed` clears, `last_affected` leaves the state). So the answer is
/// constant between event versions, and at each event version we compute the
/// state *at* it and the state *just above* it. Above-but-not-at is impossible
/// (only a trailing `introduced` leaves the state set just above, and it sets it at
/// the point too), so every run starts at an event version, inclusive, and ends
/// before one (`fixed`), through one (`last_affected`), or never. `limit` events
/// then cut every run at the largest limit.
fn to_intervals(events: &[(EventKind, Bound)], limits: &[Option<Version>]) -> Vec<Interval> {
    let mut out = Vec::new();
    let mut state = false;
    let mut lower: Option<Version> = None;
    let mut i = 0;
    // `introduced: "0"` sorts first and sets the state for every version.
    while i < events.len() {
        let (kind, Bound::Zero) = &events[i] else {
            break;
        };
        if *kind == EventKind::Introduced {
            state = true;
        }
        i += 1;
    }
    while i < events.len() {
        let Bound::At(at) = &events[i].1 else {
            i += 1;
            continue;
        };
        let mut j = i;
        let (mut at_point, mut above) = (state, state);
        while j < events.len() {
            let Bound::At(x) = &events[j].1 else { break };
            if x != at {
                break;
            }
            match events[j].0 {
                EventKind::Introduced => (at_point, above) = (true, true),
                EventKind::Fixed => (at_point, above) = (false, false),
                EventKind::LastAffected => above = false,
                EventKind::Limit => {}
            }
            j += 1;
        }
        if state && !at_point {
            out.push(Interval {
                lower: lower.take(),
                upper: Upper::Before(at.clone()),
            });
        } else if !state && at_point {
            lower = Some(at.clone());
        }
        if at_point && !above {
            out.push(Interval {
                lower: lower.take(),
                upper: Upper::Through(at.clone()),
            });
        }
        state = above;
        i = j;
    }
    if state {
        out.push(Interval {
            lower,
            upper: Upper::Open,
        });
    }
    if !limits.is_empty() && !limits.iter().any(Option::is_none) {
        // BeforeLimits: v < some limit, i.e. v < the largest limit.
        let Some(Some(max)) = limits.iter().max_by(|a, b| a.cmp(b)) else {
            return out;
        };
        let cut = Upper::Before(max.clone());
        out = out
            .into_iter()
            .filter(|i| i.lower.as_ref().is_none_or(|l| l < max))
            .map(|mut i| {
                if i.upper.cmp_end(&cut) == Ordering::Greater {
                    i.upper = cut.clone();
                }
                i
            })
            .collect();
    }
    out
}

#[derive(Debug, Clone)]
struct GitRange {
    repo: Option<String>,
    events: Vec<(EventKind, String)>,
}

/// Answers commit ancestry for `GIT` ranges.
pub trait GitAncestry {
    /// Whether `ancestor` is `descendant` or one of its ancestors in `repo`;
    /// `None` when it cannot tell (unknown commit or repository).
    fn is_ancestor(&self, repo: Option<&str>, ancestor: &str, descendant: &str) -> Option<bool>;
}

/// An affected entry prepared for fast, repeated evaluation.
#[derive(Debug, Clone)]
pub struct CompiledAffected {
    scheme: Scheme,
    ranges: Vec<VersionRange>,
    git: Vec<GitRange>,
    /// Parsed `versions[]`, sorted.
    versions: Vec<Version>,
    /// `versions[]` entries the ordering cannot parse, sorted.
    raw_versions: Vec<String>,
    /// `fixed` events (as written) of the version ranges, in order of appearance.
    fixed: Vec<String>,
    /// `last_affected` events (as written).
    last_affected: Vec<String>,
}

/// How a version was found affected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// Listed in `versions[]`.
    Listed,
    /// Inside the range at this index of `ranges[]`.
    Range(usize),
}

fn cmp_bound(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Zero, Bound::Zero) => Ordering::Equal,
        (Bound::Zero, Bound::At(_)) => Ordering::Less,
        (Bound::At(_), Bound::Zero) => Ordering::Greater,
        (Bound::At(x), Bound::At(y)) => x.cmp(y),
    }
}

impl CompiledAffected {
    /// Compiles `affected` for `ecosystem` (normally its own package's ecosystem).
    /// Problems with single events are returned beside the usable result.
    pub fn compile(ecosystem: &Ecosystem, affected: &Affected) -> (Self, Vec<CompileError>) {
        let scheme = crate::scheme_for(ecosystem);
        let mut problems = Vec::new();
        let mut ranges = Vec::new();
        let mut git = Vec::new();
        let mut fixed = Vec::new();
        let mut last_affected = Vec::new();
        for (index, range) in affected.ranges().iter().enumerate() {
            let range_scheme = match range.kind {
                RangeType::Semver => Scheme::Go,
                RangeType::Ecosystem => scheme,
                RangeType::Git => {
                    git.push(GitRange {
                        repo: range.repo.clone(),
                        events: range
                            .events()
                            .iter()
                            .map(|e| (e.kind, e.value.trim().to_ascii_lowercase()))
                            .collect(),
                    });
                    continue;
                }
                RangeType::Other(_) => continue,
            };
            let mut events = Vec::with_capacity(range.events().len());
            let mut limits = Vec::new();
            for event in range.events() {
                match event.kind {
                    EventKind::Introduced if event.value == "0" => {
                        events.push((EventKind::Introduced, Bound::Zero));
                    }
                    EventKind::Limit if event.value == "*" => limits.push(None),
                    kind => match range_scheme.parse(&event.value) {
                        Ok(v) => {
                            match kind {
                                EventKind::Fixed => fixed.push(event.value.clone()),
                                EventKind::LastAffected => last_affected.push(event.value.clone()),
                                _ => {}
                            }
                            if kind == EventKind::Limit {
                                limits.push(Some(v));
                            } else {
                                events.push((kind, Bound::At(v)));
                            }
                        }
                        Err(source) => problems.push(CompileError {
                            range: index,
                            event: kind.key(),
                            source,
                        }),
                    },
                }
            }
            // Stable: equal versions keep the record's order.
            events.sort_by(|a, b| cmp_bound(&a.1, &b.1));
            ranges.push(VersionRange {
                index,
                scheme: range_scheme,
                intervals: to_intervals(&events, &limits),
            });
        }
        let mut versions = Vec::new();
        let mut raw_versions = Vec::new();
        for v in affected.versions() {
            match scheme.parse(v) {
                Ok(parsed) => versions.push(parsed),
                Err(_) => raw_versions.push(v.clone()),
            }
        }
        versions.sort();
        raw_versions.sort();
        (
            CompiledAffected {
                scheme,
                ranges,
                git,
                versions,
                raw_versions,
                fixed,
                last_affected,
            },
            problems,
        )
    }

    /// The ordering of this entry's `ECOSYSTEM` ranges and `versions[]`.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Whether the entry has anything that can match a version (a version range or a
    /// `versions[]` list). Entries with only `GIT` ranges match commits alone.
    pub fn has_version_data(&self) -> bool {
        !self.ranges.is_empty() || !self.versions.is_empty() || !self.raw_versions.is_empty()
    }

    /// Every affected run of the version ranges, with the scheme it is ordered by
    /// (the ecosystem's for `ECOSYSTEM` ranges, lenient SemVer for `SEMVER` ones) and
    /// the index of its range in `ranges[]`.
    pub fn intervals(&self) -> impl Iterator<Item = (Scheme, usize, &Interval)> {
        self.ranges
            .iter()
            .flat_map(|r| r.intervals.iter().map(move |i| (r.scheme, r.index, i)))
    }

    /// The parsed `versions[]` entries, sorted.
    pub fn listed_versions(&self) -> &[Version] {
        &self.versions
    }

    /// The `versions[]` entries the ordering cannot parse, sorted.
    pub fn unparsed_listed_versions(&self) -> &[String] {
        &self.raw_versions
    }

    /// `fixed` versions of the version ranges, as written.
    pub fn fixed_versions(&self) -> &[String] {
        &self.fixed
    }

    /// `last_affected` versions of the version ranges, as written.
    pub fn last_affected_versions(&self) -> &[String] {
        &self.last_affected
    }

    /// Whether `version` (as written) is affected. Fails only when the version
    /// cannot be parsed by the ecosystem's ordering and is not listed verbatim.
    pub fn affects_str(&self, version: &str) -> Result<Option<Match>, VersionError> {
        if self
            .raw_versions
            .binary_search_by(|v| v.as_str().cmp(version))
            .is_ok()
        {
            return Ok(Some(Match::Listed));
        }
        let parsed = self.scheme.parse(version)?;
        let semver = if self
            .ranges
            .iter()
            .any(|r| !r.scheme.orders_like(self.scheme))
        {
            Scheme::Go.parse(version).ok()
        } else {
            None
        };
        Ok(self.affects(&parsed, semver.as_ref()))
    }

    /// Whether the parsed `version` is affected. `as_semver` is the same version
    /// parsed as lenient SemVer, for `SEMVER` ranges (`None` if it is not SemVer, in
    /// which case those ranges cannot contain it).
    pub fn affects(&self, version: &Version, as_semver: Option<&Version>) -> Option<Match> {
        if self.versions.binary_search(version).is_ok() {
            return Some(Match::Listed);
        }
        for range in &self.ranges {
            let v = if range.scheme.orders_like(version.scheme()) {
                version
            } else if let Some(s) = as_semver.filter(|s| s.scheme() == range.scheme) {
                s
            } else {
                continue;
            };
            if range.contains(v) {
                return Some(Match::Range(range.index));
            }
        }
        None
    }

    /// The smallest `fixed` version above `version` that this entry does not also
    /// affect (the smallest upgrade that leaves every range), if any.
    pub fn smallest_fix(&self, version: &str) -> Option<String> {
        let current = self.scheme.parse(version).ok()?;
        let mut candidates: Vec<(Version, &String)> = self
            .fixed
            .iter()
            .filter_map(|f| self.scheme.parse(f).ok().map(|p| (p, f)))
            .filter(|(p, _)| *p > current)
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        candidates
            .into_iter()
            .find(|(p, f)| {
                let semver = Scheme::Go.parse(f).ok();
                self.affects(p, semver.as_ref()).is_none()
            })
            .map(|(_, f)| f.clone())
    }

    /// Whether a commit is inside one of the `GIT` ranges, per `ancestry`. `None`
    /// when the oracle cannot tell for a range that might contain it.
    pub fn affects_commit(&self, commit: &str, ancestry: &dyn GitAncestry) -> Option<bool> {
        let commit = commit.trim().to_ascii_lowercase();
        let mut unknown = false;
        for range in &self.git {
            match range.contains(&commit, ancestry) {
                Some(true) => return Some(true),
                Some(false) => {}
                None => unknown = true,
            }
        }
        if unknown {
            None
        } else {
            Some(false)
        }
    }
}

impl VersionRange {
    fn contains(&self, v: &Version) -> bool {
        self.intervals.iter().any(|i| i.contains(v))
    }
}

impl GitRange {
    fn contains(&self, commit: &str, ancestry: &dyn GitAncestry) -> Option<bool> {
        let repo = self.repo.as_deref();
        let anc = |a: &str, d: &str| -> Option<bool> {
            if a == d {
                Some(true)
            } else {
                ancestry.is_ancestor(repo, a, d)
            }
        };
        let limits: Vec<&str> = self
            .events
            .iter()
            .filter(|(k, _)| *k == EventKind::Limit)
            .map(|(_, v)| v.as_str())
            .collect();
        if !limits.is_empty() && !limits.contains(&"*") {
            let mut before_any = false;
            for limit in &limits {
                if *limit != commit && anc(commit, limit)? {
                    before_any = true;
                    break;
                }
            }
            if !before_any {
                return Some(false);
            }
        }
        for (kind, intro) in &self.events {
            if *kind != EventKind::Introduced {
                continue;
            }
            let reachable = intro == "0" || anc(intro, commit)?;
            if !reachable {
                continue;
            }
            let mut closed = false;
            for (k, end) in &self.events {
                let blocks = match k {
                    // intro ≤ fixed ≤ commit
                    EventKind::Fixed => (intro == "0" || anc(intro, end)?) && anc(end, commit)?,
                    // intro ≤ last_affected < commit
                    EventKind::LastAffected => {
                        end != commit && (intro == "0" || anc(intro, end)?) && anc(end, commit)?
                    }
                    _ => false,
                };
                if blocks {
                    closed = true;
                    break;
                }
            }
            if !closed {
                return Some(true);
            }
        }
        Some(false)
    }
}
