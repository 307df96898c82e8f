//! Every affected entry compiled in memory, for bulk matching.

use std::collections::HashMap;

use ch_osv::{Affected, CompiledAffected};
use ch_types::Ecosystem;
use ch_versions::{Scheme, Version, VersionError};

use crate::{AdvisoryDb, DbError};

struct Entry {
    advisory: u32,
    release: Option<Box<str>>,
    compiled: CompiledAffected,
}

/// The database's affected entries, compiled, indexed by ecosystem and package name.
/// Withdrawn records are left out.
pub struct Matcher {
    /// base → name key → entry indices.
    index: HashMap<Box<str>, HashMap<Box<str>, Vec<u32>>>,
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
}

impl AdvisoryDb {
    /// Loads and compiles every affected entry of every non-withdrawn record.
    pub fn matcher(&self) -> Result<Matcher, DbError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT advisory_id, ecosystem, base, release, name_key, entry FROM affected
                 WHERE withdrawn = 0 ORDER BY advisory_id, position",
            )
            .map_err(|e| self.sql_err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql_err(e))?;
        let mut matcher = Matcher {
            index: HashMap::new(),
            entries: Vec::new(),
            advisory_ids: Vec::new(),
        };
        let mut advisory_index: HashMap<String, u32> = HashMap::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            let get = |i| row.get::<_, String>(i);
            let (advisory_id, ecosystem, base, name_key) =
                (get(0), get(1), get(2), get(4));
            let (Ok(advisory_id), Ok(ecosystem), Ok(base), Ok(name_key)) =
                (advisory_id, ecosystem, base, name_key)
            else {
                continue;
            };
            let release: Option<String> = row.get(3).map_err(|e| self.sql_err(e))?;
            let entry: Vec<u8> = row.get(5).map_err(|e| self.sql_err(e))?;
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
            let next = matcher.advisory_ids.len() as u32;
            let advisory = *advisory_index.entry(advisory_id.clone()).or_insert_with(|| {
                matcher.advisory_ids.push(advisory_id.into_boxed_str());
                next
            });
            let slot = matcher.entries.len() as u32;
            matcher.entries.push(Entry {
                advisory,
                release: release.map(String::into_boxed_str),
                compiled,
            });
            matcher
                .index
                .entry(base.into_boxed_str())
                .or_default()
                .entry(name_key.into_boxed_str())
                .or_default()
                .push(slot);
        }
        Ok(matcher)
    }
}

impl Matcher {
    /// Sizes.
    pub fn stats(&self) -> MatcherStats {
        MatcherStats {
            n_entries: self.entries.len(),
            n_packages: self.index.values().map(HashMap::len).sum(),
            n_advisories: self.advisory_ids.len(),
        }
    }

    /// The id of an advisory index returned by [`Matcher::check`].
    pub fn advisory_id(&self, index: u32) -> &str {
        &self.advisory_ids[index as usize]
    }

    /// Appends to `out` the advisories (indices, possibly repeated when several
    /// entries of one advisory match) that affect `version` of the package with
    /// normalised name `name_key` in `ecosystem`. A suffix on `ecosystem` restricts to
    /// that release. Fails only when the version does not parse and some advisory
    /// names the package.
    pub fn check(
        &self,
        ecosystem: &Ecosystem,
        name_key: &str,
        version: &str,
        out: &mut Vec<u32>,
    ) -> Result<(), VersionError> {
        let Some(slots) = self
            .index
            .get(ecosystem.base())
            .and_then(|names| names.get(name_key))
        else {
            return Ok(());
        };
        let release = ecosystem.release_key();
        let scheme = ch_osv::scheme_for(ecosystem);
        let parsed = scheme.parse(version)?;
        let mut semver: Option<Option<Version>> = None;
        for &slot in slots {
            let entry = &self.entries[slot as usize];
            if let (Some(want), Some(have)) = (&release, &entry.release) {
                if want.as_str() != &**have {
                    continue;
                }
            }
            let sv = semver.get_or_insert_with(|| Scheme::Go.parse(version).ok());
            if entry.compiled.affects(&parsed, sv.as_ref()).is_some() {
                out.push(entry.advisory);
            }
        }
        Ok(())
    }
}
