use crate::EcosystemKind;

/// Folds a package name the way the ecosystem's registry folds names, so that two
/// spellings of one package compare equal. Used as the lookup key for matching;
/// the name as written is always kept alongside for display.
///
/// | ecosystem | rule |
/// |---|---|
/// | PyPI | PEP 503: lower-case, runs of `-`, `_`, `.` become one `-` |
/// | crates.io | lower-case, `_` ≡ `-` (crates.io refuses names that differ only so) |
/// | Packagist, NuGet, Hex, Pub, Homebrew, Bitnami | lower-case (case-insensitive registries) |
/// | Maven | `group:artifact`; a purl-style `group/artifact` becomes `group:artifact`; case kept |
/// | npm | case kept (legacy mixed-case names are distinct packages); scope kept (`@scope/name`) |
/// | Go | case kept (module paths are case-sensitive); a trailing `/` removed |
/// | everything else | as written, surrounding whitespace removed |
pub fn normalize_name(kind: &EcosystemKind, name: &str) -> String {
    let name = name.trim();
    match kind {
        EcosystemKind::PyPI => {
            let mut out = String::with_capacity(name.len());
            let mut in_sep = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !in_sep {
                        out.push('-');
                    }
                    in_sep = true;
                } else {
                    out.extend(c.to_lowercase());
                    in_sep = false;
                }
            }
            out
        }
        EcosystemKind::CratesIo => name.to_ascii_lowercase().replace('_', "-"),
        EcosystemKind::Packagist
        | EcosystemKind::NuGet
        | EcosystemKind::Hex
        | EcosystemKind::Pub
        | EcosystemKind::Homebrew
        | EcosystemKind::Bitnami => name.to_lowercase(),
        EcosystemKind::Maven => {
            if name.contains(':') {
                name.to_owned()
            } else {
                match name.rsplit_once('/') {
                    Some((group, artifact)) => format!("{group}:{artifact}"),
                    None => name.to_owned(),
                }
            }
        }
        EcosystemKind::Go => name.trim_end_matches('/').to_owned(),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_per_ecosystem() {
        let cases = [
            (
                EcosystemKind::PyPI,
                "Django_REST.framework",
                "django-rest-framework",
            ),
            (EcosystemKind::PyPI, "zope.interface", "zope-interface"),
            (EcosystemKind::PyPI, "a--__..b", "a-b"),
            (EcosystemKind::CratesIo, "Serde_JSON", "serde-json"),
            (
                EcosystemKind::Packagist,
                "Symfony/HTTP-Kernel",
                "symfony/http-kernel",
            ),
            (EcosystemKind::NuGet, "Newtonsoft.Json", "newtonsoft.json"),
            (
                EcosystemKind::Maven,
                "org.apache.logging.log4j/log4j-core",
                "org.apache.logging.log4j:log4j-core",
            ),
            (
                EcosystemKind::Maven,
                "org.apache.logging.log4j:log4j-core",
                "org.apache.logging.log4j:log4j-core",
            ),
            (EcosystemKind::Npm, "@Angular/core", "@Angular/core"),
            (EcosystemKind::Npm, " JSONStream ", "JSONStream"),
            (
                EcosystemKind::Go,
                "github.com/BurntSushi/toml/",
                "github.com/BurntSushi/toml",
            ),
            (EcosystemKind::RubyGems, "RedCloth", "RedCloth"),
        ];
        for (kind, input, expected) in cases {
            assert_eq!(normalize_name(&kind, input), expected, "{kind:?} {input}");
        }
    }
}
