//! Every affected entry compiled in memory and indexed, for bulk matching.
//!
//! Entries are grouped by (ecosystem, normalised name, release). Within a group, for
//! each version ordering, every version that bounds an affected run or is listed in
//! `versions[]` is a *boundary*; the boundaries, sorted and distinct, cut the whole
//! version line into elementary segments (each boundary itself, and the open stretch
//! between two neighbours), and each segment holds the sorted set of entries
//! affecting every version in it. A check is then one binary search over the
//! boundaries (O(log b) comparisons) and a copy of the segment's set, however many
//! entries overlap there. Segments with the same set share it.
//!
//! The price is memory: the sets' total size is the sum over entries of the segments
//! each covers, O(b · k) for a package with b boundaries and k entries. On all of the
//! shared OSV data that is 1.4 million references (`MatcherStats`). A line whose
//! sets would exceed [`SET_BUDGET`] keeps only its entry list and evaluates them one
//! by one, so a hostile feed cannot make the index quadratic in memory.

use std::cmp::Ordering;
use std::collections::HashMap;

use rustc_hash::FxHashMap;

use ch_osv::{Affected, CompiledAffected, Upper};
use ch_types::{Ecosystem, EcosystemKind};
use ch_versions::{Scheme, Version, VersionError};

use crate::{AdvisoryDb, DbError};

struct Entry {
    advisory: u32,
    compiled: CompiledAffected,
}

/// The segments of one ordering within a group.
struct Line {
    scheme: Scheme,
    /// Sorted, distinct (by the ordering's equality).
    bounds: Vec<Version>,
    /// `2 * bounds.len() + 1` segments: segment `2i + 1` is exactly `bounds[i]`,
    /// segment `2i` lies strictly between `bounds[i - 1]` and `bounds[i]`. Each is a
    /// `(start, len)` range of `sets`.
    segments: Vec<(u32, u32)>,
    sets: Vec<u32>,
    /// Set instead of the segments when they would exceed the size budget: the
    /// entries (sorted, distinct) to evaluate one by one.
    linear: Option<Vec<u32>>,
}

/// The most entry references one line's segment sets may hold (16 MiB): beyond it
/// (thousands of entries overlapping across thousands of boundaries, which no real
/// feed has: the largest line of the shared data holds a few tens of thousands)
/// the line's entries are evaluated one by one instead, so a hostile feed cannot
/// make the index quadratic in memory.
const SET_BUDGET: usize = 1 << 22;

/// One affected run of an entry, as a range of segment numbers (inclusive).
struct Cover {
    first: usize,
    last: usize,
    slot: u32,
}

impl Line {
    /// `runs` are (lower, upper, slot); `points` are listed versions (version, slot).
    #[cfg(test)]
    fn build(
        scheme: Scheme,
        runs: Vec<(Option<Version>, Upper, u32)>,
        points: Vec<(Version, u32)>,
    ) -> Line {
        Line::build_within(scheme, runs, points, SET_BUDGET)
    }

    fn build_within(
        scheme: Scheme,
        runs: Vec<(Option<Version>, Upper, u32)>,
        points: Vec<(Version, u32)>,
        budget: usize,
    ) -> Line {
        let mut bounds: Vec<Version> = Vec::with_capacity(2 * runs.len() + points.len());
        for (lower, upper, _) in &runs {
            bounds.extend(lower.iter().cloned());
            if let Upper::Before(x) | Upper::Through(x) = upper {
                bounds.push(x.clone());
            }
        }
        bounds.extend(points.iter().map(|(v, _)| v.clone()));
        bounds.sort();
        bounds.dedup();
        let index = |v: &Version| bounds.binary_search(v).unwrap_or_else(|i| i);
        let n_segments = 2 * bounds.len() + 1;
        let mut covers: Vec<Cover> = Vec::with_capacity(runs.len() + points.len());
        for (lower, upper, slot) in &runs {
            let first = lower.as_ref().map_or(0, |l| 2 * index(l) + 1);
            let last = match upper {
                Upper::Open => n_segments - 1,
                Upper::Before(x) => 2 * index(x),
                Upper::Through(x) => 2 * index(x) + 1,
            };
            if first <= last {
                covers.push(Cover {
                    first,
                    last,
                    slot: *slot,
                });
            }
        }
        for (v, slot) in &points {
            let at = 2 * index(v) + 1;
            covers.push(Cover {
                first: at,
                last: at,
                slot: *slot,
            });
        }
        // Sweep the segments, keeping the set of covering slots (with multiplicity:
        // an entry may cover a segment twice, by a run and a listed version).
        // The sets hold at most this many references (less where neighbours share).
        let bound: usize = covers.iter().map(|c| c.last - c.first + 1).sum();
        if bound > budget {
            let mut slots: Vec<u32> = covers.iter().map(|c| c.slot).collect();
            slots.sort_unstable();
            slots.dedup();
            return Line {
                scheme,
                bounds: Vec::new(),
                segments: Vec::new(),
                sets: Vec::new(),
                linear: Some(slots),
            };
        }
        covers.sort_by_key(|c| c.first);
        let mut ends: Vec<Vec<u32>> = vec![Vec::new(); n_segments];
        let mut active: std::collections::BTreeMap<u32, u32> = Default::default();
        let mut segments = Vec::with_capacity(n_segments);
        let mut sets: Vec<u32> = Vec::new();
        let mut next = 0;
        let mut previous: Option<(u32, u32)> = None;
        let mut changed = true;
        for seg in 0..n_segments {
            while next < covers.len() && covers[next].first == seg {
                let c = &covers[next];
                *active.entry(c.slot).or_insert(0) += 1;
                ends[c.last].push(c.slot);
                changed = true;
                next += 1;
            }
            let range = match previous {
                Some(range) if !changed => range,
                _ => {
                    let start = sets.len() as u32;
                    sets.extend(active.keys().copied());
                    (start, sets.len() as u32 - start)
                }
            };
            segments.push(range);
            previous = Some(range);
            changed = false;
            for slot in std::mem::take(&mut ends[seg]) {
                if let Some(n) = active.get_mut(&slot) {
                    *n -= 1;
                    if *n == 0 {
                        active.remove(&slot);
                    }
                }
                changed = true;
            }
        }
        Line {
            scheme,
            bounds,
            segments,
            sets,
            linear: None,
        }
    }
}

