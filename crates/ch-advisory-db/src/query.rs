//! Indexed questions: one package version, one id, counts.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use ch_osv::group::group_by_alias;
use ch_osv::{scheme_for, Advisory, Affected, CompiledAffected};
use ch_types::{normalize_name, Ecosystem};
use ch_versions::Version;

use crate::{AdvisoryDb, DbError};

/// One vulnerability affecting a queried package version: advisories that alias one
/// another are merged into one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VulnerabilityMatch {
    /// The representative id (a database's own id before a bare CVE, then the smallest).
    pub id: String,
    /// Every other id it is known by, sorted.
    pub aliases: Vec<String>,
    /// The stored advisories that matched, sorted.
    pub advisories: Vec<String>,
    /// The summary of the representative (or the first matched advisory that has one).
    pub summary: Option<String>,
    /// `fixed` versions of the matching entries, in the ecosystem's order, de-duplicated.
    pub fixed: Vec<String>,
    /// The smallest fixed version above the queried one that no matching advisory affects.
    pub smallest_fix: Option<String>,
    /// Severity scores `(type, score)` of the matched advisories (record and
    /// affected-entry level), de-duplicated.
    pub severity: Vec<(String, String)>,
    /// The newest `modified` of the matched advisories.
    pub modified: String,
    /// The earliest `published` of the matched advisories.
    pub published: Option<String>,
}

/// A stored record, as `advisory show` prints it.
#[derive(Debug, Clone)]
pub struct StoredAdvisory {
    /// The parsed record.
    pub advisory: Advisory,
    /// The record exactly as imported.
    pub raw: Vec<u8>,
    /// The source it came from.
    pub source: String,
    /// When it was imported (RFC 3339).
    pub imported_at: String,
}

/// Counts for one ecosystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcosystemStats {
    /// The ecosystem base name (`Debian` for `Debian:12`).
    pub ecosystem: String,
    /// Advisories with at least one affected entry in it.
    pub n_advisories: u64,
    /// Of those, withdrawn.
    pub n_withdrawn: u64,
    /// Distinct package names.
    pub n_packages: u64,
    /// Distinct releases (suffixes), for distributions.
    pub releases: Vec<String>,
    /// The newest `modified` or `published` time among its advisories (some
    /// sources, such as Go's vulndb files, leave `modified` at year 1).
    pub newest_modified: Option<String>,
    /// When its advisories were last imported.
    pub last_imported: Option<String>,
}

/// Counts for the whole database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// The database file.
    pub path: PathBuf,
    /// All stored records.
    pub n_advisories: u64,
    /// Withdrawn records.
    pub n_withdrawn: u64,
    /// The newest `modified` or `published` time of any record.
    pub newest_modified: Option<String>,
    /// The last import or sync.
    pub last_imported: Option<String>,
    /// Per ecosystem, by name.
    pub ecosystems: Vec<EcosystemStats>,
}

/// A source recorded in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// Its name (`osv:PyPI` for a sync, the path for an import).
    pub name: String,
    /// `download`, `file` or `folder`.
    pub kind: String,
    /// Where it was read from.
    pub location: String,
    /// When it was last imported (RFC 3339).
    pub updated_at: String,
    /// Valid records read that time.
    pub n_records: u64,
}

struct Hit {
    advisory_id: String,
    compiled: CompiledAffected,
    severity: Vec<(String, String)>,
}

