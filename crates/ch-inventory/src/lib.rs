//! Inventory readers: what software a file says is installed or locked.
//!
//! Each reader turns the bytes of one SBOM or lockfile into [`Package`]s: the OSV
//! ecosystem, the name as the file writes it, the version, a purl, and where in the
//! file it was found (the line, where the format allows finding it), plus whether it
//! is a direct dependency where the format records that.
//!
//! No IO: callers read files (with their own size limits) and pass the bytes and a
//! label to [`read`]. A format's cross-file references (`-r other.txt` in a
//! requirements file) are returned as [`Parsed::includes`] for the caller to follow.
//!
//! | Format | Recognised file names | Reader |
//! |---|---|---|
//! | CycloneDX 1.2–1.7 JSON | `bom.json`, `*.cdx.json`, or any `.json` whose `bomFormat` is `CycloneDX` | [`Format::CycloneDxJson`] |
//! | CycloneDX 1.2–1.7 XML | `bom.xml`, `*.cdx.xml`, or any XML whose root is a `<bom>` in a CycloneDX namespace | [`Format::CycloneDxXml`] |
//! | SPDX 2.2/2.3 JSON | `*.spdx.json`, or any `.json` with `spdxVersion` | [`Format::SpdxJson`] |
//! | SPDX 2.2/2.3 tag-value | `*.spdx`, or any text whose first line (after comments) is `SPDXVersion:` | [`Format::SpdxTagValue`] |
//! | Cargo.lock (v1–v4) | `Cargo.lock` | [`Format::CargoLock`] |
//! | npm lockfile v1–v3 | `package-lock.json`, `npm-shrinkwrap.json` | [`Format::NpmLock`] |
//! | pip requirements | `requirements*.txt`, `*.requirements.txt`, `requirements/*.txt` (by the caller) | [`Format::Requirements`] |
//! | Go modules | `go.mod` | [`Format::GoMod`] |
//! | Bundler lockfile | `Gemfile.lock`, `gems.locked` | [`Format::GemfileLock`] |
//! | Composer lockfile | `composer.lock` | [`Format::ComposerLock`] |
//! | Pipenv lockfile | `Pipfile.lock` | [`Format::PipfileLock`] |
//! | Poetry lockfile | `poetry.lock` | [`Format::PoetryLock`] |
//! | uv lockfile | `uv.lock` | [`Format::UvLock`] |
//! | Yarn lockfile, classic (v1) and Berry (v2+) | `yarn.lock` | [`Format::YarnLock`] |
//! | pnpm lockfile 5.x, 6.x and 9.x | `pnpm-lock.yaml` | [`Format::PnpmLock`] |
//! | Bun text lockfile | `bun.lock` | [`Format::BunLock`] |
//! | PDM lockfile | `pdm.lock` | [`Format::PdmLock`] |
//! | Maven POM | `pom.xml` | [`Format::PomXml`] |
//! | Gradle dependency lockfile | `gradle.lockfile`, `buildscript-gradle.lockfile` | [`Format::GradleLockfile`] |
//! | Dart/Flutter pub lockfile | `pubspec.lock` | [`Format::PubspecLock`] |
//! | Mix lockfile (Elixir) | `mix.lock` | [`Format::MixLock`] |
//! | NuGet lockfile | `packages.lock.json` | [`Format::NuGetLock`] |
//! | Conan lockfile 0.4 and 0.5 | `conan.lock` | [`Format::ConanLock`] |
//! | renv lockfile (R) | `renv.lock` | [`Format::RenvLock`] |

mod bun;
mod cargo;
mod composer;
mod conan;
mod cyclonedx;
mod cyclonedx_xml;
mod gemfile;
mod gomod;
mod gradle;
mod lines;
mod mix;
mod npm;
mod nuget;
mod os;
mod pdm;
mod pipfile;
mod pnpm;
mod poetry;
mod pom;
mod pubspec;
mod renv;
mod requirements;
mod spdx;
mod spdx_tv;
mod uv;
mod yaml;
mod yarn;