/// One group's parts before they are laid out in the arena.
struct GroupBuild {
    release: Option<Box<str>>,
    slots: Vec<u32>,
    lines: Vec<Line>,
    unparsed: Vec<(String, u32)>,
}

impl GroupBuild {
    fn build(
        release: Option<Box<str>>,
        slots: &[u32],
        entries: &[Entry],
        budget: usize,
    ) -> GroupBuild {
        type Parts = (Vec<(Option<Version>, Upper, u32)>, Vec<(Version, u32)>);
        let mut by_scheme: Vec<(Scheme, Parts)> = Vec::new();
        let mut unparsed = Vec::new();
        let mut part = |scheme: Scheme| -> usize {
            match by_scheme.iter().position(|(s, _)| *s == scheme) {
                Some(i) => i,
                None => {
                    by_scheme.push((scheme, Default::default()));
                    by_scheme.len() - 1
                }
            }
        };
        let mut staged: Vec<(usize, Option<Version>, Upper, u32)> = Vec::new();
        let mut points: Vec<(usize, Version, u32)> = Vec::new();
        for &slot in slots {
            let compiled = &entries[slot as usize].compiled;
            for (scheme, _, interval) in compiled.intervals() {
                staged.push((
                    part(scheme),
                    interval.lower.clone(),
                    interval.upper.clone(),
                    slot,
                ));
            }
            for v in compiled.listed_versions() {
                points.push((part(v.scheme()), v.clone(), slot));
            }
            unparsed.extend(
                compiled
                    .unparsed_listed_versions()
                    .iter()
                    .map(|v| (v.clone(), slot)),
            );
        }
        for (i, lower, upper, slot) in staged {
            by_scheme[i].1 .0.push((lower, upper, slot));
        }
        for (i, v, slot) in points {
            by_scheme[i].1 .1.push((v, slot));
        }
        unparsed.sort();
        GroupBuild {
            release,
            slots: slots.to_vec(),
            lines: by_scheme
                .into_iter()
                .map(|(s, (runs, points))| Line::build_within(s, runs, points, budget))
                .collect(),
            unparsed,
        }
    }
}

/// Marks a line laid out as a list of entries to evaluate one by one (its third
/// word is then the number of entries, which follow the header).
const LINEAR: u32 = 1 << 31;
/// Marks a line whose boundaries have order keys (see [`Version::order_key`]): the
/// header is followed by the length in bytes of the prefix every boundary's key
/// shares and those bytes (little-endian words), and each boundary's order prefix
/// summarises its key after that shared part.
const KEYED: u32 = 1 << 30;
/// The most shared key bytes a line stores.
const MAX_SHARED: usize = 32;
/// "None" in an arena word (no release, no unparsed list).
const NONE: u32 = u32::MAX;
/// Words of a group header: release id, number of lines, offset of the first
/// line, unparsed-list id, offset of the slots, number of slots.
const GROUP_WORDS: usize = 6;
/// Words of a line header before its prefixes: total length, scheme index,
/// number of boundaries, index of the first boundary in `bounds`.
const LINE_HEADER: usize = 4;

