//! pnpm's `pnpm-lock.yaml`, lockfile versions 5.x, 6.x and 9.x.
//!
//! Every installed package has an entry under `packages:`, keyed by its path: 5.x
//! writes `/name/1.2.3`, with the peer dependencies it was installed with after a
//! `_` (`/@scope/name/1.2.3_react@18.2.0`); 6.x writes `/name@1.2.3`, peers in
//! parentheses (`/name@1.2.3(react@18.2.0)`); 9.x writes `name@1.2.3` and keeps the
//! peer variants under `snapshots:`, whose entries are read too, for any package
//! `packages:` does not list. Peer suffixes are dropped, so a package installed
//! with several sets of peers is listed once, at its first entry.
//!
//! Registry releases are npm packages. Entries resolved from git, a tarball URL or
//! a local folder are listed without an ecosystem, by the entry's `name` and
//! `version` fields (the reference when it has no `version`): in 5.x and 6.x those
//! are the keys not starting with `/` (`github.com/user/repo/1a2b3c…`,
//! `'@github.com/…/master.tar.gz'`, `file:../lib`); in 9.x those whose reference
//! after the name is not a version (`lib@file:../lib`,
//! `colors@https://codeload.github.com/…`); in any version, those whose
//! `resolution` is `type: git` or `type: directory`. `link:` dependencies are the
//! workspace's own folders, which have no entry. An entry without a `name` where
//! the key does not give one is skipped with a warning.
//!
//! Direct: a package that an importer (`importers:`, or the top-level
//! `dependencies` of a 5.x or 6.x file for a single project) names in its
//! `dependencies`, `devDependencies` or `optionalDependencies`, at the version it
//! locks; a file without importers leaves directness unknown. A file of several
//! YAML documents (pnpm writes its environment lockfile first) is read whole. The
//! line is that of the entry's key.

use std::collections::HashSet;

use ch_types::EcosystemKind;

use crate::yaml::{self, NodeKind};
use crate::{InventoryError, Parsed, Source};

const DEPENDENCY_FIELDS: [&str; 3] = ["dependencies", "devDependencies", "optionalDependencies"];

struct Entry {
    line: u32,
    key: String,
    /// The lockfile version in force where the entry was read.
    major: Option<u32>,
    name: Option<String>,
    version: Option<String>,
    /// The `resolution` as written (`{integrity: …}`, or its block's fields).
    resolution: String,
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let mut major: Option<u32> = None;
    let mut entries: Vec<Entry> = Vec::new();
    // What the importers depend on: (name, the locked version as written).
    let mut deps: Vec<(String, String)> = Vec::new();
    let mut has_importers = false;
    yaml::walk(text, |node| {
        let parents: Vec<&str> = node.parents.iter().map(String::as_str).collect();
        let (key, value) = match &node.kind {
            NodeKind::Pair { key, value } => (key.as_str(), value.as_str()),
            NodeKind::Document => return Ok(()),
            NodeKind::Other => {
                if let [section @ ("packages" | "snapshots")] = parents.as_slice() {
                    return Err(InventoryError::new(
                        file,
                        Some(node.line),
                        format!("expected a package entry `KEY:` in `{section}:`"),
                    ));
                }
                return Ok(());
            }
        };
        match parents.as_slice() {
            [] => match key {
                "lockfileVersion" => major = Some(lockfile_major(file, node.line, value)?),
                "importers" => has_importers = true,
                k if DEPENDENCY_FIELDS.contains(&k) => has_importers = true,
                _ => {}
            },
            ["packages" | "snapshots"] => entries.push(Entry {
                line: node.line,
                key: key.to_owned(),
                major,
                name: None,
                version: None,
                resolution: String::new(),
            }),
            ["packages" | "snapshots", _] => {
                if let Some(entry) = entries.last_mut() {
                    match key {
                        "name" => entry.name = Some(value.to_owned()),
                        "version" => entry.version = Some(value.to_owned()),
                        "resolution" => entry.resolution.push_str(value),
                        _ => {}
                    }
                }
            }
            ["packages" | "snapshots", _, "resolution"] => {
                if let Some(entry) = entries.last_mut() {
                    entry.resolution.push_str(&format!("{key}: {value}, "));
                }
            }
            // 5.x: `name: 1.2.3_peer`.
            ["importers", _, field] | [field]
                if DEPENDENCY_FIELDS.contains(field) && !value.is_empty() =>
            {
                deps.push((key.to_owned(), value.to_owned()));
            }
            // 6.x and 9.x: `name:` then `specifier: ^1.2.0` and `version: 1.2.3(peer)`.
            ["importers", _, field, name] | [field, name]
                if DEPENDENCY_FIELDS.contains(field) && key == "version" =>
            {
                deps.push(((*name).to_owned(), value.to_owned()));
            }
            _ => {}
        }
        Ok(())
    })?;
    if major.is_none() {
        return Err(InventoryError::new(
            file,
            Some(1),
            "expected `lockfileVersion: …` (a pnpm lockfile)",
        ));
    }
    let direct: Option<HashSet<String>> = has_importers.then(|| {
        deps.iter()
            .flat_map(|(name, version)| candidates(name, version))
            .collect()
    });
    let mut seen: HashSet<String> = HashSet::new();
    let mut parsed = Parsed::default();
    for entry in &entries {
        let Some(found) = resolve(entry, entry.major.or(major).unwrap_or(9)) else {
            parsed.warnings.push(format!(
                "{file}:{}: `{}` has no `name`; skipped",
                entry.line, entry.key
            ));
            continue;
        };
        if !seen.insert(found.id.clone()) {
            continue;
        }
        let source = Source {
            file: file.to_owned(),
            line: Some(entry.line),
        };
        let is_direct = direct.as_ref().map(|d| d.contains(&found.id));
        parsed.packages.push(if found.registry {
            crate::package(
                EcosystemKind::Npm,
                &found.name,
                &found.version,
                source,
                is_direct,
            )
        } else {
            crate::unidentified(&found.name, &found.version, source, is_direct)
        });
    }
    Ok(parsed)
}

