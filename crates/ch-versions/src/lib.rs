//! Per-ecosystem version parsing and ordering.
//!
//! This crate owns one thing: given an ordering [`Scheme`] and two version strings,
//! say which is smaller, exactly as the ecosystem's reference implementation does
//! (node-semver, Python `packaging`, dpkg, rpmvercmp, Maven's `ComparableVersion`, …).
//! Where osv.dev's own semantics differ from a reference library, we follow osv.dev
//! and say so in the scheme's module documentation.
//!
//! It knows nothing of advisories, databases or IO. Versions are parsed once into a
//! [`Version`] whose comparison is cheap, so range evaluation can compare millions of
//! them per second.
//!
//! ```
//! use ch_versions::Scheme;
//! let a = Scheme::Pep440.parse("1.0rc1").unwrap();
//! let b = Scheme::Pep440.parse("1.0").unwrap();
//! assert!(a < b);
//! ```

use std::cmp::Ordering;
use std::fmt;

pub mod apk;
pub mod composer;
pub mod cran;
pub mod dpkg;
pub mod generic;
pub mod hackage;
pub mod homebrew;
mod key;
pub mod maven;
pub mod nuget;
pub mod opam;
pub mod pep440;
pub mod rpm;
pub mod rubygems;
pub mod semver;

/// An ordering of version strings: one per family of ecosystems that share rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Scheme {
    /// SemVer 2.0.0 precedence (crates.io, Hex, Pub, SwiftURL, Bitnami, GitHub Actions, …).
    SemVer,
    /// node-semver (npm): SemVer 2.0.0 with a tolerated leading `v` or `=`.
    Npm,
    /// Go modules: `v`-prefixed SemVer, `vMAJOR[.MINOR]` shorthands, pseudo-versions, `+incompatible`.
    Go,
    /// PEP 440 (PyPI), with osv.dev's fallback for legacy (non-PEP 440) versions.
    Pep440,
    /// Maven's `ComparableVersion`.
    Maven,
    /// NuGet's `NuGetVersion` (SemVer 2.0 with a fourth numeric part, case-insensitive labels).
    NuGet,
    /// RubyGems' `Gem::Version`.
    RubyGems,
    /// Composer (Packagist): `VersionParser::normalize`, then `version_compare`.
    Composer,
    /// dpkg (Debian, Ubuntu): epoch, upstream version, revision, `~`.
    Dpkg,
    /// apk-tools (Alpine, Wolfi, Chainguard, MinimOS …).
    Apk,
    /// rpmvercmp with epoch and release (Red Hat family, SUSE, Mageia, Photon OS …).
    Rpm,
    /// R package versions (CRAN, Bioconductor): numeric parts separated by `.` or `-`.
    Cran,
    /// Haskell PVP versions (Hackage, GHC): dot-separated numeric parts.
    Hackage,
    /// Homebrew's `Version`.
    Homebrew,
    /// opam (OCaml): Debian-style ordering without epochs or revisions.
    Opam,
    /// The documented fallback for ecosystems without a known ordering.
    Generic,
}

impl Scheme {
    /// Every scheme, in declaration order.
    pub const ALL: [Scheme; 16] = [
        Scheme::SemVer,
        Scheme::Npm,
        Scheme::Go,
        Scheme::Pep440,
        Scheme::Maven,
        Scheme::NuGet,
        Scheme::RubyGems,
        Scheme::Composer,
        Scheme::Dpkg,
        Scheme::Apk,
        Scheme::Rpm,
        Scheme::Cran,
        Scheme::Hackage,
        Scheme::Homebrew,
        Scheme::Opam,
        Scheme::Generic,
    ];