/// The database's affected entries, compiled and indexed by ecosystem, package name
/// and release. Withdrawn records are left out.
///
/// Layout: everything a check reads about one package lies in one run of `data`
/// (a few hundred bytes for most packages), so a check on a package not in cache
/// costs a handful of cache misses, not one per pointer:
///
/// ```text
/// package: n_groups, then per group GROUP_WORDS words, then the groups' lines
/// line:    length, scheme (| KEYED), B, first boundary, [keyed: shared key length
///          and bytes], B order prefixes (2 words each, high word first), 2B+1
///          segments (absolute start in `data`, length), the sets
/// ```
///
/// Boundary versions themselves live in `bounds` and are read only when two order
/// prefixes tie (see [`ch_versions::Version::order_prefix`]). Lines of a scheme
/// held as byte keys (rpm, [`ch_versions::Version::order_key`]) store the bytes
/// all their boundaries' keys share once and summarise only what follows
/// (`key_prefix`): an AlmaLinux `kernel` line's boundaries all begin
/// `0:4.18.0-`, which a plain 8-byte prefix would spend entirely, and when that
/// rest is at most seven bytes an equal prefix proves an equal version.
pub struct Matcher {
    /// ecosystem kind → name key → offset of the package's record in `data`.
    index: FxHashMap<EcosystemKind, FxHashMap<Box<str>, u32>>,
    data: Vec<u32>,
    bounds: Vec<Version>,
    release_ids: FxHashMap<Box<str>, u32>,
    unparsed: Vec<Vec<(String, u32)>>,
    entries: Vec<Entry>,
    advisory_ids: Vec<Box<str>>,
}

/// One query of [`Matcher::check_batch`]: as the arguments of [`Matcher::check`].
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// The ecosystem, with a release suffix to restrict to that release.
    pub ecosystem: &'a Ecosystem,
    /// The package name, normalised ([`ch_types::normalize_name`]).
    pub name_key: &'a str,
    /// The version, as written.
    pub version: &'a str,
}

/// What [`Matcher::check_batch`] found, per query, in query order.
#[derive(Debug, Default)]
pub struct BatchResults {
    slots: Vec<u32>,
    /// Per query: the range of its slots in `slots`, or why its version did not
    /// parse.
    ranges: Vec<Result<(u32, u32), VersionError>>,
}

impl BatchResults {
    /// Number of queries answered.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether no query was answered.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The affected entries of query `i` (slots, ascending, each once), or the
    /// error parsing its version; `None` past the last query.
    pub fn get(&self, i: usize) -> Option<Result<&[u32], &VersionError>> {
        Some(match self.ranges.get(i)? {
            Ok((start, end)) => Ok(&self.slots[*start as usize..*end as usize]),
            Err(e) => Err(e),
        })
    }
}

/// Sizes of a [`Matcher`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatcherStats {
    /// Compiled affected entries.
    pub n_entries: usize,
    /// Distinct (ecosystem, package) keys.
    pub n_packages: usize,
    /// Distinct advisories.
    pub n_advisories: usize,
    /// Distinct boundary versions over all lines.
    pub n_bounds: usize,
    /// Entry references stored in the segments' sets (the index's main memory).
    pub n_set_slots: usize,
    /// Size of the index arena, in bytes.
    pub arena_bytes: usize,
}

/// Appends one line to the arena; returns the number of set slots written.
fn lay_out_line(line: &Line, data: &mut Vec<u32>, bounds: &mut Vec<Version>) -> usize {
    let start = data.len();
    let n = line.bounds.len();
    let scheme = Scheme::ALL
        .iter()
        .position(|s| *s == line.scheme)
        .unwrap_or(0);
    if let Some(slots) = &line.linear {
        data.extend([0, scheme as u32 | LINEAR, slots.len() as u32, 0]);
        data.extend_from_slice(slots);
        data[start] = (data.len() - start) as u32;
        return 0;
    }
    let keys: Option<Vec<&[u8]>> = line.bounds.iter().map(Version::order_key).collect();
    match keys.filter(|k| !k.is_empty()) {
        Some(keys) => {
            // Sorted keys: what the first and last share, every one shares.
            let (first, last) = (keys[0], keys[keys.len() - 1]);
            let shared = first
                .iter()
                .zip(last)
                .take_while(|(a, b)| a == b)
                .count()
                .min(MAX_SHARED);
            data.extend([0, scheme as u32 | KEYED, n as u32, bounds.len() as u32]);
            data.push(shared as u32);
            data.extend(first[..shared].chunks(4).map(|c| {
                let mut w = [0u8; 4];
                w[..c.len()].copy_from_slice(c);
                u32::from_le_bytes(w)
            }));
            for key in keys {
                let p = key_prefix(&key[shared..]);
                data.extend([(p >> 32) as u32, p as u32]);
            }
        }
        None => {
            data.extend([0, scheme as u32, n as u32, bounds.len() as u32]);
            for b in &line.bounds {
                // Bit 0 of an order prefix is free: it marks an exact one.
                let p = b.order_prefix() | u64::from(b.prefix_is_exact());
                data.extend([(p >> 32) as u32, p as u32]);
            }
        }
    }
    let sets_at = (data.len() + 2 * line.segments.len()) as u32;
    for &(s, len) in &line.segments {
        data.extend([sets_at + s, len]);
    }
    data.extend_from_slice(&line.sets);
    data[start] = (data.len() - start) as u32;
    bounds.extend(line.bounds.iter().cloned());
    line.sets.len()
}