use std::fmt;

use ch_types::{Ecosystem, EcosystemKind, Purl, PurlError};

pub use os::{read_apk_installed, read_dpkg_status, read_rpm_headers, OsRelease};

/// One package a file names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The OSV ecosystem; `None` when the file does not say (a CycloneDX component
    /// without a purl, say): such packages are listed but cannot be matched.
    pub ecosystem: Option<Ecosystem>,
    /// The name as the file writes it (`@scope/name`, `group:artifact`, module path).
    pub name: String,
    /// The version as the file writes it.
    pub version: String,
    /// The package URL: the file's own where it gives one, else built from the
    /// ecosystem, name and version.
    pub purl: Option<String>,
    /// Where it was found.
    pub source: Source,
    /// Whether the project depends on it directly (`Some(false)`: only through other
    /// packages); `None` where the format does not say.
    pub direct: Option<bool>,
}

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file, as the caller labelled it.
    pub file: String,
    /// The 1-based line where the package's entry starts, where known.
    pub line: Option<u32>,
}

/// What one file held.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// Packages, in file order.
    pub packages: Vec<Package>,
    /// Problems that did not stop the reading, each naming the file (and line or
    /// field) and what was wrong.
    pub warnings: Vec<String>,
    /// Other files this one includes (`-r other.txt`), as written, with the line.
    pub includes: Vec<(String, u32)>,
}

/// A file that could not be read as its format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InventoryError {
    /// The file, as the caller labelled it.
    pub file: String,
    /// The 1-based line, where known.
    pub line: Option<u32>,
    /// What was wrong or expected.
    pub message: String,
}

impl fmt::Display for InventoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl InventoryError {
    pub(crate) fn new(file: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        InventoryError {
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }
}

macro_rules! formats {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// An input format.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Format {
            $(#[doc = $doc] $variant,)*
        }

        impl Format {
            /// Every format.
            pub const ALL: &'static [Format] = &[$(Format::$variant,)*];

            /// The name `--as` takes and output shows.
            pub fn name(self) -> &'static str {
                match self {
                    $(Format::$variant => $name,)*
                }
            }
        }
    };
}

formats! {
    CycloneDxJson => "cyclonedx", "CycloneDX 1.2–1.7, JSON.";
    SpdxJson => "spdx", "SPDX 2.2 or 2.3, JSON.";
    CargoLock => "Cargo.lock", "Cargo.lock, versions 1 to 4.";
    NpmLock => "package-lock.json", "npm's package-lock.json or npm-shrinkwrap.json, lockfile versions 1 to 3.";
    Requirements => "requirements.txt", "A pip requirements file.";
    GoMod => "go.mod", "A Go module file.";
    GemfileLock => "Gemfile.lock", "Bundler's Gemfile.lock (or gems.locked).";
    ComposerLock => "composer.lock", "Composer's composer.lock.";
    PipfileLock => "Pipfile.lock", "Pipenv's Pipfile.lock.";
    PoetryLock => "poetry.lock", "Poetry's poetry.lock.";
    UvLock => "uv.lock", "uv's uv.lock.";
    YarnLock => "yarn.lock", "Yarn's yarn.lock, classic (v1) or Berry (v2 and later).";
    PnpmLock => "pnpm-lock.yaml", "pnpm's pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x.";
    BunLock => "bun.lock", "Bun's text lockfile, bun.lock.";
    PdmLock => "pdm.lock", "PDM's pdm.lock.";
    PomXml => "pom.xml", "A Maven pom.xml.";
    GradleLockfile => "gradle.lockfile", "Gradle's dependency lockfile (or the build script's, buildscript-gradle.lockfile).";
    PubspecLock => "pubspec.lock", "Dart and Flutter's pubspec.lock.";
    MixLock => "mix.lock", "Elixir's mix.lock.";
    NuGetLock => "packages.lock.json", "NuGet's packages.lock.json.";
    ConanLock => "conan.lock", "Conan's conan.lock, lockfile versions 0.4 and 0.5.";
    RenvLock => "renv.lock", "renv's renv.lock, for R.";
    CycloneDxXml => "cyclonedx-xml", "CycloneDX 1.2–1.7, XML.";
    SpdxTagValue => "spdx-tv", "SPDX 2.2 or 2.3, tag-value.";
}