impl AdvisoryDb {
    /// The vulnerabilities affecting `name` at `version` in `ecosystem`, merged by
    /// alias, withdrawn records excluded. A suffix on the ecosystem (`Debian:12`)
    /// restricts to that release; without one, every release matches.
    pub fn query(
        &self,
        ecosystem: &Ecosystem,
        name: &str,
        version: &str,
    ) -> Result<Vec<VulnerabilityMatch>, DbError> {
        let scheme = scheme_for(ecosystem);
        let parsed: Version = scheme.parse(version).map_err(DbError::Version)?;
        let semver = ch_versions::Scheme::Go.parse(version).ok();
        let name_key = normalize_name(ecosystem.kind(), name);
        let release = ecosystem.release_key();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT advisory_id, ecosystem, release, entry FROM affected
                 WHERE base = ?1 AND name_key = ?2 AND withdrawn = 0
                 ORDER BY advisory_id, position",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map(rusqlite::params![ecosystem.base(), name_key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })
            .map_err(|e| self.sql_err(e))?;
        let mut hits: Vec<Hit> = Vec::new();
        for row in rows {
            let (advisory_id, entry_ecosystem, entry_release, entry) =
                row.map_err(|e| self.sql_err(e))?;
            if let (Some(want), Some(have)) = (&release, &entry_release) {
                if want.as_ref() != have.as_str() {
                    continue;
                }
            }
            let Ok(affected) = serde_json::from_slice::<Affected>(&entry) else {
                continue;
            };
            let Ok(entry_eco) = Ecosystem::parse(&entry_ecosystem) else {
                continue;
            };
            let (compiled, _) = CompiledAffected::compile(&entry_eco, &affected);
            if compiled.affects(&parsed, semver.as_ref()).is_some() {
                hits.push(Hit {
                    advisory_id,
                    compiled,
                    severity: affected
                        .severity()
                        .iter()
                        .map(|s| (s.kind.clone(), s.score.clone()))
                        .collect(),
                });
            }
        }
        if hits.is_empty() {
            return Ok(Vec::new());
        }
        // Load the matched records.
        let mut records: BTreeMap<String, Advisory> = BTreeMap::new();
        for hit in &hits {
            if !records.contains_key(&hit.advisory_id) {
                if let Some(stored) = self.advisory_by_id(&hit.advisory_id)? {
                    records.insert(hit.advisory_id.clone(), stored.advisory);
                }
            }
        }
        let ids: Vec<&String> = records.keys().collect();
        let groups = group_by_alias(ids.iter().map(|id| {
            (
                id.as_str(),
                records[*id].aliases().iter().map(String::as_str),
            )
        }));
        let mut out = Vec::with_capacity(groups.len());
        for group in groups {
            let member_ids: Vec<&str> = group.members.iter().map(|&m| ids[m].as_str()).collect();
            let members: Vec<&Advisory> = member_ids.iter().map(|id| &records[*id]).collect();
            let group_hits: Vec<&Hit> = hits
                .iter()
                .filter(|h| member_ids.contains(&h.advisory_id.as_str()))
                .collect();
            let mut fixed: Vec<(Option<Version>, String)> = Vec::new();
            for hit in &group_hits {
                for f in hit.compiled.fixed_versions() {
                    if !fixed.iter().any(|(_, x)| x == f) {
                        fixed.push((hit.compiled.scheme().parse(f).ok(), f.clone()));
                    }
                }
            }
            fixed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            // The smallest fix that leaves every matching entry of every member.
            let smallest_fix = fixed
                .iter()
                .filter(|(p, _)| p.as_ref().is_some_and(|p| *p > parsed))
                .find(|(p, f)| {
                    let sv = ch_versions::Scheme::Go.parse(f).ok();
                    p.as_ref().is_some_and(|p| {
                        group_hits
                            .iter()
                            .all(|h| h.compiled.affects(p, sv.as_ref()).is_none())
                    })
                })
                .map(|(_, f)| f.clone());
            let mut severity: Vec<(String, String)> = Vec::new();
            for a in &members {
                for s in a.severity() {
                    let pair = (s.kind.clone(), s.score.clone());
                    if !severity.contains(&pair) {
                        severity.push(pair);
                    }
                }
            }
            for hit in &group_hits {
                for pair in &hit.severity {
                    if !severity.contains(pair) {
                        severity.push(pair.clone());
                    }
                }
            }
            let representative = &records[&group.id];
            let summary = representative
                .summary
                .clone()
                .or_else(|| members.iter().find_map(|a| a.summary.clone()));
            let modified = members
                .iter()
                .max_by_key(|a| a.modified_micros())
                .map(|a| a.modified.clone())
                .unwrap_or_default();
            let published = members.iter().filter_map(|a| a.published.clone()).min();
            out.push(VulnerabilityMatch {
                id: group.id,
                aliases: group.aliases,
                advisories: member_ids.iter().map(|s| (*s).to_owned()).collect(),
                summary,
                fixed: fixed.into_iter().map(|(_, f)| f).collect(),
                smallest_fix,
                severity,
                modified,
                published,
            });
        }
        Ok(out)
    }

