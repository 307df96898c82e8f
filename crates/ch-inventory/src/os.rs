//! Operating-system package databases: dpkg's `status` (Debian, Ubuntu), apk's
//! `installed` (Alpine), the RPM database's package headers (AlmaLinux, Rocky
//! Linux, Red Hat), and `os-release`, which says which release's advisories apply.
//!
//! OSV names distribution packages the way each distribution's security tracker
//! does: Debian, Ubuntu and Alpine by **source** package (one advisory for
//! `openssl` covers `libssl3` too), the RPM family by **binary** package, with the
//! version as `epoch:version-release`. The readers list each installed binary
//! package under the name its distribution's advisories use, so `libssl3` built
//! from `openssl` 3.0.11-1~deb12u2 is listed as `openssl` at that version; its purl
//! keeps the binary name.

use ch_types::{Ecosystem, EcosystemKind, Purl};

use crate::{InventoryError, Package, Parsed, Source};

/// What `/etc/os-release` (or `/usr/lib/os-release`) says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsRelease {
    /// `ID` (`debian`, `ubuntu`, `alpine`, `almalinux`, `rocky`, `rhel`, …).
    pub id: String,
    /// `VERSION_ID` (`12`, `22.04`, `3.19.1`, `9.3`), when set.
    pub version_id: Option<String>,
}

impl OsRelease {
    /// Parses `KEY=value` lines (values optionally quoted; comments and blank
    /// lines skipped).
    pub fn parse(text: &str) -> OsRelease {
        let mut out = OsRelease::default();
        for line in text.lines() {
            let line = line.trim();
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            match key.trim() {
                "ID" => out.id = value.to_ascii_lowercase(),
                "VERSION_ID" if !value.is_empty() => out.version_id = Some(value.to_owned()),
                _ => {}
            }
        }
        out
    }

    /// The OSV ecosystem of this release's packages: `Debian:12`, `Ubuntu:22.04`,
    /// `Alpine:v3.19`, `AlmaLinux:9`, `Rocky Linux:9`; `None` for a distribution
    /// OSV has no advisories for under a release-specific name.
    pub fn ecosystem(&self) -> Option<Ecosystem> {
        let version = self.version_id.as_deref();
        let major = version.map(|v| v.split('.').next().unwrap_or(v).to_owned());
        let (kind, suffix) = match self.id.as_str() {
            "debian" => (EcosystemKind::Debian, major),
            "ubuntu" => (EcosystemKind::Ubuntu, version.map(str::to_owned)),
            "alpine" => {
                let minor = version.and_then(|v| {
                    let mut parts = v.split('.');
                    Some(format!("v{}.{}", parts.next()?, parts.next()?))
                });
                (EcosystemKind::Alpine, minor)
            }
            "almalinux" => (EcosystemKind::AlmaLinux, major),
            "rocky" => (EcosystemKind::RockyLinux, major),
            "rhel" => (EcosystemKind::RedHat, None),
            "wolfi" => (EcosystemKind::Wolfi, None),
            "chainguard" => (EcosystemKind::Chainguard, None),
            _ => return None,
        };
        Some(Ecosystem::new(kind, suffix))
    }
}

/// The ecosystem for a database of `family` (`Debian`, `Alpine`, …) on the system
/// `os` describes: the release's when `os` names one of the family, else the
/// family without a release (every release's advisories then apply), with a
/// warning saying so.
fn ecosystem_for(
    file: &str,
    family: EcosystemKind,
    os: Option<&OsRelease>,
    warnings: &mut Vec<String>,
) -> Ecosystem {
    let found = os.and_then(OsRelease::ecosystem);
    let same_family = |e: &Ecosystem| match family {
        EcosystemKind::Debian => matches!(e.kind(), EcosystemKind::Debian | EcosystemKind::Ubuntu),
        EcosystemKind::AlmaLinux => matches!(
            e.kind(),
            EcosystemKind::AlmaLinux | EcosystemKind::RockyLinux | EcosystemKind::RedHat
        ),
        EcosystemKind::Alpine => matches!(
            e.kind(),
            EcosystemKind::Alpine | EcosystemKind::Wolfi | EcosystemKind::Chainguard
        ),
        _ => false,
    };
    match found.filter(same_family) {
        Some(e) if e.suffix().is_some() || *e.kind() != family => e,
        _ => {
            warnings.push(format!(
                "{file}: no os-release names the {} release; matched against every release's advisories",
                family.as_str()
            ));
            Ecosystem::new(family, None)
        }
    }
}

