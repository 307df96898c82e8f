//! Every affected entry compiled in memory and indexed, for bulk matching.
//!
//! Entries are grouped by (ecosystem, normalised name, release). Within a group the
//! affected runs of every entry ([`ch_osv::Interval`]) are sorted by their lower end
//! and covered by a max-upper-end segment tree, so a check costs a binary search plus
//! a walk to the runs that contain the version: O(log n + k log n) for a package
//! with n runs of which k match, instead of evaluating every advisory of the
//! package. Listed versions (`versions[]`) are a sorted array searched by equality.

use std::cmp::Ordering;
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

struct Run {
    lower: Option<Version>,
    upper: Upper,
    slot: u32,
}

/// All runs of one ordering within a group, sorted by lower end, with a segment
/// tree over positions holding the run with the largest upper end.
struct Line {
    scheme: Scheme,
    runs: Vec<Run>,
    /// 1-based heap layout, `2 * size` nodes; `u32::MAX` marks an empty leaf.
    tree: Vec<u32>,
    size: usize,
}

/// Runs with no lower end (`introduced: "0"`), sorted by upper end, largest first:
/// the runs containing `v` are exactly a prefix, found by one binary search.
struct Unbounded {
    scheme: Scheme,
    runs: Vec<(Upper, u32)>,
}

impl Unbounded {
    fn stab(&self, v: &Version, out: &mut Vec<u32>) {
        let n = self.runs.partition_point(|(upper, _)| upper.covers(v));
        out.extend(self.runs[..n].iter().map(|(_, slot)| *slot));
    }
}

struct Group {
    release: Option<Box<str>>,
    /// Every entry of the group, for [`Matcher::check_linear`].
    slots: Vec<u32>,
    unbounded: Vec<Unbounded>,
    lines: Vec<Line>,
    listed: Vec<(Version, u32)>,
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
    /// Affected runs indexed.
    pub n_runs: usize,
}

fn cmp_lower(a: &Option<Version>, b: &Option<Version>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(y),
    }
}

impl Line {
    fn build(scheme: Scheme, mut runs: Vec<Run>) -> Line {
        runs.sort_by(|a, b| cmp_lower(&a.lower, &b.lower));
        let size = runs.len().next_power_of_two().max(1);
        let mut tree = vec![u32::MAX; 2 * size];
        for i in 0..runs.len() {
            tree[size + i] = i as u32;
        }
        for node in (1..size).rev() {
            let (l, r) = (tree[2 * node], tree[2 * node + 1]);
            tree[node] = match (l, r) {
                (u32::MAX, x) | (x, u32::MAX) => x,
                (l, r) => {
                    if runs[r as usize].upper.cmp_end(&runs[l as usize].upper) == Ordering::Greater
                    {
                        r
                    } else {
                        l
                    }
                }
            };
        }
        Line {
            scheme,
            runs,
            tree,
            size,
        }
    }

    /// Pushes the slots of every run containing `v`.
    fn stab(&self, v: &Version, out: &mut Vec<u32>) {
        // Runs that start at or below v form a prefix.
        let prefix = self
            .runs
            .partition_point(|r| r.lower.as_ref().is_none_or(|l| l <= v));
        if prefix > 0 {
            self.walk(1, 0, self.size, prefix, v, out);
        }
    }

    fn walk(
        &self,
        node: usize,
        from: usize,
        to: usize,
        prefix: usize,
        v: &Version,
        out: &mut Vec<u32>,
    ) {
        if from >= prefix {
            return;
        }
        let best = self.tree[node];
        if best == u32::MAX || !self.runs[best as usize].upper.covers(v) {
            return;
        }
        if node >= self.size {
            out.push(self.runs[best as usize].slot);
            return;
        }
        let mid = (from + to) / 2;
        self.walk(2 * node, from, mid, prefix, v, out);
        self.walk(2 * node + 1, mid, to, prefix, v, out);
    }
}

impl Group {
    fn build(release: Option<Box<str>>, slots: &[u32], entries: &[Entry]) -> Group {
        let mut by_scheme: Vec<(Scheme, Vec<Run>)> = Vec::new();
        let mut unbounded: Vec<Unbounded> = Vec::new();
        let mut listed = Vec::new();
        let mut unparsed = Vec::new();
        for &slot in slots {
            let compiled = &entries[slot as usize].compiled;
            for (scheme, _, interval) in compiled.intervals() {
                if interval.lower.is_none() {
                    let item = (interval.upper.clone(), slot);
                    match unbounded.iter_mut().find(|u| u.scheme == scheme) {
                        Some(u) => u.runs.push(item),
                        None => unbounded.push(Unbounded {
                            scheme,
                            runs: vec![item],
                        }),
                    }
                    continue;
                }
                let run = Run {
                    lower: interval.lower.clone(),
                    upper: interval.upper.clone(),
                    slot,
                };
                match by_scheme.iter_mut().find(|(s, _)| *s == scheme) {
                    Some((_, runs)) => runs.push(run),
                    None => by_scheme.push((scheme, vec![run])),
                }
            }
            listed.extend(compiled.listed_versions().iter().map(|v| (v.clone(), slot)));
            unparsed.extend(
                compiled
                    .unparsed_listed_versions()
                    .iter()
                    .map(|v| (v.clone(), slot)),
            );
        }
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        unparsed.sort();
        for u in &mut unbounded {
            u.runs.sort_by(|a, b| b.0.cmp_end(&a.0));
        }
        Group {
            release,
            slots: slots.to_vec(),
            unbounded,
            lines: by_scheme
                .into_iter()
                .map(|(s, runs)| Line::build(s, runs))
                .collect(),
            listed,
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
        for u in &self.unbounded {
            if u.scheme.orders_like(v.scheme()) {
                u.stab(v, out);
            } else if u.scheme == Scheme::Go {
                let sv = semver.get_or_insert_with(|| Scheme::Go.parse(raw).ok());
                if let Some(sv) = sv {
                    u.stab(sv, out);
                }
            }
        }
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
        if !self.listed.is_empty() {
            let start = self.listed.partition_point(|(x, _)| x < v);
            out.extend(
                self.listed[start..]
                    .iter()
                    .take_while(|(x, _)| x == v)
                    .map(|(_, s)| *s),
            );
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
        let groups = || self.index.values().flat_map(FxHashMap::values).flatten();
        MatcherStats {
            n_entries: self.entries.len(),
            n_packages: self.index.values().map(FxHashMap::len).sum(),
            n_advisories: self.advisory_ids.len(),
            n_runs: groups()
                .map(|g| {
                    g.lines.iter().map(|l| l.runs.len()).sum::<usize>()
                        + g.unbounded.iter().map(|u| u.runs.len()).sum::<usize>()
                })
                .sum(),
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
