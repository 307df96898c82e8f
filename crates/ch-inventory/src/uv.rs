//! uv's `uv.lock`.
//!
//! Each `[[package]]` table is one locked package, with its `name`, `version` and
//! `source`. A package from an index (`source = { registry = "…" }`, PyPI or a
//! private index) is a PyPI package. Packages from git, a URL, a local archive
//! (`path`) or folder (`directory`), editable installs and virtual projects are
//! listed without an ecosystem (their versions are not index releases; a project
//! with a dynamic version has none, and is listed with an empty one). The project's
//! own packages are those with an `editable` or `virtual` source that is the
//! lockfile's folder (`"."`) or a workspace member named in `[manifest] members`;
//! the packages they depend on (`dependencies`, any `optional-dependencies` extra
//! or `dev-dependencies` group) are direct, the project's own are not. Where no
//! project package is present, directness is unknown. The line is that of the
//! `name`.

use std::collections::{BTreeMap, HashSet};

use ch_types::EcosystemKind;
use serde::Deserialize;
use toml::Spanned;

use crate::lines::Lines;
use crate::{InventoryError, Parsed, Source};

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    package: Vec<LockedPackage>,
    #[serde(default)]
    manifest: Manifest,
}

#[derive(Deserialize, Default)]
struct Manifest {
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: Spanned<String>,
    version: Option<String>,
    source: Option<PackageSource>,
    #[serde(default)]
    dependencies: Vec<Dependency>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<Dependency>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<Dependency>>,
}

#[derive(Deserialize)]
struct PackageSource {
    registry: Option<String>,
    editable: Option<String>,
    #[serde(rename = "virtual")]
    virtual_: Option<String>,
}

#[derive(Deserialize)]
struct Dependency {
    name: String,
    /// Written when several versions of the package are locked.
    version: Option<String>,
}

/// PEP 503 normalisation, enough to compare names the lockfile writes.
fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let lock: Lockfile = crate::parse_toml(file, text, "uv.lock")?;
    let lines = Lines::new(text);
    let members: HashSet<String> = lock.manifest.members.iter().map(|m| normalise(m)).collect();
    let is_project = |p: &LockedPackage| {
        p.source.as_ref().is_some_and(|s| {
            s.editable
                .as_deref()
                .or(s.virtual_.as_deref())
                .is_some_and(|path| path == "." || members.contains(&normalise(p.name.get_ref())))
        })
    };
    // (normalised name, version where the dependency names one)
    let mut direct: Option<HashSet<(String, Option<&str>)>> = None;
    for project in lock.package.iter().filter(|p| is_project(p)) {
        let names = direct.get_or_insert_with(HashSet::new);
        let deps = project
            .dependencies
            .iter()
            .chain(project.optional_dependencies.values().flatten())
            .chain(project.dev_dependencies.values().flatten());
        for dep in deps {
            names.insert((normalise(&dep.name), dep.version.as_deref()));
        }
    }
    let mut parsed = Parsed::default();
    for p in &lock.package {
        let line = lines.line_of(p.name.span().start);
        let source = Source {
            file: file.to_owned(),
            line: Some(line),
        };
        let name = p.name.get_ref();
        let is_direct = direct.as_ref().map(|names| {
            let key = normalise(name);
            !is_project(p)
                && (names.contains(&(key.clone(), None))
                    || names.contains(&(key, p.version.as_deref())))
        });
        let from_index = p.source.as_ref().is_some_and(|s| s.registry.is_some());
        match (from_index, p.version.as_deref()) {
            (true, Some(version)) => parsed.packages.push(crate::package(
                EcosystemKind::PyPI,
                name,
                version,
                source,
                is_direct,
            )),
            (true, None) => parsed.warnings.push(format!(
                "{file}:{line}: `{name}` is from an index but has no version; skipped"
            )),
            (false, version) => parsed.packages.push(crate::unidentified(
                name,
                version.unwrap_or_default(),
                source,
                is_direct,
            )),
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const LOCK: &str = r#"version = 1
revision = 2
requires-python = ">=3.11"

[manifest]
members = [
    "inventory-api",
    "inventory-core",
]

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "idna" },
    { name = "sniffio" },
]
sdist = { url = "https://files.pythonhosted.org/packages/anyio-4.4.0.tar.gz", hash = "sha256:5a", size = 1 }

[[package]]
name = "attrs"
version = "23.2.0"
source = { git = "https://github.com/example/attrs?rev=fix-slots#3c1e0b8d7a6f5e4d3c2b1a09f8e7d6c5b4a3f2e1" }

[[package]]
name = "idna"
version = "3.7"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "inventory-api"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "anyio" },
    { name = "inventory-core" },
    { name = "numpy", version = "2.0.0", marker = "python_full_version >= '3.12'" },
    { name = "tool-plugin" },
]

[package.optional-dependencies]
cli = [
    { name = "attrs" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[[package]]
name = "inventory-core"
source = { editable = "packages/core" }
dependencies = [
    { name = "Py_Utils" },
]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "py-utils"
version = "1.0.0"
source = { directory = "../py-utils" }

[[package]]
name = "pytest"
version = "8.2.2"
source = { registry = "https://pypi.internal.example/simple" }

[[package]]
name = "sniffio"
version = "1.3.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "tool-plugin"
version = "0.2.0"
source = { editable = "../tool-plugin" }
dependencies = [
    { name = "sniffio" },
]
"#;

    #[test]
    fn reads_registry_git_path_editable_and_virtual_packages() {
        let parsed = read(Format::UvLock, "uv.lock", LOCK.as_bytes()).unwrap();
        let pypi = Some("PyPI".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (pypi.clone(), "anyio", "4.4.0", Some(12), Some(true)),
                (None, "attrs", "23.2.0", Some(22), Some(true)),
                (pypi.clone(), "idna", "3.7", Some(27), Some(false)),
                (None, "inventory-api", "0.1.0", Some(32), Some(false)),
                (None, "inventory-core", "", Some(53), Some(false)),
                (pypi.clone(), "numpy", "1.26.4", Some(60), Some(false)),
                (pypi.clone(), "numpy", "2.0.0", Some(65), Some(true)),
                (None, "py-utils", "1.0.0", Some(70), Some(true)),
                (pypi.clone(), "pytest", "8.2.2", Some(75), Some(true)),
                (pypi.clone(), "sniffio", "1.3.1", Some(80), Some(false)),
                (None, "tool-plugin", "0.2.0", Some(85), Some(true)),
            ]
        );
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn without_a_project_package_directness_is_unknown() {
        let text = "version = 1\n\n[[package]]\nname = \"six\"\nversion = \"1.16.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        let parsed = read(Format::UvLock, "uv.lock", text.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![(Some("PyPI".to_owned()), "six", "1.16.0", Some(4), None)]
        );
    }

    #[test]
    fn bad_lockfiles_name_the_line_and_unversioned_index_packages_warn() {
        let e = read(
            Format::UvLock,
            "uv.lock",
            b"version = 1\n\n[[package]]\nversion = \"1.0\"\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "uv.lock:3: not a uv.lock: missing field `name`"
        );
        let e = read(
            Format::UvLock,
            "uv.lock",
            b"[[package]]\nname = \"six\"\nsource = \"pypi\"\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let parsed = read(
            Format::UvLock,
            "uv.lock",
            b"[[package]]\nname = \"six\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
        )
        .unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(
            parsed.warnings,
            vec!["uv.lock:2: `six` is from an index but has no version; skipped"]
        );
    }
}