/// An installed package of a distribution: named and versioned as its
/// advisories name it, its purl naming the binary package.
fn os_package(
    ecosystem: &Ecosystem,
    name: &str,
    version: &str,
    purl: &Purl,
    file: &str,
    line: Option<u32>,
) -> Package {
    Package {
        ecosystem: Some(ecosystem.clone()),
        name: name.to_owned(),
        version: version.to_owned(),
        purl: Some(purl.to_string()),
        source: Source {
            file: file.to_owned(),
            line,
        },
        direct: None,
    }
}

/// One `Key: value` paragraph of a Debian control file, with its first line.
struct Paragraph<'a> {
    line: u32,
    fields: Vec<(&'a str, &'a str)>,
}

impl<'a> Paragraph<'a> {
    fn get(&self, key: &str) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| *v)
    }
}

/// Splits a control file into paragraphs (continuation lines, which start with a
/// space, belong to the field before and are not needed here).
fn paragraphs(text: &str, separator: char) -> Vec<Paragraph<'_>> {
    let mut out = Vec::new();
    let mut current: Option<Paragraph<'_>> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            out.extend(current.take());
            continue;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let para = current.get_or_insert_with(|| Paragraph {
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            fields: Vec::new(),
        });
        if let Some((k, v)) = line.split_once(separator) {
            para.fields.push((k.trim(), v.trim()));
        }
    }
    out.extend(current);
    out
}

/// dpkg's `/var/lib/dpkg/status`: every package whose `Status` ends in
/// `installed`, listed under its source package (`Source: openssl (3.0.11-1)`
/// gives the name and, when present, the source version).
pub fn read_dpkg_status(
    file: &str,
    text: &str,
    os: Option<&OsRelease>,
) -> Result<Parsed, InventoryError> {
    let mut parsed = Parsed::default();
    let ecosystem = ecosystem_for(file, EcosystemKind::Debian, os, &mut parsed.warnings);
    let distro = os
        .filter(|o| o.id == "debian" || o.id == "ubuntu")
        .map(|o| format!("{}-{}", o.id, o.version_id.as_deref().unwrap_or("")));
    for p in paragraphs(text, ':') {
        let Some(binary) = p.get("Package") else {
            return Err(InventoryError::new(
                file,
                Some(p.line),
                "expected a `Package:` field in every paragraph of a dpkg status file",
            ));
        };
        let status = p.get("Status").unwrap_or("");
        if status.split_whitespace().last() != Some("installed") {
            continue;
        }
        let Some(version) = p.get("Version") else {
            parsed.warnings.push(format!(
                "{file}:{}: `{binary}` has no Version; skipped",
                p.line
            ));
            continue;
        };
        let (name, version) = match p.get("Source") {
            Some(source) => match source.split_once(' ') {
                Some((n, v)) => (
                    n.trim(),
                    v.trim()
                        .trim_start_matches('(')
                        .trim_end_matches(')')
                        .trim(),
                ),
                None => (source, version),
            },
            None => (binary, version),
        };
        let mut qualifiers = Vec::new();
        if let Some(arch) = p.get("Architecture") {
            qualifiers.push(("arch".to_owned(), arch.to_owned()));
        }
        if let Some(d) = &distro {
            qualifiers.push(("distro".to_owned(), d.clone()));
        }
        if name != binary {
            qualifiers.push(("upstream".to_owned(), name.to_owned()));
        }
        qualifiers.sort();
        let purl = Purl {
            ty: "deb".to_owned(),
            namespace: Some(
                if matches!(ecosystem.kind(), EcosystemKind::Ubuntu) {
                    "ubuntu"
                } else {
                    "debian"
                }
                .to_owned(),
            ),
            name: binary.to_owned(),
            version: p.get("Version").map(str::to_owned),
            qualifiers,
            subpath: None,
        };
        parsed.packages.push(os_package(
            &ecosystem,
            name,
            version,
            &purl,
            file,
            Some(p.line),
        ));
    }
    Ok(parsed)
}

