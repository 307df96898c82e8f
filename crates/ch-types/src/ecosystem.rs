use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// Defines [`EcosystemKind`], its canonical spellings (`KNOWN`) and the
/// constant-time spelling lookup, from one list.
macro_rules! known_ecosystems {
    ($($variant:ident => $name:literal,)*) => {
        /// The base of an OSV ecosystem string: the part before the first `:`.
        ///
        /// The list follows the OSV schema's ecosystem registry (schema 1.7) and osv.dev.
        /// [`EcosystemKind::Other`] keeps any other string verbatim, so data from newer
        /// sources is kept, and ordered by the documented fallback.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum EcosystemKind {
            $($variant,)*
            /// Any ecosystem not in the list above, kept verbatim.
            Other(String),
        }

        /// `(kind, canonical spelling)` for every known ecosystem.
        const KNOWN: &[(EcosystemKind, &str)] = &[$((EcosystemKind::$variant, $name),)*];

        impl EcosystemKind {
            /// The canonical spelling of a known kind.
            fn known_str(&self) -> Option<&'static str> {
                match self {
                    $(EcosystemKind::$variant => Some($name),)*
                    EcosystemKind::Other(_) => None,
                }
            }
        }
    };
}

known_ecosystems! {
    AlmaLinux => "AlmaLinux",
    Alpaquita => "Alpaquita",
    Alpine => "Alpine",
    Android => "Android",
    AzureLinux => "Azure Linux",
    BellSoftHardenedContainers => "BellSoft Hardened Containers",
    Bioconductor => "Bioconductor",
    Bitnami => "Bitnami",
    Chainguard => "Chainguard",
    CleanStart => "CleanStart",
    ConanCenter => "ConanCenter",
    Cran => "CRAN",
    CratesIo => "crates.io",
    Debian => "Debian",
    DockerHardenedImages => "Docker Hardened Images",
    Echo => "Echo",
    Ghc => "GHC",
    Git => "GIT",
    GitHubActions => "GitHub Actions",
    Go => "Go",
    Hackage => "Hackage",
    Hex => "Hex",
    Homebrew => "Homebrew",
    Julia => "Julia",
    Kubernetes => "Kubernetes",
    Linux => "Linux",
    Mageia => "Mageia",
    Maven => "Maven",
    MinimOs => "MinimOS",
    Npm => "npm",
    NuGet => "NuGet",
    OpenEuler => "openEuler",
    OpenSuse => "openSUSE",
    Opam => "opam",
    OssFuzz => "OSS-Fuzz",
    Packagist => "Packagist",
    PhotonOs => "Photon OS",
    Pub => "Pub",
    PyPI => "PyPI",
    RedHat => "Red Hat",
    RockyLinux => "Rocky Linux",
    Root => "Root",
    RubyGems => "RubyGems",
    Suse => "SUSE",
    SwiftUrl => "SwiftURL",
    TuxCare => "TuxCare",
    Ubuntu => "Ubuntu",
    VsCode => "VSCode",
    Wolfi => "Wolfi",
}

impl EcosystemKind {
    /// Every known kind (not [`EcosystemKind::Other`]) with its canonical spelling.
    pub fn known() -> impl Iterator<Item = (&'static EcosystemKind, &'static str)> {
        KNOWN.iter().map(|(k, s)| (k, *s))
    }

    /// The canonical spelling, as OSV writes it.
    pub fn as_str(&self) -> &str {
        match self {
            EcosystemKind::Other(s) => s,
            known => known.known_str().unwrap_or_default(),
        }
    }

