//! Yarn's `yarn.lock`: classic (v1) and Berry (v2 and later).
//!
//! Both are a series of entries: an unindented header listing the descriptors that
//! resolved to one package (`"@babel/core@^7.0.0", "@babel/core@^7.1.0":` in v1,
//! `"@babel/core@npm:^7.0.0, @babel/core@npm:^7.1.0":` in Berry), then its fields
//! indented two spaces (`version "7.1.0"` in v1, `version: 7.1.0` in Berry); more
//! deeply indented lines (the package's own dependencies) are not read. A
//! descriptor is `NAME@RANGE`, where the name may start with a scope's `@`. Berry's
//! `__metadata:` entry is not a package.
//!
//! Berry writes each entry's `resolution`, `NAME@REFERENCE`: a reference of the
//! `npm:` protocol is an npm package of that name (an alias's resolution names the
//! real package); a `patch:` reference is a locally patched package, listed as the
//! package it patches; `workspace:` (the project's own packages), git, `file:`,
//! `portal:`, `link:` and URL references are listed without an ecosystem.
//!
//! v1 has no resolution: the name is the first descriptor's (an alias's range
//! `npm:real@^1.0.0` names the real package). The package is an npm package when
//! the range names a registry version (no `:` or `/`: not git, a URL or a folder)
//! and its `resolved` URL, if any, is a registry tarball (`…/-/name-1.0.0.tgz`);
//! otherwise it is listed without an ecosystem.
//!
//! The line is that of the entry's header. The file does not record which packages
//! are direct dependencies (`package.json` does).

use ch_types::EcosystemKind;

use crate::{InventoryError, Package, Parsed, Source};

struct Entry<'a> {
    line: u32,
    header: &'a str,
    version: Option<&'a str>,
    resolved: Option<&'a str>,
    resolution: Option<&'a str>,
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim_end();
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if indent == 0 {
            let Some(header) = content.strip_suffix(':') else {
                return Err(InventoryError::new(
                    file,
                    Some(number),
                    "expected an entry header `DESCRIPTOR[, DESCRIPTOR…]:`",
                ));
            };
            entries.push(Entry {
                line: number,
                header,
                version: None,
                resolved: None,
                resolution: None,
            });
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            return Err(InventoryError::new(
                file,
                Some(number),
                "expected an entry header `DESCRIPTOR[, DESCRIPTOR…]:` before indented lines",
            ));
        };
        if indent != 2 {
            continue;
        }
        let (key, value) = field(content);
        match key {
            "version" => entry.version = Some(value),
            "resolved" => entry.resolved = Some(value),
            "resolution" => entry.resolution = Some(value),
            _ => {}
        }
    }
    let mut parsed = Parsed::default();
    for entry in &entries {
        let descriptors = descriptors(entry.header);
        let Some(first) = descriptors.first() else {
            return Err(InventoryError::new(
                file,
                Some(entry.line),
                "expected an entry header `DESCRIPTOR[, DESCRIPTOR…]:`",
            ));
        };
        if *first == "__metadata" {
            continue;
        }
        let Some(version) = entry.version.filter(|v| !v.is_empty()) else {
            parsed.warnings.push(format!(
                "{file}:{}: `{first}` has no version; skipped",
                entry.line
            ));
            continue;
        };
        let (name, registry) = match entry.resolution {
            Some(resolution) => berry(resolution).ok_or_else(|| {
                InventoryError::new(
                    file,
                    Some(entry.line),
                    format!("expected a `resolution` `NAME@REFERENCE`, found `{resolution}`"),
                )
            })?,
            None => classic(first, entry.resolved).ok_or_else(|| {
                InventoryError::new(
                    file,
                    Some(entry.line),
                    format!("expected a descriptor `NAME@RANGE`, found `{first}`"),
                )
            })?,
        };
        let source = Source {
            file: file.to_owned(),
            line: Some(entry.line),
        };
        parsed.packages.push(if registry {
            crate::package(EcosystemKind::Npm, &name, version, source, None)
        } else {
            Package {
                ecosystem: None,
                name,
                version: version.to_owned(),
                purl: None,
                source,
                direct: None,
            }
        });
    }
    Ok(parsed)
}

/// `version "1.0.0"` (v1) or `version: 1.0.0` (Berry) → (`version`, `1.0.0`).
fn field(content: &str) -> (&str, &str) {
    let end = content.find([' ', ':']).unwrap_or(content.len());
    let (key, rest) = content.split_at(end);
    let rest = rest.trim_start();
    let value = rest.strip_prefix(':').unwrap_or(rest).trim();
    (key, unquote(value))
}

fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

/// A header's descriptors: quoted or bare, separated by commas (Berry puts them
/// all in one quoted string).
fn descriptors(header: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = header.trim();
    while !rest.is_empty() {
        let token;
        if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"').unwrap_or(after.len());
            token = &after[..end];
            rest = after.get(end + 1..).unwrap_or("");
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            token = &rest[..end];
            rest = &rest[end..];
        }
        out.extend(token.split(',').map(str::trim).filter(|d| !d.is_empty()));
        rest = rest.trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    out
}

