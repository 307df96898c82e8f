//! Conan's `conan.lock`: Conan 2's lockfile (version 0.5) and Conan 1's graph
//! lockfile (version 0.4 and earlier).
//!
//! A package is named by its reference, `name/1.2.3[@user/channel][#revision]`
//! (Conan 2 adds the revision's time, `%1692672717.68`): its name and version are
//! read, the revision and time dropped. Conan 2 lists references in `requires`,
//! `build_requires` and `python_requires` (and `config_requires`), without saying
//! which the project names directly. Conan 1 lists the graph's `nodes`, keyed by
//! id, each with its `ref`: node `0` is the project itself (listed without an
//! ecosystem when it has a reference, as when a package is being created), and the
//! nodes its `requires` and `build_requires` name are direct. A reference without
//! a user and channel (or with the `_/_` placeholders) is a ConanCenter package;
//! one with them (`@acme/stable`) is a package of that user's, listed without an
//! ecosystem. A package referenced several times (in the host and build contexts)
//! is listed once, at its first reference. The line is that of the reference.

use std::collections::HashSet;

use ch_types::EcosystemKind;
use serde_json::{Map, Value};

use crate::lines::JsonCursor;
use crate::{InventoryError, Parsed, Source};

const REQUIRES: [&str; 4] = [
    "requires",
    "build_requires",
    "python_requires",
    "config_requires",
];

/// A reference's parts.
struct Reference<'a> {
    name: &'a str,
    version: &'a str,
    /// `user/channel`, when not the `_/_` placeholder.
    user_channel: Option<&'a str>,
}

/// `name/version[@user/channel][#revision[%time]]`.
fn reference(text: &str) -> Option<Reference<'_>> {
    let text = text.split(['#', '%']).next()?.trim();
    let (name_version, user_channel) = match text.split_once('@') {
        Some((nv, uc)) => (
            nv,
            Some(uc).filter(|uc| !uc.is_empty() && *uc != "_/_" && *uc != "_"),
        ),
        None => (text, None),
    };
    let (name, version) = name_version.split_once('/')?;
    let valid = |s: &str| !s.is_empty() && !s.contains(['/', ' ']);
    (valid(name) && valid(version)).then_some(Reference {
        name,
        version,
        user_channel,
    })
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let obj = crate::parse_json_object(file, text, "a conan.lock")?;

    let mut cursor = JsonCursor::new(text);
    let mut reader = Reader {
        file,
        parsed: Parsed::default(),
        seen: HashSet::new(),
    };
    match (
        obj.get("version").and_then(Value::as_str),
        obj.get("graph_lock"),
    ) {
        (Some("0.5"), _) => {
            for field in REQUIRES {
                let Some(list) = obj.get(field) else { continue };
                let Some(list) = list.as_array() else {
                    return Err(InventoryError::new(
                        file,
                        cursor.find(field, ":"),
                        format!("expected `{field}` to be an array of references"),
                    ));
                };
                for (i, r) in list.iter().enumerate() {
                    let Some(r) = r.as_str() else {
                        return Err(InventoryError::new(
                            file,
                            cursor.find(field, ":"),
                            format!("expected `{field}[{i}]` to be a reference string"),
                        ));
                    };
                    let line = cursor.find(r, "");
                    reader.add(r, line, None, true)?;
                }
            }
        }
        (Some(_) | None, Some(Value::Object(graph))) => {
            reader.graph(graph, &mut cursor)?;
        }
        (Some(v), _) => {
            return Err(InventoryError::new(
                file,
                cursor.find("version", ":"),
                format!("lockfile version {v} is not supported (0.5 is, as are 0.4 and earlier with a `graph_lock`)"),
            ));
        }
        (None, _) => {
            return Err(InventoryError::new(
                file,
                Some(1),
                "expected a `version` (a conan.lock)",
            ));
        }
    }
    Ok(reader.parsed)
}

struct Reader<'a> {
    file: &'a str,
    parsed: Parsed,
    seen: HashSet<(String, String, Option<String>)>,
}