impl Format {
    /// The format `--as` names: a format name, or a file name it is recognised by
    /// (`--as Cargo.lock`, `--as npm-shrinkwrap.json`, `--as cyclonedx`).
    pub fn from_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "cyclonedx" | "cdx" | "cyclonedx-json" => Some(Format::CycloneDxJson),
            "spdx" | "spdx-json" => Some(Format::SpdxJson),
            "cdx-xml" => Some(Format::CycloneDxXml),
            "spdx-tag-value" | "spdx-tagvalue" => Some(Format::SpdxTagValue),
            _ => Format::ALL
                .iter()
                .copied()
                .find(|f| f.name().eq_ignore_ascii_case(name))
                .or_else(|| Format::detect(name)),
        }
    }

    /// The format a file name says, without reading it.
    pub fn detect(file_name: &str) -> Option<Format> {
        let lower = file_name.to_ascii_lowercase();
        Some(match lower.as_str() {
            "cargo.lock" => Format::CargoLock,
            "package-lock.json" | "npm-shrinkwrap.json" => Format::NpmLock,
            "go.mod" => Format::GoMod,
            "gemfile.lock" | "gems.locked" => Format::GemfileLock,
            "composer.lock" => Format::ComposerLock,
            "pipfile.lock" => Format::PipfileLock,
            "poetry.lock" => Format::PoetryLock,
            "uv.lock" => Format::UvLock,
            "yarn.lock" => Format::YarnLock,
            "pnpm-lock.yaml" => Format::PnpmLock,
            "bun.lock" => Format::BunLock,
            "pdm.lock" => Format::PdmLock,
            "pom.xml" => Format::PomXml,
            "gradle.lockfile" | "buildscript-gradle.lockfile" => Format::GradleLockfile,
            "pubspec.lock" => Format::PubspecLock,
            "mix.lock" => Format::MixLock,
            "packages.lock.json" => Format::NuGetLock,
            "conan.lock" => Format::ConanLock,
            "renv.lock" => Format::RenvLock,
            "bom.json" | "sbom.cdx.json" => Format::CycloneDxJson,
            n if n.ends_with(".cdx.json") => Format::CycloneDxJson,
            n if n.ends_with(".spdx.json") => Format::SpdxJson,
            "bom.xml" => Format::CycloneDxXml,
            n if n.ends_with(".cdx.xml") => Format::CycloneDxXml,
            n if n.ends_with(".spdx") => Format::SpdxTagValue,
            n if n.ends_with(".txt")
                && (n.starts_with("requirements") || n.ends_with("requirements.txt")) =>
            {
                Format::Requirements
            }
            _ => return None,
        })
    }

    /// The format of an SBOM whose name says nothing, from its first bytes: JSON
    /// with `"bomFormat"` is CycloneDX and with `"spdxVersion"` SPDX; XML whose root
    /// element is a `<bom>` in a CycloneDX namespace is CycloneDX; text whose first
    /// line other than comments starts `SPDXVersion:` is SPDX tag-value.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let text = String::from_utf8_lossy(head);
        let text = text.trim_start_matches('\u{feff}').trim_start();
        if text.starts_with('{') {
            if text.contains("\"bomFormat\"") {
                Some(Format::CycloneDxJson)
            } else if text.contains("\"spdxVersion\"") {
                Some(Format::SpdxJson)
            } else {
                None
            }
        } else if text.starts_with('<') {
            cyclonedx_xml::is_cyclonedx(text).then_some(Format::CycloneDxXml)
        } else {
            spdx_tv::starts_like_spdx(text).then_some(Format::SpdxTagValue)
        }
    }
}

