//! npm's `package-lock.json` and `npm-shrinkwrap.json`, lockfile versions 1 to 3.
//!
//! Versions 2 and 3 list every installed package under `packages`, keyed by its
//! folder (`node_modules/a/node_modules/@s/b`); the name is the entry's `name`
//! (an alias `"x": "npm:real@1"` installs `real` under `x`) or the key's last
//! `node_modules/` part. Version 1 nests `dependencies`; an aliased version is
//! written `npm:real@1.0.0`. Packages installed from git, a tarball URL or a local
//! folder, and workspace folders, are listed without an ecosystem (their versions
//! are not registry releases). Direct: a top-level package the root names in
//! `dependencies`, `devDependencies`, `optionalDependencies` or
//! `peerDependencies` (versions 2 and 3; version 1 does not record it).

use std::collections::HashSet;

use ch_types::EcosystemKind;
use serde_json::{Map, Value};

use crate::lines::JsonCursor;
use crate::{InventoryError, Package, Parsed, Source};

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let obj = crate::parse_json_object(file, text, "an npm lockfile")?;

    let version = obj.get("lockfileVersion").and_then(Value::as_u64);
    let mut cursor = JsonCursor::new(text);
    let mut parsed = Parsed::default();
    match (version, obj.get("packages"), obj.get("dependencies")) {
        (Some(2 | 3), Some(Value::Object(packages)), _)
        | (None, Some(Value::Object(packages)), _) => {
            read_packages(file, packages, &mut cursor, &mut parsed)?;
        }
        (Some(1) | None, _, Some(Value::Object(deps))) => {
            read_v1(file, deps, &mut cursor, &mut parsed);
        }
        (Some(1) | None, _, None) => {}
        (Some(v), _, _) if v > 3 => {
            return Err(InventoryError::new(
                file,
                cursor.find("lockfileVersion", ":"),
                format!("lockfileVersion {v} is not supported (1, 2 and 3 are)"),
            ));
        }
        _ => {
            return Err(InventoryError::new(
                file,
                None,
                "expected `packages` (lockfileVersion 2 or 3) or `dependencies` (version 1) to be an object",
            ));
        }
    }
    Ok(parsed)
}

fn registry_version(entry: &Map<String, Value>) -> bool {
    match entry.get("resolved").and_then(Value::as_str) {
        None => true,
        Some(r) => r.starts_with("https://") && r.contains(".tgz") && !r.contains('#'),
    }
}

fn read_packages(
    file: &str,
    packages: &Map<String, Value>,
    cursor: &mut JsonCursor<'_>,
    parsed: &mut Parsed,
) -> Result<(), InventoryError> {
    let mut direct: HashSet<&str> = HashSet::new();
    if let Some(root) = packages.get("").and_then(Value::as_object) {
        for field in [
            "dependencies",
            "devDependencies",
            "optionalDependencies",
            "peerDependencies",
        ] {
            if let Some(deps) = root.get(field).and_then(Value::as_object) {
                direct.extend(deps.keys().map(String::as_str));
            }
        }
    }
    for (key, entry) in packages {
        if key.is_empty() {
            continue;
        }
        let line = cursor.find(key, ":");
        let Some(entry) = entry.as_object() else {
            return Err(InventoryError::new(
                file,
                line,
                format!("`packages.{key}` is not an object"),
            ));
        };
        if entry.get("link").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let installed_as = match key.rfind("node_modules/") {
            Some(i) => &key[i + "node_modules/".len()..],
            // A workspace folder: the project's own package.
            None => {
                if let (Some(name), Some(version)) = (
                    entry.get("name").and_then(Value::as_str),
                    entry.get("version").and_then(Value::as_str),
                ) {
                    parsed.packages.push(Package {
                        ecosystem: None,
                        name: name.to_owned(),
                        version: version.to_owned(),
                        purl: None,
                        source: Source {
                            file: file.to_owned(),
                            line,
                        },
                        direct: Some(false),
                    });
                }
                continue;
            }
        };
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(installed_as);
        let Some(version) = entry.get("version").and_then(Value::as_str) else {
            parsed.warnings.push(format!(
                "{}: `{key}` has no version; skipped",
                crate::place(file, line)
            ));
            continue;
        };
        let source = Source {
            file: file.to_owned(),
            line,
        };
        let top_level =
            key.matches("node_modules/").count() == 1 && key.starts_with("node_modules/");
        let is_direct = Some(top_level && direct.contains(installed_as));
        parsed.packages.push(if registry_version(entry) {
            crate::package(EcosystemKind::Npm, name, version, source, is_direct)
        } else {
            crate::unidentified(name, version, source, is_direct)
        });
    }
    Ok(())
}

