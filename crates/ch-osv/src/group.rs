//! Merging advisories that describe one vulnerability.
//!
//! OSV `aliases` are symmetric and transitive: if A lists B, or A and B both list C,
//! A and B are one vulnerability. [`group_by_alias`] takes the advisories found for
//! one package and returns one group per vulnerability. (`related` and `upstream`
//! are deliberately not followed: they name *different* vulnerabilities.)

use std::collections::{BTreeSet, HashMap};

/// One vulnerability: the advisories that describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasGroup {
    /// The representative id (see [`group_by_alias`]).
    pub id: String,
    /// Indices into the input slice of the advisories in this group, ascending.
    pub members: Vec<usize>,
    /// Every other id the group is known by (member ids and all their aliases), sorted.
    pub aliases: Vec<String>,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Id preference for the representative: a database's own advisory (GHSA, PYSEC,
/// RUSTSEC, GO, …) over a bare CVE, then the smallest id. Deterministic, so output
/// is stable across runs.
fn rank(id: &str) -> (u8, &str) {
    (u8::from(id.starts_with("CVE-")), id)
}

/// Groups advisories given as `(id, aliases)` pairs. Groups come out ordered by their
/// representative id.
pub fn group_by_alias<'a, I, A>(advisories: I) -> Vec<AliasGroup>
where
    I: IntoIterator<Item = (&'a str, A)>,
    A: IntoIterator<Item = &'a str>,
{
    let items: Vec<(&str, Vec<&str>)> = advisories
        .into_iter()
        .map(|(id, aliases)| (id, aliases.into_iter().collect()))
        .collect();
    let mut parent: Vec<usize> = (0..items.len()).collect();
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, (id, aliases)) in items.iter().enumerate() {
        for name in std::iter::once(id).chain(aliases.iter()) {
            match owner.get(name) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    owner.insert(name, i);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..items.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut out: Vec<AliasGroup> = groups
        .into_values()
        .map(|members| {
            let id = members
                .iter()
                .map(|&m| items[m].0)
                .min_by_key(|id| rank(id))
                .unwrap_or_default()
                .to_owned();
            let mut names: BTreeSet<&str> = BTreeSet::new();
            for &m in &members {
                names.insert(items[m].0);
                names.extend(items[m].1.iter().copied());
            }
            names.remove(id.as_str());
            AliasGroup {
                id,
                members,
                aliases: names.into_iter().map(str::to_owned).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_direct_shared_and_transitive_aliases() {
        let input = [
            ("PYSEC-2021-1", vec!["CVE-2021-1", "GHSA-aaaa"]),
            ("GHSA-aaaa", vec!["CVE-2021-1"]),
            ("OSV-9", vec!["CVE-2021-1"]),
            ("PYSEC-2022-2", vec!["CVE-2022-2"]),
            ("GHSA-bbbb", vec!["CVE-2022-2", "CVE-2022-3"]),
            ("CVE-2022-3", vec![]),
            ("PYSEC-2023-3", vec![]),
        ];
        let groups = group_by_alias(input.iter().map(|(id, a)| (*id, a.iter().copied())));
        let summary: Vec<(String, Vec<usize>)> = groups
            .iter()
            .map(|g| (g.id.clone(), g.members.clone()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("GHSA-aaaa".to_owned(), vec![0, 1, 2]),
                ("GHSA-bbbb".to_owned(), vec![3, 4, 5]),
                ("PYSEC-2023-3".to_owned(), vec![6]),
            ]
        );
        assert_eq!(
            groups[0].aliases,
            vec!["CVE-2021-1", "OSV-9", "PYSEC-2021-1"]
        );
    }

    #[test]
    fn related_ids_do_not_merge() {
        // Distinct ids with no shared alias stay apart.
        let groups = group_by_alias([("A-1", vec!["CVE-1"]), ("A-2", vec!["CVE-2"])]);
        assert_eq!(groups.len(), 2);
    }
}