    /// A short lower-case name, used in messages and documentation.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::SemVer => "semver",
            Scheme::Npm => "npm",
            Scheme::Go => "go",
            Scheme::Pep440 => "pep440",
            Scheme::Maven => "maven",
            Scheme::NuGet => "nuget",
            Scheme::RubyGems => "rubygems",
            Scheme::Composer => "composer",
            Scheme::Dpkg => "dpkg",
            Scheme::Apk => "apk",
            Scheme::Rpm => "rpm",
            Scheme::Cran => "cran",
            Scheme::Hackage => "hackage",
            Scheme::Homebrew => "homebrew",
            Scheme::Opam => "opam",
            Scheme::Generic => "generic",
        }
    }

    /// Parses `input` under this scheme.
    pub fn parse(self, input: &str) -> Result<Version, VersionError> {
        let err = |reason: String| VersionError {
            scheme: self,
            input: input.to_owned(),
            reason,
        };
        let repr = match self {
            Scheme::SemVer => Repr::SemVer(semver::SemVersion::parse(input).map_err(err)?),
            Scheme::Npm => Repr::SemVer(semver::SemVersion::parse_npm(input).map_err(err)?),
            Scheme::Go => Repr::SemVer(semver::SemVersion::parse_go(input).map_err(err)?),
            Scheme::Pep440 => {
                Repr::Pep440(Box::new(pep440::Pep440Version::parse(input).map_err(err)?))
            }
            Scheme::Maven => Repr::Maven(maven::MavenVersion::parse(input).map_err(err)?),
            Scheme::NuGet => Repr::NuGet(Box::new(nuget::NuGetVersion::parse(input).map_err(err)?)),
            Scheme::RubyGems => Repr::RubyGems(rubygems::GemVersion::parse(input).map_err(err)?),
            Scheme::Composer => Repr::Composer(Box::new(
                composer::ComposerVersion::parse(input).map_err(err)?,
            )),
            Scheme::Dpkg => Repr::Dpkg(Box::new(dpkg::DpkgVersion::parse(input).map_err(err)?)),
            Scheme::Apk => Repr::Apk(apk::ApkVersion::parse(input).map_err(err)?),
            Scheme::Rpm => Repr::Rpm(rpm::RpmVersion::parse(input).map_err(err)?),
            Scheme::Cran => Repr::Cran(cran::CranVersion::parse(input).map_err(err)?),
            Scheme::Hackage => Repr::Hackage(hackage::HackageVersion::parse(input).map_err(err)?),
            Scheme::Homebrew => Repr::Homebrew(Box::new(
                homebrew::HomebrewVersion::parse(input).map_err(err)?,
            )),
            Scheme::Opam => Repr::Opam(opam::OpamVersion::parse(input).map_err(err)?),
            Scheme::Generic => Repr::Generic(generic::GenericVersion::parse(input).map_err(err)?),
        };
        Ok(Version { scheme: self, repr })
    }

    /// Whether versions of `self` and `other` compare meaningfully with each other:
    /// the same scheme, or two members of the SemVer family (SemVer, npm, Go), which
    /// differ only in what they accept, not in how they order.
    pub fn orders_like(self, other: Scheme) -> bool {
        let semver = |s| matches!(s, Scheme::SemVer | Scheme::Npm | Scheme::Go);
        self == other || (semver(self) && semver(other))
    }

    /// Compares two version strings under this scheme.
    pub fn compare(self, a: &str, b: &str) -> Result<Ordering, VersionError> {
        Ok(self.parse(a)?.cmp(&self.parse(b)?))
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A version string that its scheme rejects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {scheme} version `{input}`: {reason}")]
pub struct VersionError {
    /// The scheme that rejected it.
    pub scheme: Scheme,
    /// The string as given.
    pub input: String,
    /// What was wrong, in a few words.
    pub reason: String,
}

/// A parsed version. Versions of the same scheme are totally ordered; comparing
/// versions of different schemes orders by scheme first (which is never meaningful,
/// but keeps `Ord` total).
#[derive(Debug, Clone)]
pub struct Version {
    scheme: Scheme,
    repr: Repr,
}

#[derive(Debug, Clone)]
enum Repr {
    SemVer(semver::SemVersion),
    Pep440(Box<pep440::Pep440Version>),
    Maven(maven::MavenVersion),
    NuGet(Box<nuget::NuGetVersion>),
    RubyGems(rubygems::GemVersion),
    Composer(Box<composer::ComposerVersion>),
    Dpkg(Box<dpkg::DpkgVersion>),
    Apk(apk::ApkVersion),
    Rpm(rpm::RpmVersion),
    Cran(cran::CranVersion),
    Hackage(hackage::HackageVersion),
    Homebrew(Box<homebrew::HomebrewVersion>),
    Opam(opam::OpamVersion),
    Generic(generic::GenericVersion),
}

impl Version {
    /// The scheme this version was parsed under.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
}

impl Version {
    /// A byte string whose lexicographic (`memcmp`) order is this version's order
    /// among versions of its scheme, for schemes held that way (rpm). Lets an index
    /// strip a prefix every stored version shares and summarise what follows.
    pub fn order_key(&self) -> Option<&[u8]> {
        match &self.repr {
            Repr::Rpm(v) => Some(v.key()),
            _ => None,
        }
    }

    /// A 64-bit summary of this version's place in its scheme's order: whenever
    /// `a <= b`, `a.order_prefix() <= b.order_prefix()` (versions of one scheme, or
    /// of the SemVer family). Equal prefixes say nothing; different ones decide the
    /// comparison. Searches compare prefixes first, in one contiguous array, and
    /// compare whole versions only on a tie. Schemes without a summary return 0.
    /// Bit 0 is always 0, free for an index's own flag.
    pub fn order_prefix(&self) -> u64 {
        let p = match &self.repr {
            Repr::SemVer(v) => v.order_prefix(),
            Repr::Pep440(v) => v.order_prefix(),
            Repr::Rpm(v) => v.order_prefix(),
            Repr::Apk(v) => v.order_prefix(),
            _ => 0,
        };
        // Clearing the lowest bit keeps the summary monotone.
        p & !1
    }

    /// Whether [`Version::order_prefix`] determines this version's place exactly:
    /// two versions (of one scheme, or of the SemVer family) whose prefixes are
    /// equal and exact are equal. A search that ties with an exact boundary on an
    /// exact query then needs no comparison of whole versions.
    pub fn prefix_is_exact(&self) -> bool {
        match &self.repr {
            Repr::SemVer(v) => v.prefix_is_exact(),
            Repr::Pep440(v) => v.prefix_is_exact(),
            Repr::Apk(v) => v.prefix_is_exact(),
            _ => false,
        }
    }
}

/// Whether every field fits its width, so [`pack_prefix`] keeps each whole (none
/// saturates): the packing then loses nothing of those fields.
pub(crate) fn fields_fit(fields: &[(Option<u64>, u32)]) -> bool {
    fields
        .iter()
        .all(|&(value, bits)| value.is_some_and(|v| bits < 64 && v < (1u64 << bits) - 1))
}

/// Packs fields, most significant first, each `bits` wide, into the top of a u64.
/// A field whose value does not fit (or is `None`: too large to know) takes its
/// maximum and every later field is zero, which keeps the packing monotone: a
/// lexicographically smaller field list never packs to a larger number.
pub(crate) fn pack_prefix(fields: impl IntoIterator<Item = (Option<u64>, u32)>) -> u64 {
    let mut out = 0u64;
    let mut shift = 64u32;
    let mut saturated = false;
    for (value, bits) in fields {
        if bits == 0 || bits > shift {
            break;
        }
        shift -= bits;
        let max = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        let field = if saturated {
            0
        } else {
            match value {
                Some(v) if v < max => v,
                _ => {
                    saturated = true;
                    max
                }
            }
        };
        out |= field << shift;
    }
    out
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        use Repr as R;
        match (&self.repr, &other.repr) {
            (R::SemVer(a), R::SemVer(b)) => a.cmp(b),
            (R::Pep440(a), R::Pep440(b)) => a.cmp(b),
            (R::Maven(a), R::Maven(b)) => a.cmp(b),
            (R::NuGet(a), R::NuGet(b)) => a.cmp(b),
            (R::RubyGems(a), R::RubyGems(b)) => a.cmp(b),
            (R::Composer(a), R::Composer(b)) => a.cmp(b),
            (R::Dpkg(a), R::Dpkg(b)) => a.cmp(b),
            (R::Apk(a), R::Apk(b)) => a.cmp(b),
            (R::Rpm(a), R::Rpm(b)) => a.cmp(b),
            (R::Cran(a), R::Cran(b)) => a.cmp(b),
            (R::Hackage(a), R::Hackage(b)) => a.cmp(b),
            (R::Homebrew(a), R::Homebrew(b)) => a.cmp(b),
            (R::Opam(a), R::Opam(b)) => a.cmp(b),
            (R::Generic(a), R::Generic(b)) => a.cmp(b),
            _ => self.scheme.cmp(&other.scheme),
        }
    }
}

