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
//! shared OSV data that is a few million slot references (`MatcherStats`).

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use ch_osv::{Affected, CompiledAffected, Upper};
use ch_types::Ecosystem;
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
}

/// One affected run of an entry, as a range of segment numbers (inclusive).
struct Cover {
    first: usize,
    last: usize,
    slot: u32,
}

impl Line {
    /// `runs` are (lower, upper, slot); `points` are listed versions (version, slot).
    fn build(
        scheme: Scheme,
        runs: Vec<(Option<Version>, Upper, u32)>,
        points: Vec<(Version, u32)>,
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
        }
    }

    /// Pushes the slots of every entry affecting `v` (sorted, each once).
    fn stab(&self, v: &Version, out: &mut Vec<u32>) {
        let seg = match self.bounds.binary_search(v) {
            Ok(i) => 2 * i + 1,
            Err(i) => 2 * i,
        };
        let (start, len) = self.segments[seg];
        out.extend_from_slice(&self.sets[start as usize..(start + len) as usize]);
    }
}

struct Group {
    release: Option<Box<str>>,
    /// Every entry of the group, for [`Matcher::check_linear`].
    slots: Vec<u32>,
    lines: Vec<Line>,
    unparsed: Vec<(String, u32)>,
}

/// The database's affected entries, compiled and indexed by ecosystem, package name
/// and release. Withdrawn records are left out.
pub struct Matcher {
    /// base → name key → groups (one per release).
    index: FxHashMap<Box<str>, FxHashMap<Box<str>, Vec<Group>>>,
    entries: Vec<Entry>,
    advisory_ids: Vec<Box<str>>,
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
}

impl Group {
    fn build(release: Option<Box<str>>, slots: &[u32], entries: &[Entry]) -> Group {
        type Parts = (Vec<(Option<Version>, Upper, u32)>, Vec<(Version, u32)>);
        let mut by_scheme: Vec<(Scheme, Parts)> = Vec::new();
        let mut unparsed = Vec::new();
        let mut parts = |scheme: Scheme| -> usize {
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
                    parts(scheme),
                    interval.lower.clone(),
                    interval.upper.clone(),
                    slot,
                ));
            }
            for v in compiled.listed_versions() {
                points.push((parts(v.scheme()), v.clone(), slot));
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
        Group {
            release,
            slots: slots.to_vec(),
            lines: by_scheme
                .into_iter()
                .map(|(s, (runs, points))| Line::build(s, runs, points))
                .collect(),
            unparsed,
        }
    }

    fn check(
        &self,
        raw: &str,
        v: &Version,
        semver: &mut Option<Option<Version>>,
        out: &mut Vec<u32>,
    ) {
        for line in &self.lines {
            if line.scheme.orders_like(v.scheme()) {
                line.stab(v, out);
            } else if line.scheme == Scheme::Go {
                let sv = semver.get_or_insert_with(|| Scheme::Go.parse(raw).ok());
                if let Some(sv) = sv {
                    line.stab(sv, out);
                }
            }
        }
        if !self.unparsed.is_empty() {
            let start = self.unparsed.partition_point(|(x, _)| x.as_str() < raw);
            out.extend(
                self.unparsed[start..]
                    .iter()
                    .take_while(|(x, _)| x == raw)
                    .map(|(_, s)| *s),
            );
        }
    }
}