/// apk's `/lib/apk/db/installed`: one paragraph per package, `P:` name, `V:`
/// version, `o:` origin (the source package Alpine's advisories name).
pub fn read_apk_installed(
    file: &str,
    text: &str,
    os: Option<&OsRelease>,
) -> Result<Parsed, InventoryError> {
    let mut parsed = Parsed::default();
    let ecosystem = ecosystem_for(file, EcosystemKind::Alpine, os, &mut parsed.warnings);
    for p in paragraphs(text, ':') {
        let (Some(binary), Some(version)) = (p.get("P"), p.get("V")) else {
            return Err(InventoryError::new(
                file,
                Some(p.line),
                "expected `P:` (name) and `V:` (version) in every package of an apk database",
            ));
        };
        let name = p.get("o").unwrap_or(binary);
        let mut qualifiers = Vec::new();
        if let Some(arch) = p.get("A") {
            qualifiers.push(("arch".to_owned(), arch.to_owned()));
        }
        if let Some(v) = os.and_then(|o| o.version_id.as_deref()) {
            qualifiers.push(("distro".to_owned(), v.to_owned()));
        }
        let purl = Purl {
            ty: "apk".to_owned(),
            namespace: Some(ecosystem.kind().as_str().to_ascii_lowercase()),
            name: binary.to_owned(),
            version: Some(version.to_owned()),
            qualifiers,
            subpath: None,
        };
        parsed.packages.push(os_package(
            &ecosystem,
            name,
            version,
            &purl,
            file,
            Some(p.line),
        ));
    }
    Ok(parsed)
}

const TAG_NAME: u32 = 1000;
const TAG_VERSION: u32 = 1001;
const TAG_RELEASE: u32 = 1002;
const TAG_EPOCH: u32 = 1003;
const TAG_ARCH: u32 = 1022;
const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_I18NSTRING: u32 = 9;

/// Name, epoch, version, release and architecture of an RPM package header.
type RpmHeader = (String, Option<u32>, String, String, Option<String>);

/// An RPM header blob as the RPM database stores it (`Packages.blob` of
/// `rpmdb.sqlite`): entry count and data length (big-endian 32-bit), the index
/// entries (tag, type, offset, count), then the data. Returns name, epoch,
/// version, release and architecture.
fn rpm_header(blob: &[u8]) -> Result<RpmHeader, String> {
    let word = |at: usize| -> Result<u32, String> {
        blob.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| "header is truncated".to_owned())
    };
    let n_entries = word(0)? as usize;
    let data_len = word(4)? as usize;
    let index_end = n_entries
        .checked_mul(16)
        .and_then(|n| n.checked_add(8))
        .filter(|&n| n <= blob.len())
        .ok_or("header index is longer than the header")?;
    let data = blob
        .get(index_end..index_end.saturating_add(data_len))
        .ok_or("header data is longer than the header")?;
    let string_at = |offset: usize| -> Result<String, String> {
        let rest = data.get(offset..).ok_or("string offset outside the data")?;
        let end = rest
            .iter()
            .position(|&b| b == 0)
            .ok_or("string is not terminated")?;
        String::from_utf8(rest[..end].to_vec()).map_err(|_| "string is not UTF-8".to_owned())
    };
    let (mut name, mut version, mut release, mut epoch, mut arch) = (None, None, None, None, None);
    for i in 0..n_entries {
        let at = 8 + 16 * i;
        let (tag, ty, offset) = (word(at)?, word(at + 4)?, word(at + 8)? as usize);
        match (tag, ty) {
            (TAG_NAME, TYPE_STRING | TYPE_I18NSTRING) => name = Some(string_at(offset)?),
            (TAG_VERSION, TYPE_STRING) => version = Some(string_at(offset)?),
            (TAG_RELEASE, TYPE_STRING) => release = Some(string_at(offset)?),
            (TAG_ARCH, TYPE_STRING) => arch = Some(string_at(offset)?),
            (TAG_EPOCH, TYPE_INT32) => {
                let b = data
                    .get(offset..offset + 4)
                    .ok_or("epoch outside the data")?;
                epoch = Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
            }
            _ => {}
        }
    }
    match (name, version, release) {
        (Some(n), Some(v), Some(r)) => Ok((n, epoch, v, r, arch)),
        _ => Err("header has no name, version or release".to_owned()),
    }
}