/// Reads `bytes` as `format`; `file` labels the packages' sources and the errors.
pub fn read(format: Format, file: &str, bytes: &[u8]) -> Result<Parsed, InventoryError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = lines::Lines::new(&String::from_utf8_lossy(&bytes[..e.valid_up_to()]))
            .line_of(e.valid_up_to());
        InventoryError::new(file, Some(line), "not UTF-8 text")
    })?;
    // A byte-order mark is not part of any of these formats' syntax.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::CycloneDxJson => cyclonedx::read(file, text),
        Format::SpdxJson => spdx::read(file, text),
        Format::CargoLock => cargo::read(file, text),
        Format::NpmLock => npm::read(file, text),
        Format::Requirements => requirements::read(file, text),
        Format::GoMod => gomod::read(file, text),
        Format::GemfileLock => gemfile::read(file, text),
        Format::ComposerLock => composer::read(file, text),
        Format::PipfileLock => pipfile::read(file, text),
        Format::PoetryLock => poetry::read(file, text),
        Format::UvLock => uv::read(file, text),
        Format::YarnLock => yarn::read(file, text),
        Format::PnpmLock => pnpm::read(file, text),
        Format::BunLock => bun::read(file, text),
        Format::PdmLock => pdm::read(file, text),
        Format::PomXml => pom::read(file, text),
        Format::GradleLockfile => gradle::read(file, text),
        Format::PubspecLock => pubspec::read(file, text),
        Format::MixLock => mix::read(file, text),
        Format::NuGetLock => nuget::read(file, text),
        Format::ConanLock => conan::read(file, text),
        Format::RenvLock => renv::read(file, text),
        Format::CycloneDxXml => cyclonedx_xml::read(file, text),
        Format::SpdxTagValue => spdx_tv::read(file, text),
    }
}

/// A package of a language ecosystem, with its purl built from the parts.
pub(crate) fn package(
    kind: EcosystemKind,
    name: &str,
    version: &str,
    source: Source,
    direct: Option<bool>,
) -> Package {
    let ecosystem = Ecosystem::new(kind, None);
    let purl = Purl::for_package(&ecosystem, name, version).map(|p| p.to_string());
    Package {
        ecosystem: Some(ecosystem),
        name: name.to_owned(),
        version: version.to_owned(),
        purl,
        source,
        direct,
    }
}

/// An SBOM's entry (a CycloneDX component, an SPDX package) as a package. Where
/// its purl names an OSV ecosystem, the ecosystem and name come from the purl, and
/// the version from the purl, else `version`; otherwise the entry is listed by its
/// `name` and `version` without an ecosystem (`None` when it has no name either).
/// The purl is kept as written. A purl that does not parse is returned alongside,
/// for the reader to warn about in its format's terms.
pub(crate) fn sbom_package(
    name: Option<&str>,
    version: Option<&str>,
    purl: Option<&str>,
    source: Source,
    direct: Option<bool>,
) -> (Option<Package>, Option<PurlError>) {
    let (osv, error) = match purl.map(Purl::parse) {
        Some(Ok(p)) => (p.to_osv().map(|(eco, n)| (eco, n, p.version)), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let package = match osv {
        Some((ecosystem, osv_name, purl_version)) => Some(Package {
            ecosystem: Some(ecosystem),
            name: osv_name,
            version: purl_version
                .or(version.map(str::to_owned))
                .unwrap_or_default(),
            purl: purl.map(str::to_owned),
            source,
            direct,
        }),
        None => name.map(|name| Package {
            ecosystem: None,
            name: name.to_owned(),
            version: version.unwrap_or_default().to_owned(),
            purl: purl.map(str::to_owned),
            source,
            direct,
        }),
    };
    (package, error)
}

/// A package that is not a registry release (a workspace member, a git, path or
/// URL dependency, an unidentified SBOM component): listed, never matched.
pub(crate) fn unidentified(
    name: &str,
    version: &str,
    source: Source,
    direct: Option<bool>,
) -> Package {
    Package {
        ecosystem: None,
        name: name.to_owned(),
        version: version.to_owned(),
        purl: None,
        source,
        direct,
    }
}

/// Parses a TOML lockfile, naming the line of a syntax or shape error.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    what: &str,
) -> Result<T, InventoryError> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| lines::Lines::new(text).line_of(s.start));
        InventoryError::new(
            file,
            line,
            format!("not a {what}: {}", e.message().trim_end()),
        )
    })
}