/// The first seven bytes of a key (the rest of a boundary's key after the shared
/// bytes), zero-padded, then its length capped at 8, as a big-endian number.
///
/// Monotone in the keys' lexicographic order: when the padded bytes tie, a key of
/// at most seven bytes is a prefix of the other (plus zero bytes), so the shorter is
/// the smaller, and every longer key counts as 8. Two prefixes that are equal and
/// whose length byte is below 8 ([`EXACT_LEN`]) come from equal keys, so a check
/// decides equality without reading the boundary.
fn key_prefix(key: &[u8]) -> u64 {
    let mut head = [0u8; 8];
    let n = key.len().min(7);
    head[..n].copy_from_slice(&key[..n]);
    head[7] = key.len().min(EXACT_LEN as usize) as u8;
    u64::from_be_bytes(head)
}

/// Length byte of a [`key_prefix`] for keys too long to be told apart by it.
const EXACT_LEN: u64 = 8;

/// Offset of a non-linear line's order prefixes.
fn prefixes_at(data: &[u32], at: usize) -> usize {
    if data[at + 1] & KEYED != 0 {
        at + LINE_HEADER + 1 + (data[at + LINE_HEADER] as usize).div_ceil(4)
    } else {
        at + LINE_HEADER
    }
}

/// Where a version's order key stands against a keyed line's shared key bytes:
/// below every boundary, above every one, or sharing them, with the prefix of the
/// key's rest.
fn keyed_prefix(data: &[u32], at: usize, key: &[u8]) -> Result<u64, Ordering> {
    let len = data[at + LINE_HEADER] as usize;
    let mut shared = [0u8; MAX_SHARED];
    let words = &data[at + LINE_HEADER + 1..at + LINE_HEADER + 1 + len.div_ceil(4)];
    for (i, w) in words.iter().enumerate() {
        shared[4 * i..4 * i + 4].copy_from_slice(&w.to_le_bytes());
    }
    let head = &key[..len.min(key.len())];
    match head.cmp(&shared[..head.len()]) {
        Ordering::Equal if key.len() >= len => Ok(key_prefix(&key[len..])),
        // A proper prefix of the shared bytes is below every key that has them.
        Ordering::Equal => Err(Ordering::Less),
        other => Err(other),
    }
}

