use std::fmt;
use std::str::FromStr;

use crate::{Ecosystem, EcosystemKind};

/// A package URL (purl, ECMA-427): `pkg:type/namespace/name@version?qualifiers#subpath`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Purl {
    /// The package type, lower-case (`pypi`, `npm`, `deb`, …).
    pub ty: String,
    /// The namespace, percent-decoded, segments joined by `/`.
    pub namespace: Option<String>,
    /// The name, percent-decoded.
    pub name: String,
    /// The version, percent-decoded.
    pub version: Option<String>,
    /// Qualifiers, keys lower-case, sorted by key.
    pub qualifiers: Vec<(String, String)>,
    /// The subpath, percent-decoded.
    pub subpath: Option<String>,
}

/// A string that is not a valid purl.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid purl `{input}`: {reason}")]
pub struct PurlError {
    /// The string as given.
    pub input: String,
    /// What is wrong.
    pub reason: &'static str,
}

fn decode(s: &str) -> Result<String, &'static str> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .ok_or("truncated percent-encoding")?;
            let hex = std::str::from_utf8(hex).map_err(|_| "bad percent-encoding")?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| "bad percent-encoding")?;
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "percent-encoding is not UTF-8")
}

fn encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Purl {
    /// Parses a purl.
    pub fn parse(input: &str) -> Result<Self, PurlError> {
        let err = |reason| PurlError {
            input: input.to_owned(),
            reason,
        };
        let s = input.trim();
        let (scheme, rest) = s
            .split_once(':')
            .ok_or_else(|| err("missing `pkg:` scheme"))?;
        if !scheme.eq_ignore_ascii_case("pkg") {
            return Err(err("scheme must be `pkg`"));
        }
        let rest = rest.trim_start_matches('/');
        let (rest, subpath) = match rest.split_once('#') {
            Some((r, sp)) => {
                let segs: Vec<String> = sp
                    .split('/')
                    .filter(|x| !x.is_empty() && *x != "." && *x != "..")
                    .map(decode)
                    .collect::<Result<_, _>>()
                    .map_err(err)?;
                (r, Some(segs.join("/")).filter(|x| !x.is_empty()))
            }
            None => (rest, None),
        };
        let (rest, qualifiers) = match rest.split_once('?') {
            Some((r, q)) => {
                let mut quals = Vec::new();
                for pair in q.split('&').filter(|p| !p.is_empty()) {
                    let (k, v) = pair
                        .split_once('=')
                        .ok_or_else(|| err("qualifier without `=`"))?;
                    let v = decode(v).map_err(err)?;
                    if !v.is_empty() {
                        quals.push((k.to_ascii_lowercase(), v));
                    }
                }
                quals.sort();
                (r, quals)
            }
            None => (rest, Vec::new()),
        };
        let (rest, version) = match rest.rsplit_once('@') {
            Some((r, v)) => (r, Some(decode(v).map_err(err)?).filter(|v| !v.is_empty())),
            None => (rest, None),
        };
        let rest = rest.trim_end_matches('/');
        let (ty, path) = rest
            .split_once('/')
            .ok_or_else(|| err("expected `pkg:type/name`"))?;
        if ty.is_empty()
            || !ty
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            || ty.as_bytes()[0].is_ascii_digit()
        {
            return Err(err("bad type"));
        }
        let mut segments: Vec<String> = path
            .split('/')
            .filter(|x| !x.is_empty())
            .map(decode)
            .collect::<Result<_, _>>()
            .map_err(err)?;
        let name = segments.pop().ok_or_else(|| err("missing name"))?;
        let namespace = Some(segments.join("/")).filter(|n| !n.is_empty());
        Ok(Purl {
            ty: ty.to_ascii_lowercase(),
            namespace,
            name,
            version,
            qualifiers,
            subpath,
        })
    }

    /// A qualifier's value.
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The purl of a package of an OSV ecosystem, the inverse of [`Purl::to_osv`]
    /// for language ecosystems (`npm`, `@scope/name` → `pkg:npm/%40scope/name@v`;
    /// `Maven`, `group:artifact` → `pkg:maven/group/artifact@v`; PyPI names
    /// lower-cased with `_` as `-`, as the purl spec asks). `None` for
    /// distributions (their purls need a vendor namespace and qualifiers the
    /// caller knows) and ecosystems without a purl type.
    pub fn for_package(ecosystem: &Ecosystem, name: &str, version: &str) -> Option<Purl> {
        use EcosystemKind as K;
        let split = |name: &str| match name.rsplit_once('/') {
            Some((ns, n)) => (Some(ns.to_owned()), n.to_owned()),
            None => (None, name.to_owned()),
        };
        let (ty, (namespace, name)) = match ecosystem.kind() {
            K::CratesIo => ("cargo", (None, name.to_owned())),
            K::Npm => ("npm", split(name)),
            K::PyPI => ("pypi", (None, name.to_ascii_lowercase().replace('_', "-"))),
            K::Go => ("golang", split(name)),
            K::Maven => (
                "maven",
                match name.split_once(':') {
                    Some((g, a)) => (Some(g.to_owned()), a.to_owned()),
                    None => (None, name.to_owned()),
                },
            ),
            K::NuGet => ("nuget", (None, name.to_owned())),
            K::RubyGems => ("gem", (None, name.to_owned())),
            K::Packagist => ("composer", split(&name.to_ascii_lowercase())),
            K::Hex => ("hex", (None, name.to_ascii_lowercase())),
            K::Pub => ("pub", (None, name.to_owned())),
            K::SwiftUrl => ("swift", split(name)),
            K::Cran => ("cran", (None, name.to_owned())),
            K::Hackage => ("hackage", (None, name.to_owned())),
            K::ConanCenter => ("conan", (None, name.to_owned())),
            K::GitHubActions => ("github", split(name)),
            _ => return None,
        };
        if name.is_empty() {
            return None;
        }
        Some(Purl {
            ty: ty.to_owned(),
            namespace,
            name,
            version: Some(version.to_owned()).filter(|v| !v.is_empty()),
            qualifiers: Vec::new(),
            subpath: None,
        })
    }

    /// The OSV ecosystem and package name this purl names, where the type maps to
    /// one (`pkg:pypi/jinja2` → `PyPI`, `jinja2`; `pkg:deb/debian/openssl?distro=debian-12`
    /// → `Debian:12`, `openssl`).
    pub fn to_osv(&self) -> Option<(Ecosystem, String)> {
        use EcosystemKind as K;
        let ns = self.namespace.as_deref();
        let joined = || match ns {
            Some(ns) => format!("{ns}/{}", self.name),
            None => self.name.clone(),
        };
        let distro = self.qualifier("distro");
        let (kind, name, suffix) = match self.ty.as_str() {
            "cargo" => (K::CratesIo, self.name.clone(), None),
            "npm" => (K::Npm, joined(), None),
            "pypi" => (K::PyPI, self.name.clone(), None),
            "golang" => (K::Go, joined(), None),
            "maven" => (
                K::Maven,
                match ns {
                    Some(g) => format!("{g}:{}", self.name),
                    None => self.name.clone(),
                },
                None,
            ),
            "nuget" => (K::NuGet, self.name.clone(), None),
            "gem" => (K::RubyGems, self.name.clone(), None),
            "composer" => (K::Packagist, joined(), None),
            "hex" => (K::Hex, self.name.clone(), None),
            "pub" => (K::Pub, self.name.clone(), None),
            "swift" => (K::SwiftUrl, joined(), None),
            "cran" => (K::Cran, self.name.clone(), None),
            "hackage" => (K::Hackage, self.name.clone(), None),
            "brew" => (K::Homebrew, self.name.clone(), None),
            "bitnami" => (K::Bitnami, self.name.clone(), None),
            "conan" => (K::ConanCenter, self.name.clone(), None),
            "opam" => (K::Opam, self.name.clone(), None),
            "github" => (K::GitHubActions, joined(), None),
            "deb" => {
                let kind = match ns.map(str::to_ascii_lowercase).as_deref() {
                    Some("ubuntu") => K::Ubuntu,
                    Some("debian") | None => K::Debian,
                    _ => return None,
                };
                let release = distro.map(|d| {
                    let d = d.to_ascii_lowercase();
                    d.strip_prefix("debian-")
                        .or_else(|| d.strip_prefix("ubuntu-"))
                        .unwrap_or(&d)
                        .to_owned()
                });
                (kind, self.name.clone(), release)
            }
            "apk" => {
                let kind = match ns.map(str::to_ascii_lowercase).as_deref() {
                    Some("alpine") | None => K::Alpine,
                    Some("wolfi") => K::Wolfi,
                    Some("chainguard") => K::Chainguard,
                    Some("minimos") => K::MinimOs,
                    _ => return None,
                };
                let release = distro.map(|d| {
                    let d = d.strip_prefix("alpine-").unwrap_or(d);
                    let mut parts = d.split('.');
                    match (parts.next(), parts.next()) {
                        (Some(a), Some(b)) if kind == K::Alpine => {
                            format!("v{}.{b}", a.trim_start_matches('v'))
                        }
                        _ => d.to_owned(),
                    }
                });
                (kind, self.name.clone(), release)
            }
            "rpm" => {
                let kind = match ns.map(str::to_ascii_lowercase).as_deref() {
                    Some("redhat") => K::RedHat,
                    Some("almalinux") => K::AlmaLinux,
                    Some("rocky-linux" | "rocky") => K::RockyLinux,
                    Some("suse") => K::Suse,
                    Some("opensuse") => K::OpenSuse,
                    Some("mageia") => K::Mageia,
                    Some("photon") => K::PhotonOs,
                    Some("openeuler") => K::OpenEuler,
                    _ => return None,
                };
                let release = distro.map(|d| {
                    let major = d.rsplit('-').next().unwrap_or(d);
                    major.split('.').next().unwrap_or(major).to_owned()
                });
                (kind, self.name.clone(), release)
            }
            _ => return None,
        };
        Some((Ecosystem::new(kind, suffix), name))
    }
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pkg:{}/", self.ty)?;
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/') {
                write!(f, "{}/", encode(seg, b""))?;
            }
        }
        f.write_str(&encode(&self.name, b""))?;
        if let Some(v) = &self.version {
            write!(f, "@{}", encode(v, b":+"))?;
        }
        for (i, (k, v)) in self.qualifiers.iter().enumerate() {
            let sep = if i == 0 { '?' } else { '&' };
            write!(f, "{sep}{k}={}", encode(v, b":/"))?;
        }
        if let Some(sp) = &self.subpath {
            write!(f, "#{}", encode(sp, b"/"))?;
        }
        Ok(())
    }
}

