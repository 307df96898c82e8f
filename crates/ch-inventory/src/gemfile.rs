//! Bundler's `Gemfile.lock` (also named `gems.locked`).
//!
//! The file is a series of sections, each headed by an unindented line. The source
//! sections (`GEM`, `GIT`, `PATH`) list their gems under `  specs:`, one a line at
//! an indent of exactly four spaces, `name (version)` or `name (version-platform)`;
//! the lines indented six spaces under a gem are its own dependencies and are not
//! packages. RubyGems versions cannot hold a `-` (Bundler reads the version as
//! everything up to the first `-`), so a `-` inside the parentheses starts a
//! platform (`-x86_64-linux`, `-java`, `-arm64-darwin`), which is dropped: the
//! same release built for several platforms is listed once, at its first line.
//! Gems of `GEM` sections are RubyGems packages; those of `GIT` and `PATH` sections
//! are listed without an ecosystem (their versions are not RubyGems releases).
//! `PLUGIN SOURCE` sections hold Bundler plugins, not gems of the project, and are
//! not read. The `DEPENDENCIES` section names the Gemfile's gems, two spaces in,
//! each possibly followed by a requirement in parentheses and a `!` (a gem from a
//! git or path source): those gems are direct.

use std::collections::HashSet;

use ch_types::EcosystemKind;

use crate::{InventoryError, Parsed, Source};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// `GEM`: gems from a gem server.
    Gem,
    /// `GIT` or `PATH`: gems built from a repository or a folder.
    Local,
    /// `DEPENDENCIES`.
    Dependencies,
    /// Anything else (`PLATFORMS`, `RUBY VERSION`, `BUNDLED WITH`, `CHECKSUMS`…).
    Other,
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let mut section = Section::Other;
    let mut in_specs = false;
    let mut seen: HashSet<(bool, &str, &str)> = HashSet::new();
    let mut direct: Option<HashSet<&str>> = None;
    let mut parsed = Parsed::default();
    for (i, raw) in text.lines().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim_end();
        if line.is_empty() {
            continue;
        }
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if indent == 0 {
            section = match content {
                "GEM" => Section::Gem,
                "GIT" | "PATH" => Section::Local,
                "DEPENDENCIES" => {
                    direct.get_or_insert_with(HashSet::new);
                    Section::Dependencies
                }
                _ => Section::Other,
            };
            in_specs = false;
            continue;
        }
        match section {
            Section::Gem | Section::Local => {
                if indent == 2 {
                    in_specs = content == "specs:";
                } else if indent == 4 && in_specs {
                    let (name, version) = spec(content).ok_or_else(|| {
                        InventoryError::new(
                            file,
                            Some(number),
                            "expected a gem `NAME (VERSION)` in `specs:`",
                        )
                    })?;
                    let registry = section == Section::Gem;
                    if !seen.insert((registry, name, version)) {
                        continue;
                    }
                    let source = Source {
                        file: file.to_owned(),
                        line: Some(number),
                    };
                    parsed.packages.push(if registry {
                        crate::package(EcosystemKind::RubyGems, name, version, source, None)
                    } else {
                        crate::unidentified(name, version, source, None)
                    });
                }
            }
            Section::Dependencies if indent == 2 => {
                let end = content.find([' ', '!', '(']).unwrap_or(content.len());
                if let Some(names) = direct.as_mut() {
                    names.insert(&content[..end]);
                }
            }
            Section::Dependencies | Section::Other => {}
        }
    }
    if let Some(names) = direct {
        for p in &mut parsed.packages {
            p.direct = Some(names.contains(p.name.as_str()));
        }
    }
    Ok(parsed)
}

/// `name (version)` or `name (version-platform)` → (name, version).
fn spec(content: &str) -> Option<(&str, &str)> {
    let (name, rest) = content.split_once(" (")?;
    let inside = rest.strip_suffix(')')?;
    let version = inside.split('-').next().unwrap_or(inside);
    let valid = |s: &str| !s.is_empty() && !s.contains([' ', '(', ')']);
    (valid(name) && valid(version)).then_some((name, version))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const LOCK: &str = "\
GIT
  remote: https://github.com/example/widget.git
  revision: 4f2a9c1d0e7b3a5f6c8d9e0f1a2b3c4d5e6f7a8b
  branch: main
  specs:
    widget (2.1.0.beta1)
      rack (>= 2.0)

PATH
  remote: engines/billing
  specs:
    billing (0.3.0)
      activesupport (~> 7.0)

GEM
  remote: https://rubygems.org/
  specs:
    activesupport (7.0.4.3)
      concurrent-ruby (~> 1.0, >= 1.0.2)
      i18n (>= 1.6, < 2)
    concurrent-ruby (1.2.2)
    i18n (1.12.0)
      concurrent-ruby (~> 1.0)
    nokogiri (1.14.3-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.14.3-x86_64-linux)
      racc (~> 1.4)
    nokogiri (1.14.3-java)
    puma (6.2.1-java)
      nio4r (~> 2.0)
    racc (1.6.2)
    rack (2.2.6.4)

PLATFORMS
  arm64-darwin-22
  java
  x86_64-linux

DEPENDENCIES
  activesupport (~> 7.0)
  billing!
  nokogiri
  puma (>= 5.0)
  widget!

RUBY VERSION
   ruby 3.2.2p53

BUNDLED WITH
   2.4.10
";

    #[test]
    fn reads_gem_git_and_path_sources_with_platforms_and_direct_gems() {
        let parsed = read(Format::GemfileLock, "Gemfile.lock", LOCK.as_bytes()).unwrap();
        let gems = Some("RubyGems".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (None, "widget", "2.1.0.beta1", Some(6), Some(true)),
                (None, "billing", "0.3.0", Some(12), Some(true)),
                (
                    gems.clone(),
                    "activesupport",
                    "7.0.4.3",
                    Some(18),
                    Some(true)
                ),
                (
                    gems.clone(),
                    "concurrent-ruby",
                    "1.2.2",
                    Some(21),
                    Some(false)
                ),
                (gems.clone(), "i18n", "1.12.0", Some(22), Some(false)),
                (gems.clone(), "nokogiri", "1.14.3", Some(24), Some(true)),
                (gems.clone(), "puma", "6.2.1", Some(29), Some(true)),
                (gems.clone(), "racc", "1.6.2", Some(31), Some(false)),
                (gems.clone(), "rack", "2.2.6.4", Some(32), Some(false)),
            ]
        );
        assert_eq!(
            parsed.packages[5].purl.as_deref(),
            Some("pkg:gem/nokogiri@1.14.3")
        );
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn without_a_dependencies_section_directness_is_unknown() {
        let text = "GEM\r\n  remote: https://rubygems.org/\r\n  specs:\r\n    rake (13.0.6)\r\n";
        let parsed = read(Format::GemfileLock, "gems.locked", text.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![(Some("RubyGems".to_owned()), "rake", "13.0.6", Some(4), None)]
        );
    }

    #[test]
    fn a_spec_without_a_version_is_an_error() {
        let text =
            "GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.0.6)\n    rspec 3.12.0\n";
        let e = read(Format::GemfileLock, "Gemfile.lock", text.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Gemfile.lock:5: expected a gem `NAME (VERSION)` in `specs:`"
        );
        let e = read(
            Format::GemfileLock,
            "Gemfile.lock",
            "GEM\n  specs:\n    rake ()\n".as_bytes(),
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3));
    }
}