/// `name@range` or `@scope/name@range` → (name, range).
fn split_at_name(descriptor: &str) -> Option<(&str, &str)> {
    let at = descriptor.get(1..)?.find('@')? + 1;
    let name = &descriptor[..at];
    let range = &descriptor[at + 1..];
    Some((name, range))
}

/// A Berry resolution → (package name, whether it is an npm release).
fn berry(resolution: &str) -> Option<(String, bool)> {
    let (name, reference) = split_at_name(resolution)?;
    if reference.starts_with("npm:") {
        return Some((name.to_owned(), true));
    }
    if let Some(patch) = reference.strip_prefix("patch:") {
        // `patch:lodash@npm%3A4.17.21#./patches/lodash.patch::version=…`
        let patched = percent_decode(patch.split('#').next().unwrap_or(patch));
        return Some(match split_at_name(&patched) {
            Some((inner, inner_ref)) => (inner.to_owned(), inner_ref.starts_with("npm:")),
            None => (name.to_owned(), false),
        });
    }
    Some((name.to_owned(), false))
}

/// A v1 entry's first descriptor and `resolved` → (package name, whether it is an
/// npm release).
fn classic(descriptor: &str, resolved: Option<&str>) -> Option<(String, bool)> {
    let (name, range) = split_at_name(descriptor)?;
    let (name, range) = match range.strip_prefix("npm:") {
        Some(aliased) => split_at_name(aliased).unwrap_or((name, aliased)),
        None => (name, range),
    };
    let registry_range = !range.contains([':', '/']);
    let registry_tarball = resolved.is_none_or(|url| {
        let url = url.split('#').next().unwrap_or(url);
        (url.starts_with("https://") || url.starts_with("http://"))
            && url.contains("/-/")
            && url.ends_with(".tgz")
    });
    Some((name.to_owned(), registry_range && registry_tarball))
}

/// Decodes `%XX` escapes (Berry escapes `:` and `@` inside patch references).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const CLASSIC: &str = r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/helper-plugin-utils@^7.0.0", "@babel/helper-plugin-utils@^7.20.2":
  version "7.21.5"
  resolved "https://registry.yarnpkg.com/@babel/helper-plugin-utils/-/helper-plugin-utils-7.21.5.tgz#345f2377d05a720a4e5ecfa39cbf4474a4daed56"
  integrity sha512-0WDaIlXKOX/3KfBK/dwP1oQGiPh6rjMkT7HIRv7i5RR2VUMwrx5ZL0dwBkKx7+SW1zwNdgjHd34IMk5ZjTeHVg==

cross-spawn@^7.0.0, cross-spawn@^7.0.3:
  version "7.0.3"
  resolved "https://registry.yarnpkg.com/cross-spawn/-/cross-spawn-7.0.3.tgz#f73a85b9d5d41d045551c177e2882d4ac85728a6"
  dependencies:
    path-key "^3.1.0"
    shebang-command "^2.0.0"

"left-pad@git+https://github.com/example/left-pad.git#v1.3.1":
  version "1.3.1"
  resolved "git+https://github.com/example/left-pad.git#5e0c5c4d2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e"

"local-utils@file:./packages/utils":
  version "0.0.1"

"string-width-cjs@npm:string-width@^4.2.0":
  version "4.2.3"
  resolved "https://registry.yarnpkg.com/string-width/-/string-width-4.2.3.tgz#269c7117d27b05ad2e536830a8ec895ef9c6d010"

tiny-tarball@https://example.com/downloads/tiny-tarball-1.0.0.tgz:
  version "1.0.0"
  resolved "https://example.com/downloads/tiny-tarball-1.0.0.tgz"

"@types/node@*":
  version "20.2.5"
  resolved "https://npm.example.com/repository/npm-proxy/@types/node/-/node-20.2.5.tgz"
"#;

    #[test]
    fn reads_classic_entries_with_scopes_aliases_and_git_file_and_url_sources() {
        let parsed = read(Format::YarnLock, "yarn.lock", CLASSIC.as_bytes()).unwrap();
        let npm = Some("npm".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (
                    npm.clone(),
                    "@babel/helper-plugin-utils",
                    "7.21.5",
                    Some(5),
                    None
                ),
                (npm.clone(), "cross-spawn", "7.0.3", Some(10), None),
                (None, "left-pad", "1.3.1", Some(17), None),
                (None, "local-utils", "0.0.1", Some(21), None),
                (npm.clone(), "string-width", "4.2.3", Some(24), None),
                (None, "tiny-tarball", "1.0.0", Some(28), None),
                (npm.clone(), "@types/node", "20.2.5", Some(32), None),
            ]
        );
        assert_eq!(
            parsed.packages[0].purl.as_deref(),
            Some("pkg:npm/%40babel/helper-plugin-utils@7.21.5")
        );
        assert!(parsed.warnings.is_empty());
    }

    const BERRY: &str = r#"# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"@emotion/hash@npm:^0.9.0, @emotion/hash@npm:^0.9.1":
  version: 0.9.1
  resolution: "@emotion/hash@npm:0.9.1"
  checksum: 10c0/cdafe5da63fc1137f3db6e232fdcde9188b2b47ee66c56c29137199642a4086f42382d866911cfb4833cae2cc00271ab45cad3946b024f67b527bb7fac7f4c9d
  languageName: node
  linkType: hard