impl Reader<'_> {
    /// Adds the package `text` references; `registry` false lists it without an
    /// ecosystem whatever it names.
    fn add(
        &mut self,
        text: &str,
        line: Option<u32>,
        direct: Option<bool>,
        registry: bool,
    ) -> Result<(), InventoryError> {
        let Some(r) = reference(text) else {
            return Err(InventoryError::new(
                self.file,
                line,
                format!(
                    "expected a reference `NAME/VERSION[@USER/CHANNEL][#REVISION]`, found `{text}`"
                ),
            ));
        };
        let key = (
            r.name.to_owned(),
            r.version.to_owned(),
            r.user_channel.map(str::to_owned),
        );
        if !self.seen.insert(key) {
            return Ok(());
        }
        let source = Source {
            file: self.file.to_owned(),
            line,
        };
        self.parsed
            .packages
            .push(if registry && r.user_channel.is_none() {
                crate::package(
                    EcosystemKind::ConanCenter,
                    r.name,
                    r.version,
                    source,
                    direct,
                )
            } else {
                crate::unidentified(r.name, r.version, source, direct)
            });
        Ok(())
    }

    /// Conan 1's `graph_lock`.
    fn graph(
        &mut self,
        graph: &Map<String, Value>,
        cursor: &mut JsonCursor<'_>,
    ) -> Result<(), InventoryError> {
        let Some(nodes) = graph.get("nodes").and_then(Value::as_object) else {
            return Err(InventoryError::new(
                self.file,
                cursor.find("graph_lock", ":"),
                "expected `graph_lock.nodes` to be an object",
            ));
        };
        let ids = |node: Option<&Value>| -> Vec<String> {
            ["requires", "build_requires"]
                .iter()
                .filter_map(|f| node?.get(*f)?.as_array())
                .flatten()
                .filter_map(|id| id.as_str().map(str::to_owned))
                .collect()
        };
        let direct: HashSet<String> = ids(nodes.get("0")).into_iter().collect();
        for (id, node) in nodes {
            let Some(r) = node.get("ref").and_then(Value::as_str) else {
                continue;
            };
            let line = cursor.find(r, "");
            let root = id == "0";
            let is_direct = Some(!root && direct.contains(id));
            self.add(r, line, is_direct, !root)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const V05: &str = r#"{
    "version": "0.5",
    "requires": [
        "zlib/1.2.13#97d5730b529b4224045fe7090592d4c1%1692672717.68",
        "openssl/3.1.2#64747e68ba6a3ddf2f4a4a8cb4b5b1f7%1691500286.154",
        "libcurl/8.2.1#8b42a1c8e6b7f7c8b3d0d2d5e5f0c0d1%1690984553.214",
        "fmt/10.1.0@acme/stable#e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8%1692000000.0"
    ],
    "build_requires": [
        "zlib/1.2.13#97d5730b529b4224045fe7090592d4c1%1692672717.68",
        "cmake/3.27.4#b1a5f4e1b9c4d7c2e3f5a6b7c8d9e0f1%1693218060.0"
    ],
    "python_requires": [
        "pyreq-base/1.0@_/_#0a1b2c3d4e5f60718293a4b5c6d7e8f9%1680000000.0"
    ],
    "config_requires": []
}"#;

    #[test]
    fn reads_conan2_requires_dropping_revisions_and_repeats() {
        let parsed = read(Format::ConanLock, "conan.lock", V05.as_bytes()).unwrap();
        let center = Some("ConanCenter".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (center.clone(), "zlib", "1.2.13", Some(4), None),
                (center.clone(), "openssl", "3.1.2", Some(5), None),
                (center.clone(), "libcurl", "8.2.1", Some(6), None),
                (None, "fmt", "10.1.0", Some(7), None),
                (center.clone(), "cmake", "3.27.4", Some(11), None),
                (center.clone(), "pyreq-base", "1.0", Some(14), None),
            ]
        );
        assert_eq!(
            parsed.packages[1].purl.as_deref(),
            Some("pkg:conan/openssl@3.1.2")
        );
    }

    const V04: &str = r#"{
 "graph_lock": {
  "nodes": {
   "0": {
    "options": "shared=False",
    "requires": ["1", "3"],
    "build_requires": ["4"],
    "path": "../conanfile.py",
    "context": "host"
   },
   "1": {
    "ref": "poco/1.12.4#5c3a9d2e1f0b8c7a6d5e4f3a2b1c0d9e",
    "options": "enable_xml=True",
    "package_id": "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c",
    "prev": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
    "requires": ["2"],
    "context": "host"
   },
   "2": {
    "ref": "expat/2.5.0#1e2d3c4b5a6978879a6b5c4d3e2f1a0b",
    "context": "host"
   },
   "3": {
    "ref": "internal-codec/4.1.0@acme/stable#6f5e4d3c2b1a09f8e7d6c5b4a3f2e1d0",
    "context": "host"
   },
   "4": {
    "ref": "cmake/3.25.3#8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
    "context": "build"
   }
  },
  "revisions_enabled": true
 },
 "version": "0.4",
 "profile_host": "[settings]\narch=x86_64\nos=Linux\n"
}"#;

    #[test]
    fn reads_conan1_graph_nodes_with_direct_requirements() {
        let parsed = read(Format::ConanLock, "conan.lock", V04.as_bytes()).unwrap();
        let center = Some("ConanCenter".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (center.clone(), "poco", "1.12.4", Some(12), Some(true)),
                (center.clone(), "expat", "2.5.0", Some(20), Some(false)),
                (None, "internal-codec", "4.1.0", Some(24), Some(true)),
                (center.clone(), "cmake", "3.25.3", Some(28), Some(true)),
            ]
        );
    }

    #[test]
    fn malformed_lockfiles_are_errors() {
        let e = read(
            Format::ConanLock,
            "conan.lock",
            b"{\n  \"version\": \"0.5\",\n  \"requires\": [\n    \"zlib\"\n  ]\n}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "conan.lock:4: expected a reference `NAME/VERSION[@USER/CHANNEL][#REVISION]`, found `zlib`"
        );
        let e = read(
            Format::ConanLock,
            "conan.lock",
            b"{\n  \"version\": \"0.6\"\n}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "conan.lock:2: lockfile version 0.6 is not supported (0.5 is, as are 0.4 and earlier with a `graph_lock`)"
        );
        let e = read(Format::ConanLock, "conan.lock", b"{}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "conan.lock:1: expected a `version` (a conan.lock)"
        );
    }
}
