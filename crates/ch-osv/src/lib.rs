//! The OSV schema (1.7) and its evaluation.
//!
//! * [`model`]: the complete OSV record as serde types; fields this crate does not
//!   know are kept (in `extra` maps) and written back unchanged.
//! * [`eval`]: range evaluation exactly as the schema's normative pseudo-code
//!   defines it, compiled once per affected entry so that checking a version is a
//!   few comparisons.
//! * [`group`]: merging advisories that name the same vulnerability through
//!   their aliases.
//! * [`scheme_for`]: which version ordering an ecosystem uses.
//!
//! No IO: records come in as bytes or values, answers go out as values.

pub mod eval;
pub mod group;
pub mod model;

pub use eval::{CompileError, CompiledAffected, GitAncestry, Interval, Match, Upper};
pub use model::{Advisory, Affected, Event, EventKind, OsvError, Package, Range, RangeType};

use ch_types::{Ecosystem, EcosystemKind};
use ch_versions::Scheme;

/// The version ordering an ecosystem uses, as osv.dev assigns them.
pub fn scheme_for(ecosystem: &Ecosystem) -> Scheme {
    use EcosystemKind as K;
    match ecosystem.kind() {
        K::CratesIo | K::Hex | K::Pub | K::SwiftUrl | K::Bitnami | K::GitHubActions | K::Julia => {
            Scheme::SemVer
        }
        K::Npm | K::VsCode => Scheme::Npm,
        K::Go => Scheme::Go,
        K::PyPI => Scheme::Pep440,
        K::Maven => Scheme::Maven,
        K::NuGet => Scheme::NuGet,
        K::RubyGems => Scheme::RubyGems,
        K::Packagist => Scheme::Composer,
        K::Debian | K::Ubuntu | K::Echo => Scheme::Dpkg,
        K::Alpine
        | K::Alpaquita
        | K::BellSoftHardenedContainers
        | K::Chainguard
        | K::MinimOs
        | K::Wolfi => Scheme::Apk,
        K::RedHat
        | K::AlmaLinux
        | K::RockyLinux
        | K::Suse
        | K::OpenSuse
        | K::Mageia
        | K::PhotonOs
        | K::OpenEuler
        | K::AzureLinux => Scheme::Rpm,
        K::Cran | K::Bioconductor => Scheme::Cran,
        K::Hackage | K::Ghc => Scheme::Hackage,
        K::Homebrew => Scheme::Homebrew,
        K::Opam => Scheme::Opam,
        // No ordering is defined for these (osv.dev has none either): the
        // documented fallback. Kubernetes, Linux, Android, ConanCenter, Root,
        // CleanStart, TuxCare, Docker Hardened Images, GIT, OSS-Fuzz, unknown.
        _ => Scheme::Generic,
    }
}