"lodash@npm:^4.17.20, lodash@npm:^4.17.21":
  version: 4.17.21
  resolution: "lodash@npm:4.17.21"
  languageName: node
  linkType: hard

"resolve@patch:resolve@npm%3A^1.22.1#optional!builtin<compat/resolve>":
  version: 1.22.2
  resolution: "resolve@patch:resolve@npm%3A1.22.2#optional!builtin<compat/resolve>::version=1.22.2&hash=c3c19d"
  dependencies:
    is-core-module: "npm:^2.11.0"
  bin:
    resolve: bin/resolve
  languageName: node
  linkType: hard

"@scope/patched@patch:@scope/patched@npm%3A2.0.0#~/.yarn/patches/@scope-patched-npm-2.0.0-abc.patch":
  version: 2.0.0
  resolution: "@scope/patched@patch:@scope/patched@npm%3A2.0.0#~/.yarn/patches/@scope-patched-npm-2.0.0-abc.patch::version=2.0.0&hash=1a2b3c"
  languageName: node
  linkType: hard

"shop-frontend@workspace:.":
  version: 0.0.0-use.local
  resolution: "shop-frontend@workspace:."
  dependencies:
    lodash: "npm:^4.17.21"
    strip-ansi-cjs: "npm:strip-ansi@^6.0.1"
  languageName: unknown
  linkType: soft

"strip-ansi-cjs@npm:strip-ansi@^6.0.1":
  version: 6.0.1
  resolution: "strip-ansi@npm:6.0.1"
  languageName: node
  linkType: hard

"ui-kit@https://github.com/example/ui-kit.git#commit=9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e":
  version: 3.0.0
  resolution: "ui-kit@https://github.com/example/ui-kit.git#commit=9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e"
  languageName: node
  linkType: hard

"vendored@file:./vendor/vendored.tgz::locator=shop-frontend%40workspace%3A.":
  version: 1.2.0
  resolution: "vendored@file:./vendor/vendored.tgz#./vendor/vendored.tgz::hash=8c3e1f&locator=shop-frontend%40workspace%3A."
  languageName: node
  linkType: hard
"#;

    #[test]
    fn reads_berry_entries_with_patches_workspaces_aliases_and_git_and_file_sources() {
        let parsed = read(Format::YarnLock, "yarn.lock", BERRY.as_bytes()).unwrap();
        let npm = Some("npm".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (npm.clone(), "@emotion/hash", "0.9.1", Some(8), None),
                (npm.clone(), "lodash", "4.17.21", Some(15), None),
                (npm.clone(), "resolve", "1.22.2", Some(21), None),
                (npm.clone(), "@scope/patched", "2.0.0", Some(31), None),
                (None, "shop-frontend", "0.0.0-use.local", Some(37), None),
                (npm.clone(), "strip-ansi", "6.0.1", Some(46), None),
                (None, "ui-kit", "3.0.0", Some(52), None),
                (None, "vendored", "1.2.0", Some(58), None),
            ]
        );
        assert_eq!(
            parsed.packages[3].purl.as_deref(),
            Some("pkg:npm/%40scope/patched@2.0.0")
        );
    }

    #[test]
    fn malformed_entries_are_errors_or_warnings() {
        let e = read(
            Format::YarnLock,
            "yarn.lock",
            b"# yarn lockfile v1\n\nlodash@^4.17.21:\n  version \"4.17.21\"\nnot an entry\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "yarn.lock:5: expected an entry header `DESCRIPTOR[, DESCRIPTOR…]:`"
        );
        let e = read(Format::YarnLock, "yarn.lock", b"  version \"1.0.0\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "yarn.lock:1: expected an entry header `DESCRIPTOR[, DESCRIPTOR…]:` before indented lines"
        );
        let e = read(
            Format::YarnLock,
            "yarn.lock",
            b"\n\nlodash:\n  version \"4.17.21\"\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "yarn.lock:3: expected a descriptor `NAME@RANGE`, found `lodash`"
        );
        let parsed = read(
            Format::YarnLock,
            "yarn.lock",
            b"\"a@^1.0.0\":\n  resolved \"https://registry.yarnpkg.com/a/-/a-1.0.0.tgz\"\n",
        )
        .unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(
            parsed.warnings,
            vec!["yarn.lock:1: `a@^1.0.0` has no version; skipped"]
        );
    }
}