/// The slots of every entry of the line at `at` that affects `v` (sorted, each
/// once), appended to `out`.
fn stab_line(data: &[u32], bounds: &[Version], at: usize, v: &Version, out: &mut Vec<u32>) {
    let n = data[at + 2] as usize;
    let first = data[at + 3] as usize;
    let pstart = prefixes_at(data, at);
    let prefixes = &data[pstart..pstart + 2 * n];
    let keyed = data[at + 1] & KEYED != 0;
    // Order prefixes of keyed lines use every bit; others carry the exact flag in
    // bit 0, which is not part of the order.
    let mask = if keyed { u64::MAX } else { !1 };
    let stored = |i: usize| (u64::from(prefixes[2 * i]) << 32) | u64::from(prefixes[2 * i + 1]);
    let prefix = |i: usize| stored(i) & mask;
    let segs = pstart + 2 * n;
    let pv = if keyed {
        let Some(key) = v.order_key() else {
            // Not a keyed version (a line is only searched with versions of its own
            // order, so this does not happen): compare with every boundary.
            let seg = match bounds[first..first + n].binary_search(v) {
                Ok(i) => 2 * i + 1,
                Err(i) => 2 * i,
            };
            return copy_segment(data, segs, seg, out);
        };
        match keyed_prefix(data, at, key) {
            Ok(p) => p,
            Err(Ordering::Less) => return copy_segment(data, segs, 0, out),
            Err(_) => return copy_segment(data, segs, 2 * n, out),
        }
    } else {
        v.order_prefix()
    };
    // Boundaries with a smaller prefix are below v, with a larger one above it;
    // only those with an equal prefix need a full comparison.
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if prefix(mid) < pv {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if lo == n || prefix(lo) != pv {
        // No boundary ties with v: it lies strictly between two of them.
        return copy_segment(data, segs, 2 * lo, out);
    }
    let exact = if keyed {
        // The whole rest of the key is in the prefix.
        pv & 0xFF < EXACT_LEN
    } else {
        stored(lo) & 1 == 1 && v.prefix_is_exact()
    };
    if exact {
        // Equal exact prefixes: boundary `lo` equals v.
        return copy_segment(data, segs, 2 * lo + 1, out);
    }
    let (mut end, mut top) = (lo + 1, n);
    while end < top {
        let mid = (end + top) / 2;
        if prefix(mid) <= pv {
            end = mid + 1;
        } else {
            top = mid;
        }
    }
    let found = bounds[first + lo..first + end].binary_search(v);
    let seg = match found {
        Ok(i) => 2 * (lo + i) + 1,
        Err(i) => 2 * (lo + i),
    };
    copy_segment(data, segs, seg, out);
}

/// Appends the set of segment `seg` of the segment table at `segs`.
fn copy_segment(data: &[u32], segs: usize, seg: usize, out: &mut Vec<u32>) {
    let (start, len) = (
        data[segs + 2 * seg] as usize,
        data[segs + 2 * seg + 1] as usize,
    );
    out.extend_from_slice(&data[start..start + len]);
}

impl AdvisoryDb {
    /// Loads, compiles and indexes every affected entry of every non-withdrawn record.
    pub fn matcher(&self) -> Result<Matcher, DbError> {
        self.matcher_with_set_budget(SET_BUDGET)
    }

    /// [`AdvisoryDb::matcher`] with another per-line budget for segment sets
    /// (lines over it are evaluated entry by entry). For tests of that fallback.
    #[doc(hidden)]
    pub fn matcher_with_set_budget(&self, budget: usize) -> Result<Matcher, DbError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT advisory_id, ecosystem, release, name_key, entry FROM affected
                 WHERE withdrawn = 0 ORDER BY advisory_id, position",
            )
            .map_err(|e| self.sql_err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql_err(e))?;
        let mut entries = Vec::new();
        let mut advisory_ids: Vec<Box<str>> = Vec::new();
        let mut advisory_index: HashMap<String, u32> = HashMap::new();
        // kind → name → release → slots
        type Slots = HashMap<Option<Box<str>>, Vec<u32>>;
        let mut grouped: HashMap<EcosystemKind, HashMap<Box<str>, Slots>> = HashMap::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            let sql = |e| self.sql_err(e);
            let advisory_id: String = row.get(0).map_err(sql)?;
            let ecosystem: String = row.get(1).map_err(sql)?;
            let release: Option<String> = row.get(2).map_err(sql)?;
            let name_key: String = row.get(3).map_err(sql)?;
            let entry: Vec<u8> = row.get(4).map_err(sql)?;
            let Ok(affected) = serde_json::from_slice::<Affected>(&entry) else {
                continue;
            };
            let Ok(eco) = Ecosystem::parse(&ecosystem) else {
                continue;
            };
            let (compiled, _) = CompiledAffected::compile(&eco, &affected);
            if !compiled.has_version_data() {
                continue;
            }
            let next = advisory_ids.len() as u32;
            let advisory = *advisory_index
                .entry(advisory_id.clone())
                .or_insert_with(|| {
                    advisory_ids.push(advisory_id.into_boxed_str());
                    next
                });
            let slot = entries.len() as u32;
            entries.push(Entry { advisory, compiled });
            grouped
                .entry(eco.kind().clone())
                .or_default()
                .entry(name_key.into_boxed_str())
                .or_default()
                .entry(release.map(String::into_boxed_str))
                .or_default()
                .push(slot);
        }
        let mut matcher = Matcher {
            index: FxHashMap::default(),
            data: Vec::new(),
            bounds: Vec::new(),
            release_ids: FxHashMap::default(),
            unparsed: Vec::new(),
            entries,
            advisory_ids,
        };
        for (kind, names) in grouped {
            let mut packages = FxHashMap::default();
            for (name, releases) in names {
                let mut groups: Vec<GroupBuild> = releases
                    .into_iter()
                    .map(|(release, slots)| {
                        GroupBuild::build(release, &slots, &matcher.entries, budget)
                    })
                    .collect();
                groups.sort_by(|a, b| a.release.cmp(&b.release));
                packages.insert(name, matcher.lay_out_package(groups));
            }
            matcher.index.insert(kind, packages);
        }
        Ok(matcher)
    }
}

/// A group header read from the arena.
struct GroupView {
    release: u32,
    n_lines: usize,
    lines: usize,
    unparsed: u32,
    slots: usize,
    n_slots: usize,
}

impl Matcher {
    /// Appends one package (its groups, sorted by release) to the arena; returns
    /// its offset.
    fn lay_out_package(&mut self, groups: Vec<GroupBuild>) -> u32 {
        let at = self.data.len();
        self.data.push(groups.len() as u32);
        let headers = self.data.len();
        self.data.resize(headers + GROUP_WORDS * groups.len(), NONE);
        for (i, group) in groups.into_iter().enumerate() {
            let release = match group.release {
                None => NONE,
                Some(r) => {
                    let next = self.release_ids.len() as u32;
                    *self.release_ids.entry(r).or_insert(next)
                }
            };
            let unparsed = if group.unparsed.is_empty() {
                NONE
            } else {
                self.unparsed.push(group.unparsed);
                (self.unparsed.len() - 1) as u32
            };
            let lines = self.data.len();
            for line in &group.lines {
                lay_out_line(line, &mut self.data, &mut self.bounds);
            }
            let slots = self.data.len();
            self.data.extend_from_slice(&group.slots);
            let h = headers + GROUP_WORDS * i;
            self.data[h..h + GROUP_WORDS].copy_from_slice(&[
                release,
                group.lines.len() as u32,
                lines as u32,
                unparsed,
                slots as u32,
                group.slots.len() as u32,
            ]);
        }
        at as u32
    }