    /// Looks up a base name. Exact OSV spelling first; then, as a convenience for
    /// people typing commands, a case-insensitive match that also accepts common
    /// aliases (`pypi`, `cargo`, `golang`, `composer`, `gem`, `rust`, …).
    pub fn lookup(base: &str) -> Option<EcosystemKind> {
        if let Some((k, _)) = KNOWN.iter().find(|(_, s)| *s == base) {
            return Some(k.clone());
        }
        let lower = base.to_ascii_lowercase();
        if let Some((k, _)) = KNOWN.iter().find(|(_, s)| s.to_ascii_lowercase() == lower) {
            return Some(k.clone());
        }
        let alias = match lower.as_str() {
            "cargo" | "crates" | "rust" => EcosystemKind::CratesIo,
            "golang" => EcosystemKind::Go,
            "python" | "pip" => EcosystemKind::PyPI,
            "composer" | "php" => EcosystemKind::Packagist,
            "gem" | "gems" | "ruby" => EcosystemKind::RubyGems,
            "node" | "nodejs" | "javascript" => EcosystemKind::Npm,
            "deb" => EcosystemKind::Debian,
            "apk" => EcosystemKind::Alpine,
            "redhat" | "rhel" => EcosystemKind::RedHat,
            "rocky" | "rockylinux" => EcosystemKind::RockyLinux,
            "alma" => EcosystemKind::AlmaLinux,
            "brew" => EcosystemKind::Homebrew,
            "swift" => EcosystemKind::SwiftUrl,
            "dart" => EcosystemKind::Pub,
            "elixir" | "erlang" => EcosystemKind::Hex,
            "r" => EcosystemKind::Cran,
            "haskell" => EcosystemKind::Hackage,
            "photon" | "photonos" => EcosystemKind::PhotonOs,
            _ => return None,
        };
        Some(alias)
    }
}

/// An OSV ecosystem: a base plus an optional suffix naming a release or variant
/// (`Debian:12`, `Alpine:v3.19`, `Ubuntu:Pro:22.04:LTS`, `Red Hat:enterprise_linux:9::appstream`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ecosystem {
    kind: EcosystemKind,
    suffix: Option<String>,
}

/// An ecosystem string that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EcosystemError {
    /// Empty or only whitespace.
    #[error("empty ecosystem name")]
    Empty,
    /// Not a known ecosystem (only from [`Ecosystem::parse_known`]).
    #[error("unknown ecosystem `{0}` (expected an OSV ecosystem such as `PyPI`, `npm`, `crates.io`, `Go`, `Maven`, `Debian:12`)")]
    Unknown(String),
}

impl Ecosystem {
    /// Parses an ecosystem as found in data: any non-empty string is accepted, and
    /// unknown bases are kept as [`EcosystemKind::Other`].
    pub fn parse(input: &str) -> Result<Self, EcosystemError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(EcosystemError::Empty);
        }
        let (base, suffix) = match input.split_once(':') {
            Some((b, s)) => (b, Some(s.to_owned()).filter(|s| !s.is_empty())),
            None => (input, None),
        };
        let kind = KNOWN
            .iter()
            .find(|(_, s)| *s == base)
            .map_or_else(|| EcosystemKind::Other(base.to_owned()), |(k, _)| k.clone());
        Ok(Ecosystem { kind, suffix })
    }

    /// Parses an ecosystem typed by a person: the base must be known (aliases and
    /// any case accepted, see [`EcosystemKind::lookup`]).
    pub fn parse_known(input: &str) -> Result<Self, EcosystemError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EcosystemError::Empty);
        }
        let (base, suffix) = match trimmed.split_once(':') {
            Some((b, s)) => (b, Some(s.to_owned()).filter(|s| !s.is_empty())),
            None => (trimmed, None),
        };
        let kind =
            EcosystemKind::lookup(base).ok_or_else(|| EcosystemError::Unknown(input.to_owned()))?;
        Ok(Ecosystem { kind, suffix })
    }

    /// An ecosystem from its parts.
    pub fn new(kind: EcosystemKind, suffix: Option<String>) -> Self {
        Ecosystem { kind, suffix }
    }

    /// The base kind.
    pub fn kind(&self) -> &EcosystemKind {
        &self.kind
    }

    /// The suffix after the first `:`, if any.
    pub fn suffix(&self) -> Option<&str> {
        self.suffix.as_deref()
    }

    /// The base name, canonical spelling (`Debian` for `Debian:12`).
    pub fn base(&self) -> &str {
        self.kind.as_str()
    }

    /// Whether this ecosystem names a Linux distribution release, whose advisories
    /// apply only to that release.
    pub fn is_distribution(&self) -> bool {
        use EcosystemKind as K;
        matches!(
            self.kind,
            K::AlmaLinux
                | K::Alpaquita
                | K::Alpine
                | K::AzureLinux
                | K::BellSoftHardenedContainers
                | K::Chainguard
                | K::CleanStart
                | K::Debian
                | K::Echo
                | K::Mageia
                | K::MinimOs
                | K::OpenEuler
                | K::OpenSuse
                | K::PhotonOs
                | K::RedHat
                | K::RockyLinux
                | K::Suse
                | K::TuxCare
                | K::Ubuntu
                | K::Wolfi
        )
    }

    /// The suffix with variant words that do not change the release removed, as
    /// osv.dev does for Ubuntu (`Ubuntu:Pro:22.04:LTS` and `Ubuntu:22.04` are one release).
    pub fn release_key(&self) -> Option<Cow<'_, str>> {
        let suffix = self.suffix.as_deref()?;
        if self.kind == EcosystemKind::Ubuntu
            && suffix
                .split(':')
                .any(|p| p == "Pro" || p == "LTS" || p.is_empty())
        {
            let parts: Vec<&str> = suffix
                .split(':')
                .filter(|p| *p != "Pro" && *p != "LTS" && !p.is_empty())
                .collect();
            return Some(Cow::Owned(parts.join(":")));
        }
        Some(Cow::Borrowed(suffix))
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.as_str())?;
        if let Some(s) = &self.suffix {
            write!(f, ":{s}")?;
        }
        Ok(())
    }
}