/// Parses JSON whose top level must be an object (`what` names the format).
pub(crate) fn parse_json_object(
    file: &str,
    text: &str,
    what: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, InventoryError> {
    match parse_json(file, text)? {
        serde_json::Value::Object(map) => Ok(map),
        _ => Err(InventoryError::new(
            file,
            Some(1),
            format!("expected a JSON object ({what})"),
        )),
    }
}

/// `file:line`, or `file` where the line is unknown: the start of a warning.
pub(crate) fn place(file: &str, line: Option<u32>) -> String {
    match line {
        Some(l) => format!("{file}:{l}"),
        None => file.to_owned(),
    }
}

/// Parses JSON, turning serde's error into one naming the line.
pub(crate) fn parse_json(file: &str, text: &str) -> Result<serde_json::Value, InventoryError> {
    serde_json::from_str(text).map_err(|e| {
        InventoryError::new(
            file,
            u32::try_from(e.line()).ok().filter(|l| *l > 0),
            format!("invalid JSON: {}", strip_position(&e.to_string())),
        )
    })
}

/// serde's messages end with " at line L column C"; the error carries the line.
pub(crate) fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// A package as the readers' tests compare it: (ecosystem, name, version, line,
/// direct).
#[cfg(test)]
type Row<'a> = (Option<String>, &'a str, &'a str, Option<u32>, Option<bool>);

#[cfg(test)]
fn rows(parsed: &Parsed) -> Vec<Row<'_>> {
    parsed
        .packages
        .iter()
        .map(|p| {
            (
                p.ecosystem.as_ref().map(ToString::to_string),
                p.name.as_str(),
                p.version.as_str(),
                p.source.line,
                p.direct,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn formats_are_recognised_by_file_name_and_by_as_name() {
        assert_eq!(Format::detect("Cargo.lock"), Some(Format::CargoLock));
        assert_eq!(Format::detect("npm-shrinkwrap.json"), Some(Format::NpmLock));
        assert_eq!(
            Format::detect("requirements-dev.txt"),
            Some(Format::Requirements)
        );
        assert_eq!(
            Format::detect("prod.requirements.txt"),
            Some(Format::Requirements)
        );
        assert_eq!(Format::detect("app.cdx.json"), Some(Format::CycloneDxJson));
        assert_eq!(Format::detect("x.spdx.json"), Some(Format::SpdxJson));
        assert_eq!(Format::detect("Gemfile.lock"), Some(Format::GemfileLock));
        assert_eq!(Format::detect("gems.locked"), Some(Format::GemfileLock));
        assert_eq!(Format::detect("composer.lock"), Some(Format::ComposerLock));
        assert_eq!(Format::detect("Pipfile.lock"), Some(Format::PipfileLock));
        assert_eq!(Format::detect("poetry.lock"), Some(Format::PoetryLock));
        assert_eq!(Format::detect("uv.lock"), Some(Format::UvLock));
        assert_eq!(Format::detect("yarn.lock"), Some(Format::YarnLock));
        assert_eq!(Format::detect("pnpm-lock.yaml"), Some(Format::PnpmLock));
        assert_eq!(Format::detect("bun.lock"), Some(Format::BunLock));
        assert_eq!(Format::detect("bun.lockb"), None);
        assert_eq!(Format::detect("pdm.lock"), Some(Format::PdmLock));
        assert_eq!(Format::detect("pom.xml"), Some(Format::PomXml));
        assert_eq!(
            Format::detect("gradle.lockfile"),
            Some(Format::GradleLockfile)
        );
        assert_eq!(
            Format::detect("buildscript-gradle.lockfile"),
            Some(Format::GradleLockfile)
        );
        assert_eq!(Format::detect("pubspec.lock"), Some(Format::PubspecLock));
        assert_eq!(Format::detect("mix.lock"), Some(Format::MixLock));
        assert_eq!(
            Format::detect("packages.lock.json"),
            Some(Format::NuGetLock)
        );
        assert_eq!(Format::detect("conan.lock"), Some(Format::ConanLock));
        assert_eq!(Format::detect("renv.lock"), Some(Format::RenvLock));
        assert_eq!(Format::detect("bom.xml"), Some(Format::CycloneDxXml));
        assert_eq!(Format::detect("BOM.XML"), Some(Format::CycloneDxXml));
        assert_eq!(Format::detect("app.cdx.xml"), Some(Format::CycloneDxXml));
        assert_eq!(Format::detect("app.xml"), None);
        assert_eq!(Format::detect("example1.spdx"), Some(Format::SpdxTagValue));
        assert_eq!(Format::detect("x.spdx.yaml"), None);
        assert_eq!(
            Format::from_name("cyclonedx-xml"),
            Some(Format::CycloneDxXml)
        );
        assert_eq!(Format::from_name("cdx-xml"), Some(Format::CycloneDxXml));
        assert_eq!(Format::from_name("bom.xml"), Some(Format::CycloneDxXml));
        assert_eq!(Format::from_name("spdx-tv"), Some(Format::SpdxTagValue));
        assert_eq!(
            Format::from_name("SPDX-tag-value"),
            Some(Format::SpdxTagValue)
        );
        assert_eq!(Format::from_name("pom.xml"), Some(Format::PomXml));
        assert_eq!(
            Format::from_name("buildscript-gradle.lockfile"),
            Some(Format::GradleLockfile)
        );
        assert_eq!(Format::detect("Gemfile"), None);
        assert_eq!(Format::detect("notes.txt"), None);
        assert_eq!(Format::detect("package.json"), None);
        assert_eq!(Format::from_name("cyclonedx"), Some(Format::CycloneDxJson));
        assert_eq!(Format::from_name("Cargo.lock"), Some(Format::CargoLock));
        assert_eq!(
            Format::from_name("package-lock.json"),
            Some(Format::NpmLock)
        );
        assert_eq!(Format::from_name("frobnicate"), None);
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(*f), "{f:?}");
        }
    }

    /// The shared data's examples of a format, `examples/{name}`; `None` (and a
    /// message) outside CI when the shared data is absent; in CI its absence fails.
    pub(crate) fn shared_examples(name: &str) -> Option<std::path::PathBuf> {
        let dir = ch_test_support::shared_data()?.join("examples").join(name);
        dir.is_dir().then_some(dir)
    }

    /// The files under `dir`, at any depth, whose names end with `suffix`, sorted.
    pub(crate) fn files_under(dir: &std::path::Path, suffix: &str) -> Vec<std::path::PathBuf> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(suffix))
                {
                    found.push(path);
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn json_sboms_are_sniffed() {
        assert_eq!(
            Format::sniff(br#"{"bomFormat": "CycloneDX", "specVersion": "1.5"}"#),
            Some(Format::CycloneDxJson)
        );
        assert_eq!(
            Format::sniff(br#" {"spdxVersion": "SPDX-2.3"}"#),
            Some(Format::SpdxJson)
        );
        assert_eq!(Format::sniff(br#"{"name": "x"}"#), None);
        assert_eq!(Format::sniff(b"bomFormat"), None);
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = read(Format::NpmLock, "a/package-lock.json", b"{\n  \"x\": ,\n}").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            e.to_string()
                .starts_with("a/package-lock.json:2: invalid JSON"),
            "{e}"
        );
        let e = read(Format::CargoLock, "Cargo.lock", b"ok\n\xff").unwrap_err();
        assert_eq!(e.to_string(), "Cargo.lock:2: not UTF-8 text");
    }
}