    /// The groups of a package record that apply to `release` (a release key, or
    /// `None` for every release): those of that release and those without one.
    fn groups(&self, package: u32, release: Option<&str>) -> impl Iterator<Item = GroupView> + '_ {
        let at = package as usize;
        let n = self.data[at] as usize;
        // A release no entry names matches only the groups without a release.
        let want = release.map(|r| self.release_ids.get(r).copied().unwrap_or(NONE - 1));
        (0..n).filter_map(move |i| {
            let h = &self.data[at + 1 + GROUP_WORDS * i..at + 1 + GROUP_WORDS * (i + 1)];
            let group = GroupView {
                release: h[0],
                n_lines: h[1] as usize,
                lines: h[2] as usize,
                unparsed: h[3],
                slots: h[4] as usize,
                n_slots: h[5] as usize,
            };
            match want {
                Some(w) if group.release != NONE && group.release != w => None,
                _ => Some(group),
            }
        })
    }

    fn package(&self, ecosystem: &Ecosystem, name_key: &str) -> Option<u32> {
        self.index
            .get(ecosystem.kind())
            .and_then(|names| names.get(name_key))
            .copied()
    }

    /// [`Matcher::check`] without the index: every entry of the package evaluated
    /// one by one with [`CompiledAffected::affects`]. The reference the index is
    /// tested against; slower, same answers.
    pub fn check_linear(
        &self,
        ecosystem: &Ecosystem,
        name_key: &str,
        version: &str,
        out: &mut Vec<u32>,
    ) -> Result<(), VersionError> {
        let Some(package) = self.package(ecosystem, name_key) else {
            return Ok(());
        };
        let parsed = ch_osv::scheme_for(ecosystem).parse(version)?;
        let semver = Scheme::Go.parse(version).ok();
        let release = ecosystem.release_key();
        for group in self.groups(package, release.as_deref()) {
            for &slot in &self.data[group.slots..group.slots + group.n_slots] {
                if self.entries[slot as usize]
                    .compiled
                    .affects(&parsed, semver.as_ref())
                    .is_some()
                {
                    out.push(slot);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(())
    }

    /// Sizes.
    pub fn stats(&self) -> MatcherStats {
        let mut n_set_slots = 0;
        for &package in self.index.values().flat_map(FxHashMap::values) {
            for group in self.groups(package, None) {
                let mut line = group.lines;
                for _ in 0..group.n_lines {
                    let n = self.data[line + 2] as usize;
                    if self.data[line + 1] & LINEAR == 0 {
                        let sets = prefixes_at(&self.data, line) - line + 2 * n + 2 * (2 * n + 1);
                        n_set_slots += self.data[line] as usize - sets;
                    }
                    line += self.data[line] as usize;
                }
            }
        }
        MatcherStats {
            n_entries: self.entries.len(),
            n_packages: self.index.values().map(FxHashMap::len).sum(),
            n_advisories: self.advisory_ids.len(),
            n_bounds: self.bounds.len(),
            n_set_slots,
            arena_bytes: self.data.len() * 4,
        }
    }

    /// The id of the advisory an entry (a slot from [`Matcher::check`]) belongs to.
    pub fn advisory_id(&self, slot: u32) -> &str {
        &self.advisory_ids[self.entries[slot as usize].advisory as usize]
    }

    /// The compiled entry behind a slot (fixed versions, smallest fix, …).
    pub fn entry(&self, slot: u32) -> &CompiledAffected {
        &self.entries[slot as usize].compiled
    }

    /// Appends to `out` the entries (slots, ascending, each once) that affect
    /// `version` of the package with normalised name `name_key` in `ecosystem`. A
    /// suffix on `ecosystem` restricts to that release (and entries without one);
    /// without a suffix every release counts. Fails only when some advisory names the
    /// package and the version does not parse.
    pub fn check(
        &self,
        ecosystem: &Ecosystem,
        name_key: &str,
        version: &str,
        out: &mut Vec<u32>,
    ) -> Result<(), VersionError> {
        match self.package(ecosystem, name_key) {
            Some(package) => self.check_package(package, ecosystem, version, out),
            None => Ok(()),
        }
    }

    /// [`Matcher::check`] for many queries at once; results in `results`, one per
    /// query, in order. Same answers as calling `check` on each.
    ///
    /// Faster on packages not in cache: it looks up a run of queries' packages and
    /// touches their records before evaluating any of them, so the processor
    /// waits for those memory reads together rather than one after another.
    pub fn check_batch(&self, queries: &[Query<'_>], results: &mut BatchResults) {
        const RUN: usize = 16;
        results.slots.clear();
        results.ranges.clear();
        let mut touched = 0u32;
        for run in queries.chunks(RUN) {
            let mut packages = [None; RUN];
            for (p, q) in packages.iter_mut().zip(run) {
                *p = self.package(q.ecosystem, q.name_key);
            }
            for &package in packages.iter().flatten() {
                // The group count and the first group's first line: read now, so the
                // misses of the whole run overlap.
                let at = package as usize;
                let first_line = self.data[at + 1 + 2] as usize;
                touched ^= self.data[at] ^ self.data[first_line.min(self.data.len() - 1)];
            }
            for (p, q) in packages.iter().zip(run) {
                let start = results.slots.len();
                let result = match p {
                    Some(package) => {
                        self.check_package(*package, q.ecosystem, q.version, &mut results.slots)
                    }
                    None => Ok(()),
                };
                if result.is_err() {
                    results.slots.truncate(start);
                }
                let end = results.slots.len() as u32;
                results.ranges.push(result.map(|()| (start as u32, end)));
            }
        }
        std::hint::black_box(touched);
    }

    fn check_package(
        &self,
        package: u32,
        ecosystem: &Ecosystem,
        version: &str,
        out: &mut Vec<u32>,
    ) -> Result<(), VersionError> {
        let parsed = ch_osv::scheme_for(ecosystem).parse(version)?;
        let release = ecosystem.release_key();
        let start = out.len();
        let mut semver: Option<Option<Version>> = None;
        let mut sources = 0;
        for group in self.groups(package, release.as_deref()) {
            let mut line = group.lines;
            for _ in 0..group.n_lines {
                let word = self.data[line + 1];
                if word & LINEAR != 0 {
                    let n = self.data[line + 2] as usize;
                    let sv = semver.get_or_insert_with(|| Scheme::Go.parse(version).ok());
                    for &slot in &self.data[line + LINE_HEADER..line + LINE_HEADER + n] {
                        let entry = &self.entries[slot as usize].compiled;
                        if entry.affects(&parsed, sv.as_ref()).is_some() {
                            out.push(slot);
                        }
                    }
                    sources += 2;
                    line += self.data[line] as usize;
                    continue;
                }
                let scheme = Scheme::ALL[(word & !KEYED) as usize];
                if scheme.orders_like(parsed.scheme()) {
                    stab_line(&self.data, &self.bounds, line, &parsed, out);
                    sources += 1;
                } else if scheme == Scheme::Go {
                    let sv = semver.get_or_insert_with(|| Scheme::Go.parse(version).ok());
                    if let Some(sv) = sv {
                        stab_line(&self.data, &self.bounds, line, sv, out);
                        sources += 1;
                    }
                }
                line += self.data[line] as usize;
            }
            if group.unparsed != NONE {
                let unparsed = &self.unparsed[group.unparsed as usize];
                let at = unparsed.partition_point(|(x, _)| x.as_str() < version);
                out.extend(
                    unparsed[at..]
                        .iter()
                        .take_while(|(x, _)| x == version)
                        .map(|(_, s)| *s),
                );
                sources += 2;
            }
        }
        // One line's set is sorted and distinct already.
        if sources > 1 {
            let found = &mut out[start..];
            found.sort_unstable();
            let mut n = 0;
            for i in 0..found.len() {
                if i == 0 || found[i] != found[n - 1] {
                    found[n] = found[i];
                    n += 1;
                }
            }
            out.truncate(start + n);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    /// Lays the line out in a fresh arena and stabs it there, as a check does.
    fn stab(line: &Line, v: &Version) -> Vec<u32> {
        let (mut data, mut bounds) = (vec![7, 7, 7], Vec::new());
        lay_out_line(line, &mut data, &mut bounds);
        let mut out = Vec::new();
        stab_line(&data, &bounds, 3, v, &mut out);
        out
    }

    /// The n-th of an increasing sequence of versions under `scheme`, and a version
    /// strictly between the n-th and the next. SemVer: `1.0.0-a < 1.0.0-b < 1.0.0
    /// < 1.1.0-a …`, so pre-releases share an order prefix and the search must break
    /// ties by comparing versions; Maven has no prefix (every boundary ties); rpm
    /// lines strip the key bytes their boundaries share.
    fn nth(scheme: Scheme, n: u8) -> (Version, Version) {
        let (minor, kind) = (n / 3, n % 3);
        let (at, between) = match (scheme, kind) {
            (Scheme::SemVer, 0) => (format!("1.{minor}.0-a"), format!("1.{minor}.0-aa")),
            (Scheme::SemVer, 1) => (format!("1.{minor}.0-b"), format!("1.{minor}.0-c")),
            (Scheme::SemVer, _) => (format!("1.{minor}.0"), format!("1.{minor}.1")),
            // rpm: keys that share long prefixes, so lines strip shared key bytes.
            (Scheme::Rpm, 0) => (
                format!("2:5.10.{minor}~rc1-1"),
                format!("2:5.10.{minor}~rc1-1.1"),
            ),
            (Scheme::Rpm, 1) => (format!("2:5.10.{minor}-1"), format!("2:5.10.{minor}-1.1")),
            (Scheme::Rpm, _) => (
                format!("2:5.10.{minor}-2.el9"),
                format!("2:5.10.{minor}-2.el9.0.1"),
            ),
            (_, 0) => (format!("1.{minor}-alpha"), format!("1.{minor}-alpha-1")),
            (_, 1) => (format!("1.{minor}-beta"), format!("1.{minor}-beta-1")),
            (_, _) => (format!("1.{minor}"), format!("1.{minor}.0.1")),
        };
        (scheme.parse(&at).unwrap(), scheme.parse(&between).unwrap())
    }

    /// Runs over the first 21 versions, with every kind of upper end.
    fn run() -> impl Strategy<Value = (Option<u8>, u8, u8, u32)> {
        (prop::option::of(0u8..20), 0u8..3, 0u8..21, 0u32..6)
    }

    proptest! {
        /// Whatever the runs and listed points, stabbing the laid-out line answers
        /// exactly what testing every run and point one by one answers, for every
        /// version at, between, below and above the boundaries.
        /// `key_prefix` is monotone, and equal exact prefixes mean equal keys.
        #[test]
        fn key_prefix_is_monotone_and_exact_below_eight_bytes(
            a in prop::collection::vec(0u8..3, 0..10),
            (at, byte, edit) in (0usize..10, 0u8..3, 0u8..3),
        ) {
            // A neighbour of `a`: one byte changed, one appended, or one removed.
            let mut b = a.clone();
            match edit {
                0 if at < b.len() => b[at] = byte,
                1 => b.push(byte),
                _ => {
                    b.pop();
                }
            }
            let (pa, pb) = (key_prefix(&a), key_prefix(&b));
            if a < b {
                prop_assert!(pa <= pb);
            }
            if pa == pb && pa & 0xFF < EXACT_LEN {
                prop_assert_eq!(a, b);
            }
        }

        #[test]
        fn segments_equal_brute_force(
            scheme in prop::sample::select(vec![Scheme::SemVer, Scheme::Maven, Scheme::Rpm]),
            runs in prop::collection::vec(run(), 0..12),
            points in prop::collection::vec((0u8..21, 0u32..6), 0..6),
        ) {
            let v = |n: u8| nth(scheme, n).0;
            for n in 0u8..22 {
                prop_assert!(v(n) < nth(scheme, n).1 && nth(scheme, n).1 < v(n + 1));
            }
            let runs: Vec<(Option<Version>, Upper, u32)> = runs
                .into_iter()
                .map(|(lower, kind, end, slot)| {
                    let upper = match kind {
                        0 => Upper::Open,
                        1 => Upper::Before(v(end)),
                        _ => Upper::Through(v(end)),
                    };
                    (lower.map(v), upper, slot)
                })
                .collect();
            let points: Vec<(Version, u32)> =
                points.into_iter().map(|(n, slot)| (v(n), slot)).collect();
            let line = Line::build(scheme, runs.clone(), points.clone());
            for n in 0u8..22 {
                let (at, between) = nth(scheme, n);
                for q in [at, between] {
                    let mut want: Vec<u32> = runs
                        .iter()
                        .filter(|(lower, upper, _)| {
                            lower.as_ref().is_none_or(|l| l <= &q) && upper.covers(&q)
                        })
                        .map(|(_, _, slot)| *slot)
                        .chain(points.iter().filter(|(p, _)| *p == q).map(|(_, s)| *s))
                        .collect();
                    want.sort_unstable();
                    want.dedup();
                    prop_assert_eq!(&stab(&line, &q), &want, "query {:?}", q);
                }
            }
        }
    }

    #[test]
    fn equal_spellings_share_one_boundary() {
        // PEP 440: 1.0 == 1.0.0; a run ending at one and a point at the other.
        let p = |s: &str| Scheme::Pep440.parse(s).unwrap();
        let line = Line::build(
            Scheme::Pep440,
            vec![(None, Upper::Before(p("1.0")), 0)],
            vec![(p("1.0.0"), 1)],
        );
        assert_eq!(line.bounds.len(), 1);
        assert_eq!(stab(&line, &p("1.0.0")), vec![1]);
        assert_eq!(stab(&line, &p("0.9")), vec![0]);
        assert_eq!(stab(&line, &p("1.0.post1")), Vec::<u32>::new());
    }

    #[test]
    fn over_budget_lines_list_their_entries() {
        let runs = (0..10u8)
            .map(|n| {
                (
                    Some(nth(Scheme::SemVer, n).0),
                    Upper::Open,
                    u32::from(n % 4),
                )
            })
            .collect::<Vec<_>>();
        let line = Line::build_within(Scheme::SemVer, runs.clone(), Vec::new(), 20);
        assert_eq!(line.linear, Some(vec![0, 1, 2, 3]));
        let (mut data, mut bounds) = (Vec::new(), Vec::new());
        assert_eq!(lay_out_line(&line, &mut data, &mut bounds), 0);
        assert_eq!(data, vec![8, LINEAR, 4, 0, 0, 1, 2, 3]);
        let indexed = Line::build_within(Scheme::SemVer, runs, Vec::new(), 1000);
        assert!(indexed.linear.is_none() && !indexed.sets.is_empty());
    }
}
