//! Pipenv's `Pipfile.lock`.
//!
//! The `default` and `develop` objects map each locked package's name to its
//! entry; a package from an index has a `version` pinned with `==` (`"==2.31.0"`)
//! and is a PyPI package, whichever index (`"index"`) it came from. Entries from
//! version control (`git`, `hg`, `svn`, `bzr`), a local folder (`path`, `editable`)
//! or an archive (`file`), and entries with no `==` pin, are listed without an
//! ecosystem: their version is the pinned one where they have it, else as given,
//! else empty. Both objects hold every package the resolution needs, so the file
//! does not record which are direct. The line is that of the entry's key.

use ch_types::EcosystemKind;
use serde_json::{Map, Value};

use crate::lines::JsonCursor;
use crate::{InventoryError, Package, Parsed, Source};

/// Entry fields that say the package is not a release from an index.
const NOT_FROM_AN_INDEX: &[&str] = &["git", "hg", "svn", "bzr", "path", "file", "editable"];

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let obj = crate::parse_json_object(file, text, "a Pipfile.lock")?;

    let mut cursor = JsonCursor::new(text);
    let mut parsed = Parsed::default();
    for group in ["default", "develop"] {
        let Some(entries) = obj.get(group) else {
            continue;
        };
        let group_line = cursor.find(group, ":");
        let Some(entries) = entries.as_object() else {
            return Err(InventoryError::new(
                file,
                group_line,
                format!("expected `{group}` to be an object"),
            ));
        };
        for (name, entry) in entries {
            let line = cursor.find(name, ":");
            let Some(entry) = entry.as_object() else {
                return Err(InventoryError::new(
                    file,
                    line,
                    format!("expected `{group}.{name}` to be an object"),
                ));
            };
            parsed.packages.push(package(file, name, entry, line));
        }
    }
    Ok(parsed)
}

fn package(file: &str, name: &str, entry: &Map<String, Value>, line: Option<u32>) -> Package {
    let source = Source {
        file: file.to_owned(),
        line,
    };
    let given = entry.get("version").and_then(Value::as_str).unwrap_or("");
    let pinned = given
        .strip_prefix("===")
        .or_else(|| given.strip_prefix("=="))
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.contains(['*', ',', ' ', '<', '>', '!', '~']));
    let from_index = !NOT_FROM_AN_INDEX.iter().any(|f| entry.contains_key(*f));
    match pinned {
        Some(version) if from_index => {
            crate::package(EcosystemKind::PyPI, name, version, source, None)
        }
        _ => crate::unidentified(name, pinned.unwrap_or(given), source, None),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const LOCK: &str = r#"{
    "_meta": {
        "hash": {
            "sha256": "7d3c1f0e2b4a6c8e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e"
        },
        "pipfile-spec": 6,
        "requires": {
            "python_version": "3.11"
        },
        "sources": [
            {
                "name": "pypi",
                "url": "https://pypi.org/simple",
                "verify_ssl": true
            },
            {
                "name": "internal",
                "url": "https://pypi.example.com/simple",
                "verify_ssl": true
            }
        ]
    },
    "default": {
        "certifi": {
            "hashes": [
                "sha256:0f0d56dc5a6ad56fd4ba36484d6cc34451e1c6548c61daad8c320169f91eddc7"
            ],
            "index": "pypi",
            "markers": "python_version >= '3.6'",
            "version": "==2023.5.7"
        },
        "company-auth": {
            "index": "internal",
            "version": "==4.2.0"
        },
        "flask": {
            "git": "https://github.com/example/flask-fork.git",
            "ref": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
        },
        "myproject": {
            "editable": true,
            "path": "."
        },
        "requests": {
            "extras": [
                "socks"
            ],
            "version": "==2.31.0"
        },
        "vendored-wheel": {
            "file": "https://files.example.com/vendored_wheel-1.0-py3-none-any.whl",
            "version": "==1.0"
        }
    },
    "develop": {
        "pytest": {
            "version": "==7.3.1"
        },
        "requests": {
            "version": "==2.31.0"
        },
        "wildcard": {
            "version": "*"
        }
    }
}"#;

    #[test]
    fn reads_default_and_develop_with_git_path_and_file_entries() {
        let parsed = read(Format::PipfileLock, "Pipfile.lock", LOCK.as_bytes()).unwrap();
        let pypi = Some("PyPI".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (pypi.clone(), "certifi", "2023.5.7", Some(24), None),
                (pypi.clone(), "company-auth", "4.2.0", Some(32), None),
                (None, "flask", "", Some(36), None),
                (None, "myproject", "", Some(40), None),
                (pypi.clone(), "requests", "2.31.0", Some(44), None),
                (None, "vendored-wheel", "1.0", Some(50), None),
                (pypi.clone(), "pytest", "7.3.1", Some(56), None),
                (pypi.clone(), "requests", "2.31.0", Some(59), None),
                (None, "wildcard", "*", Some(62), None),
            ]
        );
        assert_eq!(
            parsed.packages[0].purl.as_deref(),
            Some("pkg:pypi/certifi@2023.5.7")
        );
    }

    #[test]
    fn bad_shapes_are_errors() {
        let e = read(Format::PipfileLock, "Pipfile.lock", b"\"x\"").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Pipfile.lock:1: expected a JSON object (a Pipfile.lock)"
        );
        let e = read(
            Format::PipfileLock,
            "Pipfile.lock",
            b"{\n  \"default\": {\n    \"six\": {\"version\": \"==1.16.0\"},\n    \"idna\": \"==3.4\"\n  }\n}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Pipfile.lock:4: expected `default.idna` to be an object"
        );
        let e = read(
            Format::PipfileLock,
            "Pipfile.lock",
            b"{\n  \"_meta\": {},\n  \"develop\": []\n}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Pipfile.lock:3: expected `develop` to be an object"
        );
    }
}
