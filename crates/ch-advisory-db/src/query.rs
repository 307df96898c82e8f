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

/// The fields of a stored record that findings show (serde skips the rest).
#[derive(serde::Deserialize)]
struct RecordHead {
    aliases: Option<Vec<String>>,
    summary: Option<String>,
    modified: String,
    #[serde(skip)]
    modified_us: i64,
    published: Option<String>,
    severity: Option<Vec<HeadSeverity>>,
}

#[derive(serde::Deserialize)]
struct HeadSeverity {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

/// One stored affected entry of a package, compiled.
struct PackageEntry {
    advisory_id: String,
    release: Option<String>,
    compiled: CompiledAffected,
    severity: Vec<(String, String)>,
}

/// From this many distinct packages of one ecosystem in a [`AdvisoryDb::query_many`]
/// call, the ecosystem's package names are read once instead of probed one by one.
const NAME_SET_THRESHOLD: usize = 256;

/// One package version to check with [`AdvisoryDb::query_many`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageQuery {
    /// The ecosystem; a release suffix restricts to that release.
    pub ecosystem: Ecosystem,
    /// The name, as written (normalised here).
    pub name: String,
    /// The version, as written.
    pub version: String,
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
        let name_key = normalize_name(ecosystem.kind(), name);
        let scheme = scheme_for(ecosystem);
        let parsed: Version = scheme.parse(version).map_err(DbError::Version)?;
        let entries = self.package_entries(ecosystem.base(), &name_key)?;
        let hits = evaluate(&entries, ecosystem, &parsed, version);
        self.vulnerabilities(hits, &parsed, &mut BTreeMap::new())
    }

    /// [`AdvisoryDb::query`] for many package versions at once, answers in query
    /// order: `Err` for a version the ecosystem cannot parse. Each package's entries
    /// are read and compiled once however many of its versions are asked, and each
    /// matched record is read once: a scan of a large inventory costs one index
    /// lookup per distinct package, not one per component.
    #[allow(clippy::type_complexity)]
    pub fn query_many(
        &self,
        queries: &[PackageQuery],
    ) -> Result<Vec<Result<Vec<VulnerabilityMatch>, ch_versions::VersionError>>, DbError> {
        let mut by_package: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for (i, q) in queries.iter().enumerate() {
            let key = (
                q.ecosystem.base().to_owned(),
                normalize_name(q.ecosystem.kind(), &q.name),
            );
            by_package.entry(key).or_default().push(i);
        }
        let mut answers: Vec<Option<Result<Vec<VulnerabilityMatch>, _>>> =
            (0..queries.len()).map(|_| None).collect();
        let mut records = BTreeMap::new();
        // With many packages of one ecosystem, read the names it has advisories for
        // once (an index-only scan) rather than probing the index per package: most
        // components of an inventory have none.
        let mut named: BTreeMap<String, Option<std::collections::HashSet<String>>> =
            BTreeMap::new();
        for (base, _) in by_package.keys() {
            if !named.contains_key(base) {
                let n = by_package.keys().filter(|(b, _)| b == base).count();
                let names = if n >= NAME_SET_THRESHOLD {
                    Some(self.package_names(base)?)
                } else {
                    None
                };
                named.insert(base.clone(), names);
            }
        }
        for ((base, name_key), indices) in by_package {
            if let Some(Some(names)) = named.get(&base) {
                if !names.contains(&name_key) {
                    // No advisory names the package: no findings, but an
                    // unparsable version is still reported.
                    for i in indices {
                        let q = &queries[i];
                        answers[i] = Some(
                            scheme_for(&q.ecosystem)
                                .parse(&q.version)
                                .map(|_| Vec::new()),
                        );
                    }
                    continue;
                }
            }
            let mut entries: Option<Vec<PackageEntry>> = None;
            for i in indices {
                let q = &queries[i];
                let parsed = match scheme_for(&q.ecosystem).parse(&q.version) {
                    Ok(p) => p,
                    Err(e) => {
                        answers[i] = Some(Err(e));
                        continue;
                    }
                };
                if entries.is_none() {
                    entries = Some(self.package_entries(&base, &name_key)?);
                }
                let hits = evaluate(
                    entries.as_deref().unwrap_or(&[]),
                    &q.ecosystem,
                    &parsed,
                    &q.version,
                );
                answers[i] = Some(Ok(self.vulnerabilities(hits, &parsed, &mut records)?));
            }
        }
        Ok(answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Ok(Vec::new())))
            .collect())
    }

    /// Whether any stored affected entry (withdrawn or not) names a package of the
    /// ecosystem `base` (`PyPI`, `Debian`, …): one index probe.
    pub fn has_ecosystem(&self, base: &str) -> Result<bool, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM affected WHERE base = ?1)")
            .map_err(|e| self.sql_err(e))?;
        stmt.query_row([base], |r| r.get::<_, bool>(0))
            .map_err(|e| self.sql_err(e))
    }

    /// The normalised names of every package of an ecosystem that some affected
    /// entry names.
    fn package_names(&self, base: &str) -> Result<std::collections::HashSet<String>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT name_key FROM affected WHERE base = ?1")
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([base], |r| r.get::<_, String>(0))
            .map_err(|e| self.sql_err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql_err(e))
    }

    /// Every non-withdrawn affected entry naming the package, compiled.
    fn package_entries(&self, base: &str, name_key: &str) -> Result<Vec<PackageEntry>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT advisory_id, ecosystem, release, entry FROM affected
                 WHERE base = ?1 AND name_key = ?2 AND withdrawn = 0
                 ORDER BY advisory_id, position",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map(rusqlite::params![base, name_key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })
            .map_err(|e| self.sql_err(e))?;
        let mut entries = Vec::new();
        for row in rows {
            let (advisory_id, entry_ecosystem, release, entry) =
                row.map_err(|e| self.sql_err(e))?;
            let Ok(affected) = serde_json::from_slice::<Affected>(&entry) else {
                continue;
            };
            let Ok(entry_eco) = Ecosystem::parse(&entry_ecosystem) else {
                continue;
            };
            let (compiled, _) = CompiledAffected::compile(&entry_eco, &affected);
            entries.push(PackageEntry {
                advisory_id,
                release,
                compiled,
                severity: affected
                    .severity()
                    .iter()
                    .map(|s| (s.kind.clone(), s.score.clone()))
                    .collect(),
            });
        }
        Ok(entries)
    }

    /// Merges the hits by alias into vulnerabilities; `records` caches the matched
    /// records across calls.
    fn vulnerabilities(
        &self,
        hits: Vec<&PackageEntry>,
        parsed: &Version,
        records: &mut BTreeMap<String, RecordHead>,
    ) -> Result<Vec<VulnerabilityMatch>, DbError> {
        if hits.is_empty() {
            return Ok(Vec::new());
        }
        for hit in &hits {
            if !records.contains_key(&hit.advisory_id) {
                if let Some(head) = self.record_head(&hit.advisory_id)? {
                    records.insert(hit.advisory_id.clone(), head);
                }
            }
        }
        let mut ids: Vec<&String> = hits
            .iter()
            .filter_map(|h| records.get_key_value(&h.advisory_id).map(|(k, _)| k))
            .collect();
        ids.sort();
        ids.dedup();
        let groups = group_by_alias(ids.iter().map(|id| {
            (
                id.as_str(),
                records[*id].aliases.iter().flatten().map(String::as_str),
            )
        }));
        let mut out = Vec::with_capacity(groups.len());
        for group in groups {
            let member_ids: Vec<&str> = group.members.iter().map(|&m| ids[m].as_str()).collect();
            let members: Vec<&RecordHead> = member_ids.iter().map(|id| &records[*id]).collect();
            let group_hits: Vec<&PackageEntry> = hits
                .iter()
                .filter(|h| member_ids.contains(&h.advisory_id.as_str()))
                .copied()
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
                .filter(|(p, _)| p.as_ref().is_some_and(|p| p > parsed))
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
                for s in a.severity.iter().flatten() {
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
                .max_by_key(|a| a.modified_us)
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

    /// What findings show of a stored record, without parsing the rest of it.
    fn record_head(&self, id: &str) -> Result<Option<RecordHead>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(head, record), modified_us FROM advisory WHERE id = ?1",
            )
            .map_err(|e| self.sql_err(e))?;
        let row = stmt
            .query_row([id], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?)))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(|e| self.sql_err(e))?;
        let Some((raw, modified_us)) = row else {
            return Ok(None);
        };
        let mut head: RecordHead = serde_json::from_slice(&raw).map_err(|e| DbError::Corrupt {
            path: self.path.clone(),
            reason: format!("stored record `{id}` no longer parses: {e}"),
        })?;
        head.modified_us = modified_us;
        Ok(Some(head))
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

/// The entries that affect the version (restricted to the ecosystem's release when
/// it names one).
fn evaluate<'a>(
    entries: &'a [PackageEntry],
    ecosystem: &Ecosystem,
    parsed: &Version,
    version: &str,
) -> Vec<&'a PackageEntry> {
    let release = ecosystem.release_key();
    let mut semver: Option<Option<Version>> = None;
    let mut hits = Vec::new();
    for e in entries {
        if let (Some(want), Some(have)) = (&release, &e.release) {
            if want.as_ref() != have.as_str() {
                continue;
            }
        }
        let sv = semver.get_or_insert_with(|| ch_versions::Scheme::Go.parse(version).ok());
        if e.compiled.affects(parsed, sv.as_ref()).is_some() {
            hits.push(e);
        }
    }
    hits
}