fn read_v1(
    file: &str,
    deps: &Map<String, Value>,
    cursor: &mut JsonCursor<'_>,
    parsed: &mut Parsed,
) {
    for (key, entry) in deps {
        let line = cursor.find(key, ":");
        let Some(entry) = entry.as_object() else {
            continue;
        };
        if let Some(version) = entry.get("version").and_then(Value::as_str) {
            // An alias: `npm:real-name@1.2.3` (the scope's `@` comes first).
            let (name, version) = match version.strip_prefix("npm:") {
                Some(spec) => match spec.get(1..).and_then(|s| s.rfind('@')) {
                    Some(i) => (&spec[..i + 1], &spec[i + 2..]),
                    None => (key.as_str(), spec),
                },
                None => (key.as_str(), version),
            };
            let source = Source {
                file: file.to_owned(),
                line,
            };
            let is_registry = registry_version(entry)
                && version.chars().next().is_some_and(|c| c.is_ascii_digit());
            parsed.packages.push(if is_registry {
                crate::package(EcosystemKind::Npm, name, version, source, None)
            } else {
                crate::unidentified(name, version, source, None)
            });
        }
        if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
            read_v1(file, nested, cursor, parsed);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    #[test]
    fn reads_v3_with_nesting_aliases_scopes_links_and_git() {
        let text = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "app",
      "dependencies": { "lodash": "^4", "@babel/core": "7", "alias": "npm:minimist@1.2.0", "gitdep": "github:x/y" },
      "devDependencies": { "ws": "^7" }
    },
    "node_modules/lodash": { "version": "4.17.20", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz" },
    "node_modules/@babel/core": { "version": "7.0.0" },
    "node_modules/@babel/core/node_modules/lodash": { "version": "4.17.4" },
    "node_modules/alias": { "name": "minimist", "version": "1.2.0" },
    "node_modules/gitdep": { "version": "1.0.0", "resolved": "git+ssh://git@github.com/x/y.git#abc" },
    "node_modules/ws": { "version": "7.4.5", "dev": true },
    "node_modules/local": { "resolved": "packages/local", "link": true },
    "packages/local": { "name": "local", "version": "0.0.1" }
  }
}"#;
        let parsed = read(Format::NpmLock, "package-lock.json", text.as_bytes()).unwrap();
        let npm = Some("npm".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (npm.clone(), "lodash", "4.17.20", Some(10), Some(true)),
                (npm.clone(), "@babel/core", "7.0.0", Some(11), Some(true)),
                (npm.clone(), "lodash", "4.17.4", Some(12), Some(false)),
                (npm.clone(), "minimist", "1.2.0", Some(13), Some(true)),
                (None, "gitdep", "1.0.0", Some(14), Some(true)),
                (npm.clone(), "ws", "7.4.5", Some(15), Some(true)),
                (None, "local", "0.0.1", Some(17), Some(false)),
            ]
        );
        assert_eq!(
            parsed.packages[1].purl.as_deref(),
            Some("pkg:npm/%40babel/core@7.0.0")
        );
    }

    #[test]
    fn reads_v1_nested_dependencies() {
        let text = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "a": { "version": "1.0.0", "dependencies": { "b": { "version": "2.0.0" } } },
    "b": { "version": "npm:@s/real@3.0.0" },
    "c": { "version": "github:x/c#abc" }
  }
}"#;
        let parsed = read(Format::NpmLock, "npm-shrinkwrap.json", text.as_bytes()).unwrap();
        let npm = Some("npm".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (npm.clone(), "a", "1.0.0", Some(4), None),
                (npm.clone(), "b", "2.0.0", Some(4), None),
                (npm.clone(), "@s/real", "3.0.0", Some(5), None),
                (None, "c", "github:x/c#abc", Some(6), None),
            ]
        );
    }

    #[test]
    fn unsupported_versions_and_shapes_are_errors() {
        let e = read(
            Format::NpmLock,
            "p.json",
            b"{\n\"lockfileVersion\": 9,\n\"packages\": {}}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.json:2: lockfileVersion 9 is not supported (1, 2 and 3 are)"
        );
        let e = read(Format::NpmLock, "p.json", b"[]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.json:1: expected a JSON object (an npm lockfile)"
        );
        let e = read(
            Format::NpmLock,
            "p.json",
            b"{\"lockfileVersion\": 3, \"packages\": {\"node_modules/x\": 1}}",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("`packages.node_modules/x` is not an object"),
            "{e}"
        );
    }
}