/// `5.4`, `6.0`, `9.0` → 5, 6, 9.
fn lockfile_major(file: &str, line: u32, value: &str) -> Result<u32, InventoryError> {
    let major = value
        .split('.')
        .next()
        .and_then(|m| m.trim().parse::<u32>().ok());
    match major {
        Some(m @ 5..=9) => Ok(m),
        _ => Err(InventoryError::new(
            file,
            Some(line),
            format!("lockfileVersion `{value}` is not supported (5.x, 6.x and 9.x are)"),
        )),
    }
}

/// What an entry is.
struct Resolved {
    /// The key without peers: what importers' versions are compared with.
    id: String,
    name: String,
    version: String,
    registry: bool,
}

fn resolve(entry: &Entry, major: u32) -> Option<Resolved> {
    let id = normalise(&entry.key);
    let local = ["type: git", "type: directory", "commit:", "directory:"]
        .iter()
        .any(|marker| entry.resolution.contains(marker));
    // 5.x and 6.x registry packages.
    if let Some((name, version, _)) = entry.key.strip_prefix('/').and_then(split_slash_key) {
        if is_version(version) {
            return Some(Resolved {
                name: name.to_owned(),
                version: version.to_owned(),
                registry: !local,
                id,
            });
        }
    }
    // 9.x: `name@reference`.
    if major >= 7 && !entry.key.starts_with('/') {
        if let Some((name, reference)) = split_name(&id) {
            let registry = is_version(reference) && !local;
            let version = match &entry.version {
                Some(v) if !registry => v.clone(),
                _ => reference.to_owned(),
            };
            return Some(Resolved {
                name: name.to_owned(),
                version,
                registry,
                id,
            });
        }
    }
    // Git, tarball and folder entries of 5.x and 6.x (and keys without a name).
    let name = entry.name.clone()?;
    let version = entry.version.clone().unwrap_or_else(|| id.clone());
    Some(Resolved {
        name,
        version,
        registry: false,
        id,
    })
}

/// A 5.x or 6.x key after its `/` → (name, version without peers, separator).
fn split_slash_key(rest: &str) -> Option<(&str, &str, char)> {
    let scope_end = if rest.starts_with('@') {
        rest.find('/')? + 1
    } else {
        0
    };
    let name_end = scope_end + rest.get(scope_end..)?.find(['/', '@'])?;
    let name = rest.get(..name_end)?;
    let separator = rest.get(name_end..)?.chars().next()?;
    let tail = rest.get(name_end + 1..)?;
    let version = match separator {
        '/' => tail.split('_').next()?,
        _ => tail.split('(').next()?,
    };
    (name_end > scope_end && !version.is_empty()).then_some((name, version, separator))
}

/// `name@reference` or `@scope/name@reference` → (name, reference).
fn split_name(key: &str) -> Option<(&str, &str)> {
    let at = key.get(1..)?.find('@')? + 1;
    let name = key.get(..at)?;
    let reference = key.get(at + 1..)?;
    (!reference.is_empty()).then_some((name, reference))
}