impl FromStr for Purl {
    type Err = PurlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Purl::parse(s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn package_purls_round_trip_through_osv() {
        let cases = [
            (
                "crates.io",
                "serde_json",
                "1.0.0",
                "pkg:cargo/serde_json@1.0.0",
            ),
            (
                "npm",
                "@angular/core",
                "1.0.0",
                "pkg:npm/%40angular/core@1.0.0",
            ),
            ("npm", "lodash", "4.17.20", "pkg:npm/lodash@4.17.20"),
            ("PyPI", "Jinja2", "2.4.1", "pkg:pypi/jinja2@2.4.1"),
            (
                "Go",
                "golang.org/x/net",
                "v0.1.0",
                "pkg:golang/golang.org/x/net@v0.1.0",
            ),
            (
                "Maven",
                "org.apache:log4j",
                "2.0",
                "pkg:maven/org.apache/log4j@2.0",
            ),
            (
                "Packagist",
                "Symfony/HTTP-Kernel",
                "5.0.0",
                "pkg:composer/symfony/http-kernel@5.0.0",
            ),
            ("RubyGems", "rack", "2.0.0+x", "pkg:gem/rack@2.0.0+x"),
        ];
        for (eco, name, version, want) in cases {
            let ecosystem = Ecosystem::parse(eco).unwrap();
            let purl = Purl::for_package(&ecosystem, name, version).unwrap();
            assert_eq!(purl.to_string(), want);
            let (back_eco, back_name) = Purl::parse(want).unwrap().to_osv().unwrap();
            assert_eq!(back_eco, ecosystem);
            let key = crate::normalize_name(ecosystem.kind(), name);
            assert_eq!(crate::normalize_name(back_eco.kind(), &back_name), key);
        }
        assert!(
            Purl::for_package(&Ecosystem::parse("Debian:12").unwrap(), "openssl", "3").is_none()
        );
    }

    #[test]
    fn parses_and_maps_to_osv() {
        let cases = [
            ("pkg:pypi/Jinja2@2.4.1", "PyPI", "Jinja2", Some("2.4.1")),
            (
                "pkg:npm/%40angular/core@1.0.0",
                "npm",
                "@angular/core",
                Some("1.0.0"),
            ),
            (
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                "Maven",
                "org.apache.logging.log4j:log4j-core",
                Some("2.14.1"),
            ),
            (
                "pkg:golang/github.com/gin-gonic/gin@v1.6.0",
                "Go",
                "github.com/gin-gonic/gin",
                Some("v1.6.0"),
            ),
            (
                "pkg:cargo/smallvec@1.6.0",
                "crates.io",
                "smallvec",
                Some("1.6.0"),
            ),
            (
                "pkg:composer/symfony/http-kernel@4.4.0",
                "Packagist",
                "symfony/http-kernel",
                Some("4.4.0"),
            ),
            (
                "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
                "Debian:12",
                "openssl",
                Some("3.0.11-1~deb12u2"),
            ),
            (
                "pkg:apk/alpine/musl@1.2.4-r2?distro=3.19.1",
                "Alpine:v3.19",
                "musl",
                Some("1.2.4-r2"),
            ),
            (
                "pkg:rpm/almalinux/bash@5.1.8-6.el9?distro=almalinux-9.3",
                "AlmaLinux:9",
                "bash",
                Some("5.1.8-6.el9"),
            ),
            ("pkg:gem/rails@7.0.0", "RubyGems", "rails", Some("7.0.0")),
        ];
        for (input, eco, name, version) in cases {
            let p = Purl::parse(input).unwrap();
            let (e, n) = p.to_osv().unwrap();
            assert_eq!(e.to_string(), eco, "{input}");
            assert_eq!(n, name, "{input}");
            assert_eq!(p.version.as_deref(), version, "{input}");
        }
    }

    #[test]
    fn round_trips_canonical_form() {
        for s in [
            "pkg:npm/%40angular/core@1.0.0",
            "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
            "pkg:golang/google.golang.org/genproto#googleapis/api/annotations",
        ] {
            assert_eq!(Purl::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "npm/foo",
            "http:npm/foo",
            "pkg:npm",
            "pkg:npm/%zz",
            "pkg:1x/foo",
        ] {
            assert!(Purl::parse(s).is_err(), "{s}");
        }
    }
}