/// The packages of an RPM database, from its header blobs: binary package names
/// (as AlmaLinux's and Rocky Linux's advisories name them) at
/// `epoch:version-release` (epoch 0 when the header has none). `gpg-pubkey`
/// pseudo-packages (imported signing keys) are not packages.
pub fn read_rpm_headers<'a>(
    file: &str,
    headers: impl IntoIterator<Item = &'a [u8]>,
    os: Option<&OsRelease>,
) -> Result<Parsed, InventoryError> {
    let mut parsed = Parsed::default();
    let ecosystem = ecosystem_for(file, EcosystemKind::AlmaLinux, os, &mut parsed.warnings);
    let vendor = match ecosystem.kind() {
        EcosystemKind::RockyLinux => "rocky-linux",
        EcosystemKind::RedHat => "redhat",
        _ => "almalinux",
    };
    for (i, blob) in headers.into_iter().enumerate() {
        let (name, epoch, version, release, arch) = rpm_header(blob).map_err(|reason| {
            InventoryError::new(file, None, format!("package header {}: {reason}", i + 1))
        })?;
        if name == "gpg-pubkey" {
            continue;
        }
        let evr = format!("{}:{version}-{release}", epoch.unwrap_or(0));
        let mut qualifiers = Vec::new();
        if let Some(a) = arch {
            qualifiers.push(("arch".to_owned(), a));
        }
        if let Some(e) = epoch {
            qualifiers.push(("epoch".to_owned(), e.to_string()));
        }
        if let Some(v) = os.and_then(|o| o.version_id.as_deref()) {
            qualifiers.push((
                "distro".to_owned(),
                format!("{}-{v}", os.map_or("", |o| o.id.as_str())),
            ));
        }
        qualifiers.sort();
        let purl = Purl {
            ty: "rpm".to_owned(),
            namespace: Some(vendor.to_owned()),
            name: name.clone(),
            version: Some(format!("{version}-{release}")),
            qualifiers,
            subpath: None,
        };
        parsed
            .packages
            .push(os_package(&ecosystem, &name, &evr, &purl, file, None));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn rows(p: &Parsed) -> Vec<(String, &str, &str, Option<u32>)> {
        p.packages
            .iter()
            .map(|p| {
                (
                    p.ecosystem.as_ref().unwrap().to_string(),
                    p.name.as_str(),
                    p.version.as_str(),
                    p.source.line,
                )
            })
            .collect()
    }

    #[test]
    fn os_release_names_the_release() {
        let cases = [
            ("ID=debian\nVERSION_ID=\"12\"\n", Some("Debian:12")),
            (
                "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"",
                Some("Ubuntu:22.04"),
            ),
            ("ID=alpine\nVERSION_ID=3.19.1\n", Some("Alpine:v3.19")),
            ("ID=\"almalinux\"\nVERSION_ID=\"9.3\"", Some("AlmaLinux:9")),
            ("ID=\"rocky\"\nVERSION_ID=\"8.9\"", Some("Rocky Linux:8")),
            ("ID=debian\n# testing has no VERSION_ID\n", Some("Debian")),
            ("ID=arch\n", None),
        ];
        for (text, want) in cases {
            let got = OsRelease::parse(text).ecosystem().map(|e| e.to_string());
            assert_eq!(got.as_deref(), want, "{text}");
        }
    }

    const STATUS: &str = "\
Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl (3.0.11-1~deb12u2)
Version: 3.0.11-1~deb12u2
Description: Secure Sockets Layer toolkit
 a continuation line: with a colon

Package: openssl
Status: install ok installed
Architecture: amd64
Version: 3.0.11-1~deb12u2

Package: old-thing
Status: deinstall ok config-files
Version: 1.0

Package: zlib1g
Status: install ok installed
Source: zlib
Version: 1:1.2.13.dfsg-1
";

    #[test]
    fn dpkg_status_lists_installed_packages_by_source() {
        let os = OsRelease::parse("ID=debian\nVERSION_ID=\"12\"\n");
        let parsed = read_dpkg_status("var/lib/dpkg/status", STATUS, Some(&os)).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![
                (
                    "Debian:12".to_owned(),
                    "openssl",
                    "3.0.11-1~deb12u2",
                    Some(1)
                ),
                (
                    "Debian:12".to_owned(),
                    "openssl",
                    "3.0.11-1~deb12u2",
                    Some(9)
                ),
                ("Debian:12".to_owned(), "zlib", "1:1.2.13.dfsg-1", Some(18)),
            ]
        );
        assert_eq!(
            parsed.packages[0].purl.as_deref(),
            Some("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl")
        );
        assert!(parsed.warnings.is_empty());
        // Without os-release: every release, and a warning that says so.
        let parsed = read_dpkg_status("status", STATUS, None).unwrap();
        assert_eq!(
            parsed.packages[0].ecosystem.as_ref().unwrap().to_string(),
            "Debian"
        );
        assert_eq!(
            parsed.warnings,
            ["status: no os-release names the Debian release; matched against every release's advisories"]
        );
        let e = read_dpkg_status("status", "Status: install ok installed\nVersion: 1\n", None)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "status:1: expected a `Package:` field in every paragraph of a dpkg status file"
        );
    }

    #[test]
    fn apk_installed_lists_packages_by_origin() {
        let text = "C:Q1abc=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\nC:Q1def=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\n";
        let os = OsRelease::parse("ID=alpine\nVERSION_ID=3.19.1\n");
        let parsed = read_apk_installed("lib/apk/db/installed", text, Some(&os)).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![
                ("Alpine:v3.19".to_owned(), "openssl", "3.1.4-r5", Some(1)),
                (
                    "Alpine:v3.19".to_owned(),
                    "musl",
                    "1.2.4_git20230717-r4",
                    Some(7)
                ),
            ]
        );
        assert_eq!(
            parsed.packages[0].purl.as_deref(),
            Some("pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=3.19.1")
        );
        let e = read_apk_installed("installed", "P:x\n", Some(&os)).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("installed:1: expected `P:` (name) and `V:`"),
            "{e}"
        );
    }

    /// Builds a header blob the way rpm stores one.
    fn header(entries: &[(u32, u32, Vec<u8>)]) -> Vec<u8> {
        let mut index = Vec::new();
        let mut data: Vec<u8> = Vec::new();
        for (tag, ty, bytes) in entries {
            index.extend(tag.to_be_bytes());
            index.extend(ty.to_be_bytes());
            index.extend((data.len() as u32).to_be_bytes());
            index.extend(1u32.to_be_bytes());
            data.extend(bytes);
        }
        let mut blob = Vec::new();
        blob.extend((entries.len() as u32).to_be_bytes());
        blob.extend((data.len() as u32).to_be_bytes());
        blob.extend(index);
        blob.extend(data);
        blob
    }

    fn s(text: &str) -> Vec<u8> {
        let mut v = text.as_bytes().to_vec();
        v.push(0);
        v
    }

    #[test]
    fn rpm_headers_give_epoch_version_release() {
        let kernel = header(&[
            (TAG_NAME, TYPE_STRING, s("kernel")),
            (TAG_VERSION, TYPE_STRING, s("5.14.0")),
            (TAG_RELEASE, TYPE_STRING, s("362.8.1.el9_3")),
            (TAG_ARCH, TYPE_STRING, s("x86_64")),
        ]);
        let hook = header(&[
            (TAG_EPOCH, TYPE_INT32, 1u32.to_be_bytes().to_vec()),
            (TAG_NAME, TYPE_STRING, s("oci-systemd-hook")),
            (TAG_VERSION, TYPE_STRING, s("0.1.15")),
            (TAG_RELEASE, TYPE_STRING, s("2.el8")),
        ]);
        let key = header(&[
            (TAG_NAME, TYPE_STRING, s("gpg-pubkey")),
            (TAG_VERSION, TYPE_STRING, s("1")),
            (TAG_RELEASE, TYPE_STRING, s("2")),
        ]);
        let os = OsRelease::parse("ID=\"almalinux\"\nVERSION_ID=\"9.3\"\n");
        let parsed = read_rpm_headers(
            "rpmdb.sqlite",
            [&kernel[..], &hook[..], &key[..]],
            Some(&os),
        )
        .unwrap();
        assert_eq!(
            rows(&parsed),
            vec![
                (
                    "AlmaLinux:9".to_owned(),
                    "kernel",
                    "0:5.14.0-362.8.1.el9_3",
                    None
                ),
                (
                    "AlmaLinux:9".to_owned(),
                    "oci-systemd-hook",
                    "1:0.1.15-2.el8",
                    None
                ),
            ]
        );
        assert_eq!(
            parsed.packages[0].purl.as_deref(),
            Some("pkg:rpm/almalinux/kernel@5.14.0-362.8.1.el9_3?arch=x86_64&distro=almalinux-9.3")
        );
        // Truncated or inconsistent headers are errors, never panics.
        for bad in [
            &kernel[..3],
            &kernel[..20],
            &[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0][..],
        ] {
            let e = read_rpm_headers("rpmdb.sqlite", [bad], Some(&os)).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with("rpmdb.sqlite: package header 1: "),
                "{e}"
            );
        }
    }
}