    fn advisory_by_id(&self, id: &str) -> Result<Option<StoredAdvisory>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT record, source, imported_at FROM advisory WHERE id = ?1")
            .map_err(|e| self.sql_err(e))?;
        let row = stmt
            .query_row([id], |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(|e| self.sql_err(e))?;
        let Some((raw, source, imported_at)) = row else {
            return Ok(None);
        };
        let advisory = Advisory::from_json(&raw).map_err(|e| DbError::Corrupt {
            path: self.path.clone(),
            reason: format!("stored record `{id}` no longer parses: {e}"),
        })?;
        Ok(Some(StoredAdvisory {
            advisory,
            raw,
            source,
            imported_at,
        }))
    }

    /// The records with this id, or, failing that, every record that lists it as an
    /// alias (a CVE id usually finds one record per database). Sorted by id.
    pub fn advisory(&self, id_or_alias: &str) -> Result<Vec<StoredAdvisory>, DbError> {
        let wanted = id_or_alias.trim();
        if let Some(found) = self.advisory_by_id(wanted)? {
            return Ok(vec![found]);
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT advisory_id FROM alias WHERE name = ?1 ORDER BY advisory_id",
            )
            .map_err(|e| self.sql_err(e))?;
        let ids: Vec<String> = stmt
            .query_map([wanted], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.sql_err(e))?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(found) = self.advisory_by_id(&id)? {
                out.push(found);
            }
        }
        Ok(out)
    }

    /// Every source recorded, by name.
    pub fn sources(&self) -> Result<Vec<SourceInfo>, DbError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, kind, location, updated_at, n_records FROM source ORDER BY name")
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(SourceInfo {
                    name: r.get(0)?,
                    kind: r.get(1)?,
                    location: r.get(2)?,
                    updated_at: r.get(3)?,
                    n_records: r.get(4)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.sql_err(e))?;
        Ok(rows)
    }

    /// Counts per ecosystem and the age of the data.
    pub fn stats(&self) -> Result<Stats, DbError> {
        let sql = |e| self.sql_err(e);
        let (n_advisories, n_withdrawn, newest_modified, last_imported): (u64, u64, Option<String>, Option<String>) = self
            .conn
            .query_row(
                "SELECT COUNT(*), COUNT(withdrawn), MAX(CASE WHEN published > modified THEN published ELSE modified END), MAX(imported_at) FROM advisory",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(sql)?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT f.base, COUNT(DISTINCT f.advisory_id), COUNT(DISTINCT CASE WHEN f.withdrawn = 1 THEN f.advisory_id END),
                        COUNT(DISTINCT f.name_key), MAX(CASE WHEN a.published > a.modified THEN a.published ELSE a.modified END), MAX(a.imported_at)
                 FROM affected f JOIN advisory a ON a.id = f.advisory_id
                 GROUP BY f.base ORDER BY f.base",
            )
            .map_err(sql)?;
        let mut ecosystems: Vec<EcosystemStats> = stmt
            .query_map([], |r| {
                Ok(EcosystemStats {
                    ecosystem: r.get(0)?,
                    n_advisories: r.get(1)?,
                    n_withdrawn: r.get(2)?,
                    n_packages: r.get(3)?,
                    releases: Vec::new(),
                    newest_modified: r.get(4)?,
                    last_imported: r.get(5)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(sql)?;
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT base, release FROM affected WHERE release IS NOT NULL ORDER BY base, release")
            .map_err(sql)?;
        let releases: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(Iterator::collect)
            .map_err(sql)?;
        let mut by_base: HashMap<String, Vec<String>> = HashMap::new();
        for (base, release) in releases {
            by_base.entry(base).or_default().push(release);
        }
        for e in &mut ecosystems {
            e.releases = by_base.remove(&e.ecosystem).unwrap_or_default();
        }
        Ok(Stats {
            path: self.path.clone(),
            n_advisories,
            n_withdrawn,
            newest_modified,
            last_imported,
            ecosystems,
        })
    }
}