impl FromStr for Ecosystem {
    type Err = EcosystemError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ecosystem::parse(s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn splits_suffixes() {
        let e = Ecosystem::parse("Debian:12").unwrap();
        assert_eq!(e.kind(), &EcosystemKind::Debian);
        assert_eq!(e.suffix(), Some("12"));
        assert_eq!(e.to_string(), "Debian:12");

        let e = Ecosystem::parse("Ubuntu:Pro:22.04:LTS").unwrap();
        assert_eq!(e.kind(), &EcosystemKind::Ubuntu);
        assert_eq!(e.suffix(), Some("Pro:22.04:LTS"));
        assert_eq!(e.release_key().as_deref(), Some("22.04"));

        let e = Ecosystem::parse("Red Hat:enterprise_linux:9::appstream").unwrap();
        assert_eq!(e.kind(), &EcosystemKind::RedHat);
        assert_eq!(e.suffix(), Some("enterprise_linux:9::appstream"));

        let e = Ecosystem::parse("Alpine:v3.19").unwrap();
        assert_eq!(e.base(), "Alpine");
        assert!(e.is_distribution());
    }

    #[test]
    fn keeps_unknown_ecosystems_from_data_but_rejects_them_from_people() {
        let e = Ecosystem::parse("Nix:24.05").unwrap();
        assert_eq!(e.kind(), &EcosystemKind::Other("Nix".into()));
        assert_eq!(e.to_string(), "Nix:24.05");
        assert!(matches!(
            Ecosystem::parse_known("Nix"),
            Err(EcosystemError::Unknown(_))
        ));
        assert!(Ecosystem::parse("  ").is_err());
    }

    #[test]
    fn people_may_type_aliases_and_any_case() {
        assert_eq!(
            Ecosystem::parse_known("pypi").unwrap().kind(),
            &EcosystemKind::PyPI
        );
        assert_eq!(
            Ecosystem::parse_known("cargo").unwrap().kind(),
            &EcosystemKind::CratesIo
        );
        assert_eq!(
            Ecosystem::parse_known("debian:12").unwrap().to_string(),
            "Debian:12"
        );
    }

    #[test]
    fn every_known_kind_round_trips() {
        for (kind, name) in EcosystemKind::known() {
            assert_eq!(kind.as_str(), name);
            assert_eq!(Ecosystem::parse(name).unwrap().kind(), kind);
        }
    }
}