/// A registry version (`1.2.3`, `2.0.0-rc.1`), not a URL, path or protocol.
fn is_version(reference: &str) -> bool {
    reference.starts_with(|c: char| c.is_ascii_digit()) && !reference.contains([':', '/'])
}

/// A key or locked version without its peer suffix.
fn normalise(key: &str) -> String {
    if let Some((name, version, separator)) = key.strip_prefix('/').and_then(split_slash_key) {
        if is_version(version) {
            return format!("/{name}{separator}{version}");
        }
    }
    key.split('(').next().unwrap_or(key).to_owned()
}

/// The entry ids an importer's `name: version` may name, in any lockfile version:
/// the version itself (an alias `/real/1.0.0` or `real@1.0.0`, a `file:` or git
/// reference), `/name/1.2.3` (5.x), `/name@1.2.3` (6.x) or `name@1.2.3` (9.x).
fn candidates(name: &str, version: &str) -> [String; 4] {
    let raw = normalise(version);
    let plain = version
        .split('(')
        .next()
        .and_then(|v| v.split('_').next())
        .unwrap_or(version);
    [
        format!("/{name}/{plain}"),
        format!("/{name}@{plain}"),
        format!("{name}@{raw}"),
        raw,
    ]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const V5: &str = "lockfileVersion: 5.4

specifiers:
  '@types/react': ^18.0.0
  left-pad: github:stevemao/left-pad
  react-dom: ^18.2.0
  shared: file:../shared
  utils: link:../utils
  lodash-es: npm:lodash@^4.17.21

dependencies:
  lodash-es: /lodash/4.17.21
  react-dom: 18.2.0_react@18.2.0
  shared: file:../shared
  utils: link:../utils

devDependencies:
  '@types/react': 18.0.28
  left-pad: github.com/stevemao/left-pad/6f3b4fa1c7d56e0a1b6e1b6f4c2f3e4d5a6b7c8d

packages:

  /@types/react/18.0.28:
    resolution: {integrity: sha512-RD0ivG1kEztNBdoAK7lekI9M+azSnitIn85h4iOiaLjaTrMjzslhaqCGaI4IyCJ1RljWiLCEu4jyrLLgqxBTew==}
    dev: true

  /lodash/4.17.21:
    resolution: {integrity: sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==}
    dev: false

  /react-dom/18.2.0_react@17.0.2:
    resolution: {integrity: sha512-6IMTriUmvsjHUjNtEDudZfuDQUoWXVxKHhlEGSk81n4YFS+r/Kl99wXiwlVXtPBtJenozv2P+hxDsw9eA7Xo6g==}
    peerDependencies:
      react: ^18.2.0
    dev: false

  /react-dom/18.2.0_react@18.2.0:
    resolution: {integrity: sha512-6IMTriUmvsjHUjNtEDudZfuDQUoWXVxKHhlEGSk81n4YFS+r/Kl99wXiwlVXtPBtJenozv2P+hxDsw9eA7Xo6g==}
    dev: false

  /lodash._baseiteratee/4.7.0_hxq3kynr6k2wlc6qv6mrqx7bjy:
    resolution: {integrity: sha1-NKm1VDVycnw9sueO2uPA6eZr0QI=}
    deprecated: This package is discontinued.
      Use: lodash instead
    dev: false

  file:../shared:
    resolution: {directory: ../shared, type: directory}
    name: shared
    version: 0.3.0
    dev: false

  github.com/stevemao/left-pad/6f3b4fa1c7d56e0a1b6e1b6f4c2f3e4d5a6b7c8d:
    resolution: {tarball: https://codeload.github.com/stevemao/left-pad/tar.gz/6f3b4fa1c7d56e0a1b6e1b6f4c2f3e4d5a6b7c8d}
    name: left-pad
    version: 1.3.0
    dev: true
";

    #[test]
    fn reads_v5_single_project_with_peers_aliases_git_and_folders() {
        let parsed = read(Format::PnpmLock, "pnpm-lock.yaml", V5.as_bytes()).unwrap();
        let npm = Some("npm".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (npm.clone(), "@types/react", "18.0.28", Some(23), Some(true)),
                (npm.clone(), "lodash", "4.17.21", Some(27), Some(true)),
                (npm.clone(), "react-dom", "18.2.0", Some(31), Some(true)),
                (
                    npm.clone(),
                    "lodash._baseiteratee",
                    "4.7.0",
                    Some(41),
                    Some(false)
                ),
                (None, "shared", "0.3.0", Some(47), Some(true)),
                (None, "left-pad", "1.3.0", Some(53), Some(true)),
            ]
        );
        assert_eq!(
            parsed.packages[0].purl.as_deref(),
            Some("pkg:npm/%40types/react@18.0.28")
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    const V6: &str = "lockfileVersion: '6.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

dependencies:
  '@tanstack/react-query':
    specifier: ^4.29.0
    version: 4.29.5(react-dom@18.2.0)(react@18.2.0)
  chalk:
    specifier: https://github.com/chalk/chalk/archive/refs/tags/v5.2.0.tar.gz
    version: '@github.com/chalk/chalk/archive/refs/tags/v5.2.0.tar.gz'

devDependencies:
  vitest:
    specifier: ~0.31.0
    version: 0.31.1

packages:

  /@tanstack/query-core@4.29.5:
    resolution: {integrity: sha512-xXIiyQ/4r9KfaJ3k6kejqcaqFXXBTzN2aOJ5H1J6aTJE9hl/nbgAdfF6oiIu0CD5xowejJEJ6bBg8TO7BN4NuQ==}
    dev: false

  /@tanstack/react-query@4.29.5(react-dom@18.2.0)(react@18.2.0):
    resolution: {integrity: sha512-F87cibC3s3eG0Q90g2O+hqntpCrudKFnR8P24qkH9uccEhXErnJxBC/AAI4cJRV2bfMO8IeGZQYf3WyYgmSg0w==}
    peerDependencies:
      react: ^16.8.0 || ^17.0.0 || ^18.0.0
    dependencies:
      '@tanstack/query-core': 4.29.5
    transitivePeerDependencies:
      - supports-color
    dev: false

  /vitest@0.31.1(patch_hash=3glxkmzb2fvyrvduwvz7aejphi):
    resolution:
      integrity: sha512-/dOoOgzoFk/5pTvg1E65WVaobknWREN15+HF+0ucudo3dDG/vCZoXTQrjIfEaWvQXmqScwkRodrTbzfeGLyOqA==
    dev: true

  '@github.com/chalk/chalk/archive/refs/tags/v5.2.0.tar.gz':
    resolution: {tarball: https://github.com/chalk/chalk/archive/refs/tags/v5.2.0.tar.gz}
    name: chalk
    version: 5.2.0
    dev: false

  /internal-lib@2.0.0:
    resolution: {commit: 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567, repo: git+ssh://git@git.example.com/team/internal-lib.git, type: git}
    dev: false
";

    #[test]
    fn reads_v6_with_parenthesised_peers_patches_tarballs_and_git() {
        let parsed = read(Format::PnpmLock, "pnpm-lock.yaml", V6.as_bytes()).unwrap();
        let npm = Some("npm".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (
                    npm.clone(),
                    "@tanstack/query-core",
                    "4.29.5",
                    Some(22),
                    Some(false)
                ),
                (
                    npm.clone(),
                    "@tanstack/react-query",
                    "4.29.5",
                    Some(26),
                    Some(true)
                ),
                (npm.clone(), "vitest", "0.31.1", Some(36), Some(true)),
                (None, "chalk", "5.2.0", Some(41), Some(true)),
                (None, "internal-lib", "2.0.0", Some(47), Some(false)),
            ]
        );
    }

    const V9: &str = "# pnpm's environment lockfile comes first.
---
lockfileVersion: '9.0'

importers:
  .:
    packageManagerDependencies:
      pnpm:
        specifier: 9.15.0
        version: 9.15.0

packages:
  pnpm@9.15.0:
    resolution: {integrity: sha512-duI3l2CkMo7EQVgVvNZije5yevN3mqpMkU45RBVsQpmSGon5djge4QfUHxLPpLZmgcqccY8GaPoIMe1MbYulbA==}

snapshots:
  pnpm@9.15.0: {}
---
lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      string-width-cjs:
        specifier: npm:string-width@^4.2.0
        version: string-width@4.2.3
      ui:
        specifier: workspace:*
        version: link:packages/ui
    devDependencies:
      eslint-plugin-local:
        specifier: file:tools/eslint-plugin-local
        version: file:tools/eslint-plugin-local(eslint@8.57.0)

  packages/ui:
    dependencies:
      colors:
        specifier: github:Marak/colors.js#v1.4.0
        version: https://codeload.github.com/Marak/colors.js/tar.gz/6bc50e79eeaa1d87369bb3e7e608ebed18c5cf26
      react:
        specifier: ^18.2.0
        version: 18.2.0

packages:

  '@eslint/js@8.57.0':
    resolution: {integrity: sha512-Ys+3g2TaW7gADOJzPt83SJtCDhMjndcDMFVQ/Tj9iA1BfJzFKD9mAUXT3OenpuPHbI6P/myECxRJrofUsDx/5g==}
    engines: {node: ^12.22.0 || ^14.17.0 || >=16.0.0}

  colors@https://codeload.github.com/Marak/colors.js/tar.gz/6bc50e79eeaa1d87369bb3e7e608ebed18c5cf26:
    resolution: {tarball: https://codeload.github.com/Marak/colors.js/tar.gz/6bc50e79eeaa1d87369bb3e7e608ebed18c5cf26}
    version: 1.4.44-liberty-2
    engines: {node: '>=0.1.90'}

  eslint-plugin-local@file:tools/eslint-plugin-local:
    resolution: {directory: tools/eslint-plugin-local, type: directory}
    peerDependencies:
      eslint: '>=8'

  react@18.2.0:
    resolution: {integrity: sha512-/3IjMdb2L9QbBdWiW5e3P2/npwMBaU9mHCSCUzNln0ZCYbcfTsGbTJrU/kGemdH2IWmB2ioZ+zkxtmq6g09fGQ==}
    engines: {node: '>=0.10.0'}

  string-width@4.2.3:
    resolution: {integrity: sha512-wKyQRQpjJ0sIp62ErSZdGsjMJWsap5oRNihHhu6G7JVO/9jIB6UyevL+tXuOqrng8j/cxKTWyWUwvSTriiZz/g==}
    engines: {node: '>=8'}

snapshots:

  '@eslint/js@8.57.0': {}

  colors@https://codeload.github.com/Marak/colors.js/tar.gz/6bc50e79eeaa1d87369bb3e7e608ebed18c5cf26: {}

  eslint-plugin-local@file:tools/eslint-plugin-local(eslint@8.57.0):
    dependencies:
      eslint: 8.57.0

  react@18.2.0: {}

  string-width@4.2.3:
    dependencies:
      strip-ansi: 6.0.1

  strip-ansi@6.0.1: {}
";

    #[test]
    fn reads_v9_documents_importers_snapshots_aliases_git_and_folders() {
        let parsed = read(Format::PnpmLock, "pnpm-lock.yaml", V9.as_bytes()).unwrap();
        let npm = Some("npm".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (npm.clone(), "pnpm", "9.15.0", Some(13), Some(false)),
                (npm.clone(), "@eslint/js", "8.57.0", Some(51), Some(false)),
                (None, "colors", "1.4.44-liberty-2", Some(55), Some(true)),
                (
                    None,
                    "eslint-plugin-local",
                    "file:tools/eslint-plugin-local",
                    Some(60),
                    Some(true)
                ),
                (npm.clone(), "react", "18.2.0", Some(65), Some(true)),
                (npm.clone(), "string-width", "4.2.3", Some(69), Some(true)),
                (npm.clone(), "strip-ansi", "6.0.1", Some(89), Some(false)),
            ]
        );
    }

    #[test]
    fn without_importers_directness_is_unknown_and_nameless_entries_are_skipped() {
        let text = "lockfileVersion: 5.3\n\npackages:\n\n  /ms/2.1.3:\n    resolution: {integrity: sha512-x}\n\n  registry.example.com/private/1.0.0:\n    resolution: {tarball: https://registry.example.com/private/-/private-1.0.0.tgz}\n";
        let parsed = read(Format::PnpmLock, "pnpm-lock.yaml", text.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![(Some("npm".to_owned()), "ms", "2.1.3", Some(5), None)]
        );
        assert_eq!(
            parsed.warnings,
            vec!["pnpm-lock.yaml:8: `registry.example.com/private/1.0.0` has no `name`; skipped"]
        );
    }

    #[test]
    fn malformed_lockfiles_are_errors() {
        let e = read(
            Format::PnpmLock,
            "pnpm-lock.yaml",
            b"lockfileVersion: '9.0'\n\npackages:\n  react@18.2.0:\n    resolution: {integrity: x}\n  - not-an-entry\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "pnpm-lock.yaml:6: expected a package entry `KEY:` in `packages:`"
        );
        let e = read(
            Format::PnpmLock,
            "pnpm-lock.yaml",
            b"# generated\nlockfileVersion: 4.0\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "pnpm-lock.yaml:2: lockfileVersion `4.0` is not supported (5.x, 6.x and 9.x are)"
        );
        let e = read(
            Format::PnpmLock,
            "pnpm-lock.yaml",
            b"packages:\n  /a/1.0.0: {}\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "pnpm-lock.yaml:1: expected `lockfileVersion: …` (a pnpm lockfile)"
        );
    }
}