crate::ord_from_cmp!(Version);

/// `PartialOrd`, `PartialEq` and `Eq` from a type's `Ord`, so that equality is
/// the order's equality (`1.0` = `1.0.0` where the scheme says so), never a
/// field-by-field comparison that could disagree with it.
#[macro_export]
#[doc(hidden)]
macro_rules! ord_from_cmp {
    ($t:ty) => {
        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other) == std::cmp::Ordering::Equal
            }
        }

        impl Eq for $t {}
    };
}

#[cfg(test)]
mod testing;

/// Compares lists of decimal numbers written without leading zeros (so a longer
/// number is larger, and equal lengths compare digit by digit), part by part; when
/// one list is a prefix of the other, the shorter is smaller. Exact for numbers of
/// any length.
pub(crate) fn cmp_decimal_lists(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod prefix_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn pack_prefix_saturates_and_zeroes_the_rest() {
        assert_eq!(
            pack_prefix([(Some(1), 16), (Some(2), 16)]),
            0x0001_0002_u64 << 32
        );
        // 70000 does not fit in 16 bits: max, then zeros, whatever follows.
        let big_a = pack_prefix([(Some(70_000), 16), (Some(5), 16)]);
        let big_b = pack_prefix([(Some(80_000), 16), (Some(1), 16)]);
        assert_eq!(big_a, big_b);
        assert_eq!(big_a, 0xFFFF_u64 << 48);
        assert!(pack_prefix([(Some(65_534), 16), (Some(9), 16)]) < big_a);
        assert_eq!(pack_prefix([(None, 8), (Some(3), 8)]), 0xFF_u64 << 56);
    }

    #[test]
    fn prefixes_follow_the_order_and_ties_are_allowed() {
        for (scheme, sorted) in [
            (
                Scheme::SemVer,
                &[
                    "0.9.9",
                    "1.0.0-alpha",
                    "1.0.0-alpha.1",
                    "1.0.0",
                    "1.0.1",
                    "70000.0.0",
                    "80000.0.0",
                ][..],
            ),
            (
                Scheme::Pep440,
                &[
                    "not a version",
                    "1.0.dev1",
                    "1.0a1",
                    "1.0",
                    "1.0.post1",
                    "1.0.0.1",
                    "1.1",
                    "1!0.1",
                ][..],
            ),
            (
                Scheme::Rpm,
                &["1.0~rc1", "1.0", "1.0^git1", "1.0a", "1.0.1", "1:0.1"][..],
            ),
            (Scheme::Dpkg, &["1.0~rc1", "1.0"][..]),
        ] {
            let v: Vec<Version> = sorted.iter().map(|s| scheme.parse(s).unwrap()).collect();
            for w in v.windows(2) {
                assert!(w[0] < w[1], "{scheme}: {:?} < {:?}", w[0], w[1]);
                assert!(
                    w[0].order_prefix() <= w[1].order_prefix(),
                    "{scheme}: {:?}",
                    w
                );
            }
        }
        // Exact prefixes: equal ones mean equal versions; anything the prefix
        // leaves out makes a version inexact.
        for (scheme, exact, inexact) in [
            (
                Scheme::SemVer,
                &["0.0.0", "1.2.3", "1.2.3+build", "65534.0.1"][..],
                &["1.2.3-rc.1", "65535.0.0", "1.2.99999"][..],
            ),
            (
                Scheme::Pep440,
                &["1", "1.2", "1.2.0.0", "1!2.3.4", "0"][..],
                &[
                    "1.2.3.4",
                    "1.0rc1",
                    "1.0.post1",
                    "1.0.dev1",
                    "1.0+local",
                    "99999",
                ][..],
            ),
            (
                Scheme::Apk,
                &["1", "1.2", "1_rc", "1a", "1-r3", "1_p"][..],
                &["1.2.3", "1.02", "1~ab", "1.2-r1", "1_rc1", "99999"][..],
            ),
        ] {
            for s in exact {
                assert!(scheme.parse(s).unwrap().prefix_is_exact(), "{scheme} {s}");
            }
            for s in inexact {
                assert!(!scheme.parse(s).unwrap().prefix_is_exact(), "{scheme} {s}");
            }
        }
        let exact = |scheme: Scheme, s: &str| {
            let v = scheme.parse(s).unwrap();
            assert!(v.prefix_is_exact(), "{s}");
            v
        };
        let (a, b) = (exact(Scheme::Pep440, "1.2"), exact(Scheme::Pep440, "1.2.0"));
        assert_eq!(a.order_prefix(), b.order_prefix());
        assert_eq!(a, b);
        // Across the SemVer family, as the matcher compares Go lines with SemVer.
        let (a, b) = (exact(Scheme::Go, "v1.2.3"), exact(Scheme::SemVer, "1.2.3"));
        assert_eq!(a.order_prefix(), b.order_prefix());
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Equal);
        // Different prefixes decide: 1.0.0 and 1.0.1 differ in the prefix alone.
        let p = |s: &str| Scheme::SemVer.parse(s).unwrap().order_prefix();
        assert!(p("1.0.0") < p("1.0.1"));
        assert!(p("1.0.0-alpha") < p("1.0.0"));
        assert_eq!(p("1.0.0-alpha"), p("1.0.0-beta"));
    }
}