impl AdvisoryDb {
    /// Loads, compiles and indexes every affected entry of every non-withdrawn record.
    pub fn matcher(&self) -> Result<Matcher, DbError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT advisory_id, ecosystem, base, release, name_key, entry FROM affected
                 WHERE withdrawn = 0 ORDER BY advisory_id, position",
            )
            .map_err(|e| self.sql_err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql_err(e))?;
        let mut entries = Vec::new();
        let mut advisory_ids: Vec<Box<str>> = Vec::new();
        let mut advisory_index: HashMap<String, u32> = HashMap::new();
        // base → name → release → slots
        type Slots = HashMap<Option<Box<str>>, Vec<u32>>;
        let mut grouped: HashMap<Box<str>, HashMap<Box<str>, Slots>> = HashMap::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            let sql = |e| self.sql_err(e);
            let advisory_id: String = row.get(0).map_err(sql)?;
            let ecosystem: String = row.get(1).map_err(sql)?;
            let base: String = row.get(2).map_err(sql)?;
            let release: Option<String> = row.get(3).map_err(sql)?;
            let name_key: String = row.get(4).map_err(sql)?;
            let entry: Vec<u8> = row.get(5).map_err(sql)?;
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
                .entry(base.into_boxed_str())
                .or_default()
                .entry(name_key.into_boxed_str())
                .or_default()
                .entry(release.map(String::into_boxed_str))
                .or_default()
                .push(slot);
        }
        let index = grouped
            .into_iter()
            .map(|(base, names)| {
                let names = names
                    .into_iter()
                    .map(|(name, releases)| {
                        let mut groups: Vec<Group> = releases
                            .into_iter()
                            .map(|(release, slots)| Group::build(release, &slots, &entries))
                            .collect();
                        groups.sort_by(|a, b| a.release.cmp(&b.release));
                        (name, groups)
                    })
                    .collect();
                (base, names)
            })
            .collect();
        Ok(Matcher {
            index,
            entries,
            advisory_ids,
        })
    }
}

impl Matcher {
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
        let Some(groups) = self
            .index
            .get(ecosystem.base())
            .and_then(|names| names.get(name_key))
        else {
            return Ok(());
        };
        let parsed = ch_osv::scheme_for(ecosystem).parse(version)?;
        let semver = Scheme::Go.parse(version).ok();
        let release = ecosystem.release_key();
        for group in groups {
            if let (Some(want), Some(have)) = (release.as_deref(), &group.release) {
                if want != &**have {
                    continue;
                }
            }
            for &slot in &group.slots {
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
        let lines = || {
            self.index
                .values()
                .flat_map(FxHashMap::values)
                .flatten()
                .flat_map(|g| &g.lines)
        };
        MatcherStats {
            n_entries: self.entries.len(),
            n_packages: self.index.values().map(FxHashMap::len).sum(),
            n_advisories: self.advisory_ids.len(),
            n_bounds: lines().map(|l| l.bounds.len()).sum(),
            n_set_slots: lines().map(|l| l.sets.len()).sum(),
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
        let Some(groups) = self
            .index
            .get(ecosystem.base())
            .and_then(|names| names.get(name_key))
        else {
            return Ok(());
        };
        let parsed = ch_osv::scheme_for(ecosystem).parse(version)?;
        let release = ecosystem.release_key();
        let release = release.as_deref();
        let start = out.len();
        let mut semver = None;
        for group in groups {
            if let (Some(want), Some(have)) = (release, &group.release) {
                if want != &**have {
                    continue;
                }
            }
            group.check(version, &parsed, &mut semver, out);
        }
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
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn v(n: u8) -> Version {
        Scheme::SemVer.parse(&format!("1.{n}.0")).unwrap()
    }

    /// Runs over versions 1.0.0 … 1.20.0, with every kind of upper end.
    fn run() -> impl Strategy<Value = (Option<u8>, u8, u8, u32)> {
        (prop::option::of(0u8..20), 0u8..3, 0u8..21, 0u32..6)
    }

    proptest! {
        /// Whatever the runs and listed points, stabbing the line answers exactly
        /// what testing every run and point one by one answers, for every version
        /// at, between, below and above the boundaries.
        #[test]
        fn segments_equal_brute_force(
            runs in prop::collection::vec(run(), 0..12),
            points in prop::collection::vec((0u8..21, 0u32..6), 0..6),
        ) {
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
            let line = Line::build(Scheme::SemVer, runs.clone(), points.clone());
            // Queries between boundaries too: 1.n.5 lies strictly inside (1.n, 1.n+1).
            for n in 0u8..22 {
                for q in [v(n), Scheme::SemVer.parse(&format!("1.{n}.5")).unwrap()] {
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
                    let mut got = Vec::new();
                    line.stab(&q, &mut got);
                    prop_assert_eq!(&got, &want, "query {:?}", q);
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
        let mut got = Vec::new();
        line.stab(&p("1.0.0"), &mut got);
        assert_eq!(got, vec![1]);
        got.clear();
        line.stab(&p("0.9"), &mut got);
        assert_eq!(got, vec![0]);
    }
}
